"""Attendance from any phase: a late arrival, someone leaving early."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ..widgets.attendance import AttendanceList, not_here_yet
from ..widgets.marklist import MARK_RULE

if TYPE_CHECKING:
    # The meeting screen opens this one: it is named here for mypy only.
    from .meeting import MeetingScreen


class AttendanceScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,l", "close", "Close", id="attendance.close"),
        Binding("g", "guest", "Add a guest", id="attendance.guest"),
    ]

    def __init__(self, meeting_screen: MeetingScreen) -> None:
        super().__init__()
        self.meeting_screen = meeting_screen

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.from_markup(
                    "[b]Attendance[/b]\n[b]y[/b] here / arrived   [b]x[/b] absent / left   "
                    "[b]l[/b] late (not here yet)\n[b]g[/b] add a guest (this session only)   "
                    "[b]esc[/b] close\n$rule; "
                    "the cursor starts on the first member not here yet",
                    rule=MARK_RULE.capitalize(),
                )
            )
            yield AttendanceList(id="attendance-modal")
        yield Footer()

    def on_mount(self) -> None:
        meeting = self.meeting_screen.meeting
        members = self.query_one(AttendanceList)
        members.show(meeting)
        # Opened mid-meeting, it is nearly always for a late arrival.
        waiting = not_here_yet(meeting)
        if waiting:
            members.highlight_id(waiting[0])
        members.focus()

    @on(AttendanceList.Marked)
    def _marked(self, message: AttendanceList.Marked) -> None:
        message.stop()
        self.meeting_screen.act(message.action)
        self.query_one(AttendanceList).show(self.meeting_screen.meeting)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_guest(self) -> None:
        """Close the dialog for the guest's form (one docked form at a time)."""
        self.dismiss(None)
        self.meeting_screen.forms.open_guest()
