"""Persisting one facilitator action, with no history and with the archive."""

from __future__ import annotations

import time

from ..core import events as ev
from ..core.clock import FakeClock
from ..store.history import HistoryStore
from ..store.live import LiveSession
from .fixtures import Folders, clear_live
from .stats import spread

BLOCK = 50


def actions(count: int) -> list[ev.Action]:
    """What a facilitator does most: notes, pauses, a minute more or less."""
    cycle: list[ev.Action] = []
    for number in range(count):
        step = number % 4
        if step == 0:
            cycle.append(ev.NoteAdded(note_id=f"bench-{number}", text=f"note {number} [b]x"))
        elif step in (1, 2):
            cycle.append(ev.TimerToggled())
        else:
            cycle.append(ev.TimeAdjusted(seconds=60.0 if number % 8 == 3 else -60.0))
    return cycle


def dispatch_times(folders: Folders, count: int) -> dict[str, object]:
    """``LiveSession.dispatch`` (engine, journal append, fdatasync) in a session of
    the same group, with no history, and with its own 500 sessions among the
    archive's 10,000 on disk; in alternating blocks, so noise hits both alike."""
    sessions: dict[str, LiveSession] = {}
    for name, folder in (("empty", folders.empty), ("archive", folders.archive)):
        clear_live(folder)
        store = HistoryStore(folder)
        group = store.find_group(folders.big_group)
        sessions[name] = LiveSession.start(store, group, FakeClock())
    times: dict[str, list[float]] = {"empty": [], "archive": []}
    todo = actions(count)
    try:
        for offset in range(0, count, BLOCK):
            for name, live in sessions.items():
                clock = live.clock
                assert isinstance(clock, FakeClock)
                for action in todo[offset : offset + BLOCK]:
                    clock.advance(1)
                    began = time.perf_counter()
                    live.dispatch(action)
                    times[name].append(time.perf_counter() - began)
    finally:
        for live in sessions.values():
            live.suspend()
        clear_live(folders.empty)
        clear_live(folders.archive)
    empty, archive = spread(times["empty"]), spread(times["archive"])
    return {
        "what": "LiveSession.dispatch: engine, one journal line, fdatasync",
        "empty": empty,
        "archive": archive,
        "ratio_p50": round(archive["p50_ms"] / empty["p50_ms"], 3),
        "ratio_p99": round(archive["p99_ms"] / empty["p99_ms"], 3),
        "goal_p99_ms": 5.0,
        "goal_ratio": 1.5,
        "met": archive["p99_ms"] < 5.0
        and empty["p99_ms"] < 5.0
        and archive["p99_ms"] / empty["p99_ms"] < 1.5,
    }
