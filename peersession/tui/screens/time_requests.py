"""The opening's round of time asked for (a group whose talking time is ``requests``).

Docked over the console like every form, so the room view stays in sight.
The cursor goes down the members here, one key each for the common cases:
``enter`` takes the default (an equal share of what is left), ``x`` passes,
digits then ``enter`` ask for that many minutes. When the requests do not
fit, the status line says by how much and ``s`` accepts the proposed
scaling. Every answer is journaled as it is given; the split is the
engine's (``core/talking_time.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...core import events as ev
from ..widgets.marklist import MARK_RULE, MarkList
from ..widgets.panel import refill
from ..widgets.time_asked import request_row, requests_status

if TYPE_CHECKING:
    # The meeting screen opens this one: it is named here for mypy only.
    from .meeting import MeetingScreen

#: The most minutes one can type (the engine checks the request itself).
MAX_DIGITS = 3

KEYS_LINE = (
    "[b]enter[/b] equal share · [b]x[/b] pass · [b]0–9 enter[/b] minutes · [b]s[/b] scale to fit"
)


class RequestList(MarkList):
    """The members here, one row each; the keys are the round's (see the module)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(d), f"digit({d})", f"{d}", id=f"requests.digit{d}", show=False)
            for d in range(10)
        ],
        Binding("backspace", "erase", "Erase a digit", id="requests.erase", show=False),
        Binding("x", "pass_time", "Pass", id="requests.pass"),
        Binding("s", "scale", "Scale to fit", id="requests.scale"),
    ]

    def __init__(self, screen: TimeRequestsScreen, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.round = screen

    def action_digit(self, digit: int) -> None:
        self.round.type_digit(digit)

    def action_erase(self) -> None:
        self.round.erase()

    def action_pass_time(self) -> None:
        self.round.answer("pass")

    def action_scale(self) -> None:
        self.round.scale()


class TimeRequestsScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m", "close", "Close", id="requests.close"),
    ]

    def __init__(self, meeting_screen: MeetingScreen) -> None:
        super().__init__()
        self.meeting_screen = meeting_screen
        #: The minutes being typed, and on whose row.
        self.typing = ""
        self.typing_for: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content.from_markup(
                    "[b]Time asked for[/b]  [dim]($rule)[/dim]\n" + KEYS_LINE,
                    rule=MARK_RULE,
                )
            )
            yield Static(id="requests-status")
            yield RequestList(self, id="requests")
        yield Footer()

    def on_mount(self) -> None:
        self.show()
        members = self.query_one(RequestList)
        meeting = self.meeting_screen.meeting
        # Start on the first member who has not answered yet.
        waiting = [m for m in meeting.present if m not in meeting.requests]
        if waiting:
            members.highlight_id(waiting[0])
        members.focus()

    def _highlighted(self) -> str | None:
        option = self.query_one(RequestList).highlighted_option
        return option.id if option is not None else None

    def show(self) -> None:
        meeting = self.meeting_screen.meeting
        shares = meeting.shares()
        self.query_one("#requests-status", Static).update(requests_status(meeting, shares))
        current = self._highlighted()
        rows = [
            Option(
                request_row(
                    meeting, shares, m, self.typing if m == current and self.typing else None
                ),
                id=m,
            )
            for m in meeting.present
        ]
        refill(self.query_one(RequestList), rows)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Moving on drops a number half typed on the row left behind.
        if self.typing and event.option.id != self.typing_for:
            self.typing = ""
            self.show()

    def type_digit(self, digit: int) -> None:
        if len(self.typing) >= MAX_DIGITS or (not self.typing and digit == 0):
            return
        self.typing += str(digit)
        self.typing_for = self._highlighted()
        self.show()

    def erase(self) -> None:
        self.typing = self.typing[:-1]
        self.show()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # enter: the minutes typed, or the default when none were.
        event.stop()
        self.answer("minutes" if self.typing else "default")

    def answer(self, choice: str) -> None:
        member_id = self._highlighted()
        if member_id is None:
            return
        seconds = float(int(self.typing) * 60) if choice == "minutes" else 0.0
        self.typing = ""
        acted = self.meeting_screen.act(
            ev.TimeRequested(member_id=member_id, choice=choice, seconds=seconds)
        )
        self.show()
        if acted:
            self.query_one(RequestList).move_on()

    def scale(self) -> None:
        self.meeting_screen.act(ev.TimeRequestsScaled())
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)
