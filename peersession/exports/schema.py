"""The written definition of the data, generated from ``core/records.py``.

``python -m peersession.exports.schema`` writes ``docs/bundle.schema.json``
(JSON Schema 2020-12 of the bundle) and the field tables of ``docs/data.md``
(between its ``<!-- fields:NAME -->`` markers) from the same definitions the
code checks files and bundles with; ``--check`` only says whether the
committed files are in step (``tests/unit/test_stored_shapes.py`` runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

import msgspec
from msgspec import Meta, UnsetType

from ..core import model, records, session_records
from ..core.record_types import LARGEST_NUMBER, LARGEST_WHOLE, Record, door_version

SCHEMA_ID = "https://peersession.invalid/bundle.schema.json"

#: The records docs/data.md describes, by the name of their marker.
DOCUMENTS: dict[str, type[Record]] = {
    "meta": records.FileMeta,
    "group": model.IndexedGroup,
    "member": records.Member,
    "slot": records.Slot,
    "summary": model.Summary,
    "session": session_records.Session,
    "turn": session_records.Turn,
    "timeasked": session_records.TimeAsked,
    "ask": session_records.Ask,
    "extension": session_records.Extension,
    "win": session_records.Win,
    # The group's own review (issue 25): a session's health check and goals review.
    "healthcheck": session_records.HealthCheck,
    "goalreview": session_records.GoalReview,
    "note": session_records.Note,
    "commitment": session_records.Commitment,
    "review": session_records.Review,
    "checkin": session_records.Checkin,
    "removal": records.Removal,
    "goal": records.Goal,
    "bundle": records.Bundle,
}

_BLOCK = re.compile(r"(<!-- fields:(?P<name>[a-z]+) -->\n).*?(<!-- /fields -->)", re.DOTALL)


def bundle_schema() -> dict[str, Any]:
    """The JSON Schema of a bundle (each record defined once, in ``$defs``)."""
    bundle = door_version(records.Bundle)
    _, defs = msgspec.json.schema_components([bundle], ref_template="#/$defs/{name}")
    top = defs.pop("Bundle")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **top,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    return json.dumps(bundle_schema(), indent=2, ensure_ascii=False) + "\n"


def title(record: type[Record]) -> str:
    """``indexed group``: a record's name in the docs."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", record.__name__).lower()


def _bounds(kind: str, meta: Meta) -> str:
    """``whole number, 1 to 366``: the door's bounds (the reach of every number is no bound)."""
    low = meta.ge if meta.ge is not None and abs(meta.ge) not in _REACH else None
    high = meta.le if meta.le is not None and abs(meta.le) not in _REACH else None
    if low is not None and high is not None:
        return f"{kind}, {low:g} to {high:g}"
    if low is not None:
        return f"{kind}, at least {low:g}"
    return kind


_REACH = (LARGEST_WHOLE, LARGEST_NUMBER)


_WORDS: dict[object, str] = {
    str: "text",
    bool: "true or false",
    int: "whole number",
    float: "number",
}


def label(hint: Any) -> str:
    """What a field's value is, in words; a record named in italics (its own table)."""
    origin = get_origin(hint)
    if origin is Annotated:
        base, *metas = get_args(hint)
        for meta in metas:
            if isinstance(meta, Meta) and meta.extra and "label" in meta.extra:
                return str(meta.extra["label"])
            if isinstance(meta, Meta) and meta.extra and meta.extra.get("kind") == "name":
                return "name"
            if isinstance(meta, Meta) and base in (int, float) and meta.ge is not None:
                return _bounds("whole number" if base is int else "number", meta)
        return label(base)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not UnsetType]
        words = label(options[0]) if options else "value"
        return f"{words}, or null" if type(None) in options else words
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in get_args(hint))
    if origin in (list, tuple):
        return f"list of {label(get_args(hint)[0])}"
    if origin is dict:
        key, value = get_args(hint)
        return "object" if value is Any else f"object: {label(key)} → {label(value)}"
    if isinstance(hint, type) and issubclass(hint, Record):
        return f"*{title(hint)}*"
    return _WORDS.get(hint, "value")


def field_table(record: type[Record]) -> str:
    """A Markdown table of a record's fields."""
    checked = door_version(record)  # what a bundle must hold: a group's creation time too
    hints = get_type_hints(checked, include_extras=True)
    rows = ["| field | value | required | meaning |", "|---|---|---|---|"]
    for info in msgspec.structs.fields(checked):
        needed = "yes" if info.required else "no"
        meaning = next(
            (
                m.description
                for m in _metas(hints[info.name])
                if isinstance(m, Meta) and m.description
            ),
            "",
        )
        rows.append(f"| `{info.encode_name}` | {label(hints[info.name])} | {needed} | {meaning} |")
    return "\n".join(rows) + "\n"


def _metas(hint: Any) -> list[Any]:
    """The annotations of a field's type, through an optional field's union."""
    if get_origin(hint) in (Union, types.UnionType):
        return [m for arg in get_args(hint) for m in _metas(arg)]
    return list(get_args(hint)[1:]) if get_origin(hint) is Annotated else []


def with_tables(markdown: str) -> str:
    """``markdown`` with every field table regenerated."""

    def table(match: re.Match[str]) -> str:
        return match.group(1) + field_table(DOCUMENTS[match.group("name")]) + match.group(3)

    return _BLOCK.sub(table, markdown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m peersession.exports.schema")
    parser.add_argument("--docs", default="docs", help="the docs folder (default: docs)")
    parser.add_argument("--check", action="store_true", help="only check they are in step")
    args = parser.parse_args(argv)
    docs = Path(args.docs)
    wanted = {
        docs / "bundle.schema.json": schema_text(),
        docs / "data.md": with_tables((docs / "data.md").read_text(encoding="utf-8")),
    }
    stale = [path for path, text in wanted.items() if _read(path) != text]
    if args.check:
        for path in stale:
            print(f"{path} is out of step: run python -m peersession.exports.schema")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


if __name__ == "__main__":
    sys.exit(main())
