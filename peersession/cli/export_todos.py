"""``export --format ics --member NAME [--remind-days N]``: a member's to-dos in the calendar.

The options and their checks, kept beside ``exchange_cmd`` so the export's own
module stays about formats. The to-dos themselves are built by
:mod:`peersession.exports.ics_todos`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from icalendar import Todo

from ..core.checkin import CheckinError, find_member
from ..core.clock import local_date
from ..core.model import Group, Member
from ..core.words import plural
from ..errors import UserError
from ..exports.ics_todos import DEFAULT_REMIND_DAYS, member_todos, parse_remind_days
from . import slot_options
from .output import field

if TYPE_CHECKING:
    from ..core.session_records import Commitment


@dataclass(frozen=True)
class ChosenTodos:
    todos: Sequence[Todo]
    #: What they are, for the line after ``-o`` ("Ana's 3 to-dos").
    what: str


def add_todo_arguments(export: argparse.ArgumentParser) -> None:
    export.add_argument(
        "--member",
        "-m",
        metavar="NAME",
        help="ics: add NAME's commitments as to-dos with a reminder before each due date "
        "(updated in place when the file is imported again)",
    )
    export.add_argument(
        "--remind-days",
        metavar="N",
        help=f"ics --member: remind N days before the due date, 0 to 60 "
        f"(default: {DEFAULT_REMIND_DAYS})",
    )


def export_member(group: Group, name: str) -> Member:
    """The member ``--member`` names (a name, its first letters, or an id)."""
    try:
        return find_member(group, name)
    except CheckinError as error:
        raise UserError(field(str(error))) from None


def chosen_todos(
    group: Group, commitments: Sequence[Commitment], args: argparse.Namespace
) -> ChosenTodos | None:
    """The to-dos ``--member`` asks for, or None without it. Raises UserError
    (one line) for an unknown member or a bad ``--remind-days``."""
    if args.member is None:
        if args.remind_days is not None:
            raise UserError("--remind-days goes with --member NAME (whose to-dos to remind)")
        return None
    member = export_member(group, args.member)
    remind_days = DEFAULT_REMIND_DAYS
    if args.remind_days is not None:
        try:
            remind_days = parse_remind_days(args.remind_days)
        except ValueError as error:
            raise UserError(field(str(error))) from None
    now = slot_options.system_now()
    todos = member_todos(
        group,
        member,
        commitments,
        today=local_date(now),
        remind_days=remind_days,
        include_private=args.include_private,
        now=now,
    )
    return ChosenTodos(todos, f"{field(member.name)}'s {plural(len(todos), 'to-do')}")
