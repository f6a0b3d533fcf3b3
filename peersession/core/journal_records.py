"""A live session's journal lines, declared as records (at the read level).

A journal line is a stored record like any other: its envelope is
:class:`JournalEntry`, and its ``data`` the action's own fields, made into a
record from the action's declaration (:func:`check_action_data`: each field by its
type, and by its name for ids and dates). So a journal is held to the same
value rules as the history and a bundle (dates a reader can compute with,
numbers every format can hold) before the fold sees it, and a wrong one is
named by its field, never by its contents.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Annotated, Any, get_type_hints

import msgspec
from msgspec import UNSET, UnsetType

from .model import Group
from .record_errors import describe_error
from .record_types import (
    At,
    Day,
    Id,
    Level,
    Record,
    Whole,
    number,
    read_version,
)
from .record_values import HealthQuestion
from .session_records import Guest, Holder

Number = Annotated[float, number()]


class JournalEntry(Record):
    """One facilitator action, as one line of the live session's journal."""

    LEVEL = Level.READ

    seq: Whole
    at: At
    type: str
    data: dict[str, Any] | UnsetType = UNSET


class Phase(Record):
    """One phase of the agenda a session follows."""

    LEVEL = Level.READ

    phase: str
    minutes: Number | UnsetType | None = UNSET


class Template(Record):
    """The agenda the session follows (``core/templates.py``'s ``Template.to_doc``)."""

    LEVEL = Level.READ

    name: str
    phases: list[Phase]
    length_minutes: Number | UnsetType | None = UNSET
    update_share: Number | UnsetType = UNSET
    turn_min_seconds: Number | UnsetType = UNSET
    turn_max_seconds: Number | UnsetType = UNSET
    question_share: Number | UnsetType = UNSET
    ask_default_minutes: Number | UnsetType = UNSET
    warn_share: Number | UnsetType = UNSET
    warn_max_seconds: Number | UnsetType = UNSET
    hard_stop_warning_minutes: Number | UnsetType = UNSET
    extensions_minutes: list[Number] | UnsetType = UNSET


@functools.cache
def _setup_type() -> type[Record]:
    """What ``session_started`` carries (``MeetingSetup.to_doc``), as the reader needs it."""
    from .setup import GoalOption, ReviewItem

    optional = msgspec.field(default=UNSET)
    setup: type[Record] = msgspec.defstruct(  # type: ignore[assignment]  # bases=(Record,)
        "Setup",
        [
            ("session_id", Id),
            ("group", read_version(Group)),
            ("template", Template),
            ("length_minutes", Whole),
            ("order", list[Id]),
            ("review_items", list[action_record(ReviewItem)] | UnsetType, optional),  # type: ignore[misc]
            ("airtime", dict[Id, Number] | UnsetType, optional),
            ("recent_asks", dict[Id, Whole] | UnsetType, optional),
            ("proposed_next", Day | None | UnsetType, optional),
            ("turn_seconds_override", Number | None | UnsetType, optional),
            ("session_date", Day | None | UnsetType, optional),
            ("goals", list[action_record(GoalOption)] | UnsetType, optional),  # type: ignore[misc]
            ("roles", list[read_version(Holder)] | UnsetType, optional),  # type: ignore[misc]
            ("guests", list[read_version(Guest)] | UnsetType, optional),  # type: ignore[misc]
            # The group's own review (issue 25): absent from older journals.
            ("session_number", Whole | UnsetType, optional),
            ("how_we_work", list[HealthQuestion] | UnsetType, optional),
            # Who is away today (issue 24.3): absent from older journals.
            ("away", list[tuple[str, str]] | UnsetType, optional),
        ],
        bases=(Record,),
        kw_only=True,
        gc=False,
        namespace={"LEVEL": Level.READ},
    )
    return setup


#: Fields whose text is a date (``YYYY-MM-DD``) or a moment.
_DAY_FIELDS = frozenset({"due", "proposed_next", "session_date"})
_MOMENT_FIELDS = frozenset({"prefill_at"})
#: Text fields that hold ids (``*_id``, and lists of member ids): plain tokens,
#: as the history stores them, so a session committed from a journal reads back.
_ID_LISTS = frozenset({"order", "helpers"})


def _is_id_field(name: str) -> bool:
    return name.endswith("_id") or name in ("owner", "from_ask")


def _field_type(name: str, hint: object) -> Any:
    """The record type of one action field, from its type (and, for dates, its name)."""
    if hint == str | None:
        if name in _MOMENT_FIELDS:
            return At | None
        if _is_id_field(name):
            return Id | None
        return Day | None if name in _DAY_FIELDS else str | None
    if hint is str and _is_id_field(name):
        return Id
    if hint == tuple[str, ...]:
        return list[Id] if name in _ID_LISTS else list[str]
    if hint == dict[str, Any]:  # only session_started's setup
        return _setup_type()
    types: dict[object, Any] = {
        str: str,
        bool: bool,
        int: Whole,
        float: Number,
        float | None: Number | None,
    }
    try:
        return types[hint]
    except KeyError:  # pragma: no cover - a programming error, caught by any test run
        raise TypeError(f"{name}: no stored type for a field of type {hint!r}") from None


def _declared_fields(kind: type) -> list[tuple[str, bool]]:
    """``(name, required)`` of each field of a Struct (an action) or a dataclass
    (what a setup lists), in order; required: declared without a default."""
    if issubclass(kind, msgspec.Struct):
        return [
            (f.name, f.default is msgspec.NODEFAULT and f.default_factory is msgspec.NODEFAULT)
            for f in msgspec.structs.fields(kind)
        ]
    assert dataclasses.is_dataclass(kind), kind
    missing = dataclasses.MISSING
    return [
        (f.name, f.default is missing and f.default_factory is missing)
        for f in dataclasses.fields(kind)
    ]


@functools.cache
def action_record(kind: type) -> type[Record]:
    """A record of ``kind``'s fields (required: those without a default)."""
    hints = get_type_hints(kind)
    fields: list[tuple[str, Any, Any]] = []
    for name, required in _declared_fields(kind):
        kind_of = _field_type(name, hints[name])
        if required:
            fields.append((name, kind_of, msgspec.field()))
        else:
            fields.append((name, kind_of | UnsetType, UNSET))
    record: type[Record] = msgspec.defstruct(  # type: ignore[assignment]  # bases=(Record,)
        kind.__name__,
        fields,
        bases=(Record,),
        kw_only=True,
        gc=False,
        namespace={"LEVEL": Level.READ},
    )
    return record


def check_entry(doc: dict[str, Any]) -> None:
    """Refuse (``ValueError`` naming the field) a journal line of the wrong shape."""
    try:
        msgspec.convert(doc, JournalEntry)
    except msgspec.ValidationError as error:
        raise ValueError(describe_error(error)) from None


def check_action_data(kind: type, data: dict[str, Any]) -> None:
    """Refuse (``ValueError`` naming the field) an action's data of the wrong shape."""
    record = action_record(kind)
    try:
        msgspec.convert(data, record)
    except msgspec.ValidationError as error:
        raise ValueError(describe_error(error, top="data")) from None
    unknown = len(set(data) - set(record.__struct_fields__))
    if unknown:
        # Their names are the file's bytes: counted, never shown.
        action = getattr(kind, "TYPE", "")
        raise ValueError(f"data: {unknown} field(s) a {action} action does not have")
