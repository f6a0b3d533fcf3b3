"""``peersession doctor``: check a data folder, and repair what can be repaired.

Checks: the index and every group file parse and carry a schema this version
reads; every journal reads (live and retired); no finished session is missing
from the history; each group's summary matches its file; no temporary file
was left by a crash; files are private (0600, folders 0700).

Repairs (``repair=True``), all under the data folder's write lock, nothing ever
deleted: a damaged file is copied to ``backups/`` (as ``*.damaged.*``) and
replaced by the newest good backup, or rebuilt from the journals; a finished
session missing from the history is committed again from its retired journal;
a torn journal tail (an append that was never acknowledged) is cut off; a
journal that ended but was not committed is committed; summaries are
recomputed; stale temporary files are removed; permissions are tightened.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..core.engine import InvalidAction, Meeting
from ..core.model import Group
from ..core.record import session_record
from ..errors import UserError
from ..paths import DataLayout
from . import schema, search_index
from .atomic import DIR_MODE, FILE_MODE, atomic_write_bytes, disk_errors
from .history import GROUP_KIND, INDEX_KIND, HistoryStore, summarize
from .journal import CorruptJournal, Journal, read_journal
from .live import recover_ended
from .lock import LiveLock, WriteLock
from .schema import META_DOC_ID, META_TABLE, backup_file, file_version, meta_doc
from .storage import CorruptFile, Tables, load_tables

Status = Literal["ok", "note", "problem", "fixed"]
T = TypeVar("T")

#: ``.<name>.<pid>.tmp``, as :func:`~peersession.store.atomic.atomic_write_bytes` names them.
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Names in messages are people's text: control characters shown as U+FFFD."""
    return _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text)


@dataclass(frozen=True)
class Finding:
    status: Status
    #: Where, relative to the data folder (``.`` for the folder itself).
    where: str
    message: str


@dataclass
class DoctorReport:
    root: Path
    repair: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> list[Finding]:
        """What is still wrong (after repairs, when repairing)."""
        return [f for f in self.findings if f.status == "problem"]

    @property
    def fixed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fixed"]

    @property
    def healthy(self) -> bool:
        return not self.problems


