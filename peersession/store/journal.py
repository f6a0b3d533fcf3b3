"""The live session's journal: one JSON line per facilitator action, fsynced.

Appending costs the same whatever the size of the history (the journal holds
one session only). A kill during an append can leave a torn last line: it was
never acknowledged (the screen moves on only after the fsync), so reading
drops it and the next append first cuts the file back to the last whole line.
A damaged line anywhere else is corruption and is reported, not skipped; a
complete line of an action type this version does not know (a newer
peersession wrote it) is refused, and the journal is never cut.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from ..core.events import Entry, action_types
from ..core.safe_text import neutralise
from ..errors import UserError
from .atomic import (
    FILE_MODE,
    append_durably,
    atomic_write_bytes,
    disk_errors,
    ensure_private_dir,
    fsync_dir,
)


class CorruptJournal(UserError):
    """A journal line other than the last cannot be read."""


class NewerJournal(CorruptJournal):
    """A complete line holds an action of a type only a newer version knows."""


@dataclass(frozen=True)
class JournalContents:
    entries: list[Entry]
    #: Bytes of whole lines; anything after is a torn, unacknowledged append.
    good_length: int
    torn_tail: bool


def encode(entry: Entry) -> bytes:
    line = json.dumps(entry.to_doc(), ensure_ascii=False, separators=(",", ":"))
    return line.encode("utf-8") + b"\n"


def read_journal(path: Path) -> JournalContents:
    """Every entry of a journal, and whether its last line is torn.

    Only a *partial* line is torn: bytes after the last newline, or a last
    line that is not even JSON (its newline reached the disk before the rest).
    A complete line that names an action this version does not know was
    written by a newer peersession: the journal is refused, untouched
    (:class:`NewerJournal`), never cut. Anything else unreadable is damage.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UserError(
            f"{path}: cannot read the live session journal ({error.strerror})"
        ) from None
    entries: list[Entry] = []
    position = 0
    torn = False
    lines = raw.split(b"\n")
    known = action_types()
    for number, line in enumerate(lines, start=1):
        is_last = number == len(lines)
        if is_last:
            # After the final newline: empty if the file ends cleanly.
            torn = bool(line.strip())
            break
        try:
            doc = json.loads(line)
        except ValueError as error:
            if number == len(lines) - 1 and not lines[-1]:
                # The last complete-looking line is garbage: a torn append whose
                # newline made it to disk before the rest. Treat as torn too.
                torn = True
                break
            raise CorruptJournal(
                f"{path}: line {number} is damaged ({error}); the journal was left untouched"
            ) from None
        entries.append(_entry(path, number, doc, known))
        position += len(line) + 1
    if not entries:
        raise CorruptJournal(f"{path}: the journal holds no readable entry; left untouched")
    return JournalContents(entries=entries, good_length=position, torn_tail=torn)


def _entry(path: Path, number: int, doc: object, known: Container[str]) -> Entry:
    """One complete line's entry, or a one-line refusal saying why it cannot be read."""
    kind = doc.get("type") if isinstance(doc, dict) else None
    if isinstance(kind, str) and kind not in known:
        raise NewerJournal(
            f"{path}: line {number} is an action this version does not know "
            f"({neutralise(kind[:40])!r}), written by a newer peersession: upgrade "
            "peersession to resume it; the journal was left untouched"
        )
    try:
        assert isinstance(doc, dict)
        return Entry.from_doc(doc)
    except (AssertionError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise CorruptJournal(
            f"{path}: line {number} is damaged ({error}); the journal was left untouched"
        ) from None


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
