"""The meeting engine on a fake clock: every facilitator action and its rules."""

from __future__ import annotations

import random
from typing import Any

import msgspec
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peersession.core import events as ev
from peersession.core.engine import InvalidAction, Meeting
from peersession.core.free_text import MAX_TEXT
from peersession.core.model import Member
from peersession.core.record import session_record

from engine_support import (
    START,
    MeetingDriver,
    check_invariants,
    commitment_doc,
    fold_state,
    make_group,
    session_doc,
    snapshot,
)

FULL_KINDS = ("opening", "wins", "review", "updates", "asks", "commitments", "close", "recap")
QUICK_KINDS = ("opening", "review", "updates", "commitments", "recap")
CUSTOM_AGENDA = (
    {"phase": "opening", "minutes": 3},
    {"phase": "asks"},
    {"phase": "updates"},
    {"phase": "close", "minutes": 2},
)
CUSTOM_KINDS = ("opening", "asks", "updates", "close", "recap")


def driver_for(kind: str, size: int = 8, **kwargs: Any) -> MeetingDriver:
    if kind == "custom":
        return MeetingDriver(make_group(size, agenda=CUSTOM_AGENDA), **kwargs)
    return MeetingDriver(make_group(size), template=kind, **kwargs)


TEMPLATE_KINDS = {"full": FULL_KINDS, "quick": QUICK_KINDS, "custom": CUSTOM_KINDS}


# --- phases -------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["full", "quick", "custom"])
def test_next_walks_every_phase_in_agenda_order_and_refuses_after_the_last(template: str) -> None:
    d = driver_for(template, size=3)
    visited = [d.meeting.phase.name]
    for _ in range(50):
        if d.meeting.phase.name == "recap":
            break
        d.act(ev.Next(), after_seconds=30)
        if d.meeting.phase.name != visited[-1]:
            visited.append(d.meeting.phase.name)
    assert tuple(visited) == TEMPLATE_KINDS[template]
    d.refuse(ev.Next(), "last phase")


@pytest.mark.parametrize("template", ["full", "quick", "custom"])
def test_back_walks_to_the_first_phase_and_refuses_before_it(template: str) -> None:
    d = driver_for(template, size=3)
    d.goto("recap")
    visited = [d.meeting.phase.name]
    for _ in range(50):
        if d.meeting.phase.name == "opening":
            break
        d.act(ev.Back(), after_seconds=5)
        if d.meeting.phase.name != visited[-1]:
            visited.append(d.meeting.phase.name)
    assert tuple(visited) == tuple(reversed(TEMPLATE_KINDS[template]))
    d.refuse(ev.Back(), "first phase")


@pytest.mark.parametrize(
    ("template", "kind"),
    [(t, k) for t, kinds in TEMPLATE_KINDS.items() for k in kinds],
)
def test_any_phase_can_be_jumped_to_skipping_the_others(template: str, kind: str) -> None:
    d = driver_for(template)
    if kind == "opening":
        d.goto("recap")
    d.goto(kind, after_seconds=10)
    assert d.meeting.phase.name == kind
    assert d.meeting.phase_index == TEMPLATE_KINDS[template].index(kind)


def test_jumping_to_the_current_or_a_missing_phase_is_refused() -> None:
    d = driver_for("quick")
    d.refuse(ev.PhaseJumped(phase="opening"), "already in opening")
    d.refuse(ev.PhaseJumped(phase="asks"), "no asks phase")
    d.refuse(ev.PhaseJumped(phase="[bold]x"), "no .* phase")


def test_a_phase_left_and_reentered_keeps_its_used_time() -> None:
    d = driver_for("full")
    d.act(ev.Next(), after_seconds=100)  # opening used 100 s
    d.act(ev.Back(), after_seconds=50)
    assert d.meeting.phase.name == "opening"
    d.advance(20)
    assert d.timer_remaining() == 5 * 60 - 120


def test_leaving_updates_mid_turn_and_returning_resumes_that_speaker() -> None:
    d = driver_for("full")
    d.goto("updates")
    d.act(ev.Next(), after_seconds=60)  # bea speaks
    d.goto("asks", after_seconds=40)
    d.goto("updates", after_seconds=500)
    assert d.meeting.speaker == "bea"
    assert d.meeting.turns["bea"].box.elapsed(d.now) == 40


# --- the per-speaker timebox ------------------------------------------------------------


def test_timer_goes_running_warning_overtime_and_pauses() -> None:
    d = driver_for("full", turn_seconds_override=300)
    d.goto("updates")
    assert d.timer_state() == "running"
    assert d.meeting.timer(d.now).label == "Ada"
    d.advance(239)
    assert (d.timer_state(), d.timer_remaining()) == ("running", 61)
    d.advance(1)  # 60 s left: 20% of 300
    assert d.timer_state() == "warning"
    d.advance(60)
    assert (d.timer_state(), d.timer_remaining()) == ("warning", 0)
    d.advance(0.5)
    assert (d.timer_state(), d.timer_remaining()) == ("overtime", -0.5)
    d.act(ev.TimerToggled())
    d.advance(1000)
    assert (d.timer_state(), d.timer_remaining()) == ("paused", -0.5)
    d.act(ev.TimerToggled(), after_seconds=1)
    assert d.timer_state() == "overtime"
    d.advance(2)
    assert d.timer_remaining() == -2.5


def test_a_minute_more_or_less_changes_only_the_running_timebox() -> None:
    d = driver_for("full", turn_seconds_override=300)
    d.goto("updates", after_seconds=1)
    d.act(ev.TimeAdjusted(seconds=60), after_seconds=100)
    assert d.timer_remaining() == 260
    d.act(ev.TimeAdjusted(seconds=-60))
    d.act(ev.TimeAdjusted(seconds=-60))
    assert d.timer_remaining() == 140
    assert d.meeting.phase_boxes[d.meeting.phase_index].budget == 8 * 300
    d.refuse(ev.TimeAdjusted(seconds=0), "up to an hour")
    d.refuse(ev.TimeAdjusted(seconds=3601), "up to an hour")
    d.refuse(ev.TimeAdjusted(seconds=float("nan")), "up to an hour")
    d.act(ev.TimeAdjusted(seconds=-3600))
    assert d.meeting.timer(d.now).budget == 0  # never below zero
    assert d.timer_state() == "overtime"


def test_the_phase_timer_counts_down_outside_turns() -> None:
    d = driver_for("full")
    assert d.meeting.timer(d.now).label == "Opening"
    d.advance(61)
    assert d.timer_remaining() == 5 * 60 - 61


