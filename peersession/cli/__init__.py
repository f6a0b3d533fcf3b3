"""The command line: ``peersession [COMMAND]``.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback),
2 bad usage (argparse's own message).
"""

from __future__ import annotations

import argparse
import os
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
from .output import echo, field


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
        sys.stdout.flush()
    except UserError as error:
        echo(f"peersession: {field(str(error))}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _closed_pipe()
    return result


def _closed_pipe() -> int:
    """The reader went away (``peersession group show X | head -1``): stop quietly.

    Standard output is pointed at /dev/null so the interpreter's final flush
    of what is still buffered cannot raise a second time on the way out.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141  # 128 + SIGPIPE, what a shell reports for a command killed by it


def entry_point() -> None:
    sys.exit(main())
