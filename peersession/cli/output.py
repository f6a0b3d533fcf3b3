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

Every line written to standard error (our errors, warnings, and argparse's
usage errors through :class:`Parser`) is cut to :data:`~peersession.errors.MAX_MESSAGE`
characters: an error quotes what it refuses, which may be megabytes long.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn, TextIO

from ..core.safe_text import neutralise
from ..core.safe_text import shell_command as command
from ..errors import cut_line

__all__ = ["Parser", "ask", "command", "echo", "field", "write_raw"]


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
    if err:
        text = "\n".join(cut_line(line) for line in text.split("\n"))
    stream.write(neutralise(text, keep_lines=True) + "\n")


def ask(question: str) -> str:
    """Ask ``question`` on stderr (stdout may be a report or JSON) and return the
    line typed, without its line break ("" at the end of input)."""
    sys.stderr.write(neutralise(cut_line(question)) + " ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer.endswith("\n"):
        sys.stderr.write("\n")  # end of input: the next line starts on its own
    return answer.rstrip("\r\n")


def write_raw(data: str) -> None:
    """A document the user asked for on standard output (an export), as it is:
    the exporters have escaped it already, and a JSON bundle carries control
    characters only as ``\\u`` escapes."""
    sys.stdout.write(data)


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors (which quote the bad value whole:
    ``invalid choice: '<10 MB>'``) are cut and neutralised like every other error."""

    def error(self, message: str) -> NoReturn:
        super().error(neutralise(cut_line(" ".join(message.split()))))
