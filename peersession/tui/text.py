"""Turning people's text into something a widget shows literally.

User text never reaches a widget as a markup string: a member called ``[/]``
would crash the app. Everything goes through :class:`textual.content.Content`
(or ``rich.text.Text`` for DataTable cells), which treat brackets as text.
Terminal control characters are made visible so a note cannot move the cursor
or change colours on a shared screen.
"""

from __future__ import annotations

import re

from textual.content import Content

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (ESC, NUL...) shown as ``�`` rather than sent to the terminal."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


def literal(text: str) -> Content:
    """User text as Content, shown exactly as typed."""
    return Content(visible(text))


def template(markup: str, **values: str) -> Content:
    """App markup with user text substituted literally: ``template("[b]$name", name=n)``."""
    return Content.from_markup(markup, **{k: visible(v) for k, v in values.items()})


def one_line(text: str, limit: int = 200) -> str:
    """Newlines flattened and very long text shortened, for list rows."""
    flat = " ".join(visible(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
