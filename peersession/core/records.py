"""Every stored record, declared once: what the data files and a bundle hold.

One ``msgspec.Struct`` per record, each field with its rules and what it means.
The same declarations check a data file when it is read (``store/shape_check.py``,
at the read level), check a bundle before it is imported (``exports/bundle.py``,
at the door), and are written out as ``docs/bundle.schema.json`` and the tables
of ``docs/data.md`` (``python -m peersession.exports.schema``). How the two
levels and the value checks work: ``core/record_types.py``. A session's records
and a check-in are in ``core/session_records.py``. The code reads a group's
records as these classes (``store/typed_file.py``), by their types alone.
"""

# No ``from __future__ import annotations``: the fields' types are objects at once,
# not text every reader of the declarations would evaluate again.
from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, UnsetType

from .goal_rules import MAX_MEASURE, MAX_TITLE, GoalStatus, clean_measure, clean_title
from .group_rules import group_rules, readable_slot
from .names import name_key
from .record_types import (
    ONE_LINE_PATTERN,
    At,
    Day,
    Id,
    Line,
    Name,
    Record,
    Text,
    Whole,
    doc,
    number,
    whole,
)

# The version of the records declared here, in its own module: opening a data
# folder compares each file's version with it without importing these declarations.
from .schema_version import SCHEMA_VERSION as SCHEMA_VERSION
from .session_records import Checkin, Commitment, Holder, Session


class Slot(Record):
    """When the group meets: a weekday and time in a time zone, every cadence from an anchor."""

    READ_RULES = (readable_slot,)

    anchor: Annotated[Day, doc("A day the series meets (the others are whole cadences away).")]
    at: Annotated[Text, doc("The time of day, `HH:MM`, in the zone.")]
    zone: Annotated[Text, doc("An IANA time zone (`Europe/London`).")]
    skipped: Annotated[list[Day], doc("Meetings of the series that do not happen.")] | UnsetType = (
        UNSET
    )
    moved: Annotated[dict[Day, Day], doc("Meeting day → the day it was moved to.")] | UnsetType = (
        UNSET
    )
    sequence: (
        Annotated[int, whole(low=0), doc("Raised at each change (calendars update in place).")]
        | UnsetType
    ) = UNSET


class Leave(Record):
    """A period a member is away on leave (issue 24.3): both days included."""

    first: Annotated[Day, doc("The first day away.")]
    last: Annotated[Day, doc("The last day away (on or after `first`).")]


def _member_dates(member: dict[str, Any]) -> None:
    from .lifecycle import leave_rules

    leaves = [{"first": p.first, "last": p.last} for p in member.get("leave", ())]
    leave_rules(leaves, member.get("joined"), member.get("left"))


class Member(Record):
    """A member of a group. Former members stay, so the history keeps their name."""

    DOOR_RULES = (_member_dates,)

    id: Annotated[Id, doc("Stable id; everything else refers to the member by it.")]
    name: Annotated[Name, doc("The name as shown (NFC; unique in the group, ignoring case).")]
    active: Annotated[bool, doc("False for a former member (not in new sessions).")] | UnsetType = (
        UNSET
    )
    # Issue 25.4 (the outcomes report); absent in older files: false.
    shares_wins: (
        Annotated[
            bool, doc("True once the member agreed their wins appear in `peersession report`.")
        ]
        | UnsetType
    ) = UNSET
    # -- issue 24.3, members who join, pause and leave (core/lifecycle.py); absent
    # in files before schema 3 (the migration sets `joined`) and for a member
    # never away or never gone.
    joined: (
        Annotated[
            Day,
            doc(
                "The day they joined (absent: from the start). Private items of "
                "sessions before it are never shown or sent to them."
            ),
        ]
        | UnsetType
    ) = UNSET
    leave: (
        Annotated[
            list[Leave],
            doc(
                "Periods on leave, in order, none overlapping: not expected, no talking "
                "time, no role, nothing due, not counted in attendance or completion."
            ),
        ]
        | UnsetType
    ) = UNSET
    left: (
        Annotated[Day, doc("The day a former member left (on or after `joined`).")] | UnsetType
    ) = UNSET


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
        clean_roles(group["roles"])


