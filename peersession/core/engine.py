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

from collections.abc import Iterable

from pendulum import DateTime

from . import asks, group_review, minutes, role_swaps, steps, time_requests, turns
from . import events as ev
from .errors import InvalidAction as InvalidAction  # re-exported: callers catch it from here
from .handlers import apply_action, unhandled
from .items import Ask, Commitment, Note, Review, TimerView, Win
from .setup import MeetingSetup
from .state import MeetingState

__all__ = ["Ask", "Commitment", "InvalidAction", "Meeting", "Note", "Review", "TimerView", "Win"]

# The rule modules register themselves on import; every action must have one.
_RULES = (asks, group_review, minutes, role_swaps, time_requests, turns)
_MISSING = unhandled(
    [
        kind
        for kind in ev.Action.__subclasses__()
        if kind not in (ev.SessionStarted, ev.Undo) and kind.TYPE
    ]
)
if _MISSING:  # pragma: no cover - a programming error, caught by any test run
    raise RuntimeError(f"actions without a rule: {_MISSING}")


class Meeting(MeetingState):
    """The state of one live session, rebuilt from its journal entries."""

    def __init__(self, setup: MeetingSetup, started_at: DateTime) -> None:
        #: The setup as journaled; ``setup`` is it with the guests who arrived
        #: since (``GuestArrived``), rebuilt from it by every refold.
        self.first_setup = setup
        self.setup = setup
        self.started_at = started_at
        self.entries = []
        self.undone = set()
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
        self.setup = self.first_setup
        group = self.setup.group
        self.phase_index = 0
        self.phase_boxes = {}
        self.attendance = {m.id: "present" for m in group.members}
        self.here = {m.id for m in group.members}
        self.left = set()
        self.planned_order = list(self.setup.order)
        self.updates_begun = False
        self.queue = []
        self.turns = {}
        self.spoken = []
        self.speaker = None
        self.asks = {}
        self.ask_queue = []
        self.current_ask = None
        self.commitments = {}
        self.wins = []
        self.reviews = {}
        #: Earlier commitments whose privacy was changed in this session.
        self.review_privacy = {}
        self.ratings = {}
        self.session_notes = []
        self.next_meeting = (
            self.setup.proposed_next.isoformat() if self.setup.proposed_next else None
        )
        self.roles = {h.role: h.member_id for h in self.setup.roles}
        self.requests = {}
        self.requests_scaled = False
        self.health_scores = {}
        self.health_counts = {}
        self.goal_reviews = {}
        self.ended_at = None
        turns.enter_phase(self, self.started_at)

    # -- what a key does now (the screen asks; see core/steps.py) ----------------

    def next_step(self) -> steps.Step:
        """What ``n`` does now."""
        return steps.next_step(self)

    def back_step(self) -> steps.Step:
        """What ``p`` does now."""
        return steps.back_step(self)

    def phase_step(self, step: int) -> steps.Step:
        """What ``>`` (1) and ``<`` (-1) do now."""
        return steps.phase_step(self, step)

    def extension_refusal(self, now: DateTime) -> str | None:
        """Why a vote to extend cannot be taken now (saying when it can), or None."""
        return asks.extension_refusal(self, now)

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