def test_three_hours_of_irregular_steps_leave_zero_drift() -> None:
    d = driver_for("full")
    d.goto("updates")
    budget = d.meeting.timer(d.now).budget
    planned_end_us = 2 * 3600 * 10**6
    total_us = 3 * 3600 * 10**6
    rng = random.Random(20260106)
    cuts = sorted(rng.sample(range(1, total_us), 9_999))
    steps = [b - a for a, b in zip([0, *cuts], [*cuts, total_us], strict=True)]
    assert len(steps) == 10_000 and sum(steps) == total_us
    elapsed_us = 0
    for index, step in enumerate(steps):
        d.advance(step / 10**6)
        elapsed_us += step
        if index % 97 == 0 or index == len(steps) - 1:
            assert d.meeting.turns["ada"].box.elapsed(d.now) == elapsed_us / 10**6
            assert d.timer_remaining() == budget - elapsed_us / 10**6
            assert d.meeting.budget(d.now).until_hard_stop == (
                (planned_end_us - elapsed_us) / 10**6
            )
    assert d.meeting.turns["ada"].box.elapsed(d.now) == 10_800.0
    assert d.timer_remaining() == budget - 10_800.0
    assert d.meeting.budget(d.now).until_hard_stop == -3600.0


def test_three_hours_of_pauses_and_turns_leave_zero_drift() -> None:
    """Banked time is summed exactly however often a turn is paused and resumed."""
    d = driver_for("full", size=4)
    d.goto("updates")
    rng = random.Random(7)
    total_us = 3 * 3600 * 10**6
    cuts = sorted(rng.sample(range(1, total_us), 9_999))
    steps = [b - a for a, b in zip([0, *cuts], [*cuts, total_us], strict=True)]
    used_us = dict.fromkeys(("ada", "bea", "cy", "dee"), 0)
    paused = False
    for step in steps:
        d.advance(step / 10**6)
        speaker = d.meeting.speaker
        assert speaker is not None
        if not paused:
            used_us[speaker] += step
        roll = rng.random()
        if roll < 0.3:
            d.act(ev.TimerToggled())
            paused = not paused
        elif roll < 0.32 and not paused:
            d.act(ev.SpeakerSkipped())
    for member, used in used_us.items():
        assert d.meeting.turns[member].box.elapsed(d.now) == used / 10**6, member
    assert sum(used_us.values()) <= total_us


def test_reading_the_timer_never_changes_the_meeting() -> None:
    d = driver_for("full")
    d.goto("updates")
    d.advance(12.5)
    before = snapshot(d.meeting, d.now)
    for _ in range(100):
        d.meeting.timer(d.now)
        d.meeting.budget(d.now)
    assert snapshot(d.meeting, d.now) == before


# --- resume ----------------------------------------------------------------------------------


def busy_meeting() -> MeetingDriver:
    d = driver_for("full", size=5)
    d.act(ev.NoteAdded(note_id="n1", text="Welcome [bold]all[/]"), after_seconds=20)
    d.act(ev.WinAdded(win_id="w1", member_id="bea", kind="grant", text="R01!"), after_seconds=30)
    d.goto("updates", after_seconds=60)
    d.act(ev.NoteAdded(note_id="n2", text="Ada: tenure file", private=True), after_seconds=50)
    d.act(ev.Next(), after_seconds=100)
    d.act(ev.AskAdded(ask_id="a1", member_id="cy", text="How to say no?"), after_seconds=10)
    d.act(ev.CommitmentAdded(commitment_id="c1", owner="ada", text="Draft"), after_seconds=5)
    return d


def test_replay_at_a_later_time_resumes_exactly_and_counts_the_downtime() -> None:
    d = busy_meeting()
    at_crash = d.now
    remaining_at_crash = d.timer_remaining()
    d.advance(17 * 60)  # the app is down for 17 minutes
    resumed = d.replayed()
    assert resumed.phase is d.meeting.phase and resumed.phase.name == "updates"
    assert resumed.speaker == "bea"
    assert resumed.session_notes == d.meeting.session_notes
    assert resumed.turns["ada"].notes == d.meeting.turns["ada"].notes
    assert resumed.turns["ada"].notes[0].private is True
    assert resumed.asks == d.meeting.asks and resumed.ask_queue == ["a1"]
    assert resumed.commitments == d.meeting.commitments
    assert resumed.wins == d.meeting.wins
    assert resumed.timer(d.now).remaining == remaining_at_crash - 17 * 60
    assert resumed.timer(d.now).state == "overtime"
    assert resumed.timer(at_crash).remaining == remaining_at_crash
    assert fold_state(resumed, d.now) == fold_state(d.meeting, d.now)


def test_a_resumed_meeting_carries_on_like_the_original() -> None:
    d = busy_meeting()
    d.advance(300)
    resumed = d.resumed()
    for driver in (d, resumed):
        driver.act(ev.Next())
    assert fold_state(resumed.meeting, d.now) == fold_state(d.meeting, d.now)
    assert resumed.meeting.speaker == "cy"


def test_replay_refuses_a_journal_without_its_first_entry() -> None:
    d = busy_meeting()
    with pytest.raises(ValueError, match="session_started"):
        Meeting.replay(d.meeting.entries[1:])
    with pytest.raises(ValueError, match="session_started"):
        Meeting.replay([])


def test_entries_out_of_order_or_a_second_start_are_refused() -> None:
    d = busy_meeting()
    stale = ev.Entry(d.meeting.last_seq, d.now, ev.Next())
    with pytest.raises(InvalidAction, match="out of order"):
        d.meeting.apply(stale)
    with pytest.raises(InvalidAction, match="already started"):
        d.act(ev.SessionStarted(setup={}))


# --- fair order -------------------------------------------------------------------------------


def test_updates_follow_the_rotated_order_from_last_session() -> None:
    last = session_doc("s0", ["bea", "cy", "ada", "dee"])
    d = MeetingDriver(make_group(5), recent_sessions=[last])
    assert d.meeting.up_next() == ["eve", "cy", "ada", "dee", "bea"]
    d.goto("updates")
    assert d.meeting.speaker == "eve"


