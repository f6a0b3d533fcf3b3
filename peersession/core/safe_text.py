"""Characters that must not reach a terminal or a file as they are.

Shared by the screens (``tui/text.py``) and the exports (``exports/escape.py``)
so both neutralise exactly the same set: C0 and C1 control characters (ESC,
NUL, BEL...), DEL, the bidirectional embeddings, overrides and isolates that
can make a line display in another order than it reads (the "Trojan source"
characters), and lone surrogates, which cannot be written as UTF-8. Zero-width
joiners and the left-to-right/right-to-left marks stay: emoji and names in
mixed scripts need them and they cannot reorder anything.
"""

from __future__ import annotations

import re
import shlex

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"

#: Every unsafe character, line breaks and tabs included.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: The same, but keeping newlines and tabs (multi-line text on a screen).
UNSAFE_KEEP_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def neutralise(text: str, *, keep_lines: bool = False) -> str:
    """Unsafe characters replaced by ``�``: made visible rather than silently
    dropped, so the reader sees that something was there."""
    pattern = UNSAFE_KEEP_LINES if keep_lines else UNSAFE
    return pattern.sub(REPLACEMENT, text)


def shell_command(*words: str) -> str:
    """``peersession`` and ``words`` as a command that can be pasted into a shell:
    each word quoted when it needs it (``'Thursday Circle'``), and neutralised,
    since a suggested command is printed too."""
    return neutralise(" ".join(["peersession", *(shlex.quote(word) for word in words)]))
