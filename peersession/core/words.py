"""Small rules of English shared by the screens and the command line."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """``1 session``, ``2 sessions``, ``0 members``: a count with its noun."""
    return f"{count} {word}{'' if count == 1 else 's'}"
