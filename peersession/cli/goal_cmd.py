"""``peersession goal``: a member's goals, and the commitments and wins tied to them.

``goal add`` sets one, ``goal list`` shows them with what serves them, ``goal
edit`` changes a title, a date or a status (and links the win that reached
it), ``goal link`` ties a commitment to the goal it serves. Every value is
checked by the core's rules (``core/goals.py``) before anything is written,
and each write is one atomic write under the data folder's lock
(``store/goals.py``): a refusal is one line and changes nothing.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..core.checkin import CheckinError, find_member
from ..core.clock import Clock, SystemClock
from ..core.commitment_state import REVIEW_LABELS, commitment_status, current_commitment_text
from ..core.durations import parse_date
from ..core.goal_rules import GOAL_STATUSES, GoalError, check_status
from ..core.goals import (
    completion,
    goal_edits,
    goals_of,
    member_wins,
    new_goal,
    resolve_win,
    serving,
)
from ..core.ids import new_id
from ..core.model import Group, Member
from ..errors import UserError
from ..paths import resolve_data_dir
from ..store import goals as goal_store
from ..store.history import HistoryStore
from .arguments import add_group_argument
from .json_output import add_json_flag, print_json
from .output import echo, field

if TYPE_CHECKING:
    from ..core.records import Goal
    from ..core.session_records import Commitment, Session

#: The time goals are stamped with (tests put a FakeClock here).
CLOCK: Clock = SystemClock()


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``goal`` subcommand and its actions."""
    goal = subparsers.add_parser(
        "goal",
        parents=[common],
        help="a member's goals, and the commitments and wins that serve them",
        description=(
            "Keep each member's goals (a title, a horizon date, a measure, a status) and tie "
            "commitments and wins to them, so the history shows what the promises served. "
            "Example: peersession goal add 'Thursday Circle' -m Ana 'Submit the R01' "
            "--by 2027-06-30"
        ),
    )
    actions = goal.add_subparsers(title="goal commands", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="set a new goal for a member",
        description="Set a new goal. Example: peersession goal add 'Thursday Circle' -m Ana "
        "'Submit the R01' --by 2027-06-30 --measure 'submitted on time'",
    )
    add_group_argument(add, help="the group")
    add.add_argument("--member", "-m", metavar="NAME", required=True, help="whose goal it is")
    add.add_argument("title", metavar="TITLE", help="the goal, in one line")
    add.add_argument("--by", metavar="DATE", help="the horizon: YYYY-MM-DD or +10w")
    add.add_argument("--measure", metavar="TEXT", help="how you will know it is reached")
    add.add_argument(
        "--private", action="store_true", help="the goal stays in the room (never exported)"
    )
    add.set_defaults(func=run_add)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="list the goals, with the commitments and wins tied to each",
        description="List the group's goals (or one member's), active ones first, each with "
        "the commitments that serve it and the wins that reached it.",
    )
    add_group_argument(listing, help="the group")
    listing.add_argument("--member", "-m", metavar="NAME", help="only this member's goals")
    add_json_flag(listing, "the goals")
    listing.set_defaults(func=run_list)

    edit = actions.add_parser(
        "edit",
        parents=[common],
        help="change a goal: its status, title or date; link the win that reached it",
        description="Change a goal. Example: peersession goal edit 'Thursday Circle' 3f2a "
        "--status reached --reached-by 9c1e (ids may be shortened, as `goal list` shows them)",
    )
    add_group_argument(edit, help="the group")
    edit.add_argument("goal", metavar="GOAL_ID", help="the goal's id, or its first characters")
    edit.add_argument("--status", choices=GOAL_STATUSES, help="active, reached or dropped")
    edit.add_argument("--title", metavar="TEXT", help="a new title")
    dates = edit.add_mutually_exclusive_group()
    dates.add_argument("--by", metavar="DATE", help="a new horizon: YYYY-MM-DD or +10w")
    dates.add_argument("--no-by", action="store_true", help="take the horizon date away")
    edit.add_argument(
        "--reached-by",
        metavar="WIN_ID",
        help="link the member's win that reached the goal (marks it reached, unless --status)",
    )
    edit.set_defaults(func=run_edit)

    link = actions.add_parser(
        "link",
        parents=[common],
        help="tie a commitment to the goal it serves",
        description="Tie a commitment to one of its member's goals, or with --none untie it. "
        "Example: peersession goal link 'Thursday Circle' 5b7d 3f2a (the ids `checkin "
        "--list` and `goal list` show, or their first characters)",
    )
    add_group_argument(link, help="the group")
    link.add_argument("commitment", metavar="COMMITMENT_ID", help="the commitment's id")
    target = link.add_mutually_exclusive_group(required=True)
    target.add_argument("goal", metavar="GOAL_ID", nargs="?", help="the goal it serves")
    target.add_argument("--none", action="store_true", help="it serves no goal")
    link.set_defaults(func=run_link)


# -- the actions ----------------------------------------------------------------------------


def _store_and_group(args: argparse.Namespace) -> tuple[HistoryStore, Group]:
    store = HistoryStore(resolve_data_dir(args.data_dir))
    return store, store.find_group(args.group)


def _member(group: Group, name: str) -> Member:
    try:
        return find_member(group, name)
    except CheckinError as error:
        raise UserError(field(str(error))) from None


