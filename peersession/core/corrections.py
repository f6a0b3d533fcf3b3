"""Corrections after the meeting: what may change in a saved item, and how.

A member fixes a typo in their commitment, marks something they said private,
or asks that it be taken out. Each correction names one saved item by its id
(or the start of it, as ``checkin --done`` takes ids) and changes its text,
its private flag, a commitment's status, or removes it.

The rules live here, pure, in one place for every door (the command line,
the history screen):

* **What may change, per kind** (:data:`EDITABLE`): a commitment's text,
  private flag and status; a check-in's update (its text) and private flag;
  an ask's, a win's or a note's text and private flag. Anything may be removed.
  A commitment whose wording was renegotiated keeps its first wording: the
  renegotiation is a dated review, part of its history.
* **A removal leaves a tombstone** (:func:`tombstone`): the item's id, its
  kind, where it was and when it was removed, never its text. The item is
  taken out of its record (not hidden: gone), with what hangs from it (an
  ask's notes; a commitment's entries in sessions' reviews and check-ins'
  statuses, and the outcome of the ask it came from, which holds the same
  words). Plain references (a session's ``commitment_ids``, an ask's
  ``commitment_id``) stay: they carry no text.
* **Every correction is a change of the convergent model**
  (:func:`as_changes`): ``set`` for a text or a flag, ``add`` of a review for a
  status, ``remove`` for a removal, so two machines correcting one item
  converge, and a removal wins over any edit, earlier or later
  (:mod:`.convergence`). :func:`apply_correction` changes the stored records
  exactly as merging those changes would.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from . import changes as ch
from .changes import KINDS, Change
from .commitment_state import CLOSED_STATUSES, commitment_status
from .free_text import MAX_NOTE, clean_line, clean_text
from .hlc import Stamp
from .record_types import read_as
from .registers import scrubbed
from .saved_items import (
    KIND_WORDS,
    TABLES,
    TEXT_FIELD,
    CorrectionError,
    Doc,
    GroupRecords,
    ItemKind,
    Located,
    RecordKind,
    find_nested,
    item_doc,
    record_doc,
    where,
)
from .session_records import Commitment

Status = Literal["open", "done", "dropped"]
STATUSES: tuple[Status, ...] = get_args(Status)
#: The review a status is recorded as: reopening says "not done yet".
STATUS_REVIEWS: dict[Status, str] = {"open": "not_done", "done": "done", "dropped": "dropped"}

#: What a correction may change, per kind of item (removal: any of them).
EDITABLE: dict[ItemKind, frozenset[str]] = {
    "commitment": frozenset({"text", "private", "status"}),
    "checkin": frozenset({"text", "private"}),
    "ask": frozenset({"text", "private"}),
    "win": frozenset({"text", "private"}),
    "note": frozenset({"text", "private"}),
}


@dataclass(frozen=True)
class Correction:
    """What a member asked to change in one item."""

    text: str | None = None
    private: bool | None = None
    status: Status | None = None
    remove: bool = False

    @property
    def fields(self) -> frozenset[str]:
        """The fields this correction changes (removal aside)."""
        named = {"text": self.text, "private": self.private, "status": self.status}
        return frozenset(name for name, value in named.items() if value is not None)


# --- checking ----------------------------------------------------------------------------


def checked(records: GroupRecords, located: Located, correction: Correction) -> Correction:
    """The correction with its text cleaned as every door cleans it, or
    :class:`CorrectionError` if it changes nothing or what cannot be changed."""
    word = KIND_WORDS[located.kind]
    if correction.remove:
        if correction.fields:
            raise CorrectionError("--remove goes alone: a removed item has nothing to edit")
        return correction
    if not correction.fields:
        raise CorrectionError(
            "nothing to correct: give --text, --private, --public, --status or --remove"
        )
    refused = sorted(correction.fields - EDITABLE[located.kind])
    if refused:
        article = "an" if word[0] in "aeiou" else "a"
        raise CorrectionError(f"{article} {word}'s {refused[0]} cannot be corrected")
    doc = item_doc(records, located)
    text = correction.text
    if text is not None:
        if located.kind == "checkin":
            flat = " ".join(text.split())
            if len(flat) > MAX_NOTE:
                raise CorrectionError(
                    f"the update is too long ({len(flat)} characters, at most {MAX_NOTE})"
                )
            text = _clean(clean_line, flat, "the update")
        else:
            text = _clean(clean_text, text, f"the {word}'s text")
        if located.kind == "commitment" and any(
            r["status"] == "renegotiated" and r.get("text") for r in doc["reviews"]
        ):
            raise CorrectionError(
                f"commitment {located.item_id} was renegotiated to a new wording: "
                "its first wording is kept as said"
            )
    status = correction.status
    if status is not None and status not in STATUSES:
        raise CorrectionError(f"a status is one of {', '.join(STATUSES)}, not {status!r}")
    # Only what differs is changed (and said): the rest already reads so.
    fixed = Correction(
        text=None if text == doc.get(TEXT_FIELD[located.kind]) else text,
        private=None if correction.private == doc.get("private") else correction.private,
        status=None if status is None or _status_of(doc) == status else status,
    )
    if not fixed.fields:
        raise CorrectionError(f"nothing to change: the {word} already reads so")
    return fixed


def _clean(cleaner: Callable[..., str], text: str, what: str) -> str:
    try:
        return cleaner(text, what=what)
    except ValueError as error:
        raise CorrectionError(str(error)) from None


def _status_of(doc: Doc) -> Status:
    # The stored commitment (a raw record of a checked file), read as its class.
    status = commitment_status(read_as(Commitment, doc))
    if status in CLOSED_STATUSES:
        return "done" if status == "done" else "dropped"
    return "open"


# --- the changes, and applying them ---------------------------------------------------


def holders(records: GroupRecords, item_id: str) -> list[tuple[RecordKind, str]]:
    """Other records with an entry keyed by ``item_id`` (a session's review of a
    commitment, a check-in's status of it): they lose that entry with the item."""
    found: list[tuple[RecordKind, str]] = []
    for record in TABLES:
        for doc in records.table(record):
            if doc["id"] == item_id:
                continue
            if any(item_id in (doc.get(name) or {}) for name in KINDS[record].id_maps):
                found.append((record, doc["id"]))
    return found


def outcomes_of(records: GroupRecords, located: Located) -> list[tuple[str, str]]:
    """The asks (session id, ask id) whose outcome a removed commitment came
    from: the outcome holds the commitment's words, and goes with them."""
    if located.kind != "commitment":
        return []
    return [
        (session["id"], ask["id"])
        for session in records.sessions
        for ask in session["asks"]
        if ask.get("commitment_id") == located.item_id and ask.get("outcome") is not None
    ]


def touched_by_removal(records: GroupRecords, located: Located) -> list[tuple[RecordKind, str]]:
    """The records that stay but change when the item is removed: the one that
    held it (unless it is the item), those with entries keyed by it, and the
    sessions whose ask outcome it came from."""
    found: list[tuple[RecordKind, str]] = []
    if not located.is_record:
        found.append((located.record, located.record_id))
    found += holders(records, located.item_id)
    found += [("session", session_id) for session_id, _ in outcomes_of(records, located)]
    return list(dict.fromkeys(found))


def review_for(status: Status, at: str) -> Doc:
    """The dated review a status correction adds (source ``history``: changed later)."""
    return {"at": at, "status": STATUS_REVIEWS[status], "source": "history", "source_id": None}


def removals_of(records: GroupRecords, located: Located) -> list[tuple[RecordKind, str, str]]:
    """What removing ``located`` takes out, as the convergent model's tombstones
    (record kind, record id, item): the item where it is, and every record that
    holds an entry under its id (a commitment's reviews in sessions and check-ins)."""
    return [
        (located.record, located.record_id, located.item_id),
        *(
            (record, record_id, located.item_id)
            for record, record_id in holders(records, located.item_id)
        ),
    ]


def as_changes(
    records: GroupRecords,
    located: Located,
    correction: Correction,
    at: str,
    stamp: Callable[[], Stamp],
) -> list[Change]:
    """The convergent model's changes for a checked correction, stamped by ``stamp``."""
    if correction.remove:
        gone = [ch.remove(*removed, stamp()) for removed in removals_of(records, located)]
        for session_id, ask_id in outcomes_of(records, located):
            gone.append(ch.set_fields("session", session_id, ask_id, {"outcome": None}, stamp()))
        for record, record_id in touched_by_removal(records, located):
            gone.append(ch.set_fields(record, record_id, record_id, {"updated_at": at}, stamp()))
        return gone
    values: dict[str, Any] = {}
    if correction.text is not None:
        values[TEXT_FIELD[located.kind]] = correction.text
    if correction.private is not None:
        values["private"] = correction.private
    out: list[Change] = []
    if values:
        out.append(
            ch.set_fields(located.record, located.record_id, located.item_id, values, stamp())
        )
    if correction.status is not None:
        out.append(
            ch.add_element(
                located.record,
                located.record_id,
                "reviews",
                review_for(correction.status, at),
                stamp(),
            )
        )
    # The record's edit time, so an older copy (an old bundle) does not win an import.
    out.append(
        ch.set_fields(
            located.record, located.record_id, located.record_id, {"updated_at": at}, stamp()
        )
    )
    return out


def apply_correction(
    records: GroupRecords, located: Located, correction: Correction, at: str
) -> dict[tuple[RecordKind, str], Doc | None]:
    """The records a checked correction changes, as they are after it (``None``:
    the record is removed). The same result as merging :func:`as_changes`."""
    changed: dict[tuple[RecordKind, str], Doc | None] = {}
    if correction.remove:
        if located.is_record:
            changed[(located.record, located.record_id)] = None
        for record, record_id in touched_by_removal(records, located):
            doc = next(d for d in records.table(record) if d["id"] == record_id)
            kept = without(record, doc, {located.item_id})
            for session_id, ask_id in outcomes_of(records, located):
                if session_id == record_id:
                    find_nested(kept, ask_id)["outcome"] = None
            kept["updated_at"] = max(str(kept.get("updated_at", "")), at)
            changed[(record, record_id)] = kept
        return changed
    doc = copy.deepcopy(record_doc(records, located))
    target = doc if located.is_record else find_nested(doc, located.item_id)
    if correction.text is not None:
        target[TEXT_FIELD[located.kind]] = correction.text
    if correction.private is not None:
        target["private"] = correction.private
    if correction.status is not None:
        doc["reviews"] = [*doc["reviews"], review_for(correction.status, at)]
    doc["updated_at"] = max(str(doc.get("updated_at", "")), at)
    changed[(located.record, located.record_id)] = doc
    return changed


def without(record: RecordKind, doc: Doc, gone: set[str]) -> Doc:
    """``doc`` with every item whose id is in ``gone`` taken out (as a tombstone
    scrubs it in the merge): objects with that id in any list or map, and
    entries under that id in the record's id-keyed maps."""
    id_maps = KINDS[record].id_maps
    return {
        name: scrubbed(value, gone, by_key=name in id_maps) if name != "id" else value
        for name, value in doc.items()
    }


# --- tombstones ------------------------------------------------------------------------


def tombstone(located: Located, at: str) -> Doc:
    """What a removal keeps: the item's id, its kind, where it was, and when it
    was removed. Never its text, its owner or anything else it said."""
    return {
        "id": located.item_id,
        "kind": located.kind,
        "record": located.record,
        "record_id": located.record_id,
        "removed_at": at,
    }


def scrub_all(
    tables: Mapping[RecordKind, Sequence[Doc]], gone: set[str]
) -> dict[RecordKind, list[Doc]]:
    """Every record with the removed items taken out, and removed records dropped:
    what the history holds whatever arrives later (a journal committed again, an
    old bundle, a repair from a backup)."""
    return {
        record: [without(record, doc, gone) for doc in docs if doc.get("id") not in gone]
        for record, docs in tables.items()
    }


# --- saying what changed ---------------------------------------------------------------


def describe(located: Located, correction: Correction, member: str | None, group: str) -> str:
    """One line saying what a correction changed, never the old text (people's
    text flattened to one line; the caller neutralises it for its screen)."""

    def flat(text: str) -> str:
        return " ".join(text.split())

    what = f"{KIND_WORDS[located.kind]} {located.item_id} {where(located)}"
    who = f"{flat(member)}'s " if member else ""
    if correction.remove:
        gone = "its text is gone, a tombstone keeps its id"
        return f"removed {who}{what} from {flat(group)}: {gone}"
    changes: list[str] = []
    if correction.text is not None:
        changes.append(f'text now "{flat(correction.text)}"')
    if correction.private is not None:
        changes.append("now private" if correction.private else "no longer private")
    if correction.status is not None:
        changes.append(f"status now {correction.status}")
    return f"corrected {who}{what} in {flat(group)}: " + ", ".join(changes)
