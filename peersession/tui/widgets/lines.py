"""Text widgets drawn from one reactive, so Textual decides what to repaint.

The meeting screen sets every line a quarter of a second apart and after
every key, mostly to what it already shows. A reactive compares the new value
with the old and does nothing when they are equal: a tick that changes nothing
draws nothing, and a key's frame holds only what the key changed.
"""

from __future__ import annotations

from textual.content import Content, Span
from textual.reactive import reactive
from textual.widget import Widget

#: A Content as a value: its text and its styles. (``Content == Content``
#: compares the text only, and a change of style must repaint too.)
Shown = tuple[str, tuple[Span, ...]]


def _shown(content: Content) -> Shown:
    return (content.plain, tuple(content.spans))


class Lines(Widget):
    """Some lines of people's or the app's text (a ``Content``, never markup).

    Of automatic height: a change that needs another number of rows lays the
    screen out again; one that fits the rows it has repaints them alone (a
    layout of the whole screen is most of a key's frame otherwise). Given a
    height by the stylesheet (rows, ``1fr``), a change only repaints.
    """

    DEFAULT_CSS = """
    Lines { height: auto; }
    """

    shown: reactive[Shown] = reactive(("", ()))

    def __init__(
        self, content: Content | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        if content is not None:
            self.content = content

    @property
    def content(self) -> Content:
        """What the widget shows."""
        text, spans = self.shown
        return Content(text, list(spans))

    @content.setter
    def content(self, content: Content) -> None:
        self.shown = _shown(content)

    def watch_shown(self) -> None:
        width, height = self.content_size
        if not width:  # not laid out yet (or hidden): nothing to measure against
            self.refresh(layout=True)
            return
        given = self.styles.height
        if given is not None and not given.is_auto:
            return  # a height the stylesheet gives (rows, 1fr): the text cannot change it
        # The styles as Textual itself passes them when it measures a widget's height.
        if self.content.get_height(self.styles, width) != height:  # type: ignore[arg-type]
            self.refresh(layout=True)

    def render(self) -> Content:
        return self.content


class Line(Lines):
    """One row of text: a change repaints the row and lays nothing out."""

    DEFAULT_CSS = """
    Line { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    shown: reactive[Shown] = reactive(("", ()))

    def watch_shown(self) -> None:
        """One row whatever it holds: nothing to lay out."""


class Tag(Line):
    """One row as wide as its text (``width: auto``): a change of width lays the
    row out again, one of the same width (most: "Turn 2 of 8" to "Turn 3 of 8")
    only repaints the tag."""

    DEFAULT_CSS = """
    Tag { width: auto; }
    """

    shown: reactive[Shown] = reactive(("", ()))

    def watch_shown(self) -> None:
        """Lay out when the text no longer has the width the tag was given."""
        if self.content.cell_length != self.content_size.width:
            self.refresh(layout=True)
