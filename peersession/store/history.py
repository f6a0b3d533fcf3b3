"""The history: groups, and every finished session, in TinyDB files.

``peersession.json`` (the index) holds the groups and a small summary of each
(what the home screen shows); each group's sessions, commitments, check-ins and
goals live in its own ``groups/<id>.json``, so opening one group reads one file.
Every change is one locked, atomic transaction (``store/history_files.py``) that
also updates the index's summary and the search index from the same parse.
Every read is a fresh parse handed out as it is: nothing in the process keeps
it, so a caller that changes a document changes its own copy only.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tinydb import TinyDB

from ..core.model import Group, IndexedGroup, Summary
from ..core.names import name_key
from ..core.record_types import read_all
from ..errors import UserError
from . import group_file, schema
from .history_docs import GroupDocuments, summarize
from .history_files import GROUP_KIND, HistoryFiles
from .lock import WriteLock
from .schema import file_version
from .storage import Tables, checked_bytes, file_stamp, open_db, storage_of

if TYPE_CHECKING:
    # Only a type here: importing the record (and the engine behind it) at
    # start-up would slow the first frame for nothing.
    from ..core.record import SessionRecord
    from ..core.session_records import Checkin, Commitment, Review, Session

T = TypeVar("T")


class HistoryStore(HistoryFiles):
    """Everything that reads or writes the history of one data folder."""

    def __init__(
        self, data_dir: Path, *, create: bool = True, lock: WriteLock | None = None
    ) -> None:
        """``create``: a missing folder reads as one without groups and is made
        (0700) by the first write; reading never creates anything. Without it, a
        missing folder is refused."""
        #: Shared groups already taken in by this store (once per store), and
        #: whether the store is itself syncing (its own writes publish nothing).
        self._taken_in: set[str] = set()
        self._syncing = False
        super().__init__(data_dir, create=create, lock=lock)

    def group_tables(self, group_id: str) -> Tables:
        """One fresh, checked parse of a group's file (no file: no tables).

        A shared group's first read takes in what the other machines wrote."""
        self._take_in_once(group_id)
        return self._read(self.layout.group_history_file(group_id), GROUP_KIND)

    # -- groups ---------------------------------------------------------------------

    def groups(self) -> list[Group]:
        """The groups by name."""
        groups = read_all(Group, self._index_docs())
        return sorted(groups, key=lambda g: g.name.casefold())

    def summaries(self) -> dict[str, Summary]:
        return {group.id: group.summary for group in self.indexed_groups()}

    def indexed_groups(self) -> list[IndexedGroup]:
        """The groups by name, each with its summary, from one read of the index:
        what a list of the groups shows (the home screen, every search result)."""
        groups = read_all(IndexedGroup, self._index_docs())
        return sorted(groups, key=lambda g: g.name.casefold())

    def find_group(self, name_or_id: str) -> Group:
        """A group by (case-insensitive) name or id, or a UserError listing the groups.

        A shared group is first taken in (once per store): what the others
        changed in it is what the caller gets."""
        group = self._find_group(name_or_id)
        if group.id not in self._taken_in and self.is_shared(group.id):
            self._take_in_once(group.id)
            group = self._find_group(group.id)
        return group

    def _find_group(self, name_or_id: str) -> Group:
        wanted = name_key(name_or_id)
        groups = self.groups()
        for group in groups:
            if group.id == name_or_id or name_key(group.name) == wanted:
                return group
        known = ", ".join(repr(g.name) for g in groups) or "none yet"
        raise UserError(f"no group named {name_or_id!r} (groups: {known})")

    def only_group(self) -> Group:
        groups = self.groups()
        if len(groups) == 1:
            return groups[0]
        if not groups:
            raise UserError(
                "no groups yet: create one with `peersession group add NAME --member ...`"
            )
        raise UserError(
            "more than one group: name it (" + ", ".join(repr(g.name) for g in groups) + ")"
        )

    def add_group(self, group: Group) -> None:
        """Add a new group; refused if one with the same name (NFC, case folded) exists.

        The check and the write are one hold of the lock: two processes adding
        the same name cannot both pass the check.
        """
        with self.locked():
            if any(name_key(g.name) == name_key(group.name) for g in self.groups()):
                raise UserError(f"a group named {group.name!r} already exists")
            self.save_group(group)

    def update_group(self, name_or_id: str, change: Callable[[Group, list[Group]], Group]) -> Group:
        """Change a group as it is on disk now: ``change(group, other_groups)`` runs
        inside the write lock, on the group read after taking it, so two processes
        editing one group at once both keep their change. Returns the saved group."""
        with self.locked():
            group = self.find_group(name_or_id)
            others = [g for g in self.groups() if g.id != group.id]
            changed = change(group, others)
            self.save_group(changed)
            return changed

    def save_group(self, group: Group) -> None:
        """Create or update a group's definition, keeping its summary."""
        self._put_group_doc(group.to_doc())
        self._sync(group.id, lambda sync: sync.note_change(self, group.id, {("group", group.id)}))

    # -- the group's shared folder (store/shared/sync.py) ------------------------------

    def _sync(self, group_id: str, run: Callable[[Any], object]) -> None:
        """Run ``run(sync)`` for a shared group, unless this store is syncing already.
        A group that is not shared costs one stat and imports nothing."""
        if self._syncing or not self.is_shared(group_id):
            return
        from .shared import sync

        with self.syncing():
            run(sync)

    def _put_shared(
        self, path: Path, records: dict[str, list[dict[str, Any]]], drops: dict[str, set[str]]
    ) -> tuple[set[str], Tables]:
        """One transaction of :meth:`apply_shared`. Its own parse is the one checked:
        a file this store has not read yet is parsed once, not twice (a take-in's
        case). :class:`_OlderSchema`, nothing written, if it must be migrated first."""
        db = open_db(path)
        with self._transaction(db, GROUP_KIND):
            if path not in self._checked:
                parsed = storage_of(db).batch_tables or {}
                if file_version(path, parsed, GROUP_KIND) != schema.SCHEMA_VERSION:
                    raise _OlderSchema
                self._checked.add(path)
            changed = group_file.put_records(db, records, drops)
            tables = storage_of(db).batch_tables or {}
        return changed, tables

    def _take_in_once(self, group_id: str) -> None:
        """A shared group's first read by this store takes in what the others wrote."""
        if group_id not in self._taken_in:
            self._taken_in.add(group_id)
            self._sync(group_id, lambda sync: sync.take_in(self, group_id))

    def is_shared(self, group_id: str) -> bool:
        """One stat: whether the group is shared from this data folder."""
        return (self.root / "shared" / group_id / "link.json").is_file()

    @contextmanager
    def syncing(self) -> Iterator[None]:
        """Inside: this store's own writes and reads publish and take in nothing
        (for store/shared/sync.py, which does both itself)."""
        before, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = before

    def apply_shared(
        self,
        group_id: str,
        group_doc: dict[str, Any] | None,
        records: dict[str, list[dict[str, Any]]],
        drops: dict[str, set[str]],
    ) -> int:
        """Write records merged from the shared folder into this history, whole
        (each replaces the record of its id when it differs), and drop the removed
        ones; how many records changed. A group file left as it was is not written."""
        with self.locked():
            written = 0
            if group_doc is not None:
                self._put_group_doc(dict(group_doc), newer_kept=False)  # the machines' merge
                written += 1
            if not records and not drops:
                return written
            path = self.layout.group_history_file(group_id)
            stamp_before = file_stamp(path)
            try:
                changed, tables = self._put_shared(path, records, drops)
            except _OlderSchema:
                self._check_file(path, GROUP_KIND)  # migrated (a backup kept), then again
                changed, tables = self._put_shared(path, records, drops)
            if changed:
                self._after_group_write(
                    group_id, tables, stamp_before=stamp_before, changed=changed
                )
            return written + len(changed)

    def computed_summary(self, group_id: str) -> dict[str, Any]:
        """The summary as the group's file says it should be."""
        tables = self.group_tables(group_id)
        return summarize(self._docs(tables, "sessions"), self._docs(tables, "commitments"))

    def refresh_summary(self, group_id: str, next_meeting: str | None = None) -> None:
        """Recompute a group's summary in the index from its file.

        Read and written under one hold of the lock: a summary computed from a
        file another process has changed since would be written over theirs.
        """
        with self.locked():
            self._write_summary(group_id, self.computed_summary(group_id), next_meeting)

    def _after_group_write(
        self,
        group_id: str,
        tables: Tables,
        next_meeting: str | None = None,
        *,
        stamp_before: tuple[int, int, int] | None,
        changed: set[str] | None,
        change_group: Callable[[Group], Group] | None = None,
    ) -> None:
        """After a group's file was saved (still under the lock): its summary, worked
        out from the parse just written (no second read), and the search index, for
        the records in ``changed`` (every record when ``None``); ``change_group``
        applied to the group in the same write of the index as its summary."""
        summary = summarize(self._docs(tables, "sessions"), self._docs(tables, "commitments"))
        path = self.layout.group_history_file(group_id)
        if os.path.lexists(self.layout.search_index_file):
            # Only a folder whose owner has searched has an index to keep current
            # (the first search builds it): sqlite3 and the search's rules otherwise
            # stay unimported.
            from .search_index import note_group_saved

            note_group_saved(self.layout, group_id, tables, changed, stamp_before, file_stamp(path))
        redefine = None
        if change_group is not None:
            redefine = _on_doc(change_group)
        try:
            self._write_summary(group_id, summary, next_meeting, redefine)
        except UserError as error:
            raise UserError(
                f"saved to {self.layout.group_history_file(group_id)}, but the group's summary "
                f"was not updated: {error} (`peersession doctor --repair` recomputes it)"
            ) from None
        # Committed: now published to a shared group's folder (a failure there is
        # one line, and the change is published next time).
        self._sync(
            group_id,
            lambda sync: sync.note_written(
                self, group_id, tables, changed, bool(next_meeting) or redefine is not None
            ),
        )

    # -- one group's history -----------------------------------------------------------

    def group_documents(self, group_id: str) -> GroupDocuments:
        """Everything a group's file holds, as its records, from one read; the
        caller's own to change (a change reaches no file)."""
        # Imported here: the home screen's first frame reads no group file (nor msgspec).
        from .typed_file import converted_tables, decoded_tables

        self._take_in_once(group_id)
        path = self.layout.group_history_file(group_id)
        raw = checked_bytes(path)
        tables = decoded_tables(raw) if raw is not None else None
        if tables is None:
            tables = converted_tables(self._read(path, GROUP_KIND))
        else:
            self._checked.add(path)  # of the current schema: nothing to migrate
        return GroupDocuments(
            sessions=tables["sessions"],
            commitments=tables["commitments"],
            checkins=tables["checkins"],
            goals=tables["goals"],
        )

    def sessions(self, group_id: str) -> list[Session]:
        """Finished sessions, oldest first."""
        return self.group_documents(group_id).sessions

    def session(self, group_id: str, session_id: str) -> Session:
        for session in self.sessions(group_id):
            if session.id == session_id:
                return session
        raise UserError(f"no session with id {session_id!r} in this group")

    def last_session(self, group_id: str) -> Session | None:
        sessions = self.sessions(group_id)
        return sessions[-1] if sessions else None

    def commitments(self, group_id: str) -> list[Commitment]:
        """Every commitment, by the time it was made."""
        return self.group_documents(group_id).commitments

    def checkins(self, group_id: str) -> list[Checkin]:
        """The group's check-ins, oldest first."""
        return self.group_documents(group_id).checkins

    @contextmanager
    def _group_change(
        self,
        group_id: str,
        *,
        changed: set[str] | None,
        next_meeting: str | None = None,
        change_group: Callable[[Group], Group] | None = None,
    ) -> Iterator[TinyDB]:
        """One locked, atomic change of a group's file, then (still under the lock)
        its summary and search index from the same parse, and ``change_group`` in
        the same write of the index as the summary."""
        db = self._group_db(group_id)
        path = self.layout.group_history_file(group_id)
        with self.locked():
            stamp_before = file_stamp(path)
            with self._transaction(db, GROUP_KIND):
                yield db
                tables = storage_of(db).read() or {}
                if tables.get(group_file.REMOVALS):
                    # Nothing written brings back an item removed after the meeting.
                    # Their rules (and imports) only for a file that has removals.
                    from .corrections import enforce_removals

                    enforce_removals(db, changed)
                    tables = storage_of(db).batch_tables or {}
            self._after_group_write(
                group_id,
                tables,
                next_meeting,
                stamp_before=stamp_before,
                changed=changed,
                change_group=change_group,
            )

    def commit_session(
        self, record: SessionRecord, change_group: Callable[[Group], Group] | None = None
    ) -> bool:
        """Add a finished session in one atomic write; False if it was already there.

        Committing the same record again (after a crash between this write and
        retiring the journal) changes nothing. ``change_group`` (idempotent too)
        changes the group's definition as it is in the index then, in the one
        write of the index that also takes the new summary.
        """
        session = record.session
        changed = {
            session["id"],
            *(c.id for c in record.commitments),
            *record.reviews,
            *record.privacy,
            *record.goal_statuses,
        }
        with self._group_change(
            session["group_id"],
            changed=changed,
            next_meeting=session["next_meeting"],
            change_group=change_group,
        ) as db:
            return group_file.write_session_record(db, record)

    def add_review(self, group_id: str, commitment_id: str, review: Review) -> None:
        """A dated status change of a commitment, made outside a session."""
        with self._group_change(group_id, changed={commitment_id}) as db:
            group_file.add_review(db, commitment_id, review)

    def add_checkin(self, checkin: Checkin, reviews: dict[str, Review]) -> None:
        """Store a new check-in and its dated reviews in one atomic write."""
        changed = {checkin.id, *reviews}
        with self._group_change(checkin.group_id, changed=changed) as db:
            group_file.add_checkin(db, checkin, reviews)

    def check_in(
        self,
        group_id: str,
        build: Callable[[list[Commitment]], tuple[Checkin, dict[str, Review]]],
    ) -> Checkin:
        """Build a check-in from the group's commitments as they are on disk after
        taking the write lock, and store it in the same hold: a commitment another
        terminal closed a moment ago is not answered again."""
        with self.locked():
            checkin, reviews = build(self.commitments(group_id))
            self.add_checkin(checkin, reviews)
        return checkin

    def change_records(self, group_id: str, change: Callable[[TinyDB], set[str]]) -> None:
        """Run ``change`` on a group's TinyDB inside one locked, atomic transaction;
        it returns the ids of the records it changed, whose search rows are updated
        from the same parse (a correction, ``store/corrections.py``)."""
        changed: set[str] = set()
        # The set is read after the transaction, once ``change`` has filled it.
        with self._group_change(group_id, changed=changed) as db:
            changed |= change(db)

    def mutate_group_file(self, group_id: str, change: Callable[[TinyDB], T]) -> T:
        """Run ``change`` on a group's TinyDB inside one locked, atomic transaction
        (for importers and repairs that need more than the methods above); the
        group's whole search index is rebuilt from the result."""
        with self._group_change(group_id, changed=None) as db:
            result = change(db)
        return result


class _OlderSchema(Exception):
    """A group file to migrate before records from the shared folder go in."""


def _on_doc(change: Callable[[Group], Group]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """``change`` on a group's index document (its summary kept), as ``save_group``
    would store the changed group."""

    def redefine(doc: dict[str, Any]) -> dict[str, Any]:
        changed = change(Group.from_doc(doc)).to_doc()
        changed["summary"] = doc.get("summary", {})
        return changed

    return redefine
