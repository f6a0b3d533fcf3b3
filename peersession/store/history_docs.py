"""The history's plain documents and helpers: what a read hands out, a group's
summary, and a new group's definition.

Kept apart from :mod:`.history` (which reads and writes the files); every name
here is importable from there too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from msgspec.structs import replace

from ..core.commitment_state import CLOSED_STATUSES as CLOSED
from ..core.ids import new_id
from ..core.model import Group, Member, Summary
from ..core.names import name_key
from ..core.record_types import stored
from ..core.slot_record import Slot
from ..errors import UserError

if TYPE_CHECKING:
    from ..core.records import Goal
    from ..core.session_records import Checkin, Commitment, Session

T = TypeVar("T")


def copy_json(value: T) -> T:
    """A deep copy of JSON data, faster than ``copy.deepcopy`` for it."""
    if isinstance(value, dict):
        return cast(T, {k: copy_json(v) for k, v in value.items()})
    if isinstance(value, list):
        return cast(T, [copy_json(v) for v in value])
    return value


def kept_from_newer(stored: dict[str, Any] | None, written: dict[str, Any]) -> dict[str, Any]:
    """``written`` (a group as this version writes it, after a change) with the keys
    a newer peersession wrote into ``stored`` (its document on disk): the group's
    own, its slot's and each member's, matched by id. A key the declarations name is
    this version's, written or (a member's field at its default) left out; any
    other key of ``stored`` is one it does not know: kept raw."""
    if stored is None:
        return written
    before = {m["id"]: m for m in stored.get("members") or ()}
    members = [
        {**member, **_unknown(before.get(member["id"], {}), member, Member)}
        for member in written["members"]
    ]
    kept = {**written, **_unknown(stored, written, Group), "members": members}
    slot, stored_slot = written.get("slot"), stored.get("slot")
    if isinstance(slot, dict) and isinstance(stored_slot, dict):
        # A slot removed takes its keys with it.
        kept["slot"] = {**slot, **_unknown(stored_slot, slot, Slot)}
    return kept


def _unknown(
    stored: dict[str, Any], written: dict[str, Any], record: type[Group | Member | Slot]
) -> dict[str, Any]:
    known = record.__struct_encode_fields__
    return {k: v for k, v in stored.items() if k not in written and k not in known}


def summarize(sessions: list[dict[str, Any]], commitments: list[dict[str, Any]]) -> dict[str, Any]:
    """A group's summary as the index keeps it, from its sessions and commitments
    (the raw tables of a file being saved)."""
    # commitment_is_open, written out: this runs over every commitment at each save.
    still_open = sum(
        1 for c in commitments if not c["reviews"] or c["reviews"][-1]["status"] not in CLOSED
    )
    summary = Summary(
        sessions=len(sessions),
        last_session_at=max((s["started_at"] for s in sessions), default=None),
        open_commitments=still_open,
    )
    if any(s.get("roles") for s in sessions):
        # Who held which role: the home screen proposes the next holders from it.
        # Absent until a session kept roles, so an older summary still matches.
        from ..core.roles import held_recency, holders_from_doc

        # Ordered as every read of the history orders them (HistoryStore.sessions);
        # read raw: this runs at each save, over the parse just written.
        by_start = sorted(sessions, key=lambda s: s["started_at"])
        held = (holders_from_doc(s.get("roles")) for s in by_start)
        summary = replace(summary, roles_held=held_recency(held))
    return stored(summary)


@dataclass(frozen=True)
class GroupDocuments:
    """One group's documents from one parse of its file; the caller's own."""

    #: Oldest first.
    sessions: list[Session]
    #: By the time they were made.
    commitments: list[Commitment]
    #: Oldest first.
    checkins: list[Checkin]
    #: The members' goals, by when they were set (issue 25).
    goals: list[Goal] = field(default_factory=list)


def read_goals(docs: list[Any]) -> list[Goal]:
    """A checked file's goals as their declared class, by when they were set.
    The declarations are imported only for a file that keeps goals: a new
    meeting's start reads a group without any, and imports none."""
    if not docs:
        return []
    from ..core.record_types import read_all
    from ..core.records import Goal

    return read_all(Goal, sorted(docs, key=lambda g: g["created_at"]))


def new_group(
    name: str,
    member_names: list[str],
    *,
    cadence_days: int = 21,
    length_minutes: int = 120,
    template: str = "full",
    slot: Slot | None = None,
) -> Group:
    """A new group with fresh ids, its names checked (NFC, one line, at most
    ``MAX_NAME`` characters, no two members equal after NFC and case folding)."""
    from ..core.model import Member
    from ..core.names import clean_name

    try:
        clean = clean_name(name, what="a group name")
        names = [clean_name(n, what="a member name") for n in member_names]
    except ValueError as error:
        raise UserError(str(error)) from None
    if not names:
        raise UserError("a group needs at least one member (--member NAME)")
    seen: set[str] = set()
    for member_name in names:
        if name_key(member_name) in seen:
            raise UserError(f"two members are called {member_name!r}: names must differ")
        seen.add(name_key(member_name))
    return Group(
        id=new_id(),
        name=clean,
        members=tuple(Member(new_id(), n) for n in names),
        cadence_days=cadence_days,
        length_minutes=length_minutes,
        template=template,
        slot=slot,
    )
