"""One group's history as the history screens share it, loaded once per visit.

The group screen loads this in a worker (a long history takes a while to
read) and hands the same object to the session, member, commitments and
search screens, so moving between them never reads the file again. Only an
update of a commitment's status writes, and it updates this copy as well.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pendulum
from pendulum import Timezone

from ...core.figures import (
    GroupFigures,
    MemberFigures,
    all_member_figures,
    group_figures,
    member_figures,
)
from ...core.local_days import local_day
from ...core.model import Group, Member
from ...core.recap import ReviewedCommitment
from ...core.slot import machine_zone
from ...store.history import HistoryStore

if TYPE_CHECKING:
    from ...core.records import Goal
    from ...core.session_records import Checkin, Commitment, Review, Session


@dataclass
class GroupHistory:
    group: Group
    #: Finished sessions, oldest first.
    sessions: list[Session]
    commitments: list[Commitment]
    checkins: list[Checkin]
    #: The app clock's local date when this was loaded: "overdue" is relative to it.
    today: date
    #: The members' goals (issue 25), by when they were set.
    goals: list[Goal] = field(default_factory=list)
    #: The member it is shown to, if said (``history --for``): the documents
    #: above hold no private item of a session before they joined.
    viewer: str | None = None
    #: The group's figures, worked out on first use: the screen shows its first
    #: page of rows before them (the loading worker readies them right after).
    _figures: GroupFigures | None = field(default=None, init=False, repr=False)
    #: Each member's figures, worked out on first use (the group screen shows
    #: the group's; the member screens and picker need these).
    _members: dict[str, MemberFigures] | None = field(default=None, init=False, repr=False)
    #: Held while the member figures are worked out or changed: the loading
    #: worker readies them while the screen may already ask for them.
    _members_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )
    _session_index: dict[str, int] = field(init=False, repr=False)
    _commitments: dict[str, Commitment] = field(init=False, repr=False)
    _days: dict[str, date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._session_index = {s.id: i for i, s in enumerate(self.sessions)}
        self._commitments = {c.id: c for c in self.commitments}
        # Days where the group meets, not where this screen is.
        zone = self.zone_info
        self._days = {s.id: local_day(s.started_at, zone) for s in self.sessions}

    @property
    def figures(self) -> GroupFigures:
        """The group's accountability figures (the loading worker readies them
        once the first page is on screen, so no screen waits for them)."""
        figures = self._figures
        if figures is None:
            # Pure and cheap to repeat: a screen asking while the worker works
            # gets the same answer, and whichever is stored last is equal.
            figures = self._figures = group_figures(
                self.sessions, self.commitments, self.today, self.group
            )
        return figures

    def role_turns(self, member_id: str) -> str:
        """How many sessions the member held each role in
        (``none yet``), the group's roles first, in their order."""
        from ...core.roles import find_role, turns_at_roles

        held: dict[str, int] = {}
        for role, count in turns_at_roles(self.sessions).get(member_id, {}).items():
            # As the group names it now (a role renamed in case is the same role).
            named = find_role(self.group.roles, role) or role
            held[named] = held.get(named, 0) + count
        if not held:
            return "none yet"
        order = {role: i for i, role in enumerate(self.group.roles)}
        roles = sorted(held, key=lambda role: (order.get(role, len(order)), role))
        return ", ".join(f"{role} {held[role]}×" for role in roles)

    @property
    def zone(self) -> str:
        """The group's zone: the history shows its dates and times there."""
        return self.group.slot.zone if self.group.slot is not None else machine_zone()

    @property
    def zone_info(self) -> Timezone:
        return pendulum.timezone(self.zone)

    def ready_member_figures(self) -> None:
        """Work out every member's figures now (the loading worker calls this once
        the group is on screen), so opening a member never waits for them."""
        self._member_table()

    def _member_table(self) -> dict[str, MemberFigures]:
        with self._members_lock:
            if self._members is None:
                self._members = all_member_figures(
                    self.group, self.sessions, self.commitments, self.today
                )
            return self._members

    def member_figures(self, member_id: str) -> MemberFigures:
        members = self._member_table()
        with self._members_lock:
            if member_id not in members:  # a former member, seen in old sessions
                members[member_id] = member_figures(
                    member_id, self.sessions, self.commitments, self.today, self._owners
                )
            return members[member_id]

    @property
    def _owners(self) -> dict[str, Member]:
        return {m.id: m for m in self.group.members}

    def session(self, session_id: str) -> Session | None:
        index = self._session_index.get(session_id)
        return self.sessions[index] if index is not None else None

    def neighbour(self, session_id: str, step: int) -> Session | None:
        """The session ``step`` places later (positive) or earlier (negative)."""
        index = self._session_index.get(session_id)
        if index is None or not 0 <= index + step < len(self.sessions):
            return None
        return self.sessions[index + step]

    def day(self, session_id: str) -> date | None:
        return self._days.get(session_id)

    def commitment(self, commitment_id: str) -> Commitment | None:
        return self._commitments.get(commitment_id)

    def goal_title(self, commitment: Commitment) -> str | None:
        """The title of the goal a commitment serves (None: none, or not here)."""
        goal_id = commitment.goal_id
        if not goal_id:
            return None
        return next((g.title for g in self.goals if g.id == goal_id), None)

    def made_in(self, session: Session) -> list[Commitment]:
        return [c for cid in session.commitment_ids if (c := self.commitment(cid))]

    def reviewed_in(self, session: Session) -> dict[str, ReviewedCommitment]:
        """What the recap needs of the commitments this session reviewed."""
        reviewed = {}
        for commitment_id in session.reviews:
            doc = self.commitment(commitment_id)
            if doc is not None:
                reviewed[commitment_id] = ReviewedCommitment(doc.owner, doc.text, doc.private)
        return reviewed

    def record_review(self, commitment_id: str, review: Review) -> None:
        """Mirror a review the store has just saved, so screens need not reload."""
        doc = self._commitments[commitment_id]
        doc.reviews.append(review)
        doc.reviews.sort(key=lambda r: r.at)
        doc.updated_at = max(doc.updated_at, review.at)
        self._figures = group_figures(self.sessions, self.commitments, self.today, self.group)
        owner = doc.owner
        with self._members_lock:
            if self._members is not None:
                self._members[owner] = member_figures(
                    owner, self.sessions, self.commitments, self.today, self._owners
                )


def load_group_history(
    store: HistoryStore, group_id: str, today: date, viewer: str | None = None
) -> GroupHistory:
    """Read one group's file (and no other group's) and work out its figures.
    ``viewer``: the member (id) it is shown to (``history GROUP --for NAME``): no
    private item of a session before they joined (``core.privacy.seen_by``)."""
    group = store.find_group(group_id)
    docs = store.group_documents(group.id)  # one parse; these documents are ours
    sessions, commitments, checkins = docs.sessions, docs.commitments, docs.checkins
    goals = docs.goals
    if viewer is not None:
        from ...core.privacy import seen_by
        from ...store.finder import group_day

        member = group.member(viewer)
        seen = seen_by(member, sessions, commitments, checkins, group_day(group), goals)
        sessions, commitments, checkins = seen.sessions, seen.commitments, seen.checkins
        goals = seen.goals
    return GroupHistory(
        group=group.with_guests_of(sessions),
        sessions=sessions,
        commitments=commitments,
        checkins=checkins,
        today=today,
        goals=goals,
        viewer=viewer,
    )


def day_label(day: date) -> str:
    """``Thu 5 Mar 2026``: weekday first, as people say it."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date) -> str:
    """``5 Mar 2026``, for table columns."""
    return f"{day.day} {day:%b %Y}"
