"""A small driver for the meeting engine on a fake clock (no disk).

``MeetingDriver`` builds a group and its ``MeetingSetup`` with ``plan_setup``,
opens the meeting the way ``store.live`` does (a ``SessionStarted`` entry
replayed), holds a :class:`FakeClock`, and turns facilitator actions into
journal entries with increasing sequence numbers.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pendulum
import pytest
from pendulum import Date, DateTime

from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.engine import InvalidAction, Meeting
from peersession.core.model import Group, Member
from peersession.core.record import session_record
from peersession.core.record_types import read_all, read_as
from peersession.core.records import Goal
from peersession.core.session_records import Checkin, Commitment, Session
from peersession.core.setup import plan_setup
from peersession.core.templates import template_for

START: DateTime = pendulum.datetime(2026, 1, 6, 17, 0, 0, tz="UTC")
NAMES = ("Ada", "Bea", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu")
GROUP_ID = "g1"


def make_group(
    size: int = 8,
    *,
    template: str = "full",
    agenda: Sequence[dict[str, Any]] | None = None,
    length_minutes: int = 120,
    cadence_days: int = 21,
    names: Sequence[str] | None = None,
) -> Group:
    """A group whose member ids are the lower-cased names (``ada``, ``bea``...)."""
    chosen = list(names) if names is not None else list(NAMES[:size])
    return Group(
        id=GROUP_ID,
        name="Women in Medicine",
        members=tuple(Member(name.lower(), name) for name in chosen),
        cadence_days=cadence_days,
        length_minutes=length_minutes,
        template=template,
        created_at=START.subtract(days=90).isoformat(),
        agenda=tuple(agenda) if agenda is not None else None,
    )


def entry_roundtrip(entry: ev.Entry) -> ev.Entry:
    """The entry as the journal writes and reads it back (JSON, UTF-8)."""
    line = json.dumps(entry.to_doc(), ensure_ascii=False).encode("utf-8")
    return ev.Entry.from_doc(json.loads(line.decode("utf-8")))


class MeetingDriver:
    """Drives one meeting: ``act(action, after_seconds)`` applies an entry."""

    def __init__(
        self,
        group: Group | None = None,
        *,
        template: str | None = None,
        recent_sessions: Sequence[Session] = (),
        open_commitments: Iterable[Commitment] = (),
        checkins: Iterable[Checkin] = (),
        turn_seconds_override: float | None = None,
        start: DateTime = START,
        today: Date | None = None,
        session_number: int = 0,
        goals: Iterable[Goal] = (),
        guests: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.group = group or make_group()
        self.clock = FakeClock(start)
        setup = plan_setup(
            session_id="s1",
            group=self.group,
            template=template_for(template or self.group.template, self.group.agenda),
            today=today or start.date(),
            recent_sessions=recent_sessions,
            open_commitments=open_commitments,
            checkins=checkins,
            turn_seconds_override=turn_seconds_override,
            session_number=session_number,
            goals=goals,
            guests=guests,
        )
        self.setup = setup
        first = ev.Entry(1, self.clock.now(), ev.SessionStarted(setup=setup.to_doc()))
        self.meeting = Meeting.replay([entry_roundtrip(first)])

    # -- acting ----------------------------------------------------------------

    @property
    def now(self) -> DateTime:
        return self.clock.now()

    def advance(self, seconds: float) -> DateTime:
        return self.clock.advance(seconds)

    def act(self, action: ev.Action, after_seconds: float = 0.0) -> Meeting:
        """Apply ``action`` ``after_seconds`` from now (raises InvalidAction)."""
        if after_seconds:
            self.clock.advance(after_seconds)
        entry = ev.Entry(self.meeting.last_seq + 1, self.clock.now(), action)
        self.meeting.apply(entry)
        return self.meeting

    def refuse(self, action: ev.Action, match: str, after_seconds: float = 0.0) -> str:
        """Assert that ``action`` is refused with a message matching ``match``,
        leaving the meeting exactly as it was."""
        if after_seconds:
            self.clock.advance(after_seconds)
        before = snapshot(self.meeting, self.now)
        with pytest.raises(InvalidAction, match=match) as caught:
            self.act(action)
        assert snapshot(self.meeting, self.now) == before, f"{action} changed the state"
        message = str(caught.value)
        assert message and "\n" not in message
        return message

    def undo(self, after_seconds: float = 0.0) -> Meeting:
        target = self.meeting.last_undoable()
        assert target is not None, "nothing to undo"
        return self.act(ev.Undo(target=target.seq), after_seconds)

    def goto(self, phase: str, after_seconds: float = 0.0) -> Meeting:
        return self.act(ev.PhaseJumped(phase=phase), after_seconds)

    # -- reading ---------------------------------------------------------------

    def timer_remaining(self) -> float:
        return self.meeting.timer(self.now).remaining

    def timer_state(self) -> str:
        return self.meeting.timer(self.now).state

    def resumed(self) -> MeetingDriver:
        """A second driver on the meeting rebuilt from the journal, at the same time."""
        other = copy.copy(self)
        other.clock = FakeClock(self.now)
        other.meeting = self.replayed()
        return other

    def replayed(self) -> Meeting:
        """The meeting rebuilt from its journal as written to disk."""
        return Meeting.replay(entry_roundtrip(e) for e in self.meeting.entries)


def snapshot(meeting: Meeting, now: DateTime) -> dict[str, Any]:
    """Everything the meeting holds, plus what its screens read at ``now``."""
    # Entries are frozen: a shallow copy of the list is enough (and keeps this fast).
    skip = {"setup", "entries"}
    state = {key: value for key, value in vars(meeting).items() if key not in skip}
    budget = meeting.budget(now)
    return copy.deepcopy(
        {
            **state,
            "entries": tuple(meeting.entries),
            "timer": meeting.timer(now),
            "budget": budget,
            "phase": meeting.phase,
            "up_next": meeting.up_next(),
            "turn_seconds": meeting.turn_seconds(),
        }
    )


def check_invariants(meeting: Meeting, now: DateTime) -> None:
    """What must hold after any sequence of actions, valid or not."""
    m = meeting
    assert len(set(m.queue)) == len(m.queue), f"duplicates in the queue {m.queue}"
    assert m.speaker not in m.queue, f"the speaker {m.speaker} is also queued"
    assert set(m.queue) <= m.here, f"queued but not here: {set(m.queue) - m.here}"
    assert not m.here & m.left, f"both here and left: {m.here & m.left}"
    assert set(m.spoken) == set(m.turns), "spoken and turns disagree"
    if m.speaker is not None:
        assert m.phase.name == "updates" and m.speaker in m.here
    if m.phase.name == "updates" and m.queue and not m.ended:
        assert m.speaker is not None, "updates idle with people waiting"
    if m.updates_begun:
        for member_id in m.here:
            turn = m.turns.get(member_id)
            if turn is None or not turn.finished:
                assert member_id in m.queue or member_id == m.speaker, f"{member_id} lost a turn"
    if m.current_ask is not None:
        assert m.phase.name == "asks" and m.current_ask not in m.ask_queue
        assert m.asks[m.current_ask].part in ("questions", "advice")
    assert len(set(m.ask_queue)) == len(m.ask_queue)
    assert all(m.asks[a].part != "done" for a in m.ask_queue)
    assert m.timer(now).remaining == m.timer(now).remaining  # finite, not NaN


def fold_state(meeting: Meeting, now: DateTime) -> dict[str, Any]:
    """The state without the journal itself (for comparing a refold)."""
    state = snapshot(meeting, now)
    state.pop("entries")
    return state


def session_doc(
    session_id: str,
    order: Sequence[str],
    *,
    turn_seconds: dict[str, float] | None = None,
    asks: Sequence[tuple[str, float, float]] = (),
    started_at: DateTime | None = None,
) -> Session:
    """A finished session as the history reads it (only the fields setup reads matter)."""
    at = (started_at or START.subtract(weeks=3)).isoformat()
    seconds = turn_seconds or {}
    doc: dict[str, Any] = {
        "id": session_id,
        "group_id": GROUP_ID,
        "template": "full",
        "started_at": at,
        "ended_at": at,
        "planned_minutes": 120,
        "attendance": dict.fromkeys(order, "present"),
        "order": list(order),
        "turns": [
            {"member_id": m, "seconds": seconds.get(m, 0.0), "passed": False, "notes": []}
            for m in order
        ],
        "asks": [
            {
                "id": f"{session_id}-ask{i}",
                "member_id": member,
                "text": "an ask",
                "wanted_seconds": 600.0,
                "private": False,
                "votes": 0,
                "question_seconds": questions,
                "advice_seconds": advice,
                "extensions": [],
                "outcome": None,
                "commitment_id": None,
                "helpers": [],
                "notes": [],
                "done": True,
            }
            for i, (member, questions, advice) in enumerate(asks)
        ],
        "wins": [],
        "commitment_ids": [],
        "reviews": {},
        "ratings": {},
        "notes": [],
        "next_meeting": None,
        "updated_at": at,
    }
    return read_as(Session, doc)


def recorded_session(meeting: Meeting, as_of: DateTime | None = None) -> Session:
    """The session an ended meeting (or a live one ``as_of``) leaves, as the
    history reads it back (the record writes dicts; readers take the record)."""
    return read_as(Session, session_record(meeting, as_of=as_of).session)


def commitment_doc(
    commitment_id: str,
    owner: str,
    text: str = "Submit the grant",
    *,
    reviews: Sequence[dict[str, Any]] = (),
    due: str | None = None,
    private: bool = False,
) -> Commitment:
    return read_as(
        Commitment,
        {
            "id": commitment_id,
            "group_id": GROUP_ID,
            "owner": owner,
            "text": text,
            "due": due,
            "private": private,
            "made_at": START.subtract(weeks=3).isoformat(),
            "made_in": "s0",
            "from_ask": None,
            "reviews": [dict(r) for r in reviews],
            "updated_at": START.subtract(weeks=3).isoformat(),
        },
    )


def checkin_doc(
    checkin_id: str,
    member_id: str,
    at: DateTime,
    statuses: dict[str, Any],
    note: str | None = None,
) -> Checkin:
    return Checkin(
        id=checkin_id,
        group_id=GROUP_ID,
        member_id=member_id,
        at=at.isoformat(),
        statuses=statuses,
        note=note,
        energy=None,
        private=False,
        updated_at=at.isoformat(),
    )


def read_sessions(docs: Iterable[Mapping[str, object]]) -> list[Session]:
    """Session documents as written (a demo's, a record's) read as the history
    reads them back."""
    return read_all(Session, list(docs))