def test_absent_members_are_left_out_of_the_queue_and_the_budget() -> None:
    d = driver_for("full")
    d.act(ev.AttendanceMarked(member_id="cy", status="absent"))
    d.act(ev.AttendanceMarked(member_id="hal", status="late"))
    assert d.meeting.up_next() == ["ada", "bea", "dee", "eve", "fay", "gus"]
    assert d.meeting.budget(d.now).present == 6
    d.goto("updates")
    assert d.meeting.queue == ["bea", "dee", "eve", "fay", "gus"]
    assert d.meeting.timer(d.now).budget == 2040 / 6
    d.refuse(ev.AttendanceMarked(member_id="cy", status="gone"), "attendance is one of")
    d.refuse(ev.AttendanceMarked(member_id="zed", status="present"), "no such member")


def test_shuffle_must_be_a_permutation_of_who_is_still_to_speak() -> None:
    d = driver_for("full", size=5)
    d.act(ev.AttendanceMarked(member_id="eve", status="absent"))
    d.refuse(ev.OrderShuffled(order=("bea", "ada", "cy")), "exactly the members still to speak")
    d.refuse(
        ev.OrderShuffled(order=("bea", "ada", "cy", "dee", "eve")),
        "exactly the members still to speak",
    )
    d.act(ev.OrderShuffled(order=("dee", "bea", "ada", "cy")))
    assert d.meeting.up_next() == ["dee", "bea", "ada", "cy"]
    d.goto("updates")
    assert d.meeting.speaker == "dee"
    d.refuse(ev.OrderShuffled(order=("dee", "cy", "ada", "bea")), "still to speak")
    d.refuse(ev.OrderShuffled(order=("cy", "cy", "ada")), "still to speak")
    d.act(ev.OrderShuffled(order=("cy", "ada", "bea")))
    assert d.meeting.queue == ["cy", "ada", "bea"]
    assert d.meeting.speaker == "dee"


def test_shuffling_fewer_than_two_speakers_is_refused() -> None:
    d = driver_for("full", size=2)
    d.goto("updates")
    d.refuse(ev.OrderShuffled(order=("bea",)), "nothing to shuffle")


def test_pass_records_a_passed_turn_and_the_last_pass_moves_on() -> None:
    d = driver_for("full", size=2)
    d.goto("updates")
    d.act(ev.SpeakerPassed(), after_seconds=3)
    assert d.meeting.turns["ada"].passed is True
    assert d.meeting.speaker == "bea"
    d.act(ev.SpeakerPassed(), after_seconds=3)
    assert d.meeting.phase.name == "asks"
    d.refuse(ev.SpeakerPassed(), "nobody is speaking")
    d.refuse(ev.SpeakerSkipped(), "nobody is speaking")


def test_skip_sends_the_speaker_to_the_end_with_the_time_they_used() -> None:
    d = driver_for("full", size=3, turn_seconds_override=300)
    d.goto("updates")
    d.act(ev.SpeakerSkipped(), after_seconds=40)
    assert (d.meeting.speaker, d.meeting.queue) == ("bea", ["cy", "ada"])
    d.act(ev.Next(), after_seconds=100)
    d.act(ev.Next(), after_seconds=100)
    assert d.meeting.speaker == "ada"
    assert d.timer_remaining() == 260
    d.refuse(ev.SpeakerSkipped(), "pass instead")
    d.act(ev.Next(), after_seconds=10)
    assert d.meeting.phase.name == "asks"
    assert d.meeting.spoken == ["bea", "cy", "ada"]


def test_late_arrival_joins_the_queue_and_later_turns_are_recomputed() -> None:
    d = driver_for("full")
    d.act(ev.AttendanceMarked(member_id="gus", status="late"))
    d.act(ev.AttendanceMarked(member_id="hal", status="absent"))
    d.goto("updates")
    assert d.meeting.timer(d.now).budget == 340  # 2040 s of updates / 6 present
    d.act(ev.MemberArrived(member_id="hal"), after_seconds=30)
    assert d.meeting.attendance["hal"] == "late"
    assert d.meeting.queue[-1] == "hal"
    assert d.meeting.timer(d.now).budget == 340  # the running turn keeps its box
    d.act(ev.Next(), after_seconds=30)
    assert d.meeting.timer(d.now).budget == pytest.approx(2040 / 7)
    d.act(ev.MemberLeft(member_id="dee"), after_seconds=10)
    assert "dee" not in d.meeting.queue
    d.act(ev.Next(), after_seconds=30)
    assert d.meeting.speaker == "cy"
    assert d.meeting.timer(d.now).budget == 340
    d.refuse(ev.MemberLeft(member_id="dee"), "is not here")
    d.refuse(ev.MemberArrived(member_id="ada"), "already here")


def test_a_late_member_arriving_before_updates_keeps_their_place() -> None:
    d = driver_for("full", size=4)
    d.act(ev.AttendanceMarked(member_id="bea", status="late"))
    assert d.meeting.up_next() == ["ada", "cy", "dee"]
    d.act(ev.MemberArrived(member_id="bea"), after_seconds=300)
    assert d.meeting.up_next() == ["ada", "bea", "cy", "dee"]
    assert d.meeting.attendance["bea"] == "late"


def test_the_speaker_leaving_ends_their_turn_and_calls_the_next() -> None:
    d = driver_for("full", size=3)
    d.goto("updates")
    d.act(ev.MemberLeft(member_id="ada"), after_seconds=50)
    assert d.meeting.speaker == "bea"
    assert d.meeting.turns["ada"].box.elapsed(d.now) == 50
    assert "ada" in d.meeting.attended


def test_an_agenda_opening_with_updates_calls_the_first_speaker_at_once() -> None:
    d = MeetingDriver(make_group(3, agenda=({"phase": "updates"},)))
    assert (d.meeting.phase.name, d.meeting.speaker) == ("updates", "ada")
    assert d.meeting.timer(d.now).budget == 1200  # 120 min ÷ 3, capped at 20 min


def test_marking_the_called_speaker_absent_takes_no_turn_from_them() -> None:
    d = MeetingDriver(make_group(3, agenda=({"phase": "updates"},)))
    d.act(ev.AttendanceMarked(member_id="ada", status="absent"))
    assert d.meeting.speaker == "bea"
    assert "ada" not in d.meeting.turns and "ada" not in d.meeting.spoken
    assert d.meeting.attended == ["bea", "cy"]
    d.act(ev.AttendanceMarked(member_id="ada", status="present"), after_seconds=30)
    assert d.meeting.queue == ["cy", "ada"]


