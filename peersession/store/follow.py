"""Following a live session from outside: read its journal, never touch it.

``peersession view`` shows the room view of a session another process is
running. It must not get in that process's way: a :class:`JournalFollower`
opens files read-only, takes no lock (the facilitator's live lock has no
timeout, so even a brief probe could make their resume fail), and writes
nothing. It reads what was appended since the last poll, whole lines only
(a line being written is read on the next poll), and folds the entries into
a :class:`Meeting` exactly as a resume would.

Whether the facilitator's app is still running is read from the kernel's
lock table (``/proc/locks``) without taking the lock; where there is none it
is unknown, and the view does not claim either way.

On a member's machine, where no session runs, a shared group's session is
followed through the shared folder instead (``store/shared/live_share.py``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from ..core import events as ev
from ..core.engine import InvalidAction, Meeting
from ..paths import DataLayout
from .journal import decode_line

if TYPE_CHECKING:
    from .shared.live_share import SharedFollower

FollowStatus = Literal["waiting", "live", "stopped", "ended"]

PROC_LOCKS = Path("/proc/locks")


@dataclass(frozen=True)
class Followed:
    """What a poll found."""

    status: FollowStatus
    meeting: Meeting | None
    #: True when the poll read something new (or the status changed).
    changed: bool
    #: A whole line the view cannot follow past, as one line naming the file and
    #: the line (never what it holds); None while everything reads.
    problem: str | None = None
    #: True when the session is followed through the group's shared folder.
    shared: bool = False


def lock_held(path: Path, proc_locks: Path = PROC_LOCKS) -> bool | None:
    """Is ``path`` locked by some process? None when the system cannot say.

    Reads the kernel's table of locks, so it neither takes nor disturbs one.
    """
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        table = proc_locks.read_text()
    except OSError:
        return None
    wanted = stat.st_ino
    for line in table.splitlines():
        # "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" (and "->" for waiters)
        for field in line.split():
            parts = field.split(":")
            if len(parts) == 3 and parts[2].isdigit() and int(parts[2]) == wanted:
                return True
    return False


class JournalFollower:
    """Polls one group's live journal and keeps a meeting in step with it."""

    def __init__(self, layout: DataLayout, group_id: str) -> None:
        self.layout = layout
        self.group_id = group_id
        self.meeting: Meeting | None = None
        self.status: FollowStatus = "waiting"
        self._identity: tuple[int, int] | None = None
        self._offset = 0
        #: The number of the next line to read, and the lines read (a line
        #: repeated byte for byte is the same action twice: skipped, as a resume does).
        self._line = 1
        self._seen: set[bytes] = set()
        self.problem: str | None = None
        #: The shared folder's copy, followed while no session runs on this machine.
        self.shared: SharedFollower | None = None
        if (layout.root / "shared" / group_id / "link.json").is_file():
            from .shared.live_share import SharedFollower

            self.shared = SharedFollower(layout.root, group_id)

    @property
    def journal(self) -> Path:
        return self.layout.journal_file(self.group_id)

    def poll(self) -> Followed:
        """Read what is new; say where the session stands."""
        before = (self.status, self.meeting.last_seq if self.meeting else 0, self.problem)
        through_shared = (
            self.shared is not None and self._identity is None and not self.journal.exists()
        )
        if through_shared:
            self._read_shared()
        else:
            self._read_live()
        after = (self.status, self.meeting.last_seq if self.meeting else 0, self.problem)
        return Followed(
            self.status,
            self.meeting,
            changed=before != after,
            problem=self.problem,
            shared=through_shared,
        )

    def _read_shared(self) -> None:
        assert self.shared is not None
        self.meeting = self.shared.poll()
        self.problem = self.shared.problem
        if self.meeting is None:
            self.status = "waiting"
        else:
            # Whether the facilitator's app still runs cannot be seen from here.
            self.status = "ended" if self.meeting.ended else "live"

    # -- reading ---------------------------------------------------------------

    def _read_live(self) -> None:
        try:
            with open(self.journal, "rb") as handle:
                stat = os.fstat(handle.fileno())
                identity = (stat.st_dev, stat.st_ino)
                if identity != self._identity or stat.st_size < self._offset:
                    # Another session (or a journal cut back): start again.
                    self._restart(identity)
                self._consume(handle)
        except FileNotFoundError:
            self._journal_gone()
            return
        if self.meeting is None:
            self.status = "waiting"
        elif self.meeting.ended:
            self.status = "ended"
        else:
            held = lock_held(self.layout.live_lock_file(self.group_id))
            self.status = "stopped" if held is False else "live"

    def _restart(self, identity: tuple[int, int]) -> None:
        self._identity = identity
        self._offset = 0
        self._line = 1
        self._seen = set()
        self.meeting = None
        self.problem = None

    def _consume(self, handle: BinaryIO) -> None:
        """Fold the whole lines appended since the last read, held to the
        journal's own rules (``store/journal.py``)."""
        handle.seek(self._offset)
        data = handle.read()
        end = data.rfind(b"\n")
        if end < 0:
            return
        known = ev.action_types()
        for line in data[: end + 1].split(b"\n")[:-1]:
            if line in self._seen:
                self._next_line(line)
                continue
            try:
                entry = decode_line(line, known)
            except (LookupError, ValueError, TypeError, AttributeError, RecursionError):
                # A torn line (its newline reached the disk, the rest did not):
                # the facilitator's app cuts it off when it resumes and writes
                # the next entry in its place, so read from here again next time.
                self.problem = f"{self.journal}: line {self._line} cannot be read; shown up to it"
                return
            if not self._fold(entry):
                self.problem = (
                    f"{self.journal}: line {self._line} does not fit the meeting before it; "
                    "shown up to it"
                )
                return
            self.problem = None
            self._seen.add(line)
            self._next_line(line)

    def _next_line(self, line: bytes) -> None:
        self._offset += len(line) + 1
        self._line += 1

    def _fold(self, entry: ev.Entry) -> bool:
        """Fold one entry; False if it cannot follow what was read before."""
        if self.meeting is None:
            if not isinstance(entry.action, ev.SessionStarted):
                return False
            try:
                self.meeting = Meeting.replay([entry])
            except (InvalidAction, ValueError, LookupError, TypeError, AttributeError):
                return False
            return True
        try:
            self.meeting.apply(entry)
        except (InvalidAction, ValueError, LookupError, TypeError, AttributeError):
            # Only valid actions are journaled: this line was not written by the
            # facilitator's app as it stands (a bad copy, a hand edit).
            return False
        return True

    def _journal_gone(self) -> None:
        """The live journal is gone: committed (retired) or set aside."""
        meeting = self.meeting
        if meeting is None:
            self.status = "waiting"
            return
        if meeting.ended:
            self.status = "ended"
            return
        retired = self.layout.retired_dir / f"{self.group_id}-{meeting.session_id}.journal"
        try:
            with open(retired, "rb") as handle:
                self._consume(handle)
        except FileNotFoundError:
            pass
        if meeting.ended:
            self.status = "ended"
        else:
            # Set aside without ending: there is nothing to follow any more.
            self.meeting = None
            self._identity = None
            self._offset = 0
            self.status = "waiting"
