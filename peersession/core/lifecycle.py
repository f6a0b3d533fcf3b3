"""Members who join, pause and leave, and guests who visit once (issue 24 item 3).

A group meets for years: people join late, take parental leave or a
sabbatical, leave for good; a guest speaks once. Every door asks this module:

* **joined**: the day a member joined. Sessions before it are not theirs: no
  private item of them is shown or sent to them (``core/privacy.py``), and they
  were not expected at them.
* **on leave** for periods (first and last day, both included): not expected at
  a session, no share of the talking time, not in the rota, no commitment due
  (a due date inside a leave is *paused*, not overdue, until it is reviewed),
  and not counted for or against attendance or completion while away.
* **left**: a former member (``active`` false) stays in the history and its
  figures, gone from meetings; ``left`` says since when, if known.
* a **guest** is never a member: named in the session it attended only.

Dates are the standard library's ``date`` (pendulum's is one): every history
row asks, and the standard parser is the fast one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated

from .record_types import CalendarDay, Value, doc
from .words import plural

if TYPE_CHECKING:
    from .model import Member
    from .session_records import Session

#: Most leave periods one member may hold (each is a line in ``group show``).
MAX_LEAVES = 50


class Leave(Value, kw_only=False):
    """A period a member is away on leave (issue 24.3): both days included."""

    first: Annotated[CalendarDay, doc("The first day away.")]
    last: Annotated[CalendarDay, doc("The last day away (on or after `first`).")]

    def __lt__(self, other: Leave) -> bool:
        return (self.first, self.last) < (other.first, other.last)

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    def label(self) -> str:
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def checked_leaves(leaves: Iterable[Leave]) -> tuple[Leave, ...]:
    """The periods in order; ValueError for two that overlap, or too many."""
    ordered = tuple(sorted(leaves))
    for before, after in pairwise(ordered):
        if after.first <= before.last:
            raise ValueError(f"leave {after.label()} overlaps leave {before.label()}")
    if len(ordered) > MAX_LEAVES:
        raise ValueError(f"at most {MAX_LEAVES} leave periods a member")
    return ordered


def leave_rules(leaves: Sequence[Leave], joined: date | None, left: date | None) -> None:
    """A member's stored dates as every reader needs them (the door's check):
    periods in order, none overlapping, none ending before it begins, and a
    member who left after they joined. ValueError names what is wrong."""
    for period in leaves:
        if period.last < period.first:
            raise ValueError(f"leave {period.label()} ends before it begins")
    checked_leaves(leaves)
    if joined is not None and left is not None and left < joined:
        raise ValueError("left before they joined")


# --- who is expected, and when ------------------------------------------------------------


def on_leave(member: Member, day: date) -> bool:
    """Whether ``member`` is away on leave on ``day``."""
    return any(period.covers(day) for period in member.leave)


def leave_on(member: Member, day: date) -> Leave | None:
    return next((period for period in member.leave if period.covers(day)), None)


def joined_by(member: Member, day: date) -> bool:
    """Whether ``member`` had joined by ``day`` (no join date: from the start)."""
    return member.joined is None or member.joined <= day


def expected(member: Member, day: date | None) -> bool:
    """Whether ``member`` is expected at a session on ``day`` (None: any day,
    the rule for a current member): current, joined, and not on leave."""
    if not member.active or member.guest:
        return False
    if day is None:
        return True
    return joined_by(member, day) and not on_leave(member, day)


def away_line(member: Member, day: date) -> str | None:
    """Why a current member is not expected on ``day``, in a few words, or None."""
    if not member.active:
        return "left the group"
    period = leave_on(member, day)
    if period is not None:
        return f"on leave until {period.last.isoformat()}"
    if not joined_by(member, day):
        assert member.joined is not None
        return f"joins on {member.joined.isoformat()}"
    return None


def sees_private_of(member: Member, session_day: date) -> bool:
    """Whether a private item of a session on ``session_day`` may be shown or sent
    to ``member``: not before they joined, never to a guest."""
    if member.guest:
        return False
    return member.joined is None or member.joined <= session_day


def counted_line(attended: int, marked: int, away: int) -> str:
    """What an attendance figure counted: ``7 of 8 sessions; on leave for 3``."""
    line = f"{attended} of {plural(marked, 'session')}"
    if away:
        line += f"; on leave for {away}"
    return line


def members_here(session: Session) -> tuple[int, int, int]:
    """A session's roll: (members here, members on the roll, guests here). Guests
    are counted apart, so "7 of 7 here" counts the group's members only."""
    guests = {g.id for g in session.guests or ()}
    roll = {m: s for m, s in session.attendance.items() if m not in guests}
    here = sum(1 for s in roll.values() if s != "absent")
    visiting = sum(1 for m, s in session.attendance.items() if m in guests and s != "absent")
    return here, len(roll), visiting
