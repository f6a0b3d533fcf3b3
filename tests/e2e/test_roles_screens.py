"""Roles on screen: the opening names the holders and `r` gives a role (a swap),
the home screen names the next session's holders, a member's page counts their
turns at each role; and pictures of the opening with four roles.

Beside each picture, the test reads the holders back from the screen first: a
picture records what was drawn, the assertion says what it must show.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.core.session_records import Holder
from peersession.settings import Settings
from peersession.tui.app import create_app
from peersession.tui.screens.history_data import GroupHistory
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.parts_line import PartsLine

from room_support import drive_and_read
from snapshot_support import MEETING_START, TODAY, demo_store, meeting_app

FOUR = ("host", "facilitator", "timekeeper", "scribe")
#: The rota's proposal for four roles after the demo's sessions (which held two).
HOLDERS = {
    "host": "Grace Kim",
    "facilitator": "Zoë [Dr.] O'Neil",
    "timekeeper": "José Álvarez-García",
    "scribe": "Siobhán Ní Bhriain",
}


def text_of(static: Static | PartsLine) -> str:
    content = static.render()
    return content.plain if isinstance(content, Content) else str(content)


def with_roles(data_dir: Path, roles: tuple[str, ...]) -> str:
    """The demo group with these roles; returns its id."""
    store, group_id = demo_store(data_dir)
    store.update_group(group_id, lambda group, _: replace(group, roles=roles))
    return group_id


def roles_shown(app: Any) -> str:
    screen = app.screen_stack[-1]
    assert isinstance(screen, MeetingScreen), screen
    return text_of(screen.query_one("#roles", PartsLine))


async def test_the_opening_names_the_holders_and_r_gives_a_role_as_a_swap(
    data_dir: Path,
) -> None:
    app, _ = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = roles_shown(app)
        # The demo's last sessions had other hosts and facilitators: the rota's turn.
        assert shown == "Roles  host: Siobhán Ní Bhriain · facilitator: José Álvarez-García"
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert "r roles" in str(screen.query_one("#hint").render())
        # Give the host's role to the facilitator: the two swap.
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("tab", "J", "ctrl+s")
        await pilot.pause()
        names = {m.id: m.name for m in screen.meeting.setup.group.members}
        assert {r: names[m] for r, m in screen.meeting.roles.items()} == {
            "host": "José Álvarez-García",
            "facilitator": "Siobhán Ní Bhriain",
        }
        shown = roles_shown(app)
        assert "host: José Álvarez-García · facilitator: Siobhán Ní Bhriain" in shown
        # Marked absent (the third on the list), a holder says so where the roles are shown.
        await pilot.press("down", "down", "x")
        await pilot.pause()
        assert "facilitator: Siobhán Ní Bhriain (absent)" in roles_shown(app)


async def test_the_home_screen_names_the_next_sessions_holders(data_dir: Path) -> None:
    with_roles(data_dir, FOUR)
    app = create_app(data_dir=data_dir, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        line = app.screen.query_one("#home-roles", PartsLine)
        # At 80 columns the four holders take two rows, broken between holders
        # only (never between a role and its holder, nor inside a name).
        rows = [row.rstrip() for row in text_of(line).split("\n")]
        assert len(rows) == 2 and line.region.height == 2, rows
        assert all(len(row) <= line.content_region.width for row in rows)
        holders = [f"{r} {n}" for r, n in HOLDERS.items()]
        assert rows[0].startswith("Next session  " + holders[0])
        assert rows[1].startswith(" " * len("Next session  ") + holders[2])
        assert " · ".join(row.strip() for row in rows) == "Next session  " + " · ".join(holders)


def test_a_members_page_counts_their_turns_at_each_role(data_dir: Path) -> None:
    store, group_id = demo_store(data_dir)
    group: Group = store.find_group(group_id)
    nadia, aiko = group.members[0].id, group.members[1].id
    sessions = store.sessions(group_id)
    for session in sessions:
        session.roles = []
    for number, session in enumerate(sessions[-3:]):
        host, facilitator = (nadia, aiko) if number != 1 else (aiko, nadia)
        session.roles = [
            Holder(role="Host", member_id=host),  # named in another case then
            Holder(role="facilitator", member_id=facilitator),
        ]
    data = GroupHistory(group, sessions, [], [], TODAY)
    assert data.role_turns(nadia) == "host 2×, facilitator 1×"
    assert data.role_turns(aiko) == "host 1×, facilitator 2×"
    assert data.role_turns(group.members[2].id) == "none yet"


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_opening_with_four_roles(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    group_id = with_roles(data_dir, FOUR)
    clock = FakeClock(MEETING_START)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
    reading = drive_and_read(clock, [], digits="05:00", speaker=None)

    async def run_before(pilot: Pilot[Any]) -> None:
        await reading(pilot)
        shown = roles_shown(pilot.app)
        for role, name in HOLDERS.items():
            assert f"{role}: {name}" in shown  # every holder named in the picture

    assert snap_compare(app, terminal_size=size, run_before=run_before)
