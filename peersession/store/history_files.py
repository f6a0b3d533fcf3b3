"""The files of one data folder's history: each read a fresh, checked parse; each
change one atomic transaction under the folder's write lock.

:class:`HistoryFiles` is what :class:`~peersession.store.history.HistoryStore`
stands on: a file of an older schema is migrated once per process (a backup
kept), a corrupt or future one refused; reading never creates anything. The
index's group documents (a group's definition and summary) are written here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from ..errors import UserError
from ..paths import DataLayout
from . import schema
from .atomic import ensure_private_dir, reason, tighten_folder
from .history_docs import kept_from_newer
from .lock import WriteLock
from .schema import META_DOC_ID, META_TABLE, ensure_current, file_version, meta_doc
from .storage import Tables, load_tables, open_db, storage_of

INDEX_KIND = "index"
GROUP_KIND = "group"


class HistoryFiles:
    """The index and the group files of one data folder, read and written safely."""

    def __init__(
        self, data_dir: Path, *, create: bool = True, lock: WriteLock | None = None
    ) -> None:
        """``create``: a missing folder reads as one without groups and is made
        (0700) by the first write; reading never creates anything. Without it, a
        missing folder is refused."""
        self.layout = DataLayout(data_dir)
        if not create and not data_dir.is_dir():
            raise UserError(f"{data_dir}: no such data folder")
        #: Shared with a caller that already holds it (``doctor --repair``).
        self.lock = lock or WriteLock(self.layout.write_lock_file)
        self._lock_depth = 0
        self._tightened = False
        self._checked: set[Path] = set()
        self._check_file(self.layout.index_file, INDEX_KIND)

    @property
    def root(self) -> Path:
        return self.layout.root

    def _check_file(self, path: Path, kind: str) -> None:
        """Refuse corrupt or future files; migrate old ones (once per process).

        A current file is only read: a read-only data folder can still be
        browsed and exported. Only a migration takes the write lock.
        """
        if path not in self._checked:
            self._checked_tables(path, kind, load_tables(path))

    def _checked_tables(self, path: Path, kind: str, tables: Tables | None) -> Tables | None:
        """``tables`` (just parsed from ``path``), or the file's tables once migrated."""
        if path in self._checked or tables is None:
            return tables
        if file_version(path, tables, kind) != schema.SCHEMA_VERSION:
            with self.locked():
                ensure_current(path, kind, self.layout.backups_dir)
            tables = load_tables(path)
        self._checked.add(path)
        return tables

    def _read(self, path: Path, kind: str) -> Tables:
        """One fresh parse of a data file, checked; an absent file has no tables."""
        return self._checked_tables(path, kind, load_tables(path)) or {}

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the data folder's write lock (re-entrant).

        Every read parses the file as it is on disk, so what a change reads
        inside the lock is what it changes.
        """
        if not self._lock_depth:
            self._ensure_folder()
        with self.lock:
            if not self._lock_depth and not self._tightened:
                # Before the first write: confidential notes go in here.
                self._tightened = tighten_folder(self.root)
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1

    def _ensure_folder(self) -> None:
        """Make the data folder (0700) for a first write; reads never do."""
        try:
            ensure_private_dir(self.root)
        except OSError as error:
            raise UserError(
                f"{self.root}: cannot create the data folder ({reason(error)})"
            ) from None

    def _db(self, path: Path, kind: str) -> TinyDB:
        self._check_file(path, kind)
        return open_db(path)

    def _index(self) -> TinyDB:
        return self._db(self.layout.index_file, INDEX_KIND)

    def _group_db(self, group_id: str) -> TinyDB:
        return self._db(self.layout.group_history_file(group_id), GROUP_KIND)

    @contextmanager
    def _transaction(self, db: TinyDB, kind: str) -> Iterator[TinyDB]:
        """Lock, then collect every write into one atomic write of the file."""
        with self.locked(), storage_of(db).batch():
            meta = db.table(META_TABLE, cache_size=0)
            if not meta.contains(doc_id=int(META_DOC_ID)):
                meta.insert(Document(meta_doc(kind), doc_id=int(META_DOC_ID)))
            yield db

    @staticmethod
    def _docs(tables: Tables, name: str) -> list[Any]:
        """A table's documents, as parsed (no TinyDB wrapper, no copy)."""
        return list(tables.get(name, {}).values())

    def _index_docs(self) -> list[dict[str, Any]]:
        return self._docs(self._read(self.layout.index_file, INDEX_KIND), "groups")

    @staticmethod
    def _upsert(db: TinyDB, table: str, doc: dict[str, Any]) -> None:
        db.table(table, cache_size=0).upsert(doc, Query().id == doc["id"])

    # -- the index's group documents ----------------------------------------------

    def group_doc(self, group_id: str) -> dict[str, Any] | None:
        """A group's index document as stored (its definition and summary), or None."""
        for doc in self._index_docs():
            if doc.get("id") == group_id:
                return doc
        return None

    def _put_group_doc(self, doc: dict[str, Any], *, newer_kept: bool = True) -> None:
        """Write a group's document, keeping its summary and (``newer_kept``) the keys
        a newer peersession wrote into it (``history_docs.kept_from_newer``)."""
        db = self._index()
        with self._transaction(db, INDEX_KIND):
            table = db.table("groups", cache_size=0)
            found = table.get(Query().id == doc["id"])
            existing = dict(found) if isinstance(found, Document) else None
            if newer_kept:
                doc = kept_from_newer(existing, doc)
            doc["summary"] = existing.get("summary", {}) if existing else {}
            self._upsert(db, "groups", doc)

    def _write_summary(
        self,
        group_id: str,
        summary: dict[str, Any],
        next_meeting: str | None = None,
        redefine: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        """A group's summary (and ``next_meeting``) in one write of the index; with
        ``redefine``, the group's document changed by it in that same write."""
        db = self._index()
        with self._transaction(db, INDEX_KIND):
            table = db.table("groups", cache_size=0)
            existing = table.get(Query().id == group_id)
            if existing is None:
                return
            doc = dict(existing)
            doc["summary"] = summary
            if next_meeting:
                doc["next_meeting"] = next_meeting
            if redefine is not None:
                doc = kept_from_newer(dict(existing), redefine(doc))
            self._upsert(db, "groups", doc)
