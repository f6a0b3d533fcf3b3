"""The big countdown, readable through a blurry video stream.

Its state is told three ways: a word (RUNNING, WARNING, OVERTIME, PAUSED), a
shape (▶ ▲ ■ ‖ and the border: solid, dashed, heavy, double) and a colour
from the theme, so it survives monochrome and colour-blind viewers.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Digits, Static

from ...core.durations import format_clock
from ...core.engine import TimerView
from ..text import literal
from .bigclock import BigClock

STATE_TEXT: dict[str, tuple[str, str]] = {
    "ready": ("·", "READY"),
    "running": ("▶", "RUNNING"),
    "warning": ("▲", "WARNING"),
    "overtime": ("■", "OVERTIME"),
    "paused": ("‖", "PAUSED"),
}
STATE_CLASSES = tuple(f"-{state}" for state in STATE_TEXT)


def state_line(view: TimerView) -> Content:
    shape, word = STATE_TEXT[view.state]
    if view.state == "overtime":
        extra = f"  {format_clock(-view.remaining).lstrip('-')} over"
    elif view.state == "warning":
        extra = f"  {format_clock(view.remaining)} left"
    else:
        extra = f"  of {format_clock(view.budget)}"
    return Content.assemble((f"{shape} {word}", "bold"), extra)


class TimerPanel(Vertical):
    """Who (or what) the clock is for, the countdown, and its state."""

    def compose(self) -> ComposeResult:
        yield Static(id="timer-who", markup=False)
        yield Digits("00:00", id="countdown")
        yield BigClock(id="bigclock")
        yield Static(id="timer-state", markup=False)
        yield Static(id="timer-detail", markup=False)

    def show(self, view: TimerView, title: str, detail: Content) -> None:
        self.border_title = title
        self.query_one("#timer-who", Static).update(literal(view.label))
        digits = format_clock(view.remaining)
        countdown = self.query_one("#countdown", Digits)
        if countdown.value != digits:
            countdown.update(digits)
        self.query_one(BigClock).value = digits
        self.query_one("#timer-state", Static).update(state_line(view))
        self.query_one("#timer-detail", Static).update(detail)
        wanted = f"-{view.state}"
        if not self.has_class(wanted):
            self.remove_class(*STATE_CLASSES)
            self.add_class(wanted)
