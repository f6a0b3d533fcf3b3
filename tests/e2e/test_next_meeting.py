"""One next meeting: after a session held off the slot, every place that names the
next meeting names the same one (issue 21, item 5).

Each case runs a session the way a facilitator does (the meeting screen, through
Pilot, on a fake clock), then reads the next meeting back from everything that
shows or uses it: the Close phase (the engine's proposal and the panel's text),
the home screen's label, ``group show`` (text and ``--json``), the check-in's
header, the due date of a commitment made in the session, and the calendar file
(parsed with icalendar and expanded as a calendar would: RRULE, EXDATE and the
moved meetings' overrides). The dates are read out of each one's own text.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pendulum
import pytest
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from icalendar import Calendar
from pendulum import Date, DateTime
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.checkin import CheckinScreen
from peersession.tui.screens.meeting import MeetingScreen

from pilot_support import keys, typed

LONDON = "Europe/London"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: ``Thu 10 Dec 2026 16:00`` (the year may be left out, as the home screen does).
SHOWN = re.compile(
    rf"({'|'.join(DAYS)}) (\d{{1,2}}) ({'|'.join(MONTHS)})(?: (\d{{4}}))? (\d\d):(\d\d)"
)


@dataclass(frozen=True)
class Case:
    """A Thursday group (16:00 London) and one session of it."""

    #: The series' first meeting, and its cadence.
    first: str
    every: str
    #: ``group edit`` options given before the session (a move, a skip).
    edits: tuple[str, ...]
    #: When the session starts (London time) and how long it runs.
    start: DateTime
    minutes: int
    #: What the Close phase proposes.
    proposed: Date
    #: A date chosen at the Close instead, if any.
    chosen: Date | None
    #: The next meeting everywhere afterwards, and the one after it.
    next: Date
    then: Date
    #: The zone of the machine people look from.
    viewer: str = LONDON
    #: What the Close panel says the chosen date does to the series.
    close_note: str | None = None


def london(year: int, month: int, day: int, hour: int, minute: int) -> DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=LONDON)


def moment(text: str) -> DateTime:
    parsed = pendulum.parse(text)
    assert isinstance(parsed, DateTime), text
    return parsed


CASES = {
    # The group: a Thursday slot, a session on the Sunday before.
    "a Sunday before the Thursday": Case(
        "2026-11-19", "3w", (), london(2026, 12, 6, 10, 0), 100,
        proposed=pendulum.date(2026, 12, 10), chosen=None,
        next=pendulum.date(2026, 12, 10), then=pendulum.date(2026, 12, 31),
    ),
    "the Thursday moved to the Friday": Case(
        "2026-11-19", "3w", ("--move", "2026-12-10=2026-12-11"), london(2026, 12, 6, 10, 0), 100,
        proposed=pendulum.date(2026, 12, 11), chosen=None,
        next=pendulum.date(2026, 12, 11), then=pendulum.date(2026, 12, 31),
    ),
    "the Thursday skipped": Case(
        "2026-11-19", "3w", ("--skip", "2026-12-10"), london(2026, 12, 6, 10, 0), 100,
        proposed=pendulum.date(2026, 12, 31), chosen=None,
        next=pendulum.date(2026, 12, 31), then=pendulum.date(2027, 1, 21),
    ),
    # The morning of a meeting day: that day's 16:00 meeting was held early.
    "the morning of the Thursday": Case(
        "2026-11-19", "3w", (), london(2026, 12, 10, 9, 0), 100,
        proposed=pendulum.date(2026, 12, 31), chosen=None,
        next=pendulum.date(2026, 12, 31), then=pendulum.date(2027, 1, 21),
    ),
    # A date chosen at the Close moves that one meeting; the series stays.
    "a Sunday, the next moved at the Close": Case(
        "2026-11-19", "3w", (), london(2026, 12, 6, 10, 0), 100,
        proposed=pendulum.date(2026, 12, 10), chosen=pendulum.date(2026, 12, 17),
        next=pendulum.date(2026, 12, 17), then=pendulum.date(2026, 12, 31),
        close_note="Moves the meeting of Thu 10 Dec there; the one after stays on Thu 31 Dec.",
    ),
    # Choosing a meeting of the series skips the ones before it.
    "a Sunday, the one after chosen at the Close": Case(
        "2026-11-19", "3w", (), london(2026, 12, 6, 10, 0), 100,
        proposed=pendulum.date(2026, 12, 10), chosen=pendulum.date(2026, 12, 31),
        next=pendulum.date(2026, 12, 31), then=pendulum.date(2027, 1, 21),
        close_note="Skips the meeting of Thu 10 Dec; the one after is on Thu 21 Jan 2027.",
    ),
    # The session on the Sunday the clocks go back, seen from New York (whose
    # clocks go back a week later): 16:00 GMT is 12:00 there, not 11:00.
    "the Sunday the clocks go back": Case(
        "2026-10-15", "2w", (), london(2026, 10, 25, 10, 0), 100,
        proposed=pendulum.date(2026, 10, 29), chosen=None,
        next=pendulum.date(2026, 10, 29), then=pendulum.date(2026, 11, 12),
        viewer="America/New_York",
    ),
}  # fmt: skip


@pytest.fixture
def viewer(request: pytest.FixtureRequest) -> Iterator[str]:
    zone: str = request.param
    pendulum.set_local_timezone(pendulum.timezone(zone))
    yield zone
    pendulum.set_local_timezone(pendulum.timezone("UTC"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def shown_days(text: str, year: int) -> list[Date]:
    """Every day written as ``Thu 10 Dec[ 2026] 16:00`` in ``text``."""
    days = []
    for match in SHOWN.finditer(text):
        day = pendulum.date(
            int(match.group(4) or year), MONTHS.index(match.group(3)) + 1, int(match.group(2))
        )
        assert DAYS[day.weekday()] == match.group(1), f"wrong weekday in {text!r}"
        days.append(day)
    return days


def calendar_meetings(data: bytes) -> list[datetime]:
    """The meetings of an invitation, as a calendar expands it, in UTC."""
    calendar: Any = Calendar.from_ical(data)
    series, *overrides = calendar.walk("VEVENT")
    rule = rrulestr(series["RRULE"].to_ical().decode(), dtstart=series.decoded("DTSTART"))
    excluded = {d.dt for d in series["EXDATE"].dts} if "EXDATE" in series else set()
    moved = {o.decoded("RECURRENCE-ID"): o.decoded("DTSTART") for o in overrides}
    starts = [moved.get(s, s) for s in itertools.islice(rule, 60) if s not in excluded]
    return sorted(s.astimezone(UTC) for s in starts)


def home_label(app: PeersessionApp) -> str:
    table = app.screen.query_one("#groups", DataTable)
    row = table.coordinate_to_cell_key(Coordinate(0, 0)).row_key
    return str(table.get_cell(row, "next"))


async def hold_session(data_dir: Path, case: Case) -> tuple[str, str, str]:
    """The session, by keys: the Close panel's next date, the Close's date in the
    engine, and the home screen's label once the session is over."""
    clock = FakeClock(case.start.in_timezone("UTC"))
    store = HistoryStore(data_dir)
    group = store.find_group("Circle")
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group.id)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        # A commitment with no due date of its own: it is due at the next meeting.
        screen.live.dispatch(
            ev.CommitmentAdded(commitment_id="c1", owner=group.members[0].id, text="Write")
        )
        while screen.live.meeting.phase.name != "close":
            clock.advance(minutes=10)
            await keys(pilot, "greater_than_sign")
        if case.chosen is not None:
            await keys(pilot, "d", "end", *["backspace"] * 12)
            await typed(pilot, case.chosen.isoformat())
            await keys(pilot, "enter")
        panel = str(screen.query_one("#next-date", Static).render())
        engine = screen.live.meeting.next_meeting or ""
        clock.set(case.start.add(minutes=case.minutes).in_timezone("UTC"))
        await keys(pilot, "e", "y")
        assert not isinstance(app.screen, MeetingScreen)
        app.screen.query_one("#groups", DataTable)  # back home
        label = home_label(app)
    return panel, engine, label


