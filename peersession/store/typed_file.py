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
from operator import attrgetter
from typing import Any

import msgspec

from ..core.record_types import read_all, typed_version
from ..core.records import GROUP_TABLES, FileMeta
from ..core.schema_version import SCHEMA_VERSION
from .storage import Tables


@functools.cache
def _decoder() -> msgspec.json.Decoder[Any]:
    tables: list[tuple[str, Any, Any]] = [
        (table, dict[str, typed_version(record)], msgspec.field(default_factory=dict))  # type: ignore[misc]
        for table, record in GROUP_TABLES.items()
    ]
    meta = typed_version(FileMeta)
    tables.append(("meta", dict[str, meta], msgspec.field(name="_meta", default_factory=dict)))  # type: ignore[valid-type]
    return msgspec.json.Decoder(msgspec.defstruct("GroupFile", tables, gc=False))


def decode_checked_group(raw: bytes) -> Any | None:
    """The tables of a group file's checked bytes (``storage.checked_bytes``) as
    typed records, if they are of the current schema; None otherwise."""
    try:
        decoded = _decoder().decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    meta = decoded.meta.get("1")
    if meta is None or meta.schema != SCHEMA_VERSION or meta.kind != "group":
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
    return _in_order({table: list(getattr(decoded, table).values()) for table in ORDER})


def converted_tables(tables: Tables) -> dict[str, list[Any]]:
    """A group file's records by table, each table in :data:`ORDER`, from its
    checked parse (the long way)."""
    return _in_order(
        {
            table: read_all(GROUP_TABLES[table], list(tables.get(table, {}).values()))
            for table in ORDER
        }
    )


def _in_order(found: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {
        table: sorted(records, key=attrgetter(ORDER[table])) for table, records in found.items()
    }
