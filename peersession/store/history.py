"""The history: groups, and every finished session, in TinyDB files.

Layout (see docs/architecture.md): ``peersession.json`` holds the groups and a
small summary of each (what the home screen shows); every group's sessions,
commitments and check-ins live in their own ``groups/<id>.json``. Opening the
home screen reads only the index; opening a group reads only that group's
file, so an archive of a hundred groups costs nothing to one of them.

Every change is a transaction: take the data folder's write lock, re-read
the file (another process may have changed it), change it in memory, write it
atomically in one go. Documents handed out are copies: changing them does not
change the history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from tinydb import Query, TinyDB
from tinydb.table import Document

from ..core.ids import new_id
from ..core.model import (
    CheckinDoc,
    CommitmentDoc,
    Group,
    ReviewDoc,
    SessionDoc,
    commitment_is_open,
)
from ..core.names import name_key
from ..core.slot import Slot
from ..errors import UserError
from ..paths import DataLayout
from . import schema
from .atomic import ensure_private_dir, tighten_folder
from .lock import WriteLock
from .schema import META_DOC_ID, META_TABLE, ensure_current, file_version, meta_doc
from .storage import forget_under, gc_paused, load_tables, open_db, storage_of

if TYPE_CHECKING:
    # Only a type here: importing the record (and the engine behind it) at
    # start-up would slow the first frame for nothing.
    from ..core.record import SessionRecord

T = TypeVar("T")

INDEX_KIND = "index"
GROUP_KIND = "group"


def copy_json(value: T) -> T:
    """A deep copy of JSON data, faster than ``copy.deepcopy`` for it."""
    if isinstance(value, dict):
        return cast(T, {k: copy_json(v) for k, v in value.items()})
    if isinstance(value, list):
        return cast(T, [copy_json(v) for v in value])
    return value


def summarize(sessions: list[SessionDoc], commitments: list[CommitmentDoc]) -> dict[str, Any]:
    """A group's summary as the index keeps it, from its sessions and commitments."""
    last = max((s["started_at"] for s in sessions), default=None)
    return {
        "sessions": len(sessions),
        "last_session_at": last,
        "open_commitments": sum(1 for c in commitments if commitment_is_open(c)),
    }


@dataclass(frozen=True)
class GroupSummary:
    """What the home screen shows of a group without opening its history."""

    sessions: int = 0
    last_session_at: str | None = None
    open_commitments: int = 0

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> GroupSummary:
        doc = doc or {}
        return cls(
            sessions=int(doc.get("sessions", 0)),
            last_session_at=doc.get("last_session_at"),
            open_commitments=int(doc.get("open_commitments", 0)),
        )


