"""The history and its shared folder kept in step: share, join, publish, take in.

:class:`~peersession.store.history.HistoryStore` calls in here, behind every
command and the app:

* when a shared group is first read (:func:`take_in`): what is pending here
  is published first, then what the others wrote is taken in and the merged
  records written into this machine's history;
* after every committed write to a shared group (:func:`note_change`): the
  records it touched are kept as pending, then published as changes
  (:mod:`.records`). A publish that fails (the folder gone, the disk full)
  loses nothing: the change is in the history, the record stays pending, one
  line says so, and the next pass publishes it.

A record pending here is never overwritten by a take-in: this machine's
change reaches the merge first, then comes back merged.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...core.changes import BadChange, Change, remove
from ...core.convergence import State
from ...core.hlc import Stamp
from ...core.safe_text import neutralise
from ...errors import UserError
from . import compaction, exchange, live_share
from .folder import Finding, NotShared, SharedFolder
from .local import LocalShare
from .notices import report
from .records import GROUP_FILE_TABLES, changes_for, group_record

if TYPE_CHECKING:
    from ..history import HistoryStore

RecordKey = tuple[str, str]
#: A stamp only to check a removal's shape before it is kept.
_PROBE = Stamp(0, 0, "0" * 32)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass
class SyncResult:
    """What one pass did, for ``sync``'s line and ``group show``."""

    published: int = 0
    taken_in: int = 0
    files_read: int = 0
    records_written: int = 0
    findings: list[Finding] = field(default_factory=list)
    failed: str | None = None

    def line(self) -> str:
        if self.failed:
            return self.failed
        parts = [
            f"published {self.published} change(s)",
            f"took in {self.taken_in} change(s) from {self.files_read} file(s)",
            f"{self.records_written} record(s) updated here",
        ]
        if self.findings:
            parts.append(f"{len(self.findings)} file(s) not taken in (`peersession doctor`)")
        return "; ".join(parts)


def sync_now(store: HistoryStore, group_id: str) -> SyncResult:
    """``peersession sync``: publish what is pending, then take in. (Only what is
    pending: a history put back from an old backup must not tell the group its
    old values as new ones.)"""
    with store.syncing(), store.locked():
        try:
            published = publish_pending(store, group_id, strict=True)
            result = take_in(store, group_id, strict=True)
            local = LocalShare(store.root, group_id)
            _compact(local, local.state())  # finishes one a crash cut short
        except UserError as error:
            return SyncResult(failed=str(error))
    result.published += published
    return result


# --- publishing ----------------------------------------------------------------------------


def note_written(
    store: HistoryStore,
    group_id: str,
    tables: dict[str, dict[str, Any]],
    changed: set[str] | None,
    group_too: bool,
) -> None:
    """After a group's file was committed: the records ``changed`` names (every
    record when None), found in the ``tables`` just written, are published."""
    keys: set[RecordKey] | None = None
    if changed is not None:
        keys = {
            (kind, doc["id"])
            for kind, table in GROUP_FILE_TABLES.items()
            for doc in tables.get(table, {}).values()
            if doc.get("id") in changed
        }
        if group_too:
            keys.add(("group", group_id))
    note_change(store, group_id, keys)


def note_change(store: HistoryStore, group_id: str, keys: set[RecordKey] | None) -> None:
    """After a committed local write: ``keys`` (None: every record) are pending,
    then published. Never raises for the folder: the change is already saved."""
    local = LocalShare(store.root, group_id)
    try:
        before = local.pending()
        local.save_pending(None if before is None or keys is None else before | keys)
    except UserError as error:
        report(f"{error}; run `peersession sync {group_id}` to publish this change")
        return
    publish_pending(store, group_id)


def note_removal(store: HistoryStore, group_id: str, kind: str, record_id: str, item: str) -> None:
    """A correction removed ``item`` (the record's id: the whole record; an id of
    something in it; a review's :func:`~...core.changes.element_key`) from this
    history: the removal is kept, then published as a tombstone, so the text is
    gone from every machine's history too. Call it after the history's write."""
    if not LocalShare(store.root, group_id).shared:
        return
    remove(kind, record_id, item, _PROBE)  # refused here, in one line, if it is not a removal
    local = LocalShare(store.root, group_id)
    try:
        kept = local.removals()
        if (kind, record_id, item) not in kept:
            local.save_removals([*kept, (kind, record_id, item)])
    except UserError as error:
        report(f"{error}; the removal is not published")
        return
    publish_pending(store, group_id)


