"""A phase kind is registered once, and a meeting runs through it, engine and screen.

Two small kinds are added here as the recipe in docs/architecture.md says: a
"Gratitude" round that records nothing, and a "Reflection" that records the
notes taken in it. Each is one ``PhaseKind`` in the core's table and one row in
the screen's (``register_screens``); a group's agenda names them, and the
meeting runs through them with the same keys as any phase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest

from peersession.core import events as ev
from peersession.core import phases
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.core.phases import PhaseKind
from peersession.core.record import session_record
from peersession.core.steps import Dispatch, EndSession
from peersession.store.history import HistoryStore
from peersession.tui.app import create_app
from peersession.tui.screens.confirm import ConfirmScreen
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.board import plain_board
from peersession.tui.widgets.console import Console
from peersession.tui.widgets.phase_screens import (
    SCREENS,
    PhaseScreens,
    board_of,
    register_screens,
)
from peersession.tui.widgets.phases import PlainPanel

from engine_support import MeetingDriver, make_group
from pilot_support import keys, typed

GRATITUDE = PhaseKind("gratitude", "Gratitude", "One thing each member is grateful for")
REFLECTION = PhaseKind("reflection", "Reflection", "What the group takes away", records=("notes",))
AGENDA = (
    {"phase": "opening", "minutes": 2},
    {"phase": "gratitude", "minutes": 3},
    {"phase": "updates"},
    {"phase": "reflection", "minutes": 4},
)


@pytest.fixture
def registered() -> Iterator[None]:
    for kind in (GRATITUDE, REFLECTION):
        phases.register(kind)
        register_screens(kind, PhaseScreens(PlainPanel, plain_board))
    try:
        yield
    finally:
        for kind in (GRATITUDE, REFLECTION):
            phases.unregister(kind)
            SCREENS.pop(kind, None)


def test_an_unregistered_kind_is_refused_by_the_agenda_check() -> None:
    with pytest.raises(ValueError, match="unknown phase 'gratitude'"):
        MeetingDriver(make_group(3, agenda=AGENDA))


def test_every_shipped_kind_has_a_panel_and_a_board() -> None:
    assert phases.missing_from(SCREENS) == []
    assert [k.name for k in phases.kinds()] == [
        "opening",
        "wins",
        "review",
        "goals",
        "updates",
        "asks",
        "commitments",
        "close",
        "recap",
    ]


def test_a_meeting_runs_through_registered_phases(registered: None) -> None:
    d = MeetingDriver(make_group(2, agenda=AGENDA))
    meeting = d.meeting
    assert [p.kind for p in meeting.phases] == [
        phases.OPENING,
        GRATITUDE,
        phases.UPDATES,
        REFLECTION,
        phases.RECAP,
    ]
    # Its minutes are fixed: they come out of the talking time.
    assert meeting.budget(d.now).talking_seconds == (120 - 2 - 3 - 4) * 60
    d.act(ev.Next(), after_seconds=60)
    assert meeting.phase is GRATITUDE
    assert meeting.timer(d.now).label == "Gratitude" and meeting.timer(d.now).budget == 180
    assert meeting.next_step() == Dispatch(ev.Next(), "on to Updates")
    # A note taken in a phase that records none still belongs to the session.
    d.act(ev.NoteAdded(note_id="n0", text="Thanks all", private=False), after_seconds=30)
    for _ in range(3):  # two turns, then the round ends
        step = meeting.next_step()
        assert isinstance(step, Dispatch)
        d.act(step.action, after_seconds=60)
    assert meeting.phase is REFLECTION
    assert meeting.note_target().where == "On the session"
    d.act(ev.NoteAdded(note_id="n1", text="Ask earlier", private=True), after_seconds=20)
    assert [n.id for n in meeting.session_notes] == ["n0", "n1"]
    assert meeting.unfinished_business() == []
    d.act(ev.Next())
    assert meeting.next_step() == EndSession()
    record = session_record(meeting, as_of=d.now)
    assert [n["text"] for n in record.session["notes"]] == ["Thanks all", "Ask earlier"]
    # The journal names the kinds: a replay rebuilds the same meeting.
    assert [p.kind for p in d.replayed().phases] == [p.kind for p in meeting.phases]


async def test_the_screen_walks_registered_phases_with_the_usual_keys(
    registered: None, data_dir: Path, clock: FakeClock, store: HistoryStore, group: Group
) -> None:
    store.save_group(msgspec.structs.replace(group, agenda=AGENDA))
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await keys(pilot, "n")
        assert screen.meeting.phase is GRATITUDE
        panel = screen.query_one(Console).panel(GRATITUDE)
        assert isinstance(panel, PlainPanel) and panel.display
        assert "One thing each member is grateful for" in str(
            panel.query_one("#plain-phase").render()
        )
        assert "move on" in panel.hint().plain and "take a note" not in panel.hint().plain
        assert re.search(r"Gratitude \(2/5\)", str(screen.query_one("#topbar").render()))
        assert "One thing each member" in board_of(screen.meeting, clock.now()).plain
        await keys(pilot, ">", ">")
        assert screen.meeting.phase is REFLECTION
        await keys(pilot, "t")
        await typed(pilot, "Ask for help earlier")
        await keys(pilot, "enter")
        panel = screen.query_one(Console).panel(REFLECTION)
        shown = str(panel.query_one("#plain-phase").render())
        assert "Ask for help earlier" in shown and "take a note" in panel.hint().plain
        await keys(pilot, "n", "n")
        assert isinstance(app.screen, ConfirmScreen)
        await keys(pilot, "y")
        assert not isinstance(app.screen, MeetingScreen)
    (session,) = store.sessions(group.id)
    assert [n.text for n in session.notes] == ["Ask for help earlier"]
