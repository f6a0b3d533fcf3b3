"""Every accountability figure about a member and about the group, from one walk.

The figures are defined in ``core/accountability.py``; here they are gathered
for each member (:func:`members_figures`, one pass over a long history for all
of them) and for the group (:func:`group_figures`), as the history screens and
the report show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .accountability import (
    Rate,
    airtime,
    attendance,
    attendance_line,
    average_rating,
    carry_over,
    completion,
    open_commitments,
    session_done,
    sessions_on_leave,
)
from .lifecycle import on_leave
from .local_days import local_day
from .model import Group, Member
from .win_counts import wins_by_year

if TYPE_CHECKING:
    from .session_records import Commitment, Session


@dataclass(frozen=True)
class MemberFigures:
    member_id: str
    completion: Rate
    carried: Rate
    attendance: Rate
    late: int
    airtime_seconds: float
    #: Sessions in which the member spoke (to average airtime over).
    spoke_in: int
    open_count: int
    overdue_count: int
    #: The member's rating of each session they rated, oldest first.
    ratings: list[int] = field(default_factory=list)
    #: For each session that reviewed their commitments: the share done, oldest first.
    completion_trend: list[float] = field(default_factory=list)
    #: Sessions held while they were on leave (counted neither for nor against).
    away: int = 0
    #: Open commitments due in their leave, not reviewed yet (not overdue).
    paused_count: int = 0

    @property
    def attendance_line(self) -> str:
        """``7 of 8 sessions (88%); on leave for 3``."""
        return attendance_line(self.attendance, self.away)

    @property
    def average_airtime(self) -> float:
        return self.airtime_seconds / self.spoke_in if self.spoke_in else 0.0


@dataclass(frozen=True)
class GroupFigures:
    completion: Rate
    carried: Rate
    attendance: Rate
    open_count: int
    overdue_count: int
    wins: dict[int, dict[str, int]]
    #: The average rating of each rated session, oldest first.
    ratings: list[float] = field(default_factory=list)
    #: Each session's share of reviewed commitments done, oldest first.
    completion_trend: list[float] = field(default_factory=list)
    #: Sessions held while a member was on leave, summed over the members.
    away: int = 0


def member_figures(
    member_id: str,
    sessions: list[Session],
    commitments: list[Commitment],
    today: date,
    members: Mapping[str, Member] | None = None,
) -> MemberFigures:
    """Every figure about one member (``sessions`` oldest first)."""
    return members_figures([member_id], sessions, commitments, today, members)[member_id]


@dataclass
class _Tally:
    """One member's running counts while the sessions are walked once."""

    mine: list[Commitment] = field(default_factory=list)
    trend: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    spent: float = 0.0
    spoke_in: int = 0
    late: int = 0
    marked: int = 0
    attended: int = 0
    away: int = 0


def members_figures(
    member_ids: Iterable[str],
    sessions: list[Session],
    commitments: list[Commitment],
    today: date,
    members: Mapping[str, Member] | None = None,
) -> dict[str, MemberFigures]:
    """Every figure about each of these members (``sessions`` oldest first), from
    one walk of the sessions and of the commitments for all of them: a long
    history is read once, not once per member. ``members`` (id → member) gives
    their leave: sessions held while away are counted apart, and commitments
    due in a leave are paused."""
    owners = members or {}
    on_leave_sometime = {i: m for i, m in owners.items() if m.leave}
    tallies = {member_id: _Tally() for member_id in member_ids}
    owner_of: dict[str, _Tally] = {}
    for commitment in commitments:
        tally = tallies.get(commitment.owner)
        if tally is not None:
            tally.mine.append(commitment)
            owner_of[commitment.id] = tally
    for session in sessions:
        # Of each member's commitments reviewed in this session: [done, reviewed].
        reviewed: dict[int, tuple[_Tally, list[int]]] = {}
        for commitment_id, review in session.reviews.items():
            owner = owner_of.get(commitment_id)
            if owner is not None:
                counts = reviewed.setdefault(id(owner), (owner, [0, 0]))[1]
                counts[0] += review.status == "done"
                counts[1] += 1
        for owner, (done, whole) in reviewed.values():
            owner.trend.append(done / whole)
        for who, rating in session.ratings.items():
            if (tally := tallies.get(who)) is not None:
                tally.ratings.append(rating)
        for who, seconds in airtime(session).items():
            if seconds and (tally := tallies.get(who)) is not None:
                tally.spent += seconds
                tally.spoke_in += 1
        for who, status in session.attendance.items():
            if (tally := tallies.get(who)) is not None:
                tally.marked += 1
                tally.attended += status in ("present", "late")
                tally.late += status == "late"
        if on_leave_sometime:
            day = local_day(session.started_at)
            for who, member in on_leave_sometime.items():
                tally = tallies.get(who)
                if tally is not None and who not in session.attendance and on_leave(member, day):
                    tally.away += 1
    found = {}
    for member_id, tally in tallies.items():
        still_open = open_commitments(tally.mine, today, owners)
        found[member_id] = MemberFigures(
            member_id=member_id,
            completion=completion(tally.mine, today, owners),
            carried=carry_over(tally.mine, today, owners),
            attendance=Rate(tally.attended, tally.marked),
            late=tally.late,
            airtime_seconds=tally.spent,
            spoke_in=tally.spoke_in,
            open_count=len(still_open),
            overdue_count=sum(1 for o in still_open if o.overdue),
            ratings=tally.ratings,
            completion_trend=tally.trend,
            away=tally.away,
            paused_count=sum(1 for o in still_open if o.paused),
        )
    return found


def group_figures(
    sessions: list[Session],
    commitments: list[Commitment],
    today: date,
    group: Group | None = None,
) -> GroupFigures:
    """The group's figures (``sessions`` oldest first); ``group`` gives its
    members' leave (paused commitments, sessions held while someone was away)."""
    owners = {m.id: m for m in group.members} if group is not None else {}
    still_open = open_commitments(commitments, today, owners)
    ratings = [r for r in (average_rating(s) for s in sessions) if r is not None]
    trend = [rate.share for rate in (session_done(s) for s in sessions) if rate.share is not None]
    return GroupFigures(
        completion=completion(commitments, today, owners),
        carried=carry_over(commitments, today, owners),
        attendance=attendance(sessions),
        open_count=len(still_open),
        overdue_count=sum(1 for o in still_open if o.overdue),
        wins=wins_by_year(sessions),
        ratings=ratings,
        completion_trend=trend,
        away=sessions_on_leave(sessions, owners.values()),
    )


def all_member_figures(
    group: Group, sessions: list[Session], commitments: list[Commitment], today: date
) -> dict[str, MemberFigures]:
    """Every member's figures (former members too; never a guest), by member id."""
    owners = {m.id: m for m in group.members}
    return members_figures(list(owners), sessions, commitments, today, owners)
