"""Corrections of saved items, written into a group's file.

The rules are :mod:`peersession.core.corrections`; this module applies one to
the history, under the data folder's write lock, in one atomic write of the
group's file (the store's normal write path: a kill leaves the file as it was
before or as it is after, never half), and keeps removals removed:

* a removal takes the item out of every record that held it and adds its
  tombstone to the file's ``removals`` table (id, kind, where, when; no text);
* every later write of the group's file (a journal committed again, an
  imported bundle, a check-in) goes through :func:`enforce_removals`, so
  nothing brings a removed item back;
* the search index is updated by the same write; after a removal the index
  file itself is discarded (it is derived data, rebuilt by the next search),
  because SQLite keeps deleted text in its free pages and write-ahead log.

A group whose session is live (its journal open) is not corrected: the
session holds copies of its commitments and writes them back when it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB

from ..core import corrections as rules
from ..core import saved_items as items
from ..core.changes import Change
from ..core.corrections import Correction
from ..core.hlc import Stamp
from ..core.saved_items import CorrectionError, GroupRecords, Located, NoSuchItem
from ..errors import UserError
from .group_file import REMOVALS
from .storage import Tables, storage_of

if TYPE_CHECKING:
    # The store's write path calls :func:`enforce_removals`: a type only here.
    from .history import HistoryStore


@dataclass(frozen=True)
class Corrected:
    """What a correction did."""

    located: Located
    correction: Correction
    #: Each record it changed, as it is now (None: removed).
    records: dict[tuple[items.RecordKind, str], dict[str, Any] | None]
    #: The group's records just before it, and its time: what its changes are made from.
    before: GroupRecords
    at: str

    def changes(self, stamp: Callable[[], Stamp]) -> list[Change]:
        """The correction as changes of the convergent merge, stamped by a shared
        group's clock: what this machine publishes for the others."""
        return rules.as_changes(self.before, self.located, self.correction, self.at, stamp)


def records_of(tables: Tables) -> GroupRecords:
    """A group file's records, as the rules read them."""
    return GroupRecords(
        sessions=list(tables.get("sessions", {}).values()),
        commitments=list(tables.get("commitments", {}).values()),
        checkins=list(tables.get("checkins", {}).values()),
    )


def refuse_live(store: HistoryStore, group_id: str) -> None:
    """One line if the group's session is running (or waiting to be resumed)."""
    if store.layout.journal_file(group_id).exists():
        raise UserError(
            "a session of this group is running or waiting to be resumed: "
            "correct saved items once it has ended"
        )


def prepare(store: HistoryStore, group_id: str, ref: str, correction: Correction) -> Located:
    """Find the item ``ref`` names and check the correction, without writing
    (for a question before the change): the item, or one line refusing it."""
    refuse_live(store, group_id)
    tables = store.group_tables(group_id)
    records = records_of(tables)
    try:
        located = items.find_item(records, ref)
        rules.checked(records, located, correction)
    except NoSuchItem as error:
        removed = sorted(i for i in removed_ids(tables) if i.startswith(ref.strip() or "\0"))
        if len(removed) == 1:
            raise UserError(f"item {removed[0]} was removed: it cannot be corrected") from None
        raise UserError(str(error)) from None
    except CorrectionError as error:
        raise UserError(str(error)) from None
    return located


def correct(
    store: HistoryStore, group_id: str, item_id: str, correction: Correction, at: str
) -> Corrected:
    """Make the correction in one atomic write, checked again against the file
    as it is under the lock (another terminal may have changed it meanwhile)."""
    done: list[Corrected] = []

    def change(db: TinyDB) -> set[str]:
        storage = storage_of(db)
        tables = storage.read() or {}
        records = records_of(tables)
        try:
            located = items.find_item(records, item_id)
            if located.item_id != item_id:
                raise CorrectionError(f"no saved item with id {item_id!r} in this group")
            checked = rules.checked(records, located, correction)
        except CorrectionError as error:
            raise UserError(str(error)) from None
        changed = rules.apply_correction(records, located, checked, at)
        for (record, record_id), doc in changed.items():
            _replace(tables, items.TABLES[record], record_id, doc)
        if checked.remove:
            _append(tables, REMOVALS, rules.tombstone(located, at))
        storage.write(tables)
        done.append(Corrected(located, checked, changed, records, at))
        return {record_id for _, record_id in changed}

    from .search_file import discard

    with store.locked():
        refuse_live(store, group_id)
        if correction.remove:
            # Before the write too: killed between the two, the index (derived)
            # is rebuilt from the file, so the text is never left in it.
            discard(store.layout)
        store.change_records(group_id, change)
        if correction.remove:
            # A search may have rebuilt it meanwhile, from the file before.
            discard(store.layout)
    corrected = done[0]
    if correction.remove:
        # The edit's records are published by the history's write, like any other
        # change; a removal also goes out as tombstones, so it leaves every machine.
        from .shared import sync

        for removed in rules.removals_of(corrected.before, corrected.located):
            sync.note_removal(store, group_id, *removed)
    return corrected


def enforce_removals(db: TinyDB, written: set[str] | None = None) -> None:
    """Inside a transaction of a group's file: take out every item its
    ``removals`` table names from the records just written (``written``: their
    ids; ``None``: every record, for an import or a repair). Records not
    written were kept clean by the writes before, so a check-in or a session
    costs no walk of the whole history."""
    storage = storage_of(db)
    tables = storage.read() or {}
    removals = tables.get(REMOVALS)
    if not removals:
        return
    gone = {str(doc.get("id")) for doc in removals.values()}
    touched = False
    for record, table in items.TABLES.items():
        docs = tables.get(table, {})
        for key, doc in list(docs.items()):
            if written is not None and doc.get("id") not in written:
                continue
            if doc.get("id") in gone:
                del docs[key]
                touched = True
                continue
            kept = rules.without(record, doc, gone)
            if kept != doc:
                docs[key] = kept
                touched = True
    if touched:
        storage.write(tables)


def without_removed(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """A group file's records, by table, rebuilt from several copies (``doctor
    --repair``): whatever its ``removals`` name taken out of the others."""
    gone = {str(doc.get("id")) for doc in records.get(REMOVALS, [])}
    if not gone:
        return records
    scrubbed = rules.scrub_all(
        {record: records.get(table, []) for record, table in items.TABLES.items()}, gone
    )
    return records | {items.TABLES[record]: docs for record, docs in scrubbed.items()}


def removed_ids(tables: Tables) -> set[str]:
    """The ids a group file's tombstones name."""
    return {str(doc.get("id")) for doc in tables.get(REMOVALS, {}).values()}


def _replace(tables: Tables, table: str, record_id: str, doc: dict[str, Any] | None) -> None:
    docs = tables.setdefault(table, {})
    for key, existing in list(docs.items()):
        if existing.get("id") == record_id:
            if doc is None:
                del docs[key]
            else:
                docs[key] = doc
            return
    raise UserError(f"record {record_id} is no longer in the group's file")


def _append(tables: Tables, table: str, doc: dict[str, Any]) -> None:
    docs = tables.setdefault(table, {})
    number = max((int(key) for key in docs if key.isdigit()), default=0) + 1
    docs[str(number)] = doc
