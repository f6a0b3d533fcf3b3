"""A demo group and its whole history, or many groups for benchmarks."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import date as StdDate
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pendulum
from msgspec import structs
from pendulum import Date

from ..core.model import Group, Member
from ..core.record import SessionRecord
from ..core.slot import DEFAULT_AT, Slot
from ..core.templates import FULL
from ..core.years import FIRST_YEAR
from .session import LENGTH_MINUTES, CheckinWithReviews, run_sessions
from .state import GroupState
from .vocabulary import GROUP_NAMES, HOSTILE_NAME, NAMES, WEEKDAYS

if TYPE_CHECKING:
    from ..core.session_records import Commitment, Review

CADENCE_DAYS = 21


@dataclass(frozen=True)
class DemoHistory:
    """A group and what its finished sessions and check-ins left (oldest first)."""

    group: Group
    records: list[SessionRecord]
    #: Check-ins between sessions, each with the dated reviews it made.
    checkins: list[CheckinWithReviews] = field(default_factory=list)

    @property
    def sessions(self) -> list[dict[str, Any]]:
        return [r.session for r in self.records]

    def commitments(self) -> list[Commitment]:
        """Every commitment as the history holds it: with all later reviews applied."""
        return apply_reviews(self.records, self.checkins)


def apply_reviews(
    records: list[SessionRecord],
    checkins: list[CheckinWithReviews],
) -> list[Commitment]:
    """Fresh copies of the records' commitments with every session and check-in
    review appended in date order, as ``HistoryStore`` would leave them."""
    docs: dict[str, Commitment] = {}
    for record in records:
        for c in record.commitments:
            docs[c.id] = structs.replace(c, reviews=list(c.reviews))

    def add(commitment_id: str, review: Review, updated_at: str) -> None:
        doc = docs.get(commitment_id)
        if doc is None:
            return
        doc.reviews.append(copy.copy(review))
        if updated_at > doc.updated_at:
            doc.updated_at = updated_at

    for record in records:
        for commitment_id, review in record.reviews.items():
            add(commitment_id, review, record.session["ended_at"])
    for checkin, reviews in checkins:
        for commitment_id, review in reviews.items():
            add(commitment_id, review, checkin.at)
    for doc in docs.values():
        doc.reviews.sort(key=lambda r: r.at)
    return list(docs.values())


def demo_history(
    *,
    seed: int = 7,
    today: Date,
    sessions: int | None = None,
    months: int = 6,
    members: int = 8,
    group_name: str = "Thursday Circle",
) -> DemoHistory:
    """A deterministic history of ``group_name`` up to (not including) ``today``.

    Sessions fall every 21 days on the group's weekday, the last one within
    the week before ``today``; there are as many as fit in ``months``, or
    exactly ``sessions`` going back in time (for benchmarks). The group's next
    meeting is the one after ``today``.
    """
    if members < 2:
        raise ValueError("a demo group needs at least two members")
    if sessions is not None and sessions < 0:
        raise ValueError("sessions cannot be negative")
    rng = random.Random(seed)
    today_std = StdDate(today.year, today.month, today.day)
    weekday = _meeting_weekday(group_name, rng)
    last = today_std - timedelta(days=(today_std.weekday() - weekday - 1) % 7 + 1)
    next_meeting = last + timedelta(days=CADENCE_DAYS)
    if sessions is None:
        since = pendulum.date(today.year, today.month, today.day).subtract(months=months)
        earliest = StdDate(since.year, since.month, since.day)
        count = (last - earliest).days // CADENCE_DAYS + 1 if last >= earliest else 0
    else:
        count = sessions
    # The group is created two weeks before its first session: every date must
    # fall in the years a history file may hold.
    earliest_first = StdDate(FIRST_YEAR, 1, 1) + timedelta(days=14)
    if count and (last - earliest_first).days < (count - 1) * CADENCE_DAYS:
        span = f"between {FIRST_YEAR} and {today}"
        raise ValueError(f"{count} sessions every {CADENCE_DAYS} days do not fit {span}")
    days = [last - timedelta(days=CADENCE_DAYS * k) for k in range(count - 1, -1, -1)]

    first_day = days[0] if days else today_std
    created = first_day - timedelta(days=14)
    group = Group(
        id=f"{rng.getrandbits(48):012x}",
        name=group_name,
        members=tuple(
            Member(f"{rng.getrandbits(48):012x}", name) for name in _member_names(members, rng)
        ),
        cadence_days=CADENCE_DAYS,
        length_minutes=LENGTH_MINUTES,
        template=FULL.name,
        next_meeting=pendulum.date(next_meeting.year, next_meeting.month, next_meeting.day),
        created_at=pendulum.datetime(
            created.year, created.month, created.day, 15, tz="UTC"
        ).isoformat(),
        # The simulated sessions start at 16:00 UTC on the group's weekday.
        slot=Slot(anchor=pendulum.date(last.year, last.month, last.day), at=DEFAULT_AT, zone="UTC"),
    )

    state = GroupState(rng, group, total=count)
    records, checkins = run_sessions(state, days, next_meeting, today_std)
    return DemoHistory(group=group, records=records, checkins=checkins)


def demo_archive(
    *,
    groups: int,
    sessions_per_group: int,
    today: Date,
    seed: int = 7,
) -> list[DemoHistory]:
    """Many demo groups with distinct names and ids (for benchmarks)."""
    histories = []
    for i in range(groups):
        name = GROUP_NAMES[i % len(GROUP_NAMES)]
        if i >= len(GROUP_NAMES):
            name = f"{name} {i // len(GROUP_NAMES) + 1}"
        histories.append(
            demo_history(
                seed=seed * 1_000 + i, today=today, sessions=sessions_per_group, group_name=name
            )
        )
    return histories


def _meeting_weekday(group_name: str, rng: random.Random) -> int:
    lowered = group_name.casefold()
    for number, day in enumerate(WEEKDAYS):
        if day in lowered:
            return number
    return rng.choice((0, 1, 2, 3, 4))


def _member_names(count: int, rng: random.Random) -> list[str]:
    others = rng.sample(NAMES, k=min(count - 1, len(NAMES)))
    names = [HOSTILE_NAME, *others]
    names += [f"Member {i}" for i in range(len(names) + 1, count + 1)]
    rng.shuffle(names)
    return names
