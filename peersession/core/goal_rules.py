"""What a goal's values may be: the rules every door keeps (the command line, a
bundle, the shared folder, the declaration in ``core/records.py``).

Apart from ``core/goals.py`` (building, changing and finding goals), so that
the declaration of a goal can name these rules and ``core/goals.py`` can build
the declared record.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from .free_text import clean_line
from .years import FIRST_YEAR, LAST_YEAR, readable_year

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
