"""Meeting times as people read them: in the group's zone, with the reader's own
time (or the UTC offset) beside them when the reader's machine is elsewhere."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from pendulum import Date, DateTime

from .slot import DAYS, Occurrence, Schedule, Slot, bounded, pendulum_day, short_day, start_at
from .slot_changes import with_close_choice
from .upcoming import next_meeting
from .words import noun

if TYPE_CHECKING:
    from .model import Group


def clock_time(moment: DateTime) -> str:
    """``16:00``: ``moment.format("HH:mm")``."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


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
    day = short_day(start, year=start.year != today.year)
    text = f"{day} {clock_time(start)} {place(zone)}"
    mine = found.start.in_timezone(viewer_zone)
    if mine.utcoffset() != start.utcoffset():
        own = (
            clock_time(mine)
            if mine.date() == start.date()
            else f"{DAYS[mine.weekday()]} {clock_time(mine)}"
        )
        text += f" ({own} here)"
    return text


def next_meeting_text(
    group: Group, now: DateTime, viewer_zone: str, last_session: DateTime | str | None = None
) -> str:
    """The group's next meeting (:func:`~peersession.core.upcoming.next_meeting`,
    after its last session) in its zone, with the viewer's time when elsewhere."""
    found = next_meeting(group, now, last_session)
    if found is None:
        return "not set" if group.slot is None else "none ahead"
    if found.occurrence is None or group.slot is None:
        return found.day.format("ddd D MMM YYYY")
    return meeting_label(found.occurrence, group.slot.zone, viewer_zone)


def day_at_slot(slot: Slot | None, day: str) -> str:
    """``Thu 26 Mar 2026 16:00 Europe/London``: an ISO day at the slot's time in its
    zone (the day as given when there is no slot or it cannot be read)."""
    if slot is None:
        return day
    try:
        parsed = Date.fromisoformat(day)
    except ValueError:
        return day
    start = start_at(parsed, slot.time, slot.zone)
    return f"{start.format('ddd D MMM YYYY HH:mm')} {slot.zone}"


def close_choice_note(schedule: Schedule, proposed: date, chosen: Date) -> str | None:
    """What choosing ``chosen`` instead of the Close's ``proposed`` date does to the
    series, for the facilitator to read before the session ends (None when it does
    nothing): ``Moves the meeting of Thu 24 Dec there; the one after stays on Thu 14 Jan.``
    Worked out by the rule the commit applies
    (:func:`~peersession.core.slot_changes.with_close_choice`), so it cannot promise
    something else."""
    before = schedule.slot
    after = with_close_choice(schedule, proposed, chosen)
    if after == before:
        return None
    if after.anchor != before.anchor:
        return "The series starts again on that day."

    def day(d: date) -> str:
        return short_day(d, year=d.year != chosen.year)

    parts = []
    # A skipped meeting is named by the day it was to be held (it may have been moved).
    held = before.moved
    added = set(after.skipped) - set(before.skipped)
    skipped = sorted(pendulum_day(held.get(d, d)) for d in added)
    if skipped:
        which = noun(len(skipped), "meeting")
        parts.append(f"skips the {which} of {' and '.join(day(d) for d in skipped)}")
    found = schedule.meeting_on(proposed)
    moved = found is not None and after.moved.get(found.series_date) == chosen
    if moved:
        parts.append(f"moves the meeting of {day(proposed)} there")
    later = Schedule(after, schedule.cadence_days, schedule.length_minutes)
    following = next((o for o in bounded(later.occurrences(chosen)) if o.day > chosen), None)
    if following is not None:
        parts.append(f"the one after {'stays on' if moved else 'is on'} {day(following.day)}")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def close_choice_text(group: Group, proposed: date | None, chosen: str | None) -> str | None:
    """:func:`close_choice_note` for a session's Close: ``chosen`` is the date the
    meeting holds (ISO), ``proposed`` what it proposed; None without a slot."""
    schedule = group.schedule
    if schedule is None or proposed is None or not chosen:
        return None
    return close_choice_note(schedule, proposed, Date.fromisoformat(chosen))
