"""A live session's journal in the shared folder, appended as the meeting goes.

``<machine>/<journal>.journal`` starts with the plain line ``peersession-journal
<format>``; then one line per journal entry, ``<position> <sealed>`` (the
position counts from 0, the sealed bytes in URL-safe base64). Each line is
sealed on its own, bound to the format, the machine, the journal's id and its
position, so a reader takes every complete line as soon as it arrives, a line
cut short is waited for, and a line moved, replayed from another journal or
swapped with another is refused. A journal is read in order and stops at the
first line that does not open: the entries after it would be replayed without
the one before.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import FILE_MODE, append_durably, write_all
from .key import GroupKey
from .layout import FORMAT, journal_name
from .sealing import Unopened, bound_to, open_sealed, seal
from .segments import Unreadable, read_bounded

HEADER = f"peersession-journal {FORMAT}\n".encode("ascii")
HEADER_PATTERN = re.compile(rb"peersession-journal (\d{1,6})\n")
#: One entry of a live session is a few hundred bytes; a line past this is not one.
LINE_LIMIT = 1 << 20
#: The most of a journal read at once (a whole meeting is well under it).
JOURNAL_LIMIT = 32 << 20
LINE = re.compile(rb"(\d{1,9}) ([A-Za-z0-9_-]{38,})\n")


def _bound(machine: str, journal_id: str, position: int) -> bytes:
    return bound_to("peersession", "journal", FORMAT, machine, journal_id, position)


class JournalWriter:
    """Appends a live session's entries to its journal in this machine's folder."""

    def __init__(self, machine_dir: Path, key: GroupKey, machine: str, journal_id: str) -> None:
        self.path = machine_dir / journal_name(journal_id)
        self._key, self._machine, self._journal_id = key, machine, journal_id
        existing = self.path.read_bytes() if self.path.exists() else b""
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        self._fd: int | None = fd
        try:
            if existing and not existing.endswith(b"\n"):
                # A line torn by a crash was never acknowledged: cut it, as the
                # local journal does, so the next line starts on a line of its own.
                existing = existing[: existing.rfind(b"\n") + 1]
                os.ftruncate(fd, len(existing))
            if not existing:
                append_durably(fd, HEADER)
        except OSError:
            self.close()
            raise
        # Resuming: the next position follows the complete lines already there.
        self.position = max(existing.count(b"\n") - 1, 0)

    def append(self, entry: dict[str, Any], *, durable: bool = True) -> None:
        """Seal one entry and append it as one line (and wait for the disk if
        ``durable``: a copy of a journal kept elsewhere need not)."""
        plaintext = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        sealed = seal(self._key, plaintext, _bound(self._machine, self._journal_id, self.position))
        line = f"{self.position} ".encode() + base64.urlsafe_b64encode(sealed).rstrip(b"=") + b"\n"
        if self._fd is None:
            raise OSError(f"{self.path.name}: the journal was closed")
        if durable:
            append_durably(self._fd, line)
        else:
            write_all(self._fd, line)
        self.position += 1

    def close(self) -> None:
        """Close the file; closing again does nothing (a closed descriptor's
        number may already be another file's)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)


@dataclass
class JournalFollower:
    """Reads a journal's complete entries as they arrive, one poll at a time."""

    path: Path
    key: GroupKey
    machine: str
    journal_id: str
    offset: int = 0
    position: int = 0
    #: Why the journal is followed no further (None while all is well).
    stopped: str | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)

    def poll(self) -> list[dict[str, Any]]:
        """The entries complete since the last poll (none after a stop)."""
        if self.stopped is not None:
            return []
        try:
            data = read_bounded(self.path, JOURNAL_LIMIT)
        except Unreadable as error:
            if error.problem != "unreadable" or self.path.exists():
                self.stopped = error.detail
            return []
        new: list[dict[str, Any]] = []
        if self.offset == 0:
            header = HEADER_PATTERN.match(data)
            if header is None:
                if len(data) >= 64 or b"\n" in data:
                    self.stopped = "not a peersession journal (damaged)"
                return []
            if int(header.group(1)) > FORMAT:
                self.stopped = f"written in format {int(header.group(1))} by a newer peersession"
                return []
            self.offset = header.end()
        while self.stopped is None:
            end = data.find(b"\n", self.offset, self.offset + LINE_LIMIT + 1)
            if end < 0:
                if len(data) - self.offset > LINE_LIMIT:
                    self.stopped = f"entry {self.position} is too long (damaged)"
                break  # the rest of the line has not arrived yet
            entry = self._open(data[self.offset : end + 1])
            if entry is None:
                break
            new.append(entry)
            self.offset, self.position = end + 1, self.position + 1
        self.entries.extend(new)
        return new

    def _open(self, line: bytes) -> dict[str, Any] | None:
        match = LINE.fullmatch(line)
        if match is None or int(match.group(1)) != self.position:
            self.stopped = f"entry {self.position} is damaged or out of place"
            return None
        try:
            body = match.group(2)
            sealed = base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4))
            plaintext = open_sealed(
                self.key, sealed, _bound(self.machine, self.journal_id, self.position)
            )
            entry = json.loads(plaintext)
        except (binascii.Error, Unopened, ValueError, RecursionError):
            self.stopped = f"entry {self.position} does not open with this group's key"
            return None
        if not isinstance(entry, dict):
            self.stopped = f"entry {self.position} is not an entry"
            return None
        return entry
