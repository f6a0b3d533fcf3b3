"""The meeting engine: a live session as a pure fold of facilitator actions.

``Meeting.apply(entry)`` checks an action against the current state and either
raises :class:`InvalidAction` *before changing anything* or applies it. The
caller (``store.live``) journals the entry between the check and the apply,
so the journal only ever holds actions that were valid when taken. Time is
never counted: every timer is computed from the entries' moments and the
``now`` a reader passes in (see :class:`~peersession.core.timebox.Timebox`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime

from . import events as ev
from .budget import Budget, compute_budget
from .errors import InvalidAction as InvalidAction  # re-exported: callers catch it from here
from .model import (
    ATTENDANCE_STATUSES,
    REVIEW_STATUSES,
    WIN_KINDS,
    AttendanceStatus,
    NoteDoc,
    ReviewStatus,
    WinKind,
    clean_text,
    parse_date_doc,
)
from .setup import MeetingSetup, ReviewItem
from .templates import PhaseKind, PhasePlan
from .timebox import Timebox, TimerState


def _is_whole(value: object) -> bool:
    """A whole number typed as one (``True`` and ``7.5`` are not counts)."""
    return isinstance(value, int) and not isinstance(value, bool)


MAX_ADJUST_SECONDS = 3600.0
MAX_ASK_SECONDS = 2 * 3600.0


@dataclass
class Turn:
    member_id: str
    box: Timebox
    passed: bool = False
    finished: bool = False
    notes: list[NoteDoc] = field(default_factory=list)


@dataclass
class Ask:
    id: str
    member_id: str
    text: str
    wanted: float
    private: bool
    added_at: DateTime
    votes: int = 0
    #: ``queued``, ``questions``, ``advice`` or ``done``.
    part: str = "queued"
    questions: Timebox | None = None
    advice: Timebox | None = None
    extensions: list[dict[str, Any]] = field(default_factory=list)
    outcome: str | None = None
    commitment_id: str | None = None
    helpers: tuple[str, ...] = ()
    notes: list[NoteDoc] = field(default_factory=list)

    @property
    def active_box(self) -> Timebox | None:
        if self.part == "questions":
            return self.questions
        if self.part == "advice":
            return self.advice
        return None

    def seconds_used(self, now: DateTime) -> float:
        return sum(box.elapsed(now) for box in (self.questions, self.advice) if box)


@dataclass
class Commitment:
    id: str
    owner: str
    text: str
    due: str | None
    private: bool
    from_ask: str | None
    at: DateTime


@dataclass
class Win:
    id: str
    member_id: str
    kind: WinKind
    text: str
    private: bool
    at: DateTime


@dataclass
class Review:
    status: ReviewStatus
    at: DateTime
    text: str | None = None
    due: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TimerView:
    """What the big countdown shows."""

    label: str
    remaining: float
    budget: float
    state: TimerState


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
        self.ratings: dict[str, int] = {}
        self.session_notes: list[NoteDoc] = []
        self.next_meeting: str | None = (
            self.setup.proposed_next.isoformat() if self.setup.proposed_next else None
        )
        self.ended_at: DateTime | None = None
        self._enter_phase(self.started_at)

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
        return TimerView(label=label, remaining=box.remaining(now), budget=box.budget, state=state)

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

    def members_without_commitment(self) -> list[str]:
        owners = {c.owner for c in self.commitments.values()}
        return [m for m in self.attended if m not in owners]

    def next_to_rate(self) -> str | None:
        for member_id in self.attended:
            if member_id not in self.ratings:
                return member_id
        return None

    def review_item(self, commitment_id: str) -> ReviewItem:
        for item in self.setup.review_items:
            if item.commitment_id == commitment_id:
                return item
        raise InvalidAction("that commitment is not up for review in this session")

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
        handler = getattr(self, f"_on_{action.TYPE}")
        try:
            handler(action, entry.at)
        except InvalidAction:
            # Handlers check before they change, but a multi-step action (the
            # last speaker's turn ends, then the phase cannot advance) could
            # leave a half-applied state: refolding restores the exact state.
            self._rebuild()
            raise
        self.entries.append(entry)

    def _rebuild(self) -> None:
        self._reset()
        for entry in self.entries[1:]:
            if isinstance(entry.action, ev.Undo) or entry.seq in self.undone:
                continue
            getattr(self, f"_on_{entry.action.TYPE}")(entry.action, entry.at)

    # -- phases ------------------------------------------------------------------

    def _phase_budget_seconds(self, index: int) -> float:
        plan = self.phases[index]
        if plan.minutes is not None:
            return plan.minutes * 60
        budget = compute_budget(self, self.started_at)
        if plan.kind == "updates":
            return budget.turn_seconds * max(1, len(self.here))
        return budget.asks_seconds

    def _enter_phase(self, at: DateTime) -> None:
        index = self.phase_index
        if index not in self.phase_boxes:
            self.phase_boxes[index] = Timebox(self._phase_budget_seconds(index))
        self.phase_boxes[index].start(at)
        if self.phase == "updates":
            if not self.updates_begun:
                self.updates_begun = True
                self.queue = [m for m in self.planned_order if m in self.here]
            if self.speaker is None:
                self._start_next_turn(at)

    def _leave_phase(self, at: DateTime) -> None:
        self.phase_boxes[self.phase_index].stop(at)
        if self.phase == "updates" and self.speaker is not None:
            # An unfinished turn waits at the head of the queue for our return.
            self.turns[self.speaker].box.stop(at)
            self.queue.insert(0, self.speaker)
            self.speaker = None
        if self.phase == "asks" and self.current_ask is not None:
            ask = self.asks[self.current_ask]
            if ask.active_box:
                ask.active_box.stop(at)
            self.ask_queue.insert(0, ask.id)
            self.current_ask = None

    def _goto_phase(self, index: int, at: DateTime) -> None:
        self._leave_phase(at)
        self.phase_index = index
        self._enter_phase(at)

    def _next_phase(self, at: DateTime) -> None:
        if self.phase_index + 1 >= len(self.phases):
            raise InvalidAction("this is the last phase: end the session to save it")
        self._goto_phase(self.phase_index + 1, at)

    def _previous_phase(self, at: DateTime) -> None:
        if self.phase_index == 0:
            raise InvalidAction("this is the first phase")
        self._goto_phase(self.phase_index - 1, at)

    def _on_next(self, action: ev.Next, at: DateTime) -> None:
        if self.phase == "updates" and self.speaker is not None:
            self._finish_turn(at)
            if not self._start_next_turn(at):
                self._next_phase(at)
        elif self.phase == "asks" and self.current_ask is not None:
            ask = self.asks[self.current_ask]
            if ask.part == "questions":
                self._switch_ask_part(ask, "advice", at)
            else:
                self._end_ask(ask, at, outcome=None, commitment_id=None, due=None)
        elif self.phase == "asks" and self.ask_queue:
            self._start_ask(self.asks[self.ask_queue[0]], at)
        else:
            self._next_phase(at)

    def _on_back(self, action: ev.Back, at: DateTime) -> None:
        if self.phase == "updates" and self.speaker is not None:
            previous = self._previous_speaker()
            if previous is None:
                self._previous_phase(at)
                return
            turn = self.turns[self.speaker]
            turn.box.stop(at)
            self.queue.insert(0, self.speaker)
            reopened = self.turns[previous]
            reopened.finished = False
            reopened.passed = False
            reopened.box.start(at)
            self.speaker = previous
        elif self.phase == "asks" and self.current_ask is not None:
            ask = self.asks[self.current_ask]
            if ask.part == "advice":
                self._switch_ask_part(ask, "questions", at)
            else:
                self._leave_phase_ask_to_queue(ask, at)
        else:
            self._previous_phase(at)

    def _on_phase_jumped(self, action: ev.PhaseJumped, at: DateTime) -> None:
        kinds = [p.kind for p in self.phases]
        if action.phase not in kinds:
            raise InvalidAction(f"this session's agenda has no {action.phase} phase")
        index = kinds.index(action.phase)
        if index == self.phase_index:
            raise InvalidAction(f"already in {action.phase}")
        self._goto_phase(index, at)

    def _on_timer_toggled(self, action: ev.TimerToggled, at: DateTime) -> None:
        self.active_box().toggle_pause(at)

    def _on_time_adjusted(self, action: ev.TimeAdjusted, at: DateTime) -> None:
        if not -MAX_ADJUST_SECONDS <= action.seconds <= MAX_ADJUST_SECONDS or not action.seconds:
            raise InvalidAction("adjust by up to an hour at a time")
        self.active_box().adjust(action.seconds)

    # -- attendance and turns ------------------------------------------------------

    def _check_member(self, member_id: str) -> None:
        if member_id not in {m.id for m in self.setup.group.members}:
            raise InvalidAction("no such member in this group")

    def _on_attendance_marked(self, action: ev.AttendanceMarked, at: DateTime) -> None:
        self._check_member(action.member_id)
        if action.status not in ATTENDANCE_STATUSES:
            raise InvalidAction(f"attendance is one of {', '.join(ATTENDANCE_STATUSES)}")
        self.attendance[action.member_id] = action.status
        if action.status == "present":
            self._arrive(action.member_id, at)
        else:
            # Absent, or late and not here yet.
            self._depart(action.member_id, at)
            self.left.discard(action.member_id)
            # Called to speak but never here (an agenda that opens with
            # updates): they did not speak, so they take no turn and do not
            # count as attending. A turn with time or notes is kept.
            turn = self.turns.get(action.member_id)
            if turn is not None and not turn.notes and turn.box.elapsed(at) == 0:
                del self.turns[action.member_id]
                self.spoken.remove(action.member_id)

    def _on_member_arrived(self, action: ev.MemberArrived, at: DateTime) -> None:
        self._check_member(action.member_id)
        if action.member_id in self.here:
            raise InvalidAction(f"{self.name(action.member_id)} is already here")
        if self.attendance[action.member_id] != "present":
            self.attendance[action.member_id] = "late"
        self._arrive(action.member_id, at)

    def _on_member_left(self, action: ev.MemberLeft, at: DateTime) -> None:
        self._check_member(action.member_id)
        if action.member_id not in self.here:
            raise InvalidAction(f"{self.name(action.member_id)} is not here")
        self._depart(action.member_id, at)
        self.left.add(action.member_id)

    def _arrive(self, member_id: str, at: DateTime) -> None:
        self.here.add(member_id)
        self.left.discard(member_id)
        waiting = member_id in self.queue or member_id == self.speaker
        # A member who stepped out before finishing (never called, or skipped
        # to the end) gets their turn back; a finished turn is not repeated.
        turn = self.turns.get(member_id)
        finished = turn is not None and turn.finished
        if self.updates_begun and not waiting and not finished:
            self.queue.append(member_id)
            if self.phase == "updates" and self.speaker is None:
                self._start_next_turn(at)

    def _depart(self, member_id: str, at: DateTime) -> None:
        self.here.discard(member_id)
        if member_id in self.queue:
            self.queue.remove(member_id)
        if self.speaker == member_id:
            self._finish_turn(at)
            self._start_next_turn(at)

    def _on_order_shuffled(self, action: ev.OrderShuffled, at: DateTime) -> None:
        remaining = self.up_next()
        if len(remaining) < 2:
            raise InvalidAction("fewer than two members still to speak: nothing to shuffle")
        if sorted(action.order) != sorted(remaining):
            raise InvalidAction("a new order must list exactly the members still to speak")
        if self.updates_begun:
            self.queue = list(action.order)
        else:
            others = [m for m in self.planned_order if m not in action.order]
            self.planned_order = list(action.order) + others

    def _on_speaker_passed(self, action: ev.SpeakerPassed, at: DateTime) -> None:
        if self.phase != "updates" or self.speaker is None:
            raise InvalidAction("nobody is speaking")
        self.turns[self.speaker].passed = True
        self._finish_turn(at)
        if not self._start_next_turn(at):
            self._next_phase(at)

    def _on_speaker_skipped(self, action: ev.SpeakerSkipped, at: DateTime) -> None:
        if self.phase != "updates" or self.speaker is None:
            raise InvalidAction("nobody is speaking")
        if not self.queue:
            raise InvalidAction("nobody else is waiting: pass instead")
        turn = self.turns[self.speaker]
        turn.box.stop(at)
        self.queue.append(self.speaker)
        self.speaker = None
        self._start_next_turn(at)

    def _start_next_turn(self, at: DateTime) -> bool:
        if not self.queue:
            return False
        member_id = self.queue.pop(0)
        turn = self.turns.get(member_id)
        if turn is None:
            turn = Turn(member_id, Timebox(self.turn_seconds()))
            self.turns[member_id] = turn
        if member_id in self.spoken:
            self.spoken.remove(member_id)
        self.spoken.append(member_id)
        turn.finished = False
        turn.box.start(at)
        self.speaker = member_id
        return True

    def _finish_turn(self, at: DateTime) -> None:
        assert self.speaker is not None
        turn = self.turns[self.speaker]
        turn.box.stop(at)
        turn.finished = True
        self.speaker = None

    def _previous_speaker(self) -> str | None:
        """The last finished speaker still in the room (a leaver's turn stays closed)."""
        finished = [
            m
            for m in self.spoken
            if m != self.speaker and self.turns[m].finished and m in self.here
        ]
        return finished[-1] if finished else None

    # -- notes, wins, commitments, reviews ------------------------------------------

    def _on_note_added(self, action: ev.NoteAdded, at: DateTime) -> None:
        text = self._clean(action.text, "a note")
        self._check_new_id(action.note_id)
        note: NoteDoc = {
            "id": action.note_id,
            "text": text,
            "private": action.private,
            "at": at.isoformat(),
        }
        if self.phase == "updates" and self.speaker is not None:
            self.turns[self.speaker].notes.append(note)
        elif self.phase == "asks" and self.current_ask is not None:
            self.asks[self.current_ask].notes.append(note)
        else:
            self.session_notes.append(note)

    def _on_win_added(self, action: ev.WinAdded, at: DateTime) -> None:
        self._check_member(action.member_id)
        if action.kind not in WIN_KINDS:
            raise InvalidAction(f"a win is one of {', '.join(WIN_KINDS)}")
        text = self._clean(action.text, "a win")
        self._check_new_id(action.win_id)
        kind = action.kind
        self.wins.append(Win(action.win_id, action.member_id, kind, text, action.private, at))

    def _on_commitment_added(self, action: ev.CommitmentAdded, at: DateTime) -> None:
        self._check_member(action.owner)
        text = self._clean(action.text, "a commitment")
        self._check_new_id(action.commitment_id)
        due = self._check_date(action.due)
        self.commitments[action.commitment_id] = Commitment(
            action.commitment_id, action.owner, text, due, action.private, action.from_ask, at
        )

    def _on_privacy_toggled(self, action: ev.PrivacyToggled, at: DateTime) -> None:
        for item in self._private_items():
            if isinstance(item, dict):
                if item["id"] == action.item_id:
                    item["private"] = not item["private"]
                    return
            elif item.id == action.item_id:
                item.private = not item.private
                return
        raise InvalidAction("nothing with that id to mark private")

    def _private_items(self) -> Iterable[NoteDoc | Ask | Win | Commitment]:
        for turn in self.turns.values():
            yield from turn.notes
        for ask in self.asks.values():
            yield ask
            yield from ask.notes
        yield from self.session_notes
        yield from self.wins
        yield from self.commitments.values()

    def _on_review_marked(self, action: ev.ReviewMarked, at: DateTime) -> None:
        self.review_item(action.commitment_id)
        if action.status not in REVIEW_STATUSES:
            raise InvalidAction(f"a review is one of {', '.join(REVIEW_STATUSES)}")
        text = self._clean(action.text, "new text") if action.text else None
        due = self._check_date(action.due)
        if action.status == "renegotiated" and not (text or due):
            raise InvalidAction("renegotiating needs a new text or a new date")
        note = self._clean(action.note, "a note") if action.note else None
        status = action.status
        self.reviews[action.commitment_id] = Review(status, at, text, due, note)

    # -- asks ----------------------------------------------------------------------

    def _on_ask_added(self, action: ev.AskAdded, at: DateTime) -> None:
        self._check_member(action.member_id)
        text = self._clean(action.text, "an ask")
        self._check_new_id(action.ask_id)
        if not 0 < action.wanted_seconds <= MAX_ASK_SECONDS:
            raise InvalidAction("an ask wants between a few seconds and two hours")
        self.asks[action.ask_id] = Ask(
            action.ask_id, action.member_id, text, action.wanted_seconds, action.private, at
        )
        self.ask_queue.append(action.ask_id)

    def _queued_ask(self, ask_id: str) -> Ask:
        if ask_id not in self.ask_queue:
            raise InvalidAction("that ask is not in the queue")
        return self.asks[ask_id]

    def _on_ask_voted(self, action: ev.AskVoted, at: DateTime) -> None:
        ask = self._queued_ask(action.ask_id)
        if not _is_whole(action.votes) or not 0 <= action.votes <= 99:
            raise InvalidAction("votes are a count from 0 to 99")
        ask.votes = action.votes

    def _on_ask_moved(self, action: ev.AskMoved, at: DateTime) -> None:
        self._queued_ask(action.ask_id)
        index = self.ask_queue.index(action.ask_id)
        target = max(0, min(len(self.ask_queue) - 1, index + action.delta))
        if target == index:
            raise InvalidAction("that ask cannot move further")
        self.ask_queue.insert(target, self.ask_queue.pop(index))

    def _on_asks_sorted(self, action: ev.AsksSorted, at: DateTime) -> None:
        if action.by == "votes":
            self.ask_queue.sort(key=lambda a: -self.asks[a].votes)
        elif action.by == "airtime":
            ledger = self.setup.airtime

            def airtime(ask_id: str) -> float:
                member = self.asks[ask_id].member_id
                return ledger.get(member, 0.0) + self.airtime(member, at)

            self.ask_queue.sort(key=airtime)
        elif action.by == "asks":
            done_here: dict[str, int] = {}
            for ask in self.asks.values():
                if ask.part == "done":
                    done_here[ask.member_id] = done_here.get(ask.member_id, 0) + 1

            def asks_lately(ask_id: str) -> int:
                member = self.asks[ask_id].member_id
                return self.setup.recent_asks.get(member, 0) + done_here.get(member, 0)

            self.ask_queue.sort(key=asks_lately)
        else:
            raise InvalidAction("sort asks by votes, airtime or asks")

    def _on_ask_started(self, action: ev.AskStarted, at: DateTime) -> None:
        if self.phase != "asks":
            raise InvalidAction("asks run in the Asks phase")
        if self.current_ask is not None:
            raise InvalidAction("another ask is in the hot seat: finish it first")
        self._start_ask(self._queued_ask(action.ask_id), at)

    def _start_ask(self, ask: Ask, at: DateTime) -> None:
        self.ask_queue.remove(ask.id)
        if ask.questions is None:
            share = self.setup.template.question_share
            ask.questions = Timebox(ask.wanted * share)
            ask.advice = Timebox(ask.wanted - ask.wanted * share)
        if ask.part == "queued":
            ask.part = "questions"
        box = ask.active_box
        assert box is not None
        box.start(at)
        self.current_ask = ask.id

    def _switch_ask_part(self, ask: Ask, part: str, at: DateTime) -> None:
        box = ask.active_box
        assert box is not None
        box.stop(at)
        ask.part = part
        new_box = ask.active_box
        assert new_box is not None
        new_box.start(at)

    def _leave_phase_ask_to_queue(self, ask: Ask, at: DateTime) -> None:
        box = ask.active_box
        assert box is not None
        box.stop(at)
        self.ask_queue.insert(0, ask.id)
        self.current_ask = None

    def _on_extension_voted(self, action: ev.ExtensionVoted, at: DateTime) -> None:
        if self.phase != "asks" or self.current_ask is None:
            raise InvalidAction("extensions are voted on a running ask")
        ask = self.asks[self.current_ask]
        box = ask.active_box
        assert box is not None
        template = self.setup.template
        if box.remaining(at) > box.warn_threshold(template.warn_share, template.warn_max_seconds):
            raise InvalidAction("vote to extend when the timebox is ending")
        if not 0 <= action.votes_for <= action.voters or action.voters < 1:
            raise InvalidAction("thumbs up must be between 0 and the number of voters")
        granted_before = sum(1 for e in ask.extensions if e["granted"])
        steps = template.extensions_minutes
        if granted_before >= len(steps):
            raise InvalidAction("no extensions left for this ask: time to move on")
        granted = action.votes_for * 2 > action.voters
        minutes = steps[granted_before]
        ask.extensions.append(
            {
                "minutes": minutes,
                "votes_for": action.votes_for,
                "voters": action.voters,
                "granted": granted,
                "at": at.isoformat(),
            }
        )
        if granted:
            box.adjust(minutes * 60)

    def _on_ask_ended(self, action: ev.AskEnded, at: DateTime) -> None:
        if self.current_ask is None:
            raise InvalidAction("no ask is in the hot seat")
        asker = self.asks[self.current_ask].member_id
        for helper in action.helpers:
            self._check_member(helper)
            if helper == asker:
                raise InvalidAction("the asker cannot be their own helper")
        if len(set(action.helpers)) != len(action.helpers):
            raise InvalidAction("each helper is named once")
        outcome = self._clean(action.outcome, "an outcome") if action.outcome else None
        if outcome and not action.commitment_id:
            raise InvalidAction("an outcome needs a commitment id")
        if action.commitment_id:
            self._check_new_id(action.commitment_id)
        due = self._check_date(action.due)
        ask = self.asks[self.current_ask]
        ask.helpers = tuple(action.helpers)
        self._end_ask(
            ask,
            at,
            outcome=outcome,
            commitment_id=action.commitment_id if outcome else None,
            due=due,
            private=action.private,
        )

    def _end_ask(
        self,
        ask: Ask,
        at: DateTime,
        *,
        outcome: str | None,
        commitment_id: str | None,
        due: str | None,
        private: bool = False,
    ) -> None:
        box = ask.active_box
        if box is not None:
            box.stop(at)
        ask.part = "done"
        ask.outcome = outcome
        if outcome and commitment_id:
            ask.commitment_id = commitment_id
            self.commitments[commitment_id] = Commitment(
                commitment_id, ask.member_id, outcome, due, private or ask.private, ask.id, at
            )
        self.current_ask = None

    # -- close ---------------------------------------------------------------------

    def _on_rating_given(self, action: ev.RatingGiven, at: DateTime) -> None:
        self._check_member(action.member_id)
        if self.phase != "close":
            raise InvalidAction("ratings are given in the Close phase")
        if action.member_id not in self.attended:
            raise InvalidAction(f"{self.name(action.member_id)} was not at this session")
        if not _is_whole(action.rating) or not 1 <= action.rating <= 10:
            raise InvalidAction("a rating is a whole number from 1 to 10")
        self.ratings[action.member_id] = int(action.rating)

    def _on_next_meeting_set(self, action: ev.NextMeetingSet, at: DateTime) -> None:
        if not action.date:
            raise InvalidAction("the next meeting needs a date")
        self.next_meeting = self._check_date(
            action.date, not_before="the next meeting cannot be before this one"
        )

    def _on_session_ended(self, action: ev.SessionEnded, at: DateTime) -> None:
        self._leave_phase(at)
        self.ended_at = at

    # -- validation helpers ------------------------------------------------------------

    @staticmethod
    def _clean(text: str | None, what: str) -> str:
        try:
            return clean_text(text or "", what=what)
        except ValueError as error:
            raise InvalidAction(str(error)) from None

    def _check_date(
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

    def _check_new_id(self, item_id: str) -> None:
        if not item_id:
            raise InvalidAction("a new item needs an id")
        taken = (
            item_id in self.asks
            or item_id in self.commitments
            or any(
                (item["id"] if isinstance(item, dict) else item.id) == item_id
                for item in self._private_items()
            )
        )
        if taken:
            raise InvalidAction("that id is already used in this session")
