"""``peersession doctor``: check a data folder, and repair what can be repaired.

Checks: the index and every group file parse, carry a schema this version
reads and hold records of the stored shapes; every journal reads (live and
retired); no finished session is missing from the history; each group's
summary matches its file; no temporary file was left by a crash; files are
private (0600, folders 0700).

Repairs (``repair=True``), all under the data folder's write lock, nothing ever
deleted and no history ever reduced: a damaged file is copied to ``backups/``
(as ``*.damaged.*``) and replaced by the union of every record still readable
anywhere (the damaged file itself, every good backup, the groups' files for
the index, then the retired journals; see ``store/recover.py``), with counts
before and after; whatever could not be brought back is a problem that
remains, named, never "healthy". A finished session missing from the history
is committed again from its retired journal; a torn journal tail (an append
that was never acknowledged) is cut off; a journal that ended but was not
committed is committed; summaries are recomputed; stale temporary files are
removed; permissions are tightened. A file set aside can be put back with
:func:`restore_set_aside` (``doctor --restore``).

Split by job: the checks here, the journals in ``doctor_journals.py``, the
rebuilding of damaged files in ``doctor_repair.py`` (from the records
``recover.py`` finds), the report in ``doctor_report.py``.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from ..core.model import Group
from ..core.words import plural
from ..errors import UserError
from ..paths import DataLayout
from . import recover, schema, search_index
from .atomic import DIR_MODE, FILE_MODE, atomic_write_bytes, disk_errors
from .doctor_journals import JournalChecks
from .doctor_repair import RepairFiles
from .doctor_report import DoctorReport, Finding, short
from .history import GROUP_KIND, INDEX_KIND, HistoryStore, summarize
from .lock import WriteLock
from .schema import backup_file, file_version
from .storage import CorruptFile, Tables, load_tables

__all__ = ["DoctorReport", "Finding", "examine", "restore_set_aside"]

T = TypeVar("T")

#: ``.<name>.<pid>.tmp``, as :func:`~peersession.store.atomic.atomic_write_bytes` names them.
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")
COUNTED = ("sessions", "commitments", "checkins")


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


class Doctor(JournalChecks, RepairFiles):
    """One examination of a data folder (see :func:`examine`)."""

    def __init__(self, root: Path, *, repair: bool) -> None:
        super().__init__(DataLayout(root), DoctorReport(root, repair))
        self.lock = WriteLock(self.layout.write_lock_file)
        self._store: HistoryStore | None = None
        self.unusable: set[str] = set()
        self.rebuilt: set[str] = set()
        self.summaries: dict[str, dict[str, Any]] = {}
        self.expected: dict[Path, dict[str, tuple[int, str]]] = {}

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
            self.step(self.check_nothing_lost)
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
        """Parse a data file; rebuild it from every record left when repairing.
        None if unusable."""
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
            return self.restore(path, kind, short(error, path))
        except UserError as error:
            self.problem(path, short(error, path))
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
        if kind == INDEX_KIND and tables is not None:
            self.summaries = {d.get("id"): d.get("summary") or {} for d in _docs(tables, "groups")}
        return tables

    def groups_of(self, index: Tables | None) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        if index is None:
            return groups
        for doc in _docs(index, "groups"):
            try:
                group = Group.from_doc(doc)
            except (KeyError, TypeError, ValueError, AssertionError) as error:
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
                self.add("ok", path, f"{name!r}: {plural(sessions, 'session')}")
        return files

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
            holds = f"{plural(wanted['sessions'], 'session')} and {wanted['open_commitments']} open"
            if have["sessions"] is None:
                text = f"{group.name!r} has no summary; the file holds {holds}"
            else:
                text = (
                    f"the summary of {group.name!r} says {plural(have['sessions'], 'session')}"
                    f" and {have['open_commitments']} open commitments; the file holds {holds}"
                )
            if self.repair:
                self.store.refresh_summary(group_id)
                self.add("fixed", self.layout.index_file, f"{text}: recomputed")
            else:
                self.problem(self.layout.index_file, text, "recompute it")


def examine(root: Path, *, repair: bool = False) -> DoctorReport:
    """Check the data folder ``root``; with ``repair``, fix what can be fixed.

    Raises UserError when the folder does not exist or (repairing) cannot be
    locked for writing.
    """
    return Doctor(root, repair=repair).run()


def restore_set_aside(root: Path, backup: Path) -> tuple[Path, Path | None]:
    """Put a file the doctor set aside (``backups/<name>.damaged.<stamp>.json``)
    back where it came from, under the write lock. The file it replaces is
    itself kept in ``backups/`` first: nothing is lost either way.

    Returns where it went and where the replaced file was kept.
    """
    layout = DataLayout(root)
    if not backup.exists() and (layout.backups_dir / backup.name).exists():
        backup = layout.backups_dir / backup.name  # named as the doctor printed it
    if not backup.is_file() or backup.parent.resolve() != layout.backups_dir.resolve():
        raise UserError(f"{backup}: not a file in {layout.backups_dir}")
    try:
        target = recover.set_aside_target(root, backup)
    except ValueError as error:
        raise UserError(str(error)) from None
    with WriteLock(layout.write_lock_file):
        kept = None
        if target.exists():
            with disk_errors(target, "cannot keep a copy of the current file"):
                kept = backup_file(target, layout.backups_dir, "replaced")
        with disk_errors(target, "cannot put the file back"):
            atomic_write_bytes(target, backup.read_bytes())
    return target, kept
