"""First frame and memory: the real app against the floor, each in fresh processes."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .fixtures import Folders, clear_live
from .stats import median, milliseconds


@dataclass(frozen=True)
class Start:
    #: Seconds from spawning the process to its first frame.
    seconds: float
    rss_kb: int


def start(kind: str, *args: str) -> Start:
    """Spawn a child, and time it from before the spawn to its first frame."""
    command = [sys.executable, "-m", "peersession.bench.child", kind, *args]
    began = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} did not draw a frame:\n{result.stdout}\n{result.stderr}")
    report = json.loads(lines[-1])
    return Start(report["at"] - began, int(report["rss_kb"]))


def first_frames(folders: Folders, runs: int) -> dict[str, object]:
    """The home screen on the 10,000-session archive against the floor, alternating
    so that a noisy neighbour hits both alike; medians and their ratio."""
    start("floor")  # warm the OS file cache for both
    start("home", str(folders.archive))
    real: list[float] = []
    floor: list[float] = []
    for _ in range(runs):
        floor.append(start("floor").seconds)
        real.append(start("home", str(folders.archive)).seconds)
    ratio = median(real) / median(floor)
    return {
        "what": "process start to the first composed frame of the home screen (headless)",
        "peersession_ms": milliseconds(median(real)),
        "floor_ms": milliseconds(median(floor)),
        "ratio": round(ratio, 3),
        "goal": 1.3,
        "met": ratio <= 1.3,
        "runs": runs,
        "peersession_runs_ms": [milliseconds(s) for s in real],
        "floor_runs_ms": [milliseconds(s) for s in floor],
    }


def meeting_memory(folders: Folders, runs: int) -> dict[str, object]:
    """Resident memory at the meeting screen's first frame, with the archive on
    disk, against the floor's at its first frame."""
    meeting: list[int] = []
    floor: list[int] = []
    group = folders.meeting_group.id
    for _ in range(runs):
        clear_live(folders.archive)
        meeting.append(start("meeting", str(folders.archive), group).rss_kb)
        floor.append(start("floor").rss_kb)
    clear_live(folders.archive)
    ratio = median(meeting) / median(floor) if median(floor) else 0.0
    return {
        "what": "resident memory (VmRSS) at the first frame of the meeting screen",
        "peersession_mb": round(median(meeting) / 1024, 1),
        "floor_mb": round(median(floor) / 1024, 1),
        "ratio": round(ratio, 3),
        "runs": runs,
    }


def archive_on_disk_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