def publish_pending(store: HistoryStore, group_id: str, *, strict: bool = False) -> int:
    """Publish the pending records' changes; how many. A failure is one line
    (``strict``: raised) and the records stay pending for the next pass."""
    local = LocalShare(store.root, group_id)
    if not store.layout.journal_file(group_id).exists():
        live_share.remove_finished(store.root, group_id)  # no member follows it any more
    try:
        keys = local.pending()
        removals = local.removals()
        if keys is not None and not keys and not removals:
            return 0
        state = local.state()
        if state is None:
            # Without the merge state every record would look new: take the
            # folder in first (what is pending here is not written over).
            _pass(store, group_id, local, keys, SyncResult())
            state = local.state() or State()
        changes = _changes(store, group_id, local, state, keys)
        if removals:
            clock = exchange.clock_for(local, wall_ms, state)
            changes += [remove(kind, rid, item, clock.now()) for kind, rid, item in removals]
        _check_folder(local)
        exchange.publish(local, changes, state)
        local.save_pending(set())
        local.save_removals([])
        if removals:
            _compact(local, state)
        if changes:
            _note_synced(local, changes, synced=False)
        return len(changes)
    except (UserError, OSError) as error:
        why = _why(error)
        line = f"{why}; the change is saved here and is published next time"
        if strict:
            raise UserError(line) from None
        report(line, about=why)
        return 0


def _changes(
    store: HistoryStore,
    group_id: str,
    local: LocalShare,
    state: State,
    keys: set[RecordKey] | None,
) -> list[Change]:
    clock = exchange.clock_for(local, wall_ms, state)
    docs = _local_records(store, group_id)
    wanted = sorted(docs) if keys is None else sorted(keys & docs.keys())
    out: list[Change] = []
    for kind, record_id in wanted:
        try:
            out += changes_for(kind, docs[kind, record_id], state.record(kind, record_id), clock)
        except BadChange as error:
            report(f"{kind} {record_id}: not shared ({error})")
    return out


def _local_records(store: HistoryStore, group_id: str) -> dict[RecordKey, dict[str, Any]]:
    docs: dict[RecordKey, dict[str, Any]] = {}
    index_doc = store.group_doc(group_id)
    if index_doc is not None:
        docs["group", group_id] = group_record(index_doc)
    tables = store.group_tables(group_id)
    for kind, table in GROUP_FILE_TABLES.items():
        for doc in tables.get(table, {}).values():
            if isinstance(doc.get("id"), str):
                docs[kind, doc["id"]] = doc
    return docs


def _check_folder(local: LocalShare) -> None:
    """Refuse to publish into a folder that is not there (a drive not mounted):
    making it again would hide the real one."""
    folder = local.link().folder
    if not folder.is_dir() or SharedFolder(folder, local.key()).marker_format() is None:
        raise NotShared(f"{folder}: the shared folder is not there")


def _compact(local: LocalShare, state: State | None) -> None:
    """Rewrite this machine's segments without removed text, if a removal is new
    (:mod:`.compaction`); a failure is one line, and the next pass tries again."""
    if state is None:
        return
    try:
        compaction.compact_own(local, state)
    except (UserError, OSError) as error:
        why = _why(error)
        report(
            f"{why}; removed text stays in this machine's older files there until the next pass",
            about=why,
        )


def _why(error: BaseException) -> str:
    if isinstance(error, UserError):
        return str(error)
    return f"the shared folder cannot be written ({getattr(error, 'strerror', None) or error})"


# --- taking in -------------------------------------------------------------------------------


def take_in(store: HistoryStore, group_id: str, *, strict: bool = False) -> SyncResult:
    """Publish what is pending, take in what the others wrote, and write the merged
    records into this history. A failure is one line (``strict``: raised)."""
    local = LocalShare(store.root, group_id)
    result = SyncResult()
    with store.locked():
        try:
            _check_folder(local)
            pending = local.pending()
            if pending is None or pending:
                result.published = publish_pending(store, group_id, strict=strict)
            passed = _pass(store, group_id, local, local.pending(), result)
            _compact(local, passed.state)
        except (UserError, OSError) as error:
            why = _why(error)
            line = f"{why}; nothing taken in (changes made here are published next time)"
            if strict:
                raise UserError(line) from None
            report(line, about=why)
            result.failed = line
            return result
        result.taken_in = len(passed.intake.changes)
        result.files_read = len(passed.intake.read)
        result.findings = passed.intake.findings
        _note_synced(local, passed.intake.changes)
    return result


