"""The group's outcomes, year by year: what ``peersession report`` shows a department.

Pure: documents in, figures out (the caller passes ``today`` and the zone that
decides which year a moment falls in). Each year holds:

* **wins by kind** (promotion, grant, publication, award, personal, other) and
  the wins themselves, each only when its member agreed to share their wins
  (``Member.shares_wins``) and never a private one: a win is the member's
  news, told in the room;
* **attendance**: present (or late) marks out of the marks expected, as the
  history counts it (:func:`peersession.core.accountability.attendance`);
* **commitment completion**: of the commitments made that year that are due,
  the share done (:func:`peersession.core.accountability.completion`);
  private commitments are left out of the counts too;
* **goals reached**, only when the group's file keeps goals at all
  (``None`` otherwise: the report says goals are not counted, rather than 0);
  a year with goals reached and no session is still a year of the report;
* **the health trend**: the year's health checks pooled, the mean of each
  question (``core/health.py``), which the writers set beside the year
  before's; a check never names anyone here, named or anonymous.

``anonymous`` keeps every member's name out: wins are counted and listed by
kind and month alone. Their texts stay out too, since a win is told in the
member's own words and those often name them ("Ana's R01 was funded"), and
the day is coarsened to the month, which with the kind would point at one
person in a department that knows who was promoted when.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from .accountability import Rate, attendance, completion, sessions_on_leave
from .health import QUESTIONS, mean, tally
from .local_days import local_day
from .model import Group
from .record_values import WIN_KINDS, HealthQuestion, WinKind

if TYPE_CHECKING:
    from .records import Goal
    from .session_records import Commitment, Session


@dataclass(frozen=True)
class ReportedWin:
    """One shared win as the report lists it."""

    day: date
    kind: WinKind
    #: The day (``2026-03-05``), or the month alone in the anonymous form.
    when: str
    #: The win as told, and the member's name; both None in the anonymous form.
    text: str | None
    member: str | None


@dataclass(frozen=True)
class YearOutcomes:
    year: int
    sessions: int
    #: Every kind, in the usual order, with its count (0 included).
    wins_by_kind: dict[str, int]
    wins: list[ReportedWin]
    attendance: Rate
    completion: Rate
    #: Goals reached that year; None when the file keeps no goals.
    goals_reached: int | None
    #: Sessions held while a member was on leave (not counted in attendance).
    away: int = 0
    # -- the group's own review (issue 25) --
    #: Health checks answered that year.
    health_checks: int = 0
    #: Each question's mean over the year's checks (None: not answered).
    health: dict[HealthQuestion, float | None] = field(default_factory=dict)

    @property
    def win_count(self) -> int:
        return sum(self.wins_by_kind.values())


@dataclass(frozen=True)
class OutcomesReport:
    group: str
    years: list[YearOutcomes]
    #: Members who agreed to share their wins, and the members counted.
    sharing: int
    members: int
    anonymous: bool
    #: False when the group's file keeps no goals (the report says so).
    goals_counted: bool
    #: Names of the members whose wins are in (empty when anonymous).
    sharing_names: list[str] = field(default_factory=list)


def _year_of(moment: object, zone: tzinfo | None) -> int | None:
    """The local year of a stored timestamp, or None for anything else."""
    if not isinstance(moment, str):
        return None
    try:
        return local_day(moment, zone).year
    except (ValueError, OverflowError):
        return None


def goals_reached_by_year(goals: Iterable[Goal], zone: tzinfo | None = None) -> dict[int, int]:
    """Goals marked reached, by the year they were (last) changed (``updated_at``).
    A private goal is left out, like every private item."""
    years: dict[int, int] = {}
    for goal in goals:
        if goal.status != "reached" or goal.private:
            continue
        year = _year_of(goal.updated_at, zone)
        if year is not None:
            years[year] = years.get(year, 0) + 1
    return years


def outcomes_report(
    group: Group,
    sessions: Sequence[Session],
    commitments: Sequence[Commitment],
    *,
    today: date,
    goals: Sequence[Goal] | None = None,
    year: int | None = None,
    anonymous: bool = False,
    zone: tzinfo | None = None,
) -> OutcomesReport:
    """The report (see the module's docstring). ``year`` keeps that year only
    (shown even when nothing happened in it); otherwise every year with a
    session, a win or a commitment, oldest first."""
    sharing = {m.id: m.name for m in group.members if m.shares_wins}
    by_year_sessions: dict[int, list[Session]] = {}
    for session in sessions:
        by_year_sessions.setdefault(local_day(session.started_at, zone).year, []).append(session)
    by_year_commitments: dict[int, list[Commitment]] = {}
    for commitment in commitments:
        if commitment.private:
            continue
        made = local_day(commitment.made_at, zone).year
        by_year_commitments.setdefault(made, []).append(commitment)
    wins_by_year: dict[int, list[ReportedWin]] = {}
    for session in sessions:
        for win in session.wins:
            if win.private or win.member_id not in sharing:
                continue
            day = local_day(win.at, zone)
            shown = (
                ReportedWin(day, win.kind, day.isoformat()[:7], None, None)
                if anonymous
                else ReportedWin(day, win.kind, day.isoformat(), win.text, sharing[win.member_id])
            )
            wins_by_year.setdefault(day.year, []).append(shown)
    reached = goals_reached_by_year(goals, zone) if goals is not None else None
    years = (
        [year]
        if year is not None
        else sorted({*by_year_sessions, *by_year_commitments, *wins_by_year, *(reached or {})})
    )
    outcomes = []
    for each in years:
        held = by_year_sessions.get(each, [])
        wins = sorted(wins_by_year.get(each, []), key=lambda w: (w.day, WIN_KINDS.index(w.kind)))
        counts: dict[str, int] = {kind: 0 for kind in WIN_KINDS}
        for shared in wins:
            counts[shared.kind] += 1
        outcomes.append(
            YearOutcomes(
                year=each,
                sessions=len(held),
                wins_by_kind=counts,
                wins=wins,
                attendance=attendance(held),
                away=sessions_on_leave(held, group.members, zone),
                completion=completion(
                    by_year_commitments.get(each, []),
                    today,
                    {m.id: m for m in group.members},
                ),
                goals_reached=None if reached is None else reached.get(each, 0),
                **year_health(held),
            )
        )
    return OutcomesReport(
        group=group.name,
        years=outcomes,
        sharing=len(sharing),
        members=len(group.members),
        anonymous=anonymous,
        goals_counted=reached is not None,
        sharing_names=[] if anonymous else list(sharing.values()),
    )


def year_health(sessions: Sequence[Session]) -> dict[str, Any]:
    """The year's checks pooled: how many, and each question's mean score."""
    pooled: dict[HealthQuestion, list[int]] = {q: [0] * 5 for q in QUESTIONS}
    held = 0
    for session in sessions:
        check = session.health
        if not check:
            continue
        counts = tally(check)
        if not any(sum(c) for c in counts.values()):
            continue
        held += 1
        for question, given in counts.items():
            pooled[question] = [a + b for a, b in zip(pooled[question], given, strict=True)]
    if not held:
        return {}
    return {"health_checks": held, "health": {q: mean(c) for q, c in pooled.items()}}


def report_years(now: datetime) -> range:
    """The years ``--year`` accepts: from 1970 to next year."""
    return range(1970, now.year + 2)
