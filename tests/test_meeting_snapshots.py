"""Pictures of the meeting screen: each timer state, small and large terminals.

If one of these fails after an intended change, look at the report
(snapshot_report.html) and re-run with --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from snapshot_support import drive, meeting_app

TO_UPDATES: list[str | float] = ["n", "n", "n"]
STATES: dict[str, list[str | float]] = {
    # The turn timebox for 8 present is 4:15; the warning starts 51 s before the end.
    "running": [*TO_UPDATES, 60.0],
    "warning": [*TO_UPDATES, 220.0],
    "overtime": [*TO_UPDATES, 300.0],
    "paused": [*TO_UPDATES, 60.0, "space", 30.0],
}


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
@pytest.mark.parametrize("state", list(STATES))
def test_timer_states(snap_compare: Any, data_dir: Path, state: str, size: tuple[int, int]) -> None:
    app, clock = meeting_app(data_dir)
    assert snap_compare(app, terminal_size=size, run_before=drive(clock, STATES[state]))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_opening_with_attendance(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    app, clock = meeting_app(data_dir)
    assert snap_compare(app, terminal_size=size, run_before=drive(clock, ["down", "l", "x"]))


def test_asks_hot_seat(snap_compare: Any, data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    keys: list[str | float] = [*TO_UPDATES, "a", *"Which journal first", "enter"]
    keys += [">", "n", 120.0, "n", 200.0]
    assert snap_compare(app, terminal_size=(80, 24), run_before=drive(clock, keys))


def test_review_with_check_in_answers(snap_compare: Any, data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    assert snap_compare(app, terminal_size=(80, 24), run_before=drive(clock, ["n", "n", "d"]))
