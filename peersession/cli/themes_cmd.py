"""``peersession themes``: list the colour themes and where each comes from."""

from __future__ import annotations

import argparse
import os
from typing import Any

from textual.theme import BUILTIN_THEMES

from peersession import paths
from peersession.cli.output import echo
from peersession.errors import UserError
from peersession.settings import load_settings
from peersession.tui.theming import (
    DEFAULT_DARK_THEME,
    NO_COLOR_THEME,
    ThemeCatalog,
    load_theme_catalog,
)

from .json_output import add_json_flag, print_json


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``themes`` subcommand."""
    parser = subparsers.add_parser(
        "themes",
        parents=[common],
        help="list colour themes and where they come from",
        description=(
            "List the colour themes: shipped with peersession, your own (in "
            f"{paths.user_themes_dir()}), and Textual's built-in ones. "
            "The current one is marked with '*'."
        ),
    )
    add_json_flag(parser, "the themes and the current one")
    parser.set_defaults(func=run)


def themes_view(remembered: str | None, catalog: ThemeCatalog) -> dict[str, Any]:
    """Every theme with its source, and which one is current (the ``--json`` shape)."""
    rows: list[dict[str, Any]] = [
        {"name": name, "source": source, "path": str(path)}
        for name, (source, path) in catalog.sources.items()
    ]
    rows += [{"name": name, "source": "textual", "path": None} for name in sorted(BUILTIN_THEMES)]
    if remembered is not None:
        current, why = remembered, f"from {paths.config_file()}"
    elif os.environ.get("NO_COLOR"):
        current, why = NO_COLOR_THEME, "because NO_COLOR is set"
    else:
        current, why = DEFAULT_DARK_THEME, "the default"
    for row in rows:
        row["current"] = row["name"] == current
    return {
        "themes": rows,
        "current": current,
        "current_reason": why,
        "current_available": any(row["current"] for row in rows),
    }


def run(args: argparse.Namespace) -> int:
    """Print every theme with its source; bad user theme files go to stderr."""
    catalog = load_theme_catalog()
    try:
        remembered = load_settings().theme
    except UserError as error:
        # The listing is still useful while the config file needs fixing.
        echo(f"warning: {error}", err=True)
        remembered = None
    view = themes_view(remembered, catalog)
    if args.json:
        print_json(view)
    else:
        width = max(len(row["name"]) for row in view["themes"])
        for row in view["themes"]:
            marker = "*" if row["current"] else " "
            where = row["path"] or "(built into Textual)"
            echo(f"{marker} {row['name']:<{width}}  {row['source']:<7}  {where}")
        echo(f"\ncurrent theme (marked *): {view['current']}, {view['current_reason']}")
    if not view["current_available"]:
        message = f"warning: theme {view['current']!r} is not available; the app will use another"
        echo(message, err=True)
    for problem in catalog.problems:
        echo(f"bad theme file: {problem}", err=True)
    return 0
