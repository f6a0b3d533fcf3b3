"""Plain text cut into lines by the columns it takes on a screen, not by its length.

The plain-text recap is read in an email or a chat, in a fixed-width font
where a CJK character or an emoji takes two columns and a combining accent
none. :mod:`textwrap` counts code points, so a line of Japanese it calls 70
long is 140 columns wide, and it may cut between a letter and its accent or
inside an emoji sequence. So the recap is wrapped here: by display width,
only between grapheme clusters (what a reader sees as one character), at
spaces, after a hyphen inside a word, and between wide characters (Chinese
and Japanese run without spaces), never before closing punctuation or after
opening punctuation. A token with no place to break (a long address, whose
hyphens are left alone) keeps its own line whole rather than being cut.

The standard library's :mod:`unicodedata` is enough for the widths and the
clusters people type: accents, Hangul, emoji with skin tones, variation
selectors and zero-width joiners, and flags.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

_ZWJ = "\u200d"
_EMOJI_PRESENTATION = "\ufe0f"


def _extends(char: str) -> bool:
    """Does ``char`` belong to the cluster before it (a mark, a joiner, a modifier)?"""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == _ZWJ
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences (subdivision flags)
        or 0x1160 <= code <= 0x11FF  # Hangul medial vowels and final consonants
        or 0xD7B0 <= code <= 0xD7FF
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> Iterator[str]:
    """``text`` as the characters a reader sees, each possibly several code points."""
    cluster = ""
    for char in text:
        joined = cluster.endswith(_ZWJ)
        pairs_flag = (
            _regional(char)
            and cluster
            and _regional(cluster[0])
            and sum(map(_regional, cluster)) % 2 == 1
        )
        if cluster and (_extends(char) or joined or pairs_flag):
            cluster += char
            continue
        if cluster:
            yield cluster
        cluster = char
    if cluster:
        yield cluster


def cluster_width(cluster: str) -> int:
    """Columns one grapheme cluster takes: 2 for wide (CJK, emoji), 0 for a
    lone mark or an invisible format character, else 1."""
    base = cluster[0]
    if unicodedata.east_asian_width(base) in ("W", "F") or _regional(base):
        return 2
    if _EMOJI_PRESENTATION in cluster:
        return 2
    if _extends(base) or (unicodedata.category(base) == "Cf" and base != "\u00ad"):
        return 0
    return 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a fixed-width font."""
    if text.isascii():
        return len(text)
    return sum(cluster_width(c) for c in graphemes(text))


# No line starts with these (closing punctuation, small kana, the long vowel mark)...
_NO_START = frozenset(
    ",.;:!?)]}、。，．・：；？！）」』】〕〉》〙〗〟’”ー…‥々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
# ...and none ends with these (opening punctuation).
_NO_END = frozenset("([{（「『【〔〈《〘〖〝‘“")


def _can_break(before: str, after: str) -> bool:
    """May a line end between the clusters ``before`` and ``after`` of one word?"""
    if after[0] in _NO_START or before[-1] in _NO_END:
        return False
    if before == "-":
        return False  # only a hyphen between letters breaks; see _pieces
    return cluster_width(before) == 2 or cluster_width(after) == 2


def _pieces(word: str) -> list[str]:
    """``word`` cut where a line may end inside it (between wide characters,
    after a hyphen joining two letters, unless the word is an address that
    would no longer work cut): the pieces are never split further."""
    clusters = list(graphemes(word))
    address = "/" in word or "@" in word
    pieces: list[str] = []
    current = ""
    for index, cluster in enumerate(clusters):
        if current:
            previous = clusters[index - 1]
            hyphen = (
                not address
                and previous == "-"
                and index >= 2
                and clusters[index - 2][0].isalpha()
                and cluster[0].isalpha()
            )
            if hyphen or _can_break(previous, cluster):
                pieces.append(current)
                current = ""
        current += cluster
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, width: int, initial: str = "", subsequent: str = "") -> list[str]:
    """``text`` (one line) in lines of at most ``width`` columns, the first
    after ``initial`` and the rest after ``subsequent`` (a hanging indent).

    Spaces where a line breaks are dropped; a piece with no place to break that
    is wider than a line gets a line of its own, whole.
    """
    lines: list[str] = []
    line, used, empty = initial, display_width(initial), True
    for index, word in enumerate(text.split(" ")):
        for number, piece in enumerate(_pieces(word)):
            spaced = number == 0 and index > 0 and not empty
            needed = display_width(piece) + (1 if spaced else 0)
            if not empty and used + needed > width:
                lines.append(line)
                line, used, empty = subsequent, display_width(subsequent), True
                spaced, needed = False, display_width(piece)
            line += (" " if spaced else "") + piece
            used += needed
            empty = False
    lines.append(line.rstrip() if empty else line)
    return lines
