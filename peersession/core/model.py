"""The domain: groups and their members.

Groups and members are frozen dataclasses, stored as the index's ``groups``
documents (:meth:`Group.to_doc` / :meth:`Group.from_doc`). What a finished
session leaves is declared in ``core/session_records.py``; how a commitment stands, in
``core/commitment_state.py``; the checks on typed text, in ``core/free_text.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from .lifecycle import Leave, expected
from .names import name_key
from .roles import DEFAULT_ROLES
from .talking_time import DEFAULT_RULE, TalkingRule, talking_rule

if TYPE_CHECKING:
    # pendulum (and the dateutil parser it brings) and the slot's arithmetic load
    # when a group is first built, not with this module: the home screen's
    # first frame reads the index's documents and needs neither.
    from pendulum import Date, DateTime

    from .session_records import Session
    from .slot import Schedule, Slot


def _utc_now() -> DateTime:
    import pendulum

    return pendulum.now("UTC")


DEFAULT_GROUND_RULES: tuple[str, ...] = (
    "Consistency in meeting",
    "Everything stays in confidence",
    "Accountability",
)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    #: Former members stay in the group so their history keeps their name;
    #: only active members are in a new session.
    active: bool = True
    # -- issue 25.4, the outcomes report (one stored field) --------------------
    #: The member agreed that their (non-private) wins appear in the group's
    #: outcomes report (``peersession report``); off until they say yes.
    shares_wins: bool = False
    # -- issue 24.3, members who join, pause and leave (core/lifecycle.py) ------
    #: The day they joined (None: with the group from its start). Private items
    #: of sessions before it are never shown or sent to them.
    joined: date | None = None
    #: Periods away on leave, in order, none overlapping.
    leave: tuple[Leave, ...] = ()
    #: The day a former member left, if known.
    left: date | None = None
    #: A guest of one session (never stored in a group: only a meeting's setup
    #: holds one, and the session record names it in ``guests``).
    guest: bool = False

    def lifecycle_doc(self) -> dict[str, Any]:
        """The stored keys of the dates above (:data:`LIFECYCLE_KEYS`), only those
        set (older files hold none)."""
        doc: dict[str, Any] = {}
        if self.joined is not None:
            doc["joined"] = self.joined.isoformat()
        if self.leave:
            doc["leave"] = [period.to_doc() for period in self.leave]
        if self.left is not None:
            doc["left"] = self.left.isoformat()
        return doc


#: A member's keys written only when set (:meth:`Member.lifecycle_doc`): absent
#: from a member's stored document, they are unset, not unknown to this version.
LIFECYCLE_KEYS = frozenset({"joined", "leave", "left"})


def member_from_doc(doc: dict[str, Any]) -> Member:
    """A stored member (its dates absent in a file written before them)."""
    joined, left = doc.get("joined"), doc.get("left")
    return Member(
        doc["id"],
        doc["name"],
        bool(doc.get("active", True)),
        bool(doc.get("shares_wins", False)),
        joined=date.fromisoformat(joined) if joined else None,
        leave=tuple(Leave.from_doc(d) for d in doc.get("leave") or ()),
        left=date.fromisoformat(left) if left else None,
    )


@dataclass(frozen=True)
class Group:
    """A peer-mentoring group and how it meets."""

    id: str
    name: str
    members: tuple[Member, ...]
    cadence_days: int = 21
    length_minutes: int = 120
    ground_rules: tuple[str, ...] = DEFAULT_GROUND_RULES
    template: str = "full"
    next_meeting: Date | None = None
    created_at: DateTime = field(default_factory=_utc_now)
    #: The group's own agenda, overriding the template's phases and timeboxes.
    agenda: tuple[dict[str, Any], ...] | None = None
    #: Share of an ask spent on clarifying questions (the rest is advice), if
    #: the group changed the template's.
    question_share: float | None = None
    #: Minutes each granted extension of an ask adds (shrinking), if changed.
    extensions_minutes: tuple[float, ...] | None = None
    #: When the group meets (first date, time, zone, skips and moves); None for a
    #: group from a bundle written before slots existed.
    slot: Slot | None = None
    # -- roles that rotate (core/roles.py) --
    #: The roles each session gives out, in the order they are shown.
    roles: tuple[str, ...] = DEFAULT_ROLES
    #: Holders chosen for the next session only (``group edit --role``):
    #: ``(role, member id)`` pairs; cleared when a session is saved.
    next_roles: tuple[tuple[str, str], ...] = ()
    # -- issue 24.3: guests are never members; never stored with the group --
    #: ``(id, name)`` of the guests of the sessions read with it (the history
    #: sets them), so a guest's turn is named, not called a former member.
    guest_names: tuple[tuple[str, str], ...] = ()
    # -- time asked for (core/talking_time.py) --
    #: How the talking time is shared: ``equal``, or ``requests`` asked for at the opening.
    talking_time: TalkingRule = DEFAULT_RULE
    # -- the group's own review (issue 25: core/health.py) --
    #: A health check every this many sessions at the Close (0: never).
    health_every: int = 6
    #: The check is entered as counts per score, naming no one.
    health_anonymous: bool = False
    #: The agenda gains a goals review every this many sessions (0: only where
    #: the group's own agenda names it).
    goals_review_every: int = 0

    @property
    def schedule(self) -> Schedule | None:
        """The slot with the group's cadence and length, for the series' arithmetic."""
        if self.slot is None:
            return None
        from .slot import Schedule

        return Schedule(self.slot, self.cadence_days, self.length_minutes)

    def member(self, member_id: str) -> Member:
        for member in self.members:
            if member.id == member_id:
                return member
        raise KeyError(member_id)

    def member_by_name(self, name: str) -> Member | None:
        wanted = name_key(name)  # NFC, one line, case folded: either spelling finds it
        for member in self.members:
            if name_key(member.name) == wanted:
                return member
        return None

    @property
    def active_members(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.active)

    def expected_members(self, day: date | None = None) -> tuple[Member, ...]:
        """The members expected at a session on ``day``: current, joined by then
        and not on leave (``core/lifecycle.py``); None: every current member."""
        return tuple(m for m in self.members if expected(m, day))

    def for_meeting(self, day: date | None = None) -> Group:
        """The group as a new session on ``day`` sees it: the members expected."""
        return replace(self, members=self.expected_members(day))

    def name_of(self, member_id: str) -> str:
        try:
            return self.member(member_id).name
        except KeyError:
            guest = next((name for gid, name in self.guest_names if gid == member_id), None)
            return f"{guest} (guest)" if guest is not None else "(former member)"

    def with_guests_of(self, sessions: Iterable[Session]) -> Group:
        """The group naming the guests of ``sessions`` (stored sessions)."""
        known = dict(self.guest_names)
        for session in sessions:
            for guest in session.guests or ():
                known.setdefault(guest.id, guest.name)
        if len(known) == len(self.guest_names):
            return self
        return replace(self, guest_names=tuple(known.items()))

    def with_next_meeting(self, date: Date | None) -> Group:
        return replace(self, next_meeting=date)

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "members": [
                {
                    "id": m.id,
                    "name": m.name,
                    "active": m.active,
                    "shares_wins": m.shares_wins,
                    **m.lifecycle_doc(),
                }
                for m in self.members
                if not m.guest
            ],
            "cadence_days": self.cadence_days,
            "length_minutes": self.length_minutes,
            "ground_rules": list(self.ground_rules),
            "template": self.template,
            "next_meeting": self.next_meeting.isoformat() if self.next_meeting else None,
            "created_at": self.created_at.isoformat(),
            "agenda": list(self.agenda) if self.agenda is not None else None,
            "question_share": self.question_share,
            "extensions_minutes": (
                list(self.extensions_minutes) if self.extensions_minutes is not None else None
            ),
            "slot": self.slot.to_doc() if self.slot is not None else None,
            "roles": list(self.roles),
            "next_roles": [{"role": r, "member_id": m} for r, m in self.next_roles],
            "talking_time": self.talking_time,
            "health_every": self.health_every,
            "health_anonymous": self.health_anonymous,
            "goals_review_every": self.goals_review_every,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Group:
        from .slot import Slot

        next_meeting = doc.get("next_meeting")
        agenda = doc.get("agenda")
        return cls(
            id=doc["id"],
            name=doc["name"],
            members=tuple(member_from_doc(m) for m in doc["members"]),
            cadence_days=int(doc.get("cadence_days", 21)),
            length_minutes=int(doc.get("length_minutes", 120)),
            ground_rules=tuple(doc.get("ground_rules", DEFAULT_GROUND_RULES)),
            template=doc.get("template", "full"),
            next_meeting=parse_date_doc(next_meeting) if next_meeting else None,
            created_at=parse_datetime_doc(doc["created_at"]),
            agenda=tuple(agenda) if agenda is not None else None,
            question_share=doc.get("question_share"),
            extensions_minutes=(
                tuple(float(m) for m in doc["extensions_minutes"])
                if doc.get("extensions_minutes") is not None
                else None
            ),
            slot=Slot.from_doc(doc["slot"]) if doc.get("slot") is not None else None,
            # Roles: absent from a group written before they existed.
            roles=tuple(doc.get("roles") or DEFAULT_ROLES),
            next_roles=tuple((h["role"], h["member_id"]) for h in doc.get("next_roles") or ()),
            # Absent from a group written before the rule existed: equal.
            talking_time=talking_rule(doc.get("talking_time", DEFAULT_RULE)),
            # The group's own review: absent from a group written before it existed.
            health_every=int(doc.get("health_every", 6)),
            health_anonymous=bool(doc.get("health_anonymous", False)),
            goals_review_every=int(doc.get("goals_review_every", 0)),
        )


def parse_datetime_doc(text: str) -> DateTime:
    import pendulum

    value = pendulum.parse(text)
    assert isinstance(value, pendulum.DateTime), text
    return value


def parse_date_doc(text: str) -> Date:
    import pendulum

    value = pendulum.parse(text, exact=True)
    if isinstance(value, pendulum.DateTime):
        return value.date()
    assert isinstance(value, pendulum.Date), text
    return value
