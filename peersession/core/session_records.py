"""A finished session's records, and a check-in: what a group's file keeps of each meeting.

Declared as every stored record is (``core/records.py`` says how, and holds the
group's own records and the bundle): one ``msgspec.Struct`` each, each field
with its rules and what it means.
"""

# No ``from __future__ import annotations``: the fields' types are objects at once.
from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, UnsetType

from .free_text import MAX_NOTE
from .model import Holder as Holder  # declared with the group, whose next roles it holds
from .record_types import (
    ONE_LINE_PATTERN,
    At,
    Day,
    Id,
    Name,
    Record,
    Seconds,
    Text,
    Whole,
    doc,
    whole,
)
from .record_values import AttendanceStatus, GoalStanding, HealthQuestion, ReviewStatus, WinKind


class Note(Record):
    """A note taken in a meeting."""

    id: Annotated[Id, doc("Stable id.")]
    text: Annotated[Text, doc("What was noted.")]
    private: Annotated[bool, doc("Stays in the room: never exported without --include-private.")]
    at: Annotated[At, doc("When it was noted.")]
    part: (
        Annotated[
            Literal["update", "questions", "advice"],
            doc(
                "Where it was taken: an update turn, or an ask's questions or advice "
                "(absent: the session at large, or an older note)."
            ),
        ]
        | UnsetType
    ) = UNSET
    member_id: (
        Annotated[Id, doc("Whose turn or ask it was taken on (absent with part).")] | UnsetType
    ) = UNSET


class Review(Record):
    """One dated change of a commitment's status."""

    at: Annotated[At, doc("When the status changed.")]
    status: Annotated[ReviewStatus, doc("The new status.")]
    source: Annotated[Text, doc("`session`, `checkin` or `history` (changed later by hand).")]
    source_id: Annotated[Id | None, doc("The session or check-in that made it.")] | UnsetType = (
        UNSET
    )
    text: Annotated[Text | None, doc("The new text, when renegotiated.")] | UnsetType = UNSET
    due: Annotated[Day | None, doc("The new due date, when renegotiated.")] | UnsetType = UNSET
    note: Annotated[Text | None, doc("A word about it.")] | UnsetType = UNSET


class Commitment(Record):
    """What a member said they would do, with every review of it."""

    id: Annotated[Id, doc("Stable id (shown shortened by `checkin --list`).")]
    group_id: Annotated[Id, doc("The group.")]
    owner: Annotated[Id, doc("The member's id.")]
    text: Annotated[Text, doc("What they will do, as first said.")]
    due: Annotated[Day | None, doc("Due date, if any.")]
    private: Annotated[bool, doc("Stays in the room, with its reviews.")]
    made_at: Annotated[At, doc("When it was made.")]
    made_in: Annotated[Id, doc("The session it was made in.")]
    from_ask: Annotated[Id | None, doc("The ask it came out of, if any.")]
    reviews: Annotated[list[Review], doc("Its status changes, oldest first.")]
    updated_at: Annotated[At, doc("Last change; the newer version wins a merge.")]
    # -- goals (issue 25): optional, so older files read unchanged.
    goal_id: (
        Annotated[Id | None, doc("The member's goal it serves (absent or null: none).")] | UnsetType
    ) = UNSET


class Turn(Record):
    """A member's update turn."""

    member_id: Annotated[Id, doc("Who spoke.")]
    seconds: Annotated[Seconds, doc("How long they spoke.")]
    passed: Annotated[bool, doc("They passed.")]
    notes: Annotated[list[Note], doc("Notes taken during the turn.")]


class Extension(Record):
    """A vote to extend an ask."""

    minutes: Annotated[Seconds, doc("Minutes asked for.")]
    votes_for: Annotated[int, whole(low=0), doc("Votes in favour.")]
    voters: Annotated[int, whole(low=0), doc("Votes cast.")]
    granted: Annotated[bool, doc("Whether the time was granted.")]
    at: Annotated[At, doc("When it was voted.")]


class Ask(Record):
    """A member's ask for help in the hot seat."""

    id: Annotated[Id, doc("Stable id.")]
    member_id: Annotated[Id, doc("Who asked.")]
    text: Annotated[Text, doc("The ask.")]
    wanted_seconds: Annotated[Seconds, doc("Time asked for.")]
    private: Annotated[bool, doc("Stays in the room, with its notes and outcome.")]
    votes: Annotated[Whole, doc("Votes to take it up.")]
    question_seconds: Annotated[Seconds, doc("Time spent on clarifying questions.")]
    advice_seconds: Annotated[Seconds, doc("Time spent on advice.")]
    extensions: Annotated[list[Extension], doc("Extension votes.")]
    outcome: Annotated[Text | None, doc("What the member took away.")]
    commitment_id: Annotated[Id | None, doc("The commitment it led to.")]
    helpers: Annotated[list[Id], doc("Members who helped.")]
    notes: Annotated[list[Note], doc("Notes taken during the ask.")]
    done: Annotated[bool, doc("The ask was finished.")]


class Win(Record):
    """A win celebrated in the opening round."""

    id: Annotated[Id, doc("Stable id.")]
    member_id: Annotated[Id, doc("Whose win.")]
    kind: Annotated[WinKind, doc("What kind of win.")]
    text: Annotated[Text, doc("The win.")]
    private: Annotated[bool, doc("Stays in the room.")]
    at: Annotated[At, doc("When it was told.")]


class Guest(Record):
    """A guest of one session (`start --guest`), never a member."""

    id: Annotated[Id, doc("Stable id, used in the session's attendance and turns.")]
    name: Annotated[Name, doc("The name as shown (NFC).")]


