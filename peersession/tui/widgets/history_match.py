"""Textual's fuzzy matcher, made safe for people's text and long notes.

Two things in :class:`textual.fuzzy.Matcher` need care here:

* ``Matcher.highlight`` parses the candidate as markup, so a note holding
  ``[/]`` would crash it (and ``[b]`` would be styled rather than shown). The
  highlight here uses the matcher's offsets on literal text instead.
* When the query is not a plain substring, the fuzzy search tries every way
  the query's letters can be picked out of the text. That is instant for the
  command palette's short names, but a 10,000-character note and a query of
  common letters have astronomically many ways. When the count could be
  large, the first (leftmost) way is scored instead, with the same scoring.
"""

from __future__ import annotations

from textual.content import Content
from textual.fuzzy import Matcher
from textual.style import Style

from ..text import literal

#: Above this many possible letter picks, score the leftmost pick only.
MAX_PICKS = 2_000


class SafeMatcher:
    """Scores and highlights texts against one query (case ignored)."""

    def __init__(self, query: str) -> None:
        self.query = query.strip()
        self.matcher = Matcher(self.query, match_style=Style(bold=True, reverse=True))

    def _offsets(self, text: str) -> tuple[float, list[int]]:
        if not self.query:
            return 0.0, []
        query, folded = self.query.lower(), text.lower()
        if query not in folded and _picks(query, folded) > MAX_PICKS:
            leftmost = _leftmost(query, folded)
            if leftmost is None:
                return 0.0, []
            return self.matcher.fuzzy_search.score(folded, leftmost), leftmost
        score, offsets = self.matcher.fuzzy_search.match(self.query, text)
        return score, list(offsets)

    def score(self, text: str) -> float:
        """0 when ``text`` does not match; higher is better."""
        return self._offsets(text)[0]

    def highlight(self, text: str) -> Content:
        """``text`` shown literally with the matched letters highlighted."""
        content = literal(text)
        _, offsets = self._offsets(text)
        # ``literal`` swaps control characters one for one, so offsets still line
        # up; lower() can lengthen a few exotic letters, hence the bound check.
        for offset in offsets:
            if offset < len(content.plain) and not content.plain[offset].isspace():
                content = content.stylize(self.matcher.match_style, offset, offset + 1)
        return content


def _picks(query: str, text: str) -> int:
    """An upper bound on the ways to pick ``query``'s letters out of ``text``."""
    bound = 1
    for char in query:
        bound *= max(1, text.count(char))
        if bound > MAX_PICKS:
            break
    return bound


def _leftmost(query: str, text: str) -> list[int] | None:
    offsets = []
    position = 0
    for char in query:
        found = text.find(char, position)
        if found < 0:
            return None
        offsets.append(found)
        position = found + 1
    return offsets
