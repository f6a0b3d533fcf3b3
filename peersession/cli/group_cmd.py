"""``peersession group add|list``: create and list groups."""

from __future__ import annotations

import argparse

from ..core.durations import parse_cadence, parse_duration
from ..core.templates import TEMPLATES
from ..errors import UserError
from ..paths import resolve_data_dir
from ..store.history import HistoryStore, new_group


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    group = subparsers.add_parser("group", parents=[common], help="create and list groups")
    actions = group.add_subparsers(title="group commands", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="create a group",
        description="Create a group. Example: peersession group add 'Thursday Circle' "
        "--member Ana --member Bo --member Cy --every 3w --length 120m",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--member", "-m", action="append", default=[], metavar="NAME", help="a member (repeat)"
    )
    add.add_argument("--every", default="3w", metavar="CADENCE", help="how often: 3w, 14d (3w)")
    add.add_argument(
        "--length", default="120m", metavar="DURATION", help="meeting length: 120m, 1h30m (120m)"
    )
    add.add_argument(
        "--template", default="full", choices=sorted(TEMPLATES), help="the usual agenda (full)"
    )
    add.set_defaults(func=run_add)

    listing = actions.add_parser("list", parents=[common], help="list groups")
    listing.set_defaults(func=run_list)


def run_add(args: argparse.Namespace) -> int:
    try:
        cadence = parse_cadence(args.every)
        length = parse_duration(args.length)
    except ValueError as error:
        raise UserError(str(error)) from None
    minutes = round(length.total_seconds() / 60)
    if not 10 <= minutes <= 600:
        raise UserError(f"a meeting lasts between 10 minutes and 10 hours, not {args.length!r}")
    store = HistoryStore(resolve_data_dir(args.data_dir))
    group = new_group(
        args.name, args.member, cadence_days=cadence, length_minutes=minutes, template=args.template
    )
    store.add_group(group)
    names = ", ".join(m.name for m in group.members)
    print(f"created group {group.name!r} with {len(group.members)} members: {names}")
    print(f"start its first session with: peersession start {_shell_word(group.name)}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = HistoryStore(resolve_data_dir(args.data_dir))
    groups = store.groups()
    if not groups:
        print("no groups yet: create one with `peersession group add NAME --member A ...`")
        return 0
    summaries = store.summaries()
    for group in groups:
        summary = summaries.get(group.id)
        sessions = summary.sessions if summary else 0
        next_meeting = group.next_meeting.isoformat() if group.next_meeting else "not set"
        print(
            f"{group.name}  ·  {len(group.members)} members  ·  {sessions} sessions  ·  "
            f"next {next_meeting}"
        )
    return 0


def _shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)
