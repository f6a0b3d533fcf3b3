"""A search hit's text on one line, with the matches FTS5 marked shown marked.

The marks come as spans over the text (``core.search.marks_of`` read them
from ``highlight()``), never as markup: the text is shown literally
(:func:`..text.visible`, control characters made visible one for one), its
whitespace folded to single spaces, cut to a row's length around the first
match, and each span styled on the Content.
"""

from __future__ import annotations

from textual.content import Content
from textual.style import Style

from ...core.search import Span
from ..text import visible

MATCH_STYLE = Style(bold=True, reverse=True)
#: Characters of text before the first match when a long text is cut to show it.
LEAD = 40


def marked_line(text: str, marks: tuple[Span, ...], limit: int = 200) -> Content:
    """``text`` as one literal line of at most ``limit`` characters, ``marks`` styled."""
    shown = visible(text)
    if len(shown) != len(text):  # not one for one: shown unmarked rather than misplaced
        marks = ()
    flat: list[str] = []
    where: list[int] = []  # where each character of ``shown`` landed in ``flat``
    for char in shown:
        if char.isspace():
            if flat and flat[-1] != " ":
                flat.append(" ")
            where.append(len(flat) - 1 if flat else 0)
        else:
            where.append(len(flat))
            flat.append(char)
    line = "".join(flat).rstrip()
    spans = [(where[a], where[b - 1] + 1) for a, b in marks if 0 <= a < b <= len(where)]
    start = 0
    if len(line) > limit and spans and spans[0][0] > limit - LEAD:
        start = spans[0][0] - LEAD
    prefix = "…" if start else ""
    end = start + limit - len(prefix)
    suffix = "…" if end < len(line) else ""
    cut = line[start : end - len(suffix)]
    content = Content(prefix + cut + suffix)
    offset = len(prefix) - start
    for a, b in spans:
        a, b = max(a + offset, len(prefix)), min(b + offset, len(prefix) + len(cut))
        if a < b:
            content = content.stylize(MATCH_STYLE, a, b)
    return content
