"""The hot seat: asks queued, voted on, run in two parts, extended and finished.

An ask runs its clarifying questions first, then advice (the template's
``question_share`` of the time it wants goes to questions). A vote may extend
the running part when it is ending, each extension shorter than the last.
Every rule here is registered with :func:`~peersession.core.handlers.handles`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendulum import DateTime

from . import events as ev
from .durations import format_clock
from .errors import InvalidAction
from .handlers import handles
from .items import Ask, AskPart, Commitment
from .phases import ASKS
from .timebox import Timebox

if TYPE_CHECKING:
    from .state import MeetingState as Meeting

MAX_ASK_SECONDS = 2 * 3600.0


def _is_whole(value: object) -> bool:
    """A whole number typed as one (``True`` and ``7.5`` are not counts)."""
    return isinstance(value, int) and not isinstance(value, bool)


@handles(ev.AskAdded)
def ask_added(meeting: Meeting, action: ev.AskAdded, at: DateTime) -> None:
    meeting.check_member(action.member_id)
    text = meeting.clean(action.text, "an ask")
    meeting.check_new_id(action.ask_id)
    if not 0 < action.wanted_seconds <= MAX_ASK_SECONDS:
        raise InvalidAction("an ask wants between a few seconds and two hours")
    meeting.asks[action.ask_id] = Ask(
        action.ask_id, action.member_id, text, action.wanted_seconds, action.private, at
    )
    meeting.ask_queue.append(action.ask_id)


def queued_ask(meeting: Meeting, ask_id: str) -> Ask:
    if ask_id not in meeting.ask_queue:
        raise InvalidAction("that ask is not in the queue")
    return meeting.asks[ask_id]


@handles(ev.AskVoted)
def ask_voted(meeting: Meeting, action: ev.AskVoted, at: DateTime) -> None:
    ask = queued_ask(meeting, action.ask_id)
    if not _is_whole(action.votes) or not 0 <= action.votes <= 99:
        raise InvalidAction("votes are a count from 0 to 99")
    ask.votes = action.votes


@handles(ev.AskMoved)
def ask_moved(meeting: Meeting, action: ev.AskMoved, at: DateTime) -> None:
    queued_ask(meeting, action.ask_id)
    queue = meeting.ask_queue
    index = queue.index(action.ask_id)
    target = max(0, min(len(queue) - 1, index + action.delta))
    if target == index:
        raise InvalidAction("that ask cannot move further")
    queue.insert(target, queue.pop(index))


@handles(ev.AsksSorted)
def asks_sorted(meeting: Meeting, action: ev.AsksSorted, at: DateTime) -> None:
    asks = meeting.asks
    if action.by == "votes":
        meeting.ask_queue.sort(key=lambda a: -asks[a].votes)
    elif action.by == "airtime":
        ledger = meeting.setup.airtime

        def airtime(ask_id: str) -> float:
            member = asks[ask_id].member_id
            return ledger.get(member, 0.0) + meeting.airtime(member, at)

        meeting.ask_queue.sort(key=airtime)
    elif action.by == "asks":
        done_here: dict[str, int] = {}
        for ask in asks.values():
            if ask.part == "done":
                done_here[ask.member_id] = done_here.get(ask.member_id, 0) + 1

        def asks_lately(ask_id: str) -> int:
            member = asks[ask_id].member_id
            return meeting.setup.recent_asks.get(member, 0) + done_here.get(member, 0)

        meeting.ask_queue.sort(key=asks_lately)
    else:
        raise InvalidAction("sort asks by votes, airtime or asks")


@handles(ev.AskStarted)
def ask_started(meeting: Meeting, action: ev.AskStarted, at: DateTime) -> None:
    if meeting.phase is not ASKS:
        raise InvalidAction("asks run in the Asks phase")
    if meeting.current_ask is not None:
        raise InvalidAction("another ask is in the hot seat: finish it first")
    start_ask(meeting, queued_ask(meeting, action.ask_id), at)


def start_ask(meeting: Meeting, ask: Ask, at: DateTime) -> None:
    """Put a queued ask in the hot seat (its questions first, or where it was left)."""
    meeting.ask_queue.remove(ask.id)
    if ask.questions is None:
        share = meeting.setup.template.question_share
        ask.questions = Timebox(ask.wanted * share)
        ask.advice = Timebox(ask.wanted - ask.wanted * share)
    if ask.part == "queued":
        ask.part = "questions"
    box = ask.active_box
    assert box is not None
    box.start(at)
    meeting.current_ask = ask.id


def switch_part(ask: Ask, part: AskPart, at: DateTime) -> None:
    """From questions to advice (or back): one clock stops, the other runs."""
    box = ask.active_box
    assert box is not None
    box.stop(at)
    ask.part = part
    new_box = ask.active_box
    assert new_box is not None
    new_box.start(at)


def back_to_queue(meeting: Meeting, ask: Ask, at: DateTime) -> None:
    """Leave the hot seat unfinished: the ask waits at the head of the queue."""
    box = ask.active_box
    if box is not None:
        box.stop(at)
    meeting.ask_queue.insert(0, ask.id)
    meeting.current_ask = None


def extension_refusal(meeting: Meeting, now: DateTime) -> str | None:
    """Why a vote to extend cannot be taken now, saying when it can; None when it can.

    The screen asks this before it asks for the votes, so nobody types votes
    that are then refused.
    """
    if meeting.phase is not ASKS or meeting.current_ask is None:
        return "extensions are voted on a running ask"
    ask = meeting.asks[meeting.current_ask]
    template = meeting.setup.template
    granted = sum(1 for e in ask.extensions if e["granted"])
    if granted >= len(template.extensions_minutes):
        return "no extensions left for this ask: time to move on"
    box = ask.active_box
    assert box is not None
    window = box.warn_threshold(template.warn_share, template.warn_max_seconds)
    left = box.remaining(now)
    if left > window:
        return (
            f"a vote to extend opens in the last {format_clock(window)} of this part "
            f"({format_clock(left)} left now)"
        )
    return None


@handles(ev.ExtensionVoted)
def extension_voted(meeting: Meeting, action: ev.ExtensionVoted, at: DateTime) -> None:
    if meeting.phase is not ASKS or meeting.current_ask is None:
        raise InvalidAction("extensions are voted on a running ask")
    if not 0 <= action.votes_for <= action.voters or action.voters < 1:
        raise InvalidAction("thumbs up must be between 0 and the number of voters")
    refusal = extension_refusal(meeting, at)
    if refusal:
        raise InvalidAction(refusal)
    assert meeting.current_ask is not None
    ask = meeting.asks[meeting.current_ask]
    steps = meeting.setup.template.extensions_minutes
    minutes = steps[sum(1 for e in ask.extensions if e["granted"])]
    granted = action.votes_for * 2 > action.voters
    ask.extensions.append(
        {
            "minutes": minutes,
            "votes_for": action.votes_for,
            "voters": action.voters,
            "granted": granted,
            "at": at.isoformat(),
        }
    )
    box = ask.active_box
    if granted and box is not None:
        box.adjust(minutes * 60)


@handles(ev.AskEnded)
def ask_ended(meeting: Meeting, action: ev.AskEnded, at: DateTime) -> None:
    if meeting.current_ask is None:
        raise InvalidAction("no ask is in the hot seat")
    asker = meeting.asks[meeting.current_ask].member_id
    for helper in action.helpers:
        meeting.check_member(helper)
        if helper == asker:
            raise InvalidAction("the asker cannot be their own helper")
    if len(set(action.helpers)) != len(action.helpers):
        raise InvalidAction("each helper is named once")
    outcome = meeting.clean(action.outcome, "an outcome") if action.outcome else None
    if outcome and asker in meeting.setup.guest_ids:
        # The outcome would be the guest's commitment, and nobody would review it.
        raise InvalidAction("a guest makes no commitment: no later session would review it")
    if outcome and not action.commitment_id:
        raise InvalidAction("an outcome needs a commitment id")
    if action.commitment_id:
        meeting.check_new_id(action.commitment_id)
    due = meeting.check_date(action.due)
    if action.goal_id is not None and (
        not outcome or all(g.goal_id != action.goal_id for g in meeting.setup.goals_of(asker))
    ):
        raise InvalidAction("an outcome serves one of the asker's active goals, or none")
    ask = meeting.asks[meeting.current_ask]
    ask.helpers = tuple(action.helpers)
    end_ask(
        meeting,
        ask,
        at,
        outcome=outcome,
        commitment_id=action.commitment_id if outcome else None,
        due=due,
        private=action.private,
        goal_id=action.goal_id,
    )


def end_ask(
    meeting: Meeting,
    ask: Ask,
    at: DateTime,
    *,
    outcome: str | None = None,
    commitment_id: str | None = None,
    due: str | None = None,
    private: bool = False,
    goal_id: str | None = None,
) -> None:
    """Close the hot seat; an outcome becomes the asker's commitment."""
    box = ask.active_box
    if box is not None:
        box.stop(at)
    ask.part = "done"
    ask.outcome = outcome
    if outcome and commitment_id:
        ask.commitment_id = commitment_id
        meeting.commitments[commitment_id] = Commitment(
            commitment_id, ask.member_id, outcome, due, private or ask.private, ask.id, at, goal_id
        )
    meeting.current_ask = None
