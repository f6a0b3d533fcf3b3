"""The Textual app and the one factory shared by the command line and the tests."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from ..core.clock import Clock, SystemClock
from ..core.errors import InvalidAction
from ..core.safe_text import shell_command
from ..errors import UserError
from ..settings import Settings
from ..store.history import HistoryStore
from .text import visible
from .theming import THEME_VARIABLE_DEFAULTS, install_themes

if TYPE_CHECKING:
    from textual.command import Provider

    from ..store.live import LiveSession
    from .screens.meeting import MeetingScreen


#: Textual's own palette commands that write nothing, offered as they are. Any
#: other (its Screenshot writes into ~/Downloads; a later Textual may add
#: more) is left out: ours replace what is worth having.
READ_ONLY_SYSTEM_COMMANDS = frozenset({"Theme", "Quit", "Keys", "Maximize", "Minimize"})


def _group_commands() -> type[Provider]:
    # Imported when the palette first opens, not at start-up.
    from .commands import GroupCommands

    return GroupCommands


class PeersessionApp(App[int]):
    """Home screen, live meeting, and the screens around them."""

    CSS_PATH = "app.tcss"
    TITLE = "peersession"
    # Textual's commands, and each group's (start, quick round, history, check in, export).
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        *App.COMMANDS,
        _group_commands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
        # Textual's own palette binding, as Textual makes it, plus an id so
        # that [keymap] can move it ("app.palette" = "ctrl+k").
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            "palette",
            show=False,
            key_display=App.COMMAND_PALETTE_DISPLAY,
            priority=True,
            tooltip="Open the command palette",
            id="app.palette",
        ),
    ]

    def __init__(
        self,
        *,
        store: HistoryStore,
        clock: Clock,
        settings: Settings,
        theme: str | None = None,
        start_group: str | None = None,
        template: str | None = None,
        demo: bool = False,
        mode: str = "home",
        member: str | None = None,
        demo_kept: bool = False,
        guests: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        #: What opens over the home screen: ``home``, ``meeting``, ``history`` or
        #: ``checkin``; or ``view``, the read-only follow window, alone.
        self.mode = "meeting" if start_group and mode == "home" else mode
        self.start_member = member
        self.store = store
        self.clock = clock
        self.settings = settings
        self.start_group = start_group
        self.start_template = template
        #: Guests of the session ``start GROUP --guest NAME`` opens (issue 24.3):
        #: for that new session only, never a resumed one.
        self.start_guests = guests
        self.demo = demo
        self.live: LiveSession | None = None
        # The read-only view may change its theme for itself, never the settings.
        self._startup_problems = install_themes(self, settings, theme, persist=mode != "view")
        if settings.keymap:
            self.set_keymap(dict(settings.keymap))
        if demo:
            # Said as it is: `demo --keep` (or `--data-dir`) keeps the folder.
            self.sub_title = (
                "demo · kept when you quit (its folder is named then)"
                if demo_kept
                else "demo · a throwaway copy: nothing here is kept"
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's commands: those of Textual's that write nothing, our
        Screenshot (not in the read-only view, which writes nothing at all),
        then the meeting's (jump to a phase, attendance, undo, end) when a
        meeting is on screen."""
        from .screens.meeting import MeetingScreen

        for command in super().get_system_commands(screen):
            if command.title in READ_ONLY_SYSTEM_COMMANDS:
                yield command
        if self.mode != "view":
            yield SystemCommand(
                "Screenshot",
                "Save a picture of the screen in the data folder's screenshots/ (yours alone)",
                # Once the palette has closed, so that it is not in the picture.
                lambda: self.set_timer(0.1, self.action_screenshot),
            )
        if isinstance(screen, MeetingScreen):
            yield from screen.palette_commands()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG picture of the screen into the data folder's
        ``screenshots/`` (0600), never elsewhere: it can show private items.
        Textual's ``filename`` and ``path`` are not honoured, for that reason.
        Says where (relative to the data folder) or, in one line, why not."""
        from ..store.screenshots import save_screenshot

        if self.mode == "view":
            self.notify("The room view saves nothing.", title="Screenshot", markup=False)
            return
        try:
            saved = save_screenshot(self.store.layout, self.export_screenshot(), self.clock.now())
        except UserError as error:
            self.notify(str(error), title="Screenshot not saved", severity="error", markup=False)
            return
        # The name first: the meeting's console line may cut what follows.
        self.notify(f"{saved}, readable by you alone", title="Screenshot", markup=False)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def get_default_screen(self) -> Screen[Any]:
        """The home screen is the app's first screen, not one pushed over a blank
        one: its first frame is the first frame written, rows and all."""
        if self.mode == "view" and self.start_group:
            return Screen()  # the read-only view opens alone, over nothing
        if self.start_group and self.mode in ("meeting", "history"):
            # `start GROUP` and `history GROUP` open their screen at once: the
            # home is built only when that screen is closed and uncovers it.
            return HomeLater()
        return self._home_screen()

    def on_mount(self) -> None:
        self._report_sharing()
        if self.mode == "view" and self.start_group:
            self.open_view(self.start_group)
            return
        for problem in self._startup_problems:
            self.notify(problem, title="Theme", severity="warning", markup=False, timeout=10)
        if self.mode == "meeting" and self.start_group:
            self.open_session(self.start_group, self.start_template)
        elif self.mode == "history":
            self.open_history(self.start_group, self.start_member)
        elif self.mode == "checkin":
            self.open_checkin(self.start_group, self.start_member, exit_after=True)
        base = self.screen_stack[0] if self.screen_stack else None
        if isinstance(base, HomeLater):
            if self.screen is base:  # nothing opened over it (a refusal was reported)
                self.push_screen(self._home_screen())
            else:
                base.armed = True

    @staticmethod
    def _home_screen() -> Screen[Any]:
        from .screens.home import HomeScreen

        return HomeScreen()

    def _report_sharing(self) -> None:
        """A line about a shared group's folder (store/shared/notices.py) is a
        notification here, from whichever thread the store ran in (Textual's
        ``notify`` is thread-safe)."""
        from ..store.shared.notices import set_reporter

        def notify(line: str) -> None:
            self.notify(line, title="Shared folder", severity="warning", markup=False)

        set_reporter(notify)

    def open_history(self, group_id: str | None, viewer: str | None = None) -> None:
        """The history of one group (or, without one, of every group); ``viewer``:
        the member (id) it is shown to, who finds no private item of before they joined."""
        from .screens.history import HistoryScreen

        self.push_screen(HistoryScreen(group_id, viewer))

    def open_view(self, group_id: str) -> None:
        """The follow window of a group's live session (reads, never writes)."""
        from .screens.view import ViewScreen

        self.push_screen(ViewScreen(self.store.layout, self.store.find_group(group_id), self.clock))

    def open_checkin(
        self, group_id: str | None, member_id: str | None = None, *, exit_after: bool = False
    ) -> None:
        """A member's quick check-in on their open commitments."""
        from .screens.checkin import CheckinScreen

        self.push_screen(CheckinScreen(group_id, member_id, exit_after=exit_after))

    # -- sessions ------------------------------------------------------------------

    def open_session(self, group_id: str, template: str | None = None) -> None:
        """Start a session, or offer to resume the one that was interrupted."""
        # The engine and the journal load when a session opens, not at start-up.
        from ..store.live import LiveSession, recover_ended, restore, set_aside, set_aside_sessions

        try:
            group = self.store.find_group(group_id)
            if recover_ended(self.store, group):
                self.notify(
                    f"Finished saving the last session of {group.name} to the history.",
                    markup=False,
                )
            interrupted = LiveSession.interrupted(self.store, group)
        except UserError as error:
            self.report(error)
            return
        if interrupted is None:
            self._start(group_id, template)
            return
        from .screens.resume import ResumeScreen  # only an interrupted session is offered

        for note in interrupted.set_aside:
            # What reading the journal skipped or kept apart (a repeated line, a
            # damaged end): one line naming the file and the line, nothing it held.
            self.notify(note, markup=False, severity="warning", timeout=15)

        def decided(choice: str | None) -> None:
            if choice == "resume":
                self._resume(group_id)
            elif choice == "discard":
                try:
                    where = set_aside(self.store, group)
                except UserError as error:
                    self.report(error)
                    return
                self.notify(
                    f"The interrupted session was set aside in {where}. "
                    f"Bring it back with: {shell_command('start', group.name, '--restore')}",
                    markup=False,
                    timeout=12,
                )
                self._start(group_id, template)
            elif choice == "swap":
                try:
                    earlier = set_aside_sessions(self.store, group)[-1]
                    set_aside(self.store, group)
                    restore(self.store, group, earlier)
                except UserError as error:
                    self.report(error)
                    return
                self._resume(group_id)

        self.push_screen(ResumeScreen(interrupted, self.clock.now(), self.store), decided)

    def _start(self, group_id: str, template: str | None) -> None:
        from ..core.templates import describe_fit, template_for
        from ..store.live import LiveSession

        turn = self.settings.turn_timebox
        try:
            group = self.store.find_group(group_id)
            live = LiveSession.start(
                self.store,
                group,
                self.clock,
                template_name=template,
                turn_seconds_override=turn.total_seconds() if turn else None,
                guests=self.start_guests if group_id == self.start_group else (),
            )
        except UserError as error:
            self.report(error)
            return
        self.start_guests = ()
        self._show_meeting(live)
        setup = live.meeting.setup
        squeezed = describe_fit(
            template_for(template or group.template, group.agenda),
            setup.template,
            setup.length_minutes,
        )
        if squeezed:
            self.notify(squeezed, markup=False, timeout=10)

    def _resume(self, group_id: str) -> None:
        from ..store.live import LiveSession

        try:
            live = LiveSession.resume(self.store, self.store.find_group(group_id), self.clock)
        except UserError as error:
            self.report(error)
            return
        self._show_meeting(live)

    def _show_meeting(self, live: LiveSession) -> None:
        from .screens.meeting import MeetingScreen

        self.live = live
        self.push_screen(MeetingScreen(live))

    def close_live(self) -> None:
        """Leave the meeting screen without ending the session (it can be resumed)."""
        if self.live is not None:
            self.live.suspend()
            self.live = None

    # -- feedback ------------------------------------------------------------------

    def report(self, error: Exception) -> None:
        """Show a problem the user can act on, literally (it may hold their text)."""
        if isinstance(error, InvalidAction):
            self.notify(str(error), severity="warning", markup=False, timeout=4)
        else:
            self.notify(str(error), severity="error", markup=False, timeout=8)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice of every screen comes through here (``Screen.notify`` and
        ``Widget.notify`` call the app's). A notice naming a person or a group
        must not carry their control characters to the terminal (an OSC in a
        group's name would set the window title); during a meeting it is one
        line in the console, never a toast over the room view nor a stack."""
        message, title = visible(message), visible(title)
        meeting = self._meeting_in_front()
        if meeting is None:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
            return
        text = Content.from_markup(message).plain if markup else message
        if title:
            text = f"{title}: {text}"
        meeting.notice(text, severity, timeout or 5.0)

    def _meeting_in_front(self) -> MeetingScreen | None:
        """The meeting screen, if it (or a form docked over its console) is in front."""
        if "peersession.tui.screens.meeting" not in sys.modules or not self.screen_stack:
            return None  # no meeting has been opened: nothing to import
        from .screens.meeting import MeetingScreen

        if isinstance(self.screen, MeetingScreen):
            return self.screen
        if self.screen.has_class("-docked"):
            below = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
            return below if isinstance(below, MeetingScreen) else None
        return None

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        keys = HelpScreen(self.screen)
        meeting = self._meeting_in_front()
        if meeting is not None and meeting is self.screen:
            # Over the console, like the forms: the room keeps its countdown in sight.
            meeting.host.open(keys)
        else:
            self.push_screen(keys)

    def on_unmount(self) -> None:
        from ..store.shared.notices import set_reporter

        self.close_live()
        set_reporter(None)  # the commands' standard error again, once the screen is gone


class HomeLater(Screen[None]):
    """The screen under the one a command opened (``start GROUP``, ``history
    GROUP``): uncovered, it opens the home screen over itself, so the command's
    screen never waits for the home's rows, widgets and styles to be built."""

    #: Set once the command's screen is open over this one (the app's on_mount):
    #: a resume before that is the app's start, not the screen being uncovered.
    armed = False

    def on_screen_resume(self) -> None:
        if self.armed and self.app.screen is self:
            # Imported only now: the command's screen never pays for the home's.
            from .screens.home import HomeScreen

            self.app.push_screen(HomeScreen())


def create_app(
    *,
    data_dir: Path,
    clock: Clock | None = None,
    settings: Settings | None = None,
    theme: str | None = None,
    start_group: str | None = None,
    template: str | None = None,
    demo: bool = False,
    mode: str = "home",
    member: str | None = None,
    **kwargs: Any,
) -> PeersessionApp:
    """Build the app exactly as users get it; the command line and the tests use this.

    The data folder is opened (and checked) here, before any screen exists,
    so a corrupt or locked file is one line on stderr rather than a crash.
    """
    # The follow window never writes: it does not even create a missing folder.
    store = HistoryStore(data_dir, create=mode != "view")
    return PeersessionApp(
        store=store,
        clock=clock or SystemClock(),
        settings=settings or Settings(),
        theme=theme,
        start_group=start_group,
        template=template,
        demo=demo,
        mode=mode,
        member=member,
        **kwargs,
    )