class TimeAsked(Record):
    """What one member asked for at the opening (the `requests` rule), had and used."""

    member_id: Annotated[Id, doc("The member.")]
    choice: Annotated[
        Literal["minutes", "pass", "default"],
        doc("Asked for minutes, passed, or took an equal share of what was left."),
    ]
    asked_seconds: Annotated[Seconds, doc("Seconds asked for (0 unless `minutes`).")]
    given_seconds: Annotated[Seconds, doc("The turn's timebox when it began (0: no turn).")]
    used_seconds: Annotated[Seconds, doc("Seconds the turn took.")]


# -- the group's own review (issue 25): a session's health check and goals review --
HealthScore = Annotated[int, whole(low=1, high=5)]


def _five_counts(check: dict[str, Any]) -> None:
    counts = check.get("counts")
    if isinstance(counts, dict) and any(len(c) != 5 for c in counts.values()):
        raise ValueError("counts: five counts per question (how many gave 1, 2, 3, 4, 5)")


class HealthCheck(Record):
    """The group's health check at a session's Close (`core/health.py`)."""

    READ_RULES = (_five_counts,)

    anonymous: Annotated[bool, doc("Entered as counts per score, naming no one.")]
    scores: (
        Annotated[
            dict[Id, dict[HealthQuestion, HealthScore]],
            doc("Member id → question → score from 1 to 5 (a named check)."),
        ]
        | UnsetType
    ) = UNSET
    counts: (
        Annotated[
            dict[HealthQuestion, list[Annotated[int, whole(low=0, high=99)]]],
            doc("Question → how many gave 1, 2, 3, 4 and 5 (an anonymous check)."),
        ]
        | UnsetType
    ) = UNSET


class GoalReview(Record):
    """Where a member's goal stood at a session's goals review."""

    status: Annotated[GoalStanding, doc("`on_track`, `behind`, `reached` or `dropped`.")]
    at: Annotated[At, doc("When it was said.")]
    note: Annotated[Text, doc("A word about it.")] | UnsetType = UNSET


class Session(Record):
    """A finished session (the `sessions` table of a group file)."""

    id: Annotated[Id, doc("Stable id.")]
    group_id: Annotated[Id, doc("The group.")]
    template: Annotated[Text, doc("The agenda it followed.")]
    started_at: Annotated[At, doc("When it started.")]
    ended_at: Annotated[At, doc("When it ended.")]
    planned_minutes: Annotated[Whole, doc("Planned length.")]
    attendance: Annotated[dict[Id, AttendanceStatus], doc("Member id → attendance.")]
    order: Annotated[list[Id], doc("Speaking order (member ids).")]
    turns: Annotated[list[Turn], doc("Update turns.")]
    asks: Annotated[list[Ask], doc("Asks taken up.")]
    wins: Annotated[list[Win], doc("Wins celebrated.")]
    commitment_ids: Annotated[list[Id], doc("Commitments made in it.")]
    reviews: Annotated[dict[Id, Review], doc("Commitment id → its review in this session.")]
    ratings: Annotated[
        dict[Id, Annotated[int, whole(low=1, high=10)]], doc("Member id → rating from 1 to 10.")
    ]
    notes: Annotated[list[Note], doc("Notes on the session as a whole.")]
    next_meeting: Annotated[Day | None, doc("The next meeting agreed at the close.")]
    updated_at: Annotated[At, doc("Last change; the newer version wins a merge.")]
    # -- roles that rotate: optional (sessions saved before roles hold none) --
    roles: (
        Annotated[list[Holder], doc("Who held which role, in the group's role order.")] | UnsetType
    ) = UNSET
    # -- issue 24.3, guests: optional (none, or saved before guests) --
    guests: (
        Annotated[
            list[Guest],
            doc(
                "Guests of this session: never members, named here only (their ids "
                "are in its attendance, order and turns)."
            ),
        ]
        | UnsetType
    ) = UNSET
    # -- time asked for: optional (only sessions run under the `requests` rule) --
    time_asked: (
        Annotated[list[TimeAsked], doc("What each member asked for at the opening, had and used.")]
        | UnsetType
    ) = UNSET
    # -- the group's own review (issue 25): absent when the session had none --
    health: Annotated[HealthCheck, doc("The health check given at the Close.")] | UnsetType = UNSET
    goal_reviews: (
        Annotated[dict[Id, GoalReview], doc("Goal id → where it stood at the goals review.")]
        | UnsetType
    ) = UNSET


CheckinNote = Annotated[
    str,
    Meta(
        max_length=MAX_NOTE,
        pattern=ONE_LINE_PATTERN,
        extra={
            "read": None,
            "kind": "text",
            "label": f"one line of text, at most {MAX_NOTE} characters",
        },
    ),
]


class Checkin(Record):
    """A member's check-in between sessions."""

    id: Annotated[Id, doc("Stable id.")]
    group_id: Annotated[Id, doc("The group.")]
    member_id: Annotated[Id, doc("Who checked in.")]
    at: Annotated[At, doc("When.")]
    statuses: Annotated[dict[Id, ReviewStatus], doc("Commitment id → new status.")]
    note: Annotated[CheckinNote | None, doc("A one-line update.")]
    energy: Annotated[Annotated[int, whole(low=1, high=5)] | None, doc("Energy from 1 to 5.")]
    private: Annotated[bool, doc("Stays in the room, with the reviews it made.")]
    updated_at: Annotated[At, doc("Last change.")]
