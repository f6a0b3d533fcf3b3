"""The value types of stored records, and how a record is checked at two levels.

Every record is a :class:`Record` (a ``msgspec.Struct``, declared once: in
``core/records.py`` and ``core/session_records.py``, the group's own in
``core/model.py``) whose fields carry their rules as ``msgspec.Meta``. The
declaration states the rules of the **door** (a bundle imported: everything a
person typing at the CLI meets: lengths, bounds, names). The **read** level
(a data file loaded: types, required fields, and what every reader needs not to
crash, so an older file is never refused for a rule added since) is derived
from it by :func:`read_version`: each ``Meta`` whose ``extra`` names a
``"read"`` replacement is swapped for it (``None``: dropped), the rest kept.

Checks msgspec has no constraint for (a date a reader can compute with, a name,
text that can be saved) are named by ``extra["kind"]`` and run by the record's
``__post_init__``, at its class's level. A :class:`Value` (the group and its
parts, values the code builds and compares) is not checked as built: a bundle
is checked against :func:`door_version`. A file is checked once per version;
the code then reads its records by their types alone (:func:`typed_version`,
:func:`read_all`), a subclass of each declaration (``docs/internals.md``).
"""

# No ``from __future__ import annotations``: the records' types are read at run time.
import functools
import re
import types
from collections.abc import Callable
from datetime import date, datetime
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    TypeVar,
    Union,
    get_args,
    get_origin,
    get_type_hints,
)

import msgspec
from msgspec import UNSET, Meta

from .free_text import MAX_TEXT
from .names import MAX_NAME, check_name

# The years a stored date may fall in, at every level (declared in core/years.py).
from .years import FIRST_YEAR, LAST_YEAR, readable_year

#: The largest whole number any stored field may hold, at every level (an ICS
#: ``SEQUENCE`` is a 32-bit integer, RFC 5545 3.3.8).
LARGEST_WHOLE = 2**31 - 1
#: The largest size of any other stored number: thirty years of seconds.
LARGEST_NUMBER = 1e9

ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$"
ONE_LINE_PATTERN = "^[^\\r\\n\\u000b\\u000c\\u0085\\u2028\\u2029]*$"
_IS_ID = re.compile(ID_PATTERN).match


def whole(low: int | None = None, high: int | None = None, reach: int = LARGEST_WHOLE) -> Meta:
    """A whole number's rules: ``low``..``high`` at the door, ±``reach`` always."""
    return _bounded(low, high, reach)


def number(low: float | None = None, high: float | None = None) -> Meta:
    """A finite number's rules: ``low``..``high`` at the door, ±1e9 always."""
    return _bounded(low, high, LARGEST_NUMBER)


def _bounded(low: float | None, high: float | None, reach: float) -> Meta:
    always = Meta(ge=-reach, le=reach)
    if low is None and high is None:
        return always
    door = Meta(
        ge=low if low is not None else -reach,
        le=high if high is not None else reach,
        extra={"read": always},
    )
    return door


_RANGE = f"{FIRST_YEAR} to {LAST_YEAR}"
_YEARS = f"Years {_RANGE}."
Id = Annotated[str, Meta(pattern=ID_PATTERN, extra={"label": "id"})]
Text = Annotated[str, Meta(max_length=MAX_TEXT, extra={"read": None, "kind": "text"})]
Line = Annotated[
    str,
    Meta(
        max_length=MAX_TEXT,
        pattern=ONE_LINE_PATTERN,
        extra={"read": None, "kind": "text", "label": "one line of text"},
    ),
]
# A name's limits are checked by check_name, in the words of every other door.
Name = Annotated[
    str,
    Meta(extra_json_schema={"minLength": 1, "maxLength": MAX_NAME}, extra={"kind": "name"}),
]
At = Annotated[
    str,
    Meta(
        extra_json_schema={"format": "date-time", "description": _YEARS},
        extra={"kind": "at", "label": f"date and time (ISO 8601, with offset; {_RANGE})"},
    ),
]
Day = Annotated[
    str,
    Meta(
        extra_json_schema={"format": "date", "description": _YEARS},
        extra={"kind": "day", "label": f"date (YYYY-MM-DD; {_RANGE})"},
    ),
]
#: A date the code computes with (a group's records): the standard library's
#: ``date``, which msgspec reads and writes as ``YYYY-MM-DD``.
CalendarDay = Annotated[
    date,
    Meta(
        extra_json_schema={"description": _YEARS},
        extra={"kind": "date", "label": f"date (YYYY-MM-DD; {_RANGE})"},
    ),
]
Whole = Annotated[int, whole()]
Number = Annotated[float, number()]
Seconds = Annotated[float, number(low=0)]


