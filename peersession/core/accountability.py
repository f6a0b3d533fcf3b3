"""Accountability figures: how a group, and each member, follows through.

Pure functions over the stored documents (no store, no screen, no clock: the
caller passes ``today``), so the history screens and the tests share one
definition of every figure:

* A commitment is **due** on ``today`` when its due date (after any
  renegotiation) is on or before ``today``, or when it has been reviewed at
  least once: a review is an accounting, whatever the date said. A commitment
  with a later due date that nobody has reviewed yet is not counted.
* **Completion** is the share of due commitments whose latest status is
  ``done`` (dropped, partial, not done and still-open ones count against it).
* A commitment is **carried over** when a review marked it partial, not done
  or renegotiated before it closed (or while it is still open): it went round
  again. **Carry-over** is the share of due commitments carried over.
* **Attendance** is the share of sessions a member was marked present or late,
  out of the sessions whose roll held them (someone who joined later is not
  counted absent before they joined). The group's is the same over everyone.
* **On leave** (``core/lifecycle.py``): a session held while a member was on
  leave did not expect them (its roll does not hold them), so it counts
  neither for nor against their attendance; the figures say how many there
  were ("7 of 8 sessions; on leave for 3"). A commitment whose due date falls
  in its owner's leave is **paused**: not due, not overdue, until it is
  reviewed. Guests are never counted: not in the group's attendance, never
  in a member's figures.
* **Overdue**: still open, and its due date is before ``today``.
* A session's **done** figure ("5/7 done") is the share of the reviews made in
  that session (the earlier commitments that were due then) marked done.
* **Airtime** is the time a member held the floor: their update turn plus the
  questions and advice of the asks they brought.

Each figure is defined here; ``core/figures.py`` gathers them per member and for
the group, and ``core/win_counts.py`` counts the wins by year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import TYPE_CHECKING

from .commitment_state import CLOSED_STATUSES, commitment_status, current_commitment_due
from .lifecycle import on_leave
from .local_days import local_day
from .model import Member, parse_date_doc
from .words import plural

if TYPE_CHECKING:
    from .session_records import Commitment, Session

#: Review statuses that send a commitment round again.
CARRY_STATUSES: frozenset[str] = frozenset({"partial", "not_done", "renegotiated"})


@dataclass(frozen=True)
class Rate:
    """``part`` out of ``whole``, kept as counts so screens can say "5/7"."""

    part: int
    whole: int

    @property
    def share(self) -> float | None:
        """The fraction, or None when there is nothing to count yet."""
        return self.part / self.whole if self.whole else None

    def percent(self) -> str:
        return f"{round(100 * self.part / self.whole)}%" if self.whole else "–"

    def label(self) -> str:
        """``5/7 (71%)``, or a dash when nothing was counted."""
        return f"{self.part}/{self.whole} ({self.percent()})" if self.whole else "–"


# -- commitments -------------------------------------------------------------------


def due_date(commitment: Commitment) -> date | None:
    """The due date after any renegotiation, or None when it has none."""
    due = current_commitment_due(commitment)
    if not due:
        return None
    try:
        # The standard parser first: it runs for every commitment of a long history.
        return date.fromisoformat(due)
    except ValueError:
        return parse_date_doc(due)


def is_due(commitment: Commitment, today: date, owner: Member | None = None) -> bool:
    """Counted in completion: due on or before ``today``, or reviewed at least
    once; not while paused (its due date in its ``owner``'s leave)."""
    if commitment.reviews:
        return True
    due = due_date(commitment)
    return due is not None and due <= today and not (owner is not None and on_leave(owner, due))


def is_paused(commitment: Commitment, owner: Member | None) -> bool:
    """Unreviewed, and due on a day its owner is on leave: neither due nor overdue."""
    if owner is None or not owner.leave or commitment.reviews:
        return False
    due = due_date(commitment)
    return due is not None and on_leave(owner, due)


def is_carried_over(commitment: Commitment) -> bool:
    """Marked partial, not done or renegotiated before it closed (or since, if open)."""
    for review in commitment.reviews:
        if review.status in CLOSED_STATUSES:
            return False
        if review.status in CARRY_STATUSES:
            return True
    return False


def completion(
    commitments: Iterable[Commitment],
    today: date,
    owners: Mapping[str, Member] | None = None,
) -> Rate:
    """``owners``: member id → member, so a paused commitment is not counted."""
    who = owners or {}
    due = [c for c in commitments if is_due(c, today, who.get(c.owner))]
    return Rate(sum(1 for c in due if commitment_status(c) == "done"), len(due))


def carry_over(
    commitments: Iterable[Commitment],
    today: date,
    owners: Mapping[str, Member] | None = None,
) -> Rate:
    who = owners or {}
    due = [c for c in commitments if is_due(c, today, who.get(c.owner))]
    return Rate(sum(1 for c in due if is_carried_over(c)), len(due))


@dataclass(frozen=True)
class OpenCommitment:
    """An open commitment as the accountability list shows it."""

    doc: Commitment
    status: str
    due: date | None
    #: Days past its due date (0 when due today or later, or without a date,
    #: or paused).
    overdue_days: int
    #: Due while its owner is on leave and not reviewed yet: not overdue.
    paused: bool = False

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


def open_commitments(
    commitments: Iterable[Commitment],
    today: date,
    owners: Mapping[str, Member] | None = None,
) -> list[OpenCommitment]:
    """Open commitments, overdue first (most overdue first), then by due date;
    those without a date last, oldest made first within each. ``owners``:
    member id → member, so a commitment due in its owner's leave is paused."""
    who = owners or {}
    found = []
    for doc in commitments:
        status = commitment_status(doc)
        if status in CLOSED_STATUSES:
            continue
        due = due_date(doc)
        paused = is_paused(doc, who.get(doc.owner))
        # Ordinals, not subtraction: ``today`` may be a pendulum Date, whose
        # difference is an interval rather than a timedelta.
        late = (
            today.toordinal() - due.toordinal()
            if due is not None and due < today and not paused
            else 0
        )
        found.append(OpenCommitment(doc, status, due, late, paused))
    return sorted(
        found,
        key=lambda o: (
            not o.overdue,
            o.due is None,
            o.due or today,
            o.doc.made_at,
        ),
    )


# -- sessions ----------------------------------------------------------------------


def session_day(session: Session) -> date:
    """The local calendar date a session started on."""
    return local_day(session.started_at)


def session_done(session: Session) -> Rate:
    """Of the earlier commitments reviewed in this session, how many were done."""
    reviews = session.reviews.values()
    return Rate(sum(1 for r in reviews if r.status == "done"), len(reviews))


def attended(session: Session, member_id: str) -> bool:
    return session.attendance.get(member_id) in ("present", "late")


def guest_ids(session: Session) -> set[str]:
    """The session's guests (never counted as members)."""
    return {guest.id for guest in session.guests or ()}


def attendance(sessions: Iterable[Session], member_id: str | None = None) -> Rate:
    """Present-or-late marks out of all marks, for one member or everyone (the
    members: a guest's mark is not counted)."""
    part = whole = 0
    for session in sessions:
        guests = guest_ids(session) if session.guests else ()
        for who, status in session.attendance.items():
            if (member_id is not None and who != member_id) or who in guests:
                continue
            whole += 1
            part += status in ("present", "late")
    return Rate(part, whole)


def sessions_on_leave(
    sessions: Iterable[Session], members: Iterable[Member], zone: tzinfo | None = None
) -> int:
    """How many times a session was held while one of ``members`` was on leave
    and its roll did not hold them (what attendance did not count)."""
    away = [m for m in members if m.leave]
    if not away:
        return 0
    count = 0
    for session in sessions:
        day = local_day(session.started_at, zone)
        count += sum(1 for m in away if m.id not in session.attendance and on_leave(m, day))
    return count


def attendance_line(rate: Rate, away: int) -> str:
    """What an attendance figure counted: ``7 of 8 sessions (88%); on leave for 3``."""
    line = f"{rate.part} of {plural(rate.whole, 'session')}"
    if rate.whole:
        line += f" ({rate.percent()})"
    return f"{line}; on leave for {away}" if away else line


def average_rating(session: Session) -> float | None:
    ratings = session.ratings.values()
    return sum(ratings) / len(ratings) if ratings else None


def airtime(session: Session) -> dict[str, float]:
    """Seconds each member held the floor: their turn plus the asks they brought."""
    spent: dict[str, float] = {}
    for turn in session.turns:
        spent[turn.member_id] = spent.get(turn.member_id, 0.0) + turn.seconds
    for ask in session.asks:
        seconds = ask.question_seconds + ask.advice_seconds
        spent[ask.member_id] = spent.get(ask.member_id, 0.0) + seconds
    return spent
