"""Free text a person typed (a note, a ground rule, an update): the checks every door applies.

Trimmed, never empty unless allowed, bounded (refused, not truncated) and
savable as UTF-8; names are held to more (``core/names.py``).
"""

from __future__ import annotations

MAX_TEXT = 10_000
"""Longest text accepted in one field; longer text is refused, not truncated."""

#: Longest check-in update accepted: a check-in's note is one line, not an essay.
MAX_NOTE = 500


def clean_text(text: str, *, what: str = "text", allow_empty: bool = False) -> str:
    """Validate a text a person typed: trimmed, not empty, not absurdly long.

    The text is kept as typed otherwise (names, which identify people, are
    normalised too: see :func:`~peersession.core.names.clean_name`); screens and exports are
    responsible for showing it literally.
    """
    cleaned = text.strip()
    if not cleaned and not allow_empty:
        raise ValueError(f"{what} cannot be empty")
    if len(cleaned) > MAX_TEXT:
        raise ValueError(f"{what} is too long ({len(cleaned)} characters, at most {MAX_TEXT})")
    try:
        # Half a surrogate pair (from a broken paste) cannot be written as
        # UTF-8: refuse it here rather than fail when the journal is saved.
        cleaned.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} holds characters that cannot be saved") from None
    return cleaned


def clean_line(text: str, *, what: str = "text", allow_empty: bool = False) -> str:
    """A one-line field (a ground rule, a check-in's update): :func:`clean_text`
    with every run of whitespace, line breaks included, made one space. Every
    door flattens the same way, so a field that is one line stays one line."""
    return " ".join(clean_text(text, what=what, allow_empty=allow_empty).split())