class Level:
    """How much a check asks of a record (see the module's docstring)."""

    READ = "read"
    DOOR = "door"
    #: The types alone (what a checked file's records are read into).
    TYPED = "typed"


R = TypeVar("R", bound="Record")

#: A rule across a record's fields (its fields as a dict, absent ones left out);
#: ``ValueError`` says what is wrong.
Rule = Callable[[dict[str, Any]], None]


class Record(msgspec.Struct, kw_only=True, gc=False):
    """A stored record: its fields checked on decode, then its value rules."""

    LEVEL: ClassVar[str | None] = Level.DOOR
    #: Rules a reader needs, checked at both levels.
    READ_RULES: ClassVar[tuple[Rule, ...]] = ()
    #: Rules of the doors only.
    DOOR_RULES: ClassVar[tuple[Rule, ...]] = ()

    def __post_init__(self) -> None:
        # Runs for every record of every file read: what a class checks is
        # worked out once (:func:`_checks_of`), and most records have no rule.
        checks, rules = _checks_of(type(self))
        for name, check in checks:
            value = getattr(self, name)
            if value is not UNSET and value is not None:
                check(value, name)
        if rules:
            fields = present_fields(self)
            for rule in rules:
                rule(fields)


# Frozen at run time, and every subclass with it; mypy's dataclass rules refuse a
# frozen record under the unfrozen base, so it is told of the class alone.
class Value(Record, **({} if TYPE_CHECKING else {"frozen": True})):
    """A record the code builds, compares and hashes (a group and its parts): equal
    to the same fields read from a file, whose class is a version of it. Built by
    the code, it is not checked (a door or a read checks its checked versions)."""

    LEVEL = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Value) or declaration(type(other)) is not declaration(type(self)):
            return NotImplemented
        return msgspec.structs.astuple(self) == msgspec.structs.astuple(other)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(msgspec.structs.astuple(self))


def declaration(cls: type[Record]) -> type[Record]:
    """The declared record of ``cls``, itself or one of its checked or typed versions."""
    declared: type[Record] = cls.__dict__.get("DECLARATION", cls)
    return declared


def present_fields(record: msgspec.Struct) -> dict[str, Any]:
    """The record's fields that were given, by name."""
    return {
        name: value
        for name in record.__struct_fields__
        if (value := getattr(record, name)) is not UNSET
    }


# --- value checks msgspec has no constraint for ----------------------------------------

Check = Callable[[Any, str], None]


def _at(value: str, where: str) -> None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: expected a date and time with an offset") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{where}: expected a date and time with an offset")
    if not readable_year(parsed.year):
        raise ValueError(f"{where}: a date outside the years {FIRST_YEAR} to {LAST_YEAR}")


def _day(value: str, where: str) -> None:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: expected a date (YYYY-MM-DD)") from None
    if not readable_year(day.year):
        raise ValueError(f"{where}: a date outside the years {FIRST_YEAR} to {LAST_YEAR}")


def _date(value: date, where: str) -> None:
    if not readable_year(value.year):
        raise ValueError(f"{where}: a date outside the years {FIRST_YEAR} to {LAST_YEAR}")


