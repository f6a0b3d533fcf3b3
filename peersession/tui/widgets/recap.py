"""The Recap phase: one screen with everything decided and the next date."""

from __future__ import annotations

from pendulum import DateTime
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...core.engine import Meeting
from ...core.recap import RecapSection, ReviewedCommitment, ReviewedGoal, build_recap
from ...core.record import session_record
from ...core.record_types import read_as
from ...core.session_records import Session
from ..text import literal
from .panel import PhasePanel, private_tag


def render_recap(sections: list[RecapSection]) -> Content:
    """Recap sections as screen text; user text literal, private items tagged,
    each line's notes indented beneath it."""
    lines: list[Content] = []
    for section in sections:
        lines.append(Content.styled(section.title, "bold underline"))
        if not section.lines:
            lines.append(Content.styled("  none", "dim"))
        for line in section.lines:
            who = Content.assemble(literal(line.who), ": ") if line.who else Content("")
            lines.append(
                Content.assemble("  • ", who, literal(line.text), private_tag(line.private))
            )
            lines += [
                Content.assemble("      ◦ ", literal(detail.text), private_tag(detail.private))
                for detail in line.details
            ]
        lines.append(Content(""))
    return Content("\n").join(lines)


def meeting_recap(meeting: Meeting, now: DateTime) -> list[RecapSection]:
    """The live meeting's recap, private items included and tagged: it is shown
    in the room (the Recap phase, the follow window), where they stay."""
    record = session_record(meeting, as_of=now)
    reviewed = {
        item.commitment_id: ReviewedCommitment(
            item.owner, item.text, meeting.review_private(item.commitment_id)
        )
        for item in meeting.setup.review_items
    }
    goals = {g.goal_id: ReviewedGoal(g.owner, g.title, g.private) for g in meeting.setup.goals}
    # The record is written as dicts; the recap reads it as the history reads it.
    session = read_as(Session, record.session)
    return build_recap(meeting.setup.group, session, record.commitments, reviewed, goals=goals)


class RecapPanel(PhasePanel):
    focus_target = "#recap-scroll"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="recap-scroll"):
            yield Static(id="recap")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self.query_one("#recap", Static).update(render_recap(meeting_recap(meeting, now)))

    def hint(self) -> Content:
        return self.keys(("e", "end and save"), ("p", "back"), ("↑↓", "scroll"))
