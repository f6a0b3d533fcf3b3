"""Ending a session: saving it to a group's history, against one rewrite of the file."""

from __future__ import annotations

import copy
import json
import tempfile
import time
from pathlib import Path

from ..core.gc_pause import gc_paused
from ..core.ids import new_id
from ..core.record import SessionRecord
from ..demo import demo_history
from ..store import search_index
from ..store.atomic import atomic_write_bytes
from ..store.demo import seed_demo
from ..store.history import HistoryStore
from .fixtures import TODAY
from .stats import median, milliseconds


def _rewrite(path: Path) -> None:
    """The least any save into one JSON file costs: read, parse, serialise, write
    atomically (as the store writes), with the collector paused as the store
    pauses it (otherwise a collection falling in the parse makes the reference
    slower than the save it judges)."""
    with gc_paused():
        tables = json.loads(path.read_bytes())
        payload = json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        del tables
        atomic_write_bytes(path, payload)


def _in_group(record: SessionRecord, group_id: str, latest: list[str]) -> SessionRecord:
    """Another demo's session record as a new session of this group: fresh ids, and
    its reviews (and privacy changes) made of this group's latest commitments, as a
    real session's are (a review of a commitment the group does not have would be
    skipped, and the save would look cheaper than it is)."""
    record.session["group_id"] = group_id
    record.session["id"] = new_id()
    for commitment in record.commitments:
        commitment["id"] = new_id()
        commitment["group_id"] = group_id
    renamed = dict(zip(record.reviews, latest, strict=False))
    reviews = {renamed[old]: review for old, review in record.reviews.items() if old in renamed}
    privacy = {renamed[old]: private for old, private in record.privacy.items() if old in renamed}
    record.reviews.clear()
    record.reviews.update(reviews)
    record.privacy.clear()
    record.privacy.update(privacy)
    record.session["reviews"] = dict(reviews)
    return record


def end_session(sessions: int, runs: int) -> dict[str, object]:
    """``HistoryStore.commit_session`` into a group of ``sessions`` sessions (with
    its search index in place, kept current by the save), against one rewrite.

    As in the app, the session's start read the group's file (and checked its
    shapes) in the same process; the save is timed after that read. Measured
    too: a save into a file changed by another process since the session
    started (a check-in from another terminal), which checks every record again.
    """
    history = demo_history(today=TODAY, sessions=sessions, seed=sessions)
    extra = demo_history(today=TODAY, sessions=2 * runs, seed=sessions + 1)
    with tempfile.TemporaryDirectory(prefix="peersession-bench-save-") as folder:
        store = HistoryStore(Path(folder))
        seed_demo(store, history)
        search_index.rebuild(store)
        group_id = history.group.id
        path = store.layout.group_history_file(group_id)
        saves: list[float] = []
        changed: list[float] = []
        rewrites: list[float] = []
        # A session reviews the commitments made at the last meetings: the group's latest.
        latest = [c["id"] for r in history.records[-3:] for c in r.commitments]
        for number, record in enumerate(extra.records):
            record = _in_group(copy.deepcopy(record), group_id, latest)
            began = time.perf_counter()
            _rewrite(path)  # a version of the file this process has not read
            rewrites.append(time.perf_counter() - began)
            after_start = number % 2 == 0
            if after_start:
                store.group_documents(group_id)  # the session's start, hours before
            began = time.perf_counter()
            store.commit_session(record)
            (saves if after_start else changed).append(time.perf_counter() - began)
        size_mb = round(path.stat().st_size / 2**20, 1)
    ratio = median(saves) / median(rewrites)
    return {
        "what": f"commit_session into a group of {sessions} sessions ({size_mb} MB) after "
        "the session's start read it, against read + parse + serialise + atomic write of "
        "that file",
        "sessions": sessions,
        "median_ms": milliseconds(median(saves)),
        "changed_median_ms": milliseconds(median(changed)),
        "rewrite_ms": milliseconds(median(rewrites)),
        "ratio": round(ratio, 3),
        "changed_ratio": round(median(changed) / median(rewrites), 3),
        "goal": 1.3,
        "met": ratio <= 1.3,
        "runs": runs,
    }
