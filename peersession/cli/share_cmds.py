"""``peersession share``, ``join`` and ``sync``: the group's history on every member's machine.

``share`` makes a folder the group already syncs (Syncthing, a cloud drive,
git) the group's shared folder and creates the group's key; ``join`` adds
the group shared in a folder to this machine's history; ``sync`` publishes
and takes in now (every command does both on its own when it opens or
changes a shared group). The folder's format and encryption: docs/data.md.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..paths import resolve_data_dir
from .arguments import add_group_argument
from .json_output import add_json_flag, print_json
from .output import echo, field

#: What completes a FOLDER and a key FILE (shtab's shapes, without importing it
#: for a command that is not completing anything).
DIRECTORIES = {"bash": "_shtab_compgen_dirs", "zsh": "_files -/"}
FILES = {"bash": "_shtab_compgen_files", "zsh": "_files"}


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``share``, ``join`` and ``sync`` subcommands."""
    share = subparsers.add_parser(
        "share",
        parents=[common],
        help="share a group's history with its members through a folder you sync",
        description=(
            "Make FOLDER (inside Syncthing, a cloud drive or a git repository) the group's "
            "shared folder: its whole history is written into it, encrypted with a new key. "
            "Each member then runs `peersession join FOLDER` with that key; from then on "
            "every command takes in what the others wrote and publishes this machine's changes."
        ),
    )
    add_group_argument(share, help="the group's name")
    share.add_argument(
        "folder", metavar="FOLDER", help="the folder to share it through"
    ).complete = DIRECTORIES  # type: ignore[attr-defined]
    share.add_argument(
        "--key-file",
        metavar="FILE",
        help="write the group's key to FILE (readable by you alone) instead of printing it",
    ).complete = FILES  # type: ignore[attr-defined]
    add_json_flag(share, "what was shared (and the key, when not written to a file)")
    share.set_defaults(func=run_share)

    join = subparsers.add_parser(
        "join",
        parents=[common],
        help="add a group shared in a folder to this machine's history",
        description=(
            "Add the group shared in FOLDER to this machine's history, with the group's key "
            "from --key-file, or typed at a prompt (not shown) when there is a terminal. A "
            "wrong key changes nothing."
        ),
    )
    join.add_argument(
        "folder", metavar="FOLDER", help="the group's shared folder"
    ).complete = DIRECTORIES  # type: ignore[attr-defined]
    join.add_argument(
        "--key-file", metavar="FILE", help="a file holding the group's key"
    ).complete = FILES  # type: ignore[attr-defined]
    add_json_flag(join, "what was joined")
    join.set_defaults(func=run_join)

    sync = subparsers.add_parser(
        "sync",
        parents=[common],
        help="publish this machine's changes and take in the others' now",
        description=(
            "Publish what this machine changed in a shared group and take in what the others "
            "wrote, now (every command also does it when it opens or changes the group). "
            "Without GROUP: every shared group."
        ),
    )
    add_group_argument(sync, nargs="?", help="the group's name (default: every shared group)")
    add_json_flag(sync, "what each group's pass did")
    sync.set_defaults(func=run_sync)


def run_share(args: argparse.Namespace) -> int:
    from ..store.history import HistoryStore
    from ..store.shared import joining

    store = HistoryStore(resolve_data_dir(args.data_dir), create=False)
    group = store.find_group(args.group)
    folder = Path(args.folder).expanduser().absolute()
    key_file = Path(args.key_file).expanduser().absolute() if args.key_file else None
    key = joining.share(store, group.id, folder, key_file)
    if args.json:
        data: dict[str, Any] = {
            "group": group.name,
            "group_id": group.id,
            "folder": str(folder),
            "key_file": str(key_file) if key_file else None,
            "key": None if key_file else key.token(),
        }
        print_json(data)
        return 0
    echo(f"shared {field(group.name)} through {field(str(folder))}")
    if key_file is not None:
        echo(
            f"the group's key is in {field(str(key_file))}: give it to each member privately; "
            f"they run `peersession join {folder} --key-file FILE`"
        )
    else:
        echo(
            "the group's key (shown once; give it to each member privately, never through "
            f"the shared folder; they run `peersession join {folder}` and paste it):"
        )
        echo(key.token())
    return 0


def run_join(args: argparse.Namespace) -> int:
    from ..store.history import HistoryStore
    from ..store.shared import joining
    from ..store.shared.key import GroupKey, load_key

    folder = Path(args.folder).expanduser().absolute()
    if args.key_file:
        key = load_key(Path(args.key_file).expanduser())
    else:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise UserError("no key: give --key-file FILE (there is no terminal to type it at)")
        key = GroupKey.from_token(getpass.getpass("the group's key: ", stream=sys.stderr))
    store = HistoryStore(resolve_data_dir(args.data_dir))
    group_id, result = joining.join(store, folder, key)
    group = store.find_group(group_id)
    summary = store.summaries().get(group_id)
    sessions = summary.sessions if summary is not None else 0
    if args.json:
        print_json(
            {
                "group": group.name,
                "group_id": group.id,
                "folder": str(folder),
                "sessions": sessions,
                "taken_in": result.taken_in,
            }
        )
        return 0
    echo(f"joined {field(group.name)}: {sessions} session(s) taken in from {field(str(folder))}")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from ..store.history import HistoryStore
    from ..store.shared import sync
    from ..store.shared.joining import status

    store = HistoryStore(resolve_data_dir(args.data_dir), create=False)
    shared = [g for g in store.groups() if status(store.root, g.id) is not None]
    if args.group:
        group = store.find_group(args.group)
        if status(store.root, group.id) is None:
            raise UserError(
                f"{group.name!r} is not shared from this machine "
                "(`peersession share GROUP FOLDER`, or `peersession join FOLDER`)"
            )
        shared = [group]
    elif not shared:
        raise UserError("no shared group here (`peersession share GROUP FOLDER` shares one)")
    rows = []
    failed = False
    for group in shared:
        result = sync.sync_now(store, group.id)
        failed = failed or result.failed is not None
        rows.append((group, result))
    if args.json:
        print_json(
            [
                {
                    "group": group.name,
                    "published": result.published,
                    "taken_in": result.taken_in,
                    "files_read": result.files_read,
                    "records_updated": result.records_written,
                    "not_taken_in": [finding.line() for finding in result.findings],
                    "error": result.failed,
                }
                for group, result in rows
            ]
        )
    else:
        for group, result in rows:
            echo(f"{field(group.name)}: {result.line()}")
    return 1 if failed else 0
