"""The group's meeting slot: a first date, a time of day, a time zone and a cadence.

A group meets on a series ("every third Thursday, 16:00, London time"): the
dates ``anchor + k * cadence`` (k ≥ 0), each at the slot's wall-clock time in
the slot's zone. One occurrence can be skipped or moved to another day; the
series itself stays where it was. Sessions never move the series: a session
that starts late, early or on another day is matched to the occurrence it
stood for, and the next meeting is the occurrence after that one.

Wall-clock times follow RFC 5545, the rule every calendar applies to the
invitation: a time that does not exist on a daylight-saving day (01:30 in
London on the last Sunday of March) is read with the offset before the gap, so
the meeting is an hour later (02:30); a time that happens twice (01:30 on the
last Sunday of October) is the first of the two. Python's ``fold=0`` is that
same rule, so what peersession shows is what the calendars show.

Pure: every "now" and "today" is passed in; no textual, no tinydb.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pendulum
from pendulum import Date, DateTime, Time
from pendulum.tz import local_timezone

if TYPE_CHECKING:
    from .model import Group

#: The start time a new group gets when none is given.
DEFAULT_AT = Time(16, 0)

_WALL = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2})\s*$")
#: How far ahead edits look for occurrences and daylight-saving surprises.
_LOOKAHEAD_DAYS = 2 * 366


def parse_at(text: str) -> Time:
    """``16:00`` or ``9:30`` → a time of day; anything else (``25:00``) is a ValueError."""
    match = _WALL.match(text)
    if match is None:
        raise ValueError(f"not a time of day: {text[:40]!r} (use HH:MM, like 16:00)")
    hour, minute = int(match.group("h")), int(match.group("m"))
    if hour > 23 or minute > 59:
        raise ValueError(f"not a time of day: {text[:40]!r} (hours 00–23, minutes 00–59)")
    return Time(hour, minute)


def check_zone(name: str) -> str:
    """An IANA time zone name as pendulum knows it, or a ValueError."""
    cleaned = name.strip()
    try:
        pendulum.timezone(cleaned)
    except Exception:  # pendulum raises several types for unknown names
        raise ValueError(
            f"unknown time zone: {name[:40]!r} (use an IANA name like Europe/London)"
        ) from None
    if not cleaned or ("/" not in cleaned and cleaned not in ("UTC", "GMT")):
        # pendulum accepts offsets and abbreviations ("EST"); a calendar needs a place.
        raise ValueError(f"unknown time zone: {name[:40]!r} (use an IANA name like Europe/London)")
    return cleaned


def machine_zone() -> str:
    """The zone this machine is set to (``TZ`` or the system's), as an IANA name."""
    name = local_timezone().name
    return name if isinstance(name, str) and name else "UTC"


def series_uid(group_id: str) -> str:
    """The calendar UID of a group's series: derived from the group's id, so it never
    changes and two machines exporting the same group agree on it."""
    return f"{group_id}-series@peersession"


@dataclass(frozen=True)
class Slot:
    """When a group meets. The cadence and the length are the group's own fields."""

    anchor: Date
    at: Time
    zone: str
    #: Series dates with no meeting.
    skipped: tuple[Date, ...] = ()
    #: Series date → the day that one meeting is held instead (same time of day).
    moved: tuple[tuple[Date, Date], ...] = ()
    #: Goes up by one whenever the slot changes, so calendars take the new invitation.
    sequence: int = 0

    @property
    def moves(self) -> dict[Date, Date]:
        return dict(self.moved)

    def to_doc(self) -> dict[str, Any]:
        return {
            "anchor": self.anchor.isoformat(),
            "at": f"{self.at.hour:02d}:{self.at.minute:02d}",
            "zone": self.zone,
            "skipped": [d.isoformat() for d in self.skipped],
            "moved": {a.isoformat(): b.isoformat() for a, b in self.moved},
            "sequence": self.sequence,
        }

    @classmethod
    def from_doc(cls, doc: Any) -> Slot:
        """Read a stored slot; a ValueError says what is wrong with a damaged one."""
        if not isinstance(doc, dict):
            raise ValueError("a slot must be an object")
        sequence = doc.get("sequence", 0)
        if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
            raise ValueError("slot.sequence must be a whole number")
        moved = doc.get("moved", {})
        skipped = doc.get("skipped", [])
        if not isinstance(moved, dict) or not isinstance(skipped, list):
            raise ValueError("slot.moved must be an object and slot.skipped a list")
        return cls(
            anchor=_day(doc.get("anchor")),
            at=parse_at(str(doc.get("at", ""))),
            zone=check_zone(str(doc.get("zone", ""))),
            skipped=tuple(sorted(_day(d) for d in skipped)),
            moved=tuple(sorted((_day(a), _day(b)) for a, b in moved.items())),
            sequence=sequence,
        )


def _day(value: object) -> Date:
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    try:
        return Date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date: {value[:40]!r} (use YYYY-MM-DD)") from None


def start_at(day: Date, at: Time, zone: str) -> DateTime:
    """The moment a meeting on ``day`` at ``at`` starts, in ``zone`` (RFC 5545 rule)."""
    tz = pendulum.timezone(zone)
    wall = datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=tz, fold=0)
    return pendulum.instance(wall.astimezone(UTC)).in_timezone(zone)


