"""The goals review (issue 25): each member at the session says where each of
their active goals stands, one key a goal, as the review of commitments does.

``o`` on track, ``b`` behind, ``r`` reached, ``x`` dropped; enter opens a form
for the standing with a note. A goal said reached or dropped takes that status
when the session is saved.
"""

from __future__ import annotations

from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core import events as ev
from ...core.engine import Meeting
from ...core.setup import GoalOption
from ..text import literal, template
from .marklist import MARK_RULE, MarkList
from .panel import PhasePanel, refill

#: How each standing reads on a row (a word, so it reads in monochrome).
STANDING_WORDS = {
    "on_track": "on track",
    "behind": "behind",
    "reached": "REACHED",
    "dropped": "dropped",
}


def goal_row(meeting: Meeting, goal: GoalOption) -> Content:
    """``Ana · Submit the R01 — on track: aims were rewritten``."""
    said = meeting.goal_reviews.get(goal.goal_id)
    mark = Content.styled(f"  {'·':<8}", "dim")
    if said is not None:
        mark = Content.styled(f"  {STANDING_WORDS[said.status]:<8}", "bold")
    parts: list[Content | str] = [
        mark,
        " ",
        literal(meeting.name(goal.owner)),
        " · ",
        literal(goal.title),
    ]
    if said is not None and said.note:
        parts += [Content.styled(" — ", "dim"), literal(said.note)]
    return Content.assemble(*parts)


def reviewed_goals(meeting: Meeting) -> tuple[int, int]:
    goals = meeting.goals_to_review()
    return sum(1 for g in goals if g.goal_id in meeting.goal_reviews), len(goals)


def goals_board(meeting: Meeting, now: DateTime) -> Content:
    """The room's view: every goal with where it stands."""
    done, count = reviewed_goals(meeting)
    lines = [Content.styled(f"Where our goals stand · {done} of {count} said", "bold")]
    goals = meeting.goals_to_review()
    if not goals:
        lines.append(Content.styled("  no active goals (peersession goal add)", "dim"))
    lines += [goal_row(meeting, g) for g in goals]
    return Content("\n").join(lines)


class GoalsPanel(PhasePanel):
    """Active goals of the members here, marked one by one."""

    focus_target = "#goals"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "mark('on_track')", "On track", id="goals.on_track"),
        Binding("b", "mark('behind')", "Behind", id="goals.behind"),
        Binding("r", "mark('reached')", "Reached", id="goals.reached"),
        Binding("x", "mark('dropped')", "Dropped", id="goals.dropped"),
        Binding("enter", "note", "With a note", id="goals.note"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="goals-title", classes="section")
        yield MarkList(id="goals")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        done, count = reviewed_goals(meeting)
        self.query_one("#goals-title", Static).update(
            template(
                "[b]Active goals[/b]  $d of $n said  [dim]($rule)[/dim]",
                d=str(done),
                n=str(count),
                rule=MARK_RULE,
            )
        )
        rows = [Option(goal_row(meeting, g), id=g.goal_id) for g in meeting.goals_to_review()]
        if not rows:
            rows = [
                Option(
                    Content("No active goals of the members here (peersession goal add)."),
                    disabled=True,
                )
            ]
        refill(self.query_one("#goals", MarkList), rows)

    def _selected(self) -> str | None:
        option = self.query_one("#goals", MarkList).highlighted_option
        return option.id if option is not None and not option.disabled else None

    def action_mark(self, status: str) -> None:
        goal_id = self._selected()
        if goal_id:
            self.act(ev.GoalReviewed(goal_id=goal_id, status=status))
            self.query_one("#goals", MarkList).move_on()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # The focused list takes enter before the panel's binding sees it.
        event.stop()
        self.action_note()

    def action_note(self) -> None:
        goal_id = self._selected()
        if goal_id:
            self.want("goal_note", goal_id)

    def private_item(self, meeting: Meeting) -> str | None:
        # A goal's privacy is the goal's (goal edit), not the meeting's.
        return None

    def private_help(self) -> str:
        return "A goal is made private with `peersession goal add --private` (not here)."

    def hint(self) -> Content:
        return self.keys(
            ("o", "on track"),
            ("b", "behind"),
            ("r", "reached"),
            ("x", "dropped"),
            ("enter", "with a note"),
        )
