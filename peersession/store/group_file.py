"""The edits made to one group's file inside a transaction of the history.

Each function works on a TinyDB opened by ``HistoryStore`` under the write
lock, whose whole file is written atomically when the transaction ends; none
of them takes a lock or writes by itself. Every edit is idempotent, so doing
it again after a crash (a session committed twice, a check-in retried)
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB

from ..core.model import parse_datetime_doc
from ..errors import UserError
from .storage import storage_of

if TYPE_CHECKING:
    from ..core.record import SessionRecord
    from ..core.session_records import Checkin, Review

#: The table of a group's file that names removed items (``store/corrections.py``).
REMOVALS = "removals"


def doc_ids(db: TinyDB, table: str) -> dict[str, int]:
    """Each document's TinyDB id by its own id, from the transaction's one parse
    (one pass, rather than a query per document looked for)."""
    tables = storage_of(db).read() or {}
    return {doc.get("id"): int(key) for key, doc in tables.get(table, {}).items()}


def write_session_record(db: TinyDB, record: SessionRecord) -> bool:
    """Add a finished session, its new commitments, its reviews of earlier ones
    and their privacy changes; False if the session was already there."""
    session = record.session
    added = False
    sessions = (storage_of(db).read() or {}).get("sessions", {})
    if all(doc.get("id") != session["id"] for doc in sessions.values()):
        db.table("sessions", cache_size=0).insert(dict(session))
        added = True
    known = doc_ids(db, "commitments")
    new = [c for c in record.commitments if c.id not in known]
    if new:
        from ..core.record_types import stored

        inserted = db.table("commitments", cache_size=0).insert_multiple(stored(c) for c in new)
        # The new documents' TinyDB ids, without another pass over the table.
        known.update(zip((c.id for c in new), inserted, strict=True))
    append_reviews(db, known, record.reviews, session["ended_at"])
    if record.privacy:
        # Marked private (or public) while reviewed: setting it again is harmless.
        # One update of every commitment concerned (TinyDB rewrites the whole
        # table at each update, so not one update per commitment).
        privacy = record.privacy
        commitments = (storage_of(db).read() or {}).get("commitments", {})
        concerned = [int(key) for key, doc in commitments.items() if doc.get("id") in privacy]

        def set_private(doc: Any) -> None:
            doc["private"] = privacy[doc["id"]]

        if concerned:
            db.table("commitments", cache_size=0).update(set_private, doc_ids=concerned)
    if record.goal_statuses:
        set_goal_statuses(db, record.goal_statuses, session["ended_at"])
    return added


def set_goal_statuses(db: TinyDB, statuses: Mapping[str, str], at: str) -> None:
    """A goals review's reached and dropped goals take that status (issue 25),
    in one update of the table; a goal already so, or changed later by hand
    (newer than ``at``), is left as it is, so committing again changes nothing."""
    goals = (storage_of(db).read() or {}).get("goals", {})
    concerned = [
        int(key)
        for key, doc in goals.items()
        if doc.get("id") in statuses
        and doc.get("status") != statuses[doc["id"]]
        and parse_datetime_doc(doc["updated_at"]) <= parse_datetime_doc(at)
    ]

    def set_status(doc: Any) -> None:
        doc["status"] = statuses[doc["id"]]
        doc["updated_at"] = at

    if concerned:
        db.table("goals", cache_size=0).update(set_status, doc_ids=concerned)


def append_reviews(
    db: TinyDB, known: dict[str, int], reviews: Mapping[str, Review], updated_at: str
) -> set[str]:
    """Add each dated review to its commitment (commitment id → review), kept in
    date order, in one update of the table; the ids of the commitments reviewed
    (not those unknown, nor those that already have this review: same time,
    same source)."""
    from ..core.record_types import stored

    commitments = (storage_of(db).read() or {}).get("commitments", {})
    adding: dict[str, dict[str, Any]] = {}
    for commitment_id, review in reviews.items():
        doc_id = known.get(commitment_id)
        if doc_id is None:
            continue
        existing = commitments[str(doc_id)]
        # An absent source_id reads as None on either side, as before.
        source_id = review.source_id or None
        duplicate = any(
            r["at"] == review.at and r.get("source_id") == source_id for r in existing["reviews"]
        )
        if not duplicate:
            # Written raw onto the stored commitment (its unknown keys kept).
            adding[commitment_id] = stored(review)

    def add(doc: Any) -> None:
        doc["reviews"] = sorted([*doc["reviews"], adding[doc["id"]]], key=lambda r: r["at"])
        doc["updated_at"] = max(doc["updated_at"], updated_at)

    if adding:
        targets = [known[commitment_id] for commitment_id in adding]
        db.table("commitments", cache_size=0).update(add, doc_ids=targets)
    return set(adding)


def add_review(db: TinyDB, commitment_id: str, review: Review) -> None:
    """A dated status change of a commitment, made outside a session."""
    known = doc_ids(db, "commitments")
    if commitment_id not in known:
        raise UserError(f"no commitment with id {commitment_id!r}")
    append_reviews(db, known, {commitment_id: review}, review.at)


def add_checkin(db: TinyDB, checkin: Checkin, reviews: Mapping[str, Review]) -> None:
    """A new check-in and its dated reviews; every commitment it answers must exist."""
    from ..core.record_types import stored

    known = doc_ids(db, "commitments")
    for commitment_id in reviews:
        if commitment_id not in known:
            raise UserError(f"no commitment with id {commitment_id!r}")
    # Saving the same check-in again (a retry after an error) changes nothing.
    if checkin.id not in doc_ids(db, "checkins"):
        db.table("checkins", cache_size=0).insert(stored(checkin))
    append_reviews(db, known, reviews, checkin.at)


def put_records(
    db: TinyDB, records: dict[str, list[dict[str, Any]]], drops: dict[str, set[str]]
) -> set[str]:
    """Records merged from the shared folder: each replaces the one of its id when
    it differs (or is added); the ids in ``drops`` are removed. The ids changed."""
    storage = storage_of(db)
    changed: set[str] = set()
    for table_name, docs in records.items():
        rows = (storage.read() or {}).get(table_name, {})
        known = {doc.get("id"): key for key, doc in rows.items()}
        fresh = [doc for doc in docs if doc["id"] not in known]
        replacing = {
            known[doc["id"]]: doc
            for doc in docs
            if doc["id"] in known and rows[known[doc["id"]]] != doc
        }
        if replacing:
            # Whole records, not fields laid over the old ones: one write of the batch.
            tables = storage.read() or {}
            tables.setdefault(table_name, {}).update(replacing)
            storage.write(tables)
        if fresh:
            db.table(table_name, cache_size=0).insert_multiple(fresh)
        changed |= {doc["id"] for doc in fresh} | {doc["id"] for doc in replacing.values()}
    for table_name, ids in drops.items():
        known_ids = doc_ids(db, table_name)
        gone = [known_ids[i] for i in ids if i in known_ids]
        if gone:
            db.table(table_name, cache_size=0).remove(doc_ids=gone)
            changed |= {i for i in ids if i in known_ids}
    return changed
