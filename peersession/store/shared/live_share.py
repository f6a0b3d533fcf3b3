"""The live session in the shared folder: published as it goes, followed elsewhere.

The facilitator's app appends each action, once it is in the local journal,
to a sealed copy in this machine's folder of the group's shared folder
(:mod:`.live_journal`); ``peersession view GROUP`` on a member's machine
follows the newest such copy as the sync tool carries it, and computes the
timers locally from the actions' times. The local journal stays the record:
a shared folder that is gone or full costs the members their view, never the
meeting an action (one line says so, once).

A copy's name is derived from the session's id with the group's key, so a
resumed meeting appends to the same file, and the name says nothing to
anyone without the key. A finished session's copy stays a while for the
members following it to see the end, then the next pass removes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path

from ...core import events as ev
from ...core.engine import InvalidAction, Meeting
from ...errors import UserError
from ..atomic import reason
from .folder import NotShared, SharedFolder
from .key import GroupKey
from .layout import JOURNAL_NAME, is_machine_id
from .live_journal import JournalFollower, JournalWriter
from .local import LocalShare
from .notices import report

#: How long a finished session's copy stays for the members following it.
LINGER_SECONDS = 15 * 60


def journal_id(key: GroupKey, session_id: str) -> str:
    """The copy's name for a session: the same on every resume, opaque without the key."""
    digest = hashlib.blake2b(
        session_id.encode("utf-8"), key=key.secret, digest_size=16, person=b"ps-live-journal"
    )
    return digest.hexdigest()


class LivePublisher:
    """Appends a live session's actions to its copy in the shared folder."""

    def __init__(self, writer: JournalWriter) -> None:
        self.writer = writer
        self.broken = False

    @classmethod
    def open(
        cls, data_dir: Path, group_id: str, session_id: str, entries: Sequence[ev.Entry]
    ) -> LivePublisher | None:
        """The publisher of a shared group's live session, caught up with ``entries``
        (what the local journal holds); None when the group is not shared from
        here, or its folder cannot take the copy now (said in one line)."""
        local = LocalShare(data_dir, group_id)
        if not local.shared:
            return None
        writer: JournalWriter | None = None
        try:
            link, key = local.link(), local.key()
            folder = SharedFolder(link.folder, key)
            if not link.folder.is_dir() or folder.marker_format() is None:
                # A drive not mounted: making the folder again would hide the real one.
                raise NotShared(f"{link.folder}: the shared folder is not there")
            machine_dir = folder.add_machine(link.machine)
            name = journal_id(key, session_id)
            _remove_finished(machine_dir, keep=name, older_than=0)
            writer = JournalWriter(machine_dir, key, link.machine, name)
            if writer.position > len(entries):
                # The copy holds actions the local journal cut (a torn tail): start it again.
                ahead, writer = writer, None
                ahead.close()
                ahead.path.unlink()
                writer = JournalWriter(machine_dir, key, link.machine, name)
            for entry in entries[writer.position :]:
                writer.append(entry.to_doc(), durable=False)
        except (UserError, NotShared, OSError) as error:
            if writer is not None:
                with contextlib.suppress(OSError):
                    writer.close()
            _tell(error)
            return None
        return cls(writer)

    def append(self, entry: ev.Entry) -> None:
        """Append one action; a failure is said once and the copy is left behind."""
        if self.broken:
            return
        try:
            # Not waited for: the local journal is the record, and a copy cut short
            # by a crash is caught up when the meeting resumes.
            self.writer.append(entry.to_doc(), durable=False)
        except OSError as error:
            self.broken = True
            _tell(error)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.writer.close()


def _tell(error: BaseException) -> None:
    why = f"it cannot be written ({reason(error)})" if isinstance(error, OSError) else str(error)
    report(
        f"members cannot follow this session through the shared folder: {why}; "
        "the meeting goes on and is saved here",
        about=f"live:{why}",
    )


