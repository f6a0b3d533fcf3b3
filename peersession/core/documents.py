"""The documents a finished session leaves, as the code reads them.

Sessions, commitments, check-ins and goals are stored, exported and merged
between machines as JSON documents; these ``TypedDict``s name their keys for
mypy (each is declared once as a stored record in ``core/records.py``, and a
test keeps the two naming the same fields), with the value types they use.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict, get_args

AttendanceStatus = Literal["present", "absent", "late"]
ReviewStatus = Literal["done", "partial", "not_done", "renegotiated", "dropped"]
WinKind = Literal["promotion", "grant", "publication", "award", "personal", "other"]
# -- the group's own review (issue 25: core/health.py, core/goal_reviews.py) --
HealthQuestion = Literal["safe", "focus", "balance", "schedule", "worth"]
#: Where a goal stands when the goals review asks.
GoalStanding = Literal["on_track", "behind", "reached", "dropped"]

ATTENDANCE_STATUSES: tuple[AttendanceStatus, ...] = get_args(AttendanceStatus)
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
WIN_KINDS: tuple[WinKind, ...] = get_args(WinKind)


class NoteDoc(TypedDict):
    id: str
    text: str
    private: bool
    at: str
    #: Where it was taken: ``update``, ``questions`` or ``advice`` (absent: the session).
    part: NotRequired[str]
    #: Whose turn or ask it was taken on (absent for a session note).
    member_id: NotRequired[str]


class GoalDoc(TypedDict):
    """A member's goal (the ``goals`` table; rules in ``core/goals.py``)."""

    id: str
    group_id: str
    #: The member's id.
    owner: str
    title: str
    #: The horizon date, if any.
    by: str | None
    #: How it is measured, if said.
    measure: str | None
    #: ``active``, ``reached`` or ``dropped``.
    status: str
    private: bool
    #: Wins (by id, in sessions) that reached it.
    win_ids: list[str]
    created_at: str
    updated_at: str


class TurnDoc(TypedDict):
    member_id: str
    seconds: float
    passed: bool
    notes: list[NoteDoc]


class ExtensionDoc(TypedDict):
    minutes: float
    votes_for: int
    voters: int
    granted: bool
    at: str


class AskDoc(TypedDict):
    id: str
    member_id: str
    text: str
    wanted_seconds: float
    private: bool
    votes: int
    question_seconds: float
    advice_seconds: float
    extensions: list[ExtensionDoc]
    outcome: str | None
    commitment_id: str | None
    helpers: list[str]
    notes: list[NoteDoc]
    done: bool


class WinDoc(TypedDict):
    id: str
    member_id: str
    kind: WinKind
    text: str
    private: bool
    at: str


class HolderDoc(TypedDict):
    """Who held one role in a session (or holds it at the next, ``next_roles``)."""

    role: str
    member_id: str


class TimeAskedDoc(TypedDict):
    """What one member asked for at the opening, had and used (``core/talking_time.py``)."""

    member_id: str
    #: ``minutes``, ``pass`` or ``default``.
    choice: str
    asked_seconds: float
    given_seconds: float
    used_seconds: float


# -- the group's own review (issue 25): a session's health check and goals review --
class HealthDoc(TypedDict):
    """A session's health check as stored (``Session.health``)."""

    anonymous: bool
    #: Member id → question → score 1 to 5 (a named check).
    scores: NotRequired[dict[str, dict[str, int]]]
    #: Question → how many gave each score, 1 to 5 (an anonymous check).
    counts: NotRequired[dict[str, list[int]]]


class GoalReviewDoc(TypedDict):
    """Where one goal stood at a session's goals review."""

    status: GoalStanding
    at: str
    note: NotRequired[str]


class SessionDoc(TypedDict):
    id: str
    group_id: str
    template: str
    started_at: str
    ended_at: str
    planned_minutes: int
    attendance: dict[str, AttendanceStatus]
    order: list[str]
    turns: list[TurnDoc]
    asks: list[AskDoc]
    wins: list[WinDoc]
    #: Commitments made in this session (full copies live in the commitments table).
    commitment_ids: list[str]
    #: Reviews of earlier commitments made in this session: commitment id → review,
    #: as stored (declared as ``core/session_records.Review``).
    reviews: dict[str, dict[str, Any]]
    ratings: dict[str, int]
    notes: list[NoteDoc]
    next_meeting: str | None
    updated_at: str
    #: Who held which role, in the group's role order (absent: saved before roles).
    roles: NotRequired[list[HolderDoc]]
    # -- issue 24.3: guests of this session (absent: none, or saved before guests) --
    #: Who visited once: never members, named here only (their ids are in the
    #: attendance, order and turns like anyone who spoke).
    guests: NotRequired[list[GuestDoc]]
    #: What each member asked for and used (only sessions run under ``requests``).
    time_asked: NotRequired[list[TimeAskedDoc]]

    # -- the group's own review (issue 25): absent when the session had none --
    health: NotRequired[HealthDoc]
    #: Goal id → where it stood at the goals review.
    goal_reviews: NotRequired[dict[str, GoalReviewDoc]]


class GuestDoc(TypedDict):
    """A guest of one session."""

    id: str
    name: str


class CheckinDoc(TypedDict):
    id: str
    group_id: str
    member_id: str
    at: str
    statuses: dict[str, ReviewStatus]
    note: str | None
    energy: int | None
    private: bool
    updated_at: str
