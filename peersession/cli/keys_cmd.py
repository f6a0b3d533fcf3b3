"""``peersession keys``: every key binding, its id and where it applies.

The ids are what ``[keymap]`` in config.toml takes; the keys shown are the
ones in effect, with your ``[keymap]`` applied (marked ``yours``).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from ..errors import UserError
from ..settings import load_settings
from .json_output import add_json_flag, print_json
from .output import echo


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``keys`` subcommand."""
    keys = subparsers.add_parser(
        "keys",
        parents=[common],
        help="list every key binding with its id, for [keymap] in config.toml",
        description=(
            "List every key of the app: its binding id, its key(s) and where it applies. "
            'To change a key, add the id to config.toml: [keymap] then "meeting.pause" = "p" '
            '(or a list: "meeting.next" = ["n", "right"]).'
        ),
    )
    add_json_flag(keys, "the bindings")
    keys.set_defaults(func=run_keys)


def _keymap() -> Mapping[str, str]:
    try:
        return load_settings().keymap
    except UserError as error:
        # The list is most needed while the keymap is being fixed.
        echo(f"warning: {error}", err=True)
        return {}


def run_keys(args: argparse.Namespace) -> int:
    from ..tui.keymap import key_display, key_rows

    rows = key_rows(_keymap())
    if args.json:
        print_json(
            [
                {
                    "id": row.id,
                    "keys": list(row.keys),
                    "default_keys": list(row.default_keys),
                    "description": row.description,
                    "where": row.where,
                }
                for row in rows
            ]
        )
        return 0
    width = max(len(row.id) for row in rows)
    where = None
    for row in rows:
        if row.where != where:
            echo(("\n" if where else "") + row.where)
            where = row.where
        shown = ", ".join(
            key if key_display(key) == key else f"{key} ({key_display(key)})" for key in row.keys
        )
        mine = "  (yours)" if row.remapped else ""
        echo(f"  {row.id:<{width}}  {shown:<24}  {row.description}{mine}")
    return 0
