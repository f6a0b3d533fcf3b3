"""Durations, cadences and dates as people type them, and the countdown face."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peersession.core.durations import (
    format_clock,
    format_duration,
    parse_cadence,
    parse_date,
    parse_duration,
)

TODAY = pendulum.date(2026, 1, 6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5m", timedelta(minutes=5)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("PT90S", timedelta(seconds=90)),
        ("pt5m", timedelta(minutes=5)),
        ("90s", timedelta(seconds=90)),
        ("2h", timedelta(hours=2)),
        ("5", timedelta(minutes=5)),
        (" 5 min ", timedelta(minutes=5)),
        ("1.5h", timedelta(minutes=90)),
        ("1h 30m 15s", timedelta(hours=1, minutes=30, seconds=15)),
        ("24h", timedelta(hours=24)),
        ("P1D", timedelta(hours=24)),
    ],
)
def test_durations_people_type_are_accepted(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5m", "cannot be negative: '-5m'"),
        ("abc", "not a duration: 'abc' (use minutes like 5m"),
        ("999h", "duration too long: '999h' (at most 24h)"),
        ("0m", "must be longer than zero: '0m'"),
        ("0", "must be longer than zero"),
        ("PT0S", "must be longer than zero"),
        ("", "empty duration"),
        ("   ", "empty duration"),
        ("1h 30", "not a duration"),
        ("m", "not a duration"),
        ("Pizza", "not a duration"),
        ("P1M", "duration too long"),
        ("P2D", "duration too long"),
        ("24h1s", "duration too long"),
        ("²", "not a duration"),
        ("99999999999999999999h", "duration too long"),
        ("99999999999999999999", "duration too long"),
        ("9" * 400 + "s", "duration too long"),
        ("PT99999999999999999999H", "duration too long"),
        ("2026-01-06", "not a duration"),
    ],
)
def test_bad_durations_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 120


def test_the_maximum_is_the_callers() -> None:
    assert parse_duration("20m", maximum=timedelta(minutes=20)) == timedelta(minutes=20)
    with pytest.raises(ValueError, match=r"at most 20m"):
        parse_duration("21m", maximum=timedelta(minutes=20))


@given(st.text(max_size=30))
def test_any_text_gives_a_duration_or_a_value_error(text: str) -> None:
    try:
        result = parse_duration(text)
    except ValueError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert timedelta(0) < result <= timedelta(hours=24)


@given(st.integers(min_value=1, max_value=86_400))
def test_format_duration_is_the_inverse_of_parse(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("text", "days"),
    [("3w", 21), ("21", 21), ("14d", 14), ("1d", 1), ("52W", 364), ("366d", 366)],
)
def test_cadences(text: str, days: int) -> None:
    assert parse_cadence(text) == days


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0d", "between 1 day and a year"),
        ("367", "between 1 day and a year"),
        ("99999999999999w", "between 1 day and a year"),
        ("fortnight", "not a cadence"),
        ("3x", "not a cadence"),
        ("", "not a cadence"),
    ],
)
def test_bad_cadences_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_cadence(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3w", pendulum.date(2026, 1, 27)),
        ("+10d", pendulum.date(2026, 1, 16)),
        ("+ 2w", pendulum.date(2026, 1, 20)),
        ("+0d", TODAY),
        ("today", TODAY),
        ("Today", TODAY),
        ("2026-12-15", pendulum.date(2026, 12, 15)),
        ("2026-01-06", TODAY),
        ("20261215", pendulum.date(2026, 12, 15)),
        ("2026-12-15T10:00", pendulum.date(2026, 12, 15)),
        (" 2026-02-01 ", pendulum.date(2026, 2, 1)),
    ],
)
def test_dates_people_type_are_accepted(text: str, expected: pendulum.Date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-01-05", "that date is in the past: 2026-01-05"),
        ("", "empty date"),
        ("next tuesday", "not a date: 'next tuesday'"),
        ("2026-02-30", "not a date"),
        ("10:00", "not a date"),
        ("P3D", "not a date"),
        ("+400d", "at most a year ahead"),
        ("+0w3", "not a date"),
        ("+x", "not a date"),
        ("+99999999999999999999w", "at most a year ahead"),
    ],
)
def test_bad_or_past_dates_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text, today=TODAY)
    assert message in str(caught.value)
    assert "cadence" not in str(caught.value)


def test_a_past_date_is_accepted_when_asked_for() -> None:
    assert parse_date("2025-06-01", today=TODAY, allow_past=True) == pendulum.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("seconds", "face"),
    [
        (300, "05:00"),
        (299.2, "05:00"),
        (299.0, "04:59"),
        (59.5, "01:00"),
        (0.4, "00:01"),
        (0, "00:00"),
        (-0.0, "00:00"),
        (-0.6, "00:00"),
        (-1, "-00:01"),
        (-1.5, "-00:01"),
        (-80, "-01:20"),
        (3599, "59:59"),
        (3599.5, "1:00:00"),
        (3600, "1:00:00"),
        (3723, "1:02:03"),
        (-3723, "-1:02:03"),
        (36_000, "10:00:00"),
    ],
)
def test_format_clock_at_its_boundaries(seconds: float, face: str) -> None:
    assert format_clock(seconds) == face


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0s"), (59.6, "1m"), (90, "1m30s"), (3600, "1h"), (5400, "1h30m"), (3601, "1h1s")],
)
def test_format_duration(value: float, text: str) -> None:
    assert format_duration(value) == text
    assert format_duration(timedelta(seconds=value)) == text
