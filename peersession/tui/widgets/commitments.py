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
from .marklist import MarkList
from .panel import PhasePanel, refill
from .rows import commitment_rows, commitments_title


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

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        self.query_one("#commitments-title", Static).update(commitments_title(meeting))
        built = commitment_rows(meeting)
        self._owner_of: dict[str, str] = {row.id: row.owner for row in built}
        rows = [Option(row.content, id=row.id) for row in built]
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
