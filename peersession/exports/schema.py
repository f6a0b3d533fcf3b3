"""The written definition of the data, generated from ``core/stored.py``.

``python -m peersession.exports.schema`` writes ``docs/bundle.schema.json``
(JSON Schema 2020-12 of the bundle) and the field tables of ``docs/data.md``
(between its ``<!-- fields:NAME -->`` markers) from the same definitions the
code checks files and bundles with; ``--check`` only says whether the
committed files are in step (``tests/test_stored_shapes.py`` runs it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from ..core import stored
from ..core.shapes import Document, ListOf, MapOf, Maybe, Shape

SCHEMA_ID = "https://peersession.invalid/bundle.schema.json"

#: The documents docs/data.md describes, by the name of their marker.
DOCUMENTS: dict[str, Document] = {
    "meta": stored.META,
    "group": stored.INDEX_GROUP,
    "member": stored.MEMBER,
    "slot": stored.SLOT,
    "summary": stored.SUMMARY,
    "session": stored.SESSION,
    "turn": stored.TURN,
    "ask": stored.ASK,
    "extension": stored.EXTENSION,
    "win": stored.WIN,
    "note": stored.NOTE,
    "commitment": stored.COMMITMENT,
    "review": stored.REVIEW,
    "checkin": stored.CHECKIN,
    "removal": stored.REMOVAL,
    "goal": stored.GOAL,
    "bundle": stored.BUNDLE,
}

_BLOCK = re.compile(r"(<!-- fields:(?P<name>[a-z]+) -->\n).*?(<!-- /fields -->)", re.DOTALL)


def bundle_schema() -> dict[str, Any]:
    """The JSON Schema of a bundle (each document defined once, in ``$defs``)."""
    defs: dict[str, Any] = {}
    top = stored.BUNDLE.json_schema()
    # The documents inside, each once; the bundle itself stays at the top.
    top["properties"] = {
        key: {**spec.shape.json_schema(defs), "description": spec.doc}
        for key, spec in stored.BUNDLE.fields.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **top,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    return json.dumps(bundle_schema(), indent=2, ensure_ascii=False) + "\n"


def _kind(shape: Shape) -> str:
    """``list of *note*``: the value's label, a document named in italics (its own table)."""
    inner = shape
    while isinstance(inner, Maybe | ListOf | MapOf):
        inner = inner.inner
    label = str(shape.label)
    if isinstance(inner, Document) and inner.fields:
        return label.replace(inner.title, f"*{inner.title}*")
    return label


def field_table(document: Document) -> str:
    """A Markdown table of a document's fields."""
    rows = ["| field | value | required | meaning |", "|---|---|---|---|"]
    for key, spec in document.fields.items():
        needed = "yes" if spec.required else "no"
        rows.append(f"| `{key}` | {_kind(spec.shape)} | {needed} | {spec.doc} |")
    return "\n".join(rows) + "\n"


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
