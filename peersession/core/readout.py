"""What the room reads off the clock: ONE computation of every timer line.

The big digits, the state word under them, the progress bar, the hot seat's
"used X of Y", the meeting's time left, the pace against the plan and the
talking-time line are all drawn from one :class:`Readout`, computed from the
meeting and ``now`` by :func:`compute_readout`. Nothing on screen rounds a
number of its own, so two lines can never disagree by a second.

Seconds are shown whole, counting down: the ceiling of what is left (00:00
only when time is up), and in overtime the same count with the sign turned
(``-00:13`` and "00:13 over" are the same figure).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pendulum import DateTime

from .budget import Budget
from .clock import local_time
from .durations import format_clock
from .engine import Meeting
from .phases import ASKS, UPDATES, PhaseKind
from .talking_time import fit_line, length_text
from .timebox import TimerState
from .words import plural

#: A shape and a word for each timer state, so it reads without colour.
STATE_SIGNS: dict[str, tuple[str, str]] = {
    "ready": ("·", "READY"),
    "running": ("▶", "RUNNING"),
    "warning": ("▲", "WRAP UP"),
    "overtime": ("■", "OVERTIME"),
    "paused": ("‖", "PAUSED"),
}

#: Within this many seconds of the plan, the meeting is "on plan".
ON_PLAN_SECONDS = 60.0


def whole_seconds(remaining: float) -> int:
    """The whole seconds a countdown shows for ``remaining`` (negative in overtime)."""
    if remaining >= 0:
        return math.ceil(remaining)
    return -math.ceil(-remaining)


def clock_face(seconds: int) -> str:
    """``04:59``, ``-01:20``, ``1:02:03`` for a whole number of seconds."""
    return format_clock(float(seconds))


def minutes_text(seconds: float) -> str:
    """A rounded, spoken length: ``3 min``, ``95 min``, ``under a minute``."""
    minutes = round(abs(seconds) / 60)
    return f"{minutes} min" if minutes else "under a minute"


def part_of_two(part: str) -> str:
    """An ask's part in the hot seat and where it stands: questions come first."""
    return "questions (1 of 2), no advice yet" if part == "questions" else "advice (2 of 2)"


@dataclass(frozen=True)
class HotSeat:
    """The ask in the hot seat, as the room sees it."""

    asker: str
    text: str
    private: bool
    #: ``questions`` or ``advice``.
    part: str
    #: Whole seconds used in this ask (both parts), and what it may use now
    #: (its two timeboxes as adjusted with +/- and granted extensions).
    used: int
    allowed: int
    #: Whole seconds left in this part.
    part_left: int
    extensions_granted: int
    extensions_refused: int

    @property
    def part_title(self) -> str:
        return "Clarifying questions" if self.part == "questions" else "Advice"

    @property
    def part_word(self) -> str:
        """The part in one word, for large type."""
        return "Questions" if self.part == "questions" else "Advice"

    @property
    def used_line(self) -> str:
        line = f"Used {clock_face(self.used)} of {clock_face(self.allowed)}"
        if self.extensions_granted:
            line += f" (with {plural(self.extensions_granted, 'extension')})"
        return line


