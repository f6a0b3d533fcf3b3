"""A live session's journal lines, declared as records (at the read level).

A journal line is a stored record like any other: its envelope is
:class:`JournalEntry`, and its ``data`` the action's own fields, made into a
record from the action's declaration (:func:`check_action_data`: each field by its
type, and by its name for ids and dates; ``session_started``'s setup by
``core/setup.py``'s ``MeetingSetup``, its one declaration). So a journal is held to the same
value rules as the history and a bundle (dates a reader can compute with,
numbers every format can hold) before the fold sees it, and a wrong one is
named by its field, never by its contents.
"""

from __future__ import annotations

import functools
from typing import Any, get_type_hints

import msgspec
from msgspec import UNSET, UnsetType

from .record_errors import describe_error
from .record_types import (
    At,
    Day,
    Id,
    Level,
    Number,
    Record,
    Whole,
    read_version,
)
from .setup import MeetingSetup


class JournalEntry(Record):
    """One facilitator action, as one line of the live session's journal."""

    LEVEL = Level.READ

    seq: Whole
    at: At
    type: str
    data: dict[str, Any] | UnsetType = UNSET


#: Fields whose text is a date (``YYYY-MM-DD``).
_DAY_FIELDS = frozenset({"due"})
#: Text fields that hold ids (``*_id``, and lists of member ids): plain tokens,
#: as the history stores them, so a session committed from a journal reads back.
_ID_LISTS = frozenset({"order", "helpers"})


def _is_id_field(name: str) -> bool:
    return name.endswith("_id") or name in ("owner", "from_ask")


def _field_type(name: str, hint: object) -> Any:
    """The record type of one action field, from its type (and, for dates, its name)."""
    if hint == str | None:
        if _is_id_field(name):
            return Id | None
        return Day | None if name in _DAY_FIELDS else str | None
    if hint is str and _is_id_field(name):
        return Id
    if hint == tuple[str, ...]:
        return list[Id] if name in _ID_LISTS else list[str]
    if hint == dict[str, Any]:  # only session_started's setup
        return read_version(MeetingSetup)
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


@functools.cache
def action_record(kind: type[msgspec.Struct]) -> type[Record]:
    """A record of an action's fields (required: those without a default)."""
    hints = get_type_hints(kind)
    fields: list[tuple[str, Any, Any]] = []
    for field in msgspec.structs.fields(kind):
        name = field.name
        required = field.default is msgspec.NODEFAULT and field.default_factory is msgspec.NODEFAULT
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


def check_action_data(kind: type[msgspec.Struct], data: dict[str, Any]) -> None:
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