def remove_finished(data_dir: Path, group_id: str) -> None:
    """Remove this machine's copies of sessions that ended a while ago (none while
    a session of the group is live here, whose copy members may be following)."""
    local = LocalShare(data_dir, group_id)
    try:
        link = local.link()
        _remove_finished(link.folder / link.machine, keep=None, older_than=LINGER_SECONDS)
    except (UserError, OSError):
        pass  # tidying only: the next pass tries again


def _remove_finished(machine_dir: Path, *, keep: str | None, older_than: float) -> None:
    now = time.time()
    with os.scandir(machine_dir) as listing:
        for item in listing:
            found = JOURNAL_NAME.fullmatch(item.name)
            if found is None or found.group(1) == keep or not item.is_file(follow_symlinks=False):
                continue
            if now - item.stat(follow_symlinks=False).st_mtime >= older_than:
                os.unlink(item.path)


class SharedFollower:
    """Follows the newest live session copy in a shared group's folder (listed at
    every poll: a few hundred names, so a new session shows as soon as it arrives)."""

    def __init__(self, data_dir: Path, group_id: str) -> None:
        self.local = LocalShare(data_dir, group_id)
        self.meeting: Meeting | None = None
        self.problem: str | None = None
        self._key: GroupKey | None = None
        self._follower: JournalFollower | None = None

    @property
    def shared(self) -> bool:
        return self.local.shared

    def poll(self) -> Meeting | None:
        """Read what arrived since the last poll; the meeting as it stands (None
        while no session is there)."""
        self._find_newest()
        if self._follower is not None:
            self._fold(self._follower.poll())
            if self._follower.stopped is not None:
                self.problem = f"{self._follower.path}: {self._follower.stopped}; shown up to it"
        return self.meeting

    def _find_newest(self) -> None:
        try:
            copies = self._copies()
        except (UserError, OSError) as error:
            self.problem = (
                str(error)
                if isinstance(error, UserError)
                else f"the shared folder cannot be read ({reason(error)})"
            )
            return
        if not copies:
            self._follower, self.meeting = None, None
            return
        mtime, path, machine_id = max(copies)
        current = next((c for c in copies if self._follower and c[1] == self._follower.path), None)
        going_on = current is not None and not (self.meeting and self.meeting.ended)
        if going_on and current is not None and mtime - current[0] < LINGER_SECONDS:
            # Two meetings at once (two machines started one): stay with the one on
            # screen while it goes on, rather than flip between them at every action.
            return
        if self._follower is None or self._follower.path != path:
            assert self._key is not None
            name = path.name.removesuffix(".journal")
            self._follower = JournalFollower(path, self._key, machine_id, name)
            self.meeting, self.problem = None, None

    def _copies(self) -> list[tuple[float, Path, str]]:
        """Every live session copy in the folder: (modified, path, machine)."""
        link = self.local.link()
        self._key = self._key or self.local.key()
        with os.scandir(link.folder) as machines:
            machine_dirs = [
                m for m in machines if is_machine_id(m.name) and m.is_dir(follow_symlinks=False)
            ]
        found = []
        for machine_dir in machine_dirs:
            with os.scandir(machine_dir.path) as files:
                for item in files:
                    if JOURNAL_NAME.fullmatch(item.name) and item.is_file(follow_symlinks=False):
                        mtime = item.stat(follow_symlinks=False).st_mtime
                        found.append((mtime, Path(item.path), machine_dir.name))
        return found

    def _fold(self, docs: list[dict[str, object]]) -> None:
        known = ev.action_types()
        follower = self._follower
        assert follower is not None
        for number, doc in enumerate(docs, start=len(follower.entries) - len(docs)):
            try:
                if doc.get("type") not in known:
                    raise LookupError
                entry = ev.Entry.from_doc(doc)
                if self.meeting is None:
                    if not isinstance(entry.action, ev.SessionStarted):
                        raise ValueError
                    self.meeting = Meeting.replay([entry])
                else:
                    self.meeting.apply(entry)
            except (InvalidAction, LookupError, ValueError, TypeError, AttributeError):
                # Sealed with the group's key, yet not an action that follows: a
                # newer peersession's, or a member's machine that is not well.
                follower.stopped = f"entry {number} does not follow the meeting before it"
                return
