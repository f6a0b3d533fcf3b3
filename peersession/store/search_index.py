"""The search index: every searchable text of every group, in SQLite FTS5.

Searching ten thousand sessions by reading every group file takes seconds;
this index answers in milliseconds. It is derived data and never the source
of truth: each group's rows are tagged with the stamp (inode, size, mtime) of
the group file they were read from, and a search first brings every group
whose file no longer has that stamp up to date, so an index that is missing,
stale (a file changed by an older version, a repair, a copy) or damaged is
rebuilt rather than believed. Saving a session, a check-in or a review
updates the rows of the records it changed, and an import or a repair
re-reads the whole group, from the parse that was just written (no extra
read). Nothing here is ever read by an export.

Matching: texts are stored folded (:func:`~peersession.core.search.fold`, the
same folding the history search has always used) in a trigram FTS5 table, so
a word is found anywhere inside a word, as a substring. The index hands back
the texts holding every word of the query, a superset of the texts holding
the whole query; the caller ranks them with the same fuzzy matcher as ever.
Where SQLite lacks FTS5 or its trigram tokenizer, :func:`open_index` says so
(``None``) and callers scan the files, as before.

The file is ``search.sqlite3`` in the data folder, 0600 like every data file.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Collection, Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.search import SearchRow, fold, moments_of, query_words, search_rows
from ..paths import DataLayout
from .atomic import FILE_MODE
from .storage import Tables, file_stamp

if TYPE_CHECKING:
    # The store calls into this module: it is named here for mypy only.
    from .history import HistoryStore


#: Bumped when the layout of the index changes: an older index is rebuilt.
INDEX_VERSION = "1"
INDEX_NAME = "search.sqlite3"
#: FTS5's trigram tokenizer indexes runs of three characters; shorter words are
#: looked for by ``instr`` over the candidates (or over every text).
TRIGRAM = 3

Stamp = tuple[int, int, int]

_SCHEMA = """
CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE stamps (group_id TEXT PRIMARY KEY, stamp TEXT NOT NULL);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    group_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    folded TEXT NOT NULL,
    member_id TEXT,
    at TEXT NOT NULL,
    session_id TEXT,
    private INTEGER NOT NULL,
    target_id TEXT NOT NULL
);
CREATE INDEX items_by_record ON items (group_id, record_id);
CREATE VIRTUAL TABLE texts USING fts5 (
    folded, content='items', content_rowid='id', tokenize='trigram case_sensitive 1'
);
"""

_COLUMNS = "record_id, kind, label, text, group_id, member_id, at, session_id, private, target_id"


#: SQLite's result codes that mean "not now" (permission, busy, locked, read-only,
#: I/O, full, cannot open): the index is left alone. Any other error means it is
#: damaged (or not ours), and derived data is simply rebuilt.
_NOT_NOW = {3, 5, 6, 8, 10, 13, 14}


def damaged(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the index file is damaged rather than busy or unwritable."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) not in _NOT_NOW
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError
    )


def index_file(layout: DataLayout) -> Path:
    return layout.root / INDEX_NAME


@functools.cache
def fts5_available() -> bool:
    """Whether this Python's SQLite has FTS5 with the trigram tokenizer (3.34+)."""
    try:
        with closing(sqlite3.connect(":memory:")) as db:
            db.execute("CREATE VIRTUAL TABLE t USING fts5 (x, tokenize='trigram')")
    except sqlite3.Error:
        return False
    return True