def test_marking_absent_after_speaking_keeps_what_was_said() -> None:
    d = driver_for("full", size=3)
    d.goto("updates")
    d.act(ev.AttendanceMarked(member_id="ada", status="absent"), after_seconds=30)
    assert d.meeting.turns["ada"].box.elapsed(d.now) == 30
    assert d.meeting.speaker == "bea"


def test_a_leaver_marked_present_again_is_back_in_the_room() -> None:
    d = driver_for("full", size=3)
    d.act(ev.MemberLeft(member_id="ada"))
    d.act(ev.AttendanceMarked(member_id="ada", status="present"))
    assert "ada" in d.meeting.here and "ada" not in d.meeting.left
    d.act(ev.MemberLeft(member_id="ada"))
    assert d.meeting.left == {"ada"}


def test_back_never_reopens_the_turn_of_someone_who_left() -> None:
    d = driver_for("full", size=3)
    d.goto("updates")
    d.act(ev.Next(), after_seconds=50)
    d.act(ev.MemberLeft(member_id="ada"), after_seconds=5)
    d.act(ev.Back(), after_seconds=5)
    assert d.meeting.phase.name == "review"
    assert d.meeting.speaker is None


def test_back_reopens_the_previous_speaker() -> None:
    d = driver_for("full", size=3, turn_seconds_override=300)
    d.goto("updates")
    d.act(ev.Next(), after_seconds=100)
    d.act(ev.Back(), after_seconds=20)
    assert d.meeting.speaker == "ada"
    assert d.meeting.queue == ["bea", "cy"]
    d.advance(10)
    assert d.timer_remaining() == 190
    d.act(ev.Next())
    assert d.meeting.speaker == "bea"
    assert d.meeting.turns["bea"].box.elapsed(d.now) == 20


def test_a_skipped_member_who_steps_out_keeps_their_turn_on_return() -> None:
    d = driver_for("full", size=3)
    d.goto("updates")
    d.act(ev.SpeakerSkipped(), after_seconds=10)  # ada to the end
    d.act(ev.MemberLeft(member_id="ada"), after_seconds=5)
    d.act(ev.MemberArrived(member_id="ada"), after_seconds=5)
    assert d.meeting.queue == ["cy", "ada"]


# --- asks ---------------------------------------------------------------------------------


def asks_meeting(**kwargs: Any) -> MeetingDriver:
    d = driver_for("full", size=5, **kwargs)
    d.act(ev.AskAdded(ask_id="a1", member_id="ada", text="Negotiating startup"))
    d.act(ev.AskAdded(ask_id="a2", member_id="bea", text="Saying no", wanted_seconds=300))
    d.act(ev.AskAdded(ask_id="a3", member_id="cy", text="Grant resubmission"))
    return d


def test_asks_are_voted_moved_and_sorted_by_votes() -> None:
    d = asks_meeting()
    d.act(ev.AskVoted(ask_id="a1", votes=1))
    d.act(ev.AskVoted(ask_id="a2", votes=4))
    d.act(ev.AskVoted(ask_id="a3", votes=4))
    d.act(ev.AsksSorted(by="votes"))
    assert d.meeting.ask_queue == ["a2", "a3", "a1"]  # ties keep their order
    d.act(ev.AskMoved(ask_id="a1", delta=-1))
    assert d.meeting.ask_queue == ["a2", "a1", "a3"]
    d.act(ev.AskMoved(ask_id="a2", delta=5))
    assert d.meeting.ask_queue == ["a1", "a3", "a2"]
    d.refuse(ev.AskMoved(ask_id="a1", delta=-1), "cannot move further")
    d.refuse(ev.AskMoved(ask_id="zz", delta=1), "not in the queue")
    d.refuse(ev.AskVoted(ask_id="a1", votes=-1), "0 to 99")
    d.refuse(ev.AskVoted(ask_id="a1", votes=100), "0 to 99")
    d.refuse(ev.AskVoted(ask_id="a1", votes=2.5), "0 to 99")  # type: ignore[arg-type]
    d.refuse(ev.AsksSorted(by="mood"), "sort asks by")


def test_asks_sort_by_least_airtime_counts_the_ledger_and_this_session() -> None:
    last = session_doc(
        "s0",
        ["eve", "ada", "bea", "cy", "dee"],  # rotated: ada speaks first this time
        turn_seconds={"ada": 100.0, "bea": 900.0, "cy": 300.0},
    )
    d = asks_meeting(recent_sessions=[last])
    d.goto("updates")
    assert d.meeting.speaker == "ada"
    d.act(ev.Next(), after_seconds=500)  # ada speaks 500 s: 600 in all, cy has 300
    d.act(ev.AsksSorted(by="airtime"))
    assert d.meeting.ask_queue == ["a3", "a1", "a2"]


def test_asks_sort_by_fewest_asks_lately() -> None:
    last = session_doc(
        "s0",
        ["ada", "bea", "cy", "dee", "eve"],
        asks=[("ada", 60, 120), ("ada", 60, 120), ("cy", 60, 120)],
    )
    d = asks_meeting(recent_sessions=[last])
    d.act(ev.AsksSorted(by="asks"))
    assert d.meeting.ask_queue == ["a2", "a3", "a1"]


def test_an_ask_runs_questions_then_advice_in_the_template_proportions() -> None:
    d = asks_meeting()
    d.goto("asks")
    d.act(ev.AskStarted(ask_id="a2"))
    ask = d.meeting.asks["a2"]
    assert ask.questions is not None and ask.advice is not None
    assert (ask.questions.budget, ask.advice.budget) == (100, 200)
    assert d.meeting.timer(d.now).label == "Bea: clarifying questions"
    d.refuse(ev.AskStarted(ask_id="a1"), "another ask is in the hot seat")
    d.act(ev.Next(), after_seconds=90)
    assert d.meeting.timer(d.now).label == "Bea: advice"
    assert d.timer_remaining() == 200
    d.act(ev.Back(), after_seconds=15)
    assert d.timer_remaining() == 10  # questions resume with their time used
    d.act(ev.Next(), after_seconds=10)
    d.act(ev.Next(), after_seconds=100)
    ask = d.meeting.asks["a2"]
    assert ask.part == "done" and d.meeting.current_ask is None
    assert ask.seconds_used(d.now) == 215
    d.act(ev.Next())  # the top of the queue takes the hot seat
    assert d.meeting.current_ask == "a1"


def test_asks_start_only_in_the_asks_phase() -> None:
    d = asks_meeting()
    d.refuse(ev.AskStarted(ask_id="a1"), "Asks phase")
    d.refuse(ev.ExtensionVoted(votes_for=3, voters=5), "running ask")
    d.refuse(ev.AskEnded(), "no ask is in the hot seat")


