"""Checking a bundle's documents completely before any of them is stored.

A bundle comes from another machine, an email attachment or a hand edit. Every
document is checked against the shape the app reads (the ``TypedDict`` docs in
:mod:`peersession.core.model`), so nothing that would crash a screen later can
get into the history: wrong types, unparsable dates, texts longer than the app
accepts, characters that cannot be saved, or ids that are not plain tokens
(a group id becomes a file name: ``../x`` must never get that far).

Unknown extra keys are kept, not refused: a bundle of the same version from a
slightly newer peersession may carry optional fields this one does not read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from ..core.model import ATTENDANCE_STATUSES, MAX_TEXT, REVIEW_STATUSES, WIN_KINDS


class Invalid(ValueError):
    """What is wrong and where (``sessions[2].asks[0].text: ...``)."""


Check = Callable[[Any, str], None]

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _fail(where: str, problem: str) -> None:
    raise Invalid(f"{where}: {problem}")


def ident(value: Any, where: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        _fail(where, "expected an id (1 to 64 letters, digits, '-' or '_')")


def text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        _fail(where, "expected text")
    if len(value) > MAX_TEXT:
        _fail(where, f"text longer than {MAX_TEXT} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        _fail(where, "text with characters that cannot be saved")


def name(value: Any, where: str) -> None:
    """A group or member name: text that is not blank."""
    text(value, where)
    if not value.strip():
        _fail(where, "a name cannot be empty")


def boolean(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        _fail(where, "expected true or false")


def integer(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(where, "expected a whole number")


def number(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(where, "expected a number")


def timestamp(value: Any, where: str) -> None:
    """An ISO 8601 date and time with its offset (how every ``at`` is stored)."""
    text(value, where)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        _fail(where, f"expected a date and time with an offset, not {value[:40]!r}")


def day(value: Any, where: str) -> None:
    text(value, where)
    try:
        date.fromisoformat(value)
    except ValueError:
        _fail(where, f"expected a date (YYYY-MM-DD), not {value[:40]!r}")


def one_of(*allowed: object) -> Check:
    def check(value: Any, where: str) -> None:
        if value not in allowed:
            _fail(where, "expected one of " + ", ".join(map(str, allowed)))

    return check


def optional(inner: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if value is not None:
            inner(value, where)

    return check


def list_of(inner: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, list):
            _fail(where, "expected a list")
        for index, item in enumerate(value):
            inner(item, f"{where}[{index}]")

    return check


def map_of(key: Check, inner: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            _fail(where, "expected an object")
        for k, item in value.items():
            key(k, f"{where} key {k[:40]!r}")
            inner(item, f"{where}[{k[:40]!r}]")

    return check


def fields(
    required: Mapping[str, Check], optional_keys: Mapping[str, Check] | None = None
) -> Check:
    """An object with these keys (and maybe others, kept as they are)."""
    maybe = optional_keys or {}

    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            _fail(where, "expected an object")
        for key, inner in required.items():
            if key not in value:
                _fail(where, f"missing {key!r}")
            inner(value[key], f"{where}.{key}")
        for key, inner in maybe.items():
            if key in value:
                inner(value[key], f"{where}.{key}")

    return check


NOTE = fields(
    {"id": ident, "text": text, "private": boolean, "at": timestamp},
    {"part": optional(one_of("update", "questions", "advice")), "member_id": optional(ident)},
)
REVIEW = fields(
    {"at": timestamp, "status": one_of(*REVIEW_STATUSES), "source": text},
    {
        "source_id": optional(ident),
        "text": optional(text),
        "due": optional(day),
        "note": optional(text),
    },
)
MEMBER = fields({"id": ident, "name": name}, {"active": boolean})
GROUP = fields(
    {"id": ident, "name": name, "members": list_of(MEMBER), "created_at": timestamp},
    {
        "cadence_days": integer,
        "length_minutes": integer,
        "ground_rules": list_of(text),
        "template": text,
        "next_meeting": optional(day),
        "agenda": optional(list_of(fields({}))),
    },
)
COMMITMENT = fields(
    {
        "id": ident,
        "group_id": ident,
        "owner": ident,
        "text": text,
        "due": optional(day),
        "private": boolean,
        "made_at": timestamp,
        "made_in": ident,
        "from_ask": optional(ident),
        "reviews": list_of(REVIEW),
        "updated_at": timestamp,
    }
)
ASK = fields(
    {
        "id": ident,
        "member_id": ident,
        "text": text,
        "wanted_seconds": number,
        "private": boolean,
        "votes": integer,
        "question_seconds": number,
        "advice_seconds": number,
        "extensions": list_of(
            fields(
                {
                    "minutes": number,
                    "votes_for": integer,
                    "voters": integer,
                    "granted": boolean,
                    "at": timestamp,
                }
            )
        ),
        "outcome": optional(text),
        "commitment_id": optional(ident),
        "helpers": list_of(ident),
        "notes": list_of(NOTE),
        "done": boolean,
    }
)
SESSION = fields(
    {
        "id": ident,
        "group_id": ident,
        "template": text,
        "started_at": timestamp,
        "ended_at": timestamp,
        "planned_minutes": integer,
        "attendance": map_of(ident, one_of(*ATTENDANCE_STATUSES)),
        "order": list_of(ident),
        "turns": list_of(
            fields(
                {"member_id": ident, "seconds": number, "passed": boolean, "notes": list_of(NOTE)}
            )
        ),
        "asks": list_of(ASK),
        "wins": list_of(
            fields(
                {
                    "id": ident,
                    "member_id": ident,
                    "kind": one_of(*WIN_KINDS),
                    "text": text,
                    "private": boolean,
                    "at": timestamp,
                }
            )
        ),
        "commitment_ids": list_of(ident),
        "reviews": map_of(ident, REVIEW),
        "ratings": map_of(ident, integer),
        "notes": list_of(NOTE),
        "next_meeting": optional(day),
        "updated_at": timestamp,
    }
)
CHECKIN = fields(
    {
        "id": ident,
        "group_id": ident,
        "member_id": ident,
        "at": timestamp,
        "statuses": map_of(ident, one_of(*REVIEW_STATUSES)),
        "note": optional(text),
        "energy": optional(integer),
        "private": boolean,
        "updated_at": timestamp,
    }
)