class Group(Record):
    """A group and how it meets (the index's `groups` table, a bundle's `group`)."""

    READ_RULES = (group_rules,)
    DOOR_RULES = (_members_differ, _roles_differ)

    id: Annotated[Id, doc("Stable id; also the name of the group's file.")]
    name: Annotated[Name, doc("The group's name (unique in the data folder, ignoring case).")]
    members: Annotated[list[Member], doc("Everyone who is or was in the group.")]
    created_at: Annotated[At, doc("When the group was created.")]
    cadence_days: (
        Annotated[int, whole(low=1, high=366, reach=36600), doc("Days between meetings.")]
        | UnsetType
    ) = UNSET
    length_minutes: (
        Annotated[int, whole(low=10, high=600), doc("Planned length of a meeting.")] | UnsetType
    ) = UNSET
    ground_rules: Annotated[list[Line], doc("Read out at the opening.")] | UnsetType = UNSET
    template: Annotated[Text, doc("The usual agenda: `full` or `quick`.")] | UnsetType = UNSET
    next_meeting: Annotated[Day | None, doc("The next meeting's date, if set.")] | UnsetType = UNSET
    agenda: (
        Annotated[
            list[dict[str, Any]] | None,
            doc("The group's own phases and minutes (`{phase, minutes?}`), or null."),
        ]
        | UnsetType
    ) = UNSET
    question_share: (
        Annotated[
            Annotated[float, number(low=0.1, high=0.9)] | None,
            doc("Share of an ask spent on clarifying questions, or null for the template's."),
        ]
        | UnsetType
    ) = UNSET
    extensions_minutes: (
        Annotated[
            list[Annotated[float, number(low=0.5, high=30)]] | None,
            doc("Minutes each granted extension adds, shrinking; null for the template's."),
        ]
        | UnsetType
    ) = UNSET
    slot: (
        Annotated[Slot | None, doc("When the group meets, or null (not set yet).")] | UnsetType
    ) = UNSET
    # -- roles that rotate (core/roles.py): optional, so older files read unchanged --
    roles: (
        Annotated[
            list[Name],
            doc("The roles each session gives out, in order (absent: host, facilitator)."),
        ]
        | UnsetType
    ) = UNSET
    next_roles: (
        Annotated[
            list[Holder],
            doc(
                "Holders chosen for the next session only (`group edit --role`); "
                "cleared when a session is saved."
            ),
        ]
        | UnsetType
    ) = UNSET
    # -- time asked for (core/talking_time.py): optional, absent = equal --
    talking_time: (
        Annotated[
            Literal["equal", "requests"],
            doc(
                "How the talking time is shared: `equal` turns, or `requests` each member "
                "asks for at the opening (absent: equal)."
            ),
        ]
        | UnsetType
    ) = UNSET
    # -- the group's own review (issue 25, core/health.py): optional, older files read unchanged --
    health_every: (
        Annotated[
            int,
            whole(low=0, high=52),
            doc("A health check at the Close every this many sessions (0: never; absent: 6)."),
        ]
        | UnsetType
    ) = UNSET
    health_anonymous: (
        Annotated[bool, doc("The health check is entered as counts per score, naming no one.")]
        | UnsetType
    ) = UNSET
    goals_review_every: (
        Annotated[
            int,
            whole(low=0, high=52),
            doc("The agenda gains a goals review every this many sessions (0 or absent: never)."),
        ]
        | UnsetType
    ) = UNSET


class RoleTurns(Record):
    """One role's holders."""

    role: Annotated[Name, doc("The role (compared ignoring case).")]
    member_ids: Annotated[list[Id], doc("Who held it, least recently first.")]
    this_round: (
        Annotated[int, whole(low=0), doc("How many of the last held it this round.")] | UnsetType
    ) = UNSET


class RolesHeld(Record):
    """Who held each role, least recently first (`core/roles.recency`)."""

    by_role: Annotated[list[RoleTurns], doc("Each role's holders.")]
    any_role: Annotated[list[Id], doc("Who held any role, least recently first.")]


class Summary(Record):
    """What the home screen shows without opening the group's file (recomputed by doctor)."""

    sessions: Annotated[Whole, doc("Finished sessions.")] | UnsetType = UNSET
    last_session_at: Annotated[At | None, doc("Start of the latest session.")] | UnsetType = UNSET
    open_commitments: Annotated[Whole, doc("Commitments not done or dropped.")] | UnsetType = UNSET
    # -- roles that rotate: what the home screen proposes from (core/roles.py) --
    roles_held: (
        Annotated[RolesHeld, doc("Absent until a session with roles is saved.")] | UnsetType
    ) = UNSET