def wall_time_note(day: Date, at: Time, zone: str) -> str | None:
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
    _moves: dict[Date, Date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_moves", self.slot.moves)

    def series_dates(self, first: Date) -> Iterator[Date]:
        """Series dates on or after ``first``, skipped ones included, without end."""
        anchor = self.slot.anchor
        steps = max(0, -(-(first - anchor).days // self.cadence_days))
        day = anchor.add(days=steps * self.cadence_days)
        while True:
            yield day
            day = day.add(days=self.cadence_days)

    def is_series_date(self, day: Date) -> bool:
        return day >= self.slot.anchor and (day - self.slot.anchor).days % self.cadence_days == 0

    def occurrence(self, series_date: Date) -> Occurrence | None:
        """The meeting standing for ``series_date`` (None when skipped)."""
        if series_date in self.slot.skipped:
            return None
        day = self._moves.get(series_date, series_date)
        return Occurrence(series_date, day, start_at(day, self.slot.at, self.slot.zone))

    def occurrences(self, first: Date) -> Iterator[Occurrence]:
        """Meetings in order, from the series date a cadence before ``first`` (so a
        meeting moved forward onto or after ``first`` is not missed)."""
        for series_date in self.series_dates(first.subtract(days=self.cadence_days)):
            found = self.occurrence(series_date)
            if found is not None:
                yield found

    def next_meeting(self, now: DateTime) -> Occurrence | None:
        """The meeting in progress or the next one: the first that has not ended by ``now``."""
        length = pendulum.duration(minutes=self.length_minutes)
        day = now.in_timezone(self.slot.zone).date()
        for found in _bounded(self.occurrences(day.subtract(days=1))):
            if found.start + length > now:
                return found
        return None

    def meeting_on(self, day: Date) -> Occurrence | None:
        """The meeting held on ``day``, if there is one."""
        for found in _bounded(self.occurrences(day)):
            if found.day == day:
                return found
            if found.day > day:
                return None
        return None

    def proposed_after(self, session_start: DateTime) -> Occurrence | None:
        """The next meeting after a session that started at ``session_start``.

        The session stands for the meeting nearest to its day within half a
        cadence (it may have started late, early, or on another day); the
        proposal is the meeting after that one. A session far from any meeting
        (an extra one) proposes the first meeting after its day.
        """
        day = session_start.in_timezone(self.slot.zone).date()
        half = self.cadence_days / 2
        candidates = list(_bounded(self.occurrences(day), limit=4))
        nearest = min(
            (c for c in candidates if abs((c.day - day).days) <= half),
            key=lambda c: (abs((c.day - day).days), c.day < day),
            default=None,
        )
        for found in candidates:
            if nearest is not None and found.day > nearest.day:
                return found
            if nearest is None and found.day > day:
                return found
        return None

    def describe(self) -> str:
        """``every 3 weeks on Thursday at 16:00 (Europe/London)``."""
        weeks, rest = divmod(self.cadence_days, 7)
        slot = self.slot
        when = f"{slot.at.hour:02d}:{slot.at.minute:02d} ({slot.zone}), {self.length_minutes} min"
        if rest == 0:
            every = "every week" if weeks == 1 else f"every {weeks} weeks"
            return f"{every} on {slot.anchor.format('dddd')} at {when}"
        days = "every day" if self.cadence_days == 1 else f"every {self.cadence_days} days"
        return f"{days} at {when}"


def _bounded(found: Iterable[Occurrence], limit: int = 400) -> Iterator[Occurrence]:
    """At most ``limit`` occurrences: a series where everything ahead is skipped ends."""
    for count, occurrence in enumerate(found):
        if count >= limit:
            return
        yield occurrence


# -- changing the slot ------------------------------------------------------------------


def changed(slot: Slot, **changes: Any) -> Slot:
    """The slot with ``changes`` and the next sequence number, if anything changed."""
    updated = replace(slot, **changes)
    if updated == slot:
        return slot
    return replace(updated, sequence=slot.sequence + 1)


def reanchored(schedule: Schedule, anchor: Date) -> Slot:
    """A new first date: skips and moves that are not on the new series are dropped."""
    new = Schedule(replace(schedule.slot, anchor=anchor), schedule.cadence_days, 1)
    return changed(
        schedule.slot,
        anchor=anchor,
        skipped=tuple(d for d in schedule.slot.skipped if new.is_series_date(d)),
        moved=tuple((a, b) for a, b in schedule.slot.moved if new.is_series_date(a)),
    )


def with_skip(schedule: Schedule, day: Date, today: Date) -> Slot:
    """Skip the meeting on ``day`` (its series date or the day it was moved to)."""
    found = schedule.meeting_on(day)
    if found is None:
        raise ValueError(f"no meeting on {day.format('ddd D MMM YYYY')} to skip")
    if found.day < today:
        raise ValueError(f"{day.isoformat()} is in the past")
    slot = schedule.slot
    return changed(
        slot,
        skipped=tuple(sorted({*slot.skipped, found.series_date})),
        moved=tuple((a, b) for a, b in slot.moved if a != found.series_date),
    )


def with_move(schedule: Schedule, day: Date, to: Date, today: Date) -> Slot:
    """Hold the meeting on ``day`` on ``to`` instead, leaving the series where it is.

    Refused when ``to`` is in the past, already has a meeting, or would pass a
    neighbouring meeting (skip that one instead): moved meetings keep their order.
    """
    found = schedule.meeting_on(day)
    if found is None:
        raise ValueError(f"no meeting on {day.format('ddd D MMM YYYY')} to move")
    if to < today:
        raise ValueError(f"cannot move a meeting to {to.isoformat()}: that date is in the past")
    if found.day < today:
        raise ValueError(f"the meeting on {day.isoformat()} is in the past")
    if to == found.day:
        raise ValueError(f"the meeting is already on {to.isoformat()}")
    taken = schedule.meeting_on(to)
    if taken is not None:
        raise ValueError(f"{to.format('ddd D MMM YYYY')} already has a meeting")
    before = [o for o in _bounded(schedule.occurrences(found.day)) if o.day > found.day][:1]
    earlier = [
        o
        for o in _bounded(schedule.occurrences(found.day.subtract(days=schedule.cadence_days)))
        if o.day < found.day
    ][-1:]
    if (before and to > before[0].day) or (earlier and to < earlier[0].day):
        raise ValueError(
            f"{to.isoformat()} is past the neighbouring meeting; skip a meeting instead"
        )
    slot = schedule.slot
    moves = {a: b for a, b in slot.moved if a != found.series_date}
    if to != found.series_date:
        moves[found.series_date] = to
    return changed(slot, moved=tuple(sorted(moves.items())))


def with_close_choice(schedule: Schedule, proposed: Date, chosen: Date) -> Slot:
    """The Close phase's next date, changed from the proposal for that one meeting.

    The meetings between the proposal and the chosen day are skipped; the
    proposed meeting is moved to the chosen day, or skipped too when that day
    already has a meeting. The series itself stays where it was.
    """
    slot = schedule.slot
    found = schedule.meeting_on(proposed)
    if chosen == proposed or found is None:
        return slot
    if chosen < proposed:
        if schedule.meeting_on(chosen) is not None:
            return slot
        return changed(slot, moved=tuple(sorted({**slot.moves, found.series_date: chosen}.items())))
    between = [
        o.series_date for o in _bounded(schedule.occurrences(proposed)) if proposed < o.day < chosen
    ]
    landing = schedule.meeting_on(chosen)
    skipped = {*slot.skipped, *between}
    moves = {a: b for a, b in slot.moved if a not in skipped}
    if landing is not None:
        skipped.add(found.series_date)
        moves.pop(found.series_date, None)
    else:
        moves[found.series_date] = chosen
    return changed(slot, skipped=tuple(sorted(skipped)), moved=tuple(sorted(moves.items())))


def transition_notes(schedule: Schedule, today: Date) -> list[str]:
    """Daylight-saving surprises among the meetings of the next two years."""
    notes = []
    end = today.add(days=_LOOKAHEAD_DAYS)
    for found in _bounded(schedule.occurrences(today), limit=800):
        if found.day > end:
            break
        if found.day < today:
            continue
        note = wall_time_note(found.day, schedule.slot.at, schedule.slot.zone)
        if note:
            notes.append(note)
    return notes


# -- a slot from past sessions (the migration of older data) ----------------------------


def usual_start(starts: Sequence[DateTime], zone: str) -> tuple[int, Time] | None:
    """The most common weekday (0 = Monday) and start time of ``starts`` in ``zone``.

    A start counts for a quarter hour from 5 minutes before it to 10 minutes
    after (a meeting called for 16:00 that started at 16:08 was a 16:00 one);
    ties go to the most recent sessions.
    """
    if not starts:
        return None
    local = sorted(s.in_timezone(zone) for s in starts)
    weekdays = Counter(s.day_of_week for s in local)
    quarters = Counter(((s.hour * 60 + s.minute + 5) // 15 * 15) % (24 * 60) for s in local)
    latest = {s.day_of_week: i for i, s in enumerate(local)}
    latest_q = {((s.hour * 60 + s.minute + 5) // 15 * 15) % 1440: i for i, s in enumerate(local)}
    weekday = max(weekdays, key=lambda d: (weekdays[d], latest[d]))
    minutes = max(quarters, key=lambda q: (quarters[q], latest_q[q]))
    # pendulum's day_of_week: Monday is 0 in pendulum 3.
    return weekday, Time(minutes // 60, minutes % 60)


def inferred_slot(
    starts: Sequence[DateTime],
    zone: str,
    *,
    next_meeting: Date | None,
    fallback_anchor: Date,
) -> Slot:
    """A slot for a group that had none: its usual weekday and start time.

    The anchor is the agreed next meeting moved to the usual weekday (at most
    three days), else the latest session held on that weekday; a group with no
    sessions keeps its next meeting (or ``fallback_anchor``) at the default time.
    """
    usual = usual_start(starts, zone)
    if usual is None:
        return Slot(anchor=next_meeting or fallback_anchor, at=DEFAULT_AT, zone=zone)
    weekday, at = usual
    if next_meeting is not None:
        shift = (weekday - next_meeting.day_of_week + 3) % 7 - 3
        anchor = next_meeting.add(days=shift)
    else:
        local_days = [s.in_timezone(zone).date() for s in starts]
        anchor = max(d for d in local_days if d.day_of_week == weekday)
    return Slot(anchor=anchor, at=at, zone=zone)


# -- showing times ---------------------------------------------------------------------


def offset_label(moment: DateTime) -> str:
    """``UTC+01:00``."""
    return f"UTC{moment.format('Z')}"


def in_group_zone(moment: DateTime, zone: str, viewer_zone: str, fmt: str) -> str:
    """``moment`` formatted in the group's zone, with its UTC offset when the viewer's
    machine is at another offset at that moment (so the reader knows whose time it is)."""
    there = moment.in_timezone(zone)
    text = there.format(fmt)
    if moment.in_timezone(viewer_zone).utcoffset() != there.utcoffset():
        text += f" {offset_label(there)}"
    return text


def meeting_label(found: Occurrence, zone: str, viewer_zone: str) -> str:
    """``Thu 7 Jan 2027 16:00 Europe/London`` and, when the viewer is elsewhere,
    ``(17:00 your time)`` or ``(Fri 8 Jan 01:00 your time)``."""
    start = found.start.in_timezone(zone)
    text = f"{start.format('ddd D MMM YYYY HH:mm')} {zone}"
    mine = found.start.in_timezone(viewer_zone)
    if mine.utcoffset() != start.utcoffset():
        same_day = mine.date() == start.date()
        own = mine.format("HH:mm") if same_day else mine.format("ddd D MMM HH:mm")
        text += f" ({own} your time)"
    return text


def place(zone: str) -> str:
    """``London`` for ``Europe/London``: the zone's city, for narrow columns."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def short_meeting_label(found: Occurrence, zone: str, viewer_zone: str, today: Date) -> str:
    """``Thu 3 Dec 16:00 London (11:00 here)``: :func:`meeting_label` for a table
    column (the year only when it is not this one)."""
    start = found.start.in_timezone(zone)
    day = start.format("ddd D MMM" if start.year == today.year else "ddd D MMM YYYY")
    text = f"{day} {start.format('HH:mm')} {place(zone)}"
    mine = found.start.in_timezone(viewer_zone)
    if mine.utcoffset() != start.utcoffset():
        own = mine.format("HH:mm") if mine.date() == start.date() else mine.format("ddd HH:mm")
        text += f" ({own} here)"
    return text


def next_meeting_text(group: Group, now: DateTime, viewer_zone: str) -> str:
    """The group's next meeting in its zone (and the viewer's time when elsewhere)."""
    schedule = group.schedule
    if schedule is None:
        return group.next_meeting.format("ddd D MMM YYYY") if group.next_meeting else "not set"
    upcoming = schedule.next_meeting(now)
    if upcoming is None:
        return "none ahead"
    return meeting_label(upcoming, schedule.slot.zone, viewer_zone)


def day_at_slot(slot: Slot | None, day: str) -> str:
    """``Thu 26 Mar 2026 16:00 Europe/London``: an ISO day at the slot's time in its
    zone (the day as given when there is no slot or it cannot be read)."""
    if slot is None:
        return day
    try:
        parsed = Date.fromisoformat(day)
    except ValueError:
        return day
    start = start_at(parsed, slot.at, slot.zone)
    return f"{start.format('ddd D MMM YYYY HH:mm')} {slot.zone}"
