"""Making people's text safe to leave the app: no terminal escapes, no stray markup.

Two layers, used by every export:

* :func:`one_line` neutralises what could drive a terminal or lie about the
  text (C0 and C1 control characters, ESC, NUL, DEL, bidirectional overrides,
  lone surrogates) and flattens every kind of line break into a space, so a
  field that is one line in the app stays one line in the file.
* :func:`markdown_text` then escapes Markdown (CommonMark and GitHub's
  extensions: tables, strikethrough) so the text renders as exactly the
  characters typed, never as a heading, list, link, table or raw HTML.
"""

from __future__ import annotations

import re

from ..core.safe_text import REPLACEMENT as REPLACEMENT
from ..core.safe_text import neutralise as neutralise

# Characters that are markup wherever they stand. Escaping them always (a
# backslash before ASCII punctuation is always a literal in CommonMark) is
# simpler to trust than working out where each one would take effect.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&#])")

# What turns the start of a line into a block of its own once the characters
# above are escaped: a bullet or a thematic break (``-``, ``+``, ``---``; any
# leading one is escaped, it costs nothing), or an ordered list item (``1.`` or
# ``1)`` followed by a space or nothing; ``8.5`` is left alone).
_BLOCK_START = re.compile(r"^(?:([-+])|(\d{1,9})[.)](?= |$))")


def one_line(text: str) -> str:
    """``text`` on one line: every run of whitespace (including newlines, tabs,
    and the Unicode line and paragraph separators) becomes one space, then
    unsafe characters are neutralised."""
    return neutralise(" ".join(text.split()))


def markdown_text(text: str) -> str:
    """``text`` as one line of Markdown that renders as exactly ``one_line(text)``.

    Safe at the start of a line or list item as well as in the middle of one.
    """
    escaped = _INLINE.sub(r"\\\1", one_line(text))
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    if match.group(1):
        return "\\" + escaped
    digits = match.group(2)
    return f"{digits}\\{escaped[len(digits) :]}"