class HistoryStore:
    """Everything that reads or writes the history of one data folder."""

    def __init__(
        self, data_dir: Path, *, create: bool = True, lock: WriteLock | None = None
    ) -> None:
        self.layout = DataLayout(data_dir)
        if create:
            try:
                ensure_private_dir(data_dir)
            except OSError as error:
                raise UserError(
                    f"{data_dir}: cannot create the data folder ({error.strerror})"
                ) from None
        elif not data_dir.is_dir():
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

    # -- files and transactions ------------------------------------------------

    def _check_file(self, path: Path, kind: str) -> None:
        """Refuse corrupt or future files; migrate old ones (once per process).

        A current file is only read: a read-only data folder can still be
        browsed and exported. Only a migration takes the write lock.
        """
        if path in self._checked:
            return
        tables = load_tables(path)
        if tables is not None and file_version(path, tables, kind) != schema.SCHEMA_VERSION:
            with self.locked():
                ensure_current(path, kind, self.layout.backups_dir)
        self._checked.add(path)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the data folder's write lock (re-entrant).

        On the way in, parsed copies of the folder's files are dropped: inside
        the lock nobody else writes, so what is read there is what is on disk.
        """
        with self.lock:
            if not self._lock_depth:
                forget_under(self.root)
                if not self._tightened:
                    # Before the first write: confidential notes go in here.
                    self._tightened = tighten_folder(self.root)
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1

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
    def _table_docs(db: TinyDB, name: str) -> list[dict[str, Any]]:
        with gc_paused():
            return [copy_json(dict(doc)) for doc in db.table(name, cache_size=0).all()]

    @staticmethod
    def _upsert(db: TinyDB, table: str, doc: dict[str, Any]) -> None:
        db.table(table, cache_size=0).upsert(doc, Query().id == doc["id"])

    # -- groups ---------------------------------------------------------------------

    def groups(self) -> list[Group]:
        docs = self._table_docs(self._index(), "groups")
        return sorted((Group.from_doc(d) for d in docs), key=lambda g: g.name.casefold())

    def summaries(self) -> dict[str, GroupSummary]:
        docs = self._table_docs(self._index(), "groups")
        return {d["id"]: GroupSummary.from_doc(d.get("summary")) for d in docs}

    def find_group(self, name_or_id: str) -> Group:
        """A group by (case-insensitive) name or id, or a UserError listing the groups."""
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
        db = self._index()
        with self._transaction(db, INDEX_KIND):
            table = db.table("groups", cache_size=0)
            existing = table.get(Query().id == group.id)
            doc = group.to_doc()
            doc["summary"] = copy_json(dict(existing).get("summary", {})) if existing else {}
            self._upsert(db, "groups", doc)

    def computed_summary(self, group_id: str) -> dict[str, Any]:
        """The summary as the group's file says it should be."""
        return summarize(self.sessions(group_id), self.commitments(group_id))

    def refresh_summary(self, group_id: str, next_meeting: str | None = None) -> None:
        """Recompute a group's summary in the index from its file.

        Read and written under one hold of the lock: a summary computed from a
        file another process has changed since would be written over theirs.
        """
        with self.locked():
            summary = self.computed_summary(group_id)
            db = self._index()
            with self._transaction(db, INDEX_KIND):
                table = db.table("groups", cache_size=0)
                existing = table.get(Query().id == group_id)
                if existing is None:
                    return
                doc = copy_json(dict(existing))
                doc["summary"] = summary
                if next_meeting:
                    doc["next_meeting"] = next_meeting
                self._upsert(db, "groups", doc)

    def _refresh_summary(self, group_id: str, next_meeting: str | None = None) -> None:
        """After a group's file was saved: refresh its summary, saying so if that fails
        (the change itself is saved, so retrying it is not the fix)."""
        try:
            self.refresh_summary(group_id, next_meeting)
        except UserError as error:
            raise UserError(
                f"saved to {self.layout.group_history_file(group_id)}, but the group's summary "
                f"was not updated: {error} (`peersession doctor --repair` recomputes it)"
            ) from None

    # -- one group's history -----------------------------------------------------------

    def sessions(self, group_id: str) -> list[SessionDoc]:
        """Finished sessions, oldest first."""
        docs = self._table_docs(self._group_db(group_id), "sessions")
        return sorted(cast(list[SessionDoc], docs), key=lambda s: s["started_at"])

    def session(self, group_id: str, session_id: str) -> SessionDoc:
        doc = self._group_db(group_id).table("sessions", cache_size=0).get(Query().id == session_id)
        if doc is None:
            raise UserError(f"no session with id {session_id!r} in this group")
        return cast(SessionDoc, copy_json(dict(doc)))

    def last_session(self, group_id: str) -> SessionDoc | None:
        sessions = self.sessions(group_id)
        return sessions[-1] if sessions else None

    def commitments(self, group_id: str) -> list[CommitmentDoc]:
        docs = self._table_docs(self._group_db(group_id), "commitments")
        return sorted(cast(list[CommitmentDoc], docs), key=lambda c: c["made_at"])

    def checkins(self, group_id: str) -> list[CheckinDoc]:
        docs = self._table_docs(self._group_db(group_id), "checkins")
        return sorted(cast(list[CheckinDoc], docs), key=lambda c: c["at"])

    def commit_session(self, record: SessionRecord) -> bool:
        """Add a finished session in one atomic write; False if it was already there.

        Committing the same record again (after a crash between this write and
        retiring the journal) changes nothing.
        """
        group_id = record.session["group_id"]
        db = self._group_db(group_id)
        added = False
        with self._transaction(db, GROUP_KIND):
            sessions = db.table("sessions", cache_size=0)
            if not sessions.contains(Query().id == record.session["id"]):
                sessions.insert(copy_json(dict(record.session)))
                added = True
            commitments = db.table("commitments", cache_size=0)
            for commitment in record.commitments:
                if not commitments.contains(Query().id == commitment["id"]):
                    commitments.insert(copy_json(dict(commitment)))
            for commitment_id, review in record.reviews.items():
                self._append_review(db, commitment_id, review, record.session["ended_at"])
            for commitment_id, private in record.privacy.items():
                # Marked private (or public) while reviewed: idempotent, so a
                # second commit after a crash changes nothing.
                commitments.update({"private": private}, Query().id == commitment_id)
        self._refresh_summary(group_id, record.session["next_meeting"])
        return added

    def _append_review(
        self, db: TinyDB, commitment_id: str, review: ReviewDoc, updated_at: str
    ) -> bool:
        table = db.table("commitments", cache_size=0)
        existing = table.get(Query().id == commitment_id)
        if existing is None:
            return False
        doc = cast(CommitmentDoc, copy_json(dict(existing)))
        duplicate = any(
            r["at"] == review["at"] and r.get("source_id") == review.get("source_id")
            for r in doc["reviews"]
        )
        if duplicate:
            return False
        doc["reviews"].append(copy_json(review))
        doc["reviews"].sort(key=lambda r: r["at"])
        doc["updated_at"] = max(doc["updated_at"], updated_at)
        self._upsert(db, "commitments", cast(dict[str, Any], doc))
        return True

    def add_review(self, group_id: str, commitment_id: str, review: ReviewDoc) -> None:
        """A dated status change of a commitment, made outside a session."""
        db = self._group_db(group_id)
        with self._transaction(db, GROUP_KIND):
            if db.table("commitments", cache_size=0).get(Query().id == commitment_id) is None:
                raise UserError(f"no commitment with id {commitment_id!r}")
            self._append_review(db, commitment_id, review, review["at"])
        self._refresh_summary(group_id)

    def add_checkin(self, checkin: CheckinDoc, reviews: dict[str, ReviewDoc]) -> None:
        """Store a check-in and its dated reviews in one atomic write."""
        group_id = checkin["group_id"]
        db = self._group_db(group_id)
        with self._transaction(db, GROUP_KIND):
            table = db.table("commitments", cache_size=0)
            for commitment_id in reviews:
                if table.get(Query().id == commitment_id) is None:
                    raise UserError(f"no commitment with id {commitment_id!r}")
            checkins = db.table("checkins", cache_size=0)
            # Saving the same check-in again (a retry after an error) changes nothing.
            if not checkins.contains(Query().id == checkin["id"]):
                checkins.insert(copy_json(dict(checkin)))
            for commitment_id, review in reviews.items():
                self._append_review(db, commitment_id, review, checkin["at"])
        self._refresh_summary(group_id)

    def check_in(
        self,
        group_id: str,
        build: Callable[[list[CommitmentDoc]], tuple[CheckinDoc, dict[str, ReviewDoc]]],
    ) -> CheckinDoc:
        """Build a check-in from the group's commitments as they are on disk after
        taking the write lock, and store it in the same hold: a commitment another
        terminal closed a moment ago is not answered again."""
        with self.locked():
            checkin, reviews = build(self.commitments(group_id))
            self.add_checkin(checkin, reviews)
        return checkin

    def mutate_group_file(self, group_id: str, change: Callable[[TinyDB], T]) -> T:
        """Run ``change`` on a group's TinyDB inside one locked, atomic transaction
        (for importers and repairs that need more than the methods above)."""
        db = self._group_db(group_id)
        with self._transaction(db, GROUP_KIND):
            result = change(db)
        self._refresh_summary(group_id)
        return result


def new_group(
    name: str,
    member_names: list[str],
    *,
    cadence_days: int = 21,
    length_minutes: int = 120,
    template: str = "full",
    slot: Slot | None = None,
) -> Group:
    """A new group with fresh ids, its names checked (NFC, one line, at most
    ``MAX_NAME`` characters, no two members equal after NFC and case folding)."""
    from ..core.model import Member
    from ..core.names import clean_name

    try:
        clean = clean_name(name, what="a group name")
        names = [clean_name(n, what="a member name") for n in member_names]
    except ValueError as error:
        raise UserError(str(error)) from None
    if not names:
        raise UserError("a group needs at least one member (--member NAME)")
    seen: set[str] = set()
    for member_name in names:
        if name_key(member_name) in seen:
            raise UserError(f"two members are called {member_name!r}: names must differ")
        seen.add(name_key(member_name))
    return Group(
        id=new_id(),
        name=clean,
        members=tuple(Member(new_id(), n) for n in names),
        cadence_days=cadence_days,
        length_minutes=length_minutes,
        template=template,
        slot=slot,
    )
