"""A picture of the check-in screen at 80x24, mid check-in.

If it fails after an intended change, look at the report (snapshot_report.html)
and re-run with --snapshot-update.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.store.history import HistoryStore

from checkin_support import checkin_app, seed_commitments


def test_checkin_answered_with_update_energy_and_private(
    snap_compare: Any, data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group)

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        # Pick Ana, one answer, an update with markup-like text, energy, private.
        await pilot.press("a", "d", "u", *"Draft sent [/]", "enter", "4", "p")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
