"""Commands that open the app: the home screen, ``demo`` and ``start``."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError
from ..paths import resolve_data_dir
from ..settings import load_settings
from .arguments import add_group_argument
from .output import command, echo, field

if TYPE_CHECKING:
    from ..core.model import Group
from .terminal import require_terminal, run_app


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    demo = subparsers.add_parser(
        "demo",
        parents=[common],
        help="try peersession on a throwaway demo group with six months of history",
        description=(
            "Open the app on a fresh data folder holding a demo group of 8 members and six "
            "months of history, deleted when you quit unless --keep (or --data-dir DIR, new "
            "or empty, where it is written and kept). Your real data folder is never touched."
        ),
    )
    demo.add_argument(
        "--keep",
        action="store_true",
        help="keep the demo folder afterwards (its path is printed when you quit)",
    )
    demo.set_defaults(func=run_demo)

    start = subparsers.add_parser(
        "start",
        parents=[common],
        help="start (or resume) a live session of a group",
        description=(
            "Open the meeting screen for a live session of GROUP, or offer to resume the "
            "session that was interrupted. Every action is on disk before the screen moves on."
        ),
    )
    add_group_argument(start, help="the group's name (case and accents do not matter)")
    start.add_argument(
        "--template",
        choices=["full", "quick"],
        default=None,
        help="the agenda: full (default) or quick (attendance, short updates, commitments)",
    )
    start.add_argument(
        "--restore",
        action="store_true",
        help="bring back the session last set aside from the resume dialog, to resume it",
    )
    start.add_argument(
        "--guest",
        action="append",
        default=[],
        metavar="NAME",
        help="a guest of this session only: speaks and is timed, makes no commitment, holds "
        "no role, is never a member and is never shown private items in exports (repeat)",
    )
    start.set_defaults(func=run_start)


def _theme(args: argparse.Namespace) -> str | None:
    return getattr(args, "theme", None)


def run_home(args: argparse.Namespace) -> int:
    from ..tui.app import create_app

    require_terminal("the home screen", "peersession group list")
    app = create_app(
        data_dir=resolve_data_dir(args.data_dir), settings=load_settings(), theme=_theme(args)
    )
    return run_app(app)


def run_start(args: argparse.Namespace) -> int:
    from ..store.history import HistoryStore
    from ..tui.app import create_app

    data_dir = resolve_data_dir(args.data_dir)
    # Resolve the group before the screen opens, so a typo is one line on stderr.
    store = HistoryStore(data_dir)
    group = store.find_group(args.group)
    guests = _guests(group, args.guest)
    # Before --restore moves anything: a refusal leaves everything as it was.
    require_terminal("a live session", command("group", "show", group.name))
    if args.restore:
        from ..store.live import restore

        restore(store, group)
    app = create_app(
        data_dir=data_dir,
        settings=load_settings(),
        theme=_theme(args),
        start_group=group.id,
        template=args.template,
        guests=guests,
    )
    return run_app(app)


def _guests(group: Group, typed: list[str]) -> tuple[str, ...]:
    """The ``--guest`` names, checked as the session will check them (one line)."""
    from ..core.setup import guest_members

    try:
        visitors = guest_members(group, [(str(n), name) for n, name in enumerate(typed)])
    except ValueError as error:
        raise UserError(f"--guest: {field(str(error))}") from None
    return tuple(m.name for m in visitors)


def run_demo(args: argparse.Namespace) -> int:
    from ..store.demo import make_demo_dir
    from ..tui.app import create_app

    require_terminal("the demo", "peersession group add NAME --member A --member B")
    # With --data-dir the demo is written there and kept (it must be new or empty).
    chosen = Path(args.data_dir).expanduser() if args.data_dir else None
    kept = args.keep or chosen is not None
    folder = make_demo_dir(root=chosen)
    try:
        app = create_app(
            data_dir=folder,
            settings=load_settings(),
            theme=_theme(args),
            demo=True,
            demo_kept=kept,
        )
        return run_app(app)
    finally:
        if kept:
            echo(f"demo data kept in {folder}")
            echo(f"open it again with: {command('--data-dir', str(folder))}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            echo("the demo's throwaway folder is deleted (--keep keeps it)")
