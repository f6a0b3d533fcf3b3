"""Ending a session: saving it to a group's history, against one rewrite of the file."""

from __future__ import annotations

import copy
import json
import tempfile
import time
from pathlib import Path

from ..core.ids import new_id
from ..demo import demo_history
from ..store import search_index
from ..store.atomic import atomic_write_bytes
from ..store.demo import seed_demo
from ..store.history import HistoryStore
from .fixtures import TODAY
from .stats import median, milliseconds


def _rewrite(path: Path) -> None:
    """The least any save into one JSON file costs: read, parse, serialise, write
    atomically (as the store writes)."""
    tables = json.loads(path.read_bytes())
    payload = json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(path, payload)


def end_session(sessions: int, runs: int) -> dict[str, object]:
    """``HistoryStore.commit_session`` into a group of ``sessions`` sessions (with
    its search index in place, kept current by the save), against one rewrite."""
    history = demo_history(today=TODAY, sessions=sessions, seed=sessions)
    extra = demo_history(today=TODAY, sessions=runs, seed=sessions + 1)
    with tempfile.TemporaryDirectory(prefix="peersession-bench-save-") as folder:
        store = HistoryStore(Path(folder))
        seed_demo(store, history)
        search_index.rebuild(store)
        store.sessions(history.group.id)  # the schema check, once per process
        path = store.layout.group_history_file(history.group.id)
        saves, rewrites = [], []
        for record in extra.records:
            record = copy.deepcopy(record)
            record.session["group_id"] = history.group.id
            record.session["id"] = new_id()
            for commitment in record.commitments:
                commitment["id"] = new_id()
                commitment["group_id"] = history.group.id
            began = time.perf_counter()
            store.commit_session(record)
            saves.append(time.perf_counter() - began)
            began = time.perf_counter()
            _rewrite(path)
            rewrites.append(time.perf_counter() - began)
        size_mb = round(path.stat().st_size / 2**20, 1)
    ratio = median(saves) / median(rewrites)
    return {
        "what": f"commit_session into a group of {sessions} sessions ({size_mb} MB), "
        "against read + parse + serialise + atomic write of that file",
        "sessions": sessions,
        "median_ms": milliseconds(median(saves)),
        "rewrite_ms": milliseconds(median(rewrites)),
        "ratio": round(ratio, 3),
        "goal": 1.3,
        "met": ratio <= 1.3,
        "runs": runs,
    }
