"""The domain: groups, their members and when they meet, declared once.

``Group``, ``Member`` and ``Slot`` (and ``lifecycle.Leave``) are the records the
index's ``groups`` table and a bundle's ``group`` hold, and the values the code
works with: each field says its stored type, its rules and what it means
(``core/record_types.py`` says how a record is checked). What a finished
session leaves is declared in ``core/session_records.py``; how a commitment
stands, in ``core/commitment_state.py``; the checks on typed text, in
``core/free_text.py``.
"""

# No ``from __future__ import annotations``: the fields' types are objects at once.
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from msgspec import UNSET, UnsetType, field
from msgspec.structs import asdict, replace

from .group_rules import group_rules
from .lifecycle import Leave, expected, leave_rules
from .names import name_key
from .record_types import (
    At,
    CalendarDay,
    Id,
    Line,
    Name,
    Text,
    Value,
    Whole,
    doc,
    number,
    read_as,
    stored,
    whole,
)
from .role_turns import RolesHeld
from .roles import DEFAULT_ROLES
from .slot_record import Slot
from .talking_time import DEFAULT_RULE, TalkingRule

if TYPE_CHECKING:
    # pendulum (and the dateutil parser it brings) and the slot's arithmetic load
    # when they are first used, not with this module: the home screen's first
    # frame reads the index's documents and needs neither.
    from pendulum import Date, DateTime

    from .roles import Holders
    from .session_records import Session
    from .slot import Schedule


def _utc_now() -> str:
    import pendulum

    return pendulum.now("UTC").isoformat()


DEFAULT_GROUND_RULES: tuple[str, ...] = (
    "Consistency in meeting",
    "Everything stays in confidence",
    "Accountability",
)


class Holder(Value):
    """Who holds one role (``core/roles.py``)."""

    role: Annotated[Name, doc("The role, as the group names it.")]
    member_id: Annotated[Id, doc("The member who holds it.")]


def _member_dates(member: dict[str, Any]) -> None:
    leave_rules(member.get("leave", ()), member.get("joined"), member.get("left"))


class Member(Value, kw_only=False, omit_defaults=True):
    """A member of a group. Former members stay, so the history keeps their name;
    only active members are in a new session. A field at its default is not
    written (older files hold none of the dates)."""

    DOOR_RULES = (_member_dates,)
    #: A guest of one session (:class:`Visitor`) is never stored in a group: only
    #: a meeting's setup holds one, and the session record names it in ``guests``.
    guest: ClassVar[bool] = False

    id: Annotated[Id, doc("Stable id; everything else refers to the member by it.")]
    name: Annotated[Name, doc("The name as shown (NFC; unique in the group, ignoring case).")]
    active: Annotated[bool, doc("False for a former member (not in new sessions).")] = True
    # Issue 25.4 (the outcomes report).
    shares_wins: Annotated[
        bool, doc("True once the member agreed their wins appear in `peersession report`.")
    ] = False
    # -- issue 24.3, members who join, pause and leave (core/lifecycle.py); absent
    # in files before schema 3 (the migration sets `joined`) and for a member
    # never away or never gone.
    joined: Annotated[
        CalendarDay | None,
        doc(
            "The day they joined (absent: from the start). Private items of "
            "sessions before it are never shown or sent to them."
        ),
    ] = None
    leave: Annotated[
        tuple[Leave, ...],
        doc(
            "Periods on leave, in order, none overlapping: not expected, no talking "
            "time, no role, nothing due, not counted in attendance or completion."
        ),
    ] = ()
    left: Annotated[
        CalendarDay | None, doc("The day a former member left (on or after `joined`).")
    ] = None


class Visitor(Member):
    """A guest of one session, in its meeting's setup (issue 24.3)."""

    guest: ClassVar[bool] = True