def test_an_ask_pulled_back_to_the_queue_keeps_its_time() -> None:
    d = asks_meeting()
    d.goto("asks")
    d.act(ev.Next(), after_seconds=1)  # a1: 200 s questions
    d.act(ev.Back(), after_seconds=50)
    assert d.meeting.current_ask is None and d.meeting.ask_queue[0] == "a1"
    d.act(ev.Next(), after_seconds=300)
    assert d.timer_remaining() == 150


def extension_ready() -> MeetingDriver:
    d = asks_meeting()
    d.goto("asks")
    d.act(ev.Next())  # a1 in the hot seat, 600 s: 200 questions, 400 advice
    d.act(ev.Next(), after_seconds=200)  # advice, warning at 80 s left
    return d


def test_extension_vote_only_when_the_timebox_is_ending() -> None:
    d = extension_ready()
    d.refuse(ev.ExtensionVoted(votes_for=4, voters=5), "opens in the last", 319)
    d.act(ev.ExtensionVoted(votes_for=4, voters=5), after_seconds=1)
    assert d.timer_remaining() == 80 + 120


def test_extensions_shrink_then_run_out_and_failed_votes_are_recorded() -> None:
    d = extension_ready()
    d.advance(400)
    d.act(ev.ExtensionVoted(votes_for=3, voters=5))
    assert d.timer_remaining() == 120
    d.act(ev.ExtensionVoted(votes_for=2, voters=4), after_seconds=120)  # no majority
    assert d.timer_remaining() == 0
    d.act(ev.ExtensionVoted(votes_for=5, voters=5))
    assert d.timer_remaining() == 60
    d.refuse(ev.ExtensionVoted(votes_for=5, voters=5), "no extensions left", 60)
    extensions = d.meeting.asks["a1"].extensions
    assert [(e["minutes"], e["granted"]) for e in extensions] == [
        (2.0, True),
        (1.0, False),
        (1.0, True),
    ]
    d.refuse(ev.ExtensionVoted(votes_for=6, voters=5), "between 0 and the number of voters")
    d.refuse(ev.ExtensionVoted(votes_for=0, voters=0), "between 0 and the number of voters")


def test_an_outcome_becomes_a_commitment_owned_by_the_asker() -> None:
    d = extension_ready()
    d.act(
        ev.AskEnded(
            outcome="I will ask for a 10% raise",
            commitment_id="c9",
            due="2026-02-01",
            helpers=("bea", "cy"),
        ),
        after_seconds=30,
    )
    ask = d.meeting.asks["a1"]
    assert (ask.part, ask.outcome, ask.commitment_id) == (
        "done",
        "I will ask for a 10% raise",
        "c9",
    )
    assert ask.helpers == ("bea", "cy")
    commitment = d.meeting.commitments["c9"]
    assert (commitment.owner, commitment.from_ask, commitment.due) == ("ada", "a1", "2026-02-01")
    assert commitment.text == "I will ask for a 10% raise"


def test_ending_an_ask_checks_helpers_ids_and_outcome() -> None:
    d = extension_ready()
    d.refuse(ev.AskEnded(outcome="I will", commitment_id=None), "needs a commitment id")
    d.refuse(ev.AskEnded(helpers=("zed",)), "no such member")
    d.refuse(ev.AskEnded(helpers=("bea", "ada")), "their own helper")
    d.refuse(ev.AskEnded(helpers=("bea", "cy", "bea")), "each helper is named once")
    d.refuse(ev.AskEnded(outcome="I will", commitment_id="a2"), "already used")
    d.refuse(ev.AskEnded(outcome="I will", commitment_id="c1", due="soon"), "not a date")
    d.refuse(ev.AskEnded(outcome="x" * (MAX_TEXT + 1), commitment_id="c1"), "too long")
    d.act(ev.AskEnded())
    assert d.meeting.asks["a1"].outcome is None and not d.meeting.commitments


def test_a_private_ask_makes_a_private_commitment() -> None:
    d = extension_ready()
    d.act(ev.PrivacyToggled(item_id="a1"))
    d.act(ev.AskEnded(outcome="I will", commitment_id="c1"))
    assert d.meeting.commitments["c1"].private is True


def test_ask_added_validates_member_text_and_length() -> None:
    d = driver_for("full")
    d.refuse(ev.AskAdded(ask_id="a1", member_id="zed", text="x"), "no such member")
    d.refuse(ev.AskAdded(ask_id="a1", member_id="ada", text="  "), "an ask cannot be empty")
    d.refuse(ev.AskAdded(ask_id="", member_id="ada", text="x"), "needs an id")
    d.refuse(ev.AskAdded(ask_id="a1", member_id="ada", text="x", wanted_seconds=0), "two hours")
    d.refuse(ev.AskAdded(ask_id="a1", member_id="ada", text="x", wanted_seconds=7201), "two hours")


# --- commitments, wins, privacy, reviews, close ---------------------------------------------


def test_commitments_are_validated() -> None:
    d = driver_for("full")
    d.act(
        ev.CommitmentAdded(commitment_id="c1", owner="bea", text="Send the draft", due="2026-01-27")
    )
    assert d.meeting.commitments_of("bea")[0].due == "2026-01-27"
    d.refuse(ev.CommitmentAdded(commitment_id="c1", owner="bea", text="again"), "already used")
    d.refuse(ev.CommitmentAdded(commitment_id="c2", owner="zed", text="x"), "no such member")
    d.refuse(ev.CommitmentAdded(commitment_id="c2", owner="bea", text=""), "cannot be empty")
    d.refuse(
        ev.CommitmentAdded(commitment_id="c2", owner="bea", text="x", due="2026-13-01"),
        "not a date",
    )
    d.refuse(
        ev.CommitmentAdded(commitment_id="c2", owner="bea", text="x", due="2025-12-31"),
        "before this session",
    )
    assert d.meeting.members_without_commitment() == [
        "ada",
        "cy",
        "dee",
        "eve",
        "fay",
        "gus",
        "hal",
    ]


@pytest.mark.parametrize(
    "kind", ["promotion", "grant", "publication", "award", "personal", "other"]
)
def test_every_win_kind_is_accepted(kind: str) -> None:
    d = driver_for("full")
    d.act(ev.WinAdded(win_id="w1", member_id="dee", kind=kind, text="Yes!"))
    assert (d.meeting.wins[0].kind, d.meeting.wins[0].member_id) == (kind, "dee")


