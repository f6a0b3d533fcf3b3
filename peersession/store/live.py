"""A live session: the engine, its journal, and the commit to the history.

``dispatch`` is the only way a facilitator action changes a meeting: the
engine checks it, the journal makes it durable, and only then does the call
return (and the screen move on). If the disk refuses the write, the meeting
is rolled back to what the journal holds and the error is raised.

Ending a session appends ``session_ended``, commits the record to the history
in one atomic write, and retires the journal. A crash anywhere in between is
finished on the next start: a journal that ends with ``session_ended`` is
simply committed again (committing is idempotent).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import structs

from ..core import events as ev
from ..core.clock import Clock, local_date
from ..core.engine import Meeting
from ..core.ids import new_id
from ..core.model import Group, holder_records
from ..core.record import session_record
from ..core.roles import RolesHeld, recency, settled_override
from ..core.safe_text import shell_command
from ..core.setup import LEDGER_SESSIONS, may_come_up_for_review, plan_setup
from ..core.templates import AgendaDoesNotFit, template_for
from ..core.upcoming import after_close
from ..errors import UserError
from .atomic import atomic_write_bytes, disk_errors, ensure_private_dir, fsync_dir, reason
from .history import HistoryStore
from .history_docs import GroupDocuments
from .journal import Journal, JournalContents, read_journal, replay
from .lock import LiveLock

if TYPE_CHECKING:
    from .shared.live_share import LivePublisher


def _setup_inputs(store: HistoryStore, group: Group) -> tuple[GroupDocuments, RolesHeld, int]:
    """What planning a new session reads of the group's history: the sessions
    of the airtime ledger (the last also gives the speaking order), the
    commitments a review may show, and the check-ins since the last session.
    A few dozen documents out of the group's whole history; and who held
    which role, from every session (the rota is fair over the years); and how
    many sessions came before (the new one's number decides its health check)."""
    history = store.group_documents(group.id)
    sessions = history.sessions
    return (
        GroupDocuments(
            sessions=sessions[-LEDGER_SESSIONS:],
            commitments=[c for c in history.commitments if may_come_up_for_review(c)],
            checkins=[
                c for c in history.checkins if not sessions or c.at >= sessions[-1].started_at
            ],
            goals=[g for g in history.goals if g.status == "active"],
        ),
        recency(sessions),
        len(sessions),
    )


@dataclass(frozen=True)
class Interrupted:
    """A session found in ``live/`` at start-up, not yet ended."""

    group: Group
    meeting: Meeting
    torn_tail: bool
    #: One line each: what reading the journal set aside (see ``read_journal``).
    set_aside: tuple[str, ...] = ()


class LiveSession:
    def __init__(
        self,
        store: HistoryStore,
        meeting: Meeting,
        journal: Journal,
        lock: LiveLock,
        clock: Clock,
    ) -> None:
        self.store = store
        self.meeting = meeting
        self.journal = journal
        self.lock = lock
        self.clock = clock
        #: The copy members follow in a shared group's folder (None: not shared).
        self.publisher: LivePublisher | None = None
        if store.is_shared(meeting.setup.group.id):
            from .shared.live_share import LivePublisher

            self.publisher = LivePublisher.open(
                store.root, meeting.setup.group.id, meeting.session_id, meeting.entries
            )

    # -- opening -------------------------------------------------------------------

    @staticmethod
    def _lock(store: HistoryStore, group: Group) -> LiveLock:
        lock = LiveLock(store.layout.live_lock_file(group.id), group.name)
        live_dir = store.layout.live_dir
        with disk_errors(live_dir, "cannot create the live session folder"):
            ensure_private_dir(live_dir)
        lock.acquire()
        return lock

    @classmethod
    def start(
        cls,
        store: HistoryStore,
        group: Group,
        clock: Clock,
        *,
        template_name: str | None = None,
        turn_seconds_override: float | None = None,
        guests: tuple[str, ...] = (),
    ) -> LiveSession:
        """Start a new session of ``group`` (refused if one is already in progress),
        with ``guests`` (names) who visit this session only."""
        lock = cls._lock(store, group)
        try:
            journal_path = store.layout.journal_file(group.id)
            if journal_path.exists():
                raise UserError(
                    f"a session of {group.name!r} is already in progress: resume it "
                    f"(`{shell_command('start', group.name)}`)"
                )
            try:
                template = template_for(
                    template_name or group.template,
                    group.agenda,
                    question_share=group.question_share,
                    extensions_minutes=group.extensions_minutes,
                )
            except ValueError as error:
                raise UserError(str(error)) from None
            now = clock.now()
            history, roles_held, held_before = _setup_inputs(store, group)
            sessions = history.sessions
            try:
                setup = plan_setup(
                    session_id=new_id(),
                    group=group,
                    template=template,
                    today=local_date(now),
                    recent_sessions=sessions[-LEDGER_SESSIONS:],
                    open_commitments=history.commitments,
                    checkins=history.checkins,
                    turn_seconds_override=turn_seconds_override,
                    started=now,
                    goals=history.goals,
                    roles_held=roles_held,
                    guests=[(new_id(), name) for name in guests],
                    session_number=held_before + 1,
                )
            except AgendaDoesNotFit as error:
                raise UserError(f"cannot start {group.name!r}: {error}") from None
            except ValueError as error:
                raise UserError(f"--guest: {error}") from None
            first = ev.Entry(1, now, ev.SessionStarted(setup=setup.to_doc()))
            meeting = Meeting.replay([first])
            journal = Journal.create(journal_path, first)
        except BaseException:
            lock.release()
            raise
        return cls(store, meeting, journal, lock, clock)

    @classmethod
    def resume(cls, store: HistoryStore, group: Group, clock: Clock) -> LiveSession:
        """Reopen an interrupted session exactly where it was."""
        lock = cls._lock(store, group)
        try:
            path = store.layout.journal_file(group.id)
            contents = read_journal(path)
            replay(path, contents)  # refused before anything is moved or cut
            if contents.damaged_tail:
                _keep_what_reads(store, group, path, contents)
            journal, contents = Journal.reopen(path)
            meeting = replay(path, contents)
        except BaseException:
            lock.release()
            raise
        return cls(store, meeting, journal, lock, clock)

    @staticmethod
    def interrupted(store: HistoryStore, group: Group) -> Interrupted | None:
        """The session left in ``live/`` for this group, if any (read-only look)."""
        path = store.layout.journal_file(group.id)
        if not path.exists():
            return None
        contents = read_journal(path)
        return Interrupted(group, replay(path, contents), contents.torn_tail, contents.set_aside)

    # -- acting --------------------------------------------------------------------

    def dispatch(self, action: ev.Action) -> Meeting:
        """Apply one facilitator action and return once it is on disk.

        Raises InvalidAction (nothing changed) or OSError/UserError when the
        journal cannot be written (the meeting is rolled back to the journal).
        """
        entry = ev.Entry(self.meeting.last_seq + 1, self.clock.now(), action)
        self.meeting.apply(entry)
        try:
            self.journal.append(entry)
        except BaseException as error:
            # Whatever stopped the write (a full disk, text that cannot be
            # encoded, an interrupt), the screen must show what the journal holds.
            self.meeting = Meeting.replay(self.meeting.entries[:-1])
            if isinstance(error, OSError):
                raise UserError(
                    f"could not save to {self.journal.path} ({reason(error)}); "
                    "the last action was not recorded"
                ) from None
            raise
        if self.publisher is not None:
            self.publisher.append(entry)  # after the local journal: never costs an action
        return self.meeting

    def undo(self) -> Meeting:
        target = self.meeting.last_undoable()
        if target is None:
            from ..core.engine import InvalidAction

            raise InvalidAction("there is nothing to undo")
        return self.dispatch(ev.Undo(target=target.seq))

    # -- closing -------------------------------------------------------------------

    def end(self) -> str:
        """End the session, commit it to the history, retire the journal.

        Returns the session id.
        """
        if not self.meeting.ended:
            self.dispatch(ev.SessionEnded())
        finish_commit(self.store, self.meeting, self.journal)
        self._close_publisher()
        self.lock.release()
        return self.meeting.session_id

    def suspend(self) -> None:
        """Quit without ending: the journal stays for the next start to resume."""
        self.journal.close()
        self._close_publisher()
        self.lock.release()

    def _close_publisher(self) -> None:
        if self.publisher is not None:
            self.publisher.close()
            self.publisher = None


def finish_commit(store: HistoryStore, meeting: Meeting, journal: Journal) -> None:
    """Commit an ended meeting to the history and retire its journal (idempotent).

    The session goes into the group's file, then the group's summary and what
    the session changed of the group (its roles override used, its next
    meeting) into the index in one write: two atomic writes, then the journal
    leaves ``live/``."""
    store.commit_session(session_record(meeting), _group_after(meeting))
    group_id = meeting.setup.group.id
    journal.retire(store.layout.retired_dir, f"{group_id}-{meeting.session_id}.journal")


def _group_after(meeting: Meeting) -> Callable[[Group], Group] | None:
    """What the ended session changes of its group, applied to the group as it is
    on disk then (under the lock: a member added from another terminal during
    the meeting is kept); None when nothing. Idempotent, as a commit may be run
    again."""
    used = meeting.setup.group.next_holders
    ended = meeting.ended_at
    chosen = None
    if meeting.next_meeting and ended is not None:
        from ..core.model import parse_date_doc

        chosen = parse_date_doc(meeting.next_meeting)
    if not used and chosen is None:
        return None

    def change(group: Group) -> Group:
        if used and group.next_roles:
            # The override served this session: cleared (one chosen since, for the
            # session after, stays).
            pending = settled_override(group.next_holders, used)
            group = structs.replace(group, next_roles=holder_records(pending))
        if chosen is not None and ended is not None:
            group = after_close(
                group,
                started=meeting.started_at,
                ended=ended,
                proposed=meeting.setup.proposed_next,
                chosen=chosen,
            )
        return group

    return change


def recover_ended(store: HistoryStore, group: Group) -> bool:
    """Finish committing a session that ended but whose commit was cut short."""
    path = store.layout.journal_file(group.id)
    if not path.exists():
        return False
    lock = LiveSession._lock(store, group)
    try:
        contents = read_journal(path)
        if contents.damaged_tail or not replay(path, contents).ended:
            return False  # the resume keeps what reads, and says so
        journal, contents = Journal.reopen(path)
        meeting = replay(path, contents)
        if not meeting.ended:
            journal.close()
            return False
        finish_commit(store, meeting, journal)
        return True
    finally:
        lock.release()


def _keep_what_reads(
    store: HistoryStore, group: Group, path: Path, contents: JournalContents
) -> None:
    """A journal with a damaged tail: the whole file is set aside in
    ``retired/`` as it is (never lost; ``start --restore`` brings it back),
    and the journal goes on from the actions that read, so the next append
    does not land after the damage."""
    raw = path.read_bytes()
    session_id = contents.entries[0].action.to_data()["setup"]["session_id"]
    target = set_aside_target(store, group, session_id)
    number = 1
    while target.exists():
        number += 1
        target = target.with_name(f"{group.id}-{session_id}-{number}{SET_ASIDE_SUFFIX}")
    with disk_errors(path, "cannot set the damaged end of the journal aside"):
        ensure_private_dir(target.parent)
        atomic_write_bytes(target, raw)
        atomic_write_bytes(path, raw[: contents.good_length])


#: How a set-aside journal is named in ``retired/`` (doctor knows this suffix too).
SET_ASIDE_SUFFIX = ".discarded"


def set_aside_target(store: HistoryStore, group: Group, session_id: str) -> Path:
    """Where :func:`set_aside` puts a session's journal (shown before asking)."""
    return store.layout.retired_dir / f"{group.id}-{session_id}{SET_ASIDE_SUFFIX}"


def set_aside(store: HistoryStore, group: Group) -> Path:
    """Set an interrupted session aside in ``retired/`` (never deleted); returns where.

    :func:`restore` brings it back (``peersession start GROUP --restore``).
    """
    lock = LiveSession._lock(store, group)
    try:
        path = store.layout.journal_file(group.id)
        contents = read_journal(path)
        session_id = contents.entries[0].action.to_data()["setup"]["session_id"]
        target = set_aside_target(store, group, session_id)
        return Journal(path).retire(store.layout.retired_dir, target.name)
    finally:
        lock.release()


def set_aside_sessions(store: HistoryStore, group: Group) -> list[Path]:
    """The group's set-aside sessions, oldest first."""
    folder = store.layout.retired_dir
    if not folder.is_dir():
        return []
    found = folder.glob(f"{group.id}-*{SET_ASIDE_SUFFIX}")
    return sorted(found, key=lambda p: p.stat().st_mtime_ns)


def restore(store: HistoryStore, group: Group, source: Path | None = None) -> Path:
    """Bring a set-aside session (``source``, else the most recent) back into ``live/``.

    Refused (one line, nothing moved) when a session of the group is in
    progress or none was set aside.
    """
    lock = LiveSession._lock(store, group)
    try:
        live_path = store.layout.journal_file(group.id)
        if live_path.exists():
            raise UserError(
                f"a session of {group.name!r} is in progress: end it or set it aside "
                "before restoring another"
            )
        candidates = set_aside_sessions(store, group)
        if source is None and candidates:
            source = candidates[-1]
        if source is None or source not in candidates:
            raise UserError(f"no set-aside session of {group.name!r} to restore")
        with disk_errors(source, "could not move the set-aside session back to live/"):
            os.replace(source, live_path)
            fsync_dir(live_path.parent)
            fsync_dir(source.parent)
        return source
    finally:
        lock.release()
