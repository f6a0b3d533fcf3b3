"""Driving shell completion from the tests.

Two ways, both on the script ``peersession completion SHELL`` prints:

* :func:`bash_replies` calls the function bash would call (the one ``complete -p
  peersession`` names) in a plain ``bash -c``, with ``COMP_LINE``, ``COMP_POINT``,
  ``COMP_WORDS`` and ``COMP_CWORD`` set as bash sets them, and reads ``COMPREPLY``.
* :func:`complete_in_terminal` types a line into an interactive bash or zsh on a
  pseudo-terminal, presses Tab, and reads back the line as the shell's own line
  editor left it: the whole path a user's key press takes.
"""

from __future__ import annotations

import functools
import os
import pty
import select
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

#: bash's default COMP_WORDBREAKS, less the blanks and the quotes.
_BREAKS = "@><=;|&(:"


def bash_words(line: str) -> list[str]:
    """``COMP_WORDS`` as bash fills them for ``line`` (the cursor at its end).

    Split at unquoted blanks and at unquoted word-break characters, each of which
    is a word of its own; quoted and escaped characters stay in their word as
    typed (seen in bash 5.2: ``start Team:\\ A`` gives ``start``, ``Team``, ``:``,
    ``\\ A``). The last word is the one being completed, empty after a blank.
    """
    words: list[str] = []
    word, quote, i = "", "", 0
    while i < len(line):
        c = line[i]
        if quote:
            word += c
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"' and i + 1 < len(line):
                i += 1
                word += line[i]
        elif c in " \t":
            if word:
                words.append(word)
            word = ""
        elif c == "\\" and i + 1 < len(line):
            word += line[i : i + 2]
            i += 1
        elif c in _BREAKS:
            if word:
                words.append(word)
            words.append(c)
            word = ""
        else:
            word += c
            if c in "'\"":
                quote = c
        i += 1
    return [*words, word]


# One bash runs every case: each line's COMP_* variables arrive NUL-separated on
# standard input, each COMPREPLY leaves NUL-separated, a record separator after.
_BASH_DRIVER = r"""
source "$SCRIPT"
completer=$(complete -p peersession)
completer=${completer##*-F }
completer=${completer%% *}
while IFS= read -r -d '' COMP_LINE && IFS= read -r -d '' count; do
  COMP_WORDS=()
  for ((i = 0; i < count; i++)); do IFS= read -r -d '' word; COMP_WORDS+=("$word"); done
  COMP_POINT=${#COMP_LINE}
  COMP_CWORD=$((count - 1))
  COMPREPLY=()
  "$completer" peersession "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  ((${#COMPREPLY[@]})) && printf '%s\0' "${COMPREPLY[@]}"
  printf '\036\0'
done
"""

# A stand-in for the real command: prints the names it is given and keeps the
# arguments it was called with (to see which data folder was asked).
_NAMES_SHIM = r"""
peersession() {
  printf '%s\0' "$@" >> "$SHIM_CALLS"; printf '\036\0' >> "$SHIM_CALLS"
  printf '%s\n' "${SHIM_NAMES[@]}"
}
mapfile -d '' SHIM_NAMES < "$SHIM_NAMES_FILE"
"""


