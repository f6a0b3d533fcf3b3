"""Pictures of the meeting screen: each timer state, small and large terminals.

Each test first reads the picture back (``room_support.assert_room_reads``):
the countdown reads as the time it states, the timer's state as the state it
names (its shape and word), the speaker and the ask's part are there, nothing
overlaps. If one of these fails after an intended change, look
at the report (snapshot_report.html) and each picture, then re-run with
--snapshot-update.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from room_support import drive_and_read
from snapshot_support import meeting_app

TO_UPDATES: list[str | float] = ["n", "n", "n"]
SPEAKER = "Siobhán Ní Bhriain"
#: Each state's keys, and what the countdown then reads.
STATES: dict[str, tuple[list[str | float], str]] = {
    # The turn timebox for 8 present is 4:15; the warning starts 51 s before the end.
    "running": ([*TO_UPDATES, 60.0], "03:15"),
    "warning": ([*TO_UPDATES, 220.0], "00:35"),
    "overtime": ([*TO_UPDATES, 300.0], "-00:45"),
    "paused": ([*TO_UPDATES, 60.0, "space", 30.0], "03:15"),
}


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
@pytest.mark.parametrize("state", list(STATES))
def test_timer_states(snap_compare: Any, data_dir: Path, state: str, size: tuple[int, int]) -> None:
    app, clock = meeting_app(data_dir)
    keys, digits = STATES[state]
    # The state is read off the picture too: its shape and word open the state line.
    reading = drive_and_read(clock, keys, digits=digits, speaker=SPEAKER, state=state)
    assert snap_compare(app, terminal_size=size, run_before=reading)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_opening_with_attendance(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    app, clock = meeting_app(data_dir)
    reading = drive_and_read(clock, ["down", "l", "x"], digits="05:00", speaker=None)

    async def run_before(pilot: Any) -> None:
        await reading(pilot)
        # The roles line names both holders; Siobhán, the host, marked absent, says so.
        # Where the panel is narrow the line breaks between holders, never inside one.
        line = pilot.app.screen.query_one("#roles")
        rows = [row.strip() for row in str(line.render()).split("\n")]
        assert all(len(row) <= line.content_region.width for row in rows)
        assert " · ".join(rows) == (
            "Roles  host: Siobhán Ní Bhriain (absent) · facilitator: José Álvarez-García"
        )

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_asks_hot_seat(snap_compare: Any, data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    keys: list[str | float] = [*TO_UPDATES, "a", *"Which journal first", "enter"]
    keys += [">", "n", 120.0, "n", 200.0]
    # Questions took their 2 minutes; advice has 3:20 of its 6:40 left.
    reading = drive_and_read(clock, keys, digits="03:20", speaker=SPEAKER, part="Advice")
    assert snap_compare(app, terminal_size=(80, 24), run_before=reading)


def test_review_with_check_in_answers(snap_compare: Any, data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    reading = drive_and_read(clock, ["n", "n", "d"], digits="10:00", speaker=None)
    assert snap_compare(app, terminal_size=(80, 24), run_before=reading)
