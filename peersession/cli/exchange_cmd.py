"""``peersession export`` and ``peersession import``: what leaves and enters the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import paths
from ..errors import UserError
from ..exports.bundle import build_bundle, dumps_bundle
from ..store.atomic import atomic_write_bytes
from ..store.history import HistoryStore


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    export = subparsers.add_parser(
        "export", parents=[common], help="export a group's sessions (private items left out)"
    )
    export.add_argument("group", metavar="GROUP")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--last", action="store_true", help="the last session (the default)")
    which.add_argument("--session", metavar="ID", help="one session by id")
    which.add_argument("--all", action="store_true", help="every session (a bundle)")
    export.add_argument("--format", choices=["json"], default="json")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    export.add_argument(
        "--include-private",
        action="store_true",
        help="include items marked private (they stay in the room otherwise)",
    )
    export.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    store = HistoryStore(paths.resolve_data_dir(args.data_dir), create=False)
    group = store.find_group(args.group)
    sessions = store.sessions(group.id)
    if args.session:
        sessions = [store.session(group.id, args.session)]
    elif not args.all:
        if not sessions:
            raise UserError(f"{group.name!r} has no finished session yet")
        sessions = sessions[-1:]
    bundle = build_bundle(
        group,
        sessions,
        store.commitments(group.id),
        store.checkins(group.id) if args.all else (),
        include_private=args.include_private,
    )
    text = dumps_bundle(bundle)
    if args.output:
        target = Path(args.output)
        try:
            atomic_write_bytes(target, text.encode("utf-8"))
        except OSError as error:
            raise UserError(f"{target}: cannot write ({error.strerror})") from None
        print(f"wrote {len(sessions)} session(s) of {group.name!r} to {target}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