def _members_differ(group: dict[str, Any]) -> None:
    ids: set[str] = set()
    names: set[str] = set()
    for member in group["members"]:
        if member.id in ids:
            raise ValueError("two members have the same id")
        if name_key(member.name) in names:
            raise ValueError(f"two members are called {member.name!r}")
        ids.add(member.id)
        names.add(name_key(member.name))


def _roles_differ(group: dict[str, Any]) -> None:
    from .roles import clean_roles

    if "roles" in group:
        clean_roles(list(group["roles"]))


class Group(Value):
    """A group and how it meets (the index's `groups` table, a bundle's `group`)."""

    READ_RULES = (group_rules,)
    DOOR_RULES = (_members_differ, _roles_differ)

    id: Annotated[Id, doc("Stable id; also the name of the group's file.")]
    name: Annotated[Name, doc("The group's name (unique in the data folder, ignoring case).")]
    members: Annotated[tuple[Member, ...], doc("Everyone who is or was in the group.")]
    cadence_days: Annotated[
        int, whole(low=1, high=366, reach=36600), doc("Days between meetings.")
    ] = 21
    length_minutes: Annotated[int, whole(low=10, high=600), doc("Planned length of a meeting.")] = (
        120
    )
    ground_rules: Annotated[tuple[Line, ...], doc("Read out at the opening.")] = (
        DEFAULT_GROUND_RULES
    )
    template: Annotated[Text, doc("The usual agenda: `full` or `quick`.")] = "full"
    next_meeting: Annotated[CalendarDay | None, doc("The next meeting's date, if set.")] = None
    created_at: Annotated[At, doc("When the group was created.")] = field(default_factory=_utc_now)
    agenda: Annotated[
        tuple[dict[str, Any], ...] | None,
        doc("The group's own phases and minutes (`{phase, minutes?}`), or null."),
    ] = None
    question_share: Annotated[
        Annotated[float, number(low=0.1, high=0.9)] | None,
        doc("Share of an ask spent on clarifying questions, or null for the template's."),
    ] = None
    extensions_minutes: Annotated[
        tuple[Annotated[float, number(low=0.5, high=30)], ...] | None,
        doc("Minutes each granted extension adds, shrinking; null for the template's."),
    ] = None
    slot: Annotated[Slot | None, doc("When the group meets, or null (not set yet).")] = None
    # -- roles that rotate (core/roles.py) --
    roles: Annotated[
        tuple[Name, ...],
        doc("The roles each session gives out, in order (absent: host, facilitator)."),
    ] = DEFAULT_ROLES
    next_roles: Annotated[
        tuple[Holder, ...],
        doc(
            "Holders chosen for the next session only (`group edit --role`); "
            "cleared when a session is saved."
        ),
    ] = ()
    # -- time asked for (core/talking_time.py) --
    talking_time: Annotated[
        TalkingRule,
        doc(
            "How the talking time is shared: `equal` turns, or `requests` each member "
            "asks for at the opening (absent: equal)."
        ),
    ] = DEFAULT_RULE
    # -- the group's own review (issue 25, core/health.py) --
    health_every: Annotated[
        int,
        whole(low=0, high=52),
        doc("A health check at the Close every this many sessions (0: never; absent: 6)."),
    ] = 6
    health_anonymous: Annotated[
        bool, doc("The health check is entered as counts per score, naming no one.")
    ] = False
    goals_review_every: Annotated[
        int,
        whole(low=0, high=52),
        doc("The agenda gains a goals review every this many sessions (0 or absent: never)."),
    ] = 0

    @property
    def schedule(self) -> "Schedule | None":
        """The slot with the group's cadence and length, for the series' arithmetic."""
        if self.slot is None:
            return None
        from .slot import Schedule

        return Schedule(self.slot, self.cadence_days, self.length_minutes)

    @property
    def created(self) -> "DateTime":
        return parse_datetime_doc(self.created_at)

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

    def for_meeting(self, day: date | None = None) -> "Group":
        """The group as a new session on ``day`` sees it: the members expected."""
        return replace(self, members=self.expected_members(day))

    def guests(self) -> tuple[tuple[str, str], ...]:
        """``(id, name)`` of the guests of the sessions read with it (none here)."""
        return ()

    def name_of(self, member_id: str) -> str:
        try:
            return self.member(member_id).name
        except KeyError:
            guest = next((name for gid, name in self.guests() if gid == member_id), None)
            return f"{guest} (guest)" if guest is not None else "(former member)"

    def with_guests_of(self, sessions: Iterable["Session"]) -> "Group":
        """The group naming the guests of ``sessions`` (stored sessions)."""
        known = dict(self.guests())
        for session in sessions:
            for guest in session.guests or ():
                known.setdefault(guest.id, guest.name)
        if len(known) == len(self.guests()):
            return self
        return GroupWithGuests(**_fields(self), guest_names=tuple(known.items()))

    @property
    def next_holders(self) -> "Holders":
        """``next_roles`` as ``(role, member id)`` pairs, as ``core/roles.py`` counts them."""
        return tuple((holder.role, holder.member_id) for holder in self.next_roles)

    def with_next_meeting(self, day: date | None) -> "Group":
        return replace(self, next_meeting=day)

    def as_kept(self) -> "Group":
        """The group as the index keeps it: its declared fields (not a subclass's),
        its guests left out (a guest is never written as a member)."""
        members = tuple(m for m in self.members if not m.guest)
        return Group(**{**_fields(self), "members": members})

    def to_doc(self) -> dict[str, Any]:
        """The group as the index stores it (its guests never written)."""
        return stored(self.as_kept())

    @classmethod
    def from_doc(cls, data: dict[str, Any]) -> "Group":
        """A stored group (checked when its file was read) as the code uses it."""
        return read_as(Group, data)


