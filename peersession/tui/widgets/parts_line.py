"""A line of parts (``host Ana · facilitator Bo``) broken only between parts.

Textual wraps text at any space, so a narrow screen split ``timekeeper`` from
the name it belongs to, or a name in two. Here each part stays whole on one row
(unless it is wider than the row by itself), later rows indented under the lead.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

SEPARATOR = Content(" · ")


def pack(lead: Content, parts: Sequence[Content], width: int) -> Content:
    """``lead`` and the parts joined by `` · ``, a new row (indented as far as the
    lead) before any part that would not fit in ``width`` cells."""
    indent = Content(" " * lead.cell_length)
    rows: list[Content] = []
    row = lead
    for number, part in enumerate(parts):
        joined = row + SEPARATOR + part if number else row + part
        if number and joined.cell_length > width:
            rows.append(row)
            row = indent + part
        else:
            row = joined
    rows.append(row)
    return Content("\n").join(rows)


class PartsLine(Widget):
    """Shows a lead and parts, packed to the widget's width at every render."""

    DEFAULT_CSS = """
    PartsLine {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._lead = Content("")
        self._parts: tuple[Content, ...] = ()
        self._after: Content | None = None

    def show(self, lead: Content, parts: Sequence[Content], after: Content | None = None) -> None:
        """Show ``lead`` and ``parts``, and ``after`` on a row of its own (if given)."""
        self._lead, self._parts, self._after = lead, tuple(parts), after
        self.refresh(layout=True)

    def _packed(self, width: int) -> Content:
        if not self._parts and not self._lead:
            return Content("")
        packed = pack(self._lead, self._parts, max(width, 1))
        return packed if self._after is None else Content("\n").join([packed, self._after])

    def render(self) -> Content:
        return self._packed(self.content_region.width or self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._packed(width).wrap(max(width, 1)))
