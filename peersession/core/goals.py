"""A member's goals: what their commitments serve; built, changed and found here.

A goal is a few words a member wants to reach ("Submit the R01 by June"), an
optional horizon date, an optional measure, and a status: ``active`` while
they work on it, ``reached`` or ``dropped`` after. Commitments name the goal
they serve (``goal_id`` on the commitment) and a goal names the wins that
reached it, so the history can show, years on, whether the promises moved
the things a member cared about.

Everything here is pure: the command line, a bundle and the shared folder
all build and change goals through these functions and the rules of
``core/goal_rules.py``, so a title, a date or a status is held to the same
rules whichever door it comes through. Goals are read as their declaration
(``core/records.py``'s ``Goal``); a change is the stored fields it sets
(:func:`goal_edits`), written by the store over the goal as its file keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from .commitment_state import commitment_status
from .goal_rules import (
    GOAL_STATUSES,
    GoalError,
    GoalStatus,
    check_horizon,
    check_transition,
    clean_measure,
    clean_title,
)

if TYPE_CHECKING:
    from .records import Goal
    from .session_records import Commitment, Session, Win

T = TypeVar("T")


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
) -> Goal:
    """A new active goal, every field checked."""
    # Imported only to build one: the screens that read this module (a history
    # without goals) import no declaration.
    from .records import Goal

    return Goal(
        id=goal_id,
        group_id=group_id,
        owner=owner,
        title=clean_title(title),
        by=check_horizon(by) if by is not None else None,
        measure=clean_measure(measure),
        status="active",
        private=private,
        win_ids=[],
        created_at=at,
        updated_at=at,
    )


def goal_edits(
    goal: Goal,
    *,
    at: str,
    title: str | None = None,
    by: date | None = None,
    clear_by: bool = False,
    status: GoalStatus | None = None,
    add_win: str | None = None,
) -> dict[str, Any]:
    """The stored fields the changes asked for set on ``goal``, stamped ``at``
    (what the store writes over those fields of the goal as its file keeps
    it, any other key left as it is); a GoalError when nothing would change or
    a value breaks a rule."""
    edits: dict[str, Any] = {}
    if title is not None and (cleaned := clean_title(title)) != goal.title:
        edits["title"] = cleaned
    horizon = None if clear_by else check_horizon(by) if by is not None else goal.by
    if horizon != goal.by:
        edits["by"] = horizon
    if status is not None:
        check_transition(goal.status, status)
        edits["status"] = status
    if add_win is not None:
        if add_win in goal.win_ids:
            raise GoalError(f"win {add_win} is already linked to this goal")
        edits["win_ids"] = [*goal.win_ids, add_win]
    if not edits:
        raise GoalError("nothing to change (give --title, --by, --status or --reached-by)")
    edits["updated_at"] = max(goal.updated_at, at)
    return edits


# -- finding goals, commitments and wins by what people type -------------------------------


def resolve_goal(ref: str, goals: Sequence[Goal], owner: str | None = None) -> Goal:
    """The goal ``ref`` (an id or its start, as ``goal list`` shows it) names;
    with ``owner``, one of that member's only."""
    return _resolve(ref, [(g.id, g) for g in goals if owner is None or g.owner == owner], "goal")


def resolve_commitment(ref: str, commitments: Sequence[Commitment]) -> Commitment:
    """The commitment (open or not) that ``ref`` names."""
    return _resolve(ref, [(c.id, c) for c in commitments], "commitment")


def member_wins(sessions: Iterable[Session], owner: str) -> list[Win]:
    """Every win the member told, oldest first."""
    return [w for s in sessions for w in s.wins if w.member_id == owner]


def resolve_win(ref: str, wins: Sequence[Win]) -> Win:
    return _resolve(ref, [(w.id, w) for w in wins], "win")


def _resolve(ref: str, docs: list[tuple[str, T]], what: str) -> T:
    """The one record of ``docs`` (each with its id) that ``ref`` names."""
    wanted = ref.strip().casefold()
    if not wanted:
        raise GoalError(f"an empty {what} id was given")
    exact = [d for key, d in docs if key == wanted]
    matches = exact or [d for key, d in docs if key.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise GoalError(f"{what} id {ref!r} is ambiguous: it starts {len(matches)} ids")
    raise GoalError(f"no {what} with id {ref!r} here")


# -- reading goals -----------------------------------------------------------------------------


def goals_of(goals: Iterable[Goal], owner: str) -> list[Goal]:
    """A member's goals: active ones first, then by horizon (none last), then age."""
    order: dict[str, int] = {status: i for i, status in enumerate(GOAL_STATUSES)}
    mine = [g for g in goals if g.owner == owner]
    return sorted(mine, key=lambda g: (order.get(g.status, 9), g.by or "9999", g.created_at))


def serving(commitments: Iterable[Commitment], goal_id: str) -> list[Commitment]:
    """The commitments that serve a goal, oldest first."""
    return sorted((c for c in commitments if c.goal_id == goal_id), key=lambda c: c.made_at)


def completion(commitments: Sequence[Commitment]) -> tuple[int, int]:
    """How many of these commitments are done, of how many."""
    return sum(commitment_status(c) == "done" for c in commitments), len(commitments)
