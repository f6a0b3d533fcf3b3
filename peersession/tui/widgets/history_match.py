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

Scoring is :mod:`peersession.core.fuzzy` (Textual's algorithm with that cap,
in pure Python, so the command line ranks the same way without Textual).
"""

from __future__ import annotations

from textual.content import Content
from textual.fuzzy import Matcher
from textual.style import Style

from ...core.fuzzy import match
from ..text import literal


class SafeMatcher:
    """Scores and highlights texts against one query (case ignored)."""

    def __init__(self, query: str) -> None:
        self.query = query.strip()
        self.matcher = Matcher(self.query, match_style=Style(bold=True, reverse=True))

    def _offsets(self, text: str) -> tuple[float, list[int]]:
        return match(self.query, text)

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
