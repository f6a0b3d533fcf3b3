"""The stored documents, defined once: what the files and the bundle hold.

Every document peersession writes is declared here, field by field, with what
each field means. The same definitions check a data file when it is read
(``store/shape_check.py``), check a bundle before it is imported
(``exports/bundle.py``), and are written out as ``docs/bundle.schema.json``
and the tables of ``docs/data.md`` (``python -m peersession.exports.schema``).
The ``TypedDict`` documents in ``core/model.py`` are the same shapes as the
code reads them; ``tests/test_stored_shapes.py`` checks the two agree.
"""

from __future__ import annotations

from typing import Any

from .checkin import MAX_NOTE
from .goals import GOAL_STATUSES, MAX_MEASURE, MAX_TITLE, clean_measure, clean_title
from .group_rules import group_rules, readable_slot
from .model import ATTENDANCE_STATUSES, REVIEW_STATUSES, WIN_KINDS
from .names import name_key
from .shapes import (
    Boolean,
    Day,
    Document,
    Field,
    Ident,
    ListOf,
    MapOf,
    Maybe,
    Name,
    Number,
    OneOf,
    Text,
    Timestamp,
)

#: The schema version these shapes describe (``store/schema.py``'s ``SCHEMA_VERSION``;
#: a test keeps the two equal, so a new schema version comes with its shapes).
#: Files of an older schema are migrated before their shapes are checked.
SCHEMA = 2

ID = Ident()
TEXT = Text()
LINE = Text(one_line=True)
NAME = Name()
BOOL = Boolean()
AT = Timestamp()
DAY = Day()
WHOLE = Number(whole=True)
SECONDS = Number(low=0)


def _members_differ(group: dict[str, Any]) -> None:
    ids: set[str] = set()
    names: set[str] = set()
    for member in group["members"]:
        if member["id"] in ids:
            raise ValueError(f"member id {member['id']!r} appears twice")
        if name_key(member["name"]) in names:
            raise ValueError(f"two members are called {member['name']!r}")
        ids.add(member["id"])
        names.add(name_key(member["name"]))


def _roles_differ(group: dict[str, Any]) -> None:
    from .roles import clean_roles

    if "roles" in group:
        clean_roles(group["roles"])


#: A role's name: one visible line, like a person's name (``core/roles.py``).
ROLE = Name()
HOLDER = Document(
    "role holder",
    "Who holds one role.",
    {
        "role": Field(ROLE, "The role, as the group names it."),
        "member_id": Field(ID, "The member who holds it."),
    },
)


SLOT = Document(
    "slot",
    "When the group meets: a weekday and time in a time zone, every cadence from an anchor.",
    {
        "anchor": Field(DAY, "A day the series meets (the others are whole cadences away)."),
        "at": Field(TEXT, "The time of day, `HH:MM`, in the zone."),
        "zone": Field(TEXT, "An IANA time zone (`Europe/London`)."),
        "skipped": Field(ListOf(DAY), "Meetings of the series that do not happen.", False),
        "moved": Field(MapOf(DAY, keys="date"), "Meeting day → the day it was moved to.", False),
        "sequence": Field(
            Number(whole=True, low=0), "Raised at each change (calendars update in place).", False
        ),
    },
    read_checks=(readable_slot,),
)

MEMBER = Document(
    "member",
    "A member of a group. Former members stay, so the history keeps their name.",
    {
        "id": Field(ID, "Stable id; everything else refers to the member by it."),
        "name": Field(NAME, "The name as shown (NFC; unique in the group, ignoring case)."),
        "active": Field(BOOL, "False for a former member (not in new sessions).", False),
        # Issue 25.4 (the outcomes report); optional, absent in older files: false.
        "shares_wins": Field(
            BOOL, "True once the member agreed their wins appear in `peersession report`.", False
        ),
    },
)

