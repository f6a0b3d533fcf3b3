"""The live meeting: a big countdown, who is speaking, the phase at hand.

The screen only shows the meeting and turns keys into actions. Every action
goes through ``LiveSession.dispatch``, which returns once it is journaled on
disk; only then is the screen refreshed. Time shown is computed from the
clock on every refresh, never counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, assert_never, cast

from pendulum import DateTime
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen

from ...core import events as ev
from ...core.clock import local_time
from ...core.engine import InvalidAction, Meeting
from ...core.phases import PhaseKind
from ...core.readout import Readout, compute_readout
from ...core.steps import Dispatch, EndSession, FinishAsk, Refuse, Step
from ...core.time_requests import asks_for_time
from ...errors import UserError
from ...store.live import LiveSession
from ..text import one_line
from ..widgets.console import Console, KeyFooter
from ..widgets.lines import Line
from ..widgets.panel import PhasePanel, form_name
from ..widgets.room import RoomView
from .form_host import FormHost
from .meeting_forms import MeetingForms

if TYPE_CHECKING:
    from ..app import PeersessionApp

TICK_SECONDS = 0.25
#: The keys the footer shows (by binding id): the rest are in ? and the palette.
FOOTER_KEYS = ("meeting.pause", "meeting.next", "app.help", "meeting.end", "app.quit")


class MeetingScreen(Screen[None]):
    """The room view (for everyone on the call) and the console (for the facilitator)."""

    CSS_PATH = ["../room.tcss", "../meeting.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pause", "Pause", id="meeting.pause"),
        Binding("n", "next", "Next", id="meeting.next"),
        Binding("p", "back", "Back", id="meeting.back"),
        Binding("plus,equals_sign", "adjust(60)", "+1 minute", id="meeting.more"),
        Binding("minus", "adjust(-60)", "-1 minute", id="meeting.less"),
        Binding("a", "form('ask')", "Add an ask", id="meeting.ask"),
        Binding("c", "form('commitment')", "Add a commitment", id="meeting.commitment"),
        Binding("t", "form('note')", "Take a note", id="meeting.note"),
        Binding("w", "form('win')", "Log a win", id="meeting.win"),
        Binding("l", "attendance", "Attendance", id="meeting.attendance"),
        Binding("exclamation_mark", "toggle_private", "Private on/off", id="meeting.private"),
        Binding("u,ctrl+z", "undo", "Undo", id="meeting.undo"),
        Binding("greater_than_sign", "next_phase", "Next phase", id="meeting.next_phase"),
        Binding("less_than_sign", "previous_phase", "Previous phase", id="meeting.previous_phase"),
        Binding("e", "end", "End session", id="meeting.end"),
    ]

    def __init__(self, live: LiveSession) -> None:
        super().__init__()
        self.live = live
        self.host = FormHost(self, "console")
        self.forms = MeetingForms(self, self.host)
        self._last_state = ""
        self._shown_phase: PhaseKind | None = None

    @property
    def peersession(self) -> PeersessionApp:
        return cast("PeersessionApp", self.app)

    @property
    def meeting(self) -> Meeting:
        return self.live.meeting

    def now(self) -> DateTime:
        return self.live.clock.now()

    # -- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Line(id="topbar")
        with Horizontal(id="meeting-main"):
            yield RoomView(id="room")
            yield Console(self.meeting.setup.template.kinds, id="console")
        yield Line(id="hint")
        yield KeyFooter(FOOTER_KEYS, id="keys")

    def on_mount(self) -> None:
        self._arrange()
        self.refresh_all()
        self.set_interval(TICK_SECONDS, self.tick)

    def on_resize(self) -> None:
        self._arrange()
        self.call_after_refresh(self.host.replace)

    def _arrange(self) -> None:
        # Wide: the room view and the console side by side, the name in block letters.
        wide = self.query_one(RoomView).fit_screen(self.size)
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")

    # -- refreshing ---------------------------------------------------------------

    def refresh_all(self) -> None:
        meeting = self.meeting
        panel = self.query_one(Console).show(meeting, self.now())
        if self._shown_phase is not meeting.phase:
            self._shown_phase = meeting.phase
            target = panel.query_one(panel.focus_target) if panel.focus_target else panel
            target.focus()
        # The panel's keys change with the meeting, never with the time: not in the tick.
        self.query_one("#hint", Line).content = panel.hint()
        self.tick()

    def readout(self) -> Readout:
        """The room view's figures now (one computation for every timer line)."""
        return compute_readout(self.meeting, self.now())

    def tick(self) -> None:
        """Redraw what time changes: the room view and the top bar (only what
        changed is repainted, so a tick that changes nothing draws nothing)."""
        readout = self.readout()
        self.query_one(RoomView).show(self.meeting, readout)
        if (
            readout.state == "overtime"
            and self._last_state != "overtime"
            and self.peersession.settings.bell
        ):
            self.app.bell()
        self._last_state = readout.state
        self.query_one("#topbar", Line).content = self._topbar(readout)

    def _topbar(self, readout: Readout) -> Content:
        # Assembled, not parsed from markup: it is built four times a second.
        clock = local_time(self.now()).format("HH:mm")
        return Content.assemble(
            (one_line(self.meeting.setup.group.name, 40), "bold"),
            f" · {readout.phase_title} ({readout.phase_number}/{readout.phase_count}) · {clock}",
        )

    def notice(self, text: str, severity: str = "information", timeout: float = 5.0) -> None:
        """A one-line notice in the console (replacing the last, never over the room)."""
        self.query_one(Console).notice(text, severity, timeout)

    # -- acting ---------------------------------------------------------------------

    def act(self, action: ev.Action) -> bool:
        """Journal an action, then refresh. False (and a message) if it was refused."""
        try:
            self.live.dispatch(action)
        except (InvalidAction, UserError) as error:
            self.peersession.report(error)
            return False
        self.refresh_all()
        if isinstance(action, ev.WinAdded):
            self._celebrate(action)
        return True

    def _celebrate(self, win: ev.WinAdded) -> None:
        name = self.meeting.name(win.member_id)
        self.notice(
            f"★ A win! Congratulations, {name}! {win.kind.title()}: {one_line(win.text, 120)}",
            timeout=8,
        )

    @on(PhasePanel.Acted)
    def _panel_acted(self, message: PhasePanel.Acted) -> None:
        self.act(message.action)

    @on(PhasePanel.HintChanged)
    def _panel_hint_changed(self, message: PhasePanel.HintChanged) -> None:
        message.stop()
        self.query_one("#hint", Line).content = message.hint

    @on(PhasePanel.Wants)
    def _panel_wants(self, message: PhasePanel.Wants) -> None:
        self.forms.open_form(message.what, message.target)

    def action_form(self, what: str, target: str | None = None) -> None:
        self.forms.open_form(form_name(what), target)

    def action_pause(self) -> None:
        self.act(ev.TimerToggled())

    def take(self, step: Step) -> None:
        """Do what the engine says a key does now (``core/steps.py``)."""
        match step:
            case Dispatch(action=action, confirm=None):
                self.act(action)
            case Dispatch(action=action, confirm=question):
                # Names in the question are people's text: shown literally.
                asked = Content.styled(question or "", "bold")
                self.host.confirm(asked, lambda: self.act(action))
            case FinishAsk():
                self.action_form("outcome")
            case EndSession():
                self.action_end()
            case Refuse(reason=reason):
                self.peersession.report(InvalidAction(reason))
            case _:
                assert_never(step)

    def action_next(self) -> None:
        self.take(self.meeting.next_step())

    def action_back(self) -> None:
        self.take(self.meeting.back_step())

    def action_adjust(self, seconds: int) -> None:
        self.act(ev.TimeAdjusted(seconds=float(seconds)))

    def action_next_phase(self) -> None:
        self.take(self.meeting.phase_step(+1))

    def action_previous_phase(self) -> None:
        self.take(self.meeting.phase_step(-1))

    def action_undo(self) -> None:
        try:
            self.live.undo()
        except (InvalidAction, UserError) as error:
            self.peersession.report(error)
            return
        self.notice("Undone.")
        self.refresh_all()

    def action_toggle_private(self) -> None:
        panel = self.query_one(Console).panel(self.meeting.phase)
        item_id = panel.private_item(self.meeting)
        if item_id is None:
            self.notice(panel.private_help())
            return
        self.act(ev.PrivacyToggled(item_id=item_id))

    def action_attendance(self) -> None:
        from .attendance import AttendanceScreen

        self.host.open(AttendanceScreen(self))

    def action_end(self) -> None:
        left = self.meeting.unfinished_business()
        question = Content.from_markup("[b]End the session and save it to the history?[/b]")
        if left:
            lines = [Content("Not done yet:"), *(Content(f"  • {item}") for item in left)]
            question = Content("\n").join([question, *lines])
        self.host.confirm(question, self._end)

    def _end(self) -> None:
        try:
            self.live.end()
        except (InvalidAction, UserError) as error:
            self.peersession.report(error)
            return
        group = self.meeting.setup.group.name
        self.peersession.live = None
        self.app.pop_screen()
        self.notify(f"Session of {group} saved to the history.", markup=False)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Meeting commands for the command palette (titles hold no user text)."""
        meeting = self.meeting
        for plan in meeting.phases:
            if plan.kind is not meeting.phase:
                title = plan.kind.title
                yield SystemCommand(
                    f"Go to phase: {title}",
                    f"Skip straight to {title} (n and p move one step)",
                    partial(self.act, ev.PhaseJumped(phase=plan.kind.name)),
                )
        yield SystemCommand(
            "Attendance", "Mark a late arrival or someone leaving", self.action_attendance
        )
        if asks_for_time(meeting):
            # The round again, from any phase: a late arrival asking for time.
            yield SystemCommand(
                "Time asked for",
                "Minutes, a pass or the default, for members yet to speak",
                partial(self.forms.open_form, "requests"),
            )
        yield SystemCommand("Undo", "Take back the last action", self.action_undo)
        yield SystemCommand(
            "Log a win", "A promotion, grant, paper...", partial(self.action_form, "win")
        )
        yield SystemCommand("End session", "Save the session to the history", self.action_end)

    # -- forms ------------------------------------------------------------------------
