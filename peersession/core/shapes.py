"""How the building blocks of a stored shape check a value and describe it.

A shape is declared once (``core/stored.py``) and used three ways: checking a
document read from disk (:attr:`Rules.SHAPE`: types and required fields only,
so a file an older version wrote is never refused for a rule added since),
checking a bundle before it is imported (:attr:`Rules.DOOR`: the same types
plus every rule a person typing at the CLI meets: lengths, bounds, names), and
describing itself as JSON Schema (``docs/bundle.schema.json``) and as a table
of fields (``docs/data.md``). One definition, so they cannot drift.

Unknown extra keys are kept, never refused: a document of the same schema from
a slightly newer peersession may carry optional fields this one does not read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from .model import MAX_TEXT
from .names import MAX_NAME, check_name

#: Named schemas a JSON Schema refers to, filled while it is generated.
Defs = dict[str, dict[str, Any]]


#: The years a stored date may fall in, at every rule: every reader computes
#: with a date (a cadence added, a zone converted, a calendar written), and a
#: year 1 or 9999 overflows one of them. Nothing peersession records falls
#: outside; a file or a bundle that says otherwise is damaged.
FIRST_YEAR = 1970
LAST_YEAR = 2200
#: The largest whole number any stored field may hold, at every rule: what
#: every format takes (an ICS ``SEQUENCE`` is a 32-bit integer, RFC 5545 3.3.8).
LARGEST_WHOLE = 2**31 - 1
#: The largest size of any other stored number (seconds, minutes, shares):
#: thirty years of seconds, within what a duration can hold.
LARGEST_NUMBER = 1e9


def readable_year(year: int) -> bool:
    """Whether a stored date of this year is one every reader can compute with."""
    return FIRST_YEAR <= year <= LAST_YEAR


class Rules(Enum):
    """How much a check asks of a value."""

    #: Types and required fields: what every reader needs not to crash.
    SHAPE = "shape"
    #: The shape, and every rule of the doors people type through.
    DOOR = "door"


class Invalid(ValueError):
    """What is wrong and where (``sessions[2].asks[0].text: ...``)."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where.lstrip('.') or 'the document'}: {problem}")

    def inside(self, where: str, step: str) -> Invalid:
        """The same problem, one step further from the top (``where`` + ``step``)."""
        return Invalid(f"{where}{step}{self.where}", self.problem)


def fail(where: str, problem: str) -> None:
    raise Invalid(where, problem)


class Shape:
    """One kind of value: how to check it, and how to describe it."""

    #: What the value is, for docs/data.md.
    label: str = "value"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        raise NotImplementedError

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        raise NotImplementedError


_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ID_PATTERN = "^[A-Za-z0-9_-]{1,64}$"
_IS_ID = _ID.fullmatch


class Ident(Shape):
    """A plain token: group ids become file names, so ``../x`` never gets that far."""

    label = "id"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if type(value) is not str or _IS_ID(value) is None:
            fail(where, "expected an id (1 to 64 letters, digits, '-' or '_')")

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {"type": "string", "pattern": _ID_PATTERN}


@dataclass(frozen=True)
class Text(Shape):
    """Text; at the doors at most ``MAX_TEXT`` characters, all of them writable as UTF-8."""

    one_line: bool = False
    #: The longest text the doors accept.
    longest: int = MAX_TEXT

    @property
    def label(self) -> str:  # type: ignore[override]
        kind = "one line of text" if self.one_line else "text"
        return kind if self.longest == MAX_TEXT else f"{kind}, at most {self.longest} characters"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, str):
            fail(where, "expected text")
        if rules is Rules.SHAPE:
            return
        if len(value) > self.longest:
            fail(where, f"text longer than {self.longest} characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            fail(where, "text with characters that cannot be saved")
        if self.one_line and any(c in value for c in "\r\n\x0b\x0c\x85\u2028\u2029"):
            fail(where, "one line of text, without line breaks")

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "maxLength": self.longest}
        if self.one_line:
            schema["pattern"] = "^[^\\r\\n\\u000b\\u000c\\u0085\\u2028\\u2029]*$"
        return schema


