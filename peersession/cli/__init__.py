"""The command line: ``peersession [COMMAND]``.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback),
2 bad usage (argparse's own message), 130 interrupted, 141 the reader of our
output went away (``peersession themes | head -1``: quiet, as a command
killed by SIGPIPE would be).

The global options (``--data-dir``, ``--theme``) are accepted before or after
the command: every parser, the top one and each command's, carries them, with
no default, so a value given in one place is not overwritten by the other's.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Collection, Sequence
from typing import Protocol

from .. import __version__
from ..errors import UserError
from .output import Parser, echo, field

#: Every command and the module that defines it, in the order ``--help`` lists
#: them. A module is imported only when its command runs (or for help and
#: completion): the home screen must not wait for the engine, the exports or
#: the doctor. Each module has ``register(subparsers, common)``.
COMMAND_MODULES: dict[str, str] = {
    "demo": "app_cmds",
    "start": "app_cmds",
    "view": "view_cmd",
    "group": "group_cmd",
    "history": "history_cmd",
    "search": "search_cmd",
    "checkin": "checkin_cmd",
    "report": "report_cmd",
    "goal": "goal_cmd",
    "edit": "edit_cmd",
    "export": "exchange_cmd",
    "import": "exchange_cmd",
    "share": "share_cmds",
    "join": "share_cmds",
    "sync": "share_cmds",
    "doctor": "doctor_cmd",
    "locate": "data_cmds",
    "themes": "themes_cmd",
    "keys": "keys_cmd",
    "completion": "completion_cmd",
}

#: Options every command takes, before or after its name.
GLOBAL_OPTIONS: tuple[str, ...] = ("data_dir", "theme")

#: The exit code when stdout is a closed pipe (128 + SIGPIPE, like a shell reports).
EXIT_BROKEN_PIPE = 141

DESCRIPTION = (
    "Run peer-mentoring group sessions from the terminal: round-robin updates with a "
    "timebox, asks for help, commitments reviewed next time, and a history you own. "
    "Without a command, opens the home screen."
)


class CommandModule(Protocol):
    def register(
        self,
        subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
        common: argparse.ArgumentParser,
    ) -> None: ...


def global_options(*, exit_on_error: bool = True) -> argparse.ArgumentParser:
    """The parent parser of every command: the options it takes anywhere."""
    common = argparse.ArgumentParser(add_help=False, exit_on_error=exit_on_error)
    options = common.add_argument_group("global options (before or after the command)")
    options.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the data folder (default: $PEERSESSION_DATA_DIR or the platform's user data folder)",
    )
    options.add_argument(
        "--theme",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="colour theme for this run (see `peersession themes`)",
    )
    return common


def _common_and_top_level() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    common = global_options()
    parser = Parser(prog="peersession", description=DESCRIPTION, parents=[common])
    parser.add_argument("--version", action="version", version=f"peersession {__version__}")
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
        module: CommandModule = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers, common)
    return parser


def commands_needed(argv: Sequence[str]) -> list[str] | None:
    """The commands ``argv`` can mean: none for the home screen, the one it names,
    or ``None`` (every command) for help and for a name argparse must refuse."""
    # The global options and their values taken out by argparse itself (with its
    # ``--opt=value`` and abbreviation rules), the first word left names the command.
    try:
        _, rest = global_options(exit_on_error=False).parse_known_args(list(argv))
    except argparse.ArgumentError:
        return None  # the full parser says what is wrong
    for token in rest:
        if token in ("-h", "--help"):
            return None
        if not token.startswith("-"):
            return [token] if token in COMMAND_MODULES else None
    return []


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(commands_needed(arguments))
        args = parser.parse_args(arguments)
        for name in GLOBAL_OPTIONS:
            if not hasattr(args, name):
                setattr(args, name, None)
        try:
            result: int = args.func(args)
        except UserError as error:
            echo(f"peersession: {field(str(error))}", err=True)
            return 1
        # Flush here, not at exit, so a closed pipe is caught below.
        sys.stdout.flush()
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
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        # stdout is not a real file (tests capture it): nothing will flush to a pipe.
        pass
    return EXIT_BROKEN_PIPE


def entry_point() -> None:
    sys.exit(main())
