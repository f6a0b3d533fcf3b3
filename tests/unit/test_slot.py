"""The meeting slot's arithmetic (core/slot.py): the series, late starts, DST, skips, moves."""

from __future__ import annotations

import itertools
from datetime import date

import msgspec
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pendulum import Date, Time

from peersession.core.model import Group, Member
from peersession.core.record_types import read_version, stored
from peersession.core.slot import (
    Schedule,
    Slot,
    check_zone,
    parse_at,
    start_at,
    transition_notes,
    wall_time_note,
)
from peersession.core.slot_changes import (
    after_session,
    inferred_slot,
    usual_start,
    with_close_choice,
    with_move,
    with_skip,
)
from peersession.core.slot_labels import (
    close_choice_note,
    day_at_slot,
    in_group_zone,
    meeting_label,
)
from peersession.core.upcoming import close_proposal

LONDON = "Europe/London"
THURSDAY = pendulum.date(2027, 1, 7)
TODAY = pendulum.date(2027, 1, 1)


def thursdays(every_days: int = 21) -> Schedule:
    return Schedule(Slot(anchor=THURSDAY, at=parse_at("16:00"), zone=LONDON), every_days, 120)


def days(schedule: Schedule, first: Date, count: int) -> list[Date]:
    return [o.day for o in itertools.islice(schedule.occurrences(first), count)]


def test_the_series_repeats_from_its_first_date() -> None:
    assert days(thursdays(), THURSDAY, 3) == [
        pendulum.date(2027, 1, 7),
        pendulum.date(2027, 1, 28),
        pendulum.date(2027, 2, 18),
    ]


def proposal(schedule: Schedule, started: pendulum.DateTime) -> Date:
    """The Close phase's proposal for a session of a group on ``schedule``."""
    group = Group(
        id="g1",
        name="G",
        members=(Member("m1", "Ana"),),
        cadence_days=schedule.cadence_days,
        length_minutes=schedule.length_minutes,
        slot=schedule.slot,
    )
    # "today" only matters to a group without a slot.
    return close_proposal(group, started, pendulum.date(1999, 1, 1))


@pytest.mark.parametrize(
    ("started", "proposed"),
    [
        (pendulum.datetime(2027, 1, 28, 16, 8, tz=LONDON), (2027, 2, 18)),  # late
        (pendulum.datetime(2027, 1, 28, 15, 40, tz=LONDON), (2027, 2, 18)),  # early
        (pendulum.datetime(2027, 1, 28, 9, 0, tz=LONDON), (2027, 2, 18)),  # that morning
        (pendulum.datetime(2027, 1, 29, 9, 0, tz=LONDON), (2027, 2, 18)),  # the day after
        (pendulum.datetime(2027, 1, 28, 23, 30, tz="America/New_York"), (2027, 2, 18)),
        # A session on a day with no meeting (a Monday before, a Sunday): the
        # next meeting is the slot's next one, the date every screen shows.
        # (It used to be the one after, as if the session had been that meeting.)
        (pendulum.datetime(2027, 1, 25, 18, 0, tz=LONDON), (2027, 1, 28)),
        (pendulum.datetime(2027, 1, 24, 11, 0, tz=LONDON), (2027, 1, 28)),
    ],
)
def test_the_next_date_is_the_slots_first_meeting_after_the_sessions_day(
    started: pendulum.DateTime, proposed: tuple[int, int, int]
) -> None:
    assert proposal(thursdays(), started) == pendulum.date(*proposed)
    found = thursdays().meeting_on(pendulum.date(*proposed))
    assert found is not None and (found.start.hour, found.start.minute) == (16, 0)


def test_an_extra_session_before_the_series_proposes_its_first_meeting() -> None:
    assert proposal(thursdays(), pendulum.datetime(2026, 12, 1, 10, tz=LONDON)) == THURSDAY


