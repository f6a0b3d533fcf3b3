"""Facilitator actions: the events a live session is made of.

Each key press that changes the meeting becomes one action. The journal
stores them as ``{"seq", "at", "type", "data"}`` lines; the meeting state is a
pure fold of the entries (see :mod:`peersession.core.engine`). Actions carry
every value the fold needs (a shuffled order, a new id), so replaying the
journal rebuilds exactly the same meeting.

A journal line is a stored record like any other: :meth:`Entry.from_doc`
checks it against its declared shape (:data:`ENTRY` and :func:`data_shape`:
the action's own fields by their types and names, built from the blocks of
``core/shapes.py``), so a
journal is held to the same value rules as the history and a bundle (dates a
reader can compute with, numbers every format can hold) before the fold sees
it, and a wrong one is named by its field, never by its contents.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any, ClassVar, get_type_hints

from pendulum import DateTime

from .model import parse_datetime_doc
from .shapes import (
    Boolean,
    Day,
    Document,
    Field,
    Ident,
    ListOf,
    MapOf,
    Maybe,
    Number,
    Rules,
    Shape,
    Text,
    Timestamp,
)

_REGISTRY: dict[str, type[Action]] = {}


@dataclass(frozen=True)
class Action:
    """Base class of every facilitator action."""

    TYPE: ClassVar[str] = ""
    #: Whether ``undo`` may take this action back.
    UNDOABLE: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.TYPE:
            _REGISTRY[cls.TYPE] = cls

    def to_data(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Action:
        """The action its journal ``data`` holds, checked against its declared
        fields first (:class:`~peersession.core.shapes.Invalid` names the field)."""
        shape = data_shape(cls)
        shape.check(data, "data", Rules.SHAPE)
        unknown = len(set(data) - set(shape.fields))
        if unknown:
            # Their names are the file's bytes: counted, never shown.
            raise ValueError(f"data: {unknown} field(s) a {cls.TYPE} action does not have")
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**values)


@dataclass(frozen=True)
class Entry:
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
        """The entry a journal line holds; ``ValueError`` (an
        :class:`~peersession.core.shapes.Invalid` naming the field) if it has not
        the declared shape."""
        ENTRY.check(doc, "", Rules.SHAPE)
        action_type = _REGISTRY.get(doc["type"])
        if action_type is None:
            raise ValueError("type: an action this version does not know")
        return cls(
            seq=doc["seq"],
            at=parse_datetime_doc(doc["at"]),
            action=action_type.from_data(doc.get("data", {})),
        )


#: A journal line around its action's data (checked by :func:`data_shape`).
ENTRY = Document(
    "journal entry",
    "One facilitator action, as one line of the live session's journal.",
    {
        "seq": Field(Number(whole=True), "Its place in the session, counting from 1."),
        "at": Field(Timestamp(), "When it was taken."),
        "type": Field(Text(), "What kind of action (`note_added`, ...)."),
        "data": Field(Document("action data", "The action's fields.", {}), "Its fields.", False),
    },
)

#: Fields whose text is a date (``YYYY-MM-DD``) or a moment: they meet the stored
#: dates' rules.
_DAY_FIELDS = frozenset({"due", "proposed_next", "session_date"})
_MOMENT_FIELDS = frozenset({"prefill_at"})
#: Text fields that hold ids (``*_id``, and lists of member ids): plain tokens,
#: as the history stores them, so a session committed from a journal reads back.
_ID_LISTS = frozenset({"order", "helpers"})


def _is_id_field(name: str) -> bool:
    return name.endswith("_id") or name in ("owner", "from_ask")


def _field_shape(name: str, hint: object) -> Shape:
    """The shape of one declared field, from its type (and, for dates, its name)."""
    if hint == str | None:
        if name in _MOMENT_FIELDS:
            return Maybe(Timestamp())
        if _is_id_field(name):
            return Maybe(Ident())
        return Maybe(Day() if name in _DAY_FIELDS else Text())
    if hint is str and _is_id_field(name):
        return Ident()
    if hint == tuple[str, ...] and name in _ID_LISTS:
        return ListOf(Ident())
    shapes: dict[object, Shape] = {
        str: Text(),
        bool: Boolean(),
        int: Number(whole=True),
        float: Number(),
        float | None: Maybe(Number()),
        tuple[str, ...]: ListOf(Text()),
    }
    if hint == dict[str, Any]:  # only session_started's setup
        return _setup_shape()
    try:
        return shapes[hint]
    except KeyError:  # pragma: no cover - a programming error, caught by any test run
        raise TypeError(f"{name}: no stored shape for a field of type {hint!r}") from None


def _fields_shape(kind: type, title: str) -> Document:
    """A document of ``kind``'s dataclass fields (required: those without a default)."""
    hints = get_type_hints(kind)
    fields = {
        spec.name: Field(
            _field_shape(spec.name, hints[spec.name]),
            f"{title}: {spec.name}",
            spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING,
        )
        for spec in dataclasses.fields(kind)
    }
    return Document(title, f"The fields of {title}.", fields)


