"""Ending a session as the facilitator does: ``e``, then ``y``, until it is history.

Each sample starts ``peersession start GROUP`` on a fresh copy of a group of
50 or 170 sessions in a pty, moves to the updates and gives three turns (so
the session has something to save), lets the meeting run for
:data:`MEETING_SECONDS`, presses ``e``, waits for the question, and types
``y``. The meeting runs those seconds because a real one runs an hour: a
process's first full pass of the garbage collector comes a few seconds after
its start, and a meeting ended sooner than that would time that pass, which no
real meeting's end pays (``docs/internals.md``, "The garbage collector"). The
clock runs from that ``y`` until the session is in the history as the
README's data layout tells it: the journal gone from ``live/`` and the group's
file replaced (seen through inotify, so nothing polls while the save runs).
The floor, in interleaved pairs, is one rewrite of that group's file
(:func:`floors.rewrite`). Each copy has its search index built first
(``peersession search``), as a folder whose owner has searched does, so the
save keeps it current as it would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from . import floors
from .context import Goal, Row, Run
from .datasets import Dataset, group_file, live_journals
from .filewatch import ENTRIES, Watch
from .install import Install
from .screens import meeting_shown
from .terminal import Terminal

SESSION_KEYS = (b">", b">", b">", b"n", b"n", b"n")
#: How long each sample's meeting runs, its timers ticking, before ``e``.
MEETING_SECONDS = 5.0


def _identity(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    return status.st_ino, status.st_size, status.st_mtime_ns


def end_once(run: Run, install: Install, dataset: Dataset) -> float:
    facts = run.cache.facts(dataset.groups[0])
    data = run.copy(install, dataset, f"end-{dataset.name}")
    # A search first, as a user who has searched has an index, kept current by the save.
    subprocess.run(
        install.argv(data, "search", "grant"), env=run.env(data), capture_output=True, check=True
    )
    with Terminal(install.argv(data, "start", facts.name), run.env(data)) as term:
        term.wait_for(meeting_shown(facts), what="the meeting")
        for key in SESSION_KEYS:
            term.write(key)
            term.settle(0.3)
        term.settle(MEETING_SECONDS)
        if not live_journals(data):
            raise RuntimeError(f"{install.label}: no journal in {data / 'live'} during a session")
        path = group_file(data, facts.id)
        before = _identity(path)
        term.write(b"e")
        term.settle(0.8)  # the question: end the session and save it?
        with Watch([data / "live", path.parent], ENTRIES) as watch:
            began = term.write(b"y")
            while time.perf_counter() < began + 60:
                seen = len(watch.changes)
                if not live_journals(data) and path.exists() and _identity(path) != before:
                    # Saved by the last change the kernel reported (or before this wait).
                    return max(watch.changes[-1] if watch.changes else began, began) - began
                watch.wait(seen, timeout=0.5)
        raise RuntimeError(
            f"{install.label}: the session was not saved within 60 s:\n{term.text()}"
        )


def rewrite_once(run: Run, install: Install, dataset: Dataset) -> float:
    facts = run.cache.facts(dataset.groups[0])
    source = group_file(run.archive(install, dataset), facts.id)
    target = run.scratch / f"{install.slug}-rewrite" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    began = time.perf_counter()
    floors.rewrite(target)
    return time.perf_counter() - began


def end_session(run: Run, dataset: Dataset, goal: Goal) -> None:
    def sample(install: Install, side: str, _: int) -> float:
        if side == "floor":
            return rewrite_once(run, install, dataset)
        return end_once(run, install, dataset)

    sessions = dataset.groups[0].sessions
    what = (
        f"`e`, `y` in the meeting until the journal left live/ and the group's file was "
        f"replaced ({sessions} sessions)"
    )
    row = Row("end_session", f"{sessions} sessions", "", what, goal=goal)
    row.floor_what = "one rewrite of the group's file (read, parse, dump, atomic write)"
    run.add_pairs(run.pairs(run.size.pairs, sample), row)