def test_the_next_meeting_after_a_session_is_on_a_later_day() -> None:
    schedule = thursdays()
    # Thursday 28 Jan at 17:00: the 16:00 meeting is in progress, the next after it
    # is 18 Feb; but a group that met that morning has held its meeting of the day.
    during = pendulum.datetime(2027, 1, 28, 17, 0, tz=LONDON)
    in_progress = schedule.next_meeting(during)
    assert in_progress is not None and in_progress.day == pendulum.date(2027, 1, 28)
    held = schedule.next_meeting(during, held_on=pendulum.date(2027, 1, 28))
    assert held is not None and held.day == pendulum.date(2027, 2, 18)
    # A session on the Sunday before holds no meeting: the Thursday is still next.
    sunday = schedule.next_meeting(during.subtract(days=4), held_on=pendulum.date(2027, 1, 24))
    assert sunday is not None and sunday.day == pendulum.date(2027, 1, 28)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # The last Sunday of March: the clocks go forward.
        (pendulum.date(2027, 3, 25), pendulum.date(2027, 4, 1)),
        # The last Sunday of October: the clocks go back.
        (pendulum.date(2027, 10, 28), pendulum.date(2027, 11, 4)),
    ],
)
def test_a_london_meeting_stays_at_16_00_london_across_daylight_saving(
    before: Date, after: Date
) -> None:
    weekly = Schedule(Slot(anchor=THURSDAY, at=parse_at("16:00"), zone=LONDON), 7, 120)
    first, second = (weekly.meeting_on(d) for d in (before, after))
    assert first is not None and second is not None
    assert (first.start.hour, second.start.hour) == (16, 16)
    assert first.start.utcoffset() != second.start.utcoffset()
    # Seen from Tokyo (no daylight saving), the meeting moves by an hour.
    tokyo = [o.start.in_timezone("Asia/Tokyo").hour for o in (first, second)]
    assert abs(tokyo[0] - tokyo[1]) == 1


def test_a_time_the_clocks_skip_is_an_hour_later_as_calendars_put_it() -> None:
    day = pendulum.date(2027, 3, 28)
    start = start_at(day, Time(1, 30), LONDON)
    assert (start.hour, start.minute) == (2, 30)
    note = wall_time_note(day, Time(1, 30), LONDON)
    assert note is not None and "does not exist" in note and "02:30" in note


def test_a_time_that_happens_twice_is_the_first_one() -> None:
    day = pendulum.date(2027, 10, 31)
    start = start_at(day, Time(1, 30), LONDON)
    assert start.in_timezone("UTC").hour == 0  # 01:30 BST, not 01:30 GMT
    note = wall_time_note(day, Time(1, 30), LONDON)
    assert note is not None and "happens twice" in note


def test_ordinary_times_have_no_note_and_transition_days_are_found_ahead() -> None:
    assert wall_time_note(THURSDAY, Time(16, 0), LONDON) is None
    sundays = Schedule(
        Slot(anchor=pendulum.date(2027, 1, 3), at=parse_at("01:30"), zone=LONDON), 7, 60
    )
    notes = transition_notes(sundays, TODAY)
    assert any("28 Mar 2027" in n for n in notes) and any("31 Oct 2027" in n for n in notes)


def test_skip_leaves_the_series_and_raises_the_sequence() -> None:
    skipped = with_skip(thursdays(), pendulum.date(2027, 2, 18), TODAY)
    assert skipped.sequence == 1
    after = Schedule(skipped, 21, 120)
    assert days(after, THURSDAY, 3) == [
        pendulum.date(2027, 1, 7),
        pendulum.date(2027, 1, 28),
        pendulum.date(2027, 3, 11),
    ]


def test_move_holds_one_meeting_elsewhere_and_the_series_stays() -> None:
    moved = with_move(thursdays(), pendulum.date(2027, 1, 28), pendulum.date(2027, 1, 29), TODAY)
    after = Schedule(moved, 21, 120)
    assert days(after, THURSDAY, 3) == [
        pendulum.date(2027, 1, 7),
        pendulum.date(2027, 1, 29),
        pendulum.date(2027, 2, 18),
    ]
    found = after.meeting_on(pendulum.date(2027, 1, 29))
    assert found is not None and found.series_date == pendulum.date(2027, 1, 28)
    # A session on the moved day proposes the next series date.
    on_the_day = pendulum.datetime(2027, 1, 29, 16, 5, tz=LONDON)
    assert proposal(after, on_the_day) == pendulum.date(2027, 2, 18)
    # One on the series date it was moved from proposes the moved meeting.
    on_the_old_day = pendulum.datetime(2027, 1, 28, 16, 5, tz=LONDON)
    assert proposal(after, on_the_old_day) == pendulum.date(2027, 1, 29)


