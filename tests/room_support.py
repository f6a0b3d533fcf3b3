"""Reading what the room view shows, for Pilot tests of the meeting and `view`.

Block letters are read back into text with the tests' own bitmaps: the room
view draws the countdown, the speaker's name and the ask's part in block
letters (``tui/widgets/bigclock.py``). A picture test can only say that a
picture did not change; these helpers say what a picture *reads as*. The
bitmaps below are written here, in their own notation (``X`` ink, ``_``
blank), and never imported from the widget: a glyph drawn wrong decodes as
something else, or as nothing, and the test says which. What is read is what
the widget draws through its public line API (``Widget.render_line``).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from peersession.core.clock import FakeClock
from peersession.core.readout import compute_readout
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.view import ViewScreen
from peersession.tui.widgets.bigclock import BigClock, BigType
from peersession.tui.widgets.lines import Lines
from peersession.tui.widgets.room import RoomView

from snapshot_support import drive


def plain(widget: Widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def room_text(screen: Screen[Any]) -> str:
    """Every line of the room view as text (its lines, the clock's value)."""
    room = screen.query_one(RoomView)
    parts = [plain(s) for s in room.query(Lines) if s.display]
    parts.append(f"clock {room.query_one(BigClock).value}")
    return "\n".join(parts)


#: The height of every glyph, in font pixels.
GLYPH_ROWS = 5

#: How each character must look: rows from top to bottom, ``X`` ink, ``_`` blank.
REFERENCE: dict[str, str] = {
    "0": "XXX X_X X_X X_X XXX",
    "1": "_X_ XX_ _X_ _X_ XXX",
    "2": "XXX __X XXX X__ XXX",
    "3": "XXX __X XXX __X XXX",
    "4": "X_X X_X XXX __X __X",
    "5": "XXX X__ XXX __X XXX",
    "6": "XXX X__ XXX X_X XXX",
    "7": "XXX __X __X __X __X",
    "8": "XXX X_X XXX X_X XXX",
    "9": "XXX X_X XXX __X XXX",
    ":": "_ X _ X _",
    "-": "___ ___ XXX ___ ___",
    ".": "_ _ _ _ X",
    "'": "X X _ _ _",
    "…": "_____ _____ _____ _____ X_X_X",
    " ": "__ __ __ __ __",
    "A": "_X_ X_X XXX X_X X_X",
    "B": "XX_ X_X XX_ X_X XX_",
    "C": "_XX X__ X__ X__ _XX",
    "D": "XX_ X_X X_X X_X XX_",
    "E": "XXX X__ XX_ X__ XXX",
    "F": "XXX X__ XX_ X__ X__",
    "G": "_XX X__ X_X X_X _XX",
    "H": "X_X X_X XXX X_X X_X",
    "I": "XXX _X_ _X_ _X_ XXX",
    "J": "__X __X __X X_X _X_",
    "K": "X_X X_X XX_ X_X X_X",
    "L": "X__ X__ X__ X__ XXX",
    "M": "X___X XX_XX X_X_X X___X X___X",
    "N": "X__X XX_X X_XX X__X X__X",
    "O": "_X_ X_X X_X X_X _X_",
    "P": "XX_ X_X XX_ X__ X__",
    "Q": "_X_ X_X X_X XX_ _XX",
    "R": "XX_ X_X XX_ X_X X_X",
    "S": "_XX X__ _X_ __X XX_",
    "T": "XXX _X_ _X_ _X_ _X_",
    "U": "X_X X_X X_X X_X XXX",
    "V": "X_X X_X X_X X_X _X_",
    "W": "X___X X___X X_X_X XX_XX X___X",
    "X": "X_X X_X _X_ X_X X_X",
    "Y": "X_X X_X _X_ _X_ _X_",
    "Z": "XXX __X _X_ X__ XXX",
}

#: Cells that are ink.
INK = {"█"}


def bitmap(char: str) -> list[str]:
    """The reference rows of ``char`` (``X`` ink, ``_`` blank)."""
    rows = REFERENCE[char].split(" ")
    assert len(rows) == GLYPH_ROWS and len({len(r) for r in rows}) == 1, char
    return rows


def reference_width(text: str) -> int:
    """Font pixels across ``text`` per the reference, one blank pixel between glyphs."""
    return sum(len(bitmap(c)[0]) for c in text) + max(0, len(text) - 1)


def widget_lines(widget: Widget) -> list[str]:
    """What ``widget`` draws, row by row, as text (its public line API)."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def _runs(cells: Iterable[bool]) -> list[int]:
    lengths: list[int] = []
    last: bool | None = None
    for cell in cells:
        if cell == last:
            lengths[-1] += 1
        else:
            lengths.append(1)
            last = cell
    return lengths


def pixels(lines: list[str]) -> tuple[list[str], tuple[int, int]]:
    """The font pixels of block letters drawn in ``lines``, and the cells per pixel.

    The ink's box is cut out; its height must be a whole number of glyph
    heights and every pixel a solid block of cells, or this fails saying so.
    """
    ink = [[c in INK for c in line] for line in lines]
    rows = [y for y, row in enumerate(ink) if any(row)]
    assert rows, "no block letters drawn:\n" + "\n".join(lines)
    cols = [x for row in ink for x, on in enumerate(row) if on]
    top, bottom, left, right = rows[0], rows[-1], min(cols), max(cols)
    box = [
        [(row[x] if x < len(row) else False) for x in range(left, right + 1)]
        for row in ink[top : bottom + 1]
    ]
    height = len(box)
    assert height % GLYPH_ROWS == 0, (
        f"the letters are drawn {height} rows high, not a whole number of "
        f"{GLYPH_ROWS}-row glyphs:\n" + "\n".join(lines)
    )
    down = height // GLYPH_ROWS
    across = 0
    for row in box:
        for length in _runs(row):
            across = math.gcd(across, length)
    grid: list[str] = []
    for r in range(GLYPH_ROWS):
        out = []
        for c in range(len(box[0]) // across):
            block = {
                box[r * down + dy][c * across + dx] for dy in range(down) for dx in range(across)
            }
            assert len(block) == 1, f"pixel ({r}, {c}) is not a solid block of cells"
            out.append("X" if block.pop() else "_")
        grid.append("".join(out))
    return grid, (across, down)


def read_pixels(grid: list[str]) -> str | None:
    """The text whose reference glyphs, one blank column apart, make ``grid``.

    Where two readings fit (three dots and an ellipsis) the wider glyph is read.
    """
    width = len(grid[0])
    by_width = sorted(REFERENCE, key=lambda c: -len(bitmap(c)[0]))

    def read_from(x: int) -> str | None:
        if x == width:
            return ""
        for char in by_width:
            rows = bitmap(char)
            w = len(rows[0])
            if x + w > width or any(grid[r][x : x + w] != rows[r] for r in range(GLYPH_ROWS)):
                continue
            if x + w == width:
                return char
            if any(grid[r][x + w] != "_" for r in range(GLYPH_ROWS)):
                continue  # no blank column after it: not this glyph
            rest = read_from(x + w + 1)
            if rest is not None:
                return char + rest
        return None

    return read_from(0)


def read_blocks(lines: list[str]) -> tuple[str, tuple[int, int]]:
    """The text drawn in block letters in ``lines``, and its scale (cells across, down)."""
    grid, scale = pixels(lines)
    text = read_pixels(grid)
    assert text is not None, "these pixels read as no text:\n" + "\n".join(grid)
    return text, scale


def read_widget(widget: Any) -> tuple[str, tuple[int, int]]:
    """The block letters ``widget`` draws, read back, and their scale."""
    return read_blocks(widget_lines(widget))


def as_drawn(name: str) -> str:
    """A name as block letters can draw it: upper case, accents dropped (the
    tests' own rule, so a widget that draws letters wrong cannot agree with itself)."""
    out = []
    for char in name.upper():
        if char not in REFERENCE:
            base = unicodedata.normalize("NFKD", char)[:1].upper()
            char = base if base in REFERENCE else " "
        out.append(char)
    return "".join(out)


#: The room view's lines and blocks, which must each be whole and apart.
ROOM_PARTS = (
    "#room-chain",
    "#room-speaker-big",
    "#room-speaker",
    "#room-heading",
    "#room-part-big",
    "#room-clock",
    "#room-state",
    "#room-bar",
    "#room-ask",
    "#room-next",
    "#room-meeting",
    "#room-share",
)


def room_screen(app: Any) -> Screen[Any]:
    """The screen showing the room view (under any dialog open over it)."""
    for screen in reversed(app.screen_stack):
        if screen.query(RoomView):
            return screen  # type: ignore[no-any-return]
    raise AssertionError("no room view on screen")


#: How the room names each timer state on its state line (the tests' own words).
STATE_TAGS = {
    "ready": "· READY",
    "running": "▶ RUNNING",
    "warning": "▲ WRAP UP",
    "overtime": "■ OVERTIME",
    "paused": "‖ PAUSED",
}


def assert_room_reads(
    app: Any, *, digits: str, speaker: str | None, part: str | None, state: str | None = None
) -> None:
    """What a picture of the room must show, read back from what is drawn.

    The countdown reads as ``digits`` (which the test states, so a wrong
    timer cannot be approved by regenerating its picture) and as the meeting's
    own readout; the speaker's name is there, in block letters too where they
    are drawn (whole, or cut by letters with an ellipsis); the ask's part
    likewise; what the countdown is for is beside the speaker; the state line
    opens with the timer's state in a shape and a word (``state``, where the
    test names it); and no part of the room view overlaps another, is cut off,
    or is covered by a dialog, the console or the board.
    """
    screen = room_screen(app)
    if isinstance(screen, MeetingScreen):
        readout = screen.readout()
    else:
        assert isinstance(screen, ViewScreen) and screen.last and screen.last.meeting
        readout = compute_readout(screen.last.meeting, screen.clock.now())
    room = screen.query_one(RoomView)
    assert readout.digits == digits, f"the timer is at {readout.digits}, not {digits}"
    drawn, _scale = read_widget(room.query_one(BigClock))
    assert drawn == digits, f"the countdown reads {drawn!r}, the timer is at {digits}"
    assert readout.speaker == speaker, readout.speaker
    text = room_text(screen)
    if speaker is not None:
        assert speaker in text, f"{speaker!r} is not on the room view"
    big = room.query_one("#room-speaker-big", BigType)
    if big.region.height:
        name, _ = read_widget(big)
        whole = as_drawn(speaker or readout.phase_title)
        assert name == whole or (name.endswith("…") and whole.startswith(name[:-1])), (
            f"the name in block letters reads {name!r}, not {whole!r}"
        )
    seat = room.query_one("#room-part-big", BigType)
    if part is not None:
        assert readout.hot_seat is not None and readout.hot_seat.part_word == part
        assert f"{part}: {digits} left in this part" in text
        if seat.region.height:
            assert read_widget(seat)[0] == as_drawn(part)
    else:
        assert readout.hot_seat is None and not seat.region.height
    heading = widget_lines(room.query_one("#room-heading"))[0]
    assert heading == f"{readout.phase_title.upper()} · {readout.heading}", heading
    tag = STATE_TAGS[readout.state]
    assert state is None or readout.state == state, f"the timer is {readout.state}, not {state}"
    state_line = widget_lines(room.query_one("#room-state"))[0]
    assert state_line.startswith(f" {tag} "), f"the state line reads {state_line!r}"
    shown = [w for w in (room.query_one(selector) for selector in ROOM_PARTS) if w.region.height]
    for widget in shown:
        assert room.content_region.contains_region(widget.region), f"{widget.id} is cut off"
        for other in shown:
            if other is not widget:
                assert not widget.region.overlaps(other.region), f"{widget.id} over {other.id}"
    clock = room.query_one(BigClock)
    assert clock.region.height >= GLYPH_ROWS
    for beside in screen.query("#console, #board"):
        assert not beside.region.overlaps(room.region), f"#{beside.id} over the room view"
    for dialog in app.screen.query(".dialog"):
        assert not dialog.region.overlaps(room.region), "a dialog covers the room view"


def drive_and_read(
    clock: FakeClock,
    keys: list[str | float],
    *,
    digits: str,
    speaker: str | None,
    part: str | None = None,
    state: str | None = None,
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A snapshot's ``run_before``: play the keys (numbers advance the clock), then
    check what the picture must show (:func:`assert_room_reads`) before it is taken."""
    played = drive(clock, keys)

    async def run(pilot: Pilot[Any]) -> None:
        await played(pilot)
        assert_room_reads(pilot.app, digits=digits, speaker=speaker, part=part, state=state)

    return run