def _storable(text: str) -> str:
    """A text SQLite can store: a lone surrogate (only a hand-edited file can hold
    one) cannot be written as UTF-8 and becomes ``?``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _matchable(text: str) -> str:
    """A folded text or word as matched: SQLite's ``instr`` and tokenizer stop at
    NUL, so NUL becomes U+FFFD on both sides (a few extra candidates, which the
    ranking drops)."""
    return _storable(text).replace("\0", "\N{REPLACEMENT CHARACTER}")


def _stamp_text(stamp: Stamp | None) -> str | None:
    return json.dumps(list(stamp)) if stamp is not None else None


class SearchIndex:
    """An open index; use :func:`open_index`."""

    def __init__(self, db: sqlite3.Connection, layout: DataLayout) -> None:
        self.db = db
        self.layout = layout

    def close(self) -> None:
        self.db.close()

    # -- keeping it current ------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (the connection is in autocommit mode otherwise)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()

    def stamps(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT group_id, stamp FROM stamps").fetchall())

    def bring_up_to_date(self, store: HistoryStore, group_ids: Collection[str]) -> int:
        """Re-read every group whose file changed since it was indexed, and drop
        groups that no longer exist; the number of groups re-read."""
        known = self.stamps()
        for gone in set(known) - set(group_ids):
            with self.transaction():
                self._drop(gone)
        redone = 0
        for group_id in group_ids:
            path = store.layout.group_history_file(group_id)
            # Stamped before reading: if the file changes while it is read, the
            # stamp is already out of date and the next search reads it again.
            stamp = _stamp_text(file_stamp(path))
            if stamp is not None and known.get(group_id) == stamp:
                continue
            tables = store.group_tables(group_id)
            with self.transaction():
                self._replace_group(group_id, tables, None, stamp)
            redone += 1
        return redone

    def _drop(self, group_id: str) -> None:
        self.db.execute(
            "INSERT INTO texts (texts, rowid, folded) "
            "SELECT 'delete', id, folded FROM items WHERE group_id = ?",
            (group_id,),
        )
        self.db.execute("DELETE FROM items WHERE group_id = ?", (group_id,))
        self.db.execute("DELETE FROM stamps WHERE group_id = ?", (group_id,))

    def _drop_records(self, group_id: str, record_ids: Collection[str]) -> None:
        for record_id in record_ids:
            where = (group_id, record_id)
            self.db.execute(
                "INSERT INTO texts (texts, rowid, folded) SELECT 'delete', id, folded "
                "FROM items WHERE group_id = ? AND record_id = ?",
                where,
            )
            self.db.execute("DELETE FROM items WHERE group_id = ? AND record_id = ?", where)

    def _replace_group(
        self, group_id: str, tables: Tables, changed: Collection[str] | None, stamp: str | None
    ) -> None:
        """The rows of ``changed`` records (all of the group's when ``None``), from
        ``tables``, the group file as parsed; then its stamp (none: stale)."""
        sessions = list(tables.get("sessions", {}).values())
        checkins = list(tables.get("checkins", {}).values())
        commitments = list(tables.get("commitments", {}).values())
        moments = moments_of(sessions, checkins)
        if changed is None:
            self._drop(group_id)
        else:
            self._drop_records(group_id, changed)
            wanted = set(changed)
            sessions = [d for d in sessions if d.get("id") in wanted]
            checkins = [d for d in checkins if d.get("id") in wanted]
            commitments = [d for d in commitments if d.get("id") in wanted]
        rows = search_rows(group_id, sessions, commitments, checkins, moments)
        self._insert(rows)
        if stamp is None:
            self.db.execute("DELETE FROM stamps WHERE group_id = ?", (group_id,))
        else:
            self.db.execute(
                "INSERT OR REPLACE INTO stamps (group_id, stamp) VALUES (?, ?)", (group_id, stamp)
            )

    def _insert(self, rows: list[SearchRow]) -> None:
        if not rows:
            return
        (last,) = self.db.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()
        self.db.executemany(
            "INSERT INTO items (group_id, record_id, kind, label, text, folded, member_id, at, "
            "session_id, private, target_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    r.group_id,
                    r.record_id,
                    r.kind,
                    r.label,
                    _storable(r.text),
                    _matchable(fold(r.text)),
                    r.member_id,
                    r.at,
                    r.session_id,
                    int(r.private),
                    r.target_id,
                )
                for r in rows
            ),
        )
        # The new rows have the highest ids: index them in one statement.
        self.db.execute(
            "INSERT INTO texts (rowid, folded) SELECT id, folded FROM items WHERE id > ?", (last,)
        )

    # -- answering -----------------------------------------------------------------

    def candidates(
        self, query: str, group_ids: Collection[str] | None = None
    ) -> Iterator[SearchRow]:
        """Every indexed text holding every word of ``query`` (as folded
        substrings), in the given groups; with no words, every text, newest first."""
        for record_id, kind, label, text, group, member, at, session, private, target in self.rows(
            query, group_ids
        ):
            yield SearchRow(
                record_id, kind, label, text, group, member, at, session, bool(private), target
            )

    def rows(self, query: str, group_ids: Collection[str] | None = None) -> sqlite3.Cursor:
        """What :meth:`candidates` gives, as plain tuples of :class:`SearchRow`'s fields
        (for a caller that builds its own objects from ten thousand of them)."""
        words = [_matchable(w) for w in query_words(query)]
        long = [w for w in words if len(w) >= TRIGRAM]
        short = [w for w in words if len(w) < TRIGRAM]
        clauses: list[str] = []
        params: list[Any] = []
        if long:
            phrase = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
            clauses.append("id IN (SELECT rowid FROM texts WHERE texts MATCH ?)")
            params.append(phrase)
        for word in short:
            clauses.append("instr(folded, ?) > 0")
            params.append(word)
        if group_ids is not None:
            ids = list(group_ids)
            clauses.append(f"group_id IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        order = "" if words else "ORDER BY at DESC"
        return self.db.execute(f"SELECT {_COLUMNS} FROM items {where} {order}", params)


def _connect(path: Path) -> sqlite3.Connection:
    if not path.exists():
        # Created private before SQLite opens it; its journal takes the same mode.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        # Derived data: a commit need not reach the disk before the save returns
        # (a lost update leaves a stamp that no longer matches, so the group is
        # re-read); WAL with NORMAL keeps the file whole through a power cut.
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        exists = db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'about'"
        ).fetchone()
        if exists is None:
            with SearchIndex(db, DataLayout(path.parent)).transaction():
                if not db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'about'"
                ).fetchone():
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute("INSERT INTO about VALUES ('version', ?)", (INDEX_VERSION,))
        version = db.execute("SELECT value FROM about WHERE key = 'version'").fetchone()
        if version is None or version[0] != INDEX_VERSION:
            raise sqlite3.DatabaseError(f"search index version {version!r}")
        # A damaged file often opens fine and fails on the first real query.
        db.execute("SELECT count(*) FROM stamps").fetchone()
        db.execute("SELECT rowid FROM texts WHERE texts MATCH 'xyz' LIMIT 1").fetchall()
    except BaseException:
        db.close()
        raise
    return db


def discard(layout: DataLayout) -> None:
    """Remove the index (and SQLite's write-ahead log beside it): it is rebuilt on use."""
    path = index_file(layout)
    for leftover in (path, *(path.with_name(path.name + tail) for tail in ("-wal", "-shm"))):
        with suppress(FileNotFoundError):
            leftover.unlink()


def open_index(layout: DataLayout, *, create: bool = True) -> SearchIndex | None:
    """The data folder's index, created if missing (unless ``create`` is false) and
    recreated empty if damaged; ``None`` where FTS5 is not available or the
    folder cannot hold it (read-only): callers then scan the files."""
    if not fts5_available():
        return None
    path = index_file(layout)
    if not create and not path.exists():
        return None
    try:
        return SearchIndex(_connect(path), layout)
    except sqlite3.Error as error:
        if not damaged(error):
            return None  # busy or read-only: the caller scans this time
        # Damaged, or from another version: derived data, so start afresh.
    except OSError:
        return None
    try:
        discard(layout)
        return SearchIndex(_connect(path), layout)
    except (sqlite3.Error, OSError):
        return None


def note_group_saved(
    layout: DataLayout,
    group_id: str,
    tables: Tables,
    changed: Collection[str] | None,
    stamp_before: Stamp | None,
    stamp_after: Stamp | None,
) -> None:
    """After a group's file was written (under the write lock): update its rows.

    Only an index that exists and was current for the file before this write
    is updated in place; otherwise the group is left stale (its stamp no
    longer matches) and the next search re-reads it. A failure here never
    fails the save: the saved file is the truth, and a stamp that no longer
    matches is how the index learns it missed something.
    """
    index = open_index(layout, create=False)
    if index is None:
        return
    try:
        with index.transaction():
            row = index.db.execute(
                "SELECT stamp FROM stamps WHERE group_id = ?", (group_id,)
            ).fetchone()
            current = row is not None and row[0] == _stamp_text(stamp_before)
            if changed is not None and not current:
                index.db.execute("DELETE FROM stamps WHERE group_id = ?", (group_id,))
            else:
                index._replace_group(group_id, tables, changed, _stamp_text(stamp_after))
    except sqlite3.Error as error:
        index.close()
        if damaged(error):
            discard(layout)  # rebuilt by the next search
        # Busy or read-only: the old stamp marks the group stale.
        return
    index.close()


def repair(store: HistoryStore) -> int:
    """``doctor --repair``: an existing index made whole (rebuilt if damaged) and
    current; the number of groups re-read. No index is left as none: the first
    search builds it."""
    index = open_index(store.layout, create=False)
    if index is None:
        return 0
    try:
        return index.bring_up_to_date(store, [g.id for g in store.groups()])
    finally:
        index.close()


def rebuild(store: HistoryStore) -> int:
    """Build the index afresh from every group file; the number of groups
    indexed, or -1 where there can be no index."""
    discard(store.layout)
    index = open_index(store.layout)
    if index is None:
        return -1
    try:
        return index.bring_up_to_date(store, [g.id for g in store.groups()])
    finally:
        index.close()