def bash_replies(
    script: Path,
    lines: Sequence[str],
    *,
    names: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    calls: list[list[str]] | None = None,
) -> list[list[str]]:
    """``COMPREPLY`` for each of ``lines`` (typed up to the cursor).

    With ``names``, ``peersession`` is a shell function that lists them (and
    appends the arguments of each call to ``calls``); without, the real command
    on ``PATH`` (or named by the line) answers.
    """
    # A UTF-8 locale, as a person's shell has: bash folds case and counts characters by it.
    environment = {**os.environ, "LC_ALL": "C.UTF-8", **(env or {}), "SCRIPT": str(script)}
    driver = _BASH_DRIVER
    workdir = script.parent
    if names is not None:
        names_file, calls_file = workdir / "shim-names", workdir / "shim-calls"
        names_file.write_bytes(b"".join(n.encode() + b"\0" for n in names))
        calls_file.write_bytes(b"")
        environment |= {"SHIM_NAMES_FILE": str(names_file), "SHIM_CALLS": str(calls_file)}
        driver = _NAMES_SHIM + driver
    feed = b""
    for line in lines:
        words = bash_words(line)
        feed += line.encode() + b"\0" + str(len(words)).encode() + b"\0"
        feed += b"".join(w.encode() + b"\0" for w in words)
    done = subprocess.run(
        ["bash", "-c", driver],
        input=feed,
        capture_output=True,
        env=environment,
        cwd=workdir,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and not done.stderr, done.stderr.decode(errors="replace")
    replies = _records(done.stdout)
    assert len(replies) == len(lines), done.stdout
    if names is not None and calls is not None:
        calls.extend(_records((workdir / "shim-calls").read_bytes()))
    return replies


def _records(data: bytes) -> list[list[str]]:
    records: list[list[str]] = [[]]
    for field in data.split(b"\0")[:-1]:
        if field == b"\x1e":
            records.append([])
        else:
            records[-1].append(field.decode())
    return records[:-1]


# --- a real shell on a terminal --------------------------------------------------------

_SETUP = {
    # bind -x runs a command with the line in READLINE_LINE; it prints nothing.
    "bash": (
        'bind -x \'"\\C-x\\C-d": printf "%s\\n" "$READLINE_LINE" >> "$LINES_FILE"\'; '
        'source "$SCRIPT"; printf \'ready\\n\' > "$READY_FILE"\n'
    ),
    "zsh": (
        'fpath=("$SCRIPT_DIR" $fpath); autoload -U compinit; compinit -u -D; '
        'dump() { print -r -- "$BUFFER" >> "$LINES_FILE" }; zle -N dump; '
        "bindkey '^X^D' dump; print ready > \"$READY_FILE\"\n"
    ),
}
_COMMAND = {"bash": ["bash", "--norc", "--noprofile", "-i"], "zsh": ["zsh", "-f", "-i"]}


def complete_in_terminal(
    shell: str, script: Path, lines: Sequence[str], env: Mapping[str, str]
) -> list[str]:
    """Each of ``lines`` as the shell's line editor leaves it after one Tab.

    ``script`` is the completion script: sourced by bash; for zsh it must be
    named ``_peersession`` (zsh loads completion functions from ``$fpath``).
    """
    executable = shutil.which(shell)
    assert executable is not None, f"{shell} is not installed"
    work = script.parent
    lines_file, ready_file = work / f"{shell}-lines", work / f"{shell}-ready"
    environment = {
        **env,
        "HOME": str(work),
        "SCRIPT": str(script),
        "SCRIPT_DIR": str(script.parent),
        "LINES_FILE": str(lines_file),
        "READY_FILE": str(ready_file),
        "TERM": "xterm",
        "PS1": "$ ",
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: the shell, on the terminal
        try:
            os.execve(executable, _COMMAND[shell], environment)
        finally:
            os._exit(127)
    try:
        os.write(fd, _SETUP[shell].encode())
        _wait_for(fd, lambda: ready_file.exists())
        for line in lines:
            # Line by line: each Tab runs the completion (and a command) first.
            wanted = _count_lines(lines_file) + 1
            os.write(fd, line.encode() + b"\t")
            time.sleep(0.2)
            os.write(fd, b"\x18\x04")  # ctrl+x ctrl+d: write the line down
            _wait_for(fd, functools.partial(_has_lines, lines_file, wanted))
            os.write(fd, b"\x01\x0b")  # ctrl+a ctrl+k: an empty line for the next one
        os.write(fd, b"exit\n")
    finally:
        _wait_for(fd, lambda: os.waitpid(pid, os.WNOHANG)[0] != 0, fail=False)
        os.close(fd)
    return lines_file.read_text(encoding="utf-8").splitlines()


def _count_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _has_lines(path: Path, wanted: int) -> bool:
    return _count_lines(path) >= wanted


def _wait_for(fd: int, done: Callable[[], bool], *, timeout: float = 60, fail: bool = True) -> None:
    """Read (and drop) what the shell draws until ``done()`` holds."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            if fail:
                raise AssertionError("the shell did not answer in time")
            return
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return
