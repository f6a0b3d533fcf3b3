"""The search index: every searchable text of every group, in SQLite FTS5.

It answers a query the way a search engine does: SQLite finds the texts that
hold every word (FTS5's trigram tokenizer, so a word is found inside longer
words too, case ignored), ranks them with ``bm25()``, marks the matches with
``highlight()`` and stops at the limit, before Python sees a row.

It is derived data and never the source of truth, nor trusted:

* **Current.** Each group's rows carry the stamp (inode, size, mtime) of the
  file they came from, a digest of that file's bytes and a digest of each
  record's rows. A stamp that no longer matches makes the group's file be
  read: the same bytes (a copied or restored folder) only re-stamp it, and
  changed bytes re-index only the records whose rows changed.
* **Ours.** The file is opened only as a regular file of the data folder,
  and only with exactly its own schema (:mod:`.search_file`).
* **Not believed for privacy**: ``store/finder.py`` checks the results of a
  search without private texts against the group files themselves.

Nothing here is ever read by an export.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.search import Moments, SearchRow, search_rows
from ..paths import DataLayout
from .search_file import (
    connect,
    damaged,
    discard,
    index_file,
    regular,
    require_fts5,
)
from .search_query import Query, answer, moment
from .storage import Tables, file_stamp

if TYPE_CHECKING:
    # The store calls into this module: it is named here for mypy only.
    from .history import HistoryStore


#: Told how far a build has gone: (groups read, groups to read).
Progress = Callable[[int, int], None]


def storable(text: str) -> str:
    """A text SQLite can store: a lone surrogate (only a hand-edited file can hold
    one) cannot be written as UTF-8 and becomes ``?``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp_text(stamp: tuple[int, int, int] | None) -> str:
    return json.dumps(list(stamp)) if stamp is not None else ""


def _rows_by_record(rows: list[SearchRow]) -> dict[str, list[SearchRow]]:
    grouped: dict[str, list[SearchRow]] = defaultdict(list)
    for row in rows:
        grouped[row.record_id].append(row)
    return grouped


