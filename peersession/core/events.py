"""Facilitator actions: the events a live session is made of.

Each key press that changes the meeting becomes one action. The journal
stores them as ``{"seq", "at", "type", "data"}`` lines; the meeting state is a
pure fold of the entries (see :mod:`peersession.core.engine`). Actions carry
every value the fold needs (a shuffled order, a new id), so replaying the
journal rebuilds exactly the same meeting.

A journal line is a stored record like any other: :meth:`Entry.from_doc`
checks it against its declaration (``core/journal_records.py``) before the
fold sees it.

The actions are frozen msgspec Structs, not dataclasses, for a meeting's start
(``docs/internals.md``, "Screens, and what loads when").
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec
from pendulum import DateTime

from .model import parse_datetime_doc

_REGISTRY: dict[str, type[Action]] = {}


class Action(msgspec.Struct, frozen=True, gc=False):
    """Base class of every facilitator action."""

    TYPE: ClassVar[str] = ""
    #: Whether ``undo`` may take this action back.
    UNDOABLE: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.TYPE:
            _REGISTRY[cls.TYPE] = cls

    def to_data(self) -> dict[str, Any]:
        return msgspec.structs.asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Action:
        """The action its journal ``data`` holds, checked against its declared
        fields first (``ValueError`` naming the field)."""
        # The declarations (msgspec, every record's) load when a journal is read
        # (a resume), not when a new session starts.
        from .journal_records import check_action_data

        check_action_data(cls, data)
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**values)


class Entry(msgspec.Struct, frozen=True, gc=False):
    """One journaled action: its sequence number and when it happened."""

    seq: int
    at: DateTime
    action: Action

    def to_doc(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "type": self.action.TYPE,
            "data": self.action.to_data(),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Entry:
        """The entry a journal line holds; ``ValueError`` naming the field if it
        has not the declared shape (``core/journal_records.py``)."""
        from .journal_records import check_entry

        check_entry(doc)
        action_type = _REGISTRY.get(doc["type"])
        if action_type is None:
            raise ValueError("type: an action this version does not know")
        return cls(
            seq=doc["seq"],
            at=parse_datetime_doc(doc["at"]),
            action=action_type.from_data(doc.get("data", {})),
        )


# --- the session ------------------------------------------------------------


class SessionStarted(Action, frozen=True):
    """Opens the journal with everything the meeting needs (see ``MeetingSetup``)."""

    TYPE = "session_started"
    UNDOABLE = False
    setup: dict[str, Any] = msgspec.field(default_factory=dict)


class SessionEnded(Action, frozen=True):
    TYPE = "session_ended"
    UNDOABLE = False


class Undo(Action, frozen=True):
    """Takes back the action with sequence number ``target``."""

    TYPE = "undo"
    UNDOABLE = False
    target: int = 0


# --- moving through the agenda ---------------------------------------------


class Next(Action, frozen=True):
    """Next speaker, next part of an ask, or next phase, depending on where we are."""

    TYPE = "next"


class Back(Action, frozen=True):
    """The previous speaker, or the previous phase."""

    TYPE = "back"


class PhaseJumped(Action, frozen=True):
    """Skip straight to a phase (forwards or backwards)."""

    TYPE = "phase_jumped"
    phase: str = ""


class TimerToggled(Action, frozen=True):
    """Pause or resume the running timebox."""

    TYPE = "timer_toggled"


class TimeAdjusted(Action, frozen=True):
    """Give the running timebox more (positive) or less (negative) time."""

    TYPE = "time_adjusted"
    seconds: float = 60.0


# --- attendance and order --------------------------------------------------


class AttendanceMarked(Action, frozen=True):
    TYPE = "attendance_marked"
    member_id: str = ""
    status: str = "present"


class MemberArrived(Action, frozen=True):
    """A late member joins: they count for the budget and join the queue."""

    TYPE = "member_arrived"
    member_id: str = ""


class MemberLeft(Action, frozen=True):
    """A member leaves early: out of the queue and of the budget."""

    TYPE = "member_left"
    member_id: str = ""


class GuestArrived(Action, frozen=True):
    """A guest joins this session only (issue 24.3): they speak and are timed,
    make no commitment and hold no role; never a member of the group."""

    TYPE = "guest_arrived"
    guest_id: str = ""
    name: str = ""


class OrderShuffled(Action, frozen=True):
    """The remaining speakers in a new order (drawn by the caller, recorded here)."""

    TYPE = "order_shuffled"
    order: tuple[str, ...] = ()


class SpeakerPassed(Action, frozen=True):
    """The current speaker passes: no update this time."""

    TYPE = "speaker_passed"


class SpeakerSkipped(Action, frozen=True):
    """The current speaker goes to the end of the queue, to speak later."""

    TYPE = "speaker_skipped"


# --- roles ---------------------------------------------------------------------


class RoleGiven(Action, frozen=True):
    """A role goes to ``member_id`` for this session; if they held another role,
    its holder takes that one instead (a swap, so no one holds two)."""

    TYPE = "role_given"
    role: str = ""
    member_id: str = ""


# --- time asked for (the ``requests`` rule) -----------------------------------


class TimeRequested(Action, frozen=True):
    """What a member asks for in the opening's round: ``minutes`` (``seconds`` of
    them), ``pass``, or ``default`` (an equal share of what the requests leave)."""

    TYPE = "time_requested"
    member_id: str = ""
    choice: str = "default"
    seconds: float = 0.0


class TimeRequestsScaled(Action, frozen=True):
    """The facilitator accepts the proposed scaling of requests that do not fit."""

    TYPE = "time_requests_scaled"


# --- content ------------------------------------------------------------------


class NoteAdded(Action, frozen=True):
    """A note on the current turn, the current ask, or the session."""

    TYPE = "note_added"
    note_id: str = ""
    text: str = ""
    private: bool = False


class WinAdded(Action, frozen=True):
    TYPE = "win_added"
    win_id: str = ""
    member_id: str = ""
    kind: str = "other"
    text: str = ""
    private: bool = False


class CommitmentAdded(Action, frozen=True):
    TYPE = "commitment_added"
    commitment_id: str = ""
    owner: str = ""
    text: str = ""
    due: str | None = None
    private: bool = False
    from_ask: str | None = None
    #: The owner's active goal it serves (one of the setup's), if any.
    goal_id: str | None = None

    def to_data(self) -> dict[str, Any]:
        data = super().to_data()
        if data["goal_id"] is None:
            # Left out when none is named: a journal an older peersession (a
            # member following a shared session) reads as it always has.
            del data["goal_id"]
        return data


class PrivacyToggled(Action, frozen=True):
    """Mark a note, ask, win or commitment private (or public again)."""

    TYPE = "privacy_toggled"
    item_id: str = ""


class ReviewMarked(Action, frozen=True):
    """A commitment from an earlier session is reviewed."""

    TYPE = "review_marked"
    commitment_id: str = ""
    status: str = "done"
    text: str | None = None
    due: str | None = None
    note: str | None = None


# --- asks -----------------------------------------------------------------------


class AskAdded(Action, frozen=True):
    TYPE = "ask_added"
    ask_id: str = ""
    member_id: str = ""
    text: str = ""
    wanted_seconds: float = 600.0
    private: bool = False


class AskVoted(Action, frozen=True):
    """The group's thumbs count for a queued ask."""

    TYPE = "ask_voted"
    ask_id: str = ""
    votes: int = 0