GROUP = Document(
    "group",
    "A group and how it meets (the index's `groups` table, a bundle's `group`).",
    {
        "id": Field(ID, "Stable id; also the name of the group's file."),
        "name": Field(NAME, "The group's name (unique in the data folder, ignoring case)."),
        "members": Field(ListOf(MEMBER), "Everyone who is or was in the group."),
        "created_at": Field(AT, "When the group was created."),
        "cadence_days": Field(
            Number(whole=True, low=1, high=366, limit=36600), "Days between meetings.", False
        ),
        "length_minutes": Field(
            Number(whole=True, low=10, high=600), "Planned length of a meeting.", False
        ),
        "ground_rules": Field(ListOf(LINE), "Read out at the opening.", False),
        "template": Field(TEXT, "The usual agenda: `full` or `quick`.", False),
        "next_meeting": Field(Maybe(DAY), "The next meeting's date, if set.", False),
        "agenda": Field(
            Maybe(ListOf(Document("agenda entry", "One phase.", {}))),
            "The group's own phases and minutes (`{phase, minutes?}`), or null.",
            False,
        ),
        "question_share": Field(
            Maybe(Number(low=0.1, high=0.9)),
            "Share of an ask spent on clarifying questions, or null for the template's.",
            False,
        ),
        "extensions_minutes": Field(
            Maybe(ListOf(Number(low=0.5, high=30))),
            "Minutes each granted extension adds, shrinking; null for the template's.",
            False,
        ),
        "slot": Field(Maybe(SLOT), "When the group meets, or null (not set yet).", False),
        # -- roles that rotate (core/roles.py): optional, so older files read unchanged --
        "roles": Field(
            ListOf(ROLE),
            "The roles each session gives out, in order (absent: host, facilitator).",
            False,
        ),
        "next_roles": Field(
            ListOf(HOLDER),
            "Holders chosen for the next session only (`group edit --role`); "
            "cleared when a session is saved.",
            False,
        ),
    },
    door_checks=(_members_differ, _roles_differ),
    read_checks=(group_rules,),
)

SUMMARY = Document(
    "summary",
    "What the home screen shows without opening the group's file (recomputed by doctor).",
    {
        "sessions": Field(WHOLE, "Finished sessions.", False),
        "last_session_at": Field(Maybe(AT), "Start of the latest session.", False),
        "open_commitments": Field(WHOLE, "Commitments not done or dropped.", False),
        # -- roles that rotate: what the home screen proposes from (core/roles.py) --
        "roles_held": Field(
            Document(
                "roles held",
                "Who held each role, least recently first (`core/roles.recency`).",
                {
                    "by_role": Field(
                        ListOf(
                            Document(
                                "role turns",
                                "One role's holders.",
                                {
                                    "role": Field(ROLE, "The role (compared ignoring case)."),
                                    "member_ids": Field(
                                        ListOf(ID), "Who held it, least recently first."
                                    ),
                                    "this_round": Field(
                                        Number(whole=True, low=0),
                                        "How many of the last held it this round.",
                                        False,
                                    ),
                                },
                            )
                        ),
                        "Each role's holders.",
                    ),
                    "any_role": Field(ListOf(ID), "Who held any role, least recently first."),
                },
            ),
            "Absent until a session with roles is saved.",
            False,
        ),
    },
)

#: A group as the index stores it: the group and its summary.
INDEX_GROUP = Document(
    "indexed group",
    GROUP.doc,
    {**GROUP.fields, "summary": Field(SUMMARY, "The group's summary.", False)},
    door_checks=GROUP.door_checks,
    read_checks=GROUP.read_checks,
)

NOTE = Document(
    "note",
    "A note taken in a meeting.",
    {
        "id": Field(ID, "Stable id."),
        "text": Field(TEXT, "What was noted."),
        "private": Field(BOOL, "Stays in the room: never exported without --include-private."),
        "at": Field(AT, "When it was noted."),
        "part": Field(
            OneOf(("update", "questions", "advice")),
            "Where it was taken: an update turn, or an ask's questions or advice "
            "(absent: the session at large, or an older note).",
            False,
        ),
        "member_id": Field(ID, "Whose turn or ask it was taken on (absent with part).", False),
    },
)

REVIEW = Document(
    "review",
    "One dated change of a commitment's status.",
    {
        "at": Field(AT, "When the status changed."),
        "status": Field(OneOf(REVIEW_STATUSES), "The new status."),
        "source": Field(TEXT, "`session`, `checkin` or `history` (changed later by hand)."),
        "source_id": Field(Maybe(ID), "The session or check-in that made it.", False),
        "text": Field(Maybe(TEXT), "The new text, when renegotiated.", False),
        "due": Field(Maybe(DAY), "The new due date, when renegotiated.", False),
        "note": Field(Maybe(TEXT), "A word about it.", False),
    },
)

