"""Every stored record, declared once: what the data files and a bundle hold.

One ``msgspec.Struct`` per record, each field with its rules and what it means
(the group and its members are declared with their methods in ``core/model.py``).
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
from .model import Group as Group
from .model import IndexedGroup as IndexedGroup
from .model import Member as Member
from .record_types import (
    ONE_LINE_PATTERN,
    At,
    Day,
    Id,
    Record,
    Text,
    Whole,
    doc,
    whole,
)

# The version of the records declared here, in its own module: opening a data
# folder compares each file's version with it without importing these declarations.
from .schema_version import SCHEMA_VERSION as SCHEMA_VERSION
from .session_records import Checkin, Commitment, Session
from .slot_record import Slot as Slot


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
