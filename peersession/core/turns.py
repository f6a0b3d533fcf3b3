"""Moving through the meeting: the agenda, the clock, attendance and speaking turns.

``next`` and ``back`` mean different things by phase (the next speaker, the
next part of an ask, the next phase); the rules for each live here, with
those for who is in the room and whose turn it is. Every rule is registered
with :func:`~peersession.core.handlers.handles`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendulum import DateTime

from . import events as ev
from .asks import back_to_queue, end_ask, start_ask, switch_part
from .errors import InvalidAction
from .handlers import handles
from .items import Turn
from .phases import ASKS, UPDATES
from .record_values import ATTENDANCE_STATUSES
from .time_requests import leaving_refusal
from .timebox import Timebox

if TYPE_CHECKING:
    from .state import MeetingState as Meeting

MAX_ADJUST_SECONDS = 3600.0


# -- the agenda ------------------------------------------------------------------


def enter_phase(meeting: Meeting, at: DateTime) -> None:
    """Start the phase at hand's clock (its timebox made on first entry)."""
    index = meeting.phase_index
    if index not in meeting.phase_boxes:
        meeting.phase_boxes[index] = Timebox(meeting.phase_budget_seconds(index))
    meeting.phase_boxes[index].start(at)
    if meeting.phase is UPDATES:
        if not meeting.updates_begun:
            meeting.updates_begun = True
            meeting.queue = [m for m in meeting.planned_order if m in meeting.here]
        if meeting.speaker is None:
            start_next_turn(meeting, at)


def leave_phase(meeting: Meeting, at: DateTime) -> None:
    """Stop the phase's clock; an unfinished turn or ask waits at the head of its queue."""
    meeting.phase_boxes[meeting.phase_index].stop(at)
    if meeting.phase is UPDATES and meeting.speaker is not None:
        meeting.turns[meeting.speaker].box.stop(at)
        meeting.queue.insert(0, meeting.speaker)
        meeting.speaker = None
    if meeting.phase is ASKS and meeting.current_ask is not None:
        back_to_queue(meeting, meeting.asks[meeting.current_ask], at)


def goto_phase(meeting: Meeting, index: int, at: DateTime) -> None:
    if index > meeting.phase_index:
        refusal = leaving_refusal(meeting)
        if refusal:
            raise InvalidAction(refusal)
    leave_phase(meeting, at)
    meeting.phase_index = index
    enter_phase(meeting, at)


def next_phase(meeting: Meeting, at: DateTime) -> None:
    if meeting.phase_index + 1 >= len(meeting.phases):
        raise InvalidAction("this is the last phase: end the session to save it")
    goto_phase(meeting, meeting.phase_index + 1, at)


def previous_phase(meeting: Meeting, at: DateTime) -> None:
    if meeting.phase_index == 0:
        raise InvalidAction("this is the first phase")
    goto_phase(meeting, meeting.phase_index - 1, at)


@handles(ev.Next)
def next_(meeting: Meeting, action: ev.Next, at: DateTime) -> None:
    if meeting.phase is UPDATES and meeting.speaker is not None:
        finish_turn(meeting, at)
        if not start_next_turn(meeting, at):
            next_phase(meeting, at)
    elif meeting.phase is ASKS and meeting.current_ask is not None:
        ask = meeting.asks[meeting.current_ask]
        if ask.part == "questions":
            switch_part(ask, "advice", at)
        else:
            end_ask(meeting, ask, at)
    elif meeting.phase is ASKS and meeting.ask_queue:
        start_ask(meeting, meeting.asks[meeting.ask_queue[0]], at)
    else:
        next_phase(meeting, at)


@handles(ev.Back)
def back(meeting: Meeting, action: ev.Back, at: DateTime) -> None:
    if meeting.phase is UPDATES and meeting.speaker is not None:
        previous = meeting.previous_speaker()
        if previous is None:
            previous_phase(meeting, at)
            return
        meeting.turns[meeting.speaker].box.stop(at)
        meeting.queue.insert(0, meeting.speaker)
        reopened = meeting.turns[previous]
        reopened.finished = False
        reopened.passed = False
        reopened.box.start(at)
        meeting.speaker = previous
    elif meeting.phase is ASKS and meeting.current_ask is not None:
        ask = meeting.asks[meeting.current_ask]
        if ask.part == "advice":
            switch_part(ask, "questions", at)
        else:
            back_to_queue(meeting, ask, at)
    else:
        previous_phase(meeting, at)


@handles(ev.PhaseJumped)
def phase_jumped(meeting: Meeting, action: ev.PhaseJumped, at: DateTime) -> None:
    names = [p.kind.name for p in meeting.phases]
    if action.phase not in names:
        raise InvalidAction(f"this session's agenda has no {action.phase} phase")
    index = names.index(action.phase)
    if index == meeting.phase_index:
        raise InvalidAction(f"already in {action.phase}")
    goto_phase(meeting, index, at)


@handles(ev.TimerToggled)
def timer_toggled(meeting: Meeting, action: ev.TimerToggled, at: DateTime) -> None:
    meeting.active_box().toggle_pause(at)


@handles(ev.TimeAdjusted)
def time_adjusted(meeting: Meeting, action: ev.TimeAdjusted, at: DateTime) -> None:
    if not -MAX_ADJUST_SECONDS <= action.seconds <= MAX_ADJUST_SECONDS or not action.seconds:
        raise InvalidAction("adjust by up to an hour at a time")
    meeting.active_box().adjust(action.seconds)


# -- attendance ------------------------------------------------------------------


