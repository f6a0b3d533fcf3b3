"""Durations and dates typed by people.

pendulum parses ISO 8601 (``PT5M``) but not what people type (``5m``,
``1h30m``, ``90s``), so this small parser accepts both and refuses anything
else with a message that says what is accepted.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Imported where ISO text or a date is parsed: settings (read at every
    # start) parse "5m", which needs neither pendulum nor its dateutil parser.
    from pendulum import Date

MAX_DURATION = timedelta(hours=24)

_HUMAN = re.compile(
    r"^\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h)?\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in)?)?\s*"
    r"(?:(?P<s>\d+(?:\.\d+)?)\s*s)?\s*$",
    re.IGNORECASE,
)
_WEEKS_DAYS = re.compile(r"^\s*(?P<n>[0-9]+)\s*(?P<unit>[wd])\s*$", re.IGNORECASE)
_WHOLE = re.compile(r"^[0-9]+$")
#: Longer than any duration or cadence we accept; bigger numbers are refused
#: before arithmetic on them can overflow.
_MAX_DIGITS = 9

DURATION_HELP = "use minutes like 5m, 90s, 1h30m or ISO 8601 like PT5M"


def _shown(raw: str) -> str:
    """What the person typed, quoted and cut short so the message stays one line."""
    return repr(raw if len(raw) <= 40 else raw[:40] + "…")


def parse_duration(text: str, *, maximum: timedelta = MAX_DURATION) -> timedelta:
    """Parse ``5m``, ``90s``, ``1h30m``, ``2h``, a bare number of minutes, or ``PT5M``.

    Raises ValueError with a one-line message for anything else, for a
    negative or zero duration and for one longer than ``maximum``.
    """
    raw = text.strip()
    if not raw:
        raise ValueError(f"empty duration: {DURATION_HELP}")
    if raw.startswith("-"):
        raise ValueError(f"a duration cannot be negative: {_shown(raw)}")
    seconds: float | None = None
    if _WHOLE.match(raw):
        seconds = int(raw) * 60.0 if len(raw) <= _MAX_DIGITS else math.inf
    elif raw[:1] in "Pp":
        import pendulum

        try:
            parsed = pendulum.parse(raw.upper())
        except Exception:  # pendulum raises several types for bad ISO text
            raise ValueError(f"not a duration: {_shown(raw)} ({DURATION_HELP})") from None
        if not isinstance(parsed, pendulum.Duration):
            raise ValueError(f"not a duration: {_shown(raw)} ({DURATION_HELP})")
        seconds = math.inf if parsed.years or parsed.months else parsed.total_seconds()
    else:
        match = _HUMAN.match(raw)
        if match and any(match.group(k) for k in ("h", "m", "s")):
            seconds = (
                float(match.group("h") or 0) * 3600
                + float(match.group("m") or 0) * 60
                + float(match.group("s") or 0)
            )
    if seconds is None:
        raise ValueError(f"not a duration: {_shown(raw)} ({DURATION_HELP})")
    # Compare before building a timedelta: absurd numbers would overflow it.
    if seconds > maximum.total_seconds():
        raise ValueError(f"duration too long: {_shown(raw)} (at most {format_duration(maximum)})")
    result = timedelta(seconds=seconds)
    if result <= timedelta(0):
        raise ValueError(f"a duration must be longer than zero: {_shown(raw)}")
    return result


def parse_cadence(text: str) -> int:
    """Parse a meeting cadence such as ``3w``, ``14d`` or ``21`` into days."""
    raw = text.strip()
    days = _days(raw)
    if days is None:
        raise ValueError(f"not a cadence: {_shown(raw)} (use weeks like 3w or days like 21d)")
    if not 1 <= days <= 366:
        raise ValueError(f"cadence must be between 1 day and a year: {_shown(raw)}")
    return days


def _days(raw: str) -> int | None:
    """``21``, ``3w`` or ``21d`` as a number of days; ``None`` if it is none of them."""
    digits: str
    unit: str
    if _WHOLE.match(raw):
        digits, unit = raw, "d"
    else:
        match = _WEEKS_DAYS.match(raw)
        if not match:
            return None
        digits, unit = match.group("n"), match.group("unit").lower()
    if len(digits) > _MAX_DIGITS:
        return 1_000_000_000  # absurdly long: the caller's range check refuses it
    return int(digits) * (7 if unit == "w" else 1)


def parse_date(text: str, *, today: Date, allow_past: bool = False) -> Date:
    """Parse a date typed by a person: ``2026-12-15``, ``+3w``, ``+10d``, ``today``.

    A past date is refused unless ``allow_past``.
    """
    import pendulum

    raw = text.strip()
    if not raw:
        raise ValueError("empty date: use YYYY-MM-DD or +3w")
    result: Date
    if raw.lower() == "today":
        result = today
    elif raw.startswith("+"):
        days = _days(raw[1:].strip())
        if days is None or not 0 <= days <= 366:
            raise ValueError(
                f"not a date: {_shown(raw)} (use +3w or +10d, at most a year ahead, or YYYY-MM-DD)"
            )
        result = today.add(days=days)
    else:
        try:
            parsed = pendulum.parse(raw, exact=True)
        except Exception:  # pendulum raises several types for bad text
            raise ValueError(f"not a date: {_shown(raw)} (use YYYY-MM-DD or +3w)") from None
        if isinstance(parsed, pendulum.DateTime):
            result = parsed.date()
        elif isinstance(parsed, pendulum.Date):
            result = parsed
        else:
            raise ValueError(f"not a date: {_shown(raw)} (use YYYY-MM-DD or +3w)")
    if not allow_past and result < today:
        raise ValueError(f"that date is in the past: {result.isoformat()}")
    return result


def format_duration(value: timedelta | float) -> str:
    """``1h30m``, ``5m``, ``90s`` style, the inverse of :func:`parse_duration`."""
    seconds = round(value.total_seconds() if isinstance(value, timedelta) else value)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return "".join(parts)


def format_clock(seconds: float) -> str:
    """A countdown face: ``04:59``, ``-01:20`` in overtime, ``1:02:03`` past an hour."""
    # Counting down, show the ceiling so 00:00 appears only when time is up
    # and -00:01 one full second into overtime.
    whole = math.ceil(seconds)
    sign = "-" if whole < 0 else ""
    hours, rest = divmod(abs(whole), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}"