class IndexedGroup(Group):
    """A group as the index stores it: the group and its summary."""

    summary: Annotated[Summary, doc("The group's summary.")] | UnsetType = UNSET


class Removal(Record):
    """A tombstone: an item taken out after the meeting (`peersession edit --remove`).
    It keeps where the item was and when it was removed, never its text."""

    id: Annotated[Id, doc("The removed item's id (no record with it comes back).")]
    kind: Annotated[
        Literal["commitment", "checkin", "ask", "win", "note"], doc("What the item was.")
    ]
    record: Annotated[
        Literal["session", "commitment", "checkin"], doc("The kind of record it was in.")
    ]
    record_id: Annotated[Id, doc("The record it was in (its own id for a whole record).")]
    removed_at: Annotated[At, doc("When it was removed.")]


class FileMeta(Record):
    """The `_meta` table's one record: which schema the file follows."""

    schema: Annotated[Whole, doc("Schema version of the file.")]
    kind: Annotated[Literal["index", "group"], doc("`index` or `group`.")]
    written_by: Annotated[Text, doc("The peersession that wrote it.")] | UnsetType = UNSET


def _goal_as_typed(goal: dict[str, Any]) -> None:
    """A goal from a bundle holds what ``goal add`` would have stored."""
    for key, clean in (("title", clean_title), ("measure", clean_measure)):
        value = goal.get(key)
        if isinstance(value, str):
            try:
                typed = clean(value)
            except ValueError as error:
                raise ValueError(f"{key}: {error}") from None
            if typed != value:
                raise ValueError(f"{key}: not as typed (surrounding or repeated spaces)")


def _one_line(longest: int) -> Meta:
    return Meta(
        max_length=longest,
        pattern=ONE_LINE_PATTERN,
        extra={
            "read": None,
            "kind": "text",
            "label": f"one line of text, at most {longest} characters",
        },
    )


class Goal(Record):
    """A member's goal, which their commitments serve (`peersession goal`; the
    `goals` table of a group file)."""

    DOOR_RULES = (_goal_as_typed,)

    id: Annotated[Id, doc("Stable id (shown by `goal list`).")]
    group_id: Annotated[Id, doc("The group.")]
    owner: Annotated[Id, doc("The member's id.")]
    title: Annotated[str, _one_line(MAX_TITLE), doc("What the member wants to reach.")]
    by: Annotated[Day | None, doc("The horizon date, if any.")]
    measure: Annotated[
        Annotated[str, _one_line(MAX_MEASURE)] | None, doc("How it is measured, if said.")
    ]
    status: Annotated[GoalStatus, doc("`active`, `reached` or `dropped`.")]
    private: Annotated[bool, doc("Stays in the room: never exported without --include-private.")]
    win_ids: Annotated[list[Id], doc("Wins (in sessions) that reached it.")]
    created_at: Annotated[At, doc("When it was set.")]
    updated_at: Annotated[At, doc("Last change; the newer version wins a merge.")]


#: Each data file's tables, and the record each table holds.
INDEX_TABLES: dict[str, type[Record]] = {"groups": IndexedGroup}
GROUP_TABLES: dict[str, type[Record]] = {
    "sessions": Session,
    "commitments": Commitment,
    "checkins": Checkin,
    "removals": Removal,
    "goals": Goal,
}


class Bundle(Record, kw_only=True):
    """One group's sessions, as `peersession export --format json` writes and
    `peersession import` merges."""

    format: Annotated[Literal["peersession-bundle"], doc("Always `peersession-bundle`.")]
    version: Annotated[int, whole(low=1), doc("Bundle format version.")]
    schema: Annotated[int, whole(low=1), doc("Schema version of the documents.")]
    exported_at: Annotated[At, doc("When it was exported.")] | UnsetType = UNSET
    exported_by: Annotated[Text, doc("The peersession that exported it.")] | UnsetType = UNSET
    includes_private: Annotated[bool, doc("Whether private items were included.")]
    group: Annotated[Group, doc("The group.")]
    sessions: Annotated[list[Session], doc("Sessions.")]
    commitments: Annotated[list[Commitment], doc("Commitments made or reviewed in them.")]
    checkins: Annotated[list[Checkin], doc("Check-ins (with `--all`).")]
    goals: (
        Annotated[list[Goal], doc("The members' goals (absent in older bundles).")] | UnsetType
    ) = UNSET
