"""A member's quick check-in (placeholder until the check-in screen lands)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static


class CheckinScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="checkin.back"),
    ]

    def __init__(self, group_id: str | None, member_id: str | None, *, exit_after: bool) -> None:
        super().__init__()
        self.group_id = group_id
        self.member_id = member_id
        self.exit_after = exit_after

    def compose(self) -> ComposeResult:
        yield Static("Check-in: not built yet.")
        yield Footer()
