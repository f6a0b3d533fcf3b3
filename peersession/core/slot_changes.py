"""Changing a group's slot: a new first date, one meeting skipped or moved, what
a session's Close decides, and a slot inferred from past sessions (older data).

Every change returns a new :class:`~peersession.core.slot.Slot` whose
``sequence`` is one higher, so calendars take the new invitation. Pure, like
:mod:`peersession.core.slot`: "today" is passed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from msgspec.structs import replace
from pendulum import Date, DateTime, Time

from .slot import DEFAULT_AT, Schedule, Slot, bounded, short_day

#: A Close phase choice further than this after the proposal restarts the series.
LONG_PAUSE_DAYS = 366


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
        moved={a: b for a, b in schedule.slot.moved.items() if new.is_series_date(a)},
    )


def with_skip(schedule: Schedule, day: date, today: date) -> Slot:
    """Skip the meeting on ``day`` (its series date or the day it was moved to)."""
    found = schedule.meeting_on(day)
    if found is None:
        raise ValueError(f"no meeting on {short_day(day, year=True)} to skip")
    if found.day < today:
        raise ValueError(f"{day.isoformat()} is in the past")
    slot = schedule.slot
    return changed(
        slot,
        skipped=tuple(sorted({*slot.skipped, found.series_date})),
        moved={a: b for a, b in slot.moved.items() if a != found.series_date},
    )


def with_move(schedule: Schedule, day: date, to: date, today: date) -> Slot:
    """Hold the meeting on ``day`` on ``to`` instead, leaving the series where it is.

    Refused when ``to`` is in the past, already has a meeting, or would pass a
    neighbouring meeting (skip that one instead): moved meetings keep their order.
    """
    found = schedule.meeting_on(day)
    if found is None:
        raise ValueError(f"no meeting on {short_day(day, year=True)} to move")
    if to < today:
        raise ValueError(f"cannot move a meeting to {to.isoformat()}: that date is in the past")
    if found.day < today:
        raise ValueError(f"the meeting on {day.isoformat()} is in the past")
    if to == found.day:
        raise ValueError(f"the meeting is already on {to.isoformat()}")
    taken = schedule.meeting_on(to)
    if taken is not None:
        raise ValueError(f"{short_day(to, year=True)} already has a meeting")
    before = [o for o in bounded(schedule.occurrences(found.day)) if o.day > found.day][:1]
    earlier = [
        o
        for o in bounded(schedule.occurrences(found.day.subtract(days=schedule.cadence_days)))
        if o.day < found.day
    ][-1:]
    if (before and to > before[0].day) or (earlier and to < earlier[0].day):
        raise ValueError(
            f"{to.isoformat()} is past the neighbouring meeting; skip a meeting instead"
        )
    slot = schedule.slot
    moves = {a: b for a, b in slot.moved.items() if a != found.series_date}
    if to != found.series_date:
        moves[found.series_date] = to
    return changed(slot, moved=dict(sorted(moves.items())))


def with_close_choice(schedule: Schedule, proposed: date, chosen: Date) -> Slot:
    """The Close phase's next date, changed from the proposal for that one meeting.

    The meetings between the proposal and the chosen day are skipped; the
    proposed meeting is moved to the chosen day, or skipped too when that day
    already has a meeting. The series itself stays where it was, unless the
    chosen day is more than a year after the proposal: then it starts again there.
    """
    slot = schedule.slot
    found = schedule.meeting_on(proposed)
    if chosen == proposed or found is None:
        return slot
    if chosen.toordinal() - proposed.toordinal() > LONG_PAUSE_DAYS:
        # A pause this long restarts the series on the chosen day rather than
        # skipping a year of meetings one by one.
        return reanchored(schedule, chosen)
    if chosen < proposed:
        if schedule.meeting_on(chosen) is not None:
            return slot
        return changed(slot, moved=dict(sorted({**slot.moved, found.series_date: chosen}.items())))
    between = [
        o.series_date for o in bounded(schedule.occurrences(proposed)) if proposed < o.day < chosen
    ]
    landing = schedule.meeting_on(chosen)
    skipped = {*slot.skipped, *between}
    moves = {a: b for a, b in slot.moved.items() if a not in skipped}
    if landing is not None:
        skipped.add(found.series_date)
        moves.pop(found.series_date, None)
    else:
        moves[found.series_date] = chosen
    return changed(slot, skipped=tuple(sorted(skipped)), moved=dict(sorted(moves.items())))


def after_session(
    schedule: Schedule, *, started: DateTime, ended: DateTime, proposed: date, chosen: Date
) -> Slot:
    """The slot once a session is over, so that it alone names the next meeting.

    A date chosen at the Close other than the proposal moves that one meeting,
    or skips to the meeting chosen (:func:`with_close_choice`). A meeting still
    ahead on the day the session was held is skipped: the group met early that
    day, and calendars must not keep a second meeting the screens no longer
    show. Idempotent: the same session committed again changes nothing more.
    """
    slot = schedule.slot
    day = started.in_timezone(slot.zone).date()
    same_day = schedule.meeting_on(day)
    if same_day is not None and same_day.start > ended:
        slot = changed(
            slot,
            skipped=tuple(sorted({*slot.skipped, same_day.series_date})),
            moved={a: b for a, b in slot.moved.items() if a != same_day.series_date},
        )
        schedule = Schedule(slot, schedule.cadence_days, schedule.length_minutes)
    return with_close_choice(schedule, proposed, chosen)


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
    return Slot(anchor=anchor, at=f"{at.hour:02d}:{at.minute:02d}", zone=zone)
