"""Small rules of English shared by the screens and the command line."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """``1 session``, ``2 sessions``, ``0 members``: a count with its noun."""
    return f"{count} {noun(count, word)}"


def noun(count: int, word: str) -> str:
    """``word`` as a count of ``count`` takes it: ``session``, ``sessions``."""
    return word if count == 1 else f"{word}s"
