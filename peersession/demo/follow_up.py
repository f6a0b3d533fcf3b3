"""What happens to a commitment after it is made: session reviews and check-ins.

A member's ``reliability`` decides how often they finish; one carried twice
is finished or let go; a renegotiated one becomes a smaller promise due next
time. Between sessions a member sometimes checks in on their open ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import date as StdDate

from ..core.commitment_state import CLOSED_STATUSES
from ..core.record_types import read_as
from ..core.record_values import ReviewStatus
from ..core.session_records import Checkin, Review
from .state import GroupState, OpenCommitment, iso, weighted
from .vocabulary import CHECKIN_NOTES, RENEGOTIATED, REVIEW_NOTES

_MISSED: tuple[ReviewStatus, ...] = ("partial", "not_done", "renegotiated", "dropped")


def _review(at: str, status: ReviewStatus, source: str, source_id: str) -> Review:
    """A review as a file would hold it (read as its class: a long demo goes back
    before the years a review may be given at the doors)."""
    return read_as(Review, {"at": at, "status": status, "source": source, "source_id": source_id})


def review(
    state: GroupState, item: OpenCommitment, at: datetime, session_id: str, next_iso: str
) -> Review:
    """The session's review of an open commitment (closing it when done or dropped)."""
    rng = state.rng
    reliability = state.profiles[item.owner].reliability
    status: ReviewStatus
    if item.session_reviews >= 2:
        # Carried twice already: finish it or let it go.
        status = "done" if rng.random() < reliability else "dropped"
    elif rng.random() < reliability:
        status = "done"
    else:
        status = weighted(rng, _MISSED, (0.35, 0.65, 0.85, 1.0))
    doc = _review(iso(at), status, "session", session_id)
    if status == "renegotiated":
        # A smaller version of the same promise, due next time (the second
        # time round only the date moves).
        if not item.renegotiated:
            text = item.text
            if text.startswith("I will "):
                text = text[len("I will ") :].capitalize()
            item.text = rng.choice(RENEGOTIATED).format(text=text)
            doc.text = item.text
            item.renegotiated = True
        doc.due = next_iso
    if status != "done" and rng.random() < 0.35:
        doc.note = rng.choice(REVIEW_NOTES)
    item.session_reviews += 1
    if status in CLOSED_STATUSES:
        del state.open[item.id]
    return doc


def checkin(
    state: GroupState, after: StdDate, before: StdDate, force: bool
) -> tuple[Checkin, dict[str, Review]] | None:
    """Maybe a member's check-in on their open commitments between two dates."""
    rng = state.rng
    first = after + timedelta(days=1)
    span = (before - first).days
    if span < 1 or not state.open or (not force and rng.random() > 0.35):
        return None
    owners = sorted({o.owner for o in state.open.values()}, key=state.rank.__getitem__)
    member = rng.choice(owners)
    day = first + timedelta(days=rng.randrange(span))
    at = iso(
        datetime(day.year, day.month, day.day, rng.randint(7, 21), rng.randrange(60), tzinfo=UTC)
    )
    checkin_id = state.new_id()
    reliability = state.profiles[member].reliability
    mine = [o for o in state.open.values() if o.owner == member][:3]
    statuses: dict[str, ReviewStatus] = {}
    reviews: dict[str, Review] = {}
    for item in mine:
        r = rng.random()
        status: ReviewStatus = (
            "done" if r < reliability * 0.5 else "partial" if r < 0.85 else "not_done"
        )
        statuses[item.id] = status
        reviews[item.id] = _review(at, status, "checkin", checkin_id)
        if status in CLOSED_STATUSES:
            del state.open[item.id]
    # The random draws in the order they always were: the same seed, the same demo.
    note = rng.choice(CHECKIN_NOTES) if rng.random() < 0.7 else None
    energy = rng.randint(1, 5) if rng.random() < 0.8 else None
    private = rng.random() < 0.15
    # By its types alone, as a file's check-in is read: a generated history of a
    # thousand sessions reaches back before the years a door takes (1970).
    made = read_as(
        Checkin,
        {
            "id": checkin_id,
            "group_id": state.group.id,
            "member_id": member,
            "at": at,
            "statuses": statuses,
            "note": note,
            "energy": energy,
            "private": private,
            "updated_at": at,
        },
    )
    return made, reviews
