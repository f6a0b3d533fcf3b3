"""What a finished meeting leaves in the history.

``session_record`` turns an ended :class:`Meeting` into the documents the
history keeps: the session itself, the commitments made in it, and the
reviews it made of earlier commitments. It is pure, so the same journal always
produces the same record (committing twice after a crash is harmless).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from msgspec import UNSET
from pendulum import DateTime

from .engine import Meeting
from .goal_rules import GoalStatus
from .record_types import stored
from .session_records import Commitment, Review


@dataclass(frozen=True)
class SessionRecord:
    session: dict[str, Any]
    commitments: list[Commitment]
    #: Commitment id → the review this session made of it.
    reviews: dict[str, Review]
    #: Earlier commitments whose privacy this session changed: id → private.
    privacy: dict[str, bool] = field(default_factory=dict)
    #: Goals the goals review found reached or dropped: goal id → that status.
    goal_statuses: dict[str, GoalStatus] = field(default_factory=dict)


def time_asked(meeting: Meeting, ended: DateTime) -> list[dict[str, Any]]:
    """What each member at the session asked for at the opening, had and used."""
    rows: list[dict[str, Any]] = []
    for member_id in meeting.attended:
        request = meeting.requests.get(member_id)
        turn = meeting.turns.get(member_id)
        rows.append(
            {
                "member_id": member_id,
                "choice": request.choice if request else "default",
                "asked_seconds": float(request.seconds) if request else 0.0,
                "given_seconds": round(turn.given, 3) if turn else 0.0,
                "used_seconds": round(turn.box.elapsed(ended), 3) if turn else 0.0,
            }
        )
    return rows


def session_record(meeting: Meeting, *, as_of: DateTime | None = None) -> SessionRecord:
    """The documents of an ended meeting, or of a live one as if it ended ``as_of``
    (the recap on screen is built the same way as the history's)."""
    ended_at = meeting.ended_at or as_of
    if ended_at is None:
        raise ValueError("only an ended meeting can be recorded (or pass as_of)")
    ended = ended_at
    ended_iso = ended.isoformat()
    group_id = meeting.setup.group.id

    turns: list[dict[str, Any]] = [
        {
            "member_id": member_id,
            "seconds": round(meeting.turns[member_id].box.elapsed(ended), 3),
            "passed": meeting.turns[member_id].passed,
            "notes": [n.to_doc() for n in meeting.turns[member_id].notes],
        }
        for member_id in meeting.spoken
    ]
    asks: list[dict[str, Any]] = [
        {
            "id": ask.id,
            "member_id": ask.member_id,
            "text": ask.text,
            "wanted_seconds": ask.wanted,
            "private": ask.private,
            "votes": ask.votes,
            "question_seconds": round(ask.questions.elapsed(ended), 3) if ask.questions else 0.0,
            "advice_seconds": round(ask.advice.elapsed(ended), 3) if ask.advice else 0.0,
            "extensions": [
                {
                    "minutes": e["minutes"],
                    "votes_for": e["votes_for"],
                    "voters": e["voters"],
                    "granted": e["granted"],
                    "at": e["at"],
                }
                for e in ask.extensions
            ],
            "outcome": ask.outcome,
            "commitment_id": ask.commitment_id,
            "helpers": list(ask.helpers),
            "notes": [n.to_doc() for n in ask.notes],
            "done": ask.part == "done",
        }
        for ask in meeting.asks.values()
    ]
    wins: list[dict[str, Any]] = [
        {
            "id": w.id,
            "member_id": w.member_id,
            "kind": w.kind,
            "text": w.text,
            "private": w.private,
            "at": w.at.isoformat(),
        }
        for w in meeting.wins
    ]
    commitments = [
        Commitment(
            id=c.id,
            group_id=group_id,
            owner=c.owner,
            text=c.text,
            due=c.due or meeting.next_meeting,
            private=c.private,
            made_at=c.at.isoformat(),
            made_in=meeting.session_id,
            from_ask=c.from_ask,
            reviews=[],
            updated_at=ended_iso,
            # Absent without a goal, as before goals.
            goal_id=c.goal_id if c.goal_id is not None else UNSET,
        )
        for c in meeting.commitments.values()
    ]
    reviews = {
        commitment_id: Review(
            at=review.at.isoformat(),
            status=review.status,
            source="session",
            source_id=meeting.session_id,
            # Each absent when not said, as before.
            text=review.text or UNSET,
            due=review.due or UNSET,
            note=review.note or UNSET,
        )
        for commitment_id, review in meeting.reviews.items()
    }

    session: dict[str, Any] = {
        "id": meeting.session_id,
        "group_id": group_id,
        "template": meeting.setup.template.name,
        "started_at": meeting.started_at.isoformat(),
        "ended_at": ended_iso,
        "planned_minutes": meeting.setup.length_minutes,
        "attendance": dict(meeting.attendance),
        "order": list(meeting.spoken),
        "turns": turns,
        "asks": asks,
        "wins": wins,
        "commitment_ids": [c.id for c in commitments],
        "reviews": {commitment_id: stored(r) for commitment_id, r in reviews.items()},
        "ratings": dict(meeting.ratings),
        "notes": [n.to_doc() for n in meeting.session_notes],
        "next_meeting": meeting.next_meeting,
        "updated_at": ended_iso,
    }
    if meeting.roles:
        session["roles"] = [{"role": r, "member_id": m} for r, m in meeting.roles.items()]
    guests = [m for m in meeting.setup.group.members if m.guest]
    if guests:
        session["guests"] = [{"id": m.id, "name": m.name} for m in guests]
    if meeting.setup.group.talking_time == "requests":
        session["time_asked"] = time_asked(meeting, ended)
    # -- the group's own review (issue 25): kept only when the session had it --
    health = meeting.health_doc()
    if health is not None:
        session["health"] = health
    goal_statuses: dict[str, GoalStatus] = {}
    if meeting.goal_reviews:
        goal_reviews: dict[str, dict[str, Any]] = {}
        for goal_id, standing in meeting.goal_reviews.items():
            said: dict[str, Any] = {"status": standing.status, "at": standing.at.isoformat()}
            if standing.note:
                said["note"] = standing.note
            goal_reviews[goal_id] = said
            if standing.status == "reached" or standing.status == "dropped":
                goal_statuses[goal_id] = standing.status
        session["goal_reviews"] = goal_reviews
    privacy = {
        item.commitment_id: meeting.review_private(item.commitment_id)
        for item in meeting.setup.review_items
        if item.commitment_id in meeting.review_privacy
    }
    return SessionRecord(
        session=session,
        commitments=commitments,
        reviews=reviews,
        privacy=privacy,
        goal_statuses=goal_statuses,
    )
