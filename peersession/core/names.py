"""People's names, the same at every door: one visible NFC line, compared case-folded.

A name identifies a person on every screen, in every export and at the
command line, so it is held to more than free text: one line (every run of
spaces, tabs and line breaks made one space), normalised to NFC (``Zoë`` typed
as one code point or as ``e`` and a combining diaeresis is the same name), at
most ``MAX_NAME`` characters, something visible in it, and no control
characters or bidi overrides. The CLI, the app and an imported bundle all use
:func:`clean_name`; two names are the same when their :func:`name_key` is.

"Visible" is about what a screen draws, not what Unicode calls a letter:
HANGUL FILLER (U+3164) is a letter and BRAILLE PATTERN BLANK (U+2800) a
symbol, yet both draw as a blank, so a name of them reads as no name at all.
Such blank-drawing characters count as spaces (:data:`BLANK_FILLERS`: made
one space inside a name, trimmed at its ends, like a space typed there), and
the characters that draw nothing (zero-width spaces and joiners, variation
selectors, tags, marks with nothing to sit on: :func:`draws_nothing`) are
kept in a name but are not enough to make one, and are left out when two
names are compared: ``Ana`` and ``Ana`` with a zero-width space after it
look the same, so they are the same name.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME = 200
"""Longest group or member name (one limit for both: a name is one line on a screen)."""

#: Characters that draw as an empty cell (or two) although Unicode does not call
#: them spaces: the Hangul fillers, the blank Braille cell, the music null notehead.
#: :func:`normal_name` treats them as spaces.
BLANK_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\U0001d159")

#: Unicode's default-ignorable code points (DerivedCoreProperties.txt,
#: Default_Ignorable_Code_Point): drawn as nothing unless a font has a reason to,
#: reserved ones included (drawn as nothing once assigned).
_DEFAULT_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)

# Control characters (line breaks included), the bidi embeddings, overrides and
# isolates, and lone surrogates: a name holding one is refused, not repaired.
_NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def name_key(name: str) -> str:
    """What two names are compared by: as stored (:func:`normal_name`: NFC, one
    line), case folded, without the characters that draw nothing, so ``ZOË``,
    ``zoë``, a decomposed ``Zoë`` and ``Zoë`` with a zero-width space are one name.
    (Combining marks stay: in many scripts they are the difference between two names.)"""
    folded = unicodedata.normalize("NFC", normal_name(name).casefold())
    return "".join(ch for ch in folded if not draws_nothing(ch))


def draws_nothing(ch: str) -> bool:
    """A character a screen draws as nothing: a default-ignorable code point
    (zero-width space and joiners, word joiner, soft hyphen, variation
    selectors, tags), any other format character, a control or a surrogate."""
    return _DEFAULT_IGNORABLE.match(ch) is not None or unicodedata.category(ch) in (
        "Cf",
        "Cc",
        "Cs",
    )


def has_visible_character(text: str) -> bool:
    """True unless ``text`` is only spaces, blank fillers, characters that draw
    nothing and marks with nothing to sit on: such a name cannot be told apart
    from no name."""
    return any(
        not ch.isspace()
        and ch not in BLANK_FILLERS
        and not draws_nothing(ch)
        and unicodedata.category(ch) not in ("Mn", "Me")
        for ch in text
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
    tabs, line breaks or blank fillers made one space, none at the ends)."""
    text = unicodedata.normalize("NFC", name)
    if not BLANK_FILLERS.isdisjoint(text):
        text = "".join(" " if ch in BLANK_FILLERS else ch for ch in text)
    return " ".join(text.split())


def clean_name(name: str, *, what: str = "a name") -> str:
    """A group or member name as it is stored (:func:`normal_name`), checked by
    :func:`check_name`. Raises ValueError with a one-line reason."""
    cleaned = normal_name(name)
    problem = check_name(cleaned, what=what)
    if problem:
        raise ValueError(problem)
    return cleaned