def _docs(tables: Tables, name: str) -> list[Any]:
    return list(tables.get(name, {}).values())


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Doctor:
    """One examination of a data folder (see :func:`examine`)."""

    def __init__(self, root: Path, *, repair: bool) -> None:
        self.layout = DataLayout(root)
        self.report = DoctorReport(root, repair)
        self.repair = repair
        self.lock = WriteLock(self.layout.write_lock_file)
        self._store: HistoryStore | None = None
        #: Groups whose file exists but cannot be used (damaged, from the future).
        self.unusable: set[str] = set()

    # -- reporting ---------------------------------------------------------------

    def where(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.layout.root)) or "."
        except ValueError:
            return str(path)

    def add(self, status: Status, path: Path, message: str) -> None:
        self.report.findings.append(Finding(status, self.where(path), printable(message)))

    def problem(self, path: Path, message: str, fix: str | None = None) -> None:
        """Report a problem; ``fix`` is what ``--repair`` would do about it."""
        if fix and not self.repair:
            message = f"{message} (--repair: {fix})"
        self.add("problem", path, message)

    @property
    def store(self) -> HistoryStore:
        """The history, opened once the index is known to be good (repairs only)."""
        if self._store is None:
            # The doctor already holds the write lock: the store shares it.
            self._store = HistoryStore(self.layout.root, create=False, lock=self.lock)
        return self._store

    # -- the examination -----------------------------------------------------------

    def run(self) -> DoctorReport:
        root = self.layout.root
        if not root.is_dir():
            raise UserError(f"{root}: no such data folder")
        with self._maybe_locked():
            self.step(self.check_temp_files)
            self.step(self.check_permissions)
            index = self.step(lambda: self.check_data_file(self.layout.index_file, INDEX_KIND))
            groups = self.groups_of(index)
            files = self.step(lambda: self.check_group_files(groups)) or {}
            # Retired (older) sessions first: a live one may review their commitments.
            self.step(lambda: self.check_retired_journals(groups, files))
            self.step(lambda: self.check_live_journals(groups))
            self.step(lambda: self.check_summaries(groups))
            if self.repair:  # the derived search index, made whole and current
                self.step(lambda: search_index.repair(self.store))
        return self.report

    def step(self, check: Callable[[], T]) -> T | None:
        """Run one check; a repair the disk refuses is a problem that remains, and
        the other checks still run."""
        try:
            return check()
        except UserError as error:
            doing = "repair" if self.repair else "check"
            self.add("problem", self.layout.root, f"could not {doing}: {error}")
            return None

    @contextmanager
    def _maybe_locked(self) -> Iterator[None]:
        if not self.repair:
            yield
            return
        with self.lock:
            yield

    # -- temporary files and permissions -------------------------------------------

    def check_temp_files(self) -> None:
        for path in sorted(self.layout.root.rglob(".*.tmp")):
            match = TEMP_NAME.match(path.name)
            if match and _pid_alive(int(match.group("pid"))):
                self.add("note", path, "a temporary file of a running write; left alone")
                continue
            if self.repair:
                with disk_errors(path, "cannot remove the temporary file"):
                    path.unlink()
                self.add("fixed", path, "removed a temporary file left by an interrupted write")
            else:
                self.problem(path, "a temporary file left by an interrupted write", "remove it")

    def check_permissions(self) -> None:
        root = self.layout.root
        for path in [root, *sorted(root.rglob("*"))]:
            if path.is_symlink() or TEMP_NAME.match(path.name):
                continue
            is_dir = path.is_dir()
            mode = stat.S_IMODE(path.stat().st_mode)
            if not mode & 0o077:
                continue
            wanted = DIR_MODE if is_dir else FILE_MODE
            what = "folder" if is_dir else "file"
            text = f"{what} is open to other users (mode {mode:04o}, should be {wanted:04o})"
            if self.repair:
                with disk_errors(path, "cannot change its permissions"):
                    path.chmod(wanted)
                self.add("fixed", path, f"{what} made private ({mode:04o} → {wanted:04o})")
            else:
                self.problem(path, text, f"chmod {wanted:04o}")

    # -- data files ----------------------------------------------------------------------

    def check_data_file(self, path: Path, kind: str) -> Tables | None:
        """Parse a data file; restore or rebuild it when repairing. None if unusable."""
        if not path.exists():
            if kind == INDEX_KIND and any(self.layout.groups_dir.glob("*.json")):
                return self.restore(path, kind, "the index is missing")
            if kind == INDEX_KIND:
                self.add("note", path, "no index yet (nothing has been saved here)")
            return None
        try:
            tables = load_tables(path)
            assert tables is not None
            version = file_version(path, tables, kind)
        except CorruptFile as error:
            return self.restore(path, kind, _short(error, path))
        except UserError as error:
            self.problem(path, _short(error, path))
            return None
        if version > schema.SCHEMA_VERSION:
            self.problem(
                path,
                f"written by a newer peersession (schema {version}, this one reads up to "
                f"{schema.SCHEMA_VERSION}): upgrade peersession; left untouched",
            )
            return None
        if version < schema.SCHEMA_VERSION:
            if self.repair:
                schema.ensure_current(path, kind, self.layout.backups_dir)
                self.add("fixed", path, f"migrated from schema {version} (a backup was kept)")
                tables = load_tables(path)
            else:
                self.add("note", path, f"schema {version}: migrated on the next start")
        return tables

    def good_backups(self, path: Path, kind: str) -> list[Path]:
        """Backups of ``path`` this version can read, newest first."""
        found: list[tuple[float, Path]] = []
        for candidate in self.layout.backups_dir.glob(f"{path.stem}.*{path.suffix}"):
            if ".damaged." in candidate.name:
                continue
            try:
                tables = json.loads(candidate.read_bytes())
                if not isinstance(tables, dict):
                    continue
                version = file_version(candidate, tables, kind)
            except (OSError, ValueError, UserError):
                continue
            if version <= schema.SCHEMA_VERSION:
                found.append((candidate.stat().st_mtime, candidate))
        return [p for _, p in sorted(found, key=lambda item: item[0], reverse=True)]

    def restore(self, path: Path, kind: str, what: str) -> Tables | None:
        """A damaged (or missing) file: restore the newest good backup, else rebuild."""
        backups = self.good_backups(path, kind)
        fix = f"restore {self.where(backups[0])}" if backups else "rebuild it from the journals"
        if not self.repair:
            self.problem(path, what, f"keep a copy, then {fix}")
            return None
        kept = ""
        if path.exists():
            with disk_errors(path, "cannot keep a copy of the damaged file"):
                copy = backup_file(path, self.layout.backups_dir, "damaged")
            kept = f"; the damaged file is kept as {self.where(copy)}"
        with disk_errors(path, "cannot restore it"):
            if backups:
                atomic_write_bytes(path, backups[0].read_bytes())
                done = f"restored from {self.where(backups[0])}"
            else:
                atomic_write_bytes(path, self.rebuilt(kind))
                lost = (
                    "groups that never met"
                    if kind == INDEX_KIND
                    else "check-ins and reviews made outside sessions"
                )
                done = f"rebuilt from the journals ({lost} could not be recovered)"
        self.add("fixed", path, f"{what}: {done}{kept}")
        tables = load_tables(path)
        if tables is not None and file_version(path, tables, kind) < schema.SCHEMA_VERSION:
            schema.ensure_current(path, kind, self.layout.backups_dir)
            tables = load_tables(path)
        return tables

    def rebuilt(self, kind: str) -> bytes:
        """A fresh file: an empty group file (its sessions come back from the retired
        journals below), or an index of the groups the journals name."""
        tables: Tables = {META_TABLE: {META_DOC_ID: meta_doc(kind)}}
        if kind == INDEX_KIND:
            latest: dict[str, tuple[str, dict[str, Any]]] = {}
            for journal in self.journals():
                try:
                    first = read_journal(journal).entries[0]
                except UserError:
                    continue
                group = first.action.to_data().get("setup", {}).get("group")
                if isinstance(group, dict) and "id" in group:
                    at = first.at.isoformat()
                    if group["id"] not in latest or latest[group["id"]][0] < at:
                        latest[group["id"]] = (at, group)
            tables["groups"] = {
                str(number): {**group, "summary": {}}
                for number, (_, group) in enumerate(sorted(latest.values()), start=1)
            }
        return json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def journals(self) -> list[Path]:
        return sorted(self.layout.retired_dir.glob("*.journal")) + sorted(
            self.layout.live_dir.glob("*.journal")
        )

    def groups_of(self, index: Tables | None) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        if index is None:
            return groups
        for doc in _docs(index, "groups"):
            try:
                group = Group.from_doc(doc)
            except (KeyError, TypeError, ValueError) as error:
                self.problem(self.layout.index_file, f"a group cannot be read ({error})")
                continue
            groups[group.id] = group
        count = len(groups)
        self.add("ok", self.layout.index_file, f"{count} group{'s' if count != 1 else ''}")
        return groups

    def check_group_files(self, groups: dict[str, Group]) -> dict[str, Tables]:
        files: dict[str, Tables] = {}
        paths = {p.stem: p for p in self.layout.groups_dir.glob("*.json")}
        for group_id, path in sorted(paths.items()):
            tables = self.check_data_file(path, GROUP_KIND)
            if tables is None:
                self.unusable.add(group_id)
                continue
            files[group_id] = tables
            sessions = len(_docs(tables, "sessions"))
            name = groups[group_id].name if group_id in groups else None
            if name is None:
                self.add("note", path, f"{sessions} sessions of a group the index does not list")
            else:
                self.add("ok", path, f"{name!r}: {sessions} sessions")
        return files

    # -- journals ---------------------------------------------------------------------

    def check_live_journals(self, groups: dict[str, Group]) -> None:
        for path in sorted(self.layout.live_dir.glob("*.journal")):
            group = groups.get(path.stem)
            try:
                contents = read_journal(path)
                meeting = Meeting.replay(contents.entries)
            except CorruptJournal as error:
                self.problem(path, _short(error, path) + "; set it aside by hand to start afresh")
                continue
            except (InvalidAction, ValueError, KeyError, TypeError) as error:
                self.problem(path, f"the journal does not replay ({error})")
                continue
            name = repr(group.name) if group else "a group the index does not list"
            if group is None:
                self.problem(path, f"a live session of {name}")
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
                    f"`peersession start {group.name}`",
                )

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
        paths = sorted(self.layout.retired_dir.glob("*"))
        readable = 0
        missing: list[tuple[Meeting, Path, str | None]] = []
        for path in paths:
            if path.suffix not in (".journal", ".discarded"):
                continue
            try:
                contents = read_journal(path)
            except UserError as error:
                self.problem(path, _short(error, path) + "; left as is")
                continue
            readable += 1
            if path.suffix != ".journal":
                continue  # set aside on purpose: not history
            setup = contents.entries[0].action.to_data().get("setup", {})
            group_id = setup.get("group", {}).get("id")
            if group_id in self.unusable or setup.get("session_id") in held.get(group_id, set()):
                continue
            try:
                meeting = Meeting.replay(contents.entries)
            except (InvalidAction, ValueError, KeyError, TypeError) as error:
                self.problem(path, f"the journal does not replay ({error})")
                continue
            if not meeting.ended:
                self.add("note", path, "a retired session that never ended; not history")
                continue
            missing.append((meeting, path, group_id))
        # Oldest first: a session reviews commitments that earlier sessions made.
        for meeting, path, group_id in sorted(missing, key=lambda item: item[0].started_at):
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

    # -- summaries ----------------------------------------------------------------------

    def check_summaries(self, groups: dict[str, Group]) -> None:
        if not groups:
            return
        index = load_tables(self.layout.index_file) or {}
        stored = {doc.get("id"): doc.get("summary") or {} for doc in _docs(index, "groups")}
        for group_id, group in groups.items():
            if group_id in self.unusable:
                continue
            path = self.layout.group_history_file(group_id)
            try:
                tables = load_tables(path) or {}
            except UserError:
                continue  # reported above
            wanted = summarize(_docs(tables, "sessions"), _docs(tables, "commitments"))
            have = {key: stored.get(group_id, {}).get(key) for key in wanted}
            if have == wanted or (not tables and not stored.get(group_id)):
                continue
            text = (
                f"the summary of {group.name!r} says {have['sessions']} sessions and "
                f"{have['open_commitments']} open commitments; the file holds "
                f"{wanted['sessions']} and {wanted['open_commitments']}"
            )
            if self.repair:
                self.store.refresh_summary(group_id)
                self.add("fixed", self.layout.index_file, f"{text}: recomputed")
            else:
                self.problem(self.layout.index_file, text, "recompute it")


def _short(error: UserError, path: Path) -> str:
    """A store error without the path it starts with (the report says where) and
    without its advice to run the doctor."""
    message = str(error).replace(" (try `peersession doctor`)", "")
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def examine(root: Path, *, repair: bool = False) -> DoctorReport:
    """Check the data folder ``root``; with ``repair``, fix what can be fixed.

    Raises UserError when the folder does not exist or (repairing) cannot be
    locked for writing.
    """
    return Doctor(root, repair=repair).run()
