"""The slot options of ``group add`` and ``group edit``, and how ``group show`` prints a slot.

``--next DATE --at HH:MM --tz ZONE --every 3w`` set the series; ``--move A=B``
and ``--skip DATE`` change one meeting of it. Every check happens before
anything is saved, so a refused option changes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

import pendulum
from msgspec.structs import replace
from pendulum import Date, DateTime

from ..core.durations import parse_date
from ..core.model import Group
from ..core.slot import (
    DEFAULT_AT,
    Schedule,
    Slot,
    check_zone,
    machine_zone,
    parse_at,
    short_day,
    transition_notes,
)
from ..core.slot_changes import changed, reanchored, with_move, with_skip
from ..core.slot_labels import next_meeting_text
from ..core.upcoming import next_meeting
from ..store.history import HistoryStore

#: How far ahead of today a new group's first meeting is when ``--next`` is not given.
DEFAULT_FIRST_IN_DAYS = 7
#: The furthest ahead a date typed for the slot may be.
MAX_YEARS_AHEAD = 5


def _date(text: str, today: Date, *, allow_past: bool = False) -> Date:
    """A date typed for the slot: not in the past (unless allowed), not absurdly far."""
    day = parse_date(text, today=today, allow_past=allow_past)
    if day > today.add(years=MAX_YEARS_AHEAD):
        raise ValueError(
            f"{day.isoformat()} is more than {MAX_YEARS_AHEAD} years ahead; pick a nearer date"
        )
    return day


def add_slot_arguments(parser: argparse.ArgumentParser, *, editing: bool) -> None:
    parser.add_argument(
        "--next",
        metavar="DATE",
        help="the first (or next) meeting of the series: 2027-01-07 or +2w"
        + ("" if editing else f" (default: {DEFAULT_FIRST_IN_DAYS} days from today)"),
    )
    parser.add_argument(
        "--at",
        metavar="HH:MM",
        help="start time, in the group's zone" + ("" if editing else f" (default: {DEFAULT_AT})"),
    )
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        help="the group's time zone, an IANA name like Europe/London"
        + ("" if editing else " (default: this machine's)"),
    )
    if editing:
        parser.add_argument(
            "--move",
            action="append",
            default=[],
            metavar="DATE=NEWDATE",
            help="hold one meeting on another day, e.g. 2027-01-28=2027-01-29 (repeat)",
        )
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            metavar="DATE",
            help="no meeting on DATE; the series goes on (repeat)",
        )


def _today(zone: str, now: DateTime) -> Date:
    return now.in_timezone(zone).date()


def new_slot(args: argparse.Namespace, now: DateTime) -> Slot:
    """The slot of a new group from ``--next``, ``--at`` and ``--tz`` (ValueError if bad)."""
    zone = check_zone(args.tz) if args.tz is not None else machine_zone()
    at = parse_at(args.at) if args.at is not None else DEFAULT_AT
    today = _today(zone, now)
    anchor = (
        _date(args.next, today) if args.next is not None else today.add(days=DEFAULT_FIRST_IN_DAYS)
    )
    return Slot(anchor=anchor, at=at, zone=zone)


def edited_slot(
    group: Group,
    args: argparse.Namespace,
    changes: dict[str, Any],
    now: DateTime,
    last_session: str | None = None,
) -> Slot | None:
    """The group's slot after ``group edit``'s options (ValueError if one is bad).

    A new cadence without ``--next`` keeps the next meeting (the one every view
    names, after the group's last session) where it is and repeats from there;
    a new length or name changes the invitation, so the sequence goes up too.
    """
    slot = group.slot
    wants_slot = any(value is not None for value in (args.next, args.at, args.tz)) or bool(
        args.move or args.skip
    )
    if slot is None and not wants_slot:
        return None
    if slot is None:
        slot = new_slot(args, now)
    cadence = changes.get("cadence_days", group.cadence_days)
    length = changes.get("length_minutes", group.length_minutes)
    if args.tz is not None:
        slot = changed(slot, zone=check_zone(args.tz))
    if args.at is not None:
        slot = changed(slot, at=parse_at(args.at))
    today = _today(slot.zone, now)
    if args.next is not None:
        slot = reanchored(Schedule(slot, cadence, length), _date(args.next, today))
    elif cadence != group.cadence_days:
        upcoming = next_meeting(replace(group, slot=slot), now, last_session)
        found = upcoming.occurrence if upcoming is not None else None
        anchor = found.series_date if found is not None else today
        slot = reanchored(Schedule(slot, cadence, length), anchor)
    elif length != group.length_minutes or changes.get("name", group.name) != group.name:
        slot = changed(slot, sequence=slot.sequence + 1)
    for move in args.move:
        day, _, to = move.partition("=")
        if not to:
            raise ValueError(f"a move is DATE=NEWDATE, like 2027-01-28=2027-01-29, not {move!r}")
        slot = with_move(
            Schedule(slot, cadence, length),
            _date(day, today, allow_past=True),
            _date(to, today, allow_past=True),
            today,
        )
    for day in args.skip:
        slot = with_skip(Schedule(slot, cadence, length), _date(day, today, allow_past=True), today)
    return slot


def slot_notes(group: Group, now: DateTime) -> list[str]:
    """Daylight-saving notes about the group's coming meetings, one line each."""
    schedule = group.schedule
    if schedule is None:
        return []
    return transition_notes(schedule, _today(schedule.slot.zone, now))


def slot_lines(
    group: Group, now: DateTime, viewer_zone: str | None = None, last_session: str | None = None
) -> list[str]:
    """``meets:``, ``next:`` and any moved or skipped meetings ahead, for ``group show``;
    ``last_session`` is when the group's last session started (the index's summary)."""
    viewer = viewer_zone or machine_zone()
    schedule = group.schedule
    upcoming = next_meeting_text(group, now, viewer, last_session)
    if schedule is None:
        return [
            f"  meets:    every {group.cadence_days} days, {group.length_minutes} minutes "
            "(no slot: set one with --next, --at and --tz)",
            f"  next:     {upcoming}",
        ]
    lines = [f"  meets:    {schedule.describe()}", f"  next:     {upcoming}"]
    today = _today(schedule.slot.zone, now)
    for series_date, moved_to in sorted(schedule.slot.moved.items()):
        if moved_to >= today or series_date >= today:
            moved = f"{short_day(series_date, year=True)} → {short_day(moved_to, year=True)}"
            lines.append(f"  moved:    {moved}")
    for skipped in sorted(schedule.slot.skipped):
        if skipped >= today:
            lines.append(f"  skipped:  {short_day(skipped, year=True)}")
    return lines


def last_session_at(store: HistoryStore, group_id: str) -> str | None:
    """When the group's last session started, from the index (None before the first):
    what :func:`~peersession.core.upcoming.next_meeting` needs besides the clock."""
    summary = store.summaries().get(group_id)
    return summary.last_session_at if summary is not None else None


def next_meeting_day(store: HistoryStore, group: Group, now: DateTime) -> Date | None:
    """The day of the group's next meeting (the one answer of ``core.upcoming``)."""

    found = next_meeting(group, now, last_session_at(store, group.id))
    return found.day if found is not None else None


def system_now() -> DateTime:
    return pendulum.now("UTC")
