"""The command line: ``peersession [COMMAND]``.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback),
2 bad usage (argparse's own message).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Collection, Sequence

from .. import __version__
from ..errors import UserError
from .output import echo, field

#: Every command and the module that defines it, in the order ``--help`` lists
#: them. A module is imported only when its command runs (or for help): the
#: home screen must not wait for the engine, the exports or the doctor.
COMMAND_MODULES: dict[str, str] = {
    "demo": "app_cmds",
    "start": "app_cmds",
    "view": "view_cmd",
    "group": "group_cmd",
    "history": "history_cmd",
    "search": "search_cmd",
    "checkin": "checkin_cmd",
    "export": "exchange_cmd",
    "import": "exchange_cmd",
    "doctor": "doctor_cmd",
    "locate": "data_cmds",
    "themes": "themes_cmd",
}


def _common_and_top_level() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
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
    parser.set_defaults(func=_run_home)
    return common, parser


def _run_home(args: argparse.Namespace) -> int:
    from .app_cmds import run_home

    return run_home(args)


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``commands``, only those commands (and only
    their modules imported)."""
    common, parser = _common_and_top_level()
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    wanted = (
        COMMAND_MODULES.values() if commands is None else {COMMAND_MODULES[c] for c in commands}
    )
    for name in dict.fromkeys(COMMAND_MODULES.values()):
        if name not in wanted:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        if name == "themes_cmd":
            module.register(subparsers)
        else:
            module.register(subparsers, common)
    return parser


def commands_needed(argv: Sequence[str]) -> list[str] | None:
    """The commands ``argv`` can mean: none for the home screen, the one it names,
    or ``None`` (every command) for help and for a name argparse must refuse."""
    _, parser = _common_and_top_level()
    takes_value = {
        option
        for action in parser._actions
        if action.nargs != 0 and action.option_strings
        for option in action.option_strings
    }
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help"):
            return None
        if token in takes_value:
            next(tokens, None)
        elif not token.startswith("-"):
            return [token] if token in COMMAND_MODULES else None
    return []


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(commands_needed(arguments))
    args = parser.parse_args(arguments)
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