def _day(text: str, what: str) -> Any:
    today = CLOCK.now().date()
    try:
        return parse_date(text, today=today, allow_past=True)
    except ValueError as error:
        raise UserError(f"{what}: {field(str(error))}") from None


def _checked(make: Any) -> Any:
    try:
        return make()
    except GoalError as error:
        raise UserError(field(str(error))) from None


def run_add(args: argparse.Namespace) -> int:
    store, group = _store_and_group(args)
    member = _member(group, args.member)
    by = _day(args.by, "--by") if args.by is not None else None
    goal: Goal = _checked(
        lambda: new_goal(
            goal_id=new_id(),
            group_id=group.id,
            owner=member.id,
            title=args.title,
            by=by,
            measure=args.measure,
            private=args.private,
            at=CLOCK.now().isoformat(),
        )
    )
    goal_store.add_goal(store, goal)
    echo(f"{field(member.name)}'s goal {goal.id}: {field(goal.title)}{_facts(goal)}")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    store, group = _store_and_group(args)
    by = _day(args.by, "--by") if args.by is not None else None
    status = check_status(args.status) if args.status is not None else None
    sessions = store.sessions(group.id) if args.reached_by is not None else []

    def edit(goal: Goal) -> dict[str, Any]:
        win_id = None
        wanted = status
        if args.reached_by is not None:
            win_id = resolve_win(args.reached_by, member_wins(sessions, goal.owner)).id
            if wanted is None and goal.status != "reached":
                wanted = "reached"
        return goal_edits(
            goal,
            at=CLOCK.now().isoformat(),
            title=args.title,
            by=by,
            clear_by=args.no_by,
            status=wanted,
            add_win=win_id,
        )

    goal = goal_store.change_goal(store, group.id, args.goal, edit)
    who = field(group.name_of(goal.owner))
    echo(f"{who}'s goal {goal.id}: {field(goal.title)}{_facts(goal)}")
    return 0


def run_link(args: argparse.Namespace) -> int:
    store, group = _store_and_group(args)
    commitment, goal = goal_store.link_commitment(
        store,
        group.id,
        commitment_ref=args.commitment,
        goal_ref=None if args.none else args.goal,
        at=CLOCK.now().isoformat(),
    )
    text = field(current_commitment_text(commitment))
    if goal is None:
        echo(f'commitment {commitment.id} "{text}" serves no goal now')
    else:
        title = field(goal.title)
        echo(f'commitment {commitment.id} "{text}" serves goal {goal.id}: {title}')
    return 0


def run_list(args: argparse.Namespace) -> int:
    store, group = _store_and_group(args)
    member = _member(group, args.member) if args.member is not None else None
    documents = store.group_documents(group.id)
    owners = [member] if member is not None else list(group.members)
    listed = [(m, goals_of(documents.goals, m.id)) for m in owners]
    if args.json:
        print_json(
            {
                "group": group.name,
                "goals": [
                    goal_view(g, m, documents.commitments, documents.sessions)
                    for m, goals in listed
                    for g in goals
                ],
            }
        )
        return 0
    if not any(goals for _, goals in listed):
        whose = f"{field(member.name)} has no goals" if member is not None else "No goals"
        echo(f"{whose} in {field(group.name)} yet (peersession goal add)")
        return 0
    wins = {w.id: w for s in documents.sessions for w in s.wins}
    for owner, goals in listed:
        if not goals:
            continue
        echo(f"{field(owner.name)}'s goals in {field(group.name)}:")
        for goal in goals:
            echo(f"  {goal.id}  {field(goal.title)}{_facts(goal)}")
            if goal.measure:
                echo(f"      measure: {field(goal.measure)}")
            tied = serving(documents.commitments, goal.id)
            if tied:
                done, total = completion(tied)
                echo(f"      commitments: {done} of {total} done")
                for commitment in tied:
                    status = REVIEW_LABELS.get(commitment_status(commitment), "open")
                    text = field(current_commitment_text(commitment))
                    echo(f"        {commitment.id}  {text}  ({status})")
            for win_id in goal.win_ids:
                win = wins.get(win_id)
                echo(f"      reached by: {field(win.text) if win else win_id}")
    return 0


def _facts(goal: Goal) -> str:
    facts: list[str] = [goal.status]
    if goal.by:
        facts.append(f"by {goal.by}")
    if goal.private:
        facts.append("private")
    return f"  ({', '.join(facts)})"


def goal_view(
    goal: Goal, owner: Member, commitments: list[Commitment], sessions: list[Session]
) -> dict[str, Any]:
    """One goal as ``goal list --json`` prints it (docs/cli-json.md)."""
    tied = serving(commitments, goal.id)
    done, total = completion(tied)
    return {
        "id": goal.id,
        "member": owner.name,
        "member_id": owner.id,
        "title": goal.title,
        "by": goal.by,
        "measure": goal.measure,
        "status": goal.status,
        "private": goal.private,
        "commitments": [
            {
                "id": c.id,
                "text": current_commitment_text(c),
                "status": commitment_status(c),
            }
            for c in tied
        ],
        "done": done,
        "total": total,
        "win_ids": list(goal.win_ids),
    }
