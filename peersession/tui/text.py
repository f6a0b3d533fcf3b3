"""Turning people's text into something a widget shows literally.

User text never reaches a widget as a markup string: a member called ``[/]``
would crash the app. Everything goes through :class:`textual.content.Content`
(or ``rich.text.Text`` for DataTable cells), which treat brackets as text.
Terminal control characters and bidirectional overrides are made visible
(the same set as the exports, see ``core/safe_text.py``) so a note cannot move
the cursor, change colours or reorder a line on a shared screen.
"""

from __future__ import annotations

from textual.content import Content

from ..core.safe_text import neutralise


def visible(text: str) -> str:
    """Control characters (ESC, NUL...) and bidi overrides shown as ``�``."""
    return neutralise(text, keep_lines=True)


def literal(text: str) -> Content:
    """User text as Content, shown exactly as typed."""
    return Content(visible(text))


def hanging(text: str, indent: str) -> Content:
    """Multi-line user text as Content whose later lines start at ``indent``, so
    a note of several lines stays inside its bullet instead of running back to
    the left edge."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    return Content(visible(lines).replace("\n", "\n" + indent))


def template(markup: str, **values: str) -> Content:
    """App markup with user text substituted literally: ``template("[b]$name", name=n)``."""
    return Content.from_markup(markup, **{k: visible(v) for k, v in values.items()})


def one_line(text: str, limit: int = 200) -> str:
    """Newlines flattened and very long text shortened, for list rows."""
    flat = " ".join(visible(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