COMMITMENT = Document(
    "commitment",
    "What a member said they would do, with every review of it.",
    {
        "id": Field(ID, "Stable id (shown shortened by `checkin --list`)."),
        "group_id": Field(ID, "The group."),
        "owner": Field(ID, "The member's id."),
        "text": Field(TEXT, "What they will do, as first said."),
        "due": Field(Maybe(DAY), "Due date, if any."),
        "private": Field(BOOL, "Stays in the room, with its reviews."),
        "made_at": Field(AT, "When it was made."),
        "made_in": Field(ID, "The session it was made in."),
        "from_ask": Field(Maybe(ID), "The ask it came out of, if any."),
        "reviews": Field(ListOf(REVIEW), "Its status changes, oldest first."),
        "updated_at": Field(AT, "Last change; the newer version wins a merge."),
        # -- goals (issue 25): optional, so older files read unchanged.
        "goal_id": Field(Maybe(ID), "The member's goal it serves (absent or null: none).", False),
    },
)


# -- goals (issue 25): a new optional table of the group's file ---------------------
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


GOAL = Document(
    "goal",
    "A member's goal, which their commitments serve (`peersession goal`; the "
    "`goals` table of a group file).",
    {
        "id": Field(ID, "Stable id (shown by `goal list`)."),
        "group_id": Field(ID, "The group."),
        "owner": Field(ID, "The member's id."),
        "title": Field(Text(one_line=True, longest=MAX_TITLE), "What the member wants to reach."),
        "by": Field(Maybe(DAY), "The horizon date, if any."),
        "measure": Field(
            Maybe(Text(one_line=True, longest=MAX_MEASURE)), "How it is measured, if said."
        ),
        "status": Field(OneOf(GOAL_STATUSES), "`active`, `reached` or `dropped`."),
        "private": Field(BOOL, "Stays in the room: never exported without --include-private."),
        "win_ids": Field(ListOf(ID), "Wins (in sessions) that reached it."),
        "created_at": Field(AT, "When it was set."),
        "updated_at": Field(AT, "Last change; the newer version wins a merge."),
    },
    door_checks=(_goal_as_typed,),
)

TURN = Document(
    "turn",
    "A member's update turn.",
    {
        "member_id": Field(ID, "Who spoke."),
        "seconds": Field(SECONDS, "How long they spoke."),
        "passed": Field(BOOL, "They passed."),
        "notes": Field(ListOf(NOTE), "Notes taken during the turn."),
    },
)

EXTENSION = Document(
    "extension",
    "A vote to extend an ask.",
    {
        "minutes": Field(SECONDS, "Minutes asked for."),
        "votes_for": Field(Number(whole=True, low=0), "Votes in favour."),
        "voters": Field(Number(whole=True, low=0), "Votes cast."),
        "granted": Field(BOOL, "Whether the time was granted."),
        "at": Field(AT, "When it was voted."),
    },
)

ASK = Document(
    "ask",
    "A member's ask for help in the hot seat.",
    {
        "id": Field(ID, "Stable id."),
        "member_id": Field(ID, "Who asked."),
        "text": Field(TEXT, "The ask."),
        "wanted_seconds": Field(SECONDS, "Time asked for."),
        "private": Field(BOOL, "Stays in the room, with its notes and outcome."),
        "votes": Field(WHOLE, "Votes to take it up."),
        "question_seconds": Field(SECONDS, "Time spent on clarifying questions."),
        "advice_seconds": Field(SECONDS, "Time spent on advice."),
        "extensions": Field(ListOf(EXTENSION), "Extension votes."),
        "outcome": Field(Maybe(TEXT), "What the member took away."),
        "commitment_id": Field(Maybe(ID), "The commitment it led to."),
        "helpers": Field(ListOf(ID), "Members who helped."),
        "notes": Field(ListOf(NOTE), "Notes taken during the ask."),
        "done": Field(BOOL, "The ask was finished."),
    },
)

WIN = Document(
    "win",
    "A win celebrated in the opening round.",
    {
        "id": Field(ID, "Stable id."),
        "member_id": Field(ID, "Whose win."),
        "kind": Field(OneOf(WIN_KINDS), "What kind of win."),
        "text": Field(TEXT, "The win."),
        "private": Field(BOOL, "Stays in the room."),
        "at": Field(AT, "When it was told."),
    },
)