@handles(ev.AttendanceMarked)
def attendance_marked(meeting: Meeting, action: ev.AttendanceMarked, at: DateTime) -> None:
    member_id = action.member_id
    meeting.check_member(member_id)
    if action.status not in ATTENDANCE_STATUSES:
        raise InvalidAction(f"attendance is one of {', '.join(ATTENDANCE_STATUSES)}")
    meeting.attendance[member_id] = action.status
    if action.status == "present":
        arrive(meeting, member_id, at)
        return
    # Absent, or late and not here yet.
    depart(meeting, member_id, at)
    meeting.left.discard(member_id)
    # Called to speak but never here (an agenda that opens with updates): they
    # did not speak, so they take no turn and do not count as attending. A
    # turn with time or notes is kept.
    turn = meeting.turns.get(member_id)
    if turn is not None and not turn.notes and turn.box.elapsed(at) == 0:
        del meeting.turns[member_id]
        meeting.spoken.remove(member_id)


@handles(ev.MemberArrived)
def member_arrived(meeting: Meeting, action: ev.MemberArrived, at: DateTime) -> None:
    meeting.check_member(action.member_id)
    if action.member_id in meeting.here:
        raise InvalidAction(f"{meeting.name(action.member_id)} is already here")
    if meeting.attendance[action.member_id] != "present":
        meeting.attendance[action.member_id] = "late"
    arrive(meeting, action.member_id, at)


@handles(ev.MemberLeft)
def member_left(meeting: Meeting, action: ev.MemberLeft, at: DateTime) -> None:
    meeting.check_member(action.member_id)
    if action.member_id not in meeting.here:
        raise InvalidAction(f"{meeting.name(action.member_id)} is not here")
    depart(meeting, action.member_id, at)
    meeting.left.add(action.member_id)


@handles(ev.GuestArrived)
def guest_arrived(meeting: Meeting, action: ev.GuestArrived, at: DateTime) -> None:
    from .setup import guest_members

    if not action.guest_id or any(m.id == action.guest_id for m in meeting.setup.group.members):
        raise InvalidAction("a new guest needs an id of their own")
    try:
        (guest,) = guest_members(meeting.setup.group, [(action.guest_id, action.name)])
    except ValueError as error:
        raise InvalidAction(str(error)) from None
    meeting.setup = meeting.setup.with_guest(guest)
    meeting.attendance[guest.id] = "present"
    meeting.planned_order.append(guest.id)
    arrive(meeting, guest.id, at)


def arrive(meeting: Meeting, member_id: str, at: DateTime) -> None:
    meeting.here.add(member_id)
    meeting.left.discard(member_id)
    waiting = member_id in meeting.queue or member_id == meeting.speaker
    # A member who stepped out before finishing (never called, or skipped to
    # the end) gets their turn back; a finished turn is not repeated.
    turn = meeting.turns.get(member_id)
    finished = turn is not None and turn.finished
    if meeting.updates_begun and not waiting and not finished:
        meeting.queue.append(member_id)
        if meeting.phase is UPDATES and meeting.speaker is None:
            start_next_turn(meeting, at)


def depart(meeting: Meeting, member_id: str, at: DateTime) -> None:
    meeting.here.discard(member_id)
    if member_id in meeting.queue:
        meeting.queue.remove(member_id)
    if meeting.speaker == member_id:
        finish_turn(meeting, at)
        start_next_turn(meeting, at)


# -- speaking turns --------------------------------------------------------------


@handles(ev.OrderShuffled)
def order_shuffled(meeting: Meeting, action: ev.OrderShuffled, at: DateTime) -> None:
    remaining = meeting.up_next()
    if len(remaining) < 2:
        raise InvalidAction("fewer than two members still to speak: nothing to shuffle")
    if sorted(action.order) != sorted(remaining):
        raise InvalidAction("a new order must list exactly the members still to speak")
    if meeting.updates_begun:
        meeting.queue = list(action.order)
    else:
        others = [m for m in meeting.planned_order if m not in action.order]
        meeting.planned_order = list(action.order) + others


@handles(ev.SpeakerPassed)
def speaker_passed(meeting: Meeting, action: ev.SpeakerPassed, at: DateTime) -> None:
    if meeting.phase is not UPDATES or meeting.speaker is None:
        raise InvalidAction("nobody is speaking")
    meeting.turns[meeting.speaker].passed = True
    finish_turn(meeting, at)
    if not start_next_turn(meeting, at):
        next_phase(meeting, at)


@handles(ev.SpeakerSkipped)
def speaker_skipped(meeting: Meeting, action: ev.SpeakerSkipped, at: DateTime) -> None:
    if meeting.phase is not UPDATES or meeting.speaker is None:
        raise InvalidAction("nobody is speaking")
    if not meeting.queue:
        raise InvalidAction("nobody else is waiting: pass instead")
    meeting.turns[meeting.speaker].box.stop(at)
    meeting.queue.append(meeting.speaker)
    meeting.speaker = None
    start_next_turn(meeting, at)


def start_next_turn(meeting: Meeting, at: DateTime) -> bool:
    """The head of the queue takes the floor; False when nobody is waiting."""
    if not meeting.queue:
        return False
    member_id = meeting.queue.pop(0)
    turn = meeting.turns.get(member_id)
    if turn is None:
        # The member's own share: the same for all, or what they asked for.
        given = meeting.turn_seconds_for(member_id)
        turn = Turn(member_id, Timebox(given), given=given)
        meeting.turns[member_id] = turn
    if member_id in meeting.spoken:
        meeting.spoken.remove(member_id)
    meeting.spoken.append(member_id)
    turn.finished = False
    turn.box.start(at)
    meeting.speaker = member_id
    return True


def finish_turn(meeting: Meeting, at: DateTime) -> None:
    assert meeting.speaker is not None
    turn = meeting.turns[meeting.speaker]
    turn.box.stop(at)
    turn.finished = True
    meeting.speaker = None
