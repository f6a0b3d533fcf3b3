"""Reading the history: opening one big group, and searching every group."""

from __future__ import annotations

import gc
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.fuzzy import FuzzyScorer
from ..store import search_index
from ..store.finder import find
from ..store.history import HistoryStore
from ..tui.screens.history_data import load_group_history
from ..tui.screens.history_rows import build_rows
from . import terminal
from .fixtures import TODAY, Folders
from .stats import median, milliseconds

QUERY = "grant"
READ_EVERY_BYTE = '''#!{python}
"""A fresh Python reading every byte of the archive's group files (the reference)."""
import sys
from pathlib import Path

print(sum(len(p.read_bytes()) for p in Path(sys.argv[1]).glob("groups/*.json")))
'''


def _median_of(runs: int, action: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return median(times)


def open_group(folders: Folders, runs: int) -> dict[str, object]:
    """What the history screen does when a group opens (read its file, work out its
    figures, build the rows), against ``json.loads`` of that file."""
    store = HistoryStore(folders.archive)
    path = store.layout.group_history_file(folders.big_group)
    sessions = len(store.sessions(folders.big_group))
    rows = len(build_rows(load_group_history(store, folders.big_group, TODAY), 30))
    # As in the app: ``cli.terminal.run_app`` freezes what the imports made before
    # the app runs, and with objects frozen the store leaves a parse to the young
    # collections (``core.gc_pause.to_oldest_generation``): measuring unfrozen
    # would time a cheaper path than the one people get.
    gc.freeze()
    try:
        real = _median_of(
            runs, lambda: build_rows(load_group_history(store, folders.big_group, TODAY), 30)
        )
    finally:
        gc.unfreeze()
    floor = _median_of(runs, lambda: json.loads(path.read_bytes()))
    ratio = real / floor
    return {
        "what": f"open a group of {sessions} sessions: history_data.load_group_history + "
        "history_rows.build_rows, against json.loads of its file",
        "sessions": sessions,
        "rows": rows,
        "median_ms": milliseconds(real),
        "floor_ms": milliseconds(floor),
        "ratio": round(ratio, 3),
        "goal": 2.0,
        "met": ratio <= 2.0,
        "runs": runs,
    }


def _read_every_byte(folder: Path) -> int:
    return sum(len(p.read_bytes()) for p in folder.glob("groups/*.json"))


def search_all(folders: Folders, runs: int, scratch: Path) -> dict[str, object]:
    """Search every group for a word: building the index from nothing (once), warm
    in this process, and in a fresh process through the ``peersession search``
    command; against reading every byte of the group files (in this process, and
    in a fresh Python started the same way)."""
    store = HistoryStore(folders.archive)
    sessions = sum(s.sessions for s in store.summaries().values())
    groups = len(store.groups())
    search_index.discard(store.layout)
    began = time.perf_counter()
    indexed = search_index.rebuild(store)
    build = time.perf_counter() - began
    score = FuzzyScorer(QUERY).score
    hits = len(find(store, QUERY, score))
    warm = _median_of(runs, lambda: find(store, QUERY, score))
    read = _median_of(runs, lambda: _read_every_byte(folders.archive))
    env = terminal.environment(folders.archive, scratch / "no-config.toml")
    command = [str(terminal.console_script()), "search", QUERY, "--limit", "200", "--json"]
    reader = terminal.write_script(scratch, "read-every-byte", READ_EVERY_BYTE)
    fresh, fresh_read = [], []
    for _ in range(runs):
        fresh.append(_spawned(command, env))
        fresh_read.append(_spawned([str(reader), str(folders.archive)], env))
    return {
        "what": f"search {sessions} sessions in {groups} groups for {QUERY!r}: the index, "
        "then the history screen's ranking",
        "sessions": sessions,
        "groups": groups,
        "hits": hits,
        "indexed_groups": indexed,
        "build_ms": milliseconds(build),
        "index_mb": round(search_index.index_file(store.layout).stat().st_size / 2**20, 1),
        "warm_ms": milliseconds(warm),
        "read_every_byte_ms": milliseconds(read),
        "warm_goal_ms": 100,
        "fresh_ms": milliseconds(median(fresh)),
        "fresh_read_every_byte_ms": milliseconds(median(fresh_read)),
        "fresh_goal_ms": 300,
        "met": warm <= 0.1 and median(fresh) <= 0.3,
        "runs": runs,
    }


def _spawned(command: list[str], env: dict[str, str]) -> float:
    began = time.monotonic()
    subprocess.run(command, env=env, capture_output=True, check=True, timeout=120)
    return time.monotonic() - began
