"""Offered at start when a session was interrupted (a crash, a killed terminal)."""

from __future__ import annotations

import shlex
from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ...core.clock import local_time
from ...store.history import HistoryStore
from ...store.live import Interrupted, set_aside_sessions, set_aside_target
from ..text import template
from .confirm import ConfirmScreen


class ResumeScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume", id="resume.resume"),
        Binding("enter", "choose('resume')", "Resume", id="resume.enter", show=False),
        Binding("d", "set_aside", "Set aside, start new…", id="resume.discard"),
        Binding("o", "swap", "Bring back the one set aside…", id="resume.restore"),
        Binding("escape", "choose(None)", "Cancel", id="resume.cancel"),
    ]

    def __init__(self, interrupted: Interrupted, now: DateTime, store: HistoryStore) -> None:
        super().__init__()
        self.interrupted = interrupted
        self.now = now
        self.store = store
        #: Sessions set aside earlier, oldest first: ``o`` swaps the newest in.
        self.set_aside = set_aside_sessions(store, interrupted.group)

    def compose(self) -> ComposeResult:
        meeting = self.interrupted.meeting
        last = meeting.entries[-1].at
        minutes = max(0, round((self.now - last).total_seconds() / 60))
        where = meeting.phase.title
        if meeting.speaker:
            where += f", {meeting.name(meeting.speaker)} speaking"
        body = template(
            "[b]A session of $group was interrupted.[/b]\n\n"
            "Started $started; last action $minutes min ago, in $where.\n"
            "Everything up to that action was saved. Timers kept running while the app was "
            "closed, as the call went on.\n\n"
            "[b]r[/b] resume where it was   [b]d[/b] set it aside and start a new one (asks "
            "first; it can be restored)   [b]esc[/b] cancel",
            group=self.interrupted.group.name,
            started=local_time(meeting.started_at).format("ddd D MMM HH:mm"),
            minutes=str(minutes),
            where=where,
        )
        with Vertical(id="resume-dialog", classes="dialog"):
            yield Static(body)
            if self.set_aside:
                when = local_time(
                    DateTime.fromtimestamp(self.set_aside[-1].stat().st_mtime, tz=self.now.tz)
                ).format("ddd D MMM HH:mm")
                yield Static(
                    template(
                        "[b]o[/b] bring back instead the session set aside on $when "
                        "(this one is set aside in its place)",
                        when=when,
                    )
                )
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Hidden when there is nothing set aside to bring back.
        return bool(self.set_aside) if action == "swap" else True

    def action_swap(self) -> None:
        """Set this one aside and bring back the last one set aside (asks first)."""
        question = template(
            "[b]Bring back the session set aside earlier?[/b]\n\n"
            "This interrupted one is set aside in its place (kept in retired/, "
            "and can be brought back the same way).",
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss("swap")

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)

    def action_set_aside(self) -> None:
        """Ask first, saying where it goes and how it comes back."""
        group = self.interrupted.group
        target = set_aside_target(self.store, group, self.interrupted.meeting.session_id)
        question = template(
            "[b]Set the interrupted session aside and start a new one?[/b]\n\n"
            "It is not saved to the history. Its journal is kept in\n  $path\n"
            "and can be brought back with\n  peersession start $group --restore",
            path=str(target),
            group=shlex.quote(group.name),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss("discard")

        self.app.push_screen(ConfirmScreen(question), answered)
