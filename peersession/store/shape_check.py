"""Checking a data file's records against the stored shapes when it is read.

Valid JSON of the wrong shape (a hand edit, a bad merge tool, a bug) would
otherwise crash whatever reads it first, with a traceback that can print the
file's contents, or worse, be written back half-changed. So every file is
checked once, when it is parsed, against ``core/stored.py`` (types and
required fields: :attr:`~peersession.core.shapes.Rules.SHAPE`), and a wrong
shape is refused with one line naming the file and the record; the file is
never written while it is refused.

This is one function so that whichever read path the store has keeps it:
call :func:`check_stored_shapes` on every freshly parsed file
(``store/storage.py`` does, and refuses the file with :class:`MisshapenFile`).

Each record of a long table goes through its shape's compiled check first
(``core/shape_compiler.py``: the same questions, three times faster, as the
check runs on every new version of a file); only a record it turns down is
checked again by the declared shape, which names what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import stored
from ..core.shapes import Document, Invalid, Rules

if TYPE_CHECKING:
    from ..core.shape_compiler import Check

#: The tables of each kind of file, and the shape of their records.
TABLES: dict[str, dict[str, Document]] = {
    "index": stored.INDEX_TABLES,
    "group": stored.GROUP_TABLES,
}


def check_stored_shapes(path: Path, tables: dict[str, dict[str, Any]]) -> str | None:
    """What is wrong with the first record of ``tables`` (a parsed data file)
    that lacks its stored shape, as one line naming the file and the record;
    None if every record has its shape. Files without a recognisable
    ``_meta`` are left to the schema check, which refuses them itself."""
    meta = tables.get("_meta", {}).get("1")
    kind = meta.get("kind") if isinstance(meta, dict) else None
    shapes = TABLES.get(kind) if isinstance(kind, str) else None
    if shapes is None or not isinstance(meta, dict) or meta.get("schema") != stored.SCHEMA:
        # Another schema: an older file is checked once migrated, a newer one refused.
        return None
    ids: set[str] = set()
    for table, shape in shapes.items():
        records = tables.get(table, {})
        has_shape = _fast_check(shape, len(records))
        for doc_id, record in records.items():
            if has_shape is not None and has_shape(record, ids):
                continue
            try:
                shape.check(record, "", Rules.SHAPE)
            except Invalid as error:
                return (
                    f"{path}: {describe(table, doc_id, record)} has the wrong shape ({error}); "
                    "the file was left untouched (`peersession doctor` says more)"
                )
    return None


#: From how many records a table is worth compiling its shape's check for
#: (about a millisecond, once per process): the index of a few dozen groups,
#: read as the app starts, is checked faster by the declared shapes alone.
COMPILE_FROM = 64


def _fast_check(shape: Document, records: int) -> Check | None:
    """The compiled check of ``shape`` for a table of ``records`` records, if worth it."""
    if records < COMPILE_FROM:
        return None
    from ..core.shape_compiler import compiled_check  # not needed at start-up

    return compiled_check(shape)


def find_misshapen(tables: dict[str, dict[str, Any]], kind: str) -> dict[str, list[str]]:
    """For repairs: the TinyDB ids of the records of each table that have the wrong shape."""
    found: dict[str, list[str]] = {}
    ids: set[str] = set()
    for table, shape in TABLES.get(kind, {}).items():
        records = tables.get(table, {})
        has_shape = _fast_check(shape, len(records))
        for doc_id, record in records.items():
            if has_shape is not None and has_shape(record, ids):
                continue
            try:
                shape.check(record, "", Rules.SHAPE)
            except Invalid:
                found.setdefault(table, []).append(doc_id)
    return found


def describe(table: str, doc_id: str, record: object) -> str:
    """``sessions record 3 (id 'ab12')``: which record, never what it holds
    beyond its id (and only an id that is a plain token)."""
    text = f"{table} record {doc_id}"
    ident = record.get("id") if isinstance(record, dict) else None
    try:
        stored.ID.check(ident, "", Rules.SHAPE)
    except Invalid:
        return text
    return f"{text} (id {ident!r})"
