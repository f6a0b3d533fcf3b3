"""What a screen may ask of the app it runs in: the one way up from a screen.

The app opens the screens (``tui.app`` imports them); were a screen to import
the app back, to reach the store or the clock, the two modules would import
each other. A screen reaches the running app through :func:`host_of` and
this protocol instead, which also says in one place what screens rely on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.app import App

from ..core.clock import Clock
from ..settings import Settings
from ..store.history import HistoryStore

if TYPE_CHECKING:
    # Only for the type: the engine and the journal load when a session opens.
    from ..store.live import LiveSession


@runtime_checkable
class Host(Protocol):
    """The peersession app, as its screens see it (``tui.app.PeersessionApp``)."""

    store: HistoryStore
    clock: Clock
    settings: Settings
    live: LiveSession | None

    def report(self, error: Exception) -> None:
        """Show a problem the user can act on, literally."""

    def open_history(self, group_id: str | None) -> None:
        """Push the history of one group (or of every group)."""

    def open_checkin(
        self, group_id: str | None, member_id: str | None = None, *, exit_after: bool = False
    ) -> None:
        """Push a member's check-in."""

    def open_session(self, group_id: str, template: str | None = None) -> None:
        """Start (or offer to resume) a group's session."""


def host_of(app: App[Any]) -> Host:
    """The running peersession app; a screen shown by any other app is a bug."""
    if not isinstance(app, Host):
        raise TypeError(f"{type(app).__name__} is not a peersession app")
    return app
