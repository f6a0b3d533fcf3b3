"""``--json``: the same data as a command's text, for scripts.

The shapes are documented in ``docs/cli-json.md`` and kept stable: fields may
be added, none renamed or removed without a new major version. Text people
typed is passed through exactly (JSON is data, not display), but written so
that it cannot drive a terminal when someone prints it raw: ``json.dumps``
escapes the C0 controls, and the other characters ``core/safe_text.py`` calls
unsafe (DEL, C1 controls, bidirectional overrides, lone surrogates) are
written as ``\\uXXXX`` escapes too. Decoding gives back the exact text.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from .output import write_raw

# json.dumps already escapes U+0000..U+001F inside strings; any raw newline in
# its output is layout, so it is not in this set.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def dumps(data: Any) -> str:
    """``data`` as indented JSON, every character safe to show on a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def print_json(data: Any) -> None:
    """Write ``data`` to stdout as one JSON document and a newline."""
    # Raw: every unsafe character is already written as an escape (see dumps).
    write_raw(dumps(data) + "\n")


def add_json_flag(parser: argparse._ActionsContainer, what: str) -> None:
    """``--json``: print ``what`` as JSON (see docs/cli-json.md) instead of text."""
    parser.add_argument(
        "--json",
        action="store_true",
        help=f"print {what} as JSON (shape: docs/cli-json.md)",
    )
