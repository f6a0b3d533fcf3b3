"""Large type drawn in solid blocks: the countdown, the speaker's name, the part.

Textual's ``Digits`` is three rows tall whatever the terminal: fine at 80x24,
small on a 250-column screen seen through a blurry video call. :class:`BigType`
draws text with a 5-row block font, as large as its box allows in BOTH
directions: a countdown given a tall, wide area fills most of it.

Names are people's text: letters outside the font are drawn by their base
letter (``é`` as ``E``) or as a blank; nothing is ever read as markup.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from itertools import zip_longest

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from ..text import one_line

ROWS = 5
GAP = 1  # font pixels between characters

#: The font: each glyph is ROWS rows of equal width, ``#`` ink and ``.`` blank.
#: Written as tuples, one string per row, so a row can never be split apart
#: (a table split on spaces once drew ``0`` as eight one-pixel rows);
#: :func:`_checked` refuses a malformed glyph when the module is imported, and
#: ``tests/e2e/test_block_type.py`` reads every glyph back against its own bitmaps.
GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "-": ("...", "...", "###", "...", "..."),
    ".": (".", ".", ".", ".", "#"),
    "'": ("#", "#", ".", ".", "."),
    "…": (".....", ".....", ".....", ".....", "#.#.#"),
    " ": ("..", "..", "..", "..", ".."),
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#..#", "##.#", "#.##", "#..#", "#..#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
}


def _checked(glyphs: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """``glyphs``, once every glyph is ROWS rows of one width, of ``#`` and ``.`` only."""
    for char, rows in glyphs.items():
        widths = {len(row) for row in rows}
        if len(rows) != ROWS or len(widths) != 1 or not set("".join(rows)) <= {"#", "."}:
            raise ValueError(f"the glyph for {char!r} is not {ROWS} rows of one width")
    return glyphs


FONT = _checked(GLYPHS)
#: Put at the end of text cut to fit (a name too long for the box).
ELLIPSIS = "…"


def glyph_text(text: str) -> str:
    """``text`` as the font can draw it: upper case, accents dropped, others blank."""
    drawn = []
    for char in text.upper():
        if char not in FONT:
            base = unicodedata.normalize("NFKD", char)[:1].upper()
            char = base if base in FONT else " "
        drawn.append(char)
    return "".join(drawn)


def text_width(text: str, scale: tuple[int, int]) -> int:
    """Cells needed across for ``text`` (already in :func:`glyph_text` form) at ``scale``."""
    if not text:
        return 0
    pixels = sum(len(FONT[c][0]) for c in text) + GAP * (len(text) - 1)
    return pixels * scale[0]


def render_big(text: str, scale: tuple[int, int]) -> list[str]:
    across, down = scale
    glyphs = [FONT[c] for c in text]
    lines: list[str] = []
    for row in range(ROWS):
        pixels = (" " * GAP).join(glyph[row] for glyph in glyphs)
        line = "".join(("█" if p == "#" else " ") * across for p in pixels)
        lines.extend([line] * down)
    return lines


def best_scale(text: str, width: int, height: int, widest: int = 2) -> tuple[int, int] | None:
    """The largest (cells across, cells down) per font pixel that fits the box, or None.

    Width and height are filled independently, so a tall box gets tall
    digits; but a pixel is never taller than two cells across by one down
    (terminal cells are about twice as tall as wide, so that is a pixel
    twice as tall as wide), nor wider than ``widest`` cells across per cell
    down: 2 keeps a pixel square (letters keep their shape), the clock
    allows 4 (digits stay readable stretched, and fill a wide screen).
    """
    across = text_width(text, (1, 1))
    if not across:
        return None
    most_across = width // across
    most_down = height // ROWS
    if most_across < 1 or most_down < 1:
        return None
    down = min(most_down, most_across)
    return (min(most_across, widest * down), down)


def fit_text(
    text: str, width: int, height: int, widest: int = 2
) -> tuple[str, tuple[int, int]] | None:
    """``text`` (in :func:`glyph_text` form) as drawn in a box: whole at the largest
    scale that fits, else cut by letters with an ellipsis at the smallest; None
    when not even one letter and the ellipsis fit."""
    scale = best_scale(text, width, height, widest)
    if scale is not None:
        return text, scale
    if height < ROWS:
        return None
    for end in range(len(text) - 1, 0, -1):
        cut = text[:end].rstrip() + ELLIPSIS
        if text_width(cut, (1, 1)) <= width:
            return cut, (1, 1)
    return None


