"""The room view: what the people on the call read, shared by the meeting and `view`.

It shows one :class:`~peersession.core.readout.Readout` and nothing else: the
phase and who has the floor (in block letters where there is room), what the
countdown is for ("UPDATES · Turn 2 of 8"), the countdown (as large as its
box), the state in a word, a shape and a colour (the word and shape in a tag of
that colour), a progress bar of the timebox, who is next and after, the ask's
part and time, and how the meeting stands. It never takes keys and never opens
anything: the facilitator's controls live elsewhere, so nothing covers it.

Nothing that a key or the clock changes is drawn on the room view's frame:
its border is the same in every state and carries no title, because a change
to a widget's border repaints (and lays out) the whole bordered region, large
type and all. Each figure is a small widget of its own, so a key repaints the
rows it changed and the tick only the countdown's changed digits.

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

from ...core.engine import Meeting
from ...core.readout import Readout
from ..text import literal, one_line
from .bigclock import BigClock, BigType
from .lines import Line, Lines, Tag
from .panel import private_tag

#: From this width the room view is stacked (block letters, the clock filling
#: the rest) beside the facilitator's console or the room's board; below it,
#: compact above them.
WIDE_COLUMNS = 120
#: Below this height the room view leaves out the block letters of the name.
SHORT_ROWS = 36
#: From this height the name and the ask's part are drawn twice as large.
LARGE_TYPE_ROWS = 60


class TimeboxBar(Widget):
    """How much of the timebox is used, as a bar: solid used, thin left, ■ in overtime."""

    DEFAULT_CSS = """
    TimeboxBar { height: 1; width: 1fr; }
    """

    #: What the bar shows at its width: cells used, the percentage, overtime. The
    #: share used moves at every tick; what is drawn of it far less often.
    drawn: reactive[tuple[int, int, bool]] = reactive((0, 0, False))

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.progress = 0.0
        self.overtime = False

    def show(self, progress: float, overtime: bool) -> None:
        """Show ``progress`` (the share of the timebox used, 1 and over in overtime)."""
        self.progress, self.overtime = progress, overtime
        self.drawn = (round(progress * self._cells()), round(progress * 100), overtime)

    def _cells(self) -> int:
        return max(self.size.width - 6, 1)

    def render(self) -> Content:
        width = self._cells()
        if self.overtime:
            return Content("■" * width + " OVER")
        used = round(self.progress * width)
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
    #: The timer's state (``running``, ``paused``...): a class on each of the
    #: room view's parts marked ``timer`` (their colour), and on nothing else;
    #: those parts are restyled, the room view itself is not repainted.
    state: reactive[str] = reactive("ready", repaint=False)

    def compose(self) -> ComposeResult:
        yield Line(id="room-chain")
        yield BigType(id="room-speaker-big")
        with Horizontal(id="room-floor"):
            yield Line(id="room-speaker")
            yield Tag(id="room-heading")
        yield BigType(id="room-part-big")
        with Horizontal(id="room-face"):
            yield BigClock(id="room-clock", classes="timer")
            with Vertical(id="room-lines"):
                yield Line(id="room-state", classes="timer")
                yield TimeboxBar(id="room-bar", classes="timer")
                yield Lines(id="room-ask")
                yield Line(id="room-next")
                yield Lines(id="room-meeting")
                yield Line(id="room-share")

    def fit_screen(self, size: Size) -> bool:
        """Fit the room view to a screen of ``size``; True when it is wide (the
        room view stacked, beside the rest) rather than compact (above it)."""
        wide = size.width >= WIDE_COLUMNS
        self.stacked = wide
        self.set_class(size.height < SHORT_ROWS, "-short")
        self.set_class(size.height >= LARGE_TYPE_ROWS, "-tall")
        return wide

    def watch_stacked(self, stacked: bool) -> None:
        self.update_classes({"-stacked": stacked, "-compact": not stacked})

    def watch_state(self, before: str, state: str) -> None:
        classes = {f"-{before}": False, f"-{state}": True}
        # A pause is a key press the room must see at once, and a class set on
        # the room view would restyle every widget in it (most of the frame's
        # work). The state colours only the parts marked ``timer`` (room.tcss
        # keys no other rule on it), so each of those takes the class itself
        # and they are restyled alone, in one pass.
        parts = list(self.query(".timer"))
        for node in parts:
            node.update_classes(classes, update=False)
        self.app.stylesheet.update_nodes(parts, animate=True)

    def show(self, meeting: Meeting, readout: Readout) -> None:
        """Draw ``readout`` (the meeting gives the agenda for the chain of phases).

        Every part is a reactive: what did not change since the last call
        (most of it, four times a second) is not drawn again.
        """
        self.query_one("#room-chain", Line).content = phase_chain(meeting, self.size.width - 4)
        self.query_one("#room-speaker-big", BigType).value = readout.speaker or readout.phase_title
        if readout.speaker:
            speaker = Content.assemble(
                ("▶ ", "bold"), Content.styled(one_line(readout.speaker, 80), "bold")
            )
        else:
            speaker = Content.styled(readout.phase_title, "bold")
        self.query_one("#room-speaker", Line).content = speaker
        self.query_one("#room-heading", Tag).content = Content.styled(
            f"{readout.phase_title.upper()} · {readout.heading}", "bold"
        )
        seat = readout.hot_seat
        self.update_classes(
            {
                "-ask": seat is not None,
                "-speaking": readout.speaker is not None,
                "-hard-stop": readout.hard_stop_warning,
            }
        )
        self.query_one("#room-part-big", BigType).value = seat.part_word if seat else ""
        self.query_one("#room-clock", BigClock).value = readout.digits
        self.query_one("#room-state", Line).content = self._state_line(readout)
        self.query_one("#room-bar", TimeboxBar).show(readout.progress, readout.state == "overtime")
        self.query_one("#room-ask", Lines).content = self._ask_lines(readout)
        self.query_one("#room-next", Line).content = self._next_line(readout)
        self.query_one("#room-meeting", Lines).content = Content(
            f"{readout.meeting_line}\n{readout.pace_line}"
        )
        share = self.query_one("#room-share", Line)
        share.content = Content(readout.share_line or "")
        share.display = readout.share_line is not None
        self.state = readout.state

    @staticmethod
    def _state_line(readout: Readout) -> Content:
        # The shape and word in a tag of the state's colour (the line's colour,
        # reversed): what the room reads from afar, without colour too.
        sign, _, detail = readout.state_line.partition(" · ")
        return Content.assemble((f" {sign} ", "bold reverse"), Content.styled(f" {detail}", "bold"))

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
