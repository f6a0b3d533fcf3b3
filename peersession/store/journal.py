"""The live session's journal: one JSON line per facilitator action, fsynced.

Appending costs the same whatever the size of the history (the journal holds
one session only). A kill during an append can leave a torn last line: it was
never acknowledged (the screen moves on only after the fsync), so reading
drops it and the next append first cuts the file back to the last whole line.
A complete line of an action type this version does not know (a newer
peersession wrote it) is refused, and the journal is never cut.

Every line is a stored record, held to its action's declared shape
(``core/events.py``, the same value rules as the history and a bundle), and
the lines run in order from the session's start. What a bad copy or a sync
conflict leaves is recovered where the intent is plain, and said: a line
repeated byte for byte is the same action twice (skipped), and whole lines at
the end that do not read leave the actions before them (a resume sets the
file aside first). Damage with good lines after it, or a lost first line, is
refused in one line naming the file and the line, never quoting it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.events import Entry, SessionStarted, action_types
from ..errors import UserError
from .atomic import (
    FILE_MODE,
    append_durably,
    atomic_write_bytes,
    disk_errors,
    ensure_private_dir,
    fsync_dir,
)

if TYPE_CHECKING:
    from ..core.engine import Meeting


class CorruptJournal(UserError):
    """A journal line other than the last cannot be read."""


class NewerJournal(CorruptJournal):
    """A complete line holds an action of a type only a newer version knows."""


@dataclass(frozen=True)
class JournalContents:
    entries: list[Entry]
    #: Bytes of the lines read; anything after is a torn, unacknowledged append
    #: or a damaged tail (:attr:`damaged_tail`).
    good_length: int
    torn_tail: bool
    #: The line number of each entry (1 is the first line of the file).
    lines: tuple[int, ...] = ()
    #: One line each, naming the file and the line: what reading set aside (a
    #: line repeated, a damaged tail), never what the lines hold.
    set_aside: tuple[str, ...] = ()
    #: The journal ends in whole lines that do not read: the actions before them
    #: are kept, and a resume moves the tail aside before appending after it.
    damaged_tail: bool = False


def encode(entry: Entry) -> bytes:
    line = json.dumps(entry.to_doc(), ensure_ascii=False, separators=(",", ":"))
    return line.encode("utf-8") + b"\n"


#: What a line that does not read raises, from the JSON parser to the
#: declared records (``core/journal_records.py`` raises ValueError).
_UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


_ACTION_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def decode_line(line: bytes, known: Container[str]) -> Entry:
    """The entry of one complete line, held to its declared shape
    (``core/events.py``). Raises ``ValueError`` saying which field is wrong
    (never what it holds), or :class:`NewerJournal`'s message as ``LookupError``
    for an action type this version does not know."""
    doc = json.loads(line)
    kind = doc.get("type") if isinstance(doc, dict) else None
    if isinstance(kind, str) and kind not in known:
        # Named only when it reads as an action's name: a line's other bytes may be
        # someone's words, and an error never repeats what a record holds.
        raise LookupError(repr(kind) if _ACTION_NAME.fullmatch(kind) else "not named here")
    if not isinstance(doc, dict):
        raise ValueError("not an action")
    return Entry.from_doc(doc)


def read_journal(path: Path) -> JournalContents:
    """Every entry of a journal, and whether its last line is torn.

    Only a *partial* line is torn: bytes after the last newline, or a last
    line that is not even JSON (its newline reached the disk before the rest).
    A complete line that names an action this version does not know was
    written by a newer peersession: the journal is refused, untouched
    (:class:`NewerJournal`), never cut.

    Every line is held to the declared shapes (``core/events.py``), and the
    entries must run in order from the session's start. Two recoveries keep
    every good action and say what they set aside (:attr:`JournalContents.set_aside`):
    a line that repeats an earlier one byte for byte (a bad copy, a sync
    conflict: the same action twice) is skipped, and whole lines at the end
    that do not read (a damaged tail) leave the actions before them. Damage
    with good lines after it is refused (:class:`CorruptJournal`), untouched.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UserError(
            f"{path}: cannot read the live session journal ({error.strerror})"
        ) from None
    return _read_lines(path, raw)


def _read_lines(path: Path, raw: bytes) -> JournalContents:
    entries: list[Entry] = []
    numbers: list[int] = []
    notes: list[str] = []
    seen: dict[bytes, int] = {}
    position = 0
    lines = raw.split(b"\n")
    # After the final newline: empty if the file ends cleanly.
    torn = bool(lines[-1].strip())
    complete = lines[:-1]
    known = action_types()
    #: The first line that did not read, and why.
    damage: tuple[int, str] | None = None
    for number, line in enumerate(complete, start=1):
        earlier = seen.get(line)
        if earlier is not None and damage is None:
            notes.append(
                f"{path}: line {number} repeats line {earlier} (the same action twice); "
                "it was skipped"
            )
            position += len(line) + 1
            continue
        try:
            entry = decode_line(line, known)
        except LookupError as error:
            raise NewerJournal(
                f"{path}: line {number} is an action this version does not know "
                f"({error.args[0]}), written by a newer peersession: upgrade "
                "peersession to resume it; the journal was left untouched"
            ) from None
        except _UNREADABLE as error:
            if number == len(complete) and not torn and damage is None and _not_json(line):
                # The last complete-looking line is garbage: a torn append whose
                # newline made it to disk before the rest. Treat as torn too.
                torn = True
                break
            damage = damage or (number, _problem(error))
            continue
        problem = _out_of_place(entry, entries)
        if problem is not None:
            damage = damage or (number, problem)
            continue
        if damage is not None:
            line_number, why = damage
            raise CorruptJournal(
                f"{path}: line {line_number} is damaged ({why}); the journal was left untouched"
            )
        seen[line] = number
        entries.append(entry)
        numbers.append(number)
        position += len(line) + 1
    if not entries:
        why = f"line 1 is damaged ({damage[1]})" if damage else "it holds no readable entry"
        raise CorruptJournal(f"{path}: {why}; the journal was left untouched")
    if damage is not None:
        line_number, why = damage
        notes.append(
            f"{path}: line {line_number} and after are damaged ({why}); the "
            f"{len(entries)} actions before it were kept and the rest set aside"
        )
    return JournalContents(
        entries=entries,
        good_length=position,
        torn_tail=torn,
        lines=tuple(numbers),
        set_aside=tuple(notes),
        damaged_tail=damage is not None,
    )


