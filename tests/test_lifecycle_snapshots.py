"""The opening's attendance with a guest and a member on leave, at 80x24 and 160x50.

The demo group's next session starts with a guest (``start --guest``) while
one member is on leave: the picture must list the guest, marked as one, and
leave out the member on leave (not expected: not in the roll, not in the
rota). Those facts are read back from the screen before the picture is taken.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from peersession.core.clock import FakeClock
from peersession.core.lifecycle import Leave
from peersession.core.model import Group
from peersession.settings import Settings
from peersession.tui.app import create_app

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

    assert snap_compare(app, terminal_size=size, run_before=run_before)
