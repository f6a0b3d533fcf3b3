"""First frame and memory: the real app against the floor, each in fresh processes."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..store.history import HistoryStore
from . import terminal
from .fixtures import Folders, clear_live
from .stats import median, milliseconds


def first_frames(folders: Folders, runs: int, scratch: Path) -> dict[str, object]:
    """``peersession`` on the 10,000-session archive against the floor (a one-line
    Textual app started the same way), both in a 120x40 pty, alternating so that
    a noisy neighbour hits both alike: the time until the frame showing the group
    rows (the floor's line) has been written to the terminal."""
    first_group = HistoryStore(folders.archive).groups()[0].name
    env = terminal.environment(folders.archive, scratch / "no-config.toml")
    real_command = [str(terminal.console_script())]
    floor_command = [str(terminal.floor_script(scratch))]
    # Both sides start from bytecode, as installed copies do.
    terminal.compile_package()
    # Warm the OS file cache for both.
    terminal.first_frame(floor_command, terminal.FLOOR_TEXT, env)
    terminal.first_frame(real_command, first_group, env)
    real: list[float] = []
    floor: list[float] = []
    for _ in range(runs):
        floor.append(terminal.first_frame(floor_command, terminal.FLOOR_TEXT, env).seconds)
        real.append(terminal.first_frame(real_command, first_group, env).seconds)
    ratio = median(real) / median(floor)
    return {
        "what": "spawn to the first frame written that shows the group rows (pty 120x40), "
        "the `peersession` command against a one-line Textual app started the same way",
        "peersession_ms": milliseconds(median(real)),
        "floor_ms": milliseconds(median(floor)),
        "ratio": round(ratio, 3),
        "goal": 1.5,
        "met": ratio <= 1.5,
        "runs": runs,
        "peersession_runs_ms": [milliseconds(s) for s in real],
        "floor_runs_ms": [milliseconds(s) for s in floor],
    }


@dataclass(frozen=True)
class Start:
    rss_kb: int


def start(kind: str, *args: str) -> Start:
    """A headless child (:mod:`.child`) reporting its memory at its first frame."""
    command = [sys.executable, "-m", "peersession.bench.child", kind, *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"{kind} did not draw a frame:\n{result.stdout}\n{result.stderr}")
    return Start(int(json.loads(lines[-1])["rss_kb"]))


def meeting_memory(folders: Folders, runs: int) -> dict[str, object]:
    """Resident memory at the first frame of the meeting screen of the archive's
    biggest group, against the floor's at its first frame."""
    meeting: list[int] = []
    floor: list[int] = []
    for _ in range(runs):
        clear_live(folders.archive)
        meeting.append(start("meeting", str(folders.archive), folders.big_group).rss_kb)
        floor.append(start("floor").rss_kb)
    clear_live(folders.archive)
    ratio = median(meeting) / median(floor) if median(floor) else 0.0
    sessions = HistoryStore(folders.archive).summaries()[folders.big_group].sessions
    return {
        "what": "resident memory (VmRSS) at the first frame of the meeting screen of a "
        "group with its history, against a one-line Textual app",
        "sessions": sessions,
        "peersession_mb": round(median(meeting) / 1024, 1),
        "floor_mb": round(median(floor) / 1024, 1),
        "ratio": round(ratio, 3),
        "goal": 1.5,
        "met": ratio <= 1.5,
        "runs": runs,
    }


def archive_on_disk_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
