"""One past session in full: its recap, then every note, ask, commitment and win."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from ...errors import UserError
from ...exports.recap_file import write_session_recap
from ..widgets.history_blocks import land
from .history_base import HistoryBase
from .history_data import GroupHistory
from .history_member import MemberScreen
from .history_pages import session_blocks, session_title
from .history_pickers import MemberPickerScreen

if TYPE_CHECKING:
    from ...core.session_records import Session


class SessionScreen(HistoryBase):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.session.back"),
        Binding("p", "step(-1)", "Older", id="history.session.older"),
        Binding("n", "step(1)", "Newer", id="history.session.newer"),
        Binding("m", "member", "Member", id="history.session.member"),
        Binding("x", "export", "Export .md", id="history.session.export"),
    ]

    def __init__(self, data: GroupHistory, session_id: str, *, focus: str | None = None) -> None:
        super().__init__()
        self.data = data
        self.session_id = session_id
        #: The record a search result asked to see (a note, ask, win, commitment).
        self.focus_id = focus

    @property
    def session(self) -> Session | None:
        return self.data.session(self.session_id)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="page-title", classes="page-title")
        yield VerticalScroll(id="page", classes="page")
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        await self._fill()

    async def _fill(self) -> None:
        session = self.session
        page = self.query_one("#page", VerticalScroll)
        await page.remove_children()
        if session is None:
            self.query_one("#page-title", Static).update("This session is not in the history.")
            return
        self.query_one("#page-title", Static).update(session_title(self.data, session))
        await page.mount_all(session_blocks(self.data, session))
        page.scroll_home(animate=False)
        page.focus()
        if self.focus_id is not None:
            # Landing needs the blocks laid out to know where to scroll.
            target = self.focus_id
            self.call_after_refresh(land, page, target)

    async def action_step(self, step: int) -> None:
        neighbour = self.data.neighbour(self.session_id, step)
        if neighbour is None:
            self.notify("No older session." if step < 0 else "No newer session.", timeout=2)
            return
        self.session_id = neighbour.id
        self.focus_id = None
        await self._fill()

    def action_member(self) -> None:
        def picked(member_id: str | None) -> None:
            if member_id is not None:
                self.app.push_screen(MemberScreen(self.data, member_id))

        self.app.push_screen(MemberPickerScreen(self.data), picked)

    def action_export(self) -> None:
        """Write this session's recap as Markdown into the current folder.

        Private items are left out: nothing marked private leaves the app
        without an explicit flag, and a key press is not one
        (``peersession export --include-private`` is).
        """
        session = self.session
        if session is None:
            return
        try:
            target = write_session_recap(
                Path.cwd(),
                self.peersession.store.root,
                self.data.group,
                session,
                self.data.commitments,
                self.data.day(session.id),
                self.data.goals,
            )
        except UserError as error:
            self.peersession.report(error)
            return
        self.notify(
            f"Wrote {target} (private items left out)", title="Exported", markup=False, timeout=6
        )