#: Each action's data shape, made on first use (a journal read as the app starts
#: a meeting; the home screen never needs them).
_DATA_SHAPES: dict[str, Document] = {}


def data_shape(kind: type[Action]) -> Document:
    """The declared shape of an action's journal ``data``: its fields by their types."""
    shape = _DATA_SHAPES.get(kind.TYPE)
    if shape is None:
        shape = _DATA_SHAPES[kind.TYPE] = _fields_shape(kind, kind.TYPE or kind.__name__)
    return shape


@functools.cache
def _setup_shape() -> Document:
    """What ``session_started`` carries (``MeetingSetup.to_doc``), as the reader needs it."""
    from .setup import GoalOption, ReviewItem
    from .stored import GROUP, HOLDER

    number = Number()
    template = Document(
        "template",
        "The agenda the session follows.",
        {
            "name": Field(Text(), "Its name."),
            "phases": Field(
                ListOf(
                    Document(
                        "phase",
                        "One phase.",
                        {
                            "phase": Field(Text(), "The phase."),
                            "minutes": Field(Maybe(number), "Its minutes.", False),
                        },
                    )
                ),
                "The phases.",
            ),
            "length_minutes": Field(Maybe(number), "Planned length.", False),
            **{
                key: Field(number, key, False)
                for key in (
                    "update_share",
                    "turn_min_seconds",
                    "turn_max_seconds",
                    "question_share",
                    "ask_default_minutes",
                    "warn_share",
                    "warn_max_seconds",
                    "hard_stop_warning_minutes",
                )
            },
            "extensions_minutes": Field(ListOf(number), "Extensions.", False),
        },
    )
    return Document(
        "session setup",
        "Everything the meeting needs, fixed when it starts.",
        {
            "session_id": Field(Ident(), "The session's id."),
            "group": Field(GROUP, "The group as it was at the start."),
            "template": Field(template, "The agenda."),
            "length_minutes": Field(Number(whole=True), "Planned length."),
            "order": Field(ListOf(Ident()), "Speaking order."),
            "review_items": Field(
                ListOf(_fields_shape(ReviewItem, "review item")), "To review.", False
            ),
            "airtime": Field(MapOf(number), "Recent airtime by member.", False),
            "recent_asks": Field(MapOf(Number(whole=True)), "Recent asks by member.", False),
            "proposed_next": Field(Maybe(Day()), "The proposed next meeting.", False),
            "turn_seconds_override": Field(Maybe(number), "A set turn length.", False),
            "session_date": Field(Maybe(Day()), "The day it started, where it started.", False),
            "goals": Field(
                ListOf(_fields_shape(GoalOption, "goal option")), "Active goals.", False
            ),
            "roles": Field(ListOf(HOLDER), "Who holds each role.", False),
        },
    )


# --- the session ------------------------------------------------------------


@dataclass(frozen=True)
class SessionStarted(Action):
    """Opens the journal with everything the meeting needs (see ``MeetingSetup``)."""

    TYPE = "session_started"
    UNDOABLE = False
    setup: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionEnded(Action):
    TYPE = "session_ended"
    UNDOABLE = False


@dataclass(frozen=True)
class Undo(Action):
    """Takes back the action with sequence number ``target``."""

    TYPE = "undo"
    UNDOABLE = False
    target: int = 0


# --- moving through the agenda ---------------------------------------------


@dataclass(frozen=True)
class Next(Action):
    """Next speaker, next part of an ask, or next phase, depending on where we are."""

    TYPE = "next"


@dataclass(frozen=True)
class Back(Action):
    """The previous speaker, or the previous phase."""

    TYPE = "back"


@dataclass(frozen=True)
class PhaseJumped(Action):
    """Skip straight to a phase (forwards or backwards)."""

    TYPE = "phase_jumped"
    phase: str = ""


@dataclass(frozen=True)
class TimerToggled(Action):
    """Pause or resume the running timebox."""

    TYPE = "timer_toggled"


