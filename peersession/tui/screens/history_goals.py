"""A member's goals at the top of their page: each with the commitments that
serve it (their status and how many are done) and the wins that reached it.

One block a goal, so a long goal list scrolls with the page and a goal can be
landed on by its id. Every text is the member's own, shown literally; the
marks say the status without colour (the same shapes as the reviews).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...core.commitment_state import (
    REVIEW_LABELS,
    REVIEW_SHAPES,
    commitment_status,
    current_commitment_text,
)
from ...core.goals import completion, goals_of, serving
from ...core.local_days import local_day
from ...core.model import parse_date_doc
from ...core.recap import STANDING_LABELS
from ...core.words import plural
from ..private_marker import private_tag
from ..text import hanging
from ..widgets.history_blocks import Block, heading
from .history_data import GroupHistory, short_day

if TYPE_CHECKING:
    from ...core.records import Goal
    from ...core.session_records import Win

#: A goal's status as a shape, so it reads without colour.
GOAL_MARKS = {"active": "◇", "reached": "◆", "dropped": "⌫"}
#: An open commitment has not been reviewed yet: a hollow circle.
OPEN_MARK = "○"


def goal_blocks(data: GroupHistory, member_id: str) -> list[Block]:
    """The member's goals under a "Goals" heading, active first; none: nothing."""
    goals = goals_of(data.goals, member_id)
    if not goals:
        return []
    wins = {w.id: w for s in data.sessions for w in s.wins}
    return [heading(f"Goals ({_counts(goals)})"), *(_goal_block(data, g, wins) for g in goals)]


def _counts(goals: list[Goal]) -> str:
    active = sum(g.status == "active" for g in goals)
    reached = sum(g.status == "reached" for g in goals)
    return f"{active} active, {reached} reached"


def _goal_block(data: GroupHistory, goal: Goal, wins: dict[str, Win]) -> Block:
    facts: list[str] = [goal.status]
    if goal.by:
        facts.append(f"by {short_day(parse_date_doc(goal.by))}")
    tied = serving(data.commitments, goal.id)
    done, total = completion(tied)
    if total:
        facts.append(f"{done} of {plural(total, 'commitment')} done")
    mark = GOAL_MARKS.get(goal.status, "◇")
    lines = [
        Content.assemble(
            f"{mark} ",
            hanging(goal.title, "  ").stylize("bold"),
            Content.styled(" · " + " · ".join(facts), "dim"),
            private_tag(goal.private),
        )
    ]
    if goal.measure:
        lines.append(Content.assemble("  measure: ", hanging(goal.measure, "    ")))
    for commitment in tied:
        status = commitment_status(commitment)
        shape = REVIEW_SHAPES.get(status, OPEN_MARK)
        lines.append(
            Content.assemble(
                f"  {shape} ",
                hanging(current_commitment_text(commitment), "    "),
                Content.styled(f" ({REVIEW_LABELS.get(status, status)})", "dim"),
                private_tag(commitment.private),
            )
        )
    if not tied:
        lines.append(Content.styled("  no commitment serves it yet", "dim"))
    for win_id in goal.win_ids:
        win = wins.get(win_id)
        if win is None:
            continue  # a win left out of a bundle, or removed
        day = short_day(local_day(win.at, data.zone_info))
        lines.append(
            Content.assemble(
                "  ★ won: ",
                hanging(win.text, "    "),
                Content.styled(f" ({day})", "dim"),
                private_tag(win.private),
            )
        )
    lines += _standing_lines(data, goal)
    return Block(Content("\n").join(lines), [goal.id], classes="goal")


#: Standings of a goal shown on its block: the latest few, so a goal of years stays short.
STANDINGS_SHOWN = 4


def _standing_lines(data: GroupHistory, goal: Goal) -> list[Content]:
    """What the goals reviews said of it: ``said: on track 12 Feb · behind 5 Mar``,
    and the latest note said with it."""
    said = [
        (session, review)
        for session in data.sessions
        if (review := (session.goal_reviews or {}).get(goal.id)) is not None
    ]
    if not said:
        return []
    words = [
        f"{STANDING_LABELS.get(review.status, review.status).lower()} "
        f"{short_day(local_day(session.started_at, data.zone_info))}"
        for session, review in said[-STANDINGS_SHOWN:]
    ]
    lines = [Content.assemble("  said: ", Content.styled(" · ".join(words), "dim"))]
    note = said[-1][1].note
    if note:
        lines.append(Content.assemble("    ", hanging(note, "    "), private_tag(goal.private)))
    return lines
