"""Pictures of the history: the session list and a member's timeline, small and large.

The demo is seeded for a fixed day and the app runs on a fixed clock, so the
pictures only change when the screens do. After an intended change, look at
snapshot_report.html and re-run with --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peersession.demo import HOSTILE_NAME

from history_support import history_app, keys_then_settle, seed

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_session_list(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle())


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_member_timeline(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    demo = seed(data_dir)
    index = [m.name for m in demo.group.members].index(HOSTILE_NAME)
    app, _ = history_app(data_dir, demo.group.id)
    keys = ["m", *["down"] * index, "enter"]
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle(*keys))