def _text(value: str, where: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{where}: text with characters that cannot be saved") from None


def _door_name(value: str, where: str) -> None:
    problem = check_name(value)
    if problem:
        raise ValueError(f"{where}: {problem}")


def _read_name(value: str, where: str) -> None:
    if not value.strip():
        raise ValueError(f"{where}: a name cannot be empty")


_CHECKS: dict[str, dict[str, Check]] = {
    Level.READ: {"at": _at, "day": _day, "date": _date, "name": _read_name},
    Level.DOOR: {"at": _at, "day": _day, "date": _date, "name": _door_name, "text": _text},
}


def _check_of(hint: Any, level: str) -> Check | None:
    """The value check of one field's type at ``level``, reaching into lists, tuples and maps."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *metas = get_args(hint)
        kinds = [m.extra.get("kind") for m in metas if isinstance(m, Meta) and m.extra]
        found = [_CHECKS[level][k] for k in kinds if k in _CHECKS[level]]
        return found[0] if found else _check_of(base, level)
    if origin in (list, tuple):
        inner = _check_of(get_args(hint)[0], level)
        if inner is None:
            return None

        def each(value: list[Any] | tuple[Any, ...], where: str) -> None:
            for index, item in enumerate(value):
                if item is not None:
                    inner(item, f"{where}[{index}]")

        return each
    if origin is dict:
        key_check, value_check = (_check_of(arg, level) for arg in get_args(hint))
        if key_check is None and value_check is None:
            return None

        def every(value: dict[Any, Any], where: str) -> None:
            for number, (key, item) in enumerate(value.items(), start=1):
                if key_check is not None:
                    key_check(key, f"{where} key {number}")
                if value_check is not None and item is not None:
                    named = isinstance(key, str) and _IS_ID(key)
                    value_check(item, f"{where}[{key!r}]" if named else where)

        return every
    if origin in (Union, types.UnionType):
        checks = [c for a in get_args(hint) if (c := _check_of(a, level)) is not None]
        return checks[0] if checks else None
    return None


#: Each record class's value checks and rules, by class (see ``Record.__post_init__``).
_CLASS_CHECKS: dict[type, tuple[tuple[tuple[str, Check], ...], tuple[Rule, ...]]] = {}


def _checks_of(cls: type[Record]) -> tuple[tuple[tuple[str, Check], ...], tuple[Rule, ...]]:
    found = _CLASS_CHECKS.get(cls)
    if found is None and cls.LEVEL in (None, Level.TYPED):
        found = _CLASS_CHECKS[cls] = ((), ())
    if found is None:
        rules = cls.READ_RULES + (cls.DOOR_RULES if cls.LEVEL == Level.DOOR else ())
        found = _CLASS_CHECKS[cls] = (_value_checks(cls), rules)
    return found


@functools.cache
def _value_checks(cls: type[Record]) -> tuple[tuple[str, Check], ...]:
    hints = get_type_hints(cls, include_extras=True)
    found = []
    level = cls.LEVEL
    assert level is not None, cls  # a declaration built unchecked has no checks
    for name in cls.__struct_fields__:
        check = _check_of(hints[name], level)
        if check is not None:
            found.append((name, check))
    return tuple(found)


# --- the read level, derived from the declaration --------------------------------------


def _relaxed(hint: Any, level: str) -> Any:
    """``hint`` at ``level``: the door's rules kept, swapped for the read level's,
    or the types alone."""
    origin = get_origin(hint)
    if origin is Annotated and level == Level.TYPED:
        return _relaxed(get_args(hint)[0], level)  # the types alone
    if origin is Annotated and level == Level.DOOR:
        base, *metas = get_args(hint)
        return Annotated[(_relaxed(base, level), *metas)]
    if origin is Annotated:
        base, *metas = get_args(hint)
        kept = []
        for meta in metas:
            if isinstance(meta, Meta) and meta.extra and "read" in meta.extra:
                if meta.extra["read"] is not None:
                    kept.append(meta.extra["read"])
                if "kind" in meta.extra:  # the value check finds its kind at every level
                    kept.append(Meta(extra={"kind": meta.extra["kind"]}))
            else:
                kept.append(meta)
        relaxed = _relaxed(base, level)
        return Annotated[(relaxed, *kept)] if kept else relaxed
    if isinstance(hint, type) and issubclass(hint, Record):
        return _level_version(hint, level)
    if origin in (list, dict, tuple):
        return origin[tuple(a if a is ... else _relaxed(a, level) for a in get_args(hint))]
    if origin in (Union, types.UnionType):
        relaxed_args = tuple(_relaxed(arg, level) for arg in get_args(hint))
        return Union[relaxed_args]  # noqa: UP007 - built from a tuple
    return hint


def read_version(cls: type[R]) -> type[R]:
    """``cls`` with the rules of the read level (see the module's docstring): a
    subclass of ``cls``, so what a file is read into is what the code names."""
    return _level_version(cls, Level.READ)


def door_version(cls: type[R]) -> type[R]:
    """``cls`` with every rule of the doors: what a bundle is checked against."""
    return _level_version(cls, Level.DOOR)


def _skip_checks(self: Record) -> None:
    """A record of a file already checked (``store/checked_files.py``) is not checked again."""


@functools.cache
def _level_version(cls: type[R], level: str) -> type[R]:
    # A door's version is always derived, so the records nested in it are checked
    # too (a group, a Value, is built unchecked).
    if level == cls.LEVEL and level != Level.DOOR:
        return cls
    hints = get_type_hints(cls, include_extras=True)
    fields: list[tuple[str, Any, Any]] = []
    for info in msgspec.structs.fields(cls):
        if info.default is not msgspec.NODEFAULT:
            default = msgspec.field(default=info.default, name=info.encode_name)
        elif info.default_factory in (dict, list):  # msgspec's own for `{}` and `[]`
            default = msgspec.field(default_factory=info.default_factory, name=info.encode_name)
        else:
            # A value made as the code builds a record (a group's creation time) is
            # one a stored record must hold.
            default = msgspec.field(name=info.encode_name)
        fields.append((info.name, _relaxed(hints[info.name], level), default))
    relaxed: type[R] = msgspec.defstruct(  # type: ignore[assignment]  # bases=(cls,)
        cls.__name__,
        fields,
        bases=(cls,),
        kw_only=True,
        gc=False,
        frozen=cls.__struct_config__.frozen,
        namespace={
            "LEVEL": level,
            "DECLARATION": declaration(cls),
            "__doc__": cls.__doc__,
            **({"__post_init__": _skip_checks} if level == Level.TYPED else {}),
        },
    )
    return relaxed


def typed_version(cls: type[R]) -> type[R]:
    """``cls`` by its types alone: what a checked file's records are read into."""
    return _level_version(cls, Level.TYPED)


def read_as(cls: type[R], data: Any) -> R:
    """A stored record (a dict as parsed from a checked file) as ``cls``: its types
    and fields, its values' rules not checked again."""
    record: R = msgspec.convert(data, _level_version(cls, Level.TYPED))
    return record


def read_all(cls: type[R], data: list[Any]) -> list[R]:
    """Each of a table's records (parsed from a checked file) as ``cls`` (see :func:`read_as`)."""
    records: list[R] = msgspec.convert(data, list[_level_version(cls, Level.TYPED)])  # type: ignore[misc]
    return records


def stored(record: Record) -> dict[str, Any]:
    """A record as its file keeps it, in JSON's own types (fields never given are
    left out, a tuple is a list)."""
    data: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(record, enc_hook=_day_text))
    return data


def _day_text(value: Any) -> Any:
    # pendulum's dates are the standard library's, which msgspec writes only
    # when the type is exactly ``date``.
    if isinstance(value, date):
        return value.isoformat()
    raise NotImplementedError(type(value).__name__)


def doc(text: str) -> Meta:
    """What a field means (the ``description`` of the docs and the schema)."""
    return Meta(description=text)
