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
#: Set until the dialog is placed, so it never flashes in the middle of the screen.
PLACING = "-placing"
#: Set on a dialog docked in fewer rows than this: laid out compact (meeting.tcss),
#: each label beside its field, so a form of four fields is whole at 80x24.
COMPACT = "-compact"
COMPACT_ROWS = 18


def place(modal: ModalScreen[Any], region: Region) -> None:
    """Put ``modal``'s dialog over ``region`` (its screen keeps no padding: a padded
    modal would shift the see-through picture of the screen underneath)."""
    for dialog in modal.query(".dialog"):
        dialog.styles.margin = (region.y, 0, 0, region.x)
        dialog.styles.width = region.width
        dialog.styles.max_height = region.height
    modal.set_class(region.height < COMPACT_ROWS, COMPACT)
    modal.remove_class(PLACING)


class FormHost:
    """Opens modals docked over one widget (the console) of a screen."""

    def __init__(self, screen: Screen[Any], console_id: str) -> None:
        self.screen = screen
        self.console_id = console_id
        self.docked: ModalScreen[Any] | None = None

    def region(self) -> Region:
        return self.screen.query_one(f"#{self.console_id}").region

    def open(self, modal: ModalScreen[T], then: Callable[[T | None], None] | None = None) -> None:
        """Push ``modal`` docked over the console; ``then`` gets its result."""
        modal.add_class(DOCKED, PLACING)
        self.docked = modal
        app = self.screen.app
        if then is None:
            app.push_screen(modal)
        else:
            app.push_screen(modal, then)
        app.call_after_refresh(self.replace)

    def replace(self) -> None:
        """Place the docked modal again (after it opens, and when the screen is resized)."""
        modal = self.docked
        if modal is None or not modal.is_attached:
            self.docked = None
            return
        place(modal, self.region())

    def confirm(self, question: Any, then: Callable[[], object]) -> None:
        """Ask yes or no over the console; run ``then`` on yes."""

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.open(ConfirmScreen(question), answered)
