"""The Commitments phase: everyone leaves with one, and nothing open is hidden.

One row per member (those at the session, and anyone given a commitment in
it), followed by their commitments: those made now, and earlier ones still
open (carried over, or not reviewed today). ``enter`` adds one for the
member of the highlighted row; the cursor then lands on the new commitment,
so ``!`` marks it private at once.
"""

from __future__ import annotations

from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.engine import Meeting
from ...core.model import REVIEW_LABELS
from ..text import literal, one_line, template
from .marklist import MarkList
from .panel import PhasePanel, private_tag, refill


def carried_label(meeting: Meeting, commitment_id: str) -> str:
    """Why an earlier commitment is still open: how it was reviewed, or that it was not."""
    review = meeting.reviews.get(commitment_id)
    if review is None:
        return "open, not reviewed today"
    return f"carried over: {REVIEW_LABELS[review.status]}"


class CommitmentsPanel(PhasePanel):
    """Everyone leaves with at least one commitment; who has none shows.

    One row per member, followed by their commitments: those made now, and
    earlier ones still open (carried over). ``enter`` adds one for the member
    of the highlighted row; the cursor then lands on the new commitment, so
    ``!`` marks it private at once.
    """

    focus_target = "#commitments"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "add", "Add for member", id="commitments.add"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="commitments-title", classes="section")
        yield MarkList(id="commitments")

    def _members(self, meeting: Meeting) -> list[str]:
        """Who the round is about: those at the session, and anyone given a commitment."""
        owners = {c.owner for c in meeting.commitments.values()}
        return [
            m.id for m in meeting.setup.group.members if m.id in meeting.attended or m.id in owners
        ]

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        missing = meeting.members_without_commitment()
        title = (
            template("[b]Commitments[/b]  ▲ $n without a new one yet", n=str(len(missing)))
            if missing
            else Content.from_markup("[b]Commitments[/b]  ✓ everyone has a new one")
        )
        self.query_one("#commitments-title", Static).update(title)
        self._owner_of: dict[str, str] = {}
        rows = []
        for member_id in self._members(meeting):
            own = meeting.commitments_of(member_id)
            carried = meeting.carried_of(member_id)
            away = "" if member_id in meeting.attended else "  (not at this session)"
            if own:
                head = Content.assemble(
                    ("✓ ", "bold"), literal(meeting.name(member_id)), Content.styled(away, "dim")
                )
            elif carried:
                head = Content.assemble(
                    ("↻ ", "bold"),
                    literal(meeting.name(member_id)),
                    f"  — no new one yet, {len(carried)} still open",
                    Content.styled(away, "dim"),
                )
            else:
                head = Content.assemble(
                    ("▲ ", "bold"), literal(meeting.name(member_id)), "  — none yet"
                )
            rows.append(Option(head, id=member_id))
            self._owner_of[member_id] = member_id
            for c in own:
                self._owner_of[c.id] = member_id
                line = Content.assemble(
                    "    • ",
                    literal(one_line(c.text, 90)),
                    private_tag(c.private),
                    Content.styled("  (from an ask)", "dim") if c.from_ask else Content(""),
                )
                rows.append(Option(line, id=c.id))
            for item in carried:
                self._owner_of[item.commitment_id] = member_id
                line = Content.assemble(
                    "    ↻ ",
                    literal(one_line(item.text, 90)),
                    private_tag(meeting.review_private(item.commitment_id)),
                    Content.styled(f"  ({carried_label(meeting, item.commitment_id)})", "dim"),
                )
                rows.append(Option(line, id=item.commitment_id))
        options = self.query_one("#commitments", MarkList)
        refill(options, rows)
        # The mark of this round is a new commitment: the cursor lands on it.
        seen: set[str] | None = getattr(self, "_seen", None)
        added = [c for c in meeting.commitments if seen is not None and c not in seen]
        if added:
            options.highlight_id(added[-1])
        self._seen = set(meeting.commitments)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # The focused list takes enter before the panel's binding sees it.
        event.stop()
        self.action_add()

    def _highlighted(self) -> str | None:
        option = self.query_one("#commitments", MarkList).highlighted_option
        return option.id if option is not None else None

    def action_add(self) -> None:
        row = self._highlighted()
        owner = getattr(self, "_owner_of", {}).get(row) if row else None
        self.want("commitment", owner)

    def private_item(self, meeting: Meeting) -> str | None:
        row = self._highlighted()
        # A member's own row is not an item; their commitments' rows are.
        members = {m.id for m in meeting.setup.group.members}
        return row if row is not None and row not in members else None

    def private_help(self) -> str:
        return "Highlight a commitment (↓ under the member) to mark it private."

    def hint(self) -> Content:
        return Content.assemble(
            self.keys(("↑↓", "row"), ("enter", "add for them"), ("c", "add"), ("!", "private")),
            Content.styled("   (the cursor lands on the new one)", "dim"),
        )