def test_an_unknown_win_kind_is_refused() -> None:
    d = driver_for("full")
    d.refuse(ev.WinAdded(win_id="w1", member_id="dee", kind="lottery", text="x"), "a win is one of")


def test_privacy_toggles_notes_asks_wins_and_commitments() -> None:
    d = driver_for("full")
    d.act(ev.NoteAdded(note_id="n1", text="session note"))
    d.act(ev.AskAdded(ask_id="a1", member_id="ada", text="an ask"))
    d.act(ev.WinAdded(win_id="w1", member_id="bea", kind="award", text="a win"))
    d.act(ev.CommitmentAdded(commitment_id="c1", owner="cy", text="a commitment"))
    d.goto("updates")
    d.act(ev.NoteAdded(note_id="n2", text="turn note", private=True))

    def flags() -> list[bool]:
        m = d.meeting
        return [
            m.session_notes[0].private,
            m.asks["a1"].private,
            m.wins[0].private,
            m.commitments["c1"].private,
            m.turns["ada"].notes[0].private,
        ]

    assert flags() == [False, False, False, False, True]
    for item_id in ("n1", "a1", "w1", "c1", "n2"):
        d.act(ev.PrivacyToggled(item_id=item_id))
    assert flags() == [True, True, True, True, False]
    d.act(ev.PrivacyToggled(item_id="a1"))
    assert flags() == [True, False, True, True, False]
    d.refuse(ev.PrivacyToggled(item_id="nope"), "nothing with that id")


def test_notes_attach_to_the_turn_the_ask_or_the_session() -> None:
    d = asks_meeting()
    d.act(ev.NoteAdded(note_id="n1", text="opening"))
    d.goto("updates")
    d.act(ev.NoteAdded(note_id="n2", text="ada's turn"))
    d.goto("asks")
    d.act(ev.Next())
    d.act(ev.NoteAdded(note_id="n3", text="on a1"))
    assert [n.text for n in d.meeting.session_notes] == ["opening"]
    assert [n.text for n in d.meeting.turns["ada"].notes] == ["ada's turn"]
    assert [n.text for n in d.meeting.asks["a1"].notes] == ["on a1"]
    d.refuse(ev.NoteAdded(note_id="n1", text="dup id"), "already used")


def review_meeting() -> MeetingDriver:
    commitments = [
        commitment_doc("r1", "ada", "Submit the R01"),
        commitment_doc("r2", "bea", "Ask for the lab space"),
    ]
    return MeetingDriver(make_group(4), open_commitments=commitments)


@pytest.mark.parametrize("status", ["done", "partial", "not_done", "dropped"])
def test_reviews_record_each_status(status: str) -> None:
    d = review_meeting()
    d.goto("review")
    d.act(ev.ReviewMarked(commitment_id="r1", status=status, note="ok"), after_seconds=5)
    review = d.meeting.reviews["r1"]
    assert (review.status, review.note, review.at) == (status, "ok", d.now)


def test_renegotiating_needs_a_new_text_or_date() -> None:
    d = review_meeting()
    d.refuse(ev.ReviewMarked(commitment_id="r1", status="renegotiated"), "new text or a new date")
    d.refuse(
        ev.ReviewMarked(commitment_id="r1", status="renegotiated", text="   "), "cannot be empty"
    )
    d.act(ev.ReviewMarked(commitment_id="r1", status="renegotiated", text="Submit in June"))
    d.act(ev.ReviewMarked(commitment_id="r2", status="renegotiated", due="2026-03-01"))
    assert d.meeting.reviews["r1"].text == "Submit in June"
    assert d.meeting.reviews["r2"].due == "2026-03-01"
    d.refuse(ev.ReviewMarked(commitment_id="r2", status="renegotiated", due="2025-03-01"), "before")
    d.refuse(ev.ReviewMarked(commitment_id="r9", status="done"), "not up for review")
    d.refuse(ev.ReviewMarked(commitment_id="r1", status="sort of"), "a review is one of")


def test_a_review_can_be_corrected() -> None:
    d = review_meeting()
    d.act(ev.ReviewMarked(commitment_id="r1", status="done"))
    d.act(ev.ReviewMarked(commitment_id="r1", status="partial"))
    assert d.meeting.reviews["r1"].status == "partial"


def test_ratings_only_in_close_from_one_to_ten() -> None:
    d = driver_for("full", size=3)
    d.refuse(ev.RatingGiven(member_id="ada", rating=8), "Close phase")
    d.goto("close")
    for bad in (0, 11, -3):
        d.refuse(ev.RatingGiven(member_id="ada", rating=bad), "1 to 10")
    d.refuse(ev.RatingGiven(member_id="ada", rating=7.5), "1 to 10")  # type: ignore[arg-type]
    d.refuse(ev.RatingGiven(member_id="ada", rating=True), "1 to 10")
    d.refuse(ev.RatingGiven(member_id="zed", rating=5), "no such member")
    d.act(ev.RatingGiven(member_id="ada", rating=1))
    d.act(ev.RatingGiven(member_id="bea", rating=10))
    assert d.meeting.ratings == {"ada": 1, "bea": 10}
    assert d.meeting.next_to_rate() == "cy"
    d.goto("recap")
    d.refuse(ev.RatingGiven(member_id="cy", rating=5), "Close phase")


def test_only_members_who_attended_can_rate() -> None:
    d = driver_for("full", size=3)
    d.act(ev.AttendanceMarked(member_id="cy", status="absent"))
    d.goto("close")
    d.refuse(ev.RatingGiven(member_id="cy", rating=5), "was not at this session")
    assert d.meeting.next_to_rate() == "ada"


def test_next_meeting_date_cannot_be_before_the_session() -> None:
    d = driver_for("full")
    assert d.meeting.next_meeting == "2026-01-27"  # proposed: today + cadence
    d.refuse(ev.NextMeetingSet(date="2026-01-05"), "cannot be before this one")
    d.refuse(ev.NextMeetingSet(date=""), "needs a date")
    d.refuse(ev.NextMeetingSet(date="next week"), "not a date")
    d.act(ev.NextMeetingSet(date="2026-01-06"))
    assert d.meeting.next_meeting == "2026-01-06"
    d.act(ev.NextMeetingSet(date="2026-02-03"))
    assert d.meeting.next_meeting == "2026-02-03"


