"""The time budget: talking time ÷ present, the turn timebox, ahead/behind, hard stop."""

from __future__ import annotations

import pytest

from peersession.core import events as ev
from peersession.core.templates import AgendaDoesNotFit

from engine_support import START, MeetingDriver, make_group


def absent(d: MeetingDriver, *member_ids: str) -> None:
    for member_id in member_ids:
        d.act(ev.AttendanceMarked(member_id=member_id, status="absent"))


def test_full_template_shares_85_minutes_of_talking_40_percent_to_updates() -> None:
    d = MeetingDriver(make_group(8))
    budget = d.meeting.budget(d.now)
    assert budget.length_seconds == 120 * 60
    assert budget.talking_seconds == 85 * 60  # 120 minus 35 minutes of fixed phases
    assert budget.present == 8
    assert budget.talk_per_member == 85 * 60 / 8
    assert budget.updates_seconds == 0.4 * 85 * 60
    assert budget.asks_seconds == 0.6 * 85 * 60
    assert budget.turn_seconds == 255
    assert budget.planned_end == START.add(hours=2)
    assert budget.projected_end == budget.planned_end
    assert budget.behind_seconds == 0
    assert budget.until_hard_stop == 7200
    assert budget.hard_stop_warning is False


@pytest.mark.parametrize(
    ("present", "turn"),
    [(1, 1200.0), (2, 1020.0), (5, 408.0), (6, 340.0), (8, 255.0), (12, 170.0)],
)
def test_full_turn_is_the_updates_time_divided_by_who_is_present(present: int, turn: float) -> None:
    d = MeetingDriver(make_group(12))
    absent(d, *[m.id for m in d.group.members[present:]])
    assert d.meeting.budget(d.now).present == present
    assert d.meeting.turn_seconds() == pytest.approx(turn)


def test_quick_round_fits_eight_people_in_ten_minutes() -> None:
    d = MeetingDriver(make_group(8), template="quick")
    budget = d.meeting.budget(d.now)
    # Opening, a brief review and commitments take a minute each.
    assert (budget.length_seconds, budget.talking_seconds) == (600, 420)
    assert budget.turn_seconds == 52.5
    assert budget.asks_seconds == 0
    assert budget.projected_end == budget.planned_end == START.add(minutes=10)
    d.act(ev.Next(), after_seconds=60)  # → review
    d.act(ev.Next(), after_seconds=60)  # → updates
    for _ in range(8):
        d.act(ev.Next(), after_seconds=52.5)
    assert d.meeting.phase.name == "commitments"
    meeting = d.act(ev.Next(), after_seconds=60)
    assert meeting.phase.name == "recap"
    budget = d.meeting.budget(d.now)
    assert budget.until_hard_stop == 0
    assert budget.behind_seconds == 0
    assert budget.hard_stop_warning is True


@pytest.mark.parametrize(("size", "turn", "behind"), [(4, 90.0, -60.0), (9, 47.0, 0.0)])
def test_quick_turns_stay_between_45_and_90_seconds(size: int, turn: float, behind: float) -> None:
    d = MeetingDriver(make_group(size), template="quick")
    budget = d.meeting.budget(d.now)
    assert round(budget.turn_seconds) == turn
    assert round(budget.behind_seconds) == behind  # 4 x 90 s is early, never late


def test_a_quick_round_too_big_for_ten_minutes_says_by_how_much() -> None:
    with pytest.raises(AgendaDoesNotFit, match=r"needs at least 12 minutes .*2 more than 10"):
        MeetingDriver(make_group(12), template="quick")


def test_turns_are_recomputed_as_people_arrive_and_leave() -> None:
    d = MeetingDriver(make_group(8))
    absent(d, "gus", "hal")
    assert d.meeting.budget(d.now).turn_seconds == 340
    d.act(ev.MemberArrived(member_id="gus"), after_seconds=60)
    assert d.meeting.budget(d.now).turn_seconds == pytest.approx(2040 / 7)
    d.act(ev.MemberLeft(member_id="ada"), after_seconds=60)
    d.act(ev.MemberLeft(member_id="bea"), after_seconds=60)
    assert d.meeting.budget(d.now).turn_seconds == 408
    assert d.meeting.budget(d.now).present == 5