class Name(Shape):
    """A group's or a member's name: see :func:`peersession.core.names.check_name`."""

    label = "name"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, str):
            fail(where, "expected a name")
        if rules is Rules.DOOR:
            problem = check_name(value)
            if problem:
                fail(where, problem)
        elif not value.strip():
            fail(where, "a name cannot be empty")

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": MAX_NAME}


class Boolean(Shape):
    label = "true or false"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, bool):
            fail(where, "expected true or false")

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Number(Shape):
    """A finite number (``whole``: a whole one), within ``low``..``high`` at the doors.

    At every rule, read or door, it is within :attr:`reach`: what every reader
    and every format can hold (``±LARGEST_WHOLE``, ``±LARGEST_NUMBER``, or the
    field's own ``limit``, for a number a reader turns into a date).
    """

    whole: bool = False
    low: float | None = None
    high: float | None = None
    #: The field's own largest size at every rule, if narrower than the default.
    limit: float | None = None

    @property
    def reach(self) -> float:
        """The largest size (either sign) the number may have, at every rule."""
        if self.limit is not None:
            return self.limit
        return LARGEST_WHOLE if self.whole else LARGEST_NUMBER

    @property
    def label(self) -> str:  # type: ignore[override]
        kind = "whole number" if self.whole else "number"
        if self.low is not None and self.high is not None:
            return f"{kind}, {self.low:g} to {self.high:g}"
        if self.low is not None:
            return f"{kind}, at least {self.low:g}"
        return kind

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if self.whole:
            if isinstance(value, bool) or not isinstance(value, int):
                fail(where, "expected a whole number")
        elif (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            fail(where, "expected a number")
        if not -self.reach <= value <= self.reach:
            fail(where, f"a number beyond what peersession can hold (±{self.reach:g})")
        if rules is Rules.DOOR and (
            (self.low is not None and value < self.low)
            or (self.high is not None and value > self.high)
        ):
            fail(where, f"expected a {self.label}, not {value!r}")

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer" if self.whole else "number"}
        schema["minimum"] = self.low if self.low is not None else -self.reach
        schema["maximum"] = self.high if self.high is not None else self.reach
        return schema


class Timestamp(Shape):
    """An ISO 8601 date and time with its offset (how every ``at`` is stored),
    in the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""

    label = f"date and time (ISO 8601, with offset; {FIRST_YEAR} to {LAST_YEAR})"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, str):
            fail(where, "expected a date and time")
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            fail(where, "expected a date and time with an offset")
        elif not readable_year(parsed.year):
            fail(where, f"a date outside the years {FIRST_YEAR} to {LAST_YEAR}")

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {
            "type": "string",
            "format": "date-time",
            "description": f"Years {FIRST_YEAR} to {LAST_YEAR}.",
        }


class Day(Shape):
    """A calendar day, in the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`."""

    label = f"date (YYYY-MM-DD; {FIRST_YEAR} to {LAST_YEAR})"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, str):
            fail(where, "expected a date")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            fail(where, "expected a date (YYYY-MM-DD)")
        if not readable_year(day.year):
            fail(where, f"a date outside the years {FIRST_YEAR} to {LAST_YEAR}")

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {
            "type": "string",
            "format": "date",
            "description": f"Years {FIRST_YEAR} to {LAST_YEAR}.",
        }


@dataclass(frozen=True)
class OneOf(Shape):
    allowed: tuple[str, ...]

    @property
    def label(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(f"`{a}`" for a in self.allowed)

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if value not in self.allowed:
            fail(where, "expected one of " + ", ".join(self.allowed))

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {"enum": list(self.allowed)}


@dataclass(frozen=True)
class Maybe(Shape):
    """The inner shape, or null."""

    inner: Shape

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"{self.inner.label}, or null"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if value is not None:
            self.inner.check(value, where, rules)

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {"anyOf": [self.inner.json_schema(defs), {"type": "null"}]}


@dataclass(frozen=True)
class ListOf(Shape):
    inner: Shape

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"list of {self.inner.label}"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, list):
            fail(where, "expected a list")
        # Paths are built only on the way out of a failure: a file of thousands
        # of records is checked on every parse, and almost always passes.
        inner = self.inner
        if isinstance(inner, Ident) and all(type(v) is str and _IS_ID(v) for v in value):
            return  # the common list of ids, without a call per item
        for index, item in enumerate(value):
            try:
                inner.check(item, "", rules)
            except Invalid as error:
                raise error.inside(where, f"[{index}]") from None

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {"type": "array", "items": self.inner.json_schema(defs)}


@dataclass(frozen=True)
class MapOf(Shape):
    """An object whose keys are ids and whose values all have one shape."""

    inner: Shape
    #: What the keys are, for the docs (they are always checked as plain tokens).
    keys: str = "id"

    @property
    def label(self) -> str:  # type: ignore[override]
        return f"object: {self.keys} → {self.inner.label}"

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, dict):
            fail(where, "expected an object")
        for number, (key, item) in enumerate(value.items(), start=1):
            if not _ID.fullmatch(key):
                fail(where, f"key {number} is not an id")
            try:
                self.inner.check(item, "", rules)
            except Invalid as error:
                raise error.inside(where, f"[{key!r}]") from None

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": _ID_PATTERN},
            "additionalProperties": self.inner.json_schema(defs),
        }


@dataclass(frozen=True)
class Field:
    """One key of a document: its shape, whether it must be there, what it means."""

    shape: Shape
    doc: str
    required: bool = True


@dataclass(frozen=True)
class Document(Shape):
    """An object with these keys (and maybe others, kept as they are)."""

    title: str
    doc: str
    fields: Mapping[str, Field]
    #: Rules across fields, checked at the doors only (``ValueError`` → invalid).
    door_checks: tuple[Callable[[dict[str, Any]], None], ...] = field(default=())
    #: Rules a reader needs (a known template, an agenda it can follow), checked
    #: on load as well as at the doors.
    read_checks: tuple[Callable[[dict[str, Any]], None], ...] = field(default=())
    _plan: tuple[tuple[str, Callable[[Any, str, Rules], None], bool], ...] = field(
        default=(), init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # What check() walks, looked up once: it runs for every record of a
        # file on every parse.
        plan = tuple((key, spec.shape.check, spec.required) for key, spec in self.fields.items())
        object.__setattr__(self, "_plan", plan)

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.title

    def check(self, value: Any, where: str, rules: Rules) -> None:
        if not isinstance(value, dict):
            fail(where, "expected an object")
        for key, check, required in self._plan:
            if key in value:
                try:
                    check(value[key], "", rules)
                except Invalid as error:
                    raise error.inside(where, f".{key}") from None
            elif required:
                fail(where, f"missing {key!r}")
        checks = self.read_checks + self.door_checks if rules is Rules.DOOR else self.read_checks
        for rule in checks:
            try:
                rule(value)
            except ValueError as error:
                fail(where, str(error))

    def json_schema(self, defs: Defs | None = None) -> dict[str, Any]:
        """The document's schema; with ``defs``, a document with fields is put
        there once and referred to (``{"$ref": "#/$defs/note"}``)."""
        properties = {}
        for key, spec in self.fields.items():
            properties[key] = {**spec.shape.json_schema(defs), "description": spec.doc}
        schema = {
            "type": "object",
            "title": self.title,
            "description": self.doc,
            "properties": properties,
            "required": [key for key, spec in self.fields.items() if spec.required],
            "additionalProperties": True,
        }
        if defs is None or not self.fields:
            return schema
        name = self.title.replace(" ", "_")
        defs[name] = schema
        return {"$ref": f"#/$defs/{name}"}
