"""The opening's attendance with a guest and a member on leave, at 80x24 and 160x50.

The demo group's next session starts with a guest (``start --guest``) while
one member is on leave: the picture must list the guest, marked as one, and
leave out the member on leave (not expected: not in the roll, not in the
rota, named on the "Not expected" line with why). Those facts are read back
from the screen before the picture is taken.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace
from textual.widgets import OptionList, Select

from peersession.core.clock import FakeClock
from peersession.core.lifecycle import Leave
from peersession.core.model import Group
from peersession.settings import Settings
from peersession.tui.app import create_app
from peersession.tui.screens.form import FormScreen
from peersession.tui.screens.meeting import MeetingScreen

from pilot_support import keys, typed
from room_support import drive_and_read
from snapshot_support import MEETING_START, demo_store

ON_LEAVE = Leave(date(2026, 3, 1), date(2026, 5, 31))


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_attendance_with_a_guest_and_a_member_on_leave(
    snap_compare: Any, data_dir: Path, size: tuple[int, int]
) -> None:
    store, group_id = demo_store(data_dir)
    away: list[str] = []

    def on_leave(group: Group, others: list[Group]) -> Group:
        member = group.members[2]
        away.append(member.name)
        members = tuple(replace(m, leave=(ON_LEAVE,)) if m is member else m for m in group.members)
        return replace(group, members=members)

    store.update_group(group_id, on_leave)
    clock = FakeClock(MEETING_START)
    app = create_app(
        data_dir=data_dir,
        clock=clock,
        settings=Settings(),
        start_group=group_id,
        guests=("Dr Lee",),
    )
    # The cursor to the last row (the guest), so even 80x24 shows it.
    reading = drive_and_read(clock, ["down"] * 8, digits="05:00", speaker=None)

    async def run_before(pilot: Any) -> None:
        await reading(pilot)
        listed = pilot.app.screen.query(OptionList).first()
        rows = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any(row.endswith("Dr Lee (guest)") for row in rows), rows
        assert not any(away[0] in row for row in rows), rows
        assert len(rows) == 8  # seven members expected, and the guest
        roles = str(pilot.app.screen.query_one("#roles").render())
        assert away[0] not in roles and "Dr Lee" not in roles
        # Named once, as not expected, with why: the room does not wonder.
        named = str(pilot.app.screen.query_one("#away").render()).splitlines()
        assert [row.strip() for row in named] == [
            "Not expected",
            f"{away[0]} (on leave until 2026-05-31)",
        ]

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_an_earlier_private_commitment_is_not_shown_while_a_guest_is_here() -> None:
    from peersession.core import events as ev
    from peersession.core.engine import Meeting
    from peersession.core.model import Member
    from peersession.core.record_types import read_as
    from peersession.core.session_records import Commitment
    from peersession.core.setup import plan_setup
    from peersession.core.templates import template_for
    from peersession.tui.widgets.rows import HIDDEN_FROM_GUESTS, review_row

    group = Group(id="g", name="Circle", members=(Member("ana", "Ana"), Member("bo", "Bo")))

    def earlier(cid: str, private: bool) -> Commitment:
        return read_as(
            Commitment,
            {
                "id": cid,
                "group_id": "g",
                "owner": "ana",
                "text": f"the {cid} text",
                "due": None,
                "private": private,
                "made_at": "2026-03-05T17:00:00+00:00",
                "made_in": "s0",
                "from_ask": None,
                "reviews": [],
                "updated_at": "2026-03-05T17:00:00+00:00",
            },
        )

    def rows(guests: list[tuple[str, str]]) -> dict[str, str]:
        setup = plan_setup(
            session_id="s1",
            group=group,
            template=template_for("full"),
            today=MEETING_START.date(),
            recent_sessions=(),
            open_commitments=[earlier("secret", True), earlier("plain", False)],
            checkins=(),
            guests=guests,
        )
        meeting = Meeting.replay(
            [ev.Entry(1, MEETING_START, ev.SessionStarted(setup=setup.to_doc()))]
        )
        return {
            item.commitment_id: review_row(meeting, item).plain
            for item in meeting.setup.review_items
        }

    alone = rows([])
    assert "the secret text" in alone["secret"] and HIDDEN_FROM_GUESTS not in alone["secret"]
    visited = rows([("lee", "Dr Lee")])
    assert "the secret text" not in visited["secret"] and HIDDEN_FROM_GUESTS in visited["secret"]
    assert "the plain text" in visited["plain"]


async def test_g_in_the_attendance_dialog_adds_a_guest_to_this_session(data_dir: Path) -> None:

    from snapshot_support import meeting_app

    app, _ = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")  # to Wins: l now opens the attendance dialog
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        for key in "Prof Okafor":
            await pilot.press(key if key != " " else "space")
        await pilot.press("enter")
        await pilot.pause()
        meeting = next(s for s in app.screen_stack if isinstance(s, MeetingScreen)).meeting
        (guest,) = meeting.setup.guest_ids
        assert meeting.name(guest) == "Prof Okafor"
        assert guest in meeting.present and meeting.attendance[guest] == "present"
        # Journaled: the session read back from its journal has the guest too.
        assert guest in type(meeting).replay(meeting.entries).setup.guest_ids


async def test_the_forms_never_ask_a_guest_for_a_commitment(data_dir: Path) -> None:
    """The commitment form does not offer the guest; the outcome of the guest's
    ask asks only who offered help (the engine refuses a guest's commitment)."""
    from peersession.tui.screens.meeting import MeetingScreen

    _, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    app = create_app(
        data_dir=data_dir,
        clock=clock,
        settings=Settings(),
        start_group=group_id,
        guests=("Dr Lee",),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "n", "n", "n", "c")
        form = app.screen
        assert isinstance(form, FormScreen)
        owners = [str(label) for label, _ in form.fields[0].options]
        assert len(owners) == 8 and not any("Dr Lee" in o for o in owners), owners
        await keys(pilot, "escape", "a")
        form = app.screen
        assert isinstance(form, FormScreen)
        guest = next(value for label, value in form.fields[0].options if "Dr Lee" in str(label))

        form.query_one("#field-member", Select).value = guest
        form.query_one("#field-text").focus()
        await typed(pilot, "How do I apply?")
        await keys(pilot, "enter", ">", "n")
        clock.advance(200)
        await keys(pilot, "n", "f")
        form = app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Finish the ask"
        assert [f.name for f in form.fields] == ["helpers", "private"]
        await keys(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.meeting.current_ask is None and not screen.meeting.commitments
