"""One simulated session, phase by phase, and the run of sessions between dates.

Each phase takes the moment it starts and returns the moment it ended, so the
documents carry times in the order a real meeting would have stamped them.
The order of the random draws is part of the output: the same seed must give
the same history, so a change here changes every demo.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import date as StdDate
from typing import TYPE_CHECKING, Any

from ..core.record import SessionRecord
from ..core.record_types import stored
from ..core.record_values import (
    WIN_KINDS,
    AttendanceStatus,
    WinKind,
)
from ..core.roles import held_recency, propose
from ..core.session_records import Checkin, Review
from ..core.setup import rotate_order
from ..core.templates import FULL
from .follow_up import checkin, review
from .hot_seat import hot_seat
from .state import GroupState, OpenCommitment, iso, weighted
from .vocabulary import (
    COMMITMENTS,
    PRIVATE_NOTES,
    PRIVATE_WINS,
    SESSION_NOTES,
    TURN_NOTES,
    WIN_CUMULATIVE,
    WINS,
)

if TYPE_CHECKING:
    from ..core.session_records import Commitment

LENGTH_MINUTES = 120

#: A check-in and the dated reviews it made.
CheckinWithReviews = tuple[Checkin, dict[str, Review]]


def run_sessions(
    state: GroupState, days: list[StdDate], next_meeting: StdDate, today: StdDate
) -> tuple[list[SessionRecord], list[CheckinWithReviews]]:
    """Every session on ``days`` with the check-ins between them."""
    records: list[SessionRecord] = []
    checkins: list[CheckinWithReviews] = []
    since_checkin = 0
    for index, day in enumerate(days):
        following = days[index + 1] if index + 1 < len(days) else next_meeting
        records.append(simulate_session(state, index, day, following))
        is_last = index + 1 == len(days)
        # Check-ins happen before the next session, and never on or after today.
        before = today if is_last else following
        found = checkin(state, day, before, force=is_last or since_checkin >= 3)
        if found is None:
            since_checkin += 1
        else:
            checkins.append(found)
            since_checkin = 0
    return records, checkins


def simulate_session(
    state: GroupState, index: int, day: StdDate, next_day: StdDate
) -> SessionRecord:
    """Session number ``index`` (from 0) of the run, held on ``day``."""
    rng = state.rng
    session_id = state.new_id()
    next_iso = next_day.isoformat()
    start = datetime(day.year, day.month, day.day, 16, 0, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(0, 600)
    )
    attendance = _attendance(state, index)
    attended = [m for m in state.member_ids if attendance[m] != "absent"]
    in_room = [m for m in state.member_ids if attendance[m] == "present"] or attended
    order = _speaking_order(state, attendance)

    notes: list[dict[str, Any]] = []
    t = start + timedelta(seconds=rng.uniform(270, 480))  # opening
    if rng.random() < 0.15:
        notes.append(state.note(state.text(rng.choice(SESSION_NOTES)), t))
    wins, t = _wins(state, index, attended, t)
    t += timedelta(seconds=rng.uniform(30, 90))
    reviews, t = _reviews(state, attendance, t, session_id, next_iso)
    t += timedelta(seconds=rng.uniform(30, 90))
    turns, t = _turns(state, order, len(in_room), t)
    asks, commitments, t = hot_seat(state, index, attended, t, session_id, next_iso)
    t += timedelta(seconds=rng.uniform(30, 120))
    commitments, t = _everyone_commits(state, order, commitments, t, session_id, next_iso)

    # Close: ratings, a note, the next date.
    t += timedelta(seconds=rng.uniform(120, 300))
    ratings = {m: max(6, min(10, round(rng.gauss(state.profiles[m].mood, 0.9)))) for m in attended}
    if rng.random() < 0.35:
        notes.append(state.note(state.text(rng.choice(SESSION_NOTES)), t, rng.random() < 0.1))
    ended_iso = iso(t + timedelta(seconds=rng.uniform(120, 300)))
    for c in commitments:
        c.updated_at = ended_iso
    for a in asks:
        state.recent_asks[a["member_id"]] += 1
    session: dict[str, Any] = {
        "id": session_id,
        "group_id": state.group.id,
        "template": FULL.name,
        "started_at": iso(start),
        "ended_at": ended_iso,
        "planned_minutes": LENGTH_MINUTES,
        "attendance": attendance,
        "order": order,
        "turns": turns,
        "asks": asks,
        "wins": wins,
        "commitment_ids": [c.id for c in commitments],
        "reviews": {commitment_id: stored(r) for commitment_id, r in reviews.items()},
        "ratings": ratings,
        "notes": notes,
        "next_meeting": next_iso,
        "updated_at": ended_iso,
        "roles": _roles(state, attended),
    }
    return SessionRecord(session=session, commitments=commitments, reviews=reviews)


def _roles(state: GroupState, attended: list[str]) -> list[dict[str, Any]]:
    """The rota's holders, as a meeting proposes them (those away that day
    skipped, as a facilitator would swap them at the opening); draws no dice,
    so the rest of the demo is the same with or without roles."""
    proposal = propose(state.group.roles, attended, held_recency(state.roles_held))
    state.roles_held.append(proposal.holders)
    return [{"role": role, "member_id": member} for role, member in proposal.holders]


def _attendance(state: GroupState, index: int) -> dict[str, AttendanceStatus]:
    """Mostly present, the odd absence or late arrival; never fewer than four in the room."""
    rng = state.rng
    attendance: dict[str, AttendanceStatus] = {}
    for m in state.member_ids:
        p = state.profiles[m]
        r = rng.random()
        attendance[m] = (
            "absent" if r < p.absence else "late" if r < p.absence + p.lateness else "present"
        )
    forced: AttendanceStatus | None = (
        "late" if index == state.late_index else "absent" if index == state.absent_index else None
    )
    if forced and forced not in attendance.values():
        attendance[rng.choice(state.member_ids)] = forced
    needed = min(4, len(state.member_ids))
    for m in state.member_ids:
        if sum(1 for s in attendance.values() if s != "absent") >= needed:
            break
        attendance[m] = "present"
    return attendance


def _speaking_order(state: GroupState, attendance: dict[str, AttendanceStatus]) -> list[str]:
    """Who went first last time goes last; late arrivals join the end of the queue."""
    planned = (
        rotate_order(state.member_ids, state.last_order)
        if state.last_order
        else tuple(state.member_ids)
    )
    order = [m for m in planned if attendance[m] == "present"]
    order += [m for m in planned if attendance[m] == "late"]
    state.last_order = order
    return order


def _wins(
    state: GroupState, index: int, attended: list[str], t: datetime
) -> tuple[list[dict[str, Any]], datetime]:
    rng = state.rng
    wins: list[dict[str, Any]] = []
    win_count = weighted(rng, (0, 1, 2, 3), (0.1, 0.45, 0.8, 1.0))
    force_private = index == state.private_win_index
    for n in range(max(win_count, int(force_private))):
        t += timedelta(seconds=rng.uniform(60, 180))
        member = rng.choice(attended)
        private = rng.random() < 0.1 or (force_private and n == 0)
        if private:
            kind: WinKind = rng.choice(("personal", "other"))
            text = rng.choice(PRIVATE_WINS)
        else:
            kind = weighted(rng, WIN_KINDS, WIN_CUMULATIVE)
            text = state.text(rng.choice(WINS[kind]))
        wins.append(
            {
                "id": state.new_id(),
                "member_id": member,
                "kind": kind,
                "text": text,
                "private": private,
                "at": iso(t),
            }
        )
    return wins, t


def _reviews(
    state: GroupState,
    attendance: dict[str, AttendanceStatus],
    t: datetime,
    session_id: str,
    next_iso: str,
) -> tuple[dict[str, Review], datetime]:
    """Earlier commitments still open, of owners in the room, in member order."""
    reviews: dict[str, Review] = {}
    items = sorted(
        (o for o in state.open.values() if attendance[o.owner] != "absent"),
        key=lambda o: (state.rank[o.owner], o.made_at),
    )
    for item in items:
        t += timedelta(seconds=state.rng.uniform(40, 100))
        reviews[item.id] = review(state, item, t, session_id, next_iso)
    return reviews, t


def _turns(
    state: GroupState, order: list[str], in_room: int, t: datetime
) -> tuple[list[dict[str, Any]], datetime]:
    """One timeboxed update turn each, in speaking order."""
    rng = state.rng
    fixed = sum(p.minutes or 0.0 for p in FULL.phases) * 60
    talking = LENGTH_MINUTES * 60 - fixed
    turn_budget = min(max(talking * FULL.update_share / in_room, 60.0), 1200.0)
    turns: list[dict[str, Any]] = []
    for m in order:
        passed = rng.random() < 0.04
        if passed:
            seconds = rng.uniform(8, 30)
            turn_notes: list[dict[str, Any]] = []
        else:
            seconds = turn_budget * state.profiles[m].chatty * rng.uniform(0.8, 1.25)
            turn_notes = []
            for _ in range(weighted(rng, (0, 1, 2), (0.35, 0.8, 1.0))):
                at = t + timedelta(seconds=seconds * rng.uniform(0.2, 0.9))
                if rng.random() < 0.1:
                    turn_notes.append(state.note(rng.choice(PRIVATE_NOTES), at, True, "update", m))
                else:
                    text = state.text(rng.choice(TURN_NOTES))
                    turn_notes.append(state.note(text, at, False, "update", m))
            turn_notes.sort(key=lambda n: n["at"])
        turns.append(
            {"member_id": m, "seconds": round(seconds, 3), "passed": passed, "notes": turn_notes}
        )
        t += timedelta(seconds=seconds + rng.uniform(3, 20))
    return turns, t


def _everyone_commits(
    state: GroupState,
    order: list[str],
    from_asks: list[Commitment],
    t: datetime,
    session_id: str,
    next_iso: str,
) -> tuple[list[Commitment], datetime]:
    """Everyone leaves with at least one commitment; all of them are now open."""
    rng = state.rng
    commitments = list(from_asks)
    owners = {c.owner for c in from_asks}
    for m in order:
        count = int(rng.random() < 0.55) if m in owners else 1
        count += int(rng.random() < 0.2)
        for _ in range(count):
            t += timedelta(seconds=rng.uniform(50, 110))
            template = rng.choice(COMMITMENTS)
            if "{peer}" in template:
                peer = rng.choice([x for x in state.member_ids if x != m])
                text = state.text(template, peer=state.names[peer].split()[0])
            else:
                text = state.text(template)
            commitments.append(
                state.commitment(
                    state.new_id(), m, text, next_iso, rng.random() < 0.08, session_id, t, None
                )
            )
    for c in commitments:
        state.open[c.id] = OpenCommitment(c.id, c.owner, c.made_at, c.text)
    return commitments, t
