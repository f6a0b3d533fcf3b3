"""The group's own review in a meeting: the health check at the Close and the
goals review (issue 25).

The health check is given one key at a time (a member's score for one
question, or, anonymous, how many gave one score), each its own journaled
action, so a killed terminal resumes with every answer typed before the kill.
A goal's standing is one action too; a goal said to be reached or dropped
takes that status when the session is saved (``core/record.py``).
Every rule is registered with :func:`~peersession.core.handlers.handles`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

from pendulum import DateTime

from . import events as ev
from .errors import InvalidAction
from .handlers import handles
from .health import HIGHEST, LOWEST, MAX_COUNT, question_named
from .items import GoalReview
from .record_values import GoalStanding, HealthQuestion

if TYPE_CHECKING:
    from .state import MeetingState as Meeting

GOAL_STANDINGS: tuple[GoalStanding, ...] = get_args(GoalStanding)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _health_question(meeting: Meeting, question: str) -> HealthQuestion:
    if not meeting.has_health_check:
        raise InvalidAction("this session has no health check")
    if "health" not in meeting.phase.records:
        raise InvalidAction("the health check is given in the Close phase")
    try:
        return question_named(question)
    except ValueError as error:
        raise InvalidAction(str(error)) from None


@handles(ev.HealthScored)
def health_scored(meeting: Meeting, action: ev.HealthScored, at: DateTime) -> None:
    question = _health_question(meeting, action.question)
    if meeting.health_anonymous:
        raise InvalidAction("this group's health check is anonymous: enter counts, not names")
    meeting.check_member(action.member_id)
    if action.member_id in meeting.setup.guest_ids:
        raise InvalidAction("a guest does not answer the group's health check")
    if action.member_id not in meeting.attended:
        raise InvalidAction(f"{meeting.name(action.member_id)} was not at this session")
    if not _is_whole(action.score) or not LOWEST <= action.score <= HIGHEST:
        raise InvalidAction(f"a health score is a whole number from {LOWEST} to {HIGHEST}")
    meeting.health_scores.setdefault(action.member_id, {})[question] = int(action.score)


@handles(ev.HealthCounted)
def health_counted(meeting: Meeting, action: ev.HealthCounted, at: DateTime) -> None:
    question = _health_question(meeting, action.question)
    if not meeting.health_anonymous:
        raise InvalidAction("this group's health check names who gave each score")
    if not _is_whole(action.score) or not LOWEST <= action.score <= HIGHEST:
        raise InvalidAction(f"a health score is a whole number from {LOWEST} to {HIGHEST}")
    if not _is_whole(action.count) or not 0 <= action.count <= MAX_COUNT:
        raise InvalidAction(f"a count is a whole number from 0 to {MAX_COUNT}")
    counts = list(meeting.health_counts.get(question, [0] * (HIGHEST - LOWEST + 1)))
    counts[action.score - LOWEST] = int(action.count)
    if sum(counts) > len(meeting.health_raters):
        raise InvalidAction(
            f"more answers to one question ({sum(counts)}) than members at the session "
            f"({len(meeting.health_raters)})"
        )
    meeting.health_counts[question] = counts


@handles(ev.GoalReviewed)
def goal_reviewed(meeting: Meeting, action: ev.GoalReviewed, at: DateTime) -> None:
    if "goal_reviews" not in meeting.phase.records:
        raise InvalidAction("goals are reviewed in the Goals phase")
    if all(g.goal_id != action.goal_id for g in meeting.goals_to_review()):
        raise InvalidAction("that goal is not an active goal of a member at this session")
    status = next((s for s in GOAL_STANDINGS if s == action.status), None)
    if status is None:
        raise InvalidAction(f"a goal stands {', '.join(GOAL_STANDINGS)}")
    note = meeting.clean(action.note, "a note") if action.note else None
    meeting.goal_reviews[action.goal_id] = GoalReview(status, at, note)
