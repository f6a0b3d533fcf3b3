"""Errors a user can act on.

Anything raised as a :class:`UserError` is shown as one line (on stderr for
commands, as a notification in the app) and never as a traceback. Everything
else is a bug and is allowed to be loud.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: bad input, a locked or unreadable data file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
