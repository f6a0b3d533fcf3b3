"""The edits made to one group's file inside a transaction of the history.

Each function works on a TinyDB opened by ``HistoryStore`` under the write
lock, whose whole file is written atomically when the transaction ends; none
of them takes a lock or writes by itself. Every edit is idempotent, so doing
it again after a crash (a session committed twice, a check-in retried)
changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tinydb import Query, TinyDB

from ..core.model import CheckinDoc, ReviewDoc
from ..errors import UserError
from .storage import storage_of

if TYPE_CHECKING:
    from ..core.record import SessionRecord


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
    new = [c for c in record.commitments if c["id"] not in known]
    if new:
        inserted = db.table("commitments", cache_size=0).insert_multiple(dict(c) for c in new)
        # The new documents' TinyDB ids, without another pass over the table.
        known.update(zip((c["id"] for c in new), inserted, strict=True))
    for commitment_id, review in record.reviews.items():
        append_review(db, known, commitment_id, review, session["ended_at"])
    if record.privacy:
        # Marked private (or public) while reviewed: setting it again is harmless.
        table = db.table("commitments", cache_size=0)
        for commitment_id, private in record.privacy.items():
            table.update({"private": private}, Query().id == commitment_id)
    return added


def append_review(
    db: TinyDB, known: dict[str, int], commitment_id: str, review: ReviewDoc, updated_at: str
) -> bool:
    """Add a dated review to a commitment, kept in date order; False if the
    commitment is unknown or already has this review (same time, same source)."""
    doc_id = known.get(commitment_id)
    if doc_id is None:
        return False
    table = db.table("commitments", cache_size=0)
    existing = table.get(doc_id=doc_id)
    assert isinstance(existing, dict)
    duplicate = any(
        r["at"] == review["at"] and r.get("source_id") == review.get("source_id")
        for r in existing["reviews"]
    )
    if duplicate:
        return False
    reviews = sorted([*existing["reviews"], review], key=lambda r: r["at"])
    changes = {"reviews": reviews, "updated_at": max(existing["updated_at"], updated_at)}
    table.update(changes, doc_ids=[doc_id])
    return True


def add_review(db: TinyDB, commitment_id: str, review: ReviewDoc) -> None:
    """A dated status change of a commitment, made outside a session."""
    known = doc_ids(db, "commitments")
    if commitment_id not in known:
        raise UserError(f"no commitment with id {commitment_id!r}")
    append_review(db, known, commitment_id, review, review["at"])


def add_checkin(db: TinyDB, checkin: CheckinDoc, reviews: dict[str, ReviewDoc]) -> None:
    """A check-in and its dated reviews; every commitment it answers must exist."""
    known = doc_ids(db, "commitments")
    for commitment_id in reviews:
        if commitment_id not in known:
            raise UserError(f"no commitment with id {commitment_id!r}")
    # Saving the same check-in again (a retry after an error) changes nothing.
    if checkin["id"] not in doc_ids(db, "checkins"):
        db.table("checkins", cache_size=0).insert(dict(checkin))
    for commitment_id, review in reviews.items():
        append_review(db, known, commitment_id, review, checkin["at"])
