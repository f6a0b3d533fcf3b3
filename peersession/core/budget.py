"""The time budget: talking time per member, the turn timebox, ahead or behind.

As peer-mentoring groups do, talking time is shared equally among the members
present: what the meeting length leaves after the fixed phases (opening,
review, close...) divided by the number in the room. Each member's share is
split between their update turn and the asks pool (the template's
``update_share``). Everything is recomputed from the current attendance, so a
late arrival or an early leaver changes the next turns' timebox.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pendulum import DateTime

from .phases import ASKS, UPDATES
from .talking_time import Shares, split_talking

if TYPE_CHECKING:
    # The state calls the budget; the budget names the state only for mypy.
    from .state import MeetingState


@dataclass(frozen=True)
class Budget:
    length_seconds: float
    talking_seconds: float
    present: int
    #: Talking time each (the meeting's talking time ÷ members present).
    talk_per_member: float
    #: The per-speaker update timebox.
    turn_seconds: float
    updates_seconds: float
    asks_seconds: float
    planned_end: DateTime
    projected_end: DateTime
    #: Positive when the meeting runs late, negative when it is ahead.
    behind_seconds: float
    until_hard_stop: float
    hard_stop_warning: bool
    #: Each member's turn, and how the time asked for stands (``core/talking_time.py``).
    shares: Shares


def compute_budget(meeting: MeetingState, now: DateTime) -> Budget:
    setup = meeting.setup
    template = setup.template
    length = setup.length_minutes * 60.0
    fixed = sum(
        p.minutes * 60.0
        for p in template.phases
        if p.minutes is not None and not p.kind.shares_talking_time
    )
    talking = max(0.0, length - fixed)
    present = max(1, len(meeting.here))
    updates, asks = _share_talking(meeting, talking)
    shares = split_talking(
        meeting.present,
        meeting.requests,
        updates,
        asks,
        rule=setup.group.talking_time,
        turn_min=template.turn_min_seconds,
        turn_max=template.turn_max_seconds,
        override=setup.turn_seconds_override,
    )
    turn = shares.default_turn

    remaining = sum(
        _phase_remaining(meeting, index, now, shares, shares.asks)
        for index in range(meeting.phase_index, len(template.phases))
    )
    planned_end = meeting.started_at.add(seconds=length)
    projected_end = now.add(seconds=remaining)
    until_stop = (planned_end - now).total_seconds()
    return Budget(
        length_seconds=length,
        talking_seconds=talking,
        present=len(meeting.here),
        talk_per_member=talking / present,
        turn_seconds=turn,
        updates_seconds=shares.updates,
        asks_seconds=shares.asks,
        planned_end=planned_end,
        projected_end=projected_end,
        behind_seconds=(projected_end - planned_end).total_seconds(),
        until_hard_stop=until_stop,
        hard_stop_warning=(
            not meeting.ended and until_stop <= template.hard_stop_warning_minutes * 60
        ),
        shares=shares,
    )


def _share_talking(meeting: MeetingState, talking: float) -> tuple[float, float]:
    """Seconds for all update turns and for the asks pool.

    A shared phase the agenda pins to its own minutes keeps them; the
    unpinned ones share what is left of the talking time (``update_share`` of
    it to updates when both run).
    """
    template = meeting.setup.template
    pinned = {
        p.kind: p.minutes * 60.0
        for p in template.phases
        if p.kind.shares_talking_time and p.minutes is not None
    }
    free = max(0.0, talking - sum(pinned.values()))
    sharing = {k for k in (UPDATES, ASKS) if k in template.kinds and k not in pinned}
    updates = pinned.get(UPDATES, 0.0)
    asks = pinned.get(ASKS, 0.0)
    if sharing == {UPDATES, ASKS}:
        updates = free * template.update_share
        asks = free - updates
    elif sharing == {UPDATES}:
        updates = free
    elif sharing == {ASKS}:
        asks = free
    return updates, asks


def _phase_remaining(
    meeting: MeetingState, index: int, now: DateTime, shares: Shares, asks: float
) -> float:
    """Seconds the phase at ``index`` still needs, from ``now``."""
    plan = meeting.phases[index]
    current = index == meeting.phase_index
    if plan.kind is UPDATES:
        waiting = meeting.queue if meeting.updates_begun else meeting.up_next()
        total = 0.0
        for member_id in waiting:
            turn_state = meeting.turns.get(member_id)
            if turn_state is not None:
                total += max(0.0, turn_state.box.remaining(now))
            else:
                total += shares.turns.get(member_id, shares.default_turn)
        if current and meeting.speaker is not None:
            total += max(0.0, meeting.turns[meeting.speaker].box.remaining(now))
        return total
    if plan.kind is ASKS:
        queued = sum(
            max(0.0, meeting.asks[a].wanted - meeting.asks[a].seconds_used(now))
            for a in meeting.ask_queue
        )
        if not current:
            return max(asks, queued)
        if meeting.current_ask is not None:
            ask = meeting.asks[meeting.current_ask]
            box = ask.active_box
            queued += max(0.0, box.remaining(now)) if box else 0.0
            if ask.part == "questions" and ask.advice is not None:
                queued += ask.advice.remaining(now)
        return queued
    planned = (plan.minutes or 0.0) * 60.0
    if current:
        return max(0.0, meeting.phase_boxes[index].remaining(now))
    return planned