def _not_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return True
    return False


def _problem(error: BaseException) -> str:
    """Why a line does not read, in words that name a field, never its value."""
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON at column {error.colno}"
    if isinstance(error, ValueError) and not isinstance(error, UnicodeError):
        return str(error)  # the declared shapes name the field and never the value
    if isinstance(error, RecursionError):
        return "nested beyond reason"
    return "not an action this version can read"


def _out_of_place(entry: Entry, before: list[Entry]) -> str | None:
    """Why ``entry`` cannot follow ``before`` in a journal, or None."""
    starts = isinstance(entry.action, SessionStarted)
    if not before:
        if not starts:
            return "the journal does not begin with the session's start: its first line is lost"
        return None
    if starts:
        return "a second start of the session"
    if entry.seq <= before[-1].seq:
        return "its sequence number is out of order"
    return None


def replay(path: Path, contents: JournalContents) -> Meeting:
    """The meeting ``contents`` holds, or :class:`CorruptJournal` naming the line
    whose action does not fit the meeting before it (the engine's reason is
    left out: it can quote the meeting's names)."""
    from ..core.engine import InvalidAction, Meeting

    numbers = contents.lines or tuple(range(1, len(contents.entries) + 1))
    entries = contents.entries
    try:
        meeting = Meeting.replay(entries[:1])
    except (InvalidAction, *_UNREADABLE, ArithmeticError, AssertionError):
        raise CorruptJournal(
            f"{path}: line {numbers[0]}, the session's start, cannot be read; "
            "the journal was left untouched"
        ) from None
    for number, entry in zip(numbers[1:], entries[1:], strict=True):
        try:
            meeting.apply(entry)
        except (InvalidAction, *_UNREADABLE, ArithmeticError, AssertionError):
            raise CorruptJournal(
                f"{path}: line {number} is an action that does not fit the meeting before "
                "it; the journal was left untouched"
            ) from None
    return meeting


class Journal:
    """An open journal file that entries are appended to."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        #: Length of the journal after the last append that succeeded.
        self._good_length: int | None = None

    @classmethod
    def create(cls, path: Path, first: Entry) -> Journal:
        """Start a journal with its first entry (written atomically: a journal
        never exists without its ``session_started`` line)."""
        with disk_errors(path, "cannot start the session journal", kept="nothing was saved"):
            ensure_private_dir(path.parent)
            if path.exists():
                raise UserError(f"{path}: a live session journal already exists")
            atomic_write_bytes(path, encode(first))
        return cls(path)

    @classmethod
    def reopen(cls, path: Path) -> tuple[Journal, JournalContents]:
        """Open an existing journal for appending, cutting off a torn last line."""
        contents = read_journal(path)
        if contents.damaged_tail:
            # Never append after damage: the next read would find it in the middle.
            raise CorruptJournal(
                f"{path}: the journal ends in damaged lines; resume the session to set "
                "them aside (the journal was left untouched)"
            )
        if contents.torn_tail:
            with disk_errors(path, "cannot cut off the torn last line", kept="it was left as is"):
                os.truncate(path, contents.good_length)
        return cls(path), contents

    def _descriptor(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND, FILE_MODE)
        return self._fd

    def append(self, entry: Entry) -> None:
        """Write one entry and return only when it is on disk.

        If the write fails part-way (a full disk can take half a line), the
        file is cut back to where it was: a partial line followed by later
        entries would read as damage in the middle of the journal.
        """
        fd = self._descriptor()
        size = os.fstat(fd).st_size
        if self._good_length is not None and size > self._good_length:
            # An earlier failed append could not be cut back: cut it now, before
            # this line lands after it (or fail, and the meeting rolls back again).
            os.ftruncate(fd, self._good_length)
            size = self._good_length
        line = encode(entry)
        try:
            append_durably(fd, line)
        except OSError:
            # If even this fails, reading still drops a torn last line, and the
            # next append cuts it first.
            self._good_length = size
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
        self._good_length = size + len(line)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def retire(self, retired_dir: Path, name: str) -> Path:
        """Move the journal out of ``live/`` once its session is in the history.

        It is kept (not deleted) so ``peersession doctor`` can rebuild a session
        from it if the history file is ever lost.
        """
        self.close()
        target = retired_dir / name
        with disk_errors(
            self.path,
            "the session is saved in the history, but its journal could not be moved to retired/",
            kept="the next start finishes this",
        ):
            ensure_private_dir(retired_dir)
            os.replace(self.path, target)
            fsync_dir(self.path.parent)
            fsync_dir(retired_dir)
        return target
