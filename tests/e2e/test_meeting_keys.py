"""The meeting screen asks the engine what a key does, and only shows it.

``n``, ``p``, ``>`` and ``<`` mean what ``Meeting.next_step()`` and its kin say
(tests/unit/test_steps.py holds those answers); here the screen is driven by keys to
show that it does what they say: the outcome form in the advice part, a question
before leaving the commitments, the end of the session at the recap, a refusal
said at the ends of the agenda.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.ids import new_id
from peersession.core.model import Group
from peersession.tui.app import create_app
from peersession.tui.screens.confirm import ConfirmScreen
from peersession.tui.screens.form import FormScreen
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.console import Console

from pilot_support import keys

ROOT = Path(__file__).resolve().parents[2]
#: A rule of the meeting decided by comparing phase or part names (issue 22.3).
RULE_BY_NAME = re.compile(r"phase ==|part ==|phase !=|part !=")


def test_no_screen_compares_phase_or_part_names() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "peersession" / "tui").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if RULE_BY_NAME.search(line)
    ]
    assert found == [], "the engine answers these (core/steps.py):\n" + "\n".join(found)


def meeting_screen(app: Any) -> MeetingScreen:
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, MeetingScreen))
    assert isinstance(screen, MeetingScreen)
    return screen


async def test_n_follows_the_hot_seat_to_its_outcome_form(
    data_dir: Path, clock: FakeClock, group: Group
) -> None:
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = meeting_screen(app)
        asker = group.members[1]
        screen.act(
            ev.AskAdded(
                ask_id=new_id(),
                member_id=asker.id,
                text="Tenure file",
                wanted_seconds=600,
                private=False,
            )
        )
        screen.act(ev.PhaseJumped(phase="asks"))
        await keys(pilot, "n")
        assert screen.meeting.current_ask is not None
        await keys(pilot, "n")
        assert screen.meeting.asks[screen.meeting.current_ask].part == "advice"
        await keys(pilot, "n")
        form = app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Finish the ask"
        # Nothing was journaled by the key: the ask is still in the hot seat.
        assert screen.meeting.current_ask is not None
        await keys(pilot, "escape", "p")
        assert screen.meeting.asks[screen.meeting.current_ask].part == "questions"


async def test_leaving_the_commitments_asks_first_and_no_keeps_the_phase(
    data_dir: Path, clock: FakeClock, group: Group
) -> None:
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = meeting_screen(app)
        screen.act(ev.PhaseJumped(phase="commitments"))
        await keys(pilot, "n")
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        names = ", ".join(m.name for m in group.members)
        assert question.question.plain == f"{names} have no commitment yet. Move on anyway?"
        await keys(pilot, "n")
        assert screen.meeting.phase.name == "commitments"
        await keys(pilot, "n", "y")
        assert screen.meeting.phase.name == "close"


async def test_the_ends_of_the_agenda_say_why_and_n_at_the_recap_ends(
    data_dir: Path, clock: FakeClock, group: Group
) -> None:
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = meeting_screen(app)
        await keys(pilot, "<")
        assert screen.query_one(Console).notice_text.endswith("this is the first phase")
        screen.act(ev.PhaseJumped(phase="recap"))
        await keys(pilot, ">")
        assert "this is the last phase" in screen.query_one(Console).notice_text
        assert screen.meeting.phase.name == "recap"
        await keys(pilot, "n")
        end = app.screen
        assert isinstance(end, ConfirmScreen)
        assert "End the session and save it" in end.question.plain
        await keys(pilot, "y")
        assert app.screen is not screen