@dataclass(frozen=True)
class Readout:
    """Every figure the room and the facilitator read off the clock."""

    phase: PhaseKind
    phase_title: str
    phase_number: int
    phase_count: int
    #: Who has the floor (a member's name), or None outside turns and asks.
    speaker: str | None
    #: What the countdown is for: "Turn 2 of 8", "Hot seat", "Opening timebox".
    heading: str
    state: TimerState
    #: Whole seconds shown by the digits; negative in overtime.
    seconds: int
    budget: int
    #: Share of the timebox used, 0.0 to 1.0 (1.0 in overtime).
    progress: float
    next_up: tuple[str, ...]
    hot_seat: HotSeat | None
    #: Whole seconds to the planned end (negative past it).
    meeting_left: int
    planned_end: DateTime
    #: Seconds behind the plan (negative: ahead).
    behind: float
    #: Seconds the Asks phase has left (see :func:`asks_left`), or None once it
    #: is over (or when the agenda has none).
    asks_left: float | None
    #: The per-speaker figures and where they come from, only in Updates.
    share_line: str | None
    hard_stop_warning: bool

    @property
    def digits(self) -> str:
        return clock_face(self.seconds)

    @property
    def shape(self) -> str:
        return STATE_SIGNS[self.state][0]

    @property
    def word(self) -> str:
        return STATE_SIGNS[self.state][1]

    @property
    def state_line(self) -> str:
        """The word and shape, and the same figure as the digits."""
        if self.state == "overtime":
            detail = f"{clock_face(-self.seconds)} over {clock_face(self.budget)}"
        elif self.state == "warning":
            detail = f"{clock_face(self.seconds)} left: time to wrap up"
        else:
            detail = f"of {clock_face(self.budget)}"
        return f"{self.shape} {self.word} · {detail}"

    @property
    def meeting_line(self) -> str:
        end = local_time(self.planned_end).format("HH:mm")
        if self.meeting_left < 0:
            return f"■ Meeting: {clock_face(-self.meeting_left)} past the planned end ({end})"
        # The hard-stop warning: a shape as well as the colour the view gives it.
        sign = "▲ " if self.hard_stop_warning else ""
        return f"{sign}Meeting: {clock_face(self.meeting_left)} left · ends {end}"

    @property
    def pace_line(self) -> str:
        """Where the meeting stands against its plan, and what that leaves the asks."""
        if abs(self.behind) < ON_PLAN_SECONDS:
            pace = "on plan"
        elif self.behind > 0:
            pace = f"{minutes_text(self.behind)} behind plan"
        else:
            pace = f"{minutes_text(self.behind)} ahead of plan"
        asks = self.asks_text
        return f"{pace} · {asks}" if asks else pace

    @property
    def asks_text(self) -> str | None:
        """The one figure of what the Asks phase has left, or None when it is over.

        Before the phase it is a forecast, in minutes; during it, its timebox
        ticking away, to the second (the clock between asks). It is said once
        on screen (in :attr:`pace_line`): the hot seat's own time is "used X
        of Y", a different figure.
        """
        if self.asks_left is None:
            return None
        if self.asks_left <= 0:
            return "no time left for asks"
        if self.phase is ASKS:
            return f"asks: {clock_face(whole_seconds(self.asks_left))} left"
        return f"asks: {minutes_text(self.asks_left)} left"


def compute_readout(meeting: Meeting, now: DateTime) -> Readout:
    """The readout of ``meeting`` at ``now`` (pure: reads the meeting, changes nothing)."""
    view = meeting.timer(now)
    budget = meeting.budget(now)
    seconds = whole_seconds(view.remaining)
    box_budget = math.ceil(view.budget)
    if meeting.untimed():
        # A phase with no timebox (the recap) counts up from zero, never "over".
        seconds, progress = whole_seconds(-view.remaining), 0.0
    elif view.state == "overtime" or box_budget <= 0:
        progress = 1.0
    else:
        progress = min(1.0, max(0.0, 1 - view.remaining / view.budget))
    return Readout(
        phase=meeting.phase,
        phase_title=meeting.phase.title,
        phase_number=meeting.phase_index + 1,
        phase_count=len(meeting.phases),
        speaker=_speaker(meeting),
        heading=_heading(meeting),
        state=view.state,
        seconds=seconds,
        budget=box_budget,
        progress=progress,
        next_up=tuple(_next_up(meeting)),
        hot_seat=_hot_seat(meeting, now),
        meeting_left=whole_seconds(budget.until_hard_stop),
        planned_end=budget.planned_end,
        behind=behind_plan(meeting, budget, now),
        asks_left=asks_left(meeting, budget, now),
        share_line=_share_line(meeting, budget),
        hard_stop_warning=budget.hard_stop_warning,
    )


def _speaker(meeting: Meeting) -> str | None:
    if meeting.phase is UPDATES and meeting.speaker:
        return meeting.name(meeting.speaker)
    if meeting.phase is ASKS and meeting.current_ask:
        return meeting.name(meeting.asks[meeting.current_ask].member_id)
    return None


def _heading(meeting: Meeting) -> str:
    if meeting.phase is UPDATES and meeting.speaker:
        done = sum(1 for t in meeting.turns.values() if t.finished)
        return f"Turn {done + 1} of {done + len(meeting.queue) + 1}"
    if meeting.phase is ASKS and meeting.current_ask:
        part = meeting.asks[meeting.current_ask].part
        return f"Hot seat · part {1 if part == 'questions' else 2} of 2"
    return f"{meeting.phase.title} timebox"


def _next_up(meeting: Meeting) -> list[str]:
    """Who takes the floor next, and after (members, or asks, or the next phase)."""
    if meeting.phase is UPDATES:
        names = [meeting.name(m) for m in meeting.queue]
        if names:
            return names
    elif meeting.phase is ASKS:
        names = [meeting.name(meeting.asks[a].member_id) for a in meeting.ask_queue]
        if names:
            return [f"{n} (ask)" for n in names]
    following = meeting.phases[meeting.phase_index + 1 :]
    return [p.kind.title for p in following]