def _records_digest(rows: list[SearchRow]) -> str:
    """What a record put into the index: equal digests, equal rows."""
    fields = [
        (
            r.kind,
            r.label,
            r.text,
            r.member_id,
            r.at,
            r.session_id,
            r.private,
            r.target_id,
            r.first_at,
        )
        for r in rows
    ]
    return hashlib.blake2b(repr(fields).encode("utf-8", "replace"), digest_size=16).hexdigest()


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

    def stamps(self) -> dict[str, tuple[str, str]]:
        rows = self.db.execute("SELECT group_id, stamp, digest FROM groups").fetchall()
        return {group_id: (stamp, digest) for group_id, stamp, digest in rows}

    def bring_up_to_date(
        self,
        store: HistoryStore,
        group_ids: Collection[str],
        every_group: Collection[str] | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Catch up with every group of ``group_ids`` whose file changed since it
        was indexed, and drop the groups not in ``every_group`` (when given);
        the number of groups whose texts were read."""
        known = self.stamps()
        if every_group is not None:
            for gone in set(known) - set(every_group):
                with self.transaction():
                    self._drop(gone)
        stale: list[tuple[str, Path, str]] = []
        for group_id in group_ids:
            path = store.layout.group_history_file(group_id)
            # Stamped before reading: if the file changes while it is read, the
            # stamp is already out of date and the next search reads it again.
            stamp = _stamp_text(file_stamp(path))
            if group_id not in known or known[group_id][0] != stamp:
                stale.append((group_id, path, stamp))
        redone = 0
        for number, (group_id, path, stamp) in enumerate(stale):
            if progress is not None:
                progress(number, len(stale))
            try:
                digest = _digest(path.read_bytes())
            except FileNotFoundError:
                digest = ""
            if group_id in known and known[group_id][1] == digest:
                # The same bytes under a new stamp (a copy, a restore): nothing to read.
                with self.transaction():
                    self.db.execute(
                        "UPDATE groups SET stamp = ? WHERE group_id = ?", (stamp, group_id)
                    )
                continue
            tables = store.group_tables(group_id)
            with self.transaction():
                self._sync_group(group_id, tables, None, stamp, digest)
            redone += 1
        if progress is not None and stale:
            progress(len(stale), len(stale))
        return redone

    def _drop(self, group_id: str) -> None:
        self.db.execute(
            "INSERT INTO texts (texts, rowid, text) "
            "SELECT 'delete', id, text FROM items WHERE group_id = ?",
            (group_id,),
        )
        self.db.execute("DELETE FROM items WHERE group_id = ?", (group_id,))
        self.db.execute("DELETE FROM records WHERE group_id = ?", (group_id,))
        self.db.execute("DELETE FROM groups WHERE group_id = ?", (group_id,))

    def _drop_record(self, group_id: str, record_id: str) -> None:
        where = (group_id, record_id)
        self.db.execute(
            "INSERT INTO texts (texts, rowid, text) SELECT 'delete', id, text "
            "FROM items WHERE group_id = ? AND record_id = ?",
            where,
        )
        self.db.execute("DELETE FROM items WHERE group_id = ? AND record_id = ?", where)
        self.db.execute("DELETE FROM records WHERE group_id = ? AND record_id = ?", where)

    def _sync_group(
        self,
        group_id: str,
        tables: Tables,
        changed: Collection[str] | None,
        stamp: str,
        digest: str,
    ) -> None:
        """The rows of ``changed`` records (every record of the group when
        ``None``) made those of ``tables``, the group file as parsed, rewriting
        only the records whose rows differ; then the group's stamp."""
        # Imported here: a search of an index already built reads no group file.
        from .typed_file import converted_tables

        if changed is not None:
            wanted = set(changed)
            # What a goals review said of a goal is kept with its session, private
            # with the goal: a goal changed changes the rows of those sessions.
            wanted |= {
                s["id"]
                for s in tables.get("sessions", {}).values()
                if any(goal_id in wanted for goal_id in s.get("goal_reviews") or {})
            }
            changed = wanted
        # Only the records whose rows may change are read as their declaration (a
        # save changes a few of a file's thousands); every goal, as a review's rows
        # say whether its goal is private.
        records = converted_tables(tables, only=changed)
        sessions, commitments = records["sessions"], records["commitments"]
        checkins, all_goals = records["checkins"], records["goals"]
        known_goals = {g.id: g for g in all_goals}
        goals = all_goals if changed is None else [g for g in all_goals if g.id in changed]
        moments = _moments(tables)
        by_record = _rows_by_record(
            search_rows(group_id, sessions, commitments, checkins, moments, goals, known_goals)
        )
        held = dict(
            self.db.execute(
                "SELECT record_id, digest FROM records WHERE group_id = ?", (group_id,)
            ).fetchall()
        )
        looked_at = set(changed) if changed is not None else set(held)
        for record_id in looked_at - set(by_record):
            if record_id in held:
                self._drop_record(group_id, record_id)
        fresh: list[SearchRow] = []
        digests: list[tuple[str, str, str]] = []
        for record_id, rows in by_record.items():
            record_digest = _records_digest(rows)
            if held.get(record_id) == record_digest:
                continue
            if record_id in held:
                self._drop_record(group_id, record_id)
            digests.append((group_id, record_id, record_digest))
            fresh.extend(rows)
        self.db.executemany(
            "INSERT INTO records (group_id, record_id, digest) VALUES (?, ?, ?)", digests
        )
        self._insert(fresh)
        self.db.execute(
            "INSERT OR REPLACE INTO groups (group_id, stamp, digest) VALUES (?, ?, ?)",
            (group_id, stamp, digest),
        )

    def _insert(self, rows: list[SearchRow]) -> None:
        if not rows:
            return
        (last,) = self.db.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()
        self.db.executemany(
            "INSERT INTO items (group_id, record_id, kind, label, text, member_id, at, moment, "
            "session_id, private, target_id, began) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    r.group_id,
                    r.record_id,
                    r.kind,
                    r.label,
                    storable(r.text),
                    r.member_id,
                    r.at,
                    moment(r.at),
                    r.session_id,
                    int(r.private),
                    r.target_id,
                    r.first_at,
                )
                for r in rows
            ),
        )
        # The new rows have the highest ids: index them in one statement.
        self.db.execute(
            "INSERT INTO texts (rowid, text) SELECT id, text FROM items WHERE id > ?", (last,)
        )

    def answer(
        self, query: Query, day_of: Callable[[str, str], str] | None = None
    ) -> list[tuple[Any, ...]]:
        """The best rows for ``query`` (:func:`.search_query.answer`)."""
        return answer(self.db, query, day_of)


