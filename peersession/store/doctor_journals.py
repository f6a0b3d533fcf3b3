"""The journals part of ``peersession doctor``: live and retired session journals.

Live journals: one that is torn at the end or ended without being saved is
finished (cut, committed) when repairing; one from a newer version or damaged
in the middle is reported and left alone. Retired journals: a finished
session missing from the history is committed again from its journal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.clock import SystemClock
from ..core.engine import Meeting
from ..core.model import Group
from ..core.record import session_record
from ..core.safe_text import shell_command
from ..errors import UserError
from .data_folder import our_files
from .doctor_report import Reporter, short
from .history import HistoryStore
from .journal import CorruptJournal, Journal, read_journal, replay
from .live import recover_ended
from .lock import LiveLock
from .storage import Tables


def _docs(tables: Tables, name: str) -> list[Any]:
    return list(tables.get(name, {}).values())


def setup_held(meeting: Meeting, held: set[str]) -> bool:
    """The journal's session is already in the history."""
    return meeting.setup.session_id in held


class JournalChecks(Reporter):
    """Checks and repairs of the journals; mixed into :class:`~.doctor.Doctor`."""

    #: Groups whose file exists but cannot be used (damaged, from the future).
    unusable: set[str]
    #: Groups whose file was rebuilt in this repair.
    rebuilt: set[str]

    @property
    def store(self) -> HistoryStore:
        raise NotImplementedError

    def not_regular(self, paths: list[Path]) -> None:
        for path in paths:
            self.problem(path, "not a regular file where peersession keeps a journal; left alone")

    def check_live_journals(self, groups: dict[str, Group]) -> None:
        journals, others = our_files(self.layout, "live", ".journal")
        self.not_regular(others)
        for path in journals:
            group = groups.get(path.stem)
            try:
                contents = read_journal(path)
                meeting = replay(path, contents)
            except CorruptJournal as error:
                self.problem(path, short(error, path) + "; set it aside by hand to start afresh")
                continue
            name = repr(group.name) if group else "a group the index does not list"
            if group is None:
                self.problem(path, f"a live session of {name}")
                continue
            for note in contents.set_aside:
                self.add("note", path, short(UserError(note), path))
            if contents.damaged_tail:
                self.keep_what_reads(path, group)
                continue
            if meeting.ended and group.id in self.unusable:
                self.problem(path, f"a session of {name} ended, but its group file is unusable")
            elif contents.torn_tail or meeting.ended:
                self.finish_live(path, group, contents.torn_tail, meeting.ended)
            else:
                self.add(
                    "note",
                    path,
                    f"a session of {name} is in progress: resume it with "
                    f"`{shell_command('start', group.name)}`",
                )

    def keep_what_reads(self, path: Path, group: Group) -> None:
        """A live journal ending in damaged lines: the repair sets the whole file
        aside in ``retired/`` and keeps the actions that read, as a resume does."""
        text = f"a session of {group.name!r} ends in damaged lines"
        fix = "set the journal aside and keep the actions before them"
        if not self.repair:
            self.problem(path, text, fix)
            return
        from .live import LiveSession

        lock = LiveLock(self.layout.live_lock_file(group.id), group.name)
        try:
            lock.acquire()
        except UserError:
            self.add("note", path, f"{text}; the session is open in a running peersession")
            return
        lock.release()
        try:
            LiveSession.resume(self.store, group, SystemClock()).suspend()
        except UserError as error:
            self.problem(path, short(error, path))
            return
        self.add("fixed", path, f"{text}: the journal was set aside in retired/, the rest kept")

    def finish_live(self, path: Path, group: Group, torn: bool, ended: bool) -> None:
        what = []
        if torn:
            what.append("its last line is torn (an action that was never acknowledged)")
        if ended:
            what.append("it ended but was not saved to the history")
        text = f"session of {group.name!r}: " + " and ".join(what)
        fix = "cut the torn line off" if not ended else "cut and commit it"
        if not self.repair:
            self.problem(path, text, fix)
            return
        lock = LiveLock(self.layout.live_lock_file(group.id), group.name)
        try:
            lock.acquire()
        except UserError:
            self.add("note", path, f"{text}; the session is open in a running peersession")
            return
        try:
            journal, _ = Journal.reopen(path)
            journal.close()
        finally:
            lock.release()
        if ended:
            recover_ended(self.store, group)
            self.add("fixed", path, f"{text}: saved to the history and retired")
        else:
            self.add("fixed", path, f"{text}: cut off")

    def check_retired_journals(self, groups: dict[str, Group], files: dict[str, Tables]) -> None:
        held = {
            group_id: {doc.get("id") for doc in _docs(tables, "sessions")}
            for group_id, tables in files.items()
        }
        paths, others = our_files(self.layout, "retired")
        self.not_regular(others)
        readable = 0
        missing: list[tuple[Meeting, Path, str | None]] = []
        for path in paths:
            if path.suffix not in (".journal", ".discarded"):
                continue
            try:
                contents = read_journal(path)
            except UserError as error:
                self.problem(path, short(error, path) + "; left as is")
                continue
            readable += 1
            if path.suffix != ".journal":
                continue  # set aside on purpose: not history
            setup = contents.entries[0].action.to_data().get("setup", {})
            group_id = setup.get("group", {}).get("id")
            if group_id in self.unusable:
                continue
            # A rebuilt file takes every journal again (committing is idempotent):
            # a session it holds may have lost commitments or reviews with the damage.
            if group_id not in self.rebuilt and setup.get("session_id") in held.get(group_id, ()):
                continue
            try:
                meeting = replay(path, contents)
            except CorruptJournal as error:
                self.problem(path, short(error, path) + "; left as is")
                continue
            if not meeting.ended:
                self.add("note", path, "a retired session that never ended; not history")
                continue
            missing.append((meeting, path, group_id))
        # Oldest first: a session reviews commitments that earlier sessions made.
        for meeting, path, group_id in sorted(missing, key=lambda item: item[0].started_at):
            if setup_held(meeting, held.get(group_id or "", set())):
                self.store.commit_session(session_record(meeting))
                continue
            self.missing_session(meeting, path, group_id in groups)
        if paths:
            self.add("ok", self.layout.retired_dir, f"{readable} journals read")

    def missing_session(self, meeting: Meeting, path: Path, group_known: bool) -> None:
        day = meeting.started_at.date().isoformat()
        text = f"the session of {day} is missing from the history"
        if not group_known:
            self.problem(path, f"{text}, and its group is not in the index")
        elif not self.repair:
            self.problem(path, text, "rebuild it from this journal")
        else:
            self.store.commit_session(session_record(meeting))
            self.add("fixed", path, f"{text}: rebuilt from this journal")
