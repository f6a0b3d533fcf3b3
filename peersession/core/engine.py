"""The meeting engine: a live session as a pure fold of facilitator actions.

``Meeting.apply(entry)`` checks an action against the current state and either
raises :class:`InvalidAction` *before changing anything* or applies it. The
caller (``store.live``) journals the entry between the check and the apply,
so the journal only ever holds actions that were valid when taken. Time is
never counted: every timer is computed from the entries' moments and the
``now`` a reader passes in (see :class:`~peersession.core.timebox.Timebox`).

The rules themselves are functions registered by action class in
:mod:`~peersession.core.turns` (agenda, attendance, turns),
:mod:`~peersession.core.asks` (the hot seat) and
:mod:`~peersession.core.minutes` (notes, wins, commitments, reviews, close).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pendulum import DateTime

from . import asks, minutes, turns
from . import events as ev
from .budget import Budget, compute_budget
from .errors import InvalidAction as InvalidAction  # re-exported: callers catch it from here
from .handlers import apply_action, unhandled
from .items import Ask, Commitment, Note, Review, TimerView, Turn, Win
from .model import AttendanceStatus, clean_text, parse_date_doc
from .setup import MeetingSetup, ReviewItem
from .templates import PhaseKind, PhasePlan
from .timebox import Timebox

__all__ = ["Ask", "Commitment", "InvalidAction", "Meeting", "Note", "Review", "TimerView", "Win"]

# The rule modules register themselves on import; every action must have one.
_RULES = (asks, minutes, turns)
_MISSING = unhandled(
    [
        kind
        for kind in ev.Action.__subclasses__()
        if kind not in (ev.SessionStarted, ev.Undo) and kind.TYPE
    ]
)
if _MISSING:  # pragma: no cover - a programming error, caught by any test run
    raise RuntimeError(f"actions without a rule: {_MISSING}")


class Meeting:
    """The state of one live session, rebuilt from its journal entries."""

    def __init__(self, setup: MeetingSetup, started_at: DateTime) -> None:
        self.setup = setup
        self.started_at = started_at
        self.entries: list[ev.Entry] = []
        self.undone: set[int] = set()
        #: Dates typed in the meeting may not be before this day (ISO).
        self.session_day = (setup.session_date or started_at.date()).isoformat()
        self._reset()

    # -- construction -------------------------------------------------------

    @classmethod
    def replay(cls, entries: Iterable[ev.Entry]) -> Meeting:
        """Rebuild a meeting from its journal (first entry: ``SessionStarted``)."""
        items = list(entries)
        if not items or not isinstance(items[0].action, ev.SessionStarted):
            raise ValueError("a journal must start with session_started")
        first = items[0]
        assert isinstance(first.action, ev.SessionStarted)
        meeting = cls(MeetingSetup.from_doc(first.action.setup), first.at)
        meeting.entries.append(first)
        for entry in items[1:]:
            meeting.apply(entry)
        return meeting

    def _reset(self) -> None:
        group = self.setup.group
        self.phase_index = 0
        self.phase_boxes: dict[int, Timebox] = {}
        self.attendance: dict[str, AttendanceStatus] = {m.id: "present" for m in group.members}
        self.here: set[str] = {m.id for m in group.members}
        self.left: set[str] = set()
        self.planned_order: list[str] = list(self.setup.order)
        self.updates_begun = False
        self.queue: list[str] = []
        self.turns: dict[str, Turn] = {}
        self.spoken: list[str] = []
        self.speaker: str | None = None
        self.asks: dict[str, Ask] = {}
        self.ask_queue: list[str] = []
        self.current_ask: str | None = None
        self.commitments: dict[str, Commitment] = {}
        self.wins: list[Win] = []
        self.reviews: dict[str, Review] = {}
        #: Earlier commitments whose privacy was changed in this session.
        self.review_privacy: dict[str, bool] = {}
        self.ratings: dict[str, int] = {}
        self.session_notes: list[Note] = []
        self.next_meeting: str | None = (
            self.setup.proposed_next.isoformat() if self.setup.proposed_next else None
        )
        self.ended_at: DateTime | None = None
        self.enter_phase(self.started_at)

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

    def budget(self, now: DateTime) -> Budget:
        return compute_budget(self, now)

    def turn_seconds(self) -> float:
        """The per-speaker timebox for turns that have not started yet."""
        return compute_budget(self, self.started_at).turn_seconds

    def active_box(self) -> Timebox:
        """The timebox that space, + and - act on."""
        if self.phase == "updates" and self.speaker is not None:
            return self.turns[self.speaker].box
        if self.phase == "asks" and self.current_ask is not None:
            box = self.asks[self.current_ask].active_box
            if box is not None:
                return box
        return self.phase_boxes[self.phase_index]

    def timer(self, now: DateTime) -> TimerView:
        box = self.active_box()
        template = self.setup.template
        if self.phase == "updates" and self.speaker is not None:
            label = self.name(self.speaker)
        elif self.phase == "asks" and self.current_ask is not None:
            ask = self.asks[self.current_ask]
            part = "clarifying questions" if ask.part == "questions" else "advice"
            label = f"{self.name(ask.member_id)}: {part}"
        else:
            label = self.phases[self.phase_index].kind.title()
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
        return [m for m in self.attended if m not in owners]

    def next_to_rate(self) -> str | None:
        for member_id in self.attended:
            if member_id not in self.ratings:
                return member_id
        return None

    def unfinished_business(self) -> list[str]:
        """What ending now would leave undone, in words (empty: nothing)."""
        left: list[str] = []
        kinds = [p.kind for p in self.phases]
        unrated = [m for m in self.attended if m not in self.ratings]
        if "close" in kinds and unrated:
            left.append(f"{len(unrated)} of {len(self.attended)} ratings not given")
        if "close" in kinds and not self.next_meeting:
            left.append("the next meeting's date is not set")
        elif "close" in kinds and kinds.index("close") not in self.phase_boxes:
            left.append(f"the next meeting's date is only proposed ({self.next_meeting})")
        unreviewed = [i for i in self.setup.review_items if i.commitment_id not in self.reviews]
        if "review" in kinds and unreviewed:
            left.append(f"{len(unreviewed)} earlier commitments not reviewed (they stay open)")
        if "commitments" in kinds and self.members_without_commitment():
            left.append(
                f"{len(self.members_without_commitment())} members without a new commitment"
            )
        skipped = [p.title() for i, p in enumerate(kinds) if i not in self.phase_boxes]
        skipped = [p for p in skipped if p != "Recap"]
        if skipped:
            left.append("not reached: " + ", ".join(skipped))
        return left

    def review_item(self, commitment_id: str) -> ReviewItem:
        for item in self.setup.review_items:
            if item.commitment_id == commitment_id:
                return item
        raise InvalidAction("that commitment is not up for review in this session")

    def review_private(self, commitment_id: str) -> bool:
        """An earlier commitment's privacy as this session leaves it."""
        item = self.review_item(commitment_id)
        return self.review_privacy.get(commitment_id, item.private)

    def extension_refusal(self, now: DateTime) -> str | None:
        """Why a vote to extend cannot be taken now (saying when it can), or None."""
        return asks.extension_refusal(self, now)

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

    # -- applying --------------------------------------------------------------

    def apply(self, entry: ev.Entry) -> None:
        """Check and apply one entry. Raises InvalidAction with nothing changed."""
        action = entry.action
        if isinstance(action, ev.SessionStarted):
            raise InvalidAction("the session has already started")
        if self.ended:
            raise InvalidAction("the session has ended")
        if entry.seq <= self.last_seq:
            raise InvalidAction(f"entry {entry.seq} is out of order")
        if isinstance(action, ev.Undo):
            target = self.last_undoable()
            if target is None:
                raise InvalidAction("there is nothing to undo")
            if target.seq != action.target:
                raise InvalidAction("only the last action can be undone")
            self.entries.append(entry)
            self.undone.add(action.target)
            self._rebuild()
            return
        try:
            apply_action(self, action, entry.at)
        except InvalidAction:
            # Rules check before they change, but a multi-step action (the last
            # speaker's turn ends, then the phase cannot advance) could leave a
            # half-applied state: refolding restores the exact state.
            self._rebuild()
            raise
        self.entries.append(entry)

    def _rebuild(self) -> None:
        self._reset()
        for entry in self.entries[1:]:
            if isinstance(entry.action, ev.Undo) or entry.seq in self.undone:
                continue
            apply_action(self, entry.action, entry.at)

    # -- phases (used by the rules) --------------------------------------------------

    def _phase_budget_seconds(self, index: int) -> float:
        plan = self.phases[index]
        if plan.minutes is not None:
            return plan.minutes * 60
        budget = compute_budget(self, self.started_at)
        if plan.kind == "updates":
            return budget.turn_seconds * max(1, len(self.here))
        return budget.asks_seconds

    def enter_phase(self, at: DateTime) -> None:
        index = self.phase_index
        if index not in self.phase_boxes:
            self.phase_boxes[index] = Timebox(self._phase_budget_seconds(index))
        self.phase_boxes[index].start(at)
        if self.phase == "updates":
            if not self.updates_begun:
                self.updates_begun = True
                self.queue = [m for m in self.planned_order if m in self.here]
            if self.speaker is None:
                turns.start_next_turn(self, at)

    def leave_phase(self, at: DateTime) -> None:
        self.phase_boxes[self.phase_index].stop(at)
        if self.phase == "updates" and self.speaker is not None:
            # An unfinished turn waits at the head of the queue for our return.
            self.turns[self.speaker].box.stop(at)
            self.queue.insert(0, self.speaker)
            self.speaker = None
        if self.phase == "asks" and self.current_ask is not None:
            asks.back_to_queue(self, self.asks[self.current_ask], at)

    def goto_phase(self, index: int, at: DateTime) -> None:
        self.leave_phase(at)
        self.phase_index = index
        self.enter_phase(at)

    def next_phase(self, at: DateTime) -> None:
        if self.phase_index + 1 >= len(self.phases):
            raise InvalidAction("this is the last phase: end the session to save it")
        self.goto_phase(self.phase_index + 1, at)

    def previous_phase(self, at: DateTime) -> None:
        if self.phase_index == 0:
            raise InvalidAction("this is the first phase")
        self.goto_phase(self.phase_index - 1, at)

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
