"""The one way out to the terminal for every command.

Names, notes, rules and file contents are people's text, and a bundle from
someone else can carry anything: ``\\x1b]0;pwned\\a`` would set the window
title, ``\\x1b[2J`` clear the screen, a bare carriage return overwrite a line.
Every line a command prints goes through :func:`echo`, which neutralises the
same characters as the screens and the exports (``core/safe_text.py``), so no
control character reaches the terminal unless we put it there (only the line
breaks between our own lines). Inside a line, a person's text goes through
:func:`field`, which also flattens its line breaks: a name is one line.

Commands we suggest are built with :func:`command`, shell-quoted, so they can
be pasted as they are.
"""

from __future__ import annotations

import sys
from typing import TextIO

from ..core.safe_text import neutralise
from ..core.safe_text import shell_command as command

__all__ = ["command", "echo", "field", "write_raw"]


def field(text: str) -> str:
    """A person's text for use inside one printed line: every run of whitespace
    (line breaks included) one space, unsafe characters shown as ``�``."""
    return neutralise(" ".join(text.split()))


def echo(text: str = "", *, err: bool = False) -> None:
    """Print ``text`` and a newline: the only way commands write to the terminal.

    Line breaks and tabs stay (ours, between lines); every other control
    character is neutralised, whatever the caller forgot.
    """
    stream: TextIO = sys.stderr if err else sys.stdout
    stream.write(neutralise(text, keep_lines=True) + "\n")


def write_raw(data: str) -> None:
    """A document the user asked for on standard output (an export), as it is:
    the exporters have escaped it already, and a JSON bundle carries control
    characters only as ``\\u`` escapes."""
    sys.stdout.write(data)