@dataclass(frozen=True)
class TimeAdjusted(Action):
    """Give the running timebox more (positive) or less (negative) time."""

    TYPE = "time_adjusted"
    seconds: float = 60.0


# --- attendance and order --------------------------------------------------


@dataclass(frozen=True)
class AttendanceMarked(Action):
    TYPE = "attendance_marked"
    member_id: str = ""
    status: str = "present"


@dataclass(frozen=True)
class MemberArrived(Action):
    """A late member joins: they count for the budget and join the queue."""

    TYPE = "member_arrived"
    member_id: str = ""


@dataclass(frozen=True)
class MemberLeft(Action):
    """A member leaves early: out of the queue and of the budget."""

    TYPE = "member_left"
    member_id: str = ""


@dataclass(frozen=True)
class OrderShuffled(Action):
    """The remaining speakers in a new order (drawn by the caller, recorded here)."""

    TYPE = "order_shuffled"
    order: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpeakerPassed(Action):
    """The current speaker passes: no update this time."""

    TYPE = "speaker_passed"


@dataclass(frozen=True)
class SpeakerSkipped(Action):
    """The current speaker goes to the end of the queue, to speak later."""

    TYPE = "speaker_skipped"


# --- roles ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoleGiven(Action):
    """A role goes to ``member_id`` for this session; if they held another role,
    its holder takes that one instead (a swap, so no one holds two)."""

    TYPE = "role_given"
    role: str = ""
    member_id: str = ""


# --- content ------------------------------------------------------------------


@dataclass(frozen=True)
class NoteAdded(Action):
    """A note on the current turn, the current ask, or the session."""

    TYPE = "note_added"
    note_id: str = ""
    text: str = ""
    private: bool = False


@dataclass(frozen=True)
class WinAdded(Action):
    TYPE = "win_added"
    win_id: str = ""
    member_id: str = ""
    kind: str = "other"
    text: str = ""
    private: bool = False


@dataclass(frozen=True)
class CommitmentAdded(Action):
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


@dataclass(frozen=True)
class PrivacyToggled(Action):
    """Mark a note, ask, win or commitment private (or public again)."""

    TYPE = "privacy_toggled"
    item_id: str = ""


@dataclass(frozen=True)
class ReviewMarked(Action):
    """A commitment from an earlier session is reviewed."""

    TYPE = "review_marked"
    commitment_id: str = ""
    status: str = "done"
    text: str | None = None
    due: str | None = None
    note: str | None = None


# --- asks -----------------------------------------------------------------------


@dataclass(frozen=True)
class AskAdded(Action):
    TYPE = "ask_added"
    ask_id: str = ""
    member_id: str = ""
    text: str = ""
    wanted_seconds: float = 600.0
    private: bool = False


@dataclass(frozen=True)
class AskVoted(Action):
    """The group's thumbs count for a queued ask."""

    TYPE = "ask_voted"
    ask_id: str = ""
    votes: int = 0


@dataclass(frozen=True)
class AskMoved(Action):
    """Move a queued ask up (negative) or down (positive)."""

    TYPE = "ask_moved"
    ask_id: str = ""
    delta: int = -1


@dataclass(frozen=True)
class AsksSorted(Action):
    """Sort the queue: by ``votes``, least ``airtime`` first, or fewest ``asks`` lately."""

    TYPE = "asks_sorted"
    by: str = "votes"


@dataclass(frozen=True)
class AskStarted(Action):
    """Put a queued ask in the hot seat (otherwise ``Next`` takes the top one)."""

    TYPE = "ask_started"
    ask_id: str = ""


@dataclass(frozen=True)
class ExtensionVoted(Action):
    """A thumbs vote to extend the running ask; granted on a majority of voters."""

    TYPE = "extension_voted"
    votes_for: int = 0
    voters: int = 0


@dataclass(frozen=True)
class AskEnded(Action):
    """The ask ends; the asker's "I will ..." becomes a commitment they own."""

    TYPE = "ask_ended"
    outcome: str | None = None
    commitment_id: str | None = None
    due: str | None = None
    helpers: tuple[str, ...] = ()
    private: bool = False


# --- close ------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingGiven(Action):
    TYPE = "rating_given"
    member_id: str = ""
    rating: int = 0


@dataclass(frozen=True)
class NextMeetingSet(Action):
    TYPE = "next_meeting_set"
    date: str = ""


def action_types() -> dict[str, type[Action]]:
    """Every registered action type by its journal name."""
    return dict(_REGISTRY)
