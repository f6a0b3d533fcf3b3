"""The visible "stays in the room" marker, on every screen that lists items.

Its own small module: the history's first page shows it, and must not wait
for the meeting's panels (and the engine behind them) to load.
"""

from __future__ import annotations

from textual.content import Content

PRIVATE_TAG = "‹private›"


def private_tag(private: bool) -> Content:
    """The visible 'stays in the room' marker (a word, not just a colour)."""
    return Content.styled(f" {PRIVATE_TAG}", "$private-marker bold") if private else Content("")