@functools.lru_cache(maxsize=16)
def lay_out(text: str, width: int, height: int, widest: int = 2) -> tuple[str, ...] | None:
    """The rows of ``text`` (any text: drawn by :func:`glyph_text`) in block letters,
    centred in a box of ``width`` x ``height``; None if not even the smallest fits.
    Remembered: a change of value lays out the old and the new text to compare
    them, and the repaint that follows draws the new one again.

    Letters that fit are drawn whole at the largest scale, else cut by letters
    with an ellipsis (never to a word: a name's first word may be a title).
    """
    fitted = fit_text(glyph_text(text), width, height, widest)
    if fitted is None:
        return None
    lines = render_big(*fitted)
    drawn = len(lines[0]) if lines else 0
    left = max(0, (width - drawn) // 2)
    top = max(0, (height - len(lines)) // 2)
    return ("",) * top + tuple(" " * left + line for line in lines)


def changed_columns(before: Sequence[str], after: Sequence[str]) -> tuple[int, int] | None:
    """The first column and the width of the cells that differ between two drawings
    (rows of one box), or None when they draw the same cells."""
    first: int | None = None
    last = 0
    for old, new in zip_longest(before, after, fillvalue=""):
        width = max(len(old), len(new))
        old, new = old.ljust(width), new.ljust(width)
        if old == new:
            continue
        left = next(x for x in range(width) if old[x] != new[x])
        right = next(x for x in reversed(range(width)) if old[x] != new[x])
        first = left if first is None else min(first, left)
        last = max(last, right)
    return None if first is None else (first, last - first + 1)


class BigType(Widget):
    """Text in block letters, as large as the widget's box allows.

    Give it a height (``1fr`` to take what is left, or a number of rows);
    it centres the text in the box. If even the smallest scale does not fit,
    it shows the text in bold on one line, so nothing is ever lost.
    """

    DEFAULT_CSS = """
    BigType {
        width: 1fr;
        height: 1fr;
    }
    """

    #: The text. A change repaints the columns whose cells change and no more
    #: (:meth:`watch_value`): a second of the countdown is a digit or two of five.
    value: reactive[str] = reactive("", layout=False, repaint=False)
    #: Cells across per cell down a font pixel may take at most (see best_scale).
    WIDEST = 2
    #: Block letters are not text to copy (and rows are drawn without Textual's
    #: selection highlighting, see :meth:`render_line`).
    ALLOW_SELECT = False

    def __init__(self, value: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._rows_key: tuple[object, ...] | None = None
        self._rows: list[Strip] | None = None
        self.value = value

    def watch_value(self, before: str, value: str) -> None:
        """Repaint the columns whose cells differ between the two texts' drawings
        (the whole box where either is not drawn in block letters)."""
        width, height = self.size
        old = lay_out(before, width, height, self.WIDEST)
        new = lay_out(value, width, height, self.WIDEST)
        if old is None or new is None:
            # Not (or no longer) block letters: the line of plain text, whole.
            self.refresh()
            return
        columns = changed_columns(old, new)
        if columns is not None:
            self.refresh(Region(columns[0], 0, columns[1], height))

    def drawn(self) -> tuple[str, tuple[int, int] | None]:
        """What is drawn in block letters and how big: the whole text, else as
        much of it as fits, cut by letters with an ellipsis (never to a word:
        a name's first word may be a title)."""
        text = glyph_text(self.value)
        fitted = fit_text(text, self.size.width, self.size.height, self.WIDEST)
        return fitted if fitted is not None else (text, None)

    def block_lines(self) -> Sequence[str] | None:
        """The rows of block letters, centred in the box; None if they do not fit."""
        return lay_out(self.value, self.size.width, self.size.height, self.WIDEST)

    def render(self) -> Content:
        lines = self.block_lines()
        if lines is None:
            # Too small for block letters: the plain text, bold, on one line.
            return Content.styled(one_line(self.value, 200), "bold")
        return Content("\n".join(lines))

    def render_line(self, y: int) -> Strip:
        """One row, drawn straight from the block letters.

        The same cells and style as Textual makes of :meth:`render`
        (``test_room_view`` compares them), without laying out a page of
        text each time the clock changes: a row of blocks is one segment.
        """
        style = self.visual_style.rich_style
        key = (self.value, self.size, style)
        if self._rows_key != key:
            lines = self.block_lines()
            self._rows = (
                None
                if lines is None
                else [
                    # The offset is what Textual attaches to each row for the mouse.
                    Strip(
                        [Segment(line, style + RichStyle.from_meta({"offset": (0, y)}))], len(line)
                    )
                    for y, line in enumerate(lines)
                ]
            )
            self._rows_key = key
        if self._rows is None:
            return super().render_line(y)
        if y < len(self._rows):
            return self._rows[y]
        return Strip.blank(self.size.width, style)


class BigClock(BigType):
    """The countdown in block digits (which may stretch wider than letters)."""

    WIDEST = 4
