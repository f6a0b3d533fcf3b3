"""The group's meeting series as an iCalendar file (RFC 5545) that calendars update in place.

One VEVENT stands for the whole series: ``DTSTART;TZID=<zone>`` at the slot's
wall-clock time, a ``VTIMEZONE`` for that zone (so a 16:00 London meeting stays
at 16:00 London across daylight saving, whatever zone the reader is in), an
``RRULE`` from the cadence, ``EXDATE`` for skipped meetings and one override
VEVENT (``RECURRENCE-ID``) per moved meeting. The ``UID`` is derived from the
group's id and never changes; ``SEQUENCE`` is the slot's, which goes up with
every change, so importing a newer file replaces the older invitation instead
of adding a second one.

The invitation carries the meeting, not the confidences: calendars are often
read by assistants and delegates, so its description holds the group's first
ground rule at most and a pointer to ``peersession checkin``. Members' open
commitments go in only when asked for (``--with-commitments``), and then as
every export shows them: private ones, and what private check-ins said of
public ones, left out unless ``--include-private`` (:mod:`peersession.core.privacy`).

Nothing here reads the machine's time zone: the same data gives the same
bytes everywhere, apart from ``DTSTAMP`` (when the file was made). The file is
built with the ``icalendar`` library, which does the format's escaping and
line folding; we only neutralise control characters, which iCalendar cannot
carry at all.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Event, Timezone, vText

from .. import __version__
from ..core.commitment_state import (
    commitment_is_open,
    current_commitment_due,
    current_commitment_text,
)
from ..core.model import Group
from ..core.privacy import public_commitments
from ..core.safe_text import shell_command
from ..core.slot import Schedule, series_uid
from ..errors import UserError
from .escape import one_line

if TYPE_CHECKING:
    from ..core.session_records import Commitment

PRODID = f"-//peersession//peersession {__version__}//EN"

#: How many years of daylight-saving rules the VTIMEZONE spells out after the
#: series starts (calendars that know the zone by name use their own rules).
_ZONE_YEARS = 10


class EscapedText(vText):
    """TEXT escaped exactly as RFC 5545 says. icalendar's own escaping first reads
    a typed backslash-N as a line break, so a group called ``\\N`` would not
    come back as typed."""

    def to_ical(self) -> bytes:
        text = str(self)
        for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(raw, escaped)
        return text.encode("utf-8")


def open_commitments_text(
    group: Group, commitments: Sequence[Commitment], *, include_private: bool = False
) -> str:
    """Open commitments by owner (members in the group's order), one per line.

    Former members are left out: they will not be at the meeting.
    """
    lines: list[str] = []
    for member in group.active_members:
        mine = [
            c
            for c in commitments
            if c.owner == member.id and commitment_is_open(c) and (include_private or not c.private)
        ]
        if not mine:
            continue
        lines.append(f"{one_line(member.name)}:")
        for c in mine:
            due = current_commitment_due(c)
            tag = " (private)" if c.private else ""
            suffix = f" (due {one_line(due)})" if due else ""
            lines.append(f"- {one_line(current_commitment_text(c))}{suffix}{tag}")
    if not lines:
        return "No open commitments."
    return "Open commitments:\n" + "\n".join(lines)


def _wall(day: date, schedule: Schedule) -> datetime:
    """``day`` at the slot's time as a wall-clock time in the slot's zone.

    Written with its TZID; a calendar resolves a time the clocks skip or repeat
    by the same rule (RFC 5545) that :mod:`peersession.core.slot` follows.
    """
    at = schedule.slot.time
    return datetime(
        day.year, day.month, day.day, at.hour, at.minute, tzinfo=ZoneInfo(schedule.slot.zone)
    )


def _rrule(cadence_days: int) -> dict[str, object]:
    weeks, rest = divmod(cadence_days, 7)
    if rest == 0:
        return {"FREQ": "WEEKLY", "INTERVAL": weeks}
    return {"FREQ": "DAILY", "INTERVAL": cadence_days}


def _event(group: Group, schedule: Schedule, stamp: datetime, description: str) -> Event:
    event = Event()
    event.add("uid", series_uid(group.id))
    event.add("dtstamp", stamp)
    event.add("sequence", schedule.slot.sequence)
    event.add("summary", EscapedText(f"{one_line(group.name)}: peer-mentoring session"))
    event.add("duration", timedelta(minutes=schedule.length_minutes))
    event.add("description", EscapedText(description))
    return event


def _zone(schedule: Schedule) -> Timezone:
    slot = schedule.slot
    first = min([slot.anchor, *slot.moved.values()])
    # Kept clear of the last year Python's dates hold (a date typed as 9999-12-31).
    year = min(first.year, date.max.year - _ZONE_YEARS - 1)
    return Timezone.from_tzid(
        slot.zone,
        first_date=date(year, 1, 1),
        last_date=date(year + _ZONE_YEARS, 1, 1),
    )


def meeting_text(group: Group, next_roles: Sequence[tuple[str, str]] = ()) -> str:
    """What every invitation says: the first ground rule (the others may say more
    than a calendar should), who holds each role at the next meeting
    (``(role, name)`` pairs), and where to check in before the meeting."""
    lines = []
    if group.ground_rules:
        more = len(group.ground_rules) - 1
        rest = f" (and {more} more)" if more else ""
        lines.append(f"Ground rules: {one_line(group.ground_rules[0])}{rest}")
    if next_roles:
        held = ", ".join(f"{one_line(role)}: {one_line(name)}" for role, name in next_roles)
        lines.append(f"Roles at the next meeting: {held}")
    lines.append(
        "Before the meeting, check in on your commitments: " + shell_command("checkin", group.name)
    )
    return "\n".join(lines)


def render_ics(
    group: Group,
    commitments: Sequence[Commitment] = (),
    *,
    with_commitments: bool = False,
    include_private: bool = False,
    private_checkins: Collection[str] = (),
    now: datetime | None = None,
    todos: Sequence[Component] = (),
    next_roles: Sequence[tuple[str, str]] = (),
) -> bytes:
    """A calendar holding the group's meeting series (see the module's docstring).

    ``commitments`` are listed only ``with_commitments``; ``private_checkins`` are
    the ids of the group's private check-ins, whose reviews are left out with the
    private commitments unless ``include_private``. ``now`` is only the DTSTAMP.
    ``todos`` (a member's, :mod:`.ics_todos`) are added after the series.
    ``next_roles``: who holds each role at the next meeting, ``(role, name)``.
    Raises UserError when the group has no slot (a group from a bundle written
    before slots existed).
    """
    schedule = group.schedule
    if schedule is None:
        raise UserError(
            f"{group.name!r} has no meeting slot: set one with `peersession group edit "
            "GROUP --next YYYY-MM-DD --at HH:MM --tz ZONE`"
        )
    slot = schedule.slot
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    description = meeting_text(group, next_roles)
    if with_commitments:
        shown = (
            list(commitments)
            if include_private
            else public_commitments(list(commitments), private_checkins)
        )
        listed = open_commitments_text(group, shown, include_private=include_private)
        description += "\n\n" + listed

    series = _event(group, schedule, stamp, description)
    series.add("dtstart", _wall(slot.anchor, schedule))
    series.add("rrule", _rrule(schedule.cadence_days))
    for day in sorted(slot.skipped):
        series.add("exdate", _wall(day, schedule))

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_zone(schedule))
    calendar.add_component(series)
    for series_date, day in sorted(slot.moved.items()):
        moved = _event(group, schedule, stamp, description)
        moved.add("recurrence-id", _wall(series_date, schedule))
        moved.add("dtstart", _wall(day, schedule))
        calendar.add_component(moved)
    for todo in todos:
        calendar.add_component(todo)
    result: bytes = calendar.to_ical()
    return result
