"""``peersession checkin [GROUP]``: a member's quick check-in.

Without answers on the command line it opens the check-in screen; with any of
``--done/--partial/--not-done/--drop/--note/--energy`` it checks in without a
screen (for scripts and reminders). Either way the group and the member are
resolved before anything opens, and the scripted form checks every answer
before it writes: an error is one line and leaves the history untouched.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from ..core.checkin import (
    ANSWER_WORDS,
    CheckinAnswers,
    CheckinError,
    build_checkin,
    describe_checkin,
    find_member,
    parse_energy,
    resolve_answers,
)
from ..core.clock import Clock, SystemClock, local_date
from ..core.commitment_state import (
    commitment_status,
    current_commitment_due,
    current_commitment_text,
)
from ..core.due_soon import due_label, due_outlook
from ..core.ids import new_id
from ..core.model import Group, Member
from ..core.record_values import ReviewStatus
from ..core.session_records import Checkin
from ..errors import UserError
from ..paths import resolve_data_dir
from ..store.history import HistoryStore
from .arguments import add_group_argument
from .json_output import add_json_flag, print_json
from .output import command, echo, field

if TYPE_CHECKING:
    from ..core.session_records import Commitment, Review

#: The time check-ins are stamped with (tests put a FakeClock here).
CLOCK: Clock = SystemClock()

#: The answer flags, in the order their answers are applied and reported.
ANSWER_FLAGS: tuple[tuple[str, ReviewStatus], ...] = (
    ("done", "done"),
    ("partial", "partial"),
    ("not_done", "not_done"),
    ("drop", "dropped"),
)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``checkin`` subcommand."""
    checkin = subparsers.add_parser(
        "checkin",
        parents=[common],
        help="check in on your open commitments between sessions",
        description=(
            "Report on your open commitments between sessions. Without answers it opens a "
            "small keyboard screen; with --done/--partial/--not-done/--drop/--note/--energy it "
            "saves the check-in directly. The next session's review starts from your answers. "
            "Example: peersession checkin 'Thursday Circle' --member Ana --done 3f2a "
            "--energy 4"
        ),
    )
    add_group_argument(checkin, nargs="?", help="the group (may be left out with one group)")
    checkin.add_argument(
        "--member", "-m", metavar="NAME", help="who is checking in (a name or its first letters)"
    )
    checkin.add_argument(
        "--list", action="store_true", help="print the member's open commitments with their ids"
    )
    add_json_flag(checkin, "the --list")
    answers = checkin.add_argument_group(
        "answers (any of these checks in without the screen; ids may be shortened)"
    )
    for flag, status in ANSWER_FLAGS:
        answers.add_argument(
            f"--{flag.replace('_', '-')}",
            dest=flag,
            action="append",
            default=[],
            metavar="ID",
            help=f"mark a commitment {ANSWER_WORDS[status]} (repeat for more)",
        )
    answers.add_argument("--note", metavar="TEXT", help="a one-line update")
    answers.add_argument("--energy", metavar="1-5", help="how you are doing, from 1 to 5")
    answers.add_argument(
        "--private", action="store_true", help="the check-in stays in the room (never exported)"
    )
    checkin.set_defaults(func=run_checkin)


def printable(text: str) -> str:
    """Names and notes made safe to print, on one line (see ``cli/output.py``)."""
    return field(text)


def _scripted(args: argparse.Namespace) -> bool:
    return (
        any(getattr(args, flag) for flag, _ in ANSWER_FLAGS)
        or args.note is not None
        or args.energy is not None
        or args.private
    )


def run_checkin(args: argparse.Namespace) -> int:
    store = HistoryStore(resolve_data_dir(args.data_dir))
    # Resolve the group and member before any screen opens: a typo is one line.
    group = store.find_group(args.group) if args.group else store.only_group()
    try:
        member = find_member(group, args.member) if args.member is not None else None
    except CheckinError as error:
        raise UserError(printable(str(error))) from None
    if args.list:
        if member is None:
            raise UserError("--list needs --member NAME")
        return _print_open(store, group, member, as_json=args.json)
    if args.json:
        raise UserError("--json goes with --list")
    if _scripted(args):
        if member is None:
            raise UserError("a check-in from the command line needs --member NAME")
        return _check_in(store, group, member, args)
    return _open_screen(args, store, group, member)