def open_index(layout: DataLayout, *, create: bool = True) -> SearchIndex | None:
    """The data folder's index, created if missing (unless ``create`` is false),
    recreated empty if damaged or not ours. Where the folder cannot hold it
    (read-only, busy, a folder in its place), an index in memory, built for this
    search only; ``None`` only with ``create`` false and no index. Raises
    :class:`SearchUnavailable` where SQLite cannot search."""
    require_fts5()
    path = index_file(layout)
    if not create and not os.path.lexists(path):
        return None
    try:
        return SearchIndex(connect(path), layout)
    except sqlite3.Error as error:
        if not damaged(error):
            return SearchIndex(connect(None), layout)
        # Damaged, not ours, or from another version: derived data, so start afresh.
    except OSError:
        return SearchIndex(connect(None), layout)
    try:
        discard(layout)
        return SearchIndex(connect(path), layout)
    except (sqlite3.Error, OSError):
        return SearchIndex(connect(None), layout)


def note_group_saved(
    layout: DataLayout,
    group_id: str,
    tables: Tables,
    changed: Collection[str] | None,
    stamp_before: tuple[int, int, int] | None,
    stamp_after: tuple[int, int, int] | None,
) -> None:
    """After a group's file was written (under the write lock): update its rows.

    Only an index that exists and was current for the file before this write
    is updated in place; otherwise the group is left stale (its stamp no
    longer matches) and the next search catches up. A failure here never
    fails the save: the saved file is the truth, and a stamp that no longer
    matches is how the index learns it missed something.
    """
    path = index_file(layout)
    if not regular(path):
        return
    try:
        index = SearchIndex(connect(path), layout)
    except (sqlite3.Error, OSError):
        return  # the next search finds it damaged, busy or not ours, and deals with it
    try:
        with index.transaction():
            row = index.db.execute(
                "SELECT stamp FROM groups WHERE group_id = ?", (group_id,)
            ).fetchone()
            current = row is not None and row[0] == _stamp_text(stamp_before)
            if changed is not None and not current:
                index.db.execute("UPDATE groups SET stamp = '' WHERE group_id = ?", (group_id,))
            else:
                group_file = layout.group_history_file(group_id)
                digest = _digest(group_file.read_bytes())
                index._sync_group(group_id, tables, changed, _stamp_text(stamp_after), digest)
    except (sqlite3.Error, OSError) as error:
        index.close()
        if isinstance(error, sqlite3.Error) and damaged(error):
            discard(layout)  # rebuilt by the next search
        # Busy or read-only: the old stamp marks the group stale.
        return
    index.close()


def repair(store: HistoryStore) -> int:
    """``doctor --repair``: an existing index checked (built afresh if damaged or
    not ours) and made current; the number of groups re-read. No index is left
    as none: the first search builds it."""
    index = open_index(store.layout, create=False)
    if index is None:
        return 0
    try:
        every = [g.id for g in store.groups()]
        return index.bring_up_to_date(store, every, every)
    finally:
        index.close()


def _moments(tables: Tables) -> Moments:
    """When each session began and each check-in was made, by id, from the file
    as parsed (``core.search.moments_of`` reads the same from records)."""
    found = {c["id"]: (c["at"], False) for c in tables.get("checkins", {}).values()}
    found.update((s["id"], (s["started_at"], True)) for s in tables.get("sessions", {}).values())
    return found
