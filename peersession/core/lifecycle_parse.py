"""Dates and leave periods typed by a person (``group edit --leave``, ``--joined``,
``--left``): checked like every stored date, refused in one line."""

from __future__ import annotations

from datetime import date

from .lifecycle import Leave
from .years import FIRST_YEAR, LAST_YEAR, readable_year


def parse_day(text: str, *, what: str = "a date") -> date:
    """``YYYY-MM-DD`` → a date; ValueError with a one-line reason."""
    cleaned = text.strip()
    try:
        if len(cleaned) != 10:
            raise ValueError
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"{what}: not a date: {cleaned[:20]!r} (use YYYY-MM-DD)") from None
    if not readable_year(day.year):
        raise ValueError(f"{what}: a date between the years {FIRST_YEAR} and {LAST_YEAR}")
    return day


def parse_leave(text: str) -> Leave:
    """``2027-02-01..2027-05-01`` → a :class:`Leave`; ValueError with a reason."""
    first, dots, last = text.partition("..")
    if not dots:
        raise ValueError(f"a leave is FIRST..LAST, e.g. 2027-02-01..2027-05-01, not {text[:40]!r}")
    leave = Leave(parse_day(first, what="leave"), parse_day(last, what="leave"))
    if leave.last < leave.first:
        raise ValueError(f"leave {leave.label()} ends before it begins")
    return leave
