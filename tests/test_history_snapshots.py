"""Pictures of the history: the session list and a member's timeline, small and large.

The demo is seeded for a fixed day and the app runs on a fixed clock, so the
pictures only change when the screens do. After an intended change, look at
snapshot_report.html and re-run with --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from peersession.demo import HOSTILE_NAME

from history_support import history_app, seed, settle

SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


def keys_then_settle(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


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
