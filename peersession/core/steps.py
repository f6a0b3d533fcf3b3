"""What a key does now: the engine answers, the screen asks.

``n`` ends a turn, moves an ask from questions to advice, asks for the ask's
outcome, moves on to the next phase after a question, or ends the session;
``p``, ``>`` and ``<`` likewise depend on where the meeting is. Each function
here looks at the meeting and returns one :data:`Step`; the meeting screen
matches on it (mypy checks that it handles every kind) and never works out a
rule of the meeting itself. The actions a step dispatches are applied by the
rules in :mod:`~peersession.core.turns`, which agree with these answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from . import events as ev
from .phases import ASKS, OPENING, UPDATES
from .time_requests import leaving_refusal, opening_question

if TYPE_CHECKING:
    from .state import MeetingState


@dataclass(frozen=True)
class Dispatch:
    """Journal ``action``, after a yes to ``confirm`` when there is one."""

    action: ev.Action
    #: What it does, in a few words ("next speaker", "on to Asks").
    says: str
    confirm: str | None = None


@dataclass(frozen=True)
class FinishAsk:
    """The ask in the hot seat is done: ask for its outcome (it becomes ``AskEnded``)."""

    says: str = "finish the ask"


@dataclass(frozen=True)
class EndSession:
    """The agenda is done: end the session and save it (confirmed first)."""

    says: str = "end and save"


@dataclass(frozen=True)
class Refuse:
    """Nothing to do: say why."""

    reason: str
    says: str = "nothing"


Step = Dispatch | FinishAsk | EndSession | Refuse


def next_step(meeting: MeetingState) -> Step:
    """What ``n`` does now."""
    if meeting.ended:
        return Refuse("the session has ended")
    if meeting.phase is UPDATES and meeting.speaker is not None:
        if meeting.queue:
            return Dispatch(ev.Next(), "next speaker")
        return _leave(meeting, "end the round")
    if meeting.phase is ASKS and meeting.current_ask is not None:
        if meeting.asks[meeting.current_ask].part == "questions":
            return Dispatch(ev.Next(), "on to advice")
        return FinishAsk()
    if meeting.phase is ASKS and meeting.ask_queue:
        return Dispatch(ev.Next(), "the top ask to the hot seat")
    return _leave(meeting)


def _leave(meeting: MeetingState, says: str | None = None) -> Step:
    following = meeting.neighbour(+1)
    if following is None:
        return EndSession()
    refusal = leaving_refusal(meeting)
    if refusal:
        return Refuse(refusal)
    question = meeting.phase.ask_before_leaving(meeting)
    if meeting.phase is OPENING:
        question = question or opening_question(meeting)
    return Dispatch(ev.Next(), says or f"on to {following.title}", confirm=question)


def back_step(meeting: MeetingState) -> Step:
    """What ``p`` does now."""
    if meeting.ended:
        return Refuse("the session has ended")
    if meeting.phase is UPDATES and meeting.speaker is not None:
        previous = meeting.previous_speaker()
        if previous is not None:
            return Dispatch(ev.Back(), f"back to {meeting.name(previous)}")
    elif meeting.phase is ASKS and meeting.current_ask is not None:
        if meeting.asks[meeting.current_ask].part == "advice":
            return Dispatch(ev.Back(), "back to questions")
        return Dispatch(ev.Back(), "the ask back to the queue")
    before = meeting.neighbour(-1)
    if before is None:
        return Refuse("this is the first phase")
    return Dispatch(ev.Back(), f"back to {before.title}")


def phase_step(meeting: MeetingState, step: int) -> Step:
    """What ``>`` (``step`` 1) and ``<`` (-1) do now: the neighbouring phase, whatever
    the turn or the ask (an unfinished one waits at the head of its queue)."""
    if meeting.ended:
        return Refuse("the session has ended")
    target = meeting.neighbour(step)
    if target is None:
        return Refuse(
            "this is the last phase: end the session to save it"
            if step > 0
            else "this is the first phase"
        )
    refusal = leaving_refusal(meeting) if step > 0 else None
    if refusal:
        return Refuse(refusal)
    return Dispatch(ev.PhaseJumped(phase=target.name), f"to {target.title}")


#: The attendance keys: here (or arrived), away (absent, or left), late (not here yet).
Mark = Literal["here", "away", "late"]


def attendance_action(meeting: MeetingState, member_id: str, mark: Mark) -> ev.Action:
    """What marking a member does now: at the roll call (the opening, before the round
    began) it sets their attendance; later, someone marked here arrived and someone
    marked away left."""
    if mark == "late":
        return ev.AttendanceMarked(member_id=member_id, status="late")
    roll_call = meeting.phase is OPENING and not meeting.updates_begun
    here = member_id in meeting.here
    if mark == "here":
        if here or roll_call:
            return ev.AttendanceMarked(member_id=member_id, status="present")
        return ev.MemberArrived(member_id=member_id)
    if not here or roll_call:
        return ev.AttendanceMarked(member_id=member_id, status="absent")
    return ev.MemberLeft(member_id=member_id)
