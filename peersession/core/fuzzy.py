"""The history search's ranking, as pure Python: Textual's fuzzy score, made safe.

The history screen has always ranked texts with Textual's
:class:`textual.fuzzy.FuzzySearch` (through ``tui.widgets.history_match``,
which also caps the number of letter picks tried on long notes). The
command line ranks the same way without importing Textual (a fifth of a
second at start-up): this module is that algorithm, and
``tests/test_search_index.py`` checks that it scores exactly as the screen's
matcher does.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Above this many possible letter picks, score the leftmost pick only.
MAX_PICKS = 2_000
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1024)
def _first_letters(candidate: str) -> frozenset[int]:
    return frozenset(match.start() for match in _WORD.finditer(candidate))


def _score(candidate: str, positions: list[int]) -> float:
    """Textual's heuristic: more letters, more word starts, fewer separate runs."""
    offset_count = len(positions)
    score: float = offset_count + len(_first_letters(candidate).intersection(positions))
    groups = 1
    last_offset, *offsets = positions
    for offset in offsets:
        if offset != last_offset + 1:
            groups += 1
        last_offset = offset
    normalized_groups = (offset_count - (groups - 1)) / offset_count
    return score * (1 + normalized_groups * normalized_groups)


def picks(query: str, text: str) -> int:
    """An upper bound on the ways to pick ``query``'s letters out of ``text``."""
    bound = 1
    for char in query:
        bound *= max(1, text.count(char))
        if bound > MAX_PICKS:
            break
    return bound


def leftmost(query: str, text: str) -> list[int] | None:
    offsets = []
    position = 0
    for char in query:
        found = text.find(char, position)
        if found < 0:
            return None
        offsets.append(found)
        position = found + 1
    return offsets


def _every_pick(query: str, candidate: str) -> tuple[float, list[int]]:
    """The best of every way to pick the query's letters, in order (Textual's search)."""
    letter_positions: list[list[int]] = []
    position = 0
    for offset, letter in enumerate(query):
        last_index = len(candidate) - offset
        positions: list[int] = []
        letter_positions.append(positions)
        index = position
        while (location := candidate.find(letter, index)) != -1:
            positions.append(location)
            index = location + 1
            if index >= last_index:
                break
        if not positions:
            return 0.0, []
        position = positions[0] + 1
    best: tuple[float, list[int]] = (0.0, [])
    length = len(query)

    def walk(offsets: list[int], index: int) -> None:
        nonlocal best
        for offset in letter_positions[index]:
            if not offsets or offset > offsets[-1]:
                picked = [*offsets, offset]
                if len(picked) == length:
                    value = _score(candidate, picked)
                    if value > best[0]:
                        best = (value, picked)
                else:
                    walk(picked, index + 1)

    walk([], 0)
    return best


def match(query: str, text: str) -> tuple[float, list[int]]:
    """(score, offsets of the letters matched) of ``text`` for ``query``; 0 for none.
    Case is ignored; ``query`` is taken as typed, stripped."""
    query = query.strip()
    if not query:
        return 0.0, []
    folded_query, folded = query.lower(), text.lower()
    if folded_query in folded:
        start = folded.find(folded_query)
        offsets = list(range(start, start + len(folded_query)))
        bonus = 2.0 if folded == folded_query else 1.5
        return _score(folded, offsets) * bonus, offsets
    if picks(folded_query, folded) > MAX_PICKS:
        found = leftmost(folded_query, folded)
        if found is None:
            return 0.0, []
        return _score(folded, found), found
    return _every_pick(folded_query, folded)


class FuzzyScorer:
    """Scores texts against one query: 0 when a text does not match, higher is better."""

    def __init__(self, query: str) -> None:
        self.query = query

    def score(self, text: str) -> float:
        return match(self.query, text)[0]
