"""Pictures at 80x24 of the screens people use most outside the meeting's phases.

The home screen, the history's search with results, the open commitments, and
a form over the meeting (the turn's note). Each runs on the demo seeded for a
fixed day and a fixed clock, so a picture changes only when its screen does.
After an intended change, look at snapshot_report.html and re-run with
--snapshot-update.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from history_support import history_app, keys_then_settle, seed
from room_support import drive_and_read
from snapshot_support import meeting_app

SIZE = (80, 24)


def test_home_with_two_groups(snap_compare: Any, data_dir: Path) -> None:
    seed(data_dir)
    seed(data_dir, group_name="Writing Accountability", seed=11)
    app, _ = history_app(data_dir, mode="home")
    settle = keys_then_settle()

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        # Under the list: who holds each role at the highlighted group's next session.
        roles = str(pilot.app.screen.query_one("#home-roles").render())
        assert roles.startswith("Next session  host ") and " · facilitator " in roles

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_history_search_with_results(snap_compare: Any, data_dir: Path) -> None:
    # The picture: "4 results for “grant” in Thursday Circle", best first by FTS5's bm25,
    # the word "grant" marked (bold, reversed) in each; test_history_search.py checks the
    # marks on the results themselves.
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    keys = ["slash", *"grant"]
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle(*keys))


def test_open_commitments(snap_compare: Any, data_dir: Path) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle("o"))


def test_the_note_form_over_a_turn(snap_compare: Any, data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    keys: list[str | float] = ["n", "n", "n", 90.0, "t", *"Grant [b]resubmitted"]
    reading = drive_and_read(clock, keys, digits="02:45", speaker="Siobhán Ní Bhriain")
    assert snap_compare(app, terminal_size=SIZE, run_before=reading)
