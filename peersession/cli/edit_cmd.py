"""``peersession edit GROUP ITEM_ID``: correct a saved item after the meeting.

A commitment, a check-in, an ask, a win or a note, named by its id (or the
start of it, as ``checkin --done`` takes ids): its text, its private flag, a
commitment's status, or ``--remove``, which takes the text out of this
machine's history and search index and leaves a tombstone (id, kind, when).
The rules are ``core/corrections.py``; the write is ``store/corrections.py``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..core.clock import Clock, SystemClock
from ..core.corrections import STATUSES, Correction, Status, describe
from ..core.model import Group
from ..core.saved_items import KIND_WORDS
from ..paths import resolve_data_dir
from ..store.corrections import Corrected, correct, prepare
from ..store.history import HistoryStore
from .arguments import add_group_argument
from .json_output import add_json_flag, print_json
from .output import ask, echo

#: The time corrections are stamped with (tests put a FakeClock here).
CLOCK: Clock = SystemClock()


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``edit`` subcommand."""
    edit = subparsers.add_parser(
        "edit",
        parents=[common],
        help="correct a saved item: its text, private flag or status, or remove it",
        description=(
            "Correct a saved commitment, check-in, ask, win or note after the meeting. "
            "ITEM_ID is the item's id or a start of it that only one id has (ids: "
            "`checkin --list` for commitments, `search WORDS --json` target_id for any text). "
            "--remove takes the text out of this machine's history, search index and "
            "exports, keeping a tombstone (the id, the kind, when); it asks first when "
            "there is a terminal. Example: peersession edit 'Thursday Circle' 3f2a "
            "--text 'Send the draft to Ana by Friday'"
        ),
    )
    add_group_argument(edit, help="the group's name or id")
    edit.add_argument("item", metavar="ITEM_ID", help="the item's id, or a unique start of it")
    edit.add_argument("--text", metavar="TEXT", help="the corrected text")
    privacy = edit.add_mutually_exclusive_group()
    privacy.add_argument(
        "--private",
        dest="private",
        action="store_const",
        const=True,
        default=None,
        help="mark it private: it stays in the room (never exported without --include-private)",
    )
    privacy.add_argument(
        "--public",
        dest="private",
        action="store_const",
        const=False,
        help="mark it not private",
    )
    edit.add_argument(
        "--status",
        choices=STATUSES,
        help="a commitment's status (a dated review, kept in its history)",
    )
    edit.add_argument(
        "--remove",
        action="store_true",
        help="remove it: its text leaves this machine's history; a tombstone keeps its id",
    )
    edit.add_argument("--yes", "-y", action="store_true", help="remove without asking")
    add_json_flag(edit, "what changed")
    edit.set_defaults(func=run_edit)


def run_edit(args: argparse.Namespace) -> int:
    store = HistoryStore(resolve_data_dir(args.data_dir))
    group = store.find_group(args.group)
    status: Status | None = args.status
    correction = Correction(text=args.text, private=args.private, status=status, remove=args.remove)
    located = prepare(store, group.id, args.item, correction)
    if correction.remove and not args.yes and sys.stdin.isatty():
        answer = ask(
            f"Remove {KIND_WORDS[located.kind]} {located.item_id} for good? Its text leaves "
            "this machine's history. [y/N]"
        )
        if answer.strip().casefold() not in ("y", "yes"):
            echo("nothing was changed", err=True)
            return 1
    done = correct(store, group.id, located.item_id, correction, CLOCK.now().isoformat())
    if args.json:
        print_json(edit_view(group, done))
    else:
        who = group.name_of(done.located.member_id) if done.located.member_id else None
        echo(describe(done.located, done.correction, who, group.name))
    return 0


def edit_view(group: Group, done: Corrected) -> dict[str, Any]:
    """The ``--json`` shape (docs/cli-json.md)."""
    located, correction = done.located, done.correction
    return {
        "group": group.name,
        "group_id": group.id,
        "id": located.item_id,
        "kind": located.kind,
        "record": located.record,
        "record_id": located.record_id,
        "member": group.name_of(located.member_id) if located.member_id else None,
        "removed": correction.remove,
        "changed": sorted(correction.fields),
        "text": correction.text,
        "private": correction.private,
        "status": correction.status,
    }
