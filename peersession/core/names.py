"""People's names, the same at every door: one visible NFC line, compared case-folded.

A name identifies a person on every screen, in every export and at the
command line, so it is held to more than free text: one line (every run of
spaces, tabs and line breaks made one space), normalised to NFC (``Zoë`` typed
as one code point or as ``e`` and a combining diaeresis is the same name), at
most ``MAX_NAME`` characters, something visible in it, and no control
characters or bidi overrides. The CLI, the app and an imported bundle all use
:func:`clean_name`; two names are the same when their :func:`name_key` is.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 200
"""Longest group or member name (one limit for both: a name is one line on a screen)."""

# Control characters (line breaks included), the bidi embeddings, overrides and
# isolates, and lone surrogates: a name holding one is refused, not repaired.
_NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def name_key(name: str) -> str:
    """What two names are compared by: as stored (:func:`normal_name`: NFC, one
    line), then case folded, so ``ZOË``, ``zoë`` and a decomposed ``Zoë`` are one name."""
    return unicodedata.normalize("NFC", normal_name(name).casefold())


def has_visible_character(text: str) -> bool:
    """True unless ``text`` is only spaces and invisible format characters
    (zero-width spaces and joiners, marks): such a name cannot be told apart."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn", "Me") for ch in text
    )


def check_name(name: str, *, what: str = "a name") -> str | None:
    """What is wrong with a name, or None: the one rule of every door (the CLI,
    the app, an imported bundle). A name is one visible line of at most
    ``MAX_NAME`` characters, without control characters or bidi overrides:
    it identifies a person on every screen, so it must look like what it is."""
    if not name.strip() or not has_visible_character(name):
        return f"{what} cannot be empty or only invisible characters"
    if len(name) > MAX_NAME:
        return f"{what} is at most {MAX_NAME} characters (this one has {len(name)})"
    if _NAME_UNSAFE.search(name):
        return f"{what} cannot hold line breaks, control characters or bidi overrides"
    return None


def normal_name(name: str) -> str:
    """A name as every door stores it: NFC, and one line (each run of spaces,
    tabs or line breaks made one space, none at the ends)."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def clean_name(name: str, *, what: str = "a name") -> str:
    """A group or member name as it is stored (:func:`normal_name`), checked by
    :func:`check_name`. Raises ValueError with a one-line reason."""
    cleaned = normal_name(name)
    problem = check_name(cleaned, what=what)
    if problem:
        raise ValueError(problem)
    return cleaned
