"""A group's next meeting: one answer for everything that shows it or uses it.

The home screen, ``group list`` and ``group show`` (text and ``--json``), the
check-in's header, the Close phase's proposal (and so the due date of every
commitment made without one) all ask :func:`next_meeting`; the calendar file
carries the same slot, so it lists the same meeting. For a group with a slot the
answer is the slot's (moves and skips included): the first meeting that has not
ended and falls on a later day than the group's last session, since the meeting
of the day a group met was held, whenever the session started. A session never
moves the series; a date chosen at the Close does, for that one meeting
(:func:`peersession.core.slot_changes.after_session`).

A group without a slot (one from a bundle made before slots existed) has only
the date chosen at its last Close, and its Close proposes a cadence from today.

Pure: "now" and the last session's start are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pendulum
from msgspec.structs import replace
from pendulum import Date, DateTime

from .slot import Occurrence, pendulum_day
from .slot_changes import after_session

if TYPE_CHECKING:
    from .model import Group


@dataclass(frozen=True)
class NextMeeting:
    """The next meeting of a group."""

    #: Its day, in the group's zone.
    day: Date
    #: The meeting of the series, with its start; None for a group without a slot.
    occurrence: Occurrence | None = None


def held_on(group: Group, last_session: DateTime | str | None) -> Date | None:
    """The day, in the group's zone, of its last session (``last_session`` is its
    start, as a moment or as the ISO text the index keeps), or None."""
    if last_session is None or group.slot is None:
        return None
    try:
        if isinstance(last_session, str):
            # The index's summary, checked on load as ISO 8601 with an offset; read
            # with the standard library, a tenth of pendulum's time, as the home
            # screen asks for every group before its first frame.
            there = datetime.fromisoformat(last_session).astimezone(ZoneInfo(group.slot.zone))
            return pendulum.date(there.year, there.month, there.day)
        return last_session.in_timezone(group.slot.zone).date()
    except OverflowError:
        # A start at the very edge of the calendar (year 1): no meeting is near it.
        return None


def next_meeting(
    group: Group, now: DateTime, last_session: DateTime | str | None = None
) -> NextMeeting | None:
    """The group's next meeting as of ``now``, after its last session (its start);
    None when none is ahead (every meeting skipped) or none was ever set."""
    schedule = group.schedule
    if schedule is None:
        day = group.next_meeting
        return NextMeeting(pendulum_day(day)) if day is not None else None
    found = schedule.next_meeting(now, held_on=held_on(group, last_session))
    return NextMeeting(found.day, found) if found is not None else None


def close_proposal(group: Group, started: DateTime, today: Date) -> Date:
    """What the Close phase of a session that started at ``started`` proposes: the
    slot's next meeting after the session's day, which is what every screen says
    once the session is over. ``today`` is the session's day on this machine, for
    a group without a slot (a cadence from it)."""
    if group.schedule is not None:
        found = next_meeting(group, started, last_session=started)
        if found is not None:
            return found.day
    return today.add(days=group.cadence_days)


def after_close(
    group: Group, *, started: DateTime, ended: DateTime, proposed: date | None, chosen: Date
) -> Group:
    """The group once a session that started at ``started`` and ended at ``ended``
    chose ``chosen`` at its Close (``proposed`` was the Close's proposal): its slot
    then names that day as the next meeting (see
    :func:`~peersession.core.slot_changes.after_session`). Idempotent, as a
    commit may be run again."""
    updated = group.with_next_meeting(chosen)
    schedule = group.schedule
    if schedule is None or proposed is None:
        return updated
    slot = after_session(schedule, started=started, ended=ended, proposed=proposed, chosen=chosen)
    return replace(updated, slot=slot)
