"""``group edit``'s options for the group's own review (issue 25), and what
``group show`` says of it: the health check's rhythm and form, the goals
review's rhythm, the "how we work" item a low check left, and who agreed to
share their wins in the report."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..core.health import DEFAULT_EVERY, how_we_work, how_we_work_line, parse_every
from ..core.model import Group
from ..errors import UserError
from .output import field

if TYPE_CHECKING:
    from ..core.session_records import Session


def add_review_arguments(edit: argparse.ArgumentParser) -> None:
    edit.add_argument(
        "--health-every",
        metavar="N",
        help=f"a health check at the Close every N sessions (0: never; new groups: "
        f"{DEFAULT_EVERY})",
    )
    edit.add_argument(
        "--health-anonymous",
        choices=("yes", "no"),
        help="yes: the health check is entered as how many gave each score, naming no one",
    )
    edit.add_argument(
        "--goals-review-every",
        metavar="N",
        help="every Nth session the agenda gains a goals review (0: only where the agenda "
        "names `goals`)",
    )


def review_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The edits given, checked before anything is read (one line each when refused)."""
    changes: dict[str, Any] = {}
    try:
        if args.health_every is not None:
            changes["health_every"] = parse_every(args.health_every, "--health-every")
        if args.goals_review_every is not None:
            changes["goals_review_every"] = parse_every(
                args.goals_review_every, "--goals-review-every"
            )
    except ValueError as error:
        raise UserError(str(error)) from None
    if args.health_anonymous is not None:
        changes["health_anonymous"] = args.health_anonymous == "yes"
    return changes


def _every(n: int, what: str) -> str:
    if n == 0:
        return f"no {what}"
    return f"{what} every {'session' if n == 1 else f'{n} sessions'}"


def review_lines(before: Group, after: Group) -> list[str]:
    """What an edit changed, one line each."""
    lines = []
    if before.health_every != after.health_every:
        was = _every(before.health_every, "health check")
        lines.append(f"{_every(after.health_every, 'health check')} (was: {was})")
    if before.health_anonymous != after.health_anonymous:
        lines.append(
            "the health check is anonymous (counts per score)"
            if after.health_anonymous
            else "the health check names who gave each score"
        )
    if before.goals_review_every != after.goals_review_every:
        was = _every(before.goals_review_every, "goals review")
        lines.append(f"{_every(after.goals_review_every, 'goals review')} (was: {was})")
    return lines


def review_view(group: Group, sessions: list[Session]) -> dict[str, Any]:
    """``group show``'s part (the ``--json`` keys)."""
    held = len(sessions)
    every = group.health_every
    next_check = (held // every + 1) * every if every else None
    return {
        "health_every": every,
        "health_anonymous": group.health_anonymous,
        "next_health_check_session": next_check,
        "goals_review_every": group.goals_review_every,
        "how_we_work": list(how_we_work(sessions)),
        "shares_wins": [m.name for m in group.active_members if m.shares_wins],
    }


def review_show_lines(view: dict[str, Any], sessions_held: int) -> list[str]:
    every = view["health_every"]
    if every:
        form = "anonymous counts" if view["health_anonymous"] else "each member's scores"
        due = view["next_health_check_session"]
        when = "at the next session" if due == sessions_held + 1 else f"at session {due}"
        health = f"{_every(every, 'a check')} ({form}); next {when}"
    else:
        health = "never (group edit --health-every N)"
    lines = [f"  health:   {health}"]
    if view["goals_review_every"]:
        lines.append(f"  goals:    {_every(view['goals_review_every'], 'a goals review')}")
    item = how_we_work_line(view["how_we_work"])
    if item is not None:
        # On the next session's agenda, at its opening.
        lines.append(f"  opening:  {item}")
    sharing = ", ".join(field(name) for name in view["shares_wins"]) or "no one yet"
    lines.append(f"  wins in the report: {sharing} (group edit --share-wins NAME=yes)")
    return lines
