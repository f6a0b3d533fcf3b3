"""Stays in the room: removing private items before anything leaves the app.

Every export and bundle goes through these functions; nothing marked private
(a note, an ask, a win, a commitment, a check-in) leaves without an explicit
``include_private``: the export command hands every format the commitments
without what private check-ins said of them (:func:`without_checkin_reviews`),
so no summary (a recap, a bundle, the calendar's open commitments) can count
a private answer. An ask that is private takes its notes and outcome with
it; a private commitment takes its reviews; a private check-in takes the
reviews it made of public commitments.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from msgspec import UNSET
from msgspec.structs import replace

from .lifecycle import sees_private_of
from .model import Member

if TYPE_CHECKING:
    from .records import Goal
    from .session_records import Checkin, Commitment, Note, Review, Session


def _public_notes(notes: list[Note]) -> list[Note]:
    return [n for n in notes if not n.private]


def redact_session(session: Session, private_commitments: set[str]) -> Session:
    """A copy of ``session`` without private notes, asks, wins or reviews of
    private commitments."""
    return replace(
        session,
        turns=[replace(t, notes=_public_notes(t.notes)) for t in session.turns],
        asks=[
            replace(
                a,
                notes=_public_notes(a.notes),
                commitment_id=None if a.commitment_id in private_commitments else a.commitment_id,
                outcome=None if a.commitment_id in private_commitments else a.outcome,
            )
            for a in session.asks
            if not a.private
        ],
        wins=[w for w in session.wins if not w.private],
        notes=_public_notes(session.notes),
        commitment_ids=[c for c in session.commitment_ids if c not in private_commitments],
        reviews={
            cid: review for cid, review in session.reviews.items() if cid not in private_commitments
        },
    )


def public_commitments(
    commitments: list[Commitment], private_checkins: Collection[str] = ()
) -> list[Commitment]:
    """Public commitments, without the reviews a private check-in made
    (:func:`without_checkin_reviews`)."""
    return [c for c in without_checkin_reviews(commitments, private_checkins) if not c.private]


def without_checkin_reviews(
    commitments: Iterable[Commitment],
    private_checkins: Collection[str],
    session_ends: Mapping[str, str] | None = None,
) -> list[Commitment]:
    """Every commitment (private ones kept, and flagged), without the reviews the
    ``private_checkins`` made: what every export starts from.

    A private check-in stays in the room whole: not its note, and not the
    status, source and time it left on a public commitment either, so a
    commitment it marked done is still open in any summary (the calendar's list
    of open commitments too). When the check-in was the commitment's last
    change, ``updated_at`` is taken back to the one before: a session's change
    counts from the session's end (``session_ends``: session id → ``ended_at``,
    as the history writes it), any other from its own moment.
    """
    ends = session_ends or {}
    result: list[Commitment] = []
    for commitment in commitments:
        hidden = [r for r in commitment.reviews if _from_private_checkin(r, private_checkins)]
        if not hidden:
            result.append(commitment)
            continue
        reviews = [r for r in commitment.reviews if r not in hidden]
        updated_at = commitment.updated_at
        if any(r.at == updated_at for r in hidden):
            made = ends.get(commitment.made_in, commitment.made_at)
            updated_at = max([made, *(_changed_at(r, ends) for r in reviews)])
        result.append(replace(commitment, reviews=reviews, updated_at=updated_at))
    return result


def _changed_at(review: Review, session_ends: Mapping[str, str]) -> str:
    """When a review changed its commitment: a session's at the session's end."""
    if review.source == "session":
        return session_ends.get(review.source_id or "", review.at)
    return review.at


def _from_private_checkin(review: Review, private_checkins: Collection[str]) -> bool:
    return review.source == "checkin" and (review.source_id or None) in private_checkins


def private_checkin_ids(checkins: Iterable[Checkin]) -> set[str]:
    return {c.id for c in checkins if c.private}


def public_checkins(checkins: list[Checkin], private_commitments: set[str]) -> list[Checkin]:
    """Check-ins without private ones, and without statuses of private commitments."""
    return [
        _without_statuses_of(checkin, private_commitments)
        for checkin in checkins
        if not checkin.private
    ]


def _without_statuses_of(checkin: Checkin, commitment_ids: set[str]) -> Checkin:
    """A copy of ``checkin`` without its answers on ``commitment_ids``."""
    statuses = {k: v for k, v in checkin.statuses.items() if k not in commitment_ids}
    return replace(checkin, statuses=statuses)


def private_ids(commitments: list[Commitment]) -> set[str]:
    return {c.id for c in commitments if c.private}


# --- a member who joined later (issue 24.3) --------------------------------------------------


@dataclass(frozen=True)
class SeenBy:
    """What may be shown or sent to one member: the group's documents without the
    private items of sessions before they joined (``core/lifecycle.py``)."""

    sessions: list[Session]
    commitments: list[Commitment]
    checkins: list[Checkin]
    #: How many sessions had private items taken out (to say so).
    sessions_cut: int = 0
    goals: list[Goal] = field(default_factory=list)


def seen_by(
    member: Member,
    sessions: Iterable[Session],
    commitments: Iterable[Commitment],
    checkins: Iterable[Checkin] = (),
    day_of: Callable[[str], date] | None = None,
    goals: Iterable[Goal] = (),
) -> SeenBy:
    """The documents as ``member`` may see them: a session before they joined
    keeps its public items only (:func:`redact_session`), a private commitment
    made in one goes with its reviews (in later sessions too), and a private
    check-in before they joined goes with what it said (statuses and the
    reviews it left on public commitments). A private goal set before they
    joined goes as a private commitment does (with where every goals review
    said it stood), and a session before they joined keeps no word on any
    private goal. A member with no join date sees
    everything; a guest sees no private item at all. ``day_of``: an ISO moment
    → its calendar day (default: this machine's, as the history shows it)."""
    from .local_days import local_day

    day = day_of or local_day
    every_session = list(sessions)
    every_commitment = list(commitments)
    every_checkin = list(checkins)
    every_goal = list(goals)
    early = {s.id for s in every_session if not sees_private_of(member, day(s.started_at))}
    hidden = {
        c.id
        for c in every_commitment
        if c.private and (c.made_in in early or not sees_private_of(member, day(c.made_at)))
    }
    secret = {c.id for c in every_checkin if c.private and not sees_private_of(member, day(c.at))}
    unseen_goals = {
        g.id for g in every_goal if g.private and not sees_private_of(member, day(g.created_at))
    }
    if not early and not hidden and not secret and not unseen_goals:
        return SeenBy(every_session, every_commitment, every_checkin, goals=every_goal)

    private_goals = {g.id for g in every_goal if g.private}
    shown_sessions = [
        _without_goal_reviews_of(
            redact_session(s, hidden | private_ids(every_commitment)), private_goals
        )
        if s.id in early
        else _without_goal_reviews_of(_without_reviews_of(s, hidden), unseen_goals)
        for s in every_session
    ]
    kept = [_without_goal_link(c, unseen_goals) for c in every_commitment if c.id not in hidden]
    wins = {w.id for s in shown_sessions for w in s.wins}
    shown_goals = [
        replace(g, win_ids=[w for w in g.win_ids if w in wins])
        for g in every_goal
        if g.id not in unseen_goals
    ]
    shown_checkins = [_without_statuses_of(c, hidden) for c in every_checkin if c.id not in secret]
    return SeenBy(
        shown_sessions,
        without_checkin_reviews(kept, secret),
        shown_checkins,
        sessions_cut=len(early),
        goals=shown_goals,
    )


def _without_goal_reviews_of(session: Session, goal_ids: set[str]) -> Session:
    """``session`` without what its goals review said of ``goal_ids``."""
    said = session.goal_reviews
    if not said or not goal_ids & set(said):
        return session
    return replace(session, goal_reviews={k: v for k, v in said.items() if k not in goal_ids})


def _without_goal_link(commitment: Commitment, goal_ids: set[str]) -> Commitment:
    """``commitment`` without its link to a goal of ``goal_ids`` (the id alone
    would say that a private goal exists)."""
    if commitment.goal_id is UNSET or commitment.goal_id not in goal_ids:
        return commitment
    return replace(commitment, goal_id=UNSET)


def _without_reviews_of(session: Session, hidden: set[str]) -> Session:
    """A session after the member joined, without what it said of commitments
    they may not see (made, privately, before they joined)."""
    if not hidden or not (
        hidden & set(session.reviews)
        or hidden & set(session.commitment_ids)
        or any(a.commitment_id in hidden for a in session.asks)
    ):
        return session
    return replace(
        session,
        reviews={k: v for k, v in session.reviews.items() if k not in hidden},
        commitment_ids=[c for c in session.commitment_ids if c not in hidden],
        asks=[
            replace(a, commitment_id=None, outcome=None) if a.commitment_id in hidden else a
            for a in session.asks
        ],
    )
