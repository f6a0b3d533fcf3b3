"""Change a widget only when what it shows changes.

The meeting screen redraws a quarter of a second apart and after every key.
Textual's ``Static.update`` always repaints the widget and, by default, lays
out the whole screen again, even when the new content is the old one: on a
key press that made a dozen unchanged lines repaint, every region between them
recomposed, and a relayout of the screen, in the frame that should show the
key's effect at once. These helpers do the work only for what changed, and
ask for a layout only when a line's height can change.
"""

from __future__ import annotations

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static


def show_content(static: Static, content: Content) -> bool:
    """Show ``content`` in ``static`` unless it already shows exactly that.

    A widget of fixed height is repainted without a layout; one of auto
    height is laid out again only if the new content needs another number of
    lines at its width. Returns whether anything changed.
    """
    shown = static.content
    if isinstance(shown, Content) and shown.is_same(content):
        return False
    static.update(content, layout=False)
    height = static.styles.height
    if height is None or height.is_auto:
        width, height_now = static.content_size
        # ``update`` cleared the cached dimensions, so this measures the new content.
        needed = static.get_content_height(static.container_size, static.app.size, width)
        if not width or needed != height_now:
            static.refresh(layout=True)
    return True


def set_border_title(widget: Widget, title: str) -> None:
    """Set a border title, repainting the widget only if it changed."""
    if widget.border_title != title:
        widget.border_title = title


def set_border_subtitle(widget: Widget, subtitle: str) -> None:
    """Set a border subtitle, repainting the widget only if it changed."""
    if widget.border_subtitle != subtitle:
        widget.border_subtitle = subtitle


def set_display(widget: Widget, shown: bool) -> None:
    """Show or hide a widget, touching it only if that changes."""
    if widget.display != shown:
        widget.display = shown
