"""The state of a live meeting, and how to read it.

:class:`MeetingState` holds everything a session has come to (who is here,
whose turn, the asks, what was noted and committed) and answers questions
about it. It changes only through the rules registered in
:mod:`~peersession.core.turns`, :mod:`~peersession.core.asks` and
:mod:`~peersession.core.minutes`, which :class:`~peersession.core.engine.Meeting`
runs as it folds the journal. Keeping the state apart from the fold lets the
rules name it without importing the engine that imports them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pendulum import DateTime

from . import events as ev
from .budget import Budget, compute_budget
from .errors import InvalidAction
from .free_text import clean_text
from .health import QUESTIONS, is_check_session
from .items import Ask, Commitment, GoalReview, Note, NotePart, Review, TimerView, Turn, Win
from .model import parse_date_doc
from .phases import ASKS, RECAP, UPDATES, PhaseKind
from .record_values import AttendanceStatus, HealthQuestion
from .setup import GoalOption, MeetingSetup, ReviewItem
from .talking_time import Request, Shares
from .templates import PhasePlan
from .timebox import Timebox
from .years import FIRST_YEAR, LAST_YEAR, readable_year


@dataclass(frozen=True)
class NoteTarget:
    """Where a note taken now goes (the rule files it there; the form says so)."""

    part: NotePart
    #: Whose turn or ask it is on (None: the session at large).
    member_id: str | None
    #: The same in words, for the note's form.
    where: str


class MeetingState:
    """One live session's state (set by ``Meeting``; changed only by the rules)."""

    setup: MeetingSetup
    started_at: DateTime
    entries: list[ev.Entry]
    undone: set[int]
    #: Dates typed in the meeting may not be before this day (ISO).
    session_day: str
    phase_index: int
    phase_boxes: dict[int, Timebox]
    attendance: dict[str, AttendanceStatus]
    here: set[str]
    left: set[str]
    planned_order: list[str]
    updates_begun: bool
    queue: list[str]
    turns: dict[str, Turn]
    spoken: list[str]
    speaker: str | None
    asks: dict[str, Ask]
    ask_queue: list[str]
    current_ask: str | None
    commitments: dict[str, Commitment]
    wins: list[Win]
    reviews: dict[str, Review]
    #: Earlier commitments whose privacy was changed in this session.
    review_privacy: dict[str, bool]
    ratings: dict[str, int]
    session_notes: list[Note]
    next_meeting: str | None
    ended_at: DateTime | None
    #: Who holds each role this session, in the group's role order.
    roles: dict[str, str]
    # -- time asked for (core/talking_time.py, rules in core/time_requests.py) --
    #: What each member said in the opening's round (the ``requests`` rule).
    requests: dict[str, Request]
    #: The facilitator accepted scaling requests that do not fit.
    requests_scaled: bool
    # -- the group's own review (issue 25) --
    #: The health check, named: member id → question → score.
    health_scores: dict[str, dict[HealthQuestion, int]]
    #: The health check, anonymous: question → how many gave 1..5.
    health_counts: dict[HealthQuestion, list[int]]
    #: Goal id → where it stands, said at the goals review.
    goal_reviews: dict[str, GoalReview]

    # -- reading -------------------------------------------------------------

    @property
    def session_id(self) -> str:
        return self.setup.session_id

    @property
    def phases(self) -> tuple[PhasePlan, ...]:
        return self.setup.template.phases

    @property
    def phase(self) -> PhaseKind:
        return self.phases[self.phase_index].kind

    @property
    def ended(self) -> bool:
        return self.ended_at is not None

    @property
    def last_seq(self) -> int:
        return self.entries[-1].seq if self.entries else 0

    def name(self, member_id: str) -> str:
        return self.setup.group.name_of(member_id)

    @property
    def present(self) -> list[str]:
        """Members in the room now, in group order."""
        return [m.id for m in self.setup.group.members if m.id in self.here]

    @property
    def attended(self) -> list[str]:
        """Members who were in the room at any point (present, or late and arrived)."""
        return [
            m.id
            for m in self.setup.group.members
            if m.id in self.here or m.id in self.left or m.id in self.turns
        ]

    def up_next(self) -> list[str]:
        """Who speaks after the current speaker (or in what order, before updates)."""
        if self.updates_begun:
            return list(self.queue)
        return [m for m in self.planned_order if m in self.here]

    def previous_speaker(self) -> str | None:
        """The last finished speaker still in the room (a leaver's turn stays closed)."""
        finished = [
            m
            for m in self.spoken
            if m != self.speaker and self.turns[m].finished and m in self.here
        ]
        return finished[-1] if finished else None

    @property
    def roles_too_small(self) -> str | None:
        """The one line saying someone holds two roles (a group smaller than its roles)."""
        from .roles import too_small_line

        members = [m for m in self.setup.group.members if not m.guest]
        return too_small_line(len(self.roles), len(members))

    def budget(self, now: DateTime) -> Budget:
        return compute_budget(self, now)

    def turn_seconds(self) -> float:
        """The per-speaker timebox for turns that have not started yet."""
        return compute_budget(self, self.started_at).turn_seconds

    def shares(self) -> Shares:
        """The talking time shared out among the members here now."""
        return compute_budget(self, self.started_at).shares

    def turn_seconds_for(self, member_id: str) -> float:
        """The timebox ``member_id``'s turn gets if it starts now (their share)."""
        budget = compute_budget(self, self.started_at)
        return budget.shares.turns.get(member_id, budget.turn_seconds)

    def neighbour(self, step: int) -> PhaseKind | None:
        """The phase ``step`` places along the agenda (-1: the one before), or None."""
        index = self.phase_index + step
        return self.phases[index].kind if 0 <= index < len(self.phases) else None

    def reached(self, kind: PhaseKind) -> bool:
        """Whether this session has been in a phase of ``kind`` at all."""
        return any(p.kind is kind and i in self.phase_boxes for i, p in enumerate(self.phases))

    def note_target(self) -> NoteTarget:
        """A note belongs where it is taken: to the speaker's update, to the part of
        the ask in the hot seat (and so to the asker), or to the session."""
        if self.phase is UPDATES and self.speaker is not None:
            name = self.name(self.speaker)
            return NoteTarget("update", self.speaker, f"On {name}'s update")
        if self.phase is ASKS and self.current_ask is not None:
            ask = self.asks[self.current_ask]
            name = self.name(ask.member_id)
            if ask.part == "advice":
                return NoteTarget(
                    "advice", ask.member_id, f"On {name}'s ask: advice (labelled so in the recap)"
                )
            return NoteTarget(
                "questions",
                ask.member_id,
                f"On {name}'s ask: a question (labelled so in the recap)",
            )
        return NoteTarget("session", None, "On the session")

    def asks_done(self) -> int:
        """Asks that have left the hot seat finished."""
        return sum(1 for ask in self.asks.values() if ask.part == "done")

    def active_box(self) -> Timebox:
        """The timebox that space, + and - act on."""
        if self.phase is UPDATES and self.speaker is not None:
            return self.turns[self.speaker].box
        if self.phase is ASKS and self.current_ask is not None:
            box = self.asks[self.current_ask].active_box
            if box is not None:
                return box
        return self.phase_boxes[self.phase_index]

    def timer(self, now: DateTime) -> TimerView:
        box = self.active_box()
        template = self.setup.template
        if self.phase is UPDATES and self.speaker is not None:
            label = self.name(self.speaker)
        elif self.phase is ASKS and self.current_ask is not None:
            ask = self.asks[self.current_ask]
            part = "clarifying questions" if ask.part == "questions" else "advice"
            label = f"{self.name(ask.member_id)}: {part}"
        else:
            label = self.phase.title
        state = box.state(now, warn_share=template.warn_share, warn_cap=template.warn_max_seconds)
        if self.untimed() and state != "paused":
            # A phase with no timebox (the recap) is never in overtime.
            state = "running"
        return TimerView(label=label, remaining=box.remaining(now), budget=box.budget, state=state)

    def untimed(self) -> bool:
        """Whether the phase at hand has no timebox to keep (a 0-minute phase, the recap)."""
        plan = self.phases[self.phase_index]
        return plan.minutes == 0 and self.active_box() is self.phase_boxes[self.phase_index]

    def airtime(self, member_id: str, now: DateTime) -> float:
        """Seconds a member has spoken this session (turn and asks)."""
        total = 0.0
        turn = self.turns.get(member_id)
        if turn:
            total += turn.box.elapsed(now)
        for ask in self.asks.values():
            if ask.member_id == member_id:
                total += ask.seconds_used(now)
        return total

    def commitments_of(self, member_id: str) -> list[Commitment]:
        return [c for c in self.commitments.values() if c.owner == member_id]

    def carried_of(self, member_id: str) -> list[ReviewItem]:
        """Earlier commitments of a member that stay open after this session's review."""
        return [
            item
            for item in self.setup.review_items
            if item.owner == member_id
            and (
                (review := self.reviews.get(item.commitment_id)) is None
                or review.status in ("partial", "not_done", "renegotiated")
            )
        ]

    def members_without_commitment(self) -> list[str]:
        """Members at the session who leave without a new commitment (everyone leaves
        with one; earlier ones still open are shown beside it, not instead of it)."""
        owners = {c.owner for c in self.commitments.values()}
        guests = self.setup.guest_ids
        return [m for m in self.attended if m not in owners and m not in guests]

    def next_to_rate(self) -> str | None:
        for member_id in self.attended:
            if member_id not in self.ratings:
                return member_id
        return None

    def unfinished_business(self) -> list[str]:
        """What ending now would leave undone, in words (empty: nothing): each phase
        of the agenda says what it leaves undone, then the phases not reached."""
        left = [line for plan in self.phases for line in plan.kind.undone(self)]
        skipped = [
            plan.kind.title
            for i, plan in enumerate(self.phases)
            if i not in self.phase_boxes and plan.kind is not RECAP
        ]
        if skipped:
            left.append("not reached: " + ", ".join(skipped))
        return left

    # -- the group's own review (issue 25) ----------------------------------------------

    @property
    def has_health_check(self) -> bool:
        """Whether this session's Close asks the health check (its number in the
        group's history is a multiple of the group's ``health_every``)."""
        return is_check_session(self.setup.session_number, self.setup.group.health_every)

    @property
    def health_anonymous(self) -> bool:
        return self.setup.group.health_anonymous

    @property
    def health_raters(self) -> list[str]:
        """Who answers the health check: the members here (a guest visits once,
        and the check asks how the group works for its members)."""
        guests = self.setup.guest_ids
        return [m for m in self.attended if m not in guests]

    def health_left(self) -> str | None:
        """What the health check still lacks, in words (None: done, or no check)."""
        if not self.has_health_check:
            return None
        if self.health_anonymous:
            given = sum(1 for q in QUESTIONS if sum(self.health_counts.get(q, ())) > 0)
            if given == len(QUESTIONS):
                return None
            return f"health check: {given} of {len(QUESTIONS)} questions counted"
        raters = self.health_raters
        done = sum(1 for m in raters if len(self.health_scores.get(m, {})) == len(QUESTIONS))
        if done == len(raters):
            return None
        return f"health check: {done} of {len(raters)} members answered"

    def health_doc(self) -> dict[str, Any] | None:
        """The check as the session record keeps it (None: no check, or nothing given)."""
        if not self.has_health_check:
            return None
        if self.health_anonymous:
            counts: dict[str, list[int]] = {
                q: list(c) for q, c in self.health_counts.items() if sum(c)
            }
            return {"anonymous": True, "counts": counts} if counts else None
        scores: dict[str, dict[str, int]] = {
            m: {str(q): score for q, score in given.items()}
            for m, given in self.health_scores.items()
            if given
        }
        return {"anonymous": False, "scores": scores} if scores else None

    def goals_to_review(self) -> list[GoalOption]:
        """The active goals of the members at the session, in speaking order."""
        order = {m: i for i, m in enumerate(self.setup.order)}
        attended = set(self.attended)
        goals = [g for g in self.setup.goals if g.owner in attended]
        return sorted(goals, key=lambda g: order.get(g.owner, len(order)))

    def review_item(self, commitment_id: str) -> ReviewItem:
        for item in self.setup.review_items:
            if item.commitment_id == commitment_id:
                return item
        raise InvalidAction("that commitment is not up for review in this session")

    def review_private(self, commitment_id: str) -> bool:
        """An earlier commitment's privacy as this session leaves it."""
        item = self.review_item(commitment_id)
        return self.review_privacy.get(commitment_id, item.private)

    def private_items(self) -> Iterator[Note | Ask | Win | Commitment]:
        """Everything made in this session that can be marked private."""
        for turn in self.turns.values():
            yield from turn.notes
        for ask in self.asks.values():
            yield ask
            yield from ask.notes
        yield from self.session_notes
        yield from self.wins
        yield from self.commitments.values()

    def last_undoable(self) -> ev.Entry | None:
        for entry in reversed(self.entries):
            if entry.seq in self.undone or not entry.action.UNDOABLE:
                continue
            return entry
        return None

    # -- phases --------------------------------------------------

    def phase_budget_seconds(self, index: int) -> float:
        """The timebox a phase gets when it is first entered."""
        plan = self.phases[index]
        if plan.minutes is not None:
            return plan.minutes * 60
        budget = compute_budget(self, self.started_at)
        if plan.kind is UPDATES:
            return sum(budget.shares.turns.values()) or budget.turn_seconds
        return budget.asks_seconds

    # -- checks (used by the rules) ------------------------------------------------------

    @staticmethod
    def clean(text: str | None, what: str) -> str:
        try:
            return clean_text(text or "", what=what)
        except ValueError as error:
            raise InvalidAction(str(error)) from None

    def check_date(
        self, text: str | None, *, not_before: str = "a due date cannot be before this session"
    ) -> str | None:
        """An ISO date on or after the session's day (``None`` when not given)."""
        if not text:
            return None
        try:
            date = parse_date_doc(text).isoformat()
        except Exception:  # pendulum raises several types for bad dates
            raise InvalidAction(f"not a date: {text!r} (use YYYY-MM-DD)") from None
        if not readable_year(int(date[:4])):
            # The stored rule (core/record_types.py): a later reader could not use it.
            raise InvalidAction(f"a date between the years {FIRST_YEAR} and {LAST_YEAR}")
        # The day journaled in the setup, so a replay anywhere decides the same.
        if date < self.session_day:
            raise InvalidAction(not_before)
        return date

    def check_member(self, member_id: str) -> None:
        if member_id not in {m.id for m in self.setup.group.members}:
            raise InvalidAction("no such member in this group")

    def check_new_id(self, item_id: str) -> None:
        if not item_id:
            raise InvalidAction("a new item needs an id")
        taken = (
            item_id in self.asks
            or item_id in self.commitments
            or any(item.id == item_id for item in self.private_items())
        )
        if taken:
            raise InvalidAction("that id is already used in this session")
