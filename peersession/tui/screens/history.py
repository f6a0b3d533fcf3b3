"""Past sessions of a group (placeholder until the history screens land)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static


class HistoryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
    ]

    def __init__(self, group_id: str | None) -> None:
        super().__init__()
        self.group_id = group_id

    def compose(self) -> ComposeResult:
        yield Static("History: not built yet.")
        yield Footer()
