"""The next meeting as an iCalendar event (RFC 5545), for members' calendars.

The file is built with the ``icalendar`` library, which does the format's
escaping and line folding; we only neutralise control characters, which
iCalendar cannot carry at all. Times are written in UTC: the start is the
wall-clock time the group last started at, in the user's time zone, moved to
the next meeting's date there (so a meeting at 17:00 stays at 17:00 across a
daylight-saving change), then converted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pendulum
from icalendar import Calendar, Event
from pendulum import Date
from pendulum.tz import local_timezone

from .. import __version__
from ..core.model import (
    CommitmentDoc,
    Group,
    SessionDoc,
    commitment_is_open,
    current_commitment_due,
    current_commitment_text,
    parse_date_doc,
    parse_datetime_doc,
)
from ..errors import UserError
from .escape import one_line

PRODID = f"-//peersession//peersession {__version__}//EN"


def next_meeting_date(group: Group, sessions: Sequence[SessionDoc]) -> Date | None:
    """The group's next meeting, or the one the last session set."""
    if group.next_meeting is not None:
        return group.next_meeting
    if sessions:
        last = max(sessions, key=lambda s: s["started_at"])
        if last["next_meeting"]:
            return parse_date_doc(last["next_meeting"])
    return None


def event_uid(group: Group, day: date) -> str:
    """Stable for one group and date, so a re-export updates the calendar entry
    instead of adding a second one."""
    return f"{group.id}-{day:%Y%m%d}@peersession"


def _start(day: Date, sessions: Sequence[SessionDoc], timezone: str | None) -> datetime | None:
    """The next meeting's start in UTC, at the wall-clock time of the last start
    (to the minute), or None when no session has happened yet."""
    if not sessions:
        return None
    last = max(sessions, key=lambda s: s["started_at"])
    zone = pendulum.timezone(timezone) if timezone else local_timezone()
    started = parse_datetime_doc(last["started_at"]).in_timezone(zone)
    start = pendulum.datetime(
        day.year, day.month, day.day, started.hour, started.minute, tz=zone
    ).in_timezone("UTC")
    return datetime(start.year, start.month, start.day, start.hour, start.minute, tzinfo=UTC)


def open_commitments_text(
    group: Group, commitments: Sequence[CommitmentDoc], *, include_private: bool = False
) -> str:
    """Open commitments by owner (members in the group's order), one per line.

    Former members are left out: they will not be at the meeting.
    """
    lines: list[str] = []
    for member in group.active_members:
        mine = [
            c
            for c in commitments
            if c["owner"] == member.id
            and commitment_is_open(c)
            and (include_private or not c["private"])
        ]
        if not mine:
            continue
        lines.append(f"{one_line(member.name)}:")
        for c in mine:
            due = current_commitment_due(c)
            tag = " (private)" if c["private"] else ""
            suffix = f" (due {one_line(due)})" if due else ""
            lines.append(f"- {one_line(current_commitment_text(c))}{suffix}{tag}")
    if not lines:
        return "No open commitments."
    return "Open commitments:\n" + "\n".join(lines)


def render_ics(
    group: Group,
    sessions: Sequence[SessionDoc],
    commitments: Sequence[CommitmentDoc],
    *,
    include_private: bool = False,
    timezone: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """A calendar holding one event: the group's next meeting.

    A timed event of the group's meeting length when a past session gives the
    time of day, an all-day event otherwise. ``timezone`` (an IANA name) is
    where the group meets; the user's own zone by default. Raises UserError
    when no next meeting date is set.
    """
    day = next_meeting_date(group, sessions)
    if day is None:
        raise UserError(f"{group.name!r} has no next meeting date: set one when closing a session")
    event = Event()
    event.add("uid", event_uid(group, day))
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("summary", f"{one_line(group.name)}: peer-mentoring session")
    start = _start(day, sessions, timezone)
    plain_day = date(day.year, day.month, day.day)
    if start is None:
        event.add("dtstart", plain_day)
        event.add("dtend", plain_day + timedelta(days=1))
    else:
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=group.length_minutes))
    event.add(
        "description",
        open_commitments_text(group, commitments, include_private=include_private),
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    result: bytes = calendar.to_ical()
    return result