def _pass(
    store: HistoryStore,
    group_id: str,
    local: LocalShare,
    pending: set[RecordKey] | None,
    result: SyncResult,
) -> exchange.Pass:
    """One pass of the exchange whose merged records are written into the history
    before the merge state is kept (records pending here are left as they are)."""
    skip = set(_local_records(store, group_id)) if pending is None else pending

    def apply(state: State) -> None:
        result.records_written += _write_back(store, group_id, state, skip)

    return exchange.take_in(local, apply)


def _note_synced(local: LocalShare, changes: list[Change], *, synced: bool = True) -> None:
    """Count ``changes`` by the machine that made them; ``synced``: a pass just
    ended, and its time is the file's modification time (a pass with nothing
    new only touches the file: no write, no fsync, on every open)."""
    # Only what `group show` says: a failed write is made good by the next pass.
    with contextlib.suppress(UserError, OSError):
        if not changes and local.synced_file.is_file():
            os.utime(local.synced_file)
            return
        info = local.synced()
        machines = info.get("machines")
        counts: dict[str, int] = machines if isinstance(machines, dict) else {}
        for change in changes:
            counts[change.machine] = int(counts.get(change.machine, 0)) + 1
        before = local.synced_file.stat().st_mtime if local.synced_file.is_file() else None
        local.save_synced({"machines": counts})
        if not synced and before is not None:
            os.utime(local.synced_file, (before, before))  # a publish is not a pass


def _write_back(store: HistoryStore, group_id: str, state: State, skip: set[RecordKey]) -> int:
    """Write the records the pass changed into this history (not those pending
    here); how many. A record that does not fit this peersession's shapes is
    left out, in one line. The group's file is read once, by the write itself,
    which replaces only the records that differ (:func:`..group_file.put_records`)."""
    removed = state.removed()
    group_doc: dict[str, Any] | None = None
    puts: dict[str, list[dict[str, Any]]] = {}
    drops: dict[str, set[str]] = {}
    for kind, record_id in sorted(state.touched):
        if (kind, record_id) in skip:
            continue
        merged = state.record(kind, record_id)
        if kind == "group":
            index_doc = store.group_doc(group_id)
            fresh = index_doc is None or group_record(index_doc) != merged
            if record_id == group_id and merged is not None and fresh:
                group_doc = merged
            continue
        table = GROUP_FILE_TABLES.get(kind)
        if table is None:
            continue
        if merged is None:
            if record_id in removed.get((kind, record_id), ()):
                drops.setdefault(table, set()).add(record_id)
            continue
        if merged.get("group_id", group_id) != group_id:
            continue  # another group's record has no place in this one's file
        if kind == "commitment" and isinstance(merged.get("reviews"), list):
            # Kept in date order here, as every review is (store/group_file.py).
            merged["reviews"] = sorted(merged["reviews"], key=_review_time)
        puts.setdefault(table, []).append(merged)
    puts = _fitting(puts, "group")
    if group_doc is not None and not _fitting({"groups": [group_doc | {"summary": {}}]}, "index"):
        group_doc = None
    if not (puts or drops or group_doc is not None):
        return 0
    return store.apply_shared(group_id, group_doc, puts, drops)


def _review_time(review: Any) -> str:
    return str(review.get("at", "")) if isinstance(review, dict) else ""


def _fitting(
    puts: dict[str, list[dict[str, Any]]], file_kind: str
) -> dict[str, list[dict[str, Any]]]:
    """The records that have this peersession's stored shapes; one line for each other."""
    if not puts:
        return puts
    from ..shape_check import find_misshapen

    tables = {name: {str(n): doc for n, doc in enumerate(docs)} for name, docs in puts.items()}
    bad = find_misshapen(tables, file_kind)
    for name, numbers in bad.items():
        for number in numbers:
            record_id = tables[name][number].get("id")
            report(
                f"{name} record {neutralise(str(record_id))!r} from the shared folder does not "
                "fit this peersession; not taken in (update peersession?)"
            )
    return {
        name: [doc for n, doc in enumerate(docs) if str(n) not in bad.get(name, [])]
        for name, docs in puts.items()
        if [doc for n, doc in enumerate(docs) if str(n) not in bad.get(name, [])]
    }
