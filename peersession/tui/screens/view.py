"""The follow window: the room view of a live session, read-only.

``peersession view GROUP`` opens this screen alone. It polls the group's
journal (``store/follow.py``) several times a second and draws the room view
from what is on disk, and beside it (below it under 120 columns) the room's
board: what the phase has produced so far (the wins, the review list, the ask
queue with its votes, the commitments). It shows only what the facilitator's
app has saved: never a form being typed. It takes no lock and writes nothing, so it can run
beside the facilitator's app, on a second monitor or shared on the call, and
through ``--serve`` in a browser.
"""

from __future__ import annotations

from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from ...core.clock import Clock, local_time
from ...core.model import Group
from ...core.readout import compute_readout
from ...paths import DataLayout
from ...store.follow import Followed, JournalFollower
from ..text import one_line, template
from ..widgets.bigclock import BigType
from ..widgets.board import PhaseBoard
from ..widgets.console import KeyFooter
from ..widgets.phase_screens import board_of
from ..widgets.recap import meeting_recap, render_recap
from ..widgets.room import RoomView

#: How often the journal is read: each action shows within half a second.
POLL_SECONDS = 0.2

STATUS_TEXT = {
    "waiting": "Waiting for the session to start…",
    "live": "● live · read-only: this window follows the facilitator's app",
    "ended": "■ The session has ended: its recap",
}
#: On a member's machine: the actions arrive as fast as the group's sync tool carries them.
SHARED_LIVE_TEXT = "● live · read-only: following the facilitator's app through the shared folder"


class ViewScreen(Screen[None]):
    """The room view of one group's live session, followed from its journal."""

    CSS_PATH = ["../room.tcss", "../view.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "app.quit", "Close", id="view.close"),
    ]

    def __init__(self, layout: DataLayout, group: Group, clock: Clock) -> None:
        super().__init__()
        self.group = group
        self.clock = clock
        self.follower = JournalFollower(layout, group.id)
        self.last: Followed | None = None
        #: When the facilitator's app was last seen running (the picture is frozen there).
        self._frozen_at: DateTime | None = None
        #: The journal entry the recap on screen was drawn from.
        self._recap_of: int | None = None
        #: The journal entry (and phase) the board on screen was drawn from.
        self._board_of: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="view-top", markup=False)
        yield Static(id="view-status", markup=False)
        # Before the session starts: the group's name, large, so the shared
        # screen says whose meeting this is.
        yield BigType(self.group.name, id="view-waiting")
        with Horizontal(id="view-main"):
            yield RoomView(id="room")
            yield PhaseBoard(id="board")
        with VerticalScroll(id="view-recap"):
            yield Static(id="view-recap-text", markup=False)
        yield KeyFooter(("view.close",), id="keys")

    def on_mount(self) -> None:
        self.query_one("#view-top", Static).update(
            template("[b]$group[/b] · the room view", group=one_line(self.group.name, 60))
        )
        self.on_resize()
        self.poll()
        self.set_interval(POLL_SECONDS, self.poll)

    def on_resize(self) -> None:
        wide = self.query_one(RoomView).fit_screen(self.size)
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")

    def poll(self) -> None:
        """Read what the facilitator's app saved since the last poll, and redraw."""
        followed = self.follower.poll()
        if followed.problem and (self.last is None or self.last.problem != followed.problem):
            # A damaged journal: said once, in one line naming the file and the line.
            self.app.notify(followed.problem, severity="warning", markup=False, timeout=15)
        self.last = followed
        now = self.clock.now()
        if followed.status == "stopped":
            self._frozen_at = self._frozen_at or now
        else:
            self._frozen_at = None
        self.set_class(followed.status == "waiting", "-waiting")
        self.set_class(followed.status == "ended", "-ended")
        self.query_one("#view-status", Static).update(self._status(followed, now))
        meeting = followed.meeting
        if meeting is None:
            return
        if followed.status == "ended":
            if self._recap_of != meeting.last_seq:
                self._recap_of = meeting.last_seq
                text = render_recap(meeting_recap(meeting, meeting.ended_at or now))
                self.query_one("#view-recap-text", Static).update(text)
            return
        shown_at = self._frozen_at or now
        self.query_one(RoomView).show(meeting, compute_readout(meeting, shown_at))
        # The board changes only with the journal (nothing on it ticks).
        if self._board_of != (meeting.last_seq, meeting.phase_index):
            self._board_of = (meeting.last_seq, meeting.phase_index)
            self.query_one(PhaseBoard).show(meeting, board_of(meeting, shown_at))

    def _status(self, followed: Followed, now: DateTime) -> Content:
        if followed.status == "stopped":
            since = local_time(self._frozen_at or now).format("HH:mm:ss")
            return Content.styled(
                f"‖ The facilitator's app is not running (since {since}): "
                "showing the last saved state; it carries on when they resume.",
                "bold",
            )
        if followed.shared and followed.status == "live":
            return Content(SHARED_LIVE_TEXT)
        return Content(STATUS_TEXT[followed.status])
