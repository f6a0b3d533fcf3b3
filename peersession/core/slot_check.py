"""A slot's time of day and zone, checked with the standard library alone.

Every read of the index checks each group's slot before trusting it (its dates
are typed: ``core/slot_record.py``), and the home screen reads the index before
its first frame: this check must not wait for pendulum (and the dateutil parser
it brings). The CLI's ``--at`` and ``--tz`` are checked by the same rules.
"""

from __future__ import annotations

import re

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
