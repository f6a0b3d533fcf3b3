"""Reading the history: opening one big group, and searching every group."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..core.clock import FakeClock
from ..store.history import HistoryStore
from .fixtures import TODAY, Folders
from .stats import median, milliseconds

QUERY = "grant"


def _history_screen_rows() -> tuple[str, Callable[[HistoryStore, str], int]]:
    """What the history screen does when a group opens (read its file, work out its
    figures, build the rows), or a plain equivalent while that screen's modules
    are not there."""
    try:
        from ..tui.screens.history_data import load_group_history
        from ..tui.screens.history_rows import build_rows
    except ImportError:

        def plain(store: HistoryStore, group_id: str) -> int:
            sessions = store.sessions(group_id)
            store.commitments(group_id)
            rows = [
                f"{s['started_at'][:10]}  {len(s['turns'])} spoke  {len(s['asks'])} asks"
                for s in reversed(sessions)
            ]
            return len(rows)

        return "store.sessions + commitments + one text row per session", plain

    def screen(store: HistoryStore, group_id: str) -> int:
        return len(build_rows(load_group_history(store, group_id, TODAY), 30))

    return "tui.screens.history_data.load_group_history + history_rows.build_rows", screen


def open_group(folders: Folders, runs: int) -> dict[str, object]:
    """Cold: the parsed-file cache is emptied before each run."""
    method, open_ = _history_screen_rows()
    store = HistoryStore(folders.archive)
    sessions = len(store.sessions(folders.big_group))
    times = []
    rows = 0
    for _ in range(runs):
        began = time.perf_counter()
        rows = open_(store, folders.big_group)
        times.append(time.perf_counter() - began)
    return {
        "what": f"open a group of {sessions} sessions (cold read), {method}",
        "sessions": sessions,
        "rows": rows,
        "median_ms": milliseconds(median(times)),
        "runs": runs,
    }


def _search_method() -> tuple[str, Callable[[HistoryStore, list[str], str], int]]:
    try:
        from ..core.search import collect, search
        from ..tui.widgets.history_match import SafeMatcher
    except ImportError:

        def plain(store: HistoryStore, group_ids: list[str], query: str) -> int:
            wanted = query.casefold()
            hits = 0
            for group_id in group_ids:
                for session in store.sessions(group_id):
                    texts = [n["text"] for n in session["notes"]]
                    texts += [n["text"] for t in session["turns"] for n in t["notes"]]
                    texts += [a["text"] for a in session["asks"]]
                    texts += [w["text"] for w in session["wins"]]
                    hits += sum(wanted in t.casefold() for t in texts)
            return hits

        return "a plain casefold substring scan of every session's texts", plain

    def screen(store: HistoryStore, group_ids: list[str], query: str) -> int:
        items: list[Any] = []
        for group_id in group_ids:
            items += collect(
                group_id,
                store.sessions(group_id),
                store.commitments(group_id),
                store.checkins(group_id),
            )
        return len(search(items, query, SafeMatcher(query).score))

    return "core.search.collect + search with the history screen's SafeMatcher", screen


def search_all(folders: Folders, runs: int) -> dict[str, object]:
    """Every group's file read and searched (cold), as 'search all groups' does."""
    method, search = _search_method()
    store = HistoryStore(folders.archive)
    group_ids = [g.id for g in store.groups()]
    sessions = sum(s.sessions for s in store.summaries().values())
    times = []
    hits = 0
    for _ in range(runs):
        began = time.perf_counter()
        hits = search(store, group_ids, QUERY)
        times.append(time.perf_counter() - began)
    return {
        "what": f"search {sessions} sessions in {len(group_ids)} groups for {QUERY!r} "
        f"(cold), {method}",
        "sessions": sessions,
        "hits": hits,
        "median_ms": milliseconds(median(times)),
        "runs": runs,
    }


def fake_clock() -> FakeClock:
    return FakeClock()