def open_view(store: HistoryStore, group: Group, member: Member) -> dict[str, Any]:
    """A member's open commitments (the ``--list --json`` shape): overdue first,
    then those due in the next days, then the rest, with the counts of the first two."""
    outlook = due_outlook(
        store.commitments(group.id), member.id, local_date(CLOCK.now()), owner=member
    )
    return {
        "group": group.name,
        "member": member.name,
        "overdue": len(outlook.overdue),
        "due_soon": len(outlook.due_soon),
        "commitments": [
            {
                "id": doc.id,
                "text": current_commitment_text(doc),
                "due": current_commitment_due(doc),
                "last_status": commitment_status(doc),
                "private": doc.private,
            }
            for doc in outlook.in_order
        ],
    }


def _print_open(store: HistoryStore, group: Group, member: Member, *, as_json: bool) -> int:
    if as_json:
        print_json(open_view(store, group, member))
        return 0
    today = local_date(CLOCK.now())
    outlook = due_outlook(store.commitments(group.id), member.id, today, owner=member)
    who = printable(member.name)
    if not outlook.in_order:
        echo(f"{who} has no open commitments in {printable(group.name)}")
        return 0
    headline = outlook.headline()
    lead = f" ({headline})" if headline else ""
    echo(f"{who}'s open commitments in {printable(group.name)}{lead}:")
    # What is pressing first, under its own heading, so it is read before the rest.
    for heading, docs in (
        ("overdue", outlook.overdue),
        ("due soon", outlook.due_soon),
        ("later" if headline else None, outlook.rest),
    ):
        if not docs:
            continue
        if heading is not None:
            echo(f" {heading}:")
        for doc in docs:
            echo(f"  {doc.id}  {_open_line(doc, today, member)}")
    return 0


def _open_line(doc: Commitment, today: date, member: Member) -> str:
    status = commitment_status(doc)
    label = due_label(doc, today, member)
    extras = [label] if label else []
    if status != "open":
        extras.append(f"last: {ANSWER_WORDS.get(status, status)}")
    if doc.private:
        extras.append("private")
    text = " ".join(printable(current_commitment_text(doc)).split())
    tail = f"  ({', '.join(extras)})" if extras else ""
    return f"{text}{tail}"


def checkin_lines(checkin: Checkin, group: Group, commitments: list[Commitment]) -> list[str]:
    """What a check-in saved: the summary line, then each commitment with its
    new status and the update as typed (quoted, on one line)."""
    texts = {c.id: current_commitment_text(c) for c in commitments}
    lines = [printable(describe_checkin(checkin, group))]
    for commitment_id, status in checkin.statuses.items():
        text = texts.get(commitment_id, commitment_id)
        lines.append(f'  {ANSWER_WORDS.get(status, status)}: "{printable(text)}"')
    if checkin.note:
        lines.append(f'  update: "{printable(checkin.note)}"')
    return lines


def _check_in(store: HistoryStore, group: Group, member: Member, args: argparse.Namespace) -> int:
    answered: list[Commitment] = []

    def build(commitments: list[Commitment]) -> tuple[Checkin, dict[str, Review]]:
        # Called under the write lock, with the commitments as they are on disk now.
        answered[:] = commitments
        refs = [(status, ref) for flag, status in ANSWER_FLAGS for ref in getattr(args, flag)]
        answers = CheckinAnswers(
            member_id=member.id,
            statuses=resolve_answers(refs, commitments, member, group),
            note=args.note,
            energy=parse_energy(args.energy),
            private=args.private,
        )
        return build_checkin(group, answers, commitments, checkin_id=new_id(), at=CLOCK.now())

    try:
        checkin = store.check_in(group.id, build)
    except CheckinError as error:
        raise UserError(printable(str(error))) from None
    for line in checkin_lines(checkin, group, answered):
        echo(line)
    return 0


def _open_screen(
    args: argparse.Namespace, store: HistoryStore, group: Group, member: Member | None
) -> int:
    from ..settings import load_settings
    from ..tui.app import create_app
    from .terminal import require_terminal, run_app

    who = member.name if member else "NAME"
    suggestion = command("checkin", group.name, "--member", who, "--list")
    require_terminal("the check-in screen", f"{suggestion}, then --done ID")
    before = {c.id for c in store.checkins(group.id)}
    app = create_app(
        data_dir=store.root,
        clock=CLOCK,
        settings=load_settings(),
        theme=getattr(args, "theme", None),
        mode="checkin",
        start_group=group.id,
        member=member.id if member else None,
    )
    code = run_app(app)
    # The screen has gone with the alternate screen: say on the shell what was saved.
    saved = [c for c in store.checkins(group.id) if c.id not in before]
    commitments = store.commitments(group.id) if saved else []
    for checkin in saved:
        for line in checkin_lines(checkin, group, commitments):
            echo(line)
    return code
