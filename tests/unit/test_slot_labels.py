"""The home screen's meeting labels are written without pendulum's ``format`` (which
loads its locale before the first frame); they must read exactly as ``format`` did."""

from __future__ import annotations

import pendulum

from peersession.core.slot import short_day
from peersession.core.slot_labels import clock_time


def test_short_day_writes_what_format_writes_for_every_day() -> None:
    day = pendulum.date(2023, 1, 1)
    while day.year < 2029:  # a leap year and every weekday of every month
        assert short_day(day, year=False) == day.format("ddd D MMM")
        assert short_day(day, year=True) == day.format("ddd D MMM YYYY")
        moment = pendulum.datetime(day.year, day.month, day.day, 23, 59, tz="Pacific/Auckland")
        assert short_day(moment, year=True) == moment.format("ddd D MMM YYYY")
        day = day.add(days=1)


def test_clock_time_writes_what_format_writes_for_every_minute() -> None:
    start = pendulum.datetime(2026, 3, 29, 0, 0, tz="Europe/London")  # a clock change
    for minutes in range(0, 26 * 60):
        moment = start.add(minutes=minutes)
        assert clock_time(moment) == moment.format("HH:mm")
        assert f"{short_day(moment, year=False).split()[0]} {clock_time(moment)}" == (
            moment.format("ddd HH:mm")
        )