def test_dates_are_checked_against_the_facilitators_day_not_utc() -> None:
    # 19:00 in California on 6 January is 03:00 UTC on the 7th.
    late_evening = START.add(hours=10)
    d = MeetingDriver(make_group(3), start=late_evening, today=pendulum.date(2026, 1, 6))
    d.act(ev.NextMeetingSet(date="2026-01-06"))
    d.act(ev.CommitmentAdded(commitment_id="c1", owner="ada", text="Today!", due="2026-01-06"))
    d.refuse(ev.NextMeetingSet(date="2026-01-05"), "cannot be before this one")
    assert d.replayed().next_meeting == "2026-01-06"


def test_an_ended_session_refuses_everything() -> None:
    d = driver_for("full")
    d.act(ev.SessionEnded(), after_seconds=10)
    assert d.meeting.ended and d.meeting.ended_at == d.now
    d.refuse(ev.Next(), "has ended")
    d.refuse(ev.Undo(target=2), "has ended")


# --- undo ----------------------------------------------------------------------------------


def test_undo_takes_back_only_the_last_undoable_action_and_walks_back() -> None:
    d = driver_for("full")
    d.act(ev.NoteAdded(note_id="n1", text="one"))
    d.act(ev.WinAdded(win_id="w1", member_id="ada", kind="grant", text="two"))
    d.act(ev.AskAdded(ask_id="a1", member_id="bea", text="three"))
    note_seq = d.meeting.entries[1].seq
    d.refuse(ev.Undo(target=note_seq), "only the last action")
    d.undo()
    assert not d.meeting.asks and d.meeting.wins
    d.undo()
    assert not d.meeting.wins and d.meeting.session_notes
    d.undo()
    assert not d.meeting.session_notes
    d.refuse(ev.Undo(target=1), "nothing to undo")
    assert d.meeting.last_undoable() is None


def test_undo_after_new_actions_takes_back_the_newest() -> None:
    d = driver_for("full")
    d.act(ev.NoteAdded(note_id="n1", text="one"))
    d.undo()
    d.act(ev.NoteAdded(note_id="n2", text="two"))
    d.act(ev.NoteAdded(note_id="n1", text="one again"))  # the undone id is free again
    d.undo()
    assert [n.id for n in d.meeting.session_notes] == ["n2"]


def test_undo_of_next_restores_the_previous_speaker_with_their_time() -> None:
    d = driver_for("full", turn_seconds_override=300)
    d.goto("updates")
    d.act(ev.Next(), after_seconds=100)
    d.undo(after_seconds=30)
    assert d.meeting.speaker == "ada"
    assert "bea" not in d.meeting.turns and d.meeting.queue[0] == "bea"
    # Ada's clock ran on as if Next had never been pressed.
    assert d.meeting.turns["ada"].box.elapsed(d.now) == 130
    assert d.timer_remaining() == 170


def test_undo_of_a_phase_change_restores_the_phase_timer() -> None:
    d = driver_for("full")
    d.act(ev.Next(), after_seconds=120)
    d.undo(after_seconds=30)
    assert d.meeting.phase.name == "opening"
    assert d.timer_remaining() == 300 - 150


# --- hostile text ------------------------------------------------------------------------------

