"""The things a live meeting holds: turns, asks, notes, wins, commitments, reviews.

One dataclass per kind, so every item is read the same way (``item.id``,
``item.private``) and the engine never mixes dictionaries with objects. The
stored documents (declared in :mod:`peersession.core.session_records`) are
made from these by :mod:`peersession.core.record`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pendulum import DateTime

from .record_values import GoalStanding, ReviewStatus, WinKind
from .timebox import Timebox, TimerState

#: Where a note was taken: an update turn, a part of an ask, or the session at large.
NotePart = Literal["update", "questions", "advice", "session"]

AskPart = Literal["queued", "questions", "advice", "done"]


@dataclass
class Note:
    id: str
    text: str
    private: bool
    at: DateTime
    part: NotePart = "session"
    #: Whose turn or ask the note was taken on (``None`` for a session note).
    member_id: str | None = None

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": self.id,
            "text": self.text,
            "private": self.private,
            "at": self.at.isoformat(),
        }
        if self.part != "session":
            doc["part"] = self.part
        if self.member_id is not None:
            doc["member_id"] = self.member_id
        return doc


@dataclass
class Turn:
    member_id: str
    box: Timebox
    passed: bool = False
    finished: bool = False
    notes: list[Note] = field(default_factory=list)
    #: The timebox the turn began with (before any + or -): the member's share.
    given: float = 0.0


@dataclass
class Ask:
    id: str
    member_id: str
    text: str
    wanted: float
    private: bool
    added_at: DateTime
    votes: int = 0
    part: AskPart = "queued"
    questions: Timebox | None = None
    advice: Timebox | None = None
    #: Votes to extend, as stored (an ``Extension``: minutes, votes, granted, at).
    extensions: list[dict[str, Any]] = field(default_factory=list)
    outcome: str | None = None
    commitment_id: str | None = None
    helpers: tuple[str, ...] = ()
    notes: list[Note] = field(default_factory=list)

    @property
    def active_box(self) -> Timebox | None:
        if self.part == "questions":
            return self.questions
        if self.part == "advice":
            return self.advice
        return None

    def seconds_used(self, now: DateTime) -> float:
        return sum(box.elapsed(now) for box in (self.questions, self.advice) if box)


@dataclass
class Commitment:
    id: str
    owner: str
    text: str
    due: str | None
    private: bool
    from_ask: str | None
    at: DateTime
    #: The owner's goal it serves (issue 25), if any.
    goal_id: str | None = None


@dataclass
class Win:
    id: str
    member_id: str
    kind: WinKind
    text: str
    private: bool
    at: DateTime


@dataclass
class Review:
    status: ReviewStatus
    at: DateTime
    text: str | None = None
    due: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class GoalReview:
    """Where a goal stands, said at the goals review (issue 25)."""

    status: GoalStanding
    at: DateTime
    note: str | None = None


@dataclass(frozen=True)
class TimerView:
    """What the big countdown shows."""

    label: str
    remaining: float
    budget: float
    state: TimerState
