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
from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from peersession.tui.widgets.bigclock import BigClock
from peersession.tui.widgets.room import RoomView


def plain(widget: Widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def room_text(screen: Screen[Any]) -> str:
    """Every line of the room view as text (titles, lines, the clock's value)."""
    room = screen.query_one(RoomView)
    parts = [str(room.border_title or ""), str(room.border_subtitle or "")]
    parts += [plain(s) for s in room.query(Static) if s.display]
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
