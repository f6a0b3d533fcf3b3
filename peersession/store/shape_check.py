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

The index, read as the app starts, is checked first by ``store/index_shapes.py``,
and a group's file (read as its history or a meeting opens) by
``store/group_shapes.py``: the same compiled checks, generated ahead of time
as source (``python -m peersession.store.shape_check`` writes them;
``tests/test_index_shapes.py`` proves them current), so opening a screen
imports no declaration. Only a file with a record they turn down, or another
kind of file, imports ``core/stored.py`` to check it (and to name the problem).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import index_shapes

if TYPE_CHECKING:
    from ..core.shape_compiler import Check
    from ..core.shapes import Document, Invalid

#: Where the generated index check is written.
INDEX_SHAPES = Path(__file__).with_name("index_shapes.py")
#: Where the generated check of a group's file is written.
GROUP_SHAPES = Path(__file__).with_name("group_shapes.py")

INDEX_SHAPES_HEADER = """The index file's load-time shape check, generated from ``core/stored.py``.

``python -m peersession.store.shape_check`` writes this module from the index's
declared shapes with ``core/shape_compiler.py``; ``tests/test_index_shapes.py``
fails when it is out of step. ``store/shape_check.py`` runs it before anything
else on an index, so the app's start need not import the declarations; a
record it turns down is checked again by the declared shape, which names the
problem.
"""

GROUP_SHAPES_HEADER = """A group file's load-time shape check, generated from ``core/stored.py``.

``python -m peersession.store.shape_check`` writes this module from the group
file's declared shapes with ``core/shape_compiler.py``;
``tests/test_index_shapes.py`` fails when it is out of step.
``store/shape_check.py`` runs it before anything else on a group's file, so
opening a history or a meeting need not import the declarations; a record it
turns down is checked again by the declared shape, which names the problem.
"""


def stored_tables() -> dict[str, dict[str, Document]]:
    """The tables of each kind of file, and the shape of their records."""
    from ..core import stored

    return {"index": stored.INDEX_TABLES, "group": stored.GROUP_TABLES}


def check_stored_shapes(path: Path, tables: dict[str, dict[str, Any]]) -> str | None:
    """What is wrong with the first record of ``tables`` (a parsed data file)
    that lacks its stored shape, as one line naming the file and the record;
    None if every record has its shape. Files without a recognisable
    ``_meta`` are left to the schema check, which refuses them itself."""
    meta = tables.get("_meta", {}).get("1")
    kind = meta.get("kind") if isinstance(meta, dict) else None
    if (
        kind == "index"
        and isinstance(meta, dict)
        and meta.get("schema") == index_shapes.SCHEMA
        and index_shapes.has_shapes(tables)
    ):
        return repeated_id(path, tables)
    if kind == "group" and isinstance(meta, dict):
        from . import group_shapes  # a group's file, not the index: not at start-up

        if meta.get("schema") == group_shapes.SCHEMA and group_shapes.has_shapes(tables):
            return repeated_id(path, tables)
    from ..core import stored

    shapes = stored_tables().get(kind) if isinstance(kind, str) else None
    if shapes is None or not isinstance(meta, dict) or meta.get("schema") != stored.SCHEMA:
        # Another schema: an older file is checked once migrated, a newer one refused.
        return None
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


#: From how many records a table is worth compiling its shape's check for
#: (about a millisecond, once per process): a short table (an index the
#: generated check turned down, a small group) is checked faster by the
#: declared shapes alone.
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
    for table, doc_id, _record, _error in _misshapen(tables, stored_tables().get(kind, {})):
        found.setdefault(table, []).append(doc_id)
    return found


def _misshapen(
    tables: dict[str, dict[str, Any]], shapes: dict[str, Document]
) -> Iterator[tuple[str, str, object, Invalid]]:
    """Each record of ``tables`` without its shape, in order, with what is wrong:
    the compiled check answers first for a long table, the declared shape says why."""
    from ..core.shapes import Invalid, Rules

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
                yield table, doc_id, record, error


def describe(table: str, doc_id: str, record: object) -> str:
    """``sessions record 3 (id 'ab12')``: which record, never what it holds
    beyond its id (and only an id that is a plain token)."""
    from ..core import stored
    from ..core.shapes import Invalid, Rules

    text = f"{table} record {doc_id}"
    ident = record.get("id") if isinstance(record, dict) else None
    try:
        stored.ID.check(ident, "", Rules.SHAPE)
    except Invalid:
        return text
    return f"{text} (id {ident!r})"


def index_shapes_source() -> str:
    """The text ``store/index_shapes.py`` should have."""
    from ..core import stored
    from ..core.shape_compiler import module_source

    return module_source(stored.INDEX_TABLES, schema=stored.SCHEMA, header=INDEX_SHAPES_HEADER)


def group_shapes_source() -> str:
    """The text ``store/group_shapes.py`` should have."""
    from ..core import stored
    from ..core.shape_compiler import module_source

    return module_source(stored.GROUP_TABLES, schema=stored.SCHEMA, header=GROUP_SHAPES_HEADER)


def main(argv: list[str]) -> int:
    """Write ``store/index_shapes.py`` and ``store/group_shapes.py`` again
    (``--check``: only say if one is out of step)."""
    stale = 0
    for path, wanted in (
        (INDEX_SHAPES, index_shapes_source()),
        (GROUP_SHAPES, group_shapes_source()),
    ):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == wanted:
            continue
        if "--check" in argv:
            print(f"{path} is out of step: run python -m peersession.store.shape_check")
            stale = 1
            continue
        path.write_text(wanted, encoding="utf-8")
        print(f"wrote {path}")
    return stale


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
