"""A countdown drawn in solid blocks, scaled to fill a wide shared screen.

Textual's ``Digits`` is three rows tall whatever the terminal: fine at 80x24,
small on a 250-column screen seen through a video call. This draws the same
text with a 3x5 block font, as large as its box allows.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
    "-": ("   ", "   ", "###", "   ", "   "),
}
ROWS = 5
GAP = 1  # font pixels between characters


#: (cells per pixel across, cells per pixel down), smallest first. Terminal
#: cells are about twice as tall as wide, so pixels are wider than tall.
SCALES: tuple[tuple[int, int], ...] = ((2, 1), (3, 2), (4, 2), (6, 3), (8, 4))


def text_width(text: str, scale: tuple[int, int]) -> int:
    """Cells needed across for ``text`` at ``scale``."""
    pixels = sum(len(FONT[c][0]) for c in text if c in FONT) + GAP * (len(text) - 1)
    return pixels * scale[0]


def render_big(text: str, scale: tuple[int, int]) -> list[str]:
    across, down = scale
    glyphs = [FONT[c] for c in text if c in FONT]
    lines: list[str] = []
    for row in range(ROWS):
        pixels = (" " * GAP).join(glyph[row] for glyph in glyphs)
        line = "".join(("█" if p == "#" else " ") * across for p in pixels)
        lines.extend([line] * down)
    return lines


class BigClock(Widget):
    DEFAULT_CSS = """
    BigClock {
        height: auto;
        width: 1fr;
    }
    """

    value: reactive[str] = reactive("00:00", layout=True)

    def scale(self) -> tuple[int, int]:
        """The largest scale whose width fits (a long ``-1:02:03`` gets a smaller one)."""
        width = max(self.size.width, 1)
        fitting = [s for s in SCALES if text_width(self.value, s) <= width]
        return fitting[-1] if fitting else SCALES[0]

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return ROWS * self.scale()[1]

    def render(self) -> Content:
        return Content("\n".join(render_big(self.value, self.scale())))
