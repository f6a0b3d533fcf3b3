"""The group's meeting slot: a first date, a time of day, a time zone and a cadence.

A group meets on a series ("every third Thursday, 16:00, London time"): the
dates ``anchor + k * cadence`` (k ≥ 0), each at the slot's wall-clock time in
the slot's zone. One occurrence can be skipped or moved to another day; the
series itself stays where it was. Sessions never move the series: the next
meeting after a session is the first one on a later day than the session's,
whenever it started (late, early, or on a day with no meeting at all).

Wall-clock times follow RFC 5545, the rule every calendar applies to the
invitation: a time that does not exist on a daylight-saving day (01:30 in
London on the last Sunday of March) is read with the offset before the gap, so
the meeting is an hour later (02:30); a time that happens twice (01:30 on the
last Sunday of October) is the first of the two. Python's ``fold=0`` is that
same rule, so what peersession shows is what the calendars show.

Pure: every "now" and "today" is passed in; no textual, no tinydb. Changing a
slot (skip, move, the Close phase's choice, inference from old sessions) is in
:mod:`.slot_changes`; showing its times to people is in :mod:`.slot_labels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import pendulum
from pendulum import Date, DateTime
from pendulum.tz import local_timezone

from .slot_check import check_zone as check_zone  # the rule lives there; named here too
from .slot_check import wall_clock
from .slot_record import Slot as Slot  # the record; the arithmetic is here

#: The start time a new group gets when none is given.
DEFAULT_AT = "16:00"

#: How far ahead edits look for occurrences and daylight-saving surprises.
_LOOKAHEADDAYS = 2 * 366


def parse_at(text: str) -> str:
    """``16:00`` or ``9:30`` → ``HH:MM`` as a slot keeps it; anything else (``25:00``)
    is a ValueError."""
    hour, minute = wall_clock(text)
    return f"{hour:02d}:{minute:02d}"


def machine_zone() -> str:
    """The zone this machine is set to (``TZ`` or the system's), as an IANA name;
    ``UTC`` when the machine gives only an offset, which a calendar cannot follow
    across daylight saving (the group's zone can then be set with ``--tz``)."""
    name = local_timezone().name
    try:
        return check_zone(name) if isinstance(name, str) else "UTC"
    except ValueError:
        return "UTC"


def series_uid(group_id: str) -> str:
    """The calendar UID of a group's series: derived from the group's id, so it never
    changes and two machines exporting the same group agree on it."""
    return f"{group_id}-series@peersession"


#: Day and month abbreviations as pendulum's "en" locale (the only one the app uses)
#: writes ``ddd`` and ``MMM``. The home screen's labels are written with them, as
#: ``format`` would load the locale through importlib.resources before the first
#: frame, and a slot's messages with them; ``tests/unit/test_slot_labels.py`` holds
#: :func:`short_day` to ``format``.
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_day(day: date, *, year: bool) -> str:
    """``Thu 3 Dec`` or ``Thu 3 Dec 2026``: ``day.format("ddd D MMM[ YYYY]")``."""
    text = f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def pendulum_day(day: date) -> Date:
    """A date as pendulum's (a slot's dates are the standard library's, as stored)."""
    return Date(day.year, day.month, day.day)


def start_at(day: date, at: time, zone: str) -> DateTime:
    """The moment a meeting on ``day`` at ``at`` starts, in ``zone`` (RFC 5545 rule)."""
    tz = pendulum.timezone(zone)
    wall = datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=tz, fold=0)
    return pendulum.instance(wall.astimezone(UTC)).in_timezone(zone)


def wall_time_note(day: Date, at: time, zone: str) -> str | None:
    """Why ``at`` is not an ordinary time on ``day`` in ``zone``, if it is not."""
    tz = pendulum.timezone(zone)
    naive = datetime(day.year, day.month, day.day, at.hour, at.minute)
    early, late = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return None
    start = start_at(day, at, zone)
    when = f"{day.format('ddd D MMM YYYY')} {at.hour:02d}:{at.minute:02d}"
    if (start.hour, start.minute) != (at.hour, at.minute):
        return (
            f"{when} does not exist in {zone} (the clocks go forward): that meeting is at "
            f"{start.format('HH:mm')}, as calendars put it"
        )
    return (
        f"{when} happens twice in {zone} (the clocks go back): that meeting is at the "
        f"first {at.hour:02d}:{at.minute:02d} ({start.format('Z')}), as calendars put it"
    )


@dataclass(frozen=True)
class Occurrence:
    """One meeting of the series."""

    #: The series date it stands for (a calendar's RECURRENCE-ID).
    series_date: Date
    #: The day it is held: the series date, or where it was moved to.
    day: Date
    start: DateTime

    @property
    def moved(self) -> bool:
        return self.day != self.series_date


@dataclass(frozen=True)
class Schedule:
    """A slot with the group's cadence and length: the arithmetic of the series."""

    slot: Slot
    cadence_days: int
    length_minutes: int
    # The slot's values as the arithmetic uses them, read once.
    _anchor: Date = field(init=False, repr=False, compare=False)
    _at: time = field(init=False, repr=False, compare=False)
    _moves: dict[date, Date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        moves = {day: pendulum_day(to) for day, to in self.slot.moved.items()}
        object.__setattr__(self, "_anchor", pendulum_day(self.slot.anchor))
        object.__setattr__(self, "_at", self.slot.time)
        object.__setattr__(self, "_moves", moves)

    def series_dates(self, first: date) -> Iterator[Date]:
        """Series dates on or after ``first``, skipped ones included, up to the
        last date Python can hold (a date typed as 9999-12-31 must not crash)."""
        anchor = self._anchor
        steps = max(0, -(-(first - anchor).days // self.cadence_days))
        try:
            day = anchor.add(days=steps * self.cadence_days)
            while True:
                yield day
                day = day.add(days=self.cadence_days)
        except OverflowError:
            return

    def is_series_date(self, day: date) -> bool:
        return day >= self.slot.anchor and (day - self.slot.anchor).days % self.cadence_days == 0

    def occurrence(self, series_date: Date) -> Occurrence | None:
        """The meeting standing for ``series_date`` (None when skipped)."""
        if series_date in self.slot.skipped:
            return None
        day = self._moves.get(series_date, series_date)
        return Occurrence(series_date, day, start_at(day, self._at, self.slot.zone))

    def occurrences(self, first: date) -> Iterator[Occurrence]:
        """Meetings in order, from the series date a cadence before ``first`` (so a
        meeting moved forward onto or after ``first`` is not missed)."""
        for series_date in self.series_dates(pendulum_day(first).subtract(days=self.cadence_days)):
            found = self.occurrence(series_date)
            if found is not None:
                yield found

    def next_meeting(self, now: DateTime, *, held_on: Date | None = None) -> Occurrence | None:
        """The next meeting: the first that has not ended by ``now`` and falls on a
        day after ``held_on``.

        ``held_on`` is the day (in the slot's zone) of the group's last session:
        that day's meeting was held, whatever time it started, so it is never
        "next" again. The Close phase asks with the session's own start for both,
        which makes its proposal the first meeting on a later day; every screen,
        command and export asks with the clock and the last session, through
        :func:`peersession.core.upcoming.next_meeting`, and so names the same one.
        """
        length = pendulum.duration(minutes=self.length_minutes)
        day = now.in_timezone(self.slot.zone).date()
        for found in bounded(self.occurrences(day.subtract(days=1))):
            if held_on is not None and found.day <= held_on:
                continue
            if found.start > now - length:
                return found
        return None

    def meeting_on(self, day: date) -> Occurrence | None:
        """The meeting held on ``day``, if there is one."""
        for found in bounded(self.occurrences(day)):
            if found.day == day:
                return found
            if found.day > day:
                return None
        return None

    def describe(self) -> str:
        """``every 3 weeks on Thursday at 16:00 (Europe/London)``."""
        weeks, rest = divmod(self.cadence_days, 7)
        slot = self.slot
        when = f"{self._at.hour:02d}:{self._at.minute:02d} ({slot.zone}), {self.length_minutes} min"
        if rest == 0:
            every = "every week" if weeks == 1 else f"every {weeks} weeks"
            return f"{every} on {self._anchor.format('dddd')} at {when}"
        days = "every day" if self.cadence_days == 1 else f"every {self.cadence_days} days"
        return f"{days} at {when}"


def bounded(found: Iterable[Occurrence], limit: int = 400) -> Iterator[Occurrence]:
    """At most ``limit`` occurrences: a series where everything ahead is skipped ends."""
    for count, occurrence in enumerate(found):
        if count >= limit:
            return
        yield occurrence


def transition_notes(schedule: Schedule, today: Date) -> list[str]:
    """Daylight-saving surprises among the meetings of the next two years."""
    notes = []
    end = today.add(days=_LOOKAHEADDAYS)
    for found in bounded(schedule.occurrences(today), limit=800):
        if found.day > end:
            break
        if found.day < today:
            continue
        note = wall_time_note(found.day, schedule.slot.time, schedule.slot.zone)
        if note:
            notes.append(note)
    return notes
