"""The data folders the benchmark runs on, built fresh in a temporary folder."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pendulum
from pendulum import Date

from ..core.model import Group
from ..demo import demo_archive
from ..store.demo import seed_demo
from ..store.history import HistoryStore, new_group

TODAY: Date = pendulum.date(2026, 3, 5)
MEETING_MEMBERS = [
    "Ada",
    "Bea [b]",
    "Cy",
    "Dee $x",
    "Eve",
    "Fay",
    "Gus",
    "Hal",
    "Ivy",
    "Jo",
    "Kai",
    "Lu",
]


@dataclass(frozen=True)
class Size:
    """How big a run is: ``full`` for the published figures, ``tiny`` to show it works."""

    name: str
    groups: int
    sessions_per_group: int
    frame_runs: int
    rss_runs: int
    dispatches: int
    open_runs: int
    search_runs: int
    presses: int
    #: Group sizes at which ending a session is measured, and how many times.
    save_sizes: tuple[int, ...]
    save_runs: int

    @property
    def sessions(self) -> int:
        return self.groups * self.sessions_per_group


SIZES = {
    "full": Size("full", 20, 500, 11, 3, 1000, 7, 7, 200, (500, 2000), 5),
    "tiny": Size("tiny", 2, 20, 2, 1, 40, 2, 2, 16, (20,), 2),
}


@dataclass(frozen=True)
class Folders:
    """``archive``: every demo group and its sessions, plus a 12-member group with
    no history of its own; ``empty``: the same two group definitions (the
    archive's biggest group and the 12-member one) and no history at all."""

    empty: Path
    archive: Path
    meeting_group: Group
    #: The archive's biggest group (``sessions_per_group`` sessions).
    big_group: str


def build(root: Path, size: Size) -> Folders:
    meeting_group = new_group("Keyboard Circle", MEETING_MEMBERS)
    archive = root / "archive"
    store = HistoryStore(archive)
    histories = demo_archive(
        groups=size.groups, sessions_per_group=size.sessions_per_group, today=TODAY
    )
    for history in histories:
        seed_demo(store, history)
    store.add_group(meeting_group)
    empty = root / "empty"
    bare = HistoryStore(empty)
    bare.add_group(meeting_group)
    bare.add_group(histories[0].group)
    return Folders(empty, archive, meeting_group, histories[0].group.id)


def clear_live(folder: Path) -> None:
    """Set aside sessions a measuring run left open, so the next one starts afresh."""
    live = folder / "live"
    if live.is_dir():
        shutil.rmtree(live)