HOSTILE = [
    "[/]",
    "[link=x]click[/link]",
    "[bold red]loud",
    "\\[escaped] \\",
    "\x1b[31mred\x1b[0m \x1b]8;;http://x\x07",
    "nul\x00inside",
    "שלום \u202eevil\u202c עולם",
    "$name {0} %s {{}} <b>",
    "👩🏽‍⚕️ ok",
    "x" * MAX_TEXT,
    "line one\nline two\ttab",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_flows_through_unchanged(text: str) -> None:
    named = make_group(names=("Ada", text[:200], "[b]Cy"))
    # Ids are plain tokens wherever they are stored (the journal's setup is held
    # to the stored group's shape); the names are the hostile text.
    members = tuple(Member(f"m{i}", m.name) for i, m in enumerate(named.members))
    group = msgspec.structs.replace(named, members=members)
    d = MeetingDriver(group)
    odd = "m1"
    d.act(ev.NoteAdded(note_id="n1", text=text))
    d.act(ev.WinAdded(win_id="w1", member_id=odd, kind="other", text=text))
    d.act(ev.CommitmentAdded(commitment_id="c1", owner=odd, text=text))
    d.act(ev.AskAdded(ask_id="a1", member_id=odd, text=text))
    d.goto("asks")
    d.act(ev.Next())
    assert d.meeting.timer(d.now).label == f"{text[:200]}: clarifying questions"
    d.act(ev.AskEnded(outcome=text, commitment_id="c2"))
    d.act(ev.SessionEnded())
    for meeting in (d.meeting, d.replayed()):
        record = session_record(meeting)
        assert record.session["notes"][0]["text"] == text
        assert record.session["wins"][0]["text"] == text
        assert record.session["asks"][0]["text"] == text
        assert record.session["asks"][0]["outcome"] == text
        assert [c.text for c in record.commitments] == [text, text]
        assert meeting.name(odd) == text[:200]


def test_empty_and_too_long_text_is_refused_with_a_clear_message() -> None:
    d = driver_for("full")
    message = d.refuse(ev.NoteAdded(note_id="n1", text=" \t\n "), "a note cannot be empty")
    assert message == "a note cannot be empty"
    message = d.refuse(ev.NoteAdded(note_id="n1", text="y" * (MAX_TEXT + 1)), "too long")
    assert message == f"a note is too long ({MAX_TEXT + 1} characters, at most {MAX_TEXT})"


def test_text_that_cannot_be_saved_is_refused() -> None:
    d = driver_for("full")
    d.refuse(ev.NoteAdded(note_id="n1", text="half a pair \ud800"), "cannot be saved")


def test_surrounding_whitespace_is_trimmed_but_inner_text_kept() -> None:
    d = driver_for("full")
    d.act(ev.NoteAdded(note_id="n1", text="  [b] x  y \n"))
    assert d.meeting.session_notes[0].text == "[b] x  y"


# --- InvalidAction changes nothing: a property ----------------------------------------------

MEMBERS = ("ada", "bea", "cy", "dee", "eve", "zed")
IDS = ("i1", "i2", "q1", "q2", "r1", "")
TEXTS = ("Good news", "[/]", "nul\x00", "", "x" * (MAX_TEXT + 1))
DATES = (None, "2026-02-01", "2025-01-01", "someday")
PHASES = (*FULL_KINDS, "bogus")


def resolve(choice: ev.Action | tuple[str, str], meeting: Meeting) -> ev.Action:
    """Actions whose values depend on the state (an order, an undo target)."""
    if isinstance(choice, ev.Action):
        return choice
    kind, mode = choice
    if kind == "undo":
        target = meeting.last_undoable()
        if mode == "last" and target is not None:
            return ev.Undo(target=target.seq)
        return ev.Undo(target=meeting.last_seq)
    order = meeting.up_next()
    if mode == "reverse":
        return ev.OrderShuffled(order=tuple(reversed(order)))
    if mode == "rotate":
        return ev.OrderShuffled(order=tuple(order[1:] + order[:1]))
    return ev.OrderShuffled(order=(*order, "ada"))


_members = st.sampled_from(MEMBERS)
_ids = st.sampled_from(IDS)
_texts = st.sampled_from(TEXTS)
_dates = st.sampled_from(DATES)

ACTIONS: st.SearchStrategy[ev.Action | tuple[str, str]] = st.one_of(
    st.just(ev.Next()),
    st.just(ev.Back()),
    st.sampled_from(PHASES).map(lambda p: ev.PhaseJumped(phase=p)),
    st.just(ev.TimerToggled()),
    st.sampled_from((60.0, -60.0, 0.0, 4000.0)).map(lambda s: ev.TimeAdjusted(seconds=s)),
    st.builds(
        ev.AttendanceMarked,
        member_id=_members,
        status=st.sampled_from(("present", "absent", "late", "gone")),
    ),
    st.builds(ev.MemberArrived, member_id=_members),
    st.builds(ev.MemberLeft, member_id=_members),
    st.tuples(st.just("shuffle"), st.sampled_from(("reverse", "rotate", "bad"))),
    st.just(ev.SpeakerPassed()),
    st.just(ev.SpeakerSkipped()),
    st.builds(ev.NoteAdded, note_id=_ids, text=_texts, private=st.booleans()),
    st.builds(
        ev.WinAdded,
        win_id=_ids,
        member_id=_members,
        kind=st.sampled_from(("grant", "bogus")),
        text=_texts,
        private=st.booleans(),
    ),
    st.builds(
        ev.CommitmentAdded,
        commitment_id=_ids,
        owner=_members,
        text=_texts,
        due=_dates,
        private=st.booleans(),
    ),
    st.builds(ev.PrivacyToggled, item_id=_ids),
    st.builds(
        ev.ReviewMarked,
        commitment_id=st.sampled_from(("r1", "r2", "zz")),
        status=st.sampled_from(("done", "renegotiated", "dropped", "bogus")),
        text=st.sampled_from((None, "New plan", " ")),
        due=_dates,
    ),
    st.builds(
        ev.AskAdded,
        ask_id=_ids,
        member_id=_members,
        text=_texts,
        wanted_seconds=st.sampled_from((600.0, 90.0, 0.0)),
        private=st.booleans(),
    ),
    st.builds(ev.AskVoted, ask_id=_ids, votes=st.sampled_from((0, 3, 100, -1))),
    st.builds(ev.AskMoved, ask_id=_ids, delta=st.sampled_from((-1, 1, 0, 5))),
    st.builds(ev.AsksSorted, by=st.sampled_from(("votes", "airtime", "asks", "bogus"))),
    st.builds(ev.AskStarted, ask_id=_ids),
    st.builds(
        ev.ExtensionVoted,
        votes_for=st.sampled_from((0, 3, 5)),
        voters=st.sampled_from((5, 5, 0)),
    ),
    st.builds(
        ev.AskEnded,
        outcome=st.sampled_from((None, "I will", "I will", "")),
        commitment_id=st.sampled_from((None, "c7", "c8", "i1")),
        helpers=st.sampled_from(((), ("bea",), ("bea", "cy"), ("zed",))),
        due=st.sampled_from((None, "2026-02-01", "someday")),
        private=st.booleans(),
    ),
    st.builds(ev.RatingGiven, member_id=_members, rating=st.sampled_from((0, 1, 7, 10, 11))),
    st.builds(ev.NextMeetingSet, date=st.sampled_from(("2026-01-27", "2025-12-01", "x", ""))),
    st.tuples(st.just("undo"), st.sampled_from(("last", "wrong"))),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), template=st.sampled_from(("full", "quick")))
def test_refused_actions_change_nothing_and_replay_rebuilds_the_state(
    data: st.DataObject, template: str
) -> None:
    commitments = [commitment_doc("r1", "ada"), commitment_doc("r2", "bea")]
    last = session_doc("s0", ["bea", "cy", "ada"], turn_seconds={"ada": 50.0})
    d = MeetingDriver(
        make_group(5), template=template, open_commitments=commitments, recent_sessions=[last]
    )
    # Start with two asks queued and somewhere in the agenda, so that every
    # phase (and an ask in the hot seat) is reached often.
    d.act(ev.AskAdded(ask_id="q1", member_id="ada", text="Startup package", wanted_seconds=120))
    d.act(ev.AskAdded(ask_id="q2", member_id="bea", text="Saying no"))
    start = data.draw(st.sampled_from(("opening", "updates", "asks", "commitments")), label="at")
    if start in [k.name for k in d.meeting.setup.template.kinds] and start != "opening":
        d.goto(start)
        if start == "asks":
            d.act(ev.Next())
    steps = data.draw(st.integers(min_value=1, max_value=40), label="steps")
    accepted = refused = 0
    for _ in range(steps):
        d.advance(data.draw(st.sampled_from((0.0, 1.0, 7.5, 45.0, 400.0)), label="wait"))
        if data.draw(st.integers(0, 40), label="end?") == 0:
            action: ev.Action = ev.SessionEnded()
        else:
            action = resolve(data.draw(ACTIONS, label="action"), d.meeting)
        before = snapshot(d.meeting, d.now)
        try:
            d.act(action)
        except InvalidAction as error:
            refused += 1
            assert snapshot(d.meeting, d.now) == before, f"refused {action} changed the state"
            assert str(error) and "\n" not in str(error)
        else:
            accepted += 1
            assert d.meeting.entries[-1].action == action
        check_invariants(d.meeting, d.now)
    assert accepted + refused == steps
    replayed = d.replayed()
    assert fold_state(replayed, d.now) == fold_state(d.meeting, d.now)
    if d.meeting.ended:
        assert session_record(replayed) == session_record(d.meeting)
