"""Errors a user can act on.

Anything raised as a :class:`UserError` is shown as one line (on stderr for
commands, as a notification in the app) and never as a traceback. Everything
else is a bug and is allowed to be loud.

A message is held to :data:`MAX_MESSAGE` characters (:func:`cut_line`): it
often quotes what it refuses, and what it refuses can be a 10 MB value from a
hand-edited file or a pasted argument; one line must stay one line.
"""

from __future__ import annotations

#: The longest message a user is shown: about six lines of an 80-column terminal.
MAX_MESSAGE = 480


def cut_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` at most about ``limit`` characters: the start (what and where)
    and the end (what happens now) kept, the middle replaced by a count."""
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    tail = limit // 4
    left_out = len(text) - head - tail
    return f"{text[:head]} … [{left_out:,} characters left out] … {text[-tail:]}"


class UserError(Exception):
    """A problem the user can fix: bad input, a locked or unreadable data file."""

    def __init__(self, message: str) -> None:
        message = cut_line(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
