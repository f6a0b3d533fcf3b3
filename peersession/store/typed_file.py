"""A group's file read straight into the records the code reads, when this code
checked exactly that version of it before.

Every version of a data file is checked once (``store/storage.load_tables``).
Such a version is decoded in one pass into its typed records (by their types
alone: ``core.record_types.typed_version``), which is faster than parsing it
into dicts and converting them. Any other file is read the long way (parsed,
migrated if older, checked, refused in one line) by the caller.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from operator import attrgetter
from typing import Any

import msgspec

from ..core.record_types import Record, read_all, typed_version
from ..core.session_records import Checkin, Commitment, Session
from . import schema
from .history_docs import read_goals
from .storage import Tables

#: The tables decoded as their records here. Goals are decoded as they are kept
#: and read as theirs only when a file keeps some (``history_docs.read_goals``):
#: a new meeting's start imports no more declarations than its group needs.
_TYPED: dict[str, type[Record]] = {
    "sessions": Session,
    "commitments": Commitment,
    "checkins": Checkin,
}


@functools.cache
def _decoder() -> msgspec.json.Decoder[Any]:
    def table(kind: Any, name: str | None = None) -> tuple[Any, Any]:
        return dict[str, kind], msgspec.field(name=name, default_factory=dict)

    tables = [(name, *table(typed_version(record))) for name, record in _TYPED.items()]
    tables += [("goals", *table(dict[str, Any])), ("meta", *table(dict[str, Any], "_meta"))]
    return msgspec.json.Decoder(msgspec.defstruct("GroupFile", tables, gc=False))


def decode_checked_group(raw: bytes) -> Any | None:
    """The tables of a group file's checked bytes (``storage.checked_bytes``),
    if they are of the current schema; None otherwise."""
    try:
        decoded = _decoder().decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    meta = decoded.meta.get("1") or {}
    # The version the store migrates to (read when asked, as its migrations read it):
    # an older file goes the long way, which migrates it.
    if meta.get("schema") != schema.SCHEMA_VERSION or meta.get("kind") != "group":
        return None
    return decoded


#: Each table's records in the order every read hands them out.
ORDER = {
    "sessions": "started_at",
    "commitments": "made_at",
    "checkins": "at",
    "goals": "created_at",
}


def decoded_tables(raw: bytes) -> dict[str, list[Any]] | None:
    """A group file's records by table, each table in :data:`ORDER`, decoded in
    one pass from its checked bytes (``storage.checked_bytes``); None if they are
    not of the current schema."""
    decoded = decode_checked_group(raw)
    if decoded is None:
        return None
    found = {table: list(getattr(decoded, table).values()) for table in _TYPED}
    return _in_order({**found, "goals": read_goals(list(decoded.goals.values()))})


def converted_tables(tables: Tables, only: Collection[str] | None = None) -> dict[str, list[Any]]:
    """A group file's records by table, each table in :data:`ORDER`, from its
    checked parse (the long way); with ``only``, only the sessions, commitments
    and check-ins of those ids (and every goal)."""
    found: dict[str, list[Any]] = {
        table: read_all(
            record,
            [doc for doc in tables.get(table, {}).values() if only is None or doc["id"] in only],
        )
        for table, record in _TYPED.items()
    }
    return _in_order({**found, "goals": read_goals(list(tables.get("goals", {}).values()))})


def _in_order(found: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {
        table: sorted(records, key=attrgetter(ORDER[table])) for table, records in found.items()
    }