SESSION = Document(
    "session",
    "A finished session (the `sessions` table of a group file).",
    {
        "id": Field(ID, "Stable id."),
        "group_id": Field(ID, "The group."),
        "template": Field(TEXT, "The agenda it followed."),
        "started_at": Field(AT, "When it started."),
        "ended_at": Field(AT, "When it ended."),
        "planned_minutes": Field(WHOLE, "Planned length."),
        "attendance": Field(MapOf(OneOf(ATTENDANCE_STATUSES)), "Member id → attendance."),
        "order": Field(ListOf(ID), "Speaking order (member ids)."),
        "turns": Field(ListOf(TURN), "Update turns."),
        "asks": Field(ListOf(ASK), "Asks taken up."),
        "wins": Field(ListOf(WIN), "Wins celebrated."),
        "commitment_ids": Field(ListOf(ID), "Commitments made in it."),
        "reviews": Field(MapOf(REVIEW), "Commitment id → its review in this session."),
        "ratings": Field(
            MapOf(Number(whole=True, low=1, high=10)), "Member id → rating from 1 to 10."
        ),
        "notes": Field(ListOf(NOTE), "Notes on the session as a whole."),
        "next_meeting": Field(Maybe(DAY), "The next meeting agreed at the close."),
        "updated_at": Field(AT, "Last change; the newer version wins a merge."),
        # -- roles that rotate: optional (sessions saved before roles hold none) --
        "roles": Field(ListOf(HOLDER), "Who held which role, in the group's role order.", False),
    },
)

CHECKIN = Document(
    "check-in",
    "A member's check-in between sessions.",
    {
        "id": Field(ID, "Stable id."),
        "group_id": Field(ID, "The group."),
        "member_id": Field(ID, "Who checked in."),
        "at": Field(AT, "When."),
        "statuses": Field(MapOf(OneOf(REVIEW_STATUSES)), "Commitment id → new status."),
        "note": Field(Maybe(Text(one_line=True, longest=MAX_NOTE)), "A one-line update."),
        "energy": Field(Maybe(Number(whole=True, low=1, high=5)), "Energy from 1 to 5."),
        "private": Field(BOOL, "Stays in the room, with the reviews it made."),
        "updated_at": Field(AT, "Last change."),
    },
)

REMOVAL = Document(
    "removal",
    "A tombstone: an item taken out after the meeting (`peersession edit --remove`). "
    "It keeps where the item was and when it was removed, never its text.",
    {
        "id": Field(ID, "The removed item's id (no record with it comes back)."),
        "kind": Field(OneOf(("commitment", "checkin", "ask", "win", "note")), "What the item was."),
        "record": Field(
            OneOf(("session", "commitment", "checkin")), "The kind of record it was in."
        ),
        "record_id": Field(ID, "The record it was in (its own id for a whole record)."),
        "removed_at": Field(AT, "When it was removed."),
    },
)

META = Document(
    "meta",
    "The `_meta` table's one record: which schema the file follows.",
    {
        "schema": Field(WHOLE, "Schema version of the file."),
        "kind": Field(OneOf(("index", "group")), "`index` or `group`."),
        "written_by": Field(TEXT, "The peersession that wrote it.", False),
    },
)

#: Each data file's tables, and the shape of each table's records.
INDEX_TABLES: dict[str, Document] = {"groups": INDEX_GROUP}
GROUP_TABLES: dict[str, Document] = {
    "sessions": SESSION,
    "commitments": COMMITMENT,
    "checkins": CHECKIN,
    "removals": REMOVAL,
    "goals": GOAL,
}

BUNDLE = Document(
    "bundle",
    "One group's sessions, as `peersession export --format json` writes and "
    "`peersession import` merges.",
    {
        "format": Field(OneOf(("peersession-bundle",)), "Always `peersession-bundle`."),
        "version": Field(Number(whole=True, low=1), "Bundle format version."),
        "schema": Field(Number(whole=True, low=1), "Schema version of the documents."),
        "exported_at": Field(AT, "When it was exported.", False),
        "exported_by": Field(TEXT, "The peersession that exported it.", False),
        "includes_private": Field(BOOL, "Whether private items were included."),
        "group": Field(GROUP, "The group."),
        "sessions": Field(ListOf(SESSION), "Sessions."),
        "commitments": Field(ListOf(COMMITMENT), "Commitments made or reviewed in them."),
        "checkins": Field(ListOf(CHECKIN), "Check-ins (with `--all`)."),
        "goals": Field(ListOf(GOAL), "The members' goals (absent in older bundles).", False),
    },
)