class AskMoved(Action, frozen=True):
    """Move a queued ask up (negative) or down (positive)."""

    TYPE = "ask_moved"
    ask_id: str = ""
    delta: int = -1


class AsksSorted(Action, frozen=True):
    """Sort the queue: by ``votes``, least ``airtime`` first, or fewest ``asks`` lately."""

    TYPE = "asks_sorted"
    by: str = "votes"


class AskStarted(Action, frozen=True):
    """Put a queued ask in the hot seat (otherwise ``Next`` takes the top one)."""

    TYPE = "ask_started"
    ask_id: str = ""


class ExtensionVoted(Action, frozen=True):
    """A thumbs vote to extend the running ask; granted on a majority of voters."""

    TYPE = "extension_voted"
    votes_for: int = 0
    voters: int = 0


class AskEnded(Action, frozen=True):
    """The ask ends; the asker's "I will ..." becomes a commitment they own."""

    TYPE = "ask_ended"
    outcome: str | None = None
    commitment_id: str | None = None
    due: str | None = None
    helpers: tuple[str, ...] = ()
    private: bool = False
    #: The asker's active goal the commitment serves, if any.
    goal_id: str | None = None


# --- close ------------------------------------------------------------------------


class RatingGiven(Action, frozen=True):
    TYPE = "rating_given"
    member_id: str = ""
    rating: int = 0


class NextMeetingSet(Action, frozen=True):
    TYPE = "next_meeting_set"
    date: str = ""


# --- the group's own review (issue 25) ------------------------------------------------


class HealthScored(Action, frozen=True):
    """A member's score (1 to 5) for one question of the health check."""

    TYPE = "health_scored"
    member_id: str = ""
    question: str = ""
    score: int = 0


class HealthCounted(Action, frozen=True):
    """An anonymous check: how many gave ``score`` to ``question``."""

    TYPE = "health_counted"
    question: str = ""
    score: int = 0
    count: int = 0


class GoalReviewed(Action, frozen=True):
    """Where one active goal stands, said at the goals review."""

    TYPE = "goal_reviewed"
    goal_id: str = ""
    status: str = "on_track"
    note: str | None = None


def action_types() -> dict[str, type[Action]]:
    """Every registered action type by its journal name."""
    return dict(_REGISTRY)
