"""``peersession themes``: list the colour themes and where each comes from."""

from __future__ import annotations

import argparse
import os

from textual.theme import BUILTIN_THEMES

from peersession import paths
from peersession.cli.output import echo
from peersession.errors import UserError
from peersession.settings import load_settings
from peersession.tui.theming import (
    DEFAULT_DARK_THEME,
    NO_COLOR_THEME,
    load_theme_catalog,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``themes`` subcommand."""
    parser = subparsers.add_parser(
        "themes",
        help="list colour themes and where they come from",
        description=(
            "List the colour themes: shipped with peersession, your own (in "
            f"{paths.user_themes_dir()}), and Textual's built-in ones. "
            "The current one is marked with '*'."
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print every theme with its source; bad user theme files go to stderr."""
    catalog = load_theme_catalog()
    try:
        remembered = load_settings().theme
    except UserError as error:
        # The listing is still useful while the config file needs fixing.
        echo(f"warning: {error}", err=True)
        remembered = None
    rows: list[tuple[str, str, str]] = [
        (name, source, str(path)) for name, (source, path) in catalog.sources.items()
    ]
    rows += [(name, "textual", "(built into Textual)") for name in sorted(BUILTIN_THEMES)]
    available = {name for name, _, _ in rows}

    if remembered is not None:
        current, why = remembered, f"from {paths.config_file()}"
    elif os.environ.get("NO_COLOR"):
        current, why = NO_COLOR_THEME, "because NO_COLOR is set"
    else:
        current, why = DEFAULT_DARK_THEME, "the default"

    width = max(len(name) for name, _, _ in rows)
    for name, source, where in rows:
        marker = "*" if name == current else " "
        echo(f"{marker} {name:<{width}}  {source:<7}  {where}")
    echo(f"\ncurrent theme (marked *): {current}, {why}")
    if current not in available:
        message = f"warning: theme {current!r} is not available; the app will use another"
        echo(message, err=True)
    for problem in catalog.problems:
        echo(f"bad theme file: {problem}", err=True)
    return 0
