"""The search index's file: where it is, what it must hold, how it is opened.

The file is ``search.sqlite3`` in the data folder, 0600 like every data file.
It is opened only as a regular file of that folder: a symlink, a hard link or
anything else in its place (or in the place of SQLite's own files beside it)
is removed, never followed. Its schema must be exactly :data:`SCHEMA`: a
trigger, a view or a table of anyone else's means it is discarded and built
afresh (:func:`connect` raises a "damaged" error). Where SQLite lacks FTS5
or its trigram tokenizer, search refuses in one line.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import stat
from contextlib import closing, suppress
from pathlib import Path

from ..errors import UserError
from ..paths import DataLayout
from .atomic import FILE_MODE

#: Bumped when the layout of the index changes: an older index is rebuilt
#: (4: ``began``, when the item a text belongs to began, for ``--for NAME``).
INDEX_VERSION = "4"
#: SQLite's files beside the index: each is checked as the index is.
_COMPANIONS = ("-wal", "-shm", "-journal")
SCHEMA = """
CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE groups (group_id TEXT PRIMARY KEY, stamp TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE records (
    group_id TEXT NOT NULL, record_id TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (group_id, record_id)
) WITHOUT ROWID;
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    group_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    member_id TEXT,
    at TEXT NOT NULL,
    moment REAL NOT NULL,
    session_id TEXT,
    private INTEGER NOT NULL,
    target_id TEXT NOT NULL,
    began TEXT NOT NULL
);
CREATE INDEX items_by_record ON items (group_id, record_id);
CREATE INDEX items_by_moment ON items (group_id, moment);
CREATE INDEX items_by_time ON items (moment);
CREATE VIRTUAL TABLE texts USING fts5 (
    text, content='items', content_rowid='id', tokenize='trigram'
);
"""

#: SQLite's result codes that mean "not now" (permission, busy, locked, read-only,
#: I/O, full, cannot open): the index is left alone. Any other error means it is
#: damaged (or not ours), and derived data is simply rebuilt.
_NOT_NOW = {3, 5, 6, 8, 10, 13, 14}


class SearchUnavailable(UserError):
    """This Python's SQLite cannot search (no FTS5, or no trigram tokenizer)."""


def damaged(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the index file is damaged rather than busy or unwritable."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) not in _NOT_NOW
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError
    )


def index_file(layout: DataLayout) -> Path:
    return layout.search_index_file


@functools.cache
def _expected_schema() -> frozenset[tuple[str, str, str, str | None]]:
    """Every entry of ``sqlite_master`` an index of ours has: its tables, FTS5's
    own tables, the indexes, and nothing else (no trigger, no view)."""
    with closing(sqlite3.connect(":memory:")) as db:
        db.executescript(SCHEMA)
        return _schema_of(db)


def _schema_of(db: sqlite3.Connection) -> frozenset[tuple[str, str, str, str | None]]:
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return frozenset(tuple(row) for row in rows)


def require_fts5() -> None:
    """Refuse, in one line, where this Python's SQLite cannot search."""
    try:
        _expected_schema()
    except sqlite3.Error:
        raise SearchUnavailable(
            "search needs SQLite with FTS5 and its trigram tokenizer (SQLite 3.34 or later); "
            f"this Python has SQLite {sqlite3.sqlite_version}"
        ) from None


def _clear_the_way(path: Path) -> None:
    """Leave at ``path`` (and beside it, SQLite's own files) nothing but regular
    files of ours: a symlink, a hard link, a pipe or a device is removed (the
    name only: what it pointed to is not touched), so the index is never
    written through it to somewhere else."""
    for name in (path, *(path.with_name(path.name + tail) for tail in _COMPANIONS)):
        try:
            info = os.lstat(name)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
            continue
        if stat.S_ISDIR(info.st_mode):
            raise sqlite3.OperationalError(f"{name} is a folder")  # "not now": in memory
        os.unlink(name)
    if not path.exists():
        # Created private before SQLite opens it; its journal takes the same mode.
        with suppress(FileExistsError):
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, FILE_MODE))


def connect(path: Path | None) -> sqlite3.Connection:
    """An index at ``path`` (in memory for ``None``), made if new, checked if not."""
    if path is not None:
        _clear_the_way(path)
    db = sqlite3.connect(path or ":memory:", timeout=10, isolation_level=None)
    try:
        # Nothing in the file may run code of its own (a view's or trigger's
        # function); the schema check below then refuses any such thing.
        db.execute("PRAGMA trusted_schema = OFF")
        if path is not None:
            # Derived data: a commit need not reach the disk before the save returns
            # (a lost update leaves a stamp that no longer matches, so the group is
            # re-read); WAL with NORMAL keeps the file whole through a power cut.
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        schema = _schema_of(db)
        if not schema:
            db.execute("BEGIN IMMEDIATE")
            try:
                if not _schema_of(db):
                    for statement in SCHEMA.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute("INSERT INTO about VALUES ('version', ?)", (INDEX_VERSION,))
            except BaseException:
                db.rollback()
                raise
            db.commit()
            schema = _schema_of(db)
        if schema != _expected_schema():
            raise sqlite3.DatabaseError("the search index holds what it should not")
        version = db.execute("SELECT value FROM about WHERE key = 'version'").fetchall()
        if version != [(INDEX_VERSION,)]:
            raise sqlite3.DatabaseError(f"search index version {version!r}")
        # A damaged file often opens fine and fails on the first real query.
        db.execute("SELECT count(*) FROM groups").fetchone()
        db.execute("SELECT rowid FROM texts WHERE texts MATCH 'xyz' LIMIT 1").fetchall()
    except BaseException:
        db.close()
        raise
    return db


def discard(layout: DataLayout) -> None:
    """Remove the index (and SQLite's files beside it): it is rebuilt on use."""
    path = index_file(layout)
    for leftover in (path, *(path.with_name(path.name + tail) for tail in _COMPANIONS)):
        with suppress(FileNotFoundError):
            leftover.unlink()


def regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
