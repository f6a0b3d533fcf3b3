"""The series invitation (exports/ics.py) as calendars read it, from the commands people run."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from pendulum import Time

from peersession.cli import main
from peersession.core.model import Group, Member
from peersession.core.slot import Schedule, Slot
from peersession.core.slot_changes import with_move, with_skip
from peersession.exports.ics import render_ics

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def command_line_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' "now", so dates in 2027 stay in the future whenever this runs."""
    now = pendulum.datetime(2026, 12, 1, 12, tz="UTC")
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: now)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def parsed(data: bytes) -> Any:
    """The calendar read back; ``Any`` because icalendar types a property as a
    union of every value type, which the tests narrow by knowing the property."""
    return Calendar.from_ical(data)


def export(capsys: pytest.CaptureFixture[str], data_dir: Path) -> Any:
    out = run(capsys, "export", "Circle", "--format", "ics", "--data-dir", str(data_dir))
    return parsed(out.encode())


@pytest.fixture
def circle(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    run(
        capsys,
        *("group", "add", "Circle", "-m", "Ana", "-m", "Bo", "--every", "3w", "--length", "90m"),
        *("--next", "2027-01-07", "--at", "16:00", "--tz", "Europe/London"),
        *("--data-dir", str(data_dir)),
    )
    return data_dir


def test_the_series_has_its_zone_rule_and_length(
    circle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calendar = export(capsys, circle)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    assert {c.name for c in zone.subcomponents} >= {"STANDARD", "DAYLIGHT"}
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == datetime(2027, 1, 7, 16, 0, tzinfo=LONDON)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["INTERVAL"] == [3]
    assert event.decoded("DURATION") == timedelta(minutes=90)
    assert int(event["SEQUENCE"]) == 0
    assert "DTSTAMP" in event


def test_uid_stays_and_sequence_rises_with_every_change_to_the_slot(
    circle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(*args: str) -> None:
        run(capsys, "group", "edit", "Circle", *args, "--data-dir", str(circle))

    seen = []
    for change in (
        (),
        ("--at", "17:00"),
        ("--move", "2027-01-28=2027-01-29"),
        ("--skip", "2027-02-18"),
        ("--length", "2h"),
        ("--every", "2w"),
    ):
        if change:
            edit(*change)
        events = list(export(capsys, circle).walk("VEVENT"))
        seen.append((str(events[0]["UID"]), int(events[0]["SEQUENCE"])))
    uids = {uid for uid, _ in seen}
    sequences = [sequence for _, sequence in seen]
    assert len(uids) == 1
    assert sequences == sorted(set(sequences)), f"SEQUENCE must rise: {sequences}"


def test_skips_are_exdates_and_moves_are_overrides(
    circle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        capsys,
        *("group", "edit", "Circle", "--move", "2027-01-28=2027-01-29"),
        *("--skip", "2027-02-18", "--data-dir", str(circle)),
    )
    series, moved = export(capsys, circle).walk("VEVENT")
    assert series["EXDATE"].dts[0].dt == datetime(2027, 2, 18, 16, 0, tzinfo=LONDON)
    assert series["EXDATE"].params["TZID"] == "Europe/London"
    assert moved["UID"] == series["UID"]
    assert moved.decoded("RECURRENCE-ID") == datetime(2027, 1, 28, 16, 0, tzinfo=LONDON)
    assert moved.decoded("DTSTART") == datetime(2027, 1, 29, 16, 0, tzinfo=LONDON)
    assert moved.decoded("DURATION") == timedelta(minutes=90)


def without_dtstamp(data: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:[0-9TZ]+\r\n", b"", data)


def test_the_file_is_the_same_under_any_tz(
    circle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "group", "edit", "Circle", "--skip", "2027-02-18", "--data-dir", str(circle))
    outputs = {}
    for tz in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
        env = {**os.environ, "TZ": tz}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "peersession",
                "export",
                "Circle",
                "--format",
                "ics",
                "--data-dir",
                str(circle),
            ],
            env=env,
            capture_output=True,
            check=True,
        )
        outputs[tz] = done.stdout
    assert all(b"DTSTAMP:" in out for out in outputs.values())
    stripped = {without_dtstamp(out) for out in outputs.values()}
    assert len(stripped) == 1, "the export depends on the machine's TZ"
    (event,) = parsed(next(iter(stripped))).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == datetime(2027, 1, 7, 16, 0, tzinfo=LONDON)


ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Tokyo"]


# Sundays at 01:30 in London through the clocks going forward and going back.
@example(date(2027, 3, 7), 7, "Europe/London", Time(1, 30), 1, 9)
@example(date(2027, 10, 3), 7, "Europe/London", Time(1, 30), 1, 9)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    anchor=st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31)),
    cadence=st.sampled_from([7, 14, 21, 10]),
    zone=st.sampled_from(ZONES),
    at=st.sampled_from([Time(1, 30), Time(2, 30), Time(16, 0), Time(23, 45)]),
    skip=st.integers(min_value=1, max_value=8),
    move=st.integers(min_value=9, max_value=15),
)
def test_a_calendar_expanding_the_file_gets_peersessions_meetings(
    anchor: date, cadence: int, zone: str, at: Time, skip: int, move: int
) -> None:
    """The RRULE, EXDATE and overrides, expanded by dateutil as a calendar would,
    give the same moments as peersession's own series (daylight saving included)."""
    slot = Slot(
        anchor=pendulum.date(anchor.year, anchor.month, anchor.day), at=f"{at:%H:%M}", zone=zone
    )
    schedule = Schedule(slot, cadence, 60)
    days = [d for d, _ in zip(schedule.series_dates(slot.anchor), range(20), strict=False)]
    slot = with_skip(schedule, days[skip], slot.anchor)
    slot = with_move(Schedule(slot, cadence, 60), days[move], days[move].add(days=1), slot.anchor)
    group = Group(
        id="g1", name="G", members=(Member("m1", "Ana"),), cadence_days=cadence, slot=slot
    )
    calendar = parsed(render_ics(group, []))
    series, override = calendar.walk("VEVENT")
    rule = rrulestr(series["RRULE"].to_ical().decode(), dtstart=series.decoded("DTSTART"))
    excluded = {d.dt for d in series["EXDATE"].dts}
    moved = {override.decoded("RECURRENCE-ID"): override.decoded("DTSTART")}
    expanded = [moved.get(s, s) for s in itertools.islice(rule, 20) if s not in excluded]
    ours = [
        o.start for o in itertools.islice(Schedule(slot, cadence, 60).occurrences(slot.anchor), 19)
    ]
    assert [s.astimezone(UTC) for s in expanded] == [o.in_timezone("UTC") for o in ours]


def test_a_series_at_the_end_of_the_calendar_still_exports() -> None:
    """The Close phase accepts any later date; the last one Python holds must not crash."""
    slot = Slot(anchor=pendulum.date(9999, 12, 31), at="23:30", zone="Europe/London")
    group = Group(id="g1", name="G", members=(Member("m1", "Ana"),), slot=slot)
    assert group.schedule is not None
    assert group.schedule.next_meeting(pendulum.datetime(2026, 12, 1, tz="UTC")) is not None
    (event,) = parsed(render_ics(group, [])).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(9999, 12, 31, 23, 30, tzinfo=LONDON)
