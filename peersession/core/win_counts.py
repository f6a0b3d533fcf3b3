"""How many wins of each kind a group celebrated, by year, and how to say it.

Counted from the sessions' stored wins (``Session.wins``) on the local
calendar: ``this year: 5 promotions, 2 grants · 2025: 3 publications``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from pendulum.tz import local_timezone

from .local_days import local_day
from .record_values import WIN_KINDS

if TYPE_CHECKING:
    from .session_records import Session

_WIN_WORDS: dict[str, tuple[str, str]] = {
    "promotion": ("promotion", "promotions"),
    "grant": ("grant", "grants"),
    "publication": ("publication", "publications"),
    "award": ("award", "awards"),
    "personal": ("personal win", "personal wins"),
    "other": ("other win", "other wins"),
}


def wins_by_year(
    sessions: Iterable[Session], *, include_private: bool = True
) -> dict[int, dict[str, int]]:
    """How many wins of each kind were celebrated each (local) year."""
    years: dict[int, dict[str, int]] = {}
    zone = local_timezone()
    for session in sessions:
        for win in session.wins:
            if win.private and not include_private:
                continue
            year = local_day(win.at, zone).year
            counts = years.setdefault(year, {})
            counts[win.kind] = counts.get(win.kind, 0) + 1
    return years


def wins_line(counts: Mapping[str, int]) -> str:
    """``5 promotions, 2 grants, 1 publication`` (kinds in their usual order)."""
    order = [*WIN_KINDS, *sorted(k for k in counts if k not in WIN_KINDS)]
    parts = []
    for kind in order:
        count = counts.get(kind, 0)
        if count:
            one, many = _WIN_WORDS.get(kind, (f"{kind} win", f"{kind} wins"))
            parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts) or "none"


def wins_summary(years: Mapping[int, Mapping[str, int]], today: date, *, limit: int = 3) -> str:
    """``this year: 5 promotions, 2 grants · 2025: 3 publications`` (newest first)."""
    if not years:
        return "no wins recorded yet"
    parts = []
    for year in sorted(years, reverse=True)[:limit]:
        label = "this year" if year == today.year else str(year)
        parts.append(f"{label}: {wins_line(years[year])}")
    if today.year not in years:
        parts.insert(0, "this year: none yet")
    return " · ".join(parts)
