"""What a key does now is the engine's answer (core/steps.py), and its rules agree.

The meeting screen matches on ``Meeting.next_step()`` and its kin; these tests
hold the answers to what the meeting is, and walk whole meetings taking them,
so a step that dispatches an action the rules then refuse cannot go unseen.
"""

from __future__ import annotations

import pytest

from peersession.core import events as ev
from peersession.core.ids import new_id
from peersession.core.steps import (
    Dispatch,
    EndSession,
    FinishAsk,
    Refuse,
    Step,
    attendance_action,
)

from engine_support import MeetingDriver, check_invariants, make_group


def dispatched(step: Step) -> ev.Action:
    assert isinstance(step, Dispatch), step
    return step.action


def add_ask(d: MeetingDriver, member: str = "bea") -> str:
    ask_id = new_id()
    d.act(
        ev.AskAdded(ask_id=ask_id, member_id=member, text="Help", wanted_seconds=600, private=False)
    )
    return ask_id


def test_n_in_the_round_is_the_next_speaker_then_the_end_of_the_round() -> None:
    d = MeetingDriver(make_group(2))
    d.goto("updates")
    step = d.meeting.next_step()
    assert step == Dispatch(ev.Next(), "next speaker")
    d.act(dispatched(step), after_seconds=30)
    last = d.meeting.next_step()
    assert last == Dispatch(ev.Next(), "end the round")
    d.act(dispatched(last), after_seconds=30)
    assert d.meeting.phase.name == "asks"


def test_n_in_the_hot_seat_moves_to_advice_then_asks_for_the_outcome() -> None:
    d = MeetingDriver(make_group(3))
    add_ask(d)
    d.goto("asks")
    assert d.meeting.next_step() == Dispatch(ev.Next(), "the top ask to the hot seat")
    d.act(ev.Next())
    assert d.meeting.next_step() == Dispatch(ev.Next(), "on to advice")
    d.act(ev.Next(), after_seconds=60)
    # Advice is the last part: the key asks for what the asker will do.
    assert d.meeting.next_step() == FinishAsk()
    assert d.meeting.back_step() == Dispatch(ev.Back(), "back to questions")
    d.act(ev.AskEnded(outcome=None, commitment_id=None, due=None, helpers=(), private=False))
    assert d.meeting.next_step() == Dispatch(ev.Next(), "on to Commitments")


def test_moving_on_from_commitments_asks_first_naming_who_has_none() -> None:
    d = MeetingDriver(make_group(3))
    d.goto("commitments")
    step = d.meeting.next_step()
    assert isinstance(step, Dispatch) and step.action == ev.Next()
    assert step.confirm == "Ada, Bea, Cy have no commitment yet. Move on anyway?"
    for owner in ("ada", "bea"):
        d.act(
            ev.CommitmentAdded(
                commitment_id=new_id(), owner=owner, text="Write", due=None, private=False
            )
        )
    step = d.meeting.next_step()
    assert (
        isinstance(step, Dispatch) and step.confirm == "Cy has no commitment yet. Move on anyway?"
    )
    d.act(
        ev.CommitmentAdded(
            commitment_id=new_id(), owner="cy", text="Write", due=None, private=False
        )
    )
    assert d.meeting.next_step() == Dispatch(ev.Next(), "on to Close")


def test_n_at_the_recap_ends_the_session_and_the_ends_of_the_agenda_refuse() -> None:
    d = MeetingDriver(make_group(3))
    assert d.meeting.back_step() == Refuse("this is the first phase")
    assert d.meeting.phase_step(-1) == Refuse("this is the first phase")
    assert d.meeting.phase_step(+1) == Dispatch(ev.PhaseJumped(phase="wins"), "to Wins")
    d.goto("recap")
    assert d.meeting.next_step() == EndSession()
    assert d.meeting.phase_step(+1) == Refuse("this is the last phase: end the session to save it")
    assert d.meeting.phase_step(-1) == Dispatch(ev.PhaseJumped(phase="close"), "to Close")
    d.act(ev.SessionEnded())
    for step in (d.meeting.next_step(), d.meeting.back_step(), d.meeting.phase_step(1)):
        assert step == Refuse("the session has ended")


def test_p_goes_back_a_speaker_then_a_phase() -> None:
    d = MeetingDriver(make_group(3))
    d.goto("updates")
    assert d.meeting.back_step() == Dispatch(ev.Back(), "back to Review")
    d.act(ev.Next(), after_seconds=20)
    assert d.meeting.back_step() == Dispatch(ev.Back(), "back to Ada")
    d.act(ev.Back())
    assert d.meeting.speaker == "ada"


def test_a_mark_is_the_roll_call_at_the_opening_and_an_arrival_after() -> None:
    d = MeetingDriver(make_group(3))
    absent = attendance_action(d.meeting, "cy", "away")
    assert absent == ev.AttendanceMarked(member_id="cy", status="absent")
    d.act(absent)
    assert attendance_action(d.meeting, "cy", "here") == ev.AttendanceMarked(
        member_id="cy", status="present"
    )
    d.goto("updates")
    assert attendance_action(d.meeting, "cy", "here") == ev.MemberArrived(member_id="cy")
    assert attendance_action(d.meeting, "bea", "away") == ev.MemberLeft(member_id="bea")
    assert attendance_action(d.meeting, "bea", "late") == ev.AttendanceMarked(
        member_id="bea", status="late"
    )


@pytest.mark.parametrize("template", ["full", "quick"])
def test_taking_every_step_runs_the_whole_agenda_and_no_rule_refuses_one(template: str) -> None:
    """n pressed again and again (yes to every question, each outcome left empty)
    walks the agenda to its end; every action a step dispatches is accepted."""
    d = MeetingDriver(make_group(4), template=template)
    add_ask(d, "ada")
    add_ask(d, "cy")
    seen = [d.meeting.phase.name]
    for _ in range(100):
        step = d.meeting.next_step()
        if isinstance(step, EndSession):
            break
        if isinstance(step, FinishAsk):
            action: ev.Action = ev.AskEnded(
                outcome=None, commitment_id=None, due=None, helpers=(), private=False
            )
        else:
            action = dispatched(step)
        d.act(action, after_seconds=45)
        check_invariants(d.meeting, d.now)
        if d.meeting.phase.name != seen[-1]:
            seen.append(d.meeting.phase.name)
    assert seen == [p.kind.name for p in d.meeting.phases]
    assert d.meeting.phase.name == "recap"
    if template == "full":
        assert all(ask.part == "done" for ask in d.meeting.asks.values())
