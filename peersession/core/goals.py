"""A member's goals: what their commitments serve, and the rules every door keeps.

A goal is a few words a member wants to reach ("Submit the R01 by June"), an
optional horizon date, an optional measure, and a status: ``active`` while
they work on it, ``reached`` or ``dropped`` after. Commitments name the goal
they serve (``goal_id`` on the commitment) and a goal names the wins that
reached it, so the history can show, years on, whether the promises moved
the things a member cared about.

Everything here is pure: the command line, a bundle and the shared folder
all build and change goals through these functions, so a title, a date or a
status is held to the same rules whichever door it comes through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal, TypeVar, get_args

from .commitment_state import commitment_status
from .documents import GoalDoc, SessionDoc, WinDoc
from .free_text import clean_line
from .years import FIRST_YEAR, LAST_YEAR, readable_year

if TYPE_CHECKING:
    from .session_records import Commitment

_Doc = TypeVar("_Doc")

GoalStatus = Literal["active", "reached", "dropped"]
GOAL_STATUSES: tuple[GoalStatus, ...] = get_args(GoalStatus)

#: A goal's title is a line a screen shows whole, not a plan.
MAX_TITLE = 200
#: How a goal is measured ("three first-author papers"): a line too.
MAX_MEASURE = 300

#: Every change of status is allowed (a dropped goal taken up again, a reached
#: one found not reached after all); setting the status it already has is not
#: a change, and is refused so a typo does not pass for an edit.
TRANSITIONS: dict[GoalStatus, frozenset[GoalStatus]] = {
    status: frozenset(GOAL_STATUSES) - {status} for status in GOAL_STATUSES
}


class GoalError(ValueError):
    """A goal that cannot be saved or changed; the message is one line for the user."""


def clean_title(text: str) -> str:
    """A goal's title: one line, not empty, at most :data:`MAX_TITLE` characters."""
    try:
        title = clean_line(text, what="a goal's title")
    except ValueError as error:
        raise GoalError(str(error)) from None
    if len(title) > MAX_TITLE:
        raise GoalError(
            f"a goal's title is at most {MAX_TITLE} characters (this one has {len(title)})"
        )
    return title


def clean_measure(text: str | None) -> str | None:
    """How the goal is measured, on one line; empty means none."""
    if text is None:
        return None
    try:
        measure = clean_line(text, what="a goal's measure", allow_empty=True)
    except ValueError as error:
        raise GoalError(str(error)) from None
    if len(measure) > MAX_MEASURE:
        raise GoalError(
            f"a goal's measure is at most {MAX_MEASURE} characters (this one has {len(measure)})"
        )
    return measure or None


def check_horizon(day: date) -> str:
    """A horizon date as stored, in the years every reader can compute with."""
    if not readable_year(day.year):
        raise GoalError(f"a goal's date must fall in the years {FIRST_YEAR} to {LAST_YEAR}")
    return day.isoformat()


def check_status(text: str) -> GoalStatus:
    for status in GOAL_STATUSES:
        if text == status:
            return status
    raise GoalError(f"a goal's status is one of {', '.join(GOAL_STATUSES)}, not {text!r}")


def check_transition(before: str, after: GoalStatus) -> None:
    """Refuse setting a goal to the status it already has."""
    if before == after:
        raise GoalError(f"the goal is already {after}")


def new_goal(
    *,
    goal_id: str,
    group_id: str,
    owner: str,
    title: str,
    by: date | None,
    measure: str | None,
    private: bool,
    at: str,
) -> GoalDoc:
    """A new active goal, every field checked."""
    return {
        "id": goal_id,
        "group_id": group_id,
        "owner": owner,
        "title": clean_title(title),
        "by": check_horizon(by) if by is not None else None,
        "measure": clean_measure(measure),
        "status": "active",
        "private": private,
        "win_ids": [],
        "created_at": at,
        "updated_at": at,
    }


def edited_goal(
    goal: GoalDoc,
    *,
    at: str,
    title: str | None = None,
    by: date | None = None,
    clear_by: bool = False,
    status: GoalStatus | None = None,
    add_win: str | None = None,
) -> GoalDoc:
    """The goal with the changes asked for, stamped ``at``; a GoalError when
    nothing would change or a value breaks a rule."""
    changed: GoalDoc = {**goal, "win_ids": list(goal.get("win_ids") or [])}
    if title is not None:
        changed["title"] = clean_title(title)
    if clear_by:
        changed["by"] = None
    elif by is not None:
        changed["by"] = check_horizon(by)
    if status is not None:
        check_transition(goal["status"], status)
        changed["status"] = status
    if add_win is not None:
        if add_win in changed["win_ids"]:
            raise GoalError(f"win {add_win} is already linked to this goal")
        changed["win_ids"].append(add_win)
    if changed == {**goal, "win_ids": list(goal.get("win_ids") or [])}:
        raise GoalError("nothing to change (give --title, --by, --status or --reached-by)")
    changed["updated_at"] = max(goal["updated_at"], at)
    return changed


# -- finding goals, commitments and wins by what people type -------------------------------


def resolve_goal(ref: str, goals: Sequence[GoalDoc], owner: str | None = None) -> GoalDoc:
    """The goal ``ref`` (an id or its start, as ``goal list`` shows it) names;
    with ``owner``, one of that member's only."""
    mine = [g for g in goals if owner is None or g["owner"] == owner]
    return _resolve(ref, mine, "goal", lambda g: g["id"])


def resolve_commitment(ref: str, commitments: Sequence[Commitment]) -> Commitment:
    """The commitment (open or not) that ``ref`` names."""
    return _resolve(ref, list(commitments), "commitment", lambda c: c.id)


def member_wins(sessions: Iterable[SessionDoc], owner: str) -> list[WinDoc]:
    """Every win the member told, oldest first."""
    return [w for s in sessions for w in s["wins"] if w["member_id"] == owner]


def resolve_win(ref: str, wins: Sequence[WinDoc]) -> WinDoc:
    return _resolve(ref, list(wins), "win", lambda w: w["id"])


def _resolve(ref: str, docs: list[_Doc], what: str, id_of: Callable[[_Doc], str]) -> _Doc:
    wanted = ref.strip().casefold()
    if not wanted:
        raise GoalError(f"an empty {what} id was given")
    exact = [d for d in docs if id_of(d) == wanted]
    matches = exact or [d for d in docs if id_of(d).startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise GoalError(f"{what} id {ref!r} is ambiguous: it starts {len(matches)} ids")
    raise GoalError(f"no {what} with id {ref!r} here")


# -- reading goals -----------------------------------------------------------------------------


def goals_of(goals: Iterable[GoalDoc], owner: str) -> list[GoalDoc]:
    """A member's goals: active ones first, then by horizon (none last), then age."""
    order: dict[str, int] = {status: i for i, status in enumerate(GOAL_STATUSES)}
    mine = [g for g in goals if g["owner"] == owner]
    return sorted(
        mine, key=lambda g: (order.get(g["status"], 9), g["by"] or "9999", g["created_at"])
    )


def serving(commitments: Iterable[Commitment], goal_id: str) -> list[Commitment]:
    """The commitments that serve a goal, oldest first."""
    return sorted((c for c in commitments if c.goal_id == goal_id), key=lambda c: c.made_at)


def completion(commitments: Sequence[Commitment]) -> tuple[int, int]:
    """How many of these commitments are done, of how many."""
    return sum(commitment_status(c) == "done" for c in commitments), len(commitments)