async def checkin_header(data_dir: Path, now: DateTime) -> str:
    group = HistoryStore(data_dir).find_group("Circle")
    app = create_app(
        data_dir=data_dir,
        clock=FakeClock(now),
        settings=Settings(),
        mode="checkin",
        start_group=group.id,
    )
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        return str(app.screen.query_one("#checkin-title", Static).render())


@pytest.mark.parametrize(
    ("case", "viewer"),
    [pytest.param(c, c.viewer, id=name) for name, c in CASES.items()],
    indirect=["viewer"],
)
async def test_after_a_session_every_view_names_the_same_next_meeting(
    case: Case,
    viewer: str,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock_now = {"now": case.start.subtract(days=30).in_timezone("UTC")}
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: clock_now["now"])
    data = ("--data-dir", str(data_dir))
    run(
        capsys,
        *("group", "add", "Circle", "-m", "Ana", "-m", "Bo", "--every", case.every),
        *("--next", case.first, "--at", "16:00", "--tz", LONDON, *data),
    )
    if case.edits:
        run(capsys, "group", "edit", "Circle", *case.edits, *data)

    panel, engine, home = await hold_session(data_dir, case)
    ended = case.start.add(minutes=case.minutes)
    year = ended.year
    # The Close phase proposed the slot's next meeting, which the panel showed.
    expected_close = case.chosen or case.proposed
    assert engine == expected_close.isoformat()
    first, *rest = panel.splitlines()
    assert shown_days(first, year) == [expected_close], panel
    assert "16:00 Europe/London" in first
    # A changed date says what it does to the series, by the rule the commit applies.
    assert rest == ([case.close_note] if case.close_note else []), panel

    # Every view, right after the session and on the next morning.
    for now in (ended, ended.add(hours=16)):
        clock_now["now"] = now.in_timezone("UTC")
        shown = run(capsys, "group", "show", "Circle", *data)
        (line,) = [line for line in shown.splitlines() if line.strip().startswith("next:")]
        assert shown_days(line, year) == [case.next], line
        view = json.loads(run(capsys, "group", "show", "Circle", "--json", *data))
        assert view["next_meeting"] == case.next.isoformat()
        start = moment(view["next_meeting_start"])
        assert start.in_timezone(LONDON).format("YYYY-MM-DD HH:mm") == f"{case.next} 16:00"
        listed = json.loads(run(capsys, "group", "list", "--json", *data))
        assert listed[0]["next_meeting"] == case.next.isoformat()
        header = await checkin_header(data_dir, now.in_timezone("UTC"))
        assert shown_days(header, year) == [case.next], header

        # The calendar: the first meeting after the session, and the one after it.
        ics = run(capsys, "export", "Circle", "--format", "ics", *data).encode()
        ahead = [m for m in calendar_meetings(ics) if m > ended]
        assert ahead[0] == start.in_timezone("UTC")
        assert [m.date() for m in ahead[:2]] == [case.next, case.then]
    assert shown_days(home, year) == [case.next], home
    assert "16:00 London" in home

    # The commitment made in the session is due that day.
    (made,) = HistoryStore(data_dir).commitments(HistoryStore(data_dir).find_group("Circle").id)
    assert made.due == case.next.isoformat()

    if viewer != LONDON:
        # 16:00 in London, at the viewer's own time that day.
        mine = start.in_timezone(viewer).format("HH:mm")
        assert f"({mine} your time)" in line and f"({mine} here)" in home