@pytest.mark.parametrize(
    ("day", "to", "message"),
    [
        ((2027, 1, 28), (2027, 2, 18), "already has a meeting"),
        ((2027, 1, 28), (2026, 12, 1), "in the past"),
        ((2027, 1, 29), (2027, 1, 30), "no meeting on"),
        ((2027, 1, 28), (2027, 2, 25), "past the neighbouring meeting"),
    ],
)
def test_bad_moves_are_refused(
    day: tuple[int, int, int], to: tuple[int, int, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        with_move(thursdays(), pendulum.date(*day), pendulum.date(*to), TODAY)


def test_the_close_phase_choice_changes_one_meeting_only() -> None:
    schedule = thursdays()
    proposed = pendulum.date(2027, 1, 28)
    assert with_close_choice(schedule, proposed, proposed) == schedule.slot
    moved = with_close_choice(schedule, proposed, pendulum.date(2027, 2, 1))
    assert moved.moved == {proposed: pendulum.date(2027, 2, 1)} and moved.sequence == 1
    # Choosing a later series date skips the meetings before it.
    later = with_close_choice(schedule, proposed, pendulum.date(2027, 2, 18))
    assert later.skipped == (proposed,) and not later.moved
    # Committing the same choice again changes nothing.
    assert with_close_choice(Schedule(moved, 21, 120), proposed, pendulum.date(2027, 2, 1)) == moved


def test_a_session_early_on_a_meeting_day_held_that_meeting() -> None:
    schedule = thursdays()
    thursday, next_one = pendulum.date(2027, 1, 28), pendulum.date(2027, 2, 18)

    def after(start: pendulum.DateTime, minutes: int) -> Slot:
        return after_session(
            schedule,
            started=start,
            ended=start.add(minutes=minutes),
            proposed=next_one,
            chosen=next_one,
        )

    # Met 09:00-10:40: the 16:00 meeting that day is skipped, so no calendar keeps it.
    early = after(pendulum.datetime(2027, 1, 28, 9, 0, tz=LONDON), 100)
    assert early.skipped == (thursday,) and early.sequence == 1
    assert (
        after_session(
            Schedule(early, 21, 120),
            started=pendulum.datetime(2027, 1, 28, 9, 0, tz=LONDON),
            ended=pendulum.datetime(2027, 1, 28, 10, 40, tz=LONDON),
            proposed=next_one,
            chosen=next_one,
        )
        == early
    ), "committing the same session again changes nothing more"
    # A session at the slot's time, late or early, or on another day, was that
    # meeting or none: the series is left as it is.
    for start in (
        pendulum.datetime(2027, 1, 28, 16, 8, tz=LONDON),
        pendulum.datetime(2027, 1, 28, 15, 30, tz=LONDON),
        pendulum.datetime(2027, 1, 24, 10, 0, tz=LONDON),
    ):
        assert after(start, 100) == schedule.slot


def test_the_close_says_what_a_changed_date_does_to_the_series() -> None:
    schedule, proposed = thursdays(), pendulum.date(2027, 1, 28)

    def note(chosen: tuple[int, int, int], on: Schedule = schedule) -> str | None:
        return close_choice_note(on, proposed, pendulum.date(*chosen))

    assert note((2027, 1, 28)) is None
    assert note((2027, 2, 1)) == (
        "Moves the meeting of Thu 28 Jan there; the one after stays on Thu 18 Feb."
    )
    assert note((2027, 2, 18)) == "Skips the meeting of Thu 28 Jan; the one after is on Thu 11 Mar."
    assert note((2027, 3, 1)) == (
        "Skips the meeting of Thu 18 Feb; moves the meeting of Thu 28 Jan there; "
        "the one after stays on Thu 11 Mar."
    )
    assert note((2029, 1, 4)) == "The series starts again on that day."
    # A meeting already moved is named by the day it was to be held.
    moved = Schedule(with_move(schedule, proposed, pendulum.date(2027, 1, 29), TODAY), 21, 120)
    skipped = close_choice_note(moved, pendulum.date(2027, 1, 29), pendulum.date(2027, 2, 18))
    assert skipped == "Skips the meeting of Fri 29 Jan; the one after is on Thu 11 Mar."


def test_slot_documents_round_trip_and_damage_is_a_value_error() -> None:
    slot = with_move(thursdays(), pendulum.date(2027, 1, 28), pendulum.date(2027, 1, 29), TODAY)
    read = read_version(Slot)
    assert msgspec.convert(stored(slot), read) == slot
    for damaged in (
        {**stored(slot), "zone": "Mars/Base"},
        {**stored(slot), "at": "25:00"},
        {**stored(slot), "anchor": "soon"},
        {**stored(slot), "sequence": -1},
        "not a slot",
    ):
        with pytest.raises(ValueError):
            msgspec.convert(damaged, read)


@pytest.mark.parametrize("text", ["25:00", "16:60", "4pm", "", "16", "1600"])
def test_times_of_day_that_are_not_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a time of day"):
        parse_at(text)


@pytest.mark.parametrize("zone", ["Mars/Base", "EST", "+01:00", "", "europe/london"])
def test_unknown_zones_are_refused(zone: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        check_zone(zone)


def test_the_usual_start_counts_a_slightly_late_start_for_its_quarter_hour() -> None:
    starts = [
        pendulum.datetime(2026, 9, 3, 16, 8, tz=LONDON),
        pendulum.datetime(2026, 9, 24, 15, 58, tz=LONDON),
        pendulum.datetime(2026, 10, 12, 16, 30, tz=LONDON),  # a Monday
        pendulum.datetime(2026, 11, 5, 16, 2, tz=LONDON),
    ]
    usual = usual_start(starts, LONDON)
    assert usual is not None
    weekday, at = usual
    assert weekday == pendulum.THURSDAY and (at.hour, at.minute) == (16, 0)
    slot = inferred_slot(
        starts, LONDON, next_meeting=pendulum.date(2026, 11, 23), fallback_anchor=TODAY
    )
    assert slot.anchor == pendulum.date(2026, 11, 26)  # the Monday moved to the Thursday


def test_times_are_shown_in_the_groups_zone_with_the_viewers_when_elsewhere() -> None:
    found = thursdays().meeting_on(THURSDAY)
    assert found is not None
    assert meeting_label(found, LONDON, LONDON) == "Thu 7 Jan 2027 16:00 Europe/London"
    assert meeting_label(found, LONDON, "Europe/Paris").endswith("(17:00 your time)")
    assert meeting_label(found, LONDON, "Asia/Tokyo").endswith("(Fri 8 Jan 01:00 your time)")
    moment = found.start
    assert in_group_zone(moment, LONDON, LONDON, "HH:mm") == "16:00"
    assert in_group_zone(moment, LONDON, "Asia/Tokyo", "HH:mm") == "16:00 UTC+00:00"


def test_a_chosen_day_reads_at_the_slots_time_and_zone() -> None:
    slot = thursdays().slot
    assert day_at_slot(slot, "2027-04-01") == "Thu 1 Apr 2027 16:00 Europe/London"
    assert day_at_slot(None, "2027-04-01") == "2027-04-01"
    assert day_at_slot(slot, "not a day") == "not a day"


ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]


@settings(max_examples=150, deadline=None)
@given(
    anchor=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    cadence=st.integers(min_value=7, max_value=42),
    zone=st.sampled_from(ZONES),
    hour=st.integers(min_value=6, max_value=22),
    minute=st.sampled_from([0, 15, 30, 45]),
    which=st.integers(min_value=0, max_value=60),
    drift_minutes=st.integers(min_value=-600, max_value=2 * 24 * 60),
)
def test_any_session_near_a_meeting_proposes_the_next_one_at_the_slots_time(
    anchor: date,
    cadence: int,
    zone: str,
    hour: int,
    minute: int,
    which: int,
    drift_minutes: int,
) -> None:
    slot = Slot(
        anchor=pendulum.date(anchor.year, anchor.month, anchor.day),
        at=f"{hour:02d}:{minute:02d}",
        zone=zone,
    )
    schedule = Schedule(slot, cadence, 90)
    meeting = next(itertools.islice(schedule.occurrences(slot.anchor), which, None))
    # Started up to ten hours early or two days late: the series does not move.
    started = meeting.start.add(minutes=drift_minutes)
    proposed = proposal(schedule, started)
    # A session on an earlier day leaves that meeting ahead; one on its day, or
    # up to two days late, held it, and the next is a cadence on.
    held_it = started.in_timezone(zone).date() >= meeting.day
    assert proposed == (meeting.day.add(days=cadence) if held_it else meeting.day)
    found = schedule.meeting_on(proposed)
    assert found is not None
    local = found.start.in_timezone(zone)
    # 06:00 to 22:45 never falls in a daylight-saving gap in these zones.
    assert (local.hour, local.minute) == (hour, minute)


def test_a_close_phase_choice_years_ahead_restarts_the_series_there() -> None:
    far = pendulum.date(2031, 5, 8)
    restarted = with_close_choice(thursdays(), pendulum.date(2027, 1, 28), far)
    assert restarted.anchor == far and not restarted.skipped and restarted.sequence == 1
    # Even the last date Python holds neither crashes nor loops.
    last = with_close_choice(thursdays(), pendulum.date(2027, 1, 28), pendulum.date(9999, 12, 31))
    assert Schedule(last, 21, 120).meeting_on(pendulum.date(9999, 12, 31)) is not None
