"""An Input that keeps every character a person types, joiners included.

Textual's ``Input`` inserts a key's character only when ``str.isprintable()``
says so, and format characters (category ``Cf``) are not "printable" to
Python: the zero-width joiner inside 👩🏽‍🔬 was dropped, and the scientist
saved as a woman and a microscope. Names and notes hold such characters on
purpose (emoji sequences, ZWNJ in Persian, marks in mixed scripts). The
characters that could reorder or hide text (bidi overrides, controls) are still
left out here and are neutralised wherever text is shown anyway.
"""

from __future__ import annotations

import unicodedata

from textual import events
from textual.widgets import Input

from ...core.safe_text import UNSAFE


def typed_character(event: events.Key) -> str | None:
    """The character a key press types that ``Input`` would drop, if any."""
    character = event.character
    if character is None or len(character) != 1 or event.is_printable:
        return None
    if unicodedata.category(character) != "Cf" or UNSAFE.match(character):
        return None
    return character


class TextInput(Input):
    """``Input`` that also takes the format characters people type (ZWJ, ZWNJ...)."""

    async def _on_key(self, event: events.Key) -> None:
        character = typed_character(event)
        if character is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(character)
        else:
            self.replace(character, *selection)
