"""The command line: ``peersession [COMMAND]``.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback),
2 bad usage (argparse's own message).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import UserError
from . import (
    app_cmds,
    checkin_cmd,
    data_cmds,
    doctor_cmd,
    exchange_cmd,
    group_cmd,
    history_cmd,
    themes_cmd,
    view_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the data folder (default: $PEERSESSION_DATA_DIR or the platform's user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="peersession",
        description=(
            "Run peer-mentoring group sessions from the terminal: round-robin updates with a "
            "timebox, asks for help, commitments reviewed next time, and a history you own. "
            "Without a command, opens the home screen."
        ),
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"peersession {__version__}")
    parser.add_argument(
        "--theme", metavar="NAME", default=None, help="colour theme for this run (see `themes`)"
    )
    parser.set_defaults(func=app_cmds.run_home)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    app_cmds.register(subparsers, common)
    view_cmd.register(subparsers, common)
    group_cmd.register(subparsers, common)
    history_cmd.register(subparsers, common)
    checkin_cmd.register(subparsers, common)
    exchange_cmd.register(subparsers, common)
    doctor_cmd.register(subparsers, common)
    data_cmds.register(subparsers, common)
    themes_cmd.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    try:
        result: int = args.func(args)
    except UserError as error:
        print(f"peersession: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result


def entry_point() -> None:
    sys.exit(main())
