"""Checking a data file's records against their declarations when it is read.

Valid JSON of the wrong shape (a hand edit, a bad merge tool, a bug) would
otherwise crash whatever reads it first, with a traceback that can print the
file's contents, or worse, be written back half-changed. So every freshly
parsed file goes through :func:`check_stored_shapes` (``store/storage.py``
calls it), which checks each table with ``msgspec.convert`` against the read
level of ``core/records.py``, and a wrong shape is refused with one line naming
the file, the record and the field; the file is never written while it is
refused. The parsed dicts are what the code reads: unknown keys stay in them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from ..core.record_errors import describe_error
from ..core.record_types import Record, read_version
from ..core.records import GROUP_TABLES, INDEX_TABLES, SCHEMA_VERSION

_IS_ID = re.compile(r"[A-Za-z0-9_-]{1,64}").fullmatch


def is_id(value: object) -> bool:
    """Whether ``value`` is a plain id (what a group's file is named by)."""
    return isinstance(value, str) and _IS_ID(value) is not None


@functools.cache
def stored_tables(kind: str) -> dict[str, type[Record]]:
    """The tables of a kind of file (``index``, ``group``; another: none), and the
    record (read level) each holds, derived on first use."""
    declared = {"index": INDEX_TABLES, "group": GROUP_TABLES}.get(kind, {})
    return {table: read_version(record) for table, record in declared.items()}


def problem_with(record: object, kind: type[Record]) -> str | None:
    """What is wrong with one record, as ``field: problem``; None if nothing."""
    try:
        msgspec.convert(record, kind)
    except msgspec.ValidationError as error:
        return describe_error(error)
    return None


@functools.cache
def _file_decoder(kind: str) -> msgspec.json.Decoder[Any]:
    """A decoder of a whole file of ``kind``, each table's records at the read level."""
    tables: list[tuple[str, Any, Any]] = [
        (table, dict[str, record], msgspec.field(default_factory=dict))  # type: ignore[valid-type]
        for table, record in stored_tables(kind).items()
    ]
    return msgspec.json.Decoder(msgspec.defstruct(f"{kind}_file", tables, gc=False))


def check_stored_shapes(
    path: Path, tables: dict[str, dict[str, Any]], raw: bytes | None = None
) -> str | None:
    """What is wrong with the first record of ``tables`` (a parsed data file,
    ``raw`` its bytes) that lacks its stored shape, as one line naming the file
    and the record; None if every record has its shape. Files without a
    recognisable ``_meta`` are left to the schema check, which refuses them itself."""
    meta = tables.get("_meta", {}).get("1")
    kind = meta.get("kind") if isinstance(meta, dict) else None
    shapes = stored_tables(kind) if isinstance(kind, str) else None
    if not shapes or not isinstance(meta, dict) or meta.get("schema") != SCHEMA_VERSION:
        # Another schema: an older file is checked once migrated, a newer one refused.
        return None
    if raw is not None and isinstance(kind, str):
        # Decoding the bytes straight into the records is the fastest check; on any
        # doubt (JSON msgspec reads differently, a record turned down) the parsed
        # tables are checked one by one, which says what is wrong.
        try:
            _file_decoder(kind).decode(raw)
            return repeated_id(path, tables)
        except (msgspec.ValidationError, msgspec.DecodeError):
            pass
    for table, doc_id, record, error in _misshapen(tables, shapes):
        return (
            f"{path}: {describe(table, doc_id, record)} has the wrong shape ({error}); "
            "the file was left untouched (`peersession doctor` says more)"
        )
    return repeated_id(path, tables)


#: The tables whose records are told apart by their ``id``.
KEYED_TABLES = ("groups", "sessions", "commitments", "checkins", "goals")


def repeated_id(path: Path, tables: dict[str, dict[str, Any]]) -> str | None:
    """A record whose id an earlier record of its table holds (a bad copy or
    merge: every reader keys records by id), as one line; None if none."""
    for table in KEYED_TABLES:
        seen: set[object] = set()
        for doc_id, record in tables.get(table, {}).items():
            ident = record.get("id") if isinstance(record, dict) else None
            if ident in seen:
                return (
                    f"{path}: {describe(table, doc_id, record)} repeats the id of an earlier "
                    "record; the file was left untouched (`peersession doctor --repair` keeps "
                    "one of each)"
                )
            seen.add(ident)
    return None


def refused_at_the_doors(
    tables: dict[str, dict[str, Any]], kind: str
) -> Iterator[tuple[str, str, object, str]]:
    """Each record of a file of ``kind`` that reads but that the doors refuse
    (a value out of its bounds, a text too long): readers ignore such a value, but
    a bundle holding it would not import anywhere. With what is wrong, in order."""
    declared = {"index": INDEX_TABLES, "group": GROUP_TABLES}.get(kind, {})
    yield from _misshapen(tables, declared)


def find_misshapen(tables: dict[str, dict[str, Any]], kind: str) -> dict[str, list[str]]:
    """For repairs: the TinyDB ids of the records of each table that have the wrong shape."""
    found: dict[str, list[str]] = {}
    for table, doc_id, _record, _error in _misshapen(tables, stored_tables(kind)):
        found.setdefault(table, []).append(doc_id)
    return found


def _misshapen(
    tables: dict[str, dict[str, Any]], shapes: dict[str, type[Record]]
) -> Iterator[tuple[str, str, object, str]]:
    """Each record of ``tables`` without its shape, in order, with what is wrong:
    a whole table is checked in one call, and only a table that fails record by record."""
    for table, kind in shapes.items():
        records = tables.get(table, {})
        try:
            msgspec.convert(records, dict[str, kind])  # type: ignore[valid-type]
            continue
        except msgspec.ValidationError:
            pass
        for doc_id, record in records.items():
            error = problem_with(record, kind)
            if error is not None:
                yield table, doc_id, record, error


def describe(table: str, doc_id: str, record: object) -> str:
    """``sessions record 3 (id 'ab12')``: which record, never what it holds
    beyond its id (and only an id that is a plain token)."""
    text = f"{table} record {doc_id}"
    ident = record.get("id") if isinstance(record, dict) else None
    if not is_id(ident):
        return text
    return f"{text} (id {ident!r})"
