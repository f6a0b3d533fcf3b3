"""Whether a stored slot can be read, with the standard library alone.

Every read of the index checks each group's slot before trusting it, and the
home screen reads the index before its first frame: this check must not wait
for pendulum (and the dateutil parser it brings). :meth:`.slot.Slot.from_doc`
applies these same rules before it builds pendulum's values, so the two
cannot disagree about what a readable slot is.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_WALL = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2})\s*$")
_ZONE_HELP = "use an IANA name like Europe/London"


def wall_clock(text: str) -> tuple[int, int]:
    """``16:00`` or ``9:30`` → (hour, minute); anything else (``25:00``) is a ValueError."""
    match = _WALL.match(text)
    if match is None:
        raise ValueError(f"not a time of day: {text[:40]!r} (use HH:MM, like 16:00)")
    hour, minute = int(match.group("h")), int(match.group("m"))
    if hour > 23 or minute > 59:
        raise ValueError(f"not a time of day: {text[:40]!r} (hours 00–23, minutes 00–59)")
    return hour, minute


def check_zone(name: str) -> str:
    """An IANA time zone name with a place in it (or ``UTC``/``GMT``), or a ValueError."""
    # The standard library's zoneinfo is what pendulum's Timezone is built on:
    # a name it finds here is one pendulum reads.
    from zoneinfo import ZoneInfo

    cleaned = name.strip()
    # Offsets and abbreviations ("EST") are refused: a calendar needs a place.
    if not cleaned or ("/" not in cleaned and cleaned not in ("UTC", "GMT")):
        raise ValueError(f"unknown time zone: {name[:40]!r} ({_ZONE_HELP})")
    try:
        ZoneInfo(cleaned)
    except Exception:  # not found, a bad key, a folder or an unreadable file
        raise ValueError(f"unknown time zone: {name[:40]!r} ({_ZONE_HELP})") from None
    return cleaned


def calendar_day(value: object) -> date:
    """A ``YYYY-MM-DD`` string as a date, or a ValueError."""
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {value[:40]!r} (use YYYY-MM-DD)") from None


def check_slot_doc(doc: Any) -> None:
    """Refuse (ValueError, saying what is wrong) a stored slot that cannot be read."""
    if not isinstance(doc, dict):
        raise ValueError("a slot must be an object")
    sequence = doc.get("sequence", 0)
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise ValueError("slot.sequence must be a whole number")
    moved = doc.get("moved", {})
    skipped = doc.get("skipped", [])
    if not isinstance(moved, dict) or not isinstance(skipped, list):
        raise ValueError("slot.moved must be an object and slot.skipped a list")
    calendar_day(doc.get("anchor"))
    wall_clock(str(doc.get("at", "")))
    check_zone(str(doc.get("zone", "")))
    for day in skipped:
        calendar_day(day)
    for series_date, moved_to in moved.items():
        calendar_day(series_date)
        calendar_day(moved_to)