def _hot_seat(meeting: Meeting, now: DateTime) -> HotSeat | None:
    if meeting.phase is not ASKS or meeting.current_ask is None:
        return None
    ask = meeting.asks[meeting.current_ask]
    boxes = [b for b in (ask.questions, ask.advice) if b is not None]
    active = ask.active_box
    granted = sum(1 for e in ask.extensions if e["granted"])
    return HotSeat(
        asker=meeting.name(ask.member_id),
        text=ask.text,
        private=ask.private,
        part=ask.part,
        used=whole_seconds(ask.seconds_used(now)) if ask.seconds_used(now) > 0 else 0,
        allowed=math.ceil(sum(b.budget for b in boxes)),
        part_left=whole_seconds(active.remaining(now)) if active else 0,
        extensions_granted=granted,
        extensions_refused=len(ask.extensions) - granted,
    )


def planned_lengths(meeting: Meeting, budget: Budget) -> list[float]:
    """The agenda's planned seconds for each phase, in order."""
    lengths = []
    for plan in meeting.phases:
        if plan.minutes is not None:
            lengths.append(plan.minutes * 60.0)
        elif plan.kind is UPDATES:
            lengths.append(budget.updates_seconds)
        else:
            lengths.append(budget.asks_seconds)
    return lengths


def behind_plan(meeting: Meeting, budget: Budget, now: DateTime) -> float:
    """Seconds the meeting is behind its plan (negative: ahead).

    The plan says when each phase should start. Where the meeting stands is
    the start of its current phase in the plan, plus the time spent in it so
    far (up to its planned length: a phase still inside its timebox is on
    plan). Time since the start minus that is how late it is. Slack later in
    the agenda does not count as "ahead": it has not been won yet.
    """
    lengths = planned_lengths(meeting, budget)
    index = meeting.phase_index
    in_phase = meeting.phase_boxes[index].elapsed(now)
    position = sum(lengths[:index]) + min(in_phase, lengths[index])
    return (now - meeting.started_at).total_seconds() - position


def asks_left(meeting: Meeting, budget: Budget, now: DateTime) -> float | None:
    """What the Asks phase has left: one figure, whatever the screen shows.

    Before the phase, what it can have if the meeting is to end on time: the
    time to the planned end, less the planned time of every other phase still
    to come (and what the current one still plans to take). In the phase, what
    its own timebox has left: the countdown the room sees between asks (so the
    line under the clock never says another figure than the clock).
    """
    kinds = [p.kind for p in meeting.phases]
    if ASKS not in kinds:
        return None
    asks_index = kinds.index(ASKS)
    index = meeting.phase_index
    if index > asks_index:
        return None
    if index == asks_index:
        return meeting.phase_boxes[index].remaining(now)
    lengths = planned_lengths(meeting, budget)
    others = sum(length for i, length in enumerate(lengths) if i > index and i != asks_index)
    box = meeting.phase_boxes[index]
    others += max(0.0, lengths[index] - box.elapsed(now))
    return budget.until_hard_stop - others


def _share_line(meeting: Meeting, budget: Budget) -> str | None:
    """Where the turn length comes from: only in Updates, where it applies."""
    if meeting.phase is not UPDATES:
        return None
    here = budget.present
    if budget.shares.rule == "requests":
        return _asked_line(meeting, budget)
    if meeting.setup.turn_seconds_override:
        return f"Turns of {format_clock(budget.turn_seconds)} (set in the settings)"
    line = (
        f"Turns of {format_clock(budget.turn_seconds)}: "
        f"{format_clock(budget.updates_seconds)} of updates ÷ {here} here"
    )
    if abs(budget.turn_seconds * max(1, here) - budget.updates_seconds) >= 1:
        template = meeting.setup.template
        line += (
            f" (kept between {format_clock(template.turn_min_seconds)}"
            f" and {format_clock(template.turn_max_seconds)})"
        )
    return line


def _asked_line(meeting: Meeting, budget: Budget) -> str:
    """Where this turn's length comes from under the ``requests`` rule."""
    shares = budget.shares
    speaker = meeting.speaker
    request = meeting.requests.get(speaker) if speaker else None
    if speaker is not None and request is not None and request.choice == "minutes":
        line = f"Asked for {length_text(request.seconds)} at the opening"
        given = meeting.turns[speaker].given
        if round(given) != request.seconds:
            line += f"; {format_clock(given)} to fit the time"
        return line
    if speaker is not None and request is not None and request.choice == "pass":
        short = format_clock(shares.turns.get(speaker, 0.0))
        return f"Passed at the opening: a short turn of {short}"
    if shares.sharing:
        return (
            f"Turns of {format_clock(budget.turn_seconds)}: "
            f"what the requests leave, shared by {shares.sharing}"
        )
    return f"Time asked for: {fit_line(shares)}"
