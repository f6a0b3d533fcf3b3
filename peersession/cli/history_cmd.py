"""``peersession history [GROUP]``: review past sessions, members and commitments."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..paths import resolve_data_dir
from ..settings import load_settings
from .arguments import add_group_argument
from .output import command
from .terminal import require_terminal, run_app

if TYPE_CHECKING:
    from ..store.history import HistoryStore


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``history`` subcommand."""
    history = subparsers.add_parser(
        "history",
        parents=[common],
        help="review a group's past sessions, members, commitments and figures",
        description=(
            "Open a group's history: its sessions and check-ins newest first with the "
            "group's accountability figures; enter opens a session in full, m a member's "
            "timeline, o the open commitments (update their status there), / searches "
            "every text (on a result, e corrects it and delete removes it). Without GROUP: "
            "the only group, or a list to choose from."
        ),
    )
    add_group_argument(history, nargs="?", help="the group's name (default: the only group)")
    history.add_argument(
        "--for",
        dest="for_member",
        metavar="NAME",
        help="as this member may see it: no private item from before they joined "
        "(in the sessions, the member pages and the search)",
    )
    history.set_defaults(func=run_history)


def run_history(args: argparse.Namespace) -> int:
    from ..store.history import HistoryStore
    from ..tui.app import create_app

    data_dir = resolve_data_dir(args.data_dir)
    store = HistoryStore(data_dir)
    # Resolve the group before the screen opens, so a typo (or an empty data
    # folder) is one line on stderr rather than an empty screen.
    group_id = store.find_group(args.group).id if args.group else None
    if group_id is None and not store.groups():
        store.only_group()  # raises the "no groups yet" message
    if group_id is None and args.for_member is not None:
        group_id = store.only_group().id  # a member is a member of one group
    name = store.find_group(group_id).name if group_id else "GROUP"
    viewer = _viewer(store, group_id, args.for_member)
    require_terminal("the history", command("export", name, "--all", "--format", "txt"))
    app = create_app(
        data_dir=data_dir,
        settings=load_settings(),
        theme=getattr(args, "theme", None),
        mode="history",
        start_group=group_id,
        member=viewer,
    )
    return run_app(app)


def _viewer(store: HistoryStore, group_id: str | None, name: str | None) -> str | None:
    """The member ``--for`` names (their id), or None; one line if there is none."""
    from ..errors import UserError
    from .output import field

    if name is None:
        return None
    group = store.find_group(group_id) if group_id else store.only_group()
    member = group.member_by_name(name)
    if member is None:
        raise UserError(f"--for: {field(group.name)!r} has no member named {field(name)!r}")
    return member.id