class GroupWithGuests(Group):
    """A group as a history shows it: the guests of its sessions named, so a
    guest's turn is not called a former member's (issue 24.3). Never stored."""

    guest_names: tuple[tuple[str, str], ...] = ()

    def guests(self) -> tuple[tuple[str, str], ...]:
        return self.guest_names


class Summary(Value):
    """What the home screen shows without opening the group's file (recomputed by
    doctor; written at each save by ``store/history_docs.summarize``)."""

    sessions: Annotated[Whole, doc("Finished sessions.")] = 0
    last_session_at: Annotated[At | None, doc("Start of the latest session.")] = None
    open_commitments: Annotated[Whole, doc("Commitments not done or dropped.")] = 0
    # -- roles that rotate: what the home screen proposes from (core/roles.py) --
    roles_held: (
        Annotated[RolesHeld, doc("Absent until a session with roles is saved.")] | UnsetType
    ) = UNSET

    @property
    def held(self) -> RolesHeld:
        """Who held which role (no one before a session with roles was saved)."""
        return self.roles_held if isinstance(self.roles_held, RolesHeld) else RolesHeld()


class IndexedGroup(Group):
    """A group as the index stores it: the group and its summary (what a list of
    the groups shows, read without opening any group's file)."""

    summary: Annotated[Summary, doc("The group's summary.")] = Summary()


def holder_records(holders: Iterable[tuple[str, str]]) -> tuple[Holder, ...]:
    """``(role, member id)`` pairs as a group's ``next_roles``."""
    return tuple(Holder(role=role, member_id=member_id) for role, member_id in holders)


def _fields(group: Group) -> dict[str, Any]:
    """The declared fields of ``group`` (without a subclass's own)."""
    values = asdict(group)
    return {name: values[name] for name in Group.__struct_fields__}


def parse_datetime_doc(text: str) -> "DateTime":
    import pendulum

    value = pendulum.parse(text)
    assert isinstance(value, pendulum.DateTime), text
    return value


def parse_date_doc(text: str) -> "Date":
    import pendulum

    value = pendulum.parse(text, exact=True)
    if isinstance(value, pendulum.DateTime):
        return value.date()
    assert isinstance(value, pendulum.Date), text
    return value