def test_a_turn_override_replaces_the_derived_timebox() -> None:
    d = MeetingDriver(make_group(8), turn_seconds_override=300)
    absent(d, "hal")
    assert d.meeting.budget(d.now).turn_seconds == 300
    d.goto("updates")
    assert d.meeting.timer(d.now).budget == 300


def test_the_updates_phase_box_is_every_turn_together() -> None:
    d = MeetingDriver(make_group(8))
    absent(d, "hal")
    d.goto("updates")
    assert d.meeting.phase_boxes[d.meeting.phase_index].budget == pytest.approx(2040)


def test_an_overrunning_speaker_puts_the_meeting_behind() -> None:
    d = MeetingDriver(make_group(8))
    d.goto("updates", after_seconds=300)  # opening took exactly its 5 minutes
    # The skipped wins and review give 15 minutes back.
    assert d.meeting.budget(d.now).behind_seconds == -15 * 60
    d.advance(255 + 100)
    assert d.meeting.budget(d.now).behind_seconds == -15 * 60 + 100
    d.act(ev.Next())
    d.act(ev.Next(), after_seconds=200)  # bea finishes 55 s early
    assert d.meeting.budget(d.now).behind_seconds == -15 * 60 + 100 - 55


def test_queued_asks_longer_than_the_pool_push_the_projection() -> None:
    d = MeetingDriver(make_group(8))
    for index in range(6):
        ask = ev.AskAdded(ask_id=f"a{index}", member_id="ada", text="help", wanted_seconds=3600)
        d.act(ask)
    # Six hour-long asks want 6 h; the pool is 51 minutes.
    assert d.meeting.budget(d.now).behind_seconds == 6 * 3600 - 0.6 * 85 * 60


def test_the_hard_stop_warning_comes_ten_minutes_before_the_end() -> None:
    d = MeetingDriver(make_group(8))
    d.advance(110 * 60 - 1)
    assert d.meeting.budget(d.now).hard_stop_warning is False
    d.advance(1)
    assert d.meeting.budget(d.now).hard_stop_warning is True
    d.advance(11 * 60)
    budget = d.meeting.budget(d.now)
    assert (budget.until_hard_stop, budget.hard_stop_warning) == (-60, True)
    d.act(ev.SessionEnded())
    assert d.meeting.budget(d.now).hard_stop_warning is False


def test_a_custom_agenda_without_asks_gives_updates_all_the_talking_time() -> None:
    agenda = (
        {"phase": "opening", "minutes": 3},
        {"phase": "updates"},
        {"phase": "commitments", "minutes": 5},
    )
    d = MeetingDriver(make_group(8, agenda=agenda))
    budget = d.meeting.budget(d.now)
    assert budget.talking_seconds == 112 * 60
    assert (budget.updates_seconds, budget.asks_seconds) == (112 * 60, 0)
    assert budget.turn_seconds == 840
    assert budget.projected_end == budget.planned_end


def test_a_custom_agenda_can_pin_the_updates_to_their_own_minutes() -> None:
    agenda = (
        {"phase": "opening", "minutes": 10},
        {"phase": "updates", "minutes": 20},
        {"phase": "asks"},
    )
    d = MeetingDriver(make_group(4, agenda=agenda))
    budget = d.meeting.budget(d.now)
    assert budget.talking_seconds == 110 * 60
    assert budget.updates_seconds == 20 * 60
    assert budget.asks_seconds == 90 * 60
    assert budget.turn_seconds == 300  # 20 minutes shared by 4
    d.goto("updates")
    assert d.meeting.timer(d.now).budget == 300
    assert d.meeting.phase_boxes[1].budget == 20 * 60


def test_a_custom_agenda_can_pin_the_asks() -> None:
    agenda = ({"phase": "updates"}, {"phase": "asks", "minutes": 30})
    d = MeetingDriver(make_group(6, agenda=agenda))
    budget = d.meeting.budget(d.now)
    assert (budget.updates_seconds, budget.asks_seconds) == (90 * 60, 30 * 60)
    assert budget.turn_seconds == 900
