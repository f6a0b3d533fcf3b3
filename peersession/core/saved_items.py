"""Saved items a correction can name: their kinds, where they are kept, and finding one.

An item is a commitment, a check-in, or something said in a session (an ask, a
win, a note). :func:`find_item` finds one by its id or the start of it, as every
door takes ids; :class:`Located` says what it is and which record holds it. The
rules of changing one are :mod:`.corrections`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

ItemKind = Literal["commitment", "checkin", "ask", "win", "note"]
ITEM_KINDS: tuple[ItemKind, ...] = get_args(ItemKind)
#: The kind of record each table of a group's file holds (the convergent model's kinds).
RecordKind = Literal["session", "commitment", "checkin"]
TABLES: dict[RecordKind, str] = {
    "session": "sessions",
    "commitment": "commitments",
    "checkin": "checkins",
}

#: The stored field that holds an item's text (a check-in's is its update).
TEXT_FIELD: dict[ItemKind, str] = {
    "commitment": "text",
    "checkin": "note",
    "ask": "text",
    "win": "text",
    "note": "text",
}
#: What each kind is called in a line for people.
KIND_WORDS: dict[ItemKind, str] = {
    "commitment": "commitment",
    "checkin": "check-in",
    "ask": "ask",
    "win": "win",
    "note": "note",
}

Doc = dict[str, Any]


class CorrectionError(ValueError):
    """A correction that cannot be made; one line, never an item's text."""


class NoSuchItem(CorrectionError):
    """No saved item has the id given (perhaps it was removed)."""


@dataclass(frozen=True)
class Located:
    """A saved item found in a group's records: what it is and where."""

    kind: ItemKind
    record: RecordKind
    record_id: str
    item_id: str
    #: Whose it is (the member id), if anyone's.
    member_id: str | None
    #: When it was said (the record's time for a nested item without its own).
    at: str

    @property
    def is_record(self) -> bool:
        return self.item_id == self.record_id


@dataclass(frozen=True)
class GroupRecords:
    """A group's stored records, as the store reads them."""

    sessions: Sequence[Doc]
    commitments: Sequence[Doc]
    checkins: Sequence[Doc]

    def table(self, record: RecordKind) -> Sequence[Doc]:
        return {
            "session": self.sessions,
            "commitment": self.commitments,
            "checkin": self.checkins,
        }[record]


# --- finding the item ------------------------------------------------------------------


def items_of(records: GroupRecords) -> Iterator[tuple[Located, Doc]]:
    """Every correctable item and the dict that holds its fields."""
    for doc in records.commitments:
        yield (
            Located("commitment", "commitment", doc["id"], doc["id"], doc["owner"], doc["made_at"]),
            doc,
        )
    for doc in records.checkins:
        yield Located("checkin", "checkin", doc["id"], doc["id"], doc["member_id"], doc["at"]), doc
    for session in records.sessions:
        yield from _session_items(session)


def _session_items(session: Doc) -> Iterator[tuple[Located, Doc]]:
    sid, when = session["id"], session["started_at"]

    def nested(kind: ItemKind, item: Doc, member: str | None) -> tuple[Located, Doc]:
        return Located(kind, "session", sid, item["id"], member, str(item.get("at", when))), item

    for note in session["notes"]:
        yield nested("note", note, note.get("member_id"))
    for turn in session["turns"]:
        for note in turn["notes"]:
            yield nested("note", note, turn["member_id"])
    for ask in session["asks"]:
        yield nested("ask", ask, ask["member_id"])
        for note in ask["notes"]:
            yield nested("note", note, ask["member_id"])
    for win in session["wins"]:
        yield nested("win", win, win["member_id"])


def find_item(records: GroupRecords, ref: str) -> Located:
    """The item ``ref`` names: its whole id, or a start of it that only one id has."""
    wanted = ref.strip()
    if not wanted:
        raise CorrectionError("an empty item id was given")
    found = list(items_of(records))
    exact = [located for located, _ in found if located.item_id == wanted]
    matches = exact or [located for located, _ in found if located.item_id.startswith(wanted)]
    if not matches:
        folded = wanted.casefold()
        matches = [loc for loc, _ in found if loc.item_id.casefold().startswith(folded)]
    ids = sorted({located.item_id for located in matches})
    if len(ids) > 1:
        shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
        raise CorrectionError(f"item id {wanted!r} is ambiguous: it starts {shown}")
    if len(matches) > 1:
        raise CorrectionError(f"item id {ids[0]} appears {len(matches)} times: run doctor")
    if not matches:
        raise NoSuchItem(
            f"no saved item with id {wanted!r} in this group "
            "(ids: `search WORDS --json` target_id, `checkin --list`)"
        )
    return matches[0]


def item_doc(records: GroupRecords, located: Located) -> Doc:
    for candidate, doc in items_of(records):
        if candidate == located:
            return doc
    raise CorrectionError(f"{KIND_WORDS[located.kind]} {located.item_id} is no longer there")


def record_doc(records: GroupRecords, located: Located) -> Doc:
    for doc in records.table(located.record):
        if doc["id"] == located.record_id:
            return doc
    raise CorrectionError(f"{KIND_WORDS[located.kind]} {located.item_id} is no longer there")


def find_nested(value: Any, item_id: str) -> Doc:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if current.get("id") == item_id:
                return current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    raise CorrectionError(f"item {item_id} is no longer there")


def where(located: Located) -> str:
    """Where the item was said, for a line: ``in the session of 2026-03-05``."""
    day = located.at[:10]
    if located.kind == "commitment":
        return f"(made {day})"
    if located.kind == "checkin":
        return f"(of {day})"
    return f"in the session of {day}"
