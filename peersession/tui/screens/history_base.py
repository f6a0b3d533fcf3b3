"""What every history screen shares: the app, today's date, and the stylesheet."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from textual.screen import Screen

from ...core.clock import local_date

if TYPE_CHECKING:
    from ..app import PeersessionApp


class HistoryBase(Screen[None]):
    # The history screens' layout lives in its own file beside app.tcss; a
    # screen's CSS_PATH is read once, the first time such a screen opens.
    CSS_PATH = "../history.tcss"

    @property
    def peersession(self) -> PeersessionApp:
        return cast("PeersessionApp", self.app)

    def today(self) -> date:
        """The app clock's local date: what "overdue" and "this year" mean."""
        return local_date(self.peersession.clock.now())

    def action_back(self) -> None:
        self.dismiss(None)
