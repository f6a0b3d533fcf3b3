"""The room view: what the people on the call read, shared by the meeting and `view`.

It shows one :class:`~peersession.core.readout.Readout` and nothing else: the
phase and who has the floor (in block letters where there is room), the
countdown (as large as its box), the state in a word, a shape, a border and a
colour, a progress bar of the timebox, who is next and after, the ask's part
and time, and how the meeting stands. It never takes keys and never opens
anything: the facilitator's controls live elsewhere, so nothing covers it.

Two arrangements: ``stacked`` (large type, the clock filling the rest: wide
or tall screens, and the follow window) and compact (the clock beside the
lines: the meeting at 80x24, with the facilitator's console below).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from ...core.engine import Meeting
from ...core.readout import Readout
from ..text import literal, one_line
from .bigclock import BigClock, BigType
from .changes import set_border_subtitle, set_border_title, set_display, show_content
from .panel import private_tag

STATE_CLASSES = ("-ready", "-running", "-warning", "-overtime", "-paused")
#: From this width the room view is stacked (block letters, the clock filling
#: the rest) beside the facilitator's console or the room's board; below it,
#: compact above them.
WIDE_COLUMNS = 120
#: Below this height the room view leaves out the block letters of the name.
SHORT_ROWS = 36
#: From this height the name and the ask's part are drawn twice as large.
LARGE_TYPE_ROWS = 60
#: The widgets inside the room view that room.tcss styles by the timer state.
STATE_STYLED = ("room-clock", "room-state", "room-bar")


class TimeboxBar(Widget):
    """How much of the timebox is used, as a bar: solid used, thin left, ■ in overtime."""

    DEFAULT_CSS = """
    TimeboxBar { height: 1; width: 1fr; }
    """

    progress: reactive[float] = reactive(0.0)
    overtime: reactive[bool] = reactive(False)

    def show(self, progress: float, overtime: bool) -> None:
        """Set the figures, repainting only if the bar drawn changes (the
        progress moves every tick; the cells of the bar far less often)."""
        before = self._drawn()
        self.set_reactive(TimeboxBar.progress, progress)
        self.set_reactive(TimeboxBar.overtime, overtime)
        if self._drawn() != before:
            self.refresh()

    def _drawn(self) -> tuple[int, int, bool]:
        """What the bar shows at this width: cells used, the percentage, overtime."""
        used = round(self.progress * max(self.size.width - 6, 1))
        return (used, round(self.progress * 100), self.overtime)

    def render(self) -> Content:
        width = max(self.size.width - 6, 1)
        used = round(self.progress * width)
        if self.overtime:
            return Content("■" * width + " OVER")
        bar = "█" * used + "░" * (width - used)
        return Content(f"{bar} {round(self.progress * 100):>3}%")


def phase_chain(meeting: Meeting, width: int) -> Content:
    """The agenda with the current phase marked; shortened names when it is narrow."""
    titles = [p.kind.title for p in meeting.phases]

    def build(short: bool) -> Content:
        parts: list[Content] = []
        for index, title in enumerate(titles):
            if index == meeting.phase_index:
                parts.append(Content.styled(f"[{title}]", "bold reverse"))
                continue
            shown = title[:3] if short else title
            if index in meeting.phase_boxes and index < meeting.phase_index:
                parts.append(Content.styled(f"✓{shown}", "dim"))
            else:
                parts.append(Content(shown))
        return Content(" › ").join(parts)

    full = build(short=False)
    return full if full.cell_length <= width else build(short=True)


class RoomView(Vertical):
    """The shared screen's content, drawn from a readout."""

    stacked: reactive[bool] = reactive(True)

    def compose(self) -> ComposeResult:
        yield Static(id="room-chain", markup=False)
        yield BigType(id="room-speaker-big")
        yield Static(id="room-speaker", markup=False)
        yield BigType(id="room-part-big")
        with Horizontal(id="room-face"):
            yield BigClock(id="room-clock")
            with Vertical(id="room-lines"):
                yield Static(id="room-state", markup=False)
                yield TimeboxBar(id="room-bar")
                yield Static(id="room-ask", markup=False)
                yield Static(id="room-next", markup=False)
                yield Static(id="room-meeting", markup=False)
                yield Static(id="room-share", markup=False)

    def fit_screen(self, size: Size) -> bool:
        """Fit the room view to a screen of ``size``; True when it is wide (the
        room view stacked, beside the rest) rather than compact (above it)."""
        wide = size.width >= WIDE_COLUMNS
        self.stacked = wide
        self.set_class(size.height < SHORT_ROWS, "-short")
        self.set_class(size.height >= LARGE_TYPE_ROWS, "-tall")
        return wide

    def watch_stacked(self, stacked: bool) -> None:
        self.set_class(stacked, "-stacked")
        self.set_class(not stacked, "-compact")

    def show(self, meeting: Meeting, readout: Readout) -> None:
        """Draw ``readout`` (the meeting gives the agenda for the chain of phases).

        Only what changed is touched (see ``changes.py``): this runs four times
        a second and on every key, and a key's frame should hold its effect
        and nothing else.
        """
        show_content(
            self.query_one("#room-chain", Static), phase_chain(meeting, self.size.width - 4)
        )
        big = readout.speaker or readout.phase_title
        self.query_one("#room-speaker-big", BigType).value = big
        if readout.speaker:
            speaker = Content.assemble(
                ("▶ ", "bold"), Content.styled(one_line(readout.speaker, 80), "bold")
            )
        else:
            speaker = Content.styled(readout.phase_title, "bold")
        show_content(self.query_one("#room-speaker", Static), speaker)
        seat = readout.hot_seat
        self.set_class(seat is not None, "-ask")
        self.set_class(readout.speaker is not None, "-speaking")
        self.query_one("#room-part-big", BigType).value = seat.part_word if seat else ""
        self.query_one("#room-clock", BigClock).value = readout.digits
        show_content(
            self.query_one("#room-state", Static), Content.styled(readout.state_line, "bold")
        )
        self.query_one("#room-bar", TimeboxBar).show(readout.progress, readout.state == "overtime")
        show_content(self.query_one("#room-ask", Static), self._ask_lines(readout))
        show_content(self.query_one("#room-next", Static), self._next_line(readout))
        show_content(
            self.query_one("#room-meeting", Static),
            Content(f"{readout.meeting_line}\n{readout.pace_line}"),
        )
        self.set_class(readout.hard_stop_warning, "-hard-stop")
        share = self.query_one("#room-share", Static)
        show_content(share, Content(readout.share_line or ""))
        set_display(share, readout.share_line is not None)
        self._set_state(f"-{readout.state}")
        set_border_title(self, f"{readout.phase_title.upper()} · {readout.heading}")
        set_border_subtitle(self, f"{readout.shape} {readout.word}")

    def _set_state(self, wanted: str) -> None:
        """Put the timer state's class on the room view, restyling only what it styles.

        A pause is a key press the room must see at once. Textual restyles a
        node and every node under it when its classes change (some 15 here,
        4 to 10 ms); the state classes style only the room view's border and
        the clock, the state line and the bar (room.tcss), so only those are
        restyled. ``test_room_view`` checks that this styles every widget as a
        full restyle would.
        """
        if self.has_class(wanted):
            return
        self.remove_class(*STATE_CLASSES, update=False)
        self.add_class(wanted, update=False)
        self.app.stylesheet.update_nodes(
            [self, *(self.query_one(f"#{name}") for name in STATE_STYLED)], animate=True
        )

    @staticmethod
    def _ask_lines(readout: Readout) -> Content:
        seat = readout.hot_seat
        if seat is None:
            return Content("")
        return Content("\n").join(
            [
                Content.assemble(
                    ("Ask: ", "bold"), literal(one_line(seat.text, 160)), private_tag(seat.private)
                ),
                Content.styled(f"{seat.part_word}: {readout.digits} left in this part", "bold"),
                Content(seat.used_line),
            ]
        )

    @staticmethod
    def _next_line(readout: Readout) -> Content:
        if not readout.next_up:
            return Content.styled("Next: the end", "bold")
        parts = [Content.styled("Next: ", "bold"), literal(one_line(readout.next_up[0], 60))]
        if len(readout.next_up) > 1:
            parts += [Content(" · then "), literal(one_line(readout.next_up[1], 60))]
        return Content.assemble(*parts)
