"""Where the facilitator's forms, votes and confirmations open: over the console.

They stay modal screens (keys go to them, escape closes them, drafts are
kept), but each is docked onto the console's part of the screen, with a
see-through background: the countdown, the speaker and the hint line stay in
view and keep ticking while the facilitator types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.geometry import Region
from textual.screen import ModalScreen, Screen

from .confirm import ConfirmScreen

T = TypeVar("T")

DOCKED = "-docked"


def dock(modal: ModalScreen[Any], region: Region, screen_size: tuple[int, int]) -> None:
    """Lay ``modal`` out inside ``region`` of a screen of ``screen_size``."""
    width, height = screen_size
    modal.add_class(DOCKED)
    modal.styles.padding = (
        region.y,
        max(0, width - region.right),
        max(0, height - region.bottom),
        region.x,
    )


class FormHost:
    """Opens modals docked over one widget (the console) of a screen."""

    def __init__(self, screen: Screen[Any], console_id: str) -> None:
        self.screen = screen
        self.console_id = console_id

    def region(self) -> Region:
        return self.screen.query_one(f"#{self.console_id}").region

    def open(self, modal: ModalScreen[T], then: Callable[[T | None], None] | None = None) -> None:
        """Push ``modal`` docked over the console; ``then`` gets its result."""
        size = self.screen.size
        dock(modal, self.region(), (size.width, size.height))
        if then is None:
            self.screen.app.push_screen(modal)
        else:
            self.screen.app.push_screen(modal, then)

    def confirm(self, question: Any, then: Callable[[], object]) -> None:
        """Ask yes or no over the console; run ``then`` on yes."""

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.open(ConfirmScreen(question), answered)
