"""``peersession doctor``: check a data folder, and repair what can be repaired.

Only a folder that is recognisably a data folder is examined, and in it only
the names peersession writes (``data_folder.py``): ``--data-dir .`` in a
project folder is refused in one line, and a stranger's file inside a data
folder is neither checked nor changed.

Checks: the index and every group file parse, carry a schema this version
reads and hold records of the stored shapes; every journal reads (live and
retired); no finished session is missing from the history; each group's
summary matches its file; no temporary file was left by a crash; files are
private (0600, folders 0700); nothing an earlier repair could not recover is
still unacknowledged (``doctor_losses.py``).

Repairs (``repair=True``), all under the data folder's write lock, nothing ever
deleted and no history ever reduced: a damaged file is copied to ``backups/``
(as ``*.damaged.*``) and replaced by the union of every record still readable
anywhere (the damaged file itself, every good backup, the groups' files for
the index, then the retired journals; see ``store/recover.py``), with counts
before and after; whatever could not be brought back is a problem that
remains, named, never "healthy", and stays on disk until recovered or
acknowledged (:func:`acknowledge`). A finished session missing from the
history is committed again from its retired journal; a torn journal tail (an
append that was never acknowledged) is cut off; a journal that ended but was
not committed is committed; summaries are recomputed; stale temporary files
are moved into ``backups/``; permissions of our own files are tightened. A
file set aside can be put back with :func:`restore_set_aside` (``doctor --restore``).

Split by job: the checks here, the journals in ``doctor_journals.py``, the
rebuilding of damaged files in ``doctor_repair.py`` (from the records
``recover.py`` finds), the report in ``doctor_report.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import pendulum

from ..core.model import Group
from ..core.record_errors import describe_error
from ..core.words import plural
from ..errors import UserError
from ..paths import DataLayout
from . import doctor_losses, recover, schema, search_index
from .atomic import (
    DIR_MODE,
    FILE_MODE,
    atomic_write_bytes,
    disk_errors,
    ensure_private_dir,
    fsync_dir,
    read_regular_file,
)
from .data_folder import TEMP_NAME, is_ours, our_entries, our_files, recognise
from .doctor_journals import JournalChecks
from .doctor_repair import RepairFiles
from .doctor_report import DoctorReport, Finding, short
from .history import HistoryStore
from .history_docs import summarize
from .history_files import GROUP_KIND, INDEX_KIND
from .lock import WriteLock
from .schema import backup_file, file_version
from .storage import CorruptFile, Tables, load_tables

__all__ = ["DoctorReport", "Finding", "acknowledge", "examine", "restore_set_aside"]

T = TypeVar("T")

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
        self.losses: list[doctor_losses.Loss] = []
        self.fresh_losses: set[str] = set()

    @property
    def store(self) -> HistoryStore:
        """The history, opened once the index is known to be good (repairs only)."""
        if self._store is None:
            # The doctor already holds the write lock: the store shares it.
            self._store = HistoryStore(self.layout.root, create=False, lock=self.lock)
        return self._store

    # -- the examination -----------------------------------------------------------

    def run(self) -> DoctorReport:
        if not recognise(self.layout.root):
            self.add("note", self.layout.root, "nothing has been saved here yet")
            return self.report
        with self._maybe_locked():
            self.step(self.load_losses)
            self.step(self.check_temp_files)
            self.step(self.check_permissions)
            index = self.step(lambda: self.check_data_file(self.layout.index_file, INDEX_KIND))
            groups = self.groups_of(index)
            files = self.step(lambda: self.check_group_files(groups)) or {}
            # Retired (older) sessions first: a live one may review their commitments.
            self.step(lambda: self.check_retired_journals(groups, files))
            self.step(lambda: self.check_live_journals(groups))
            self.step(lambda: self.check_summaries(groups))
            self.step(lambda: self.check_shared(groups))
            self.step(self.check_losses)
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
        """Temporary files of our interrupted writes: moved into ``backups/`` (a
        stranger's ``.draft.1234.tmp`` is not ours and is left alone)."""
        for entry in our_entries(self.layout):
            match = TEMP_NAME.match(entry.path.name)
            if entry.is_dir or match is None:
                continue
            path = entry.path
            if _pid_alive(int(match.group("pid"))):
                self.add("note", path, "a temporary file of a running write; left alone")
            elif self.repair:
                with disk_errors(path, "cannot move the temporary file into backups/"):
                    kept = move_aside(path, self.layout.backups_dir, match.group("name"))
                self.add(
                    "fixed",
                    path,
                    f"a temporary file left by an interrupted write: moved to {self.where(kept)}",
                )
            else:
                self.problem(
                    path, "a temporary file left by an interrupted write", "move it to backups/"
                )

    def check_permissions(self) -> None:
        """Our own files and folders only: private (0600, folders 0700)."""
        for entry in our_entries(self.layout):
            if not entry.mode & 0o077 or TEMP_NAME.match(entry.path.name):
                continue
            path, mode = entry.path, entry.mode
            wanted = DIR_MODE if entry.is_dir else FILE_MODE
            what = "folder" if entry.is_dir else "file"
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
        if path.is_symlink() or (path.exists() and not path.is_file()):
            self.problem(path, "not a regular file where peersession keeps its data; left alone")
            return None
        if not path.exists():
            if kind == INDEX_KIND and our_files(self.layout, "groups")[0]:
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
            self.check_doors(path, tables, kind)
            self.summaries = {d.get("id"): d.get("summary") or {} for d in _docs(tables, "groups")}
        return tables

    def groups_of(self, index: Tables | None) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        if index is None:
            return groups
        for doc in _docs(index, "groups"):
            try:
                group = Group.from_doc(doc)
            except msgspec.ValidationError as error:  # its words name the field, never the value
                problem = describe_error(error)
                self.problem(self.layout.index_file, f"a group cannot be read ({problem})")
                continue
            groups[group.id] = group
        count = len(groups)
        self.add("ok", self.layout.index_file, plural(count, "group"))
        return groups

    def check_group_files(self, groups: dict[str, Group]) -> dict[str, Tables]:
        files: dict[str, Tables] = {}
        paths = {
            p.stem: p for p in self.layout.groups_dir.glob("*.json") if is_ours("groups", p.name)
        }
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
            self.check_doors(path, tables, GROUP_KIND)
        return files

    def check_doors(self, path: Path, tables: Tables, kind: str) -> None:
        """Records a bundle's import would refuse: a backup that does not restore."""
        from .shape_check import describe, refused_at_the_doors

        # A note, not a problem: names from older versions may hold such characters
        # and still read; `export` itself refuses, in one line, rather than write it.
        for table, doc_id, record, error in refused_at_the_doors(tables, kind):
            self.add(
                "note",
                path,
                f"{describe(table, doc_id, record)} holds a value no import takes ({error}): "
                "it reads here, but `export --format json` refuses it (correct it by hand)",
            )

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

    # -- shared groups (store/shared/doctor.py) -----------------------------------------

    def check_shared(self, groups: dict[str, Group]) -> None:
        """Each shared group's folder, one line each; repairing, the folder is a source."""
        from .shared.doctor import examine_shared, shared_group_ids

        if not shared_group_ids(self.layout.root):
            return  # nothing shared: nothing imported
        names = {group_id: group.name for group_id, group in groups.items()}
        for status, path, line in examine_shared(
            self.layout.root, names, repair=self.repair, store=lambda: self.store
        ):
            self.add(status, path, line)


def examine(root: Path, *, repair: bool = False) -> DoctorReport:
    """Check the data folder ``root``; with ``repair``, fix what can be fixed.

    Raises UserError when the folder does not exist, is not a peersession
    data folder, or (repairing) cannot be locked for writing.
    """
    return Doctor(root, repair=repair).run()


def move_aside(path: Path, backups_dir: Path, name: str, reason: str = "interrupted") -> Path:
    """Move ``path`` into ``backups/`` as ``<name>.<reason>.<stamp>.<suffix>``
    (never deleted); returns where it went."""
    ensure_private_dir(backups_dir)
    stamp = pendulum.now("UTC").format("YYYYMMDD-HHmmss")
    suffix = ".tmp" if reason == "interrupted" else path.suffix
    base = name if reason == "interrupted" else path.stem
    target = backups_dir / f"{base}.{reason}.{stamp}{suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = backups_dir / f"{base}.{reason}.{stamp}-{counter}{suffix}"
    os.replace(path, target)
    fsync_dir(backups_dir)
    if path.parent != backups_dir:
        fsync_dir(path.parent)
    return target


def acknowledge(root: Path) -> tuple[list[str], Path | None]:
    """Accept the losses earlier repairs reported (``doctor --acknowledge``): the
    list is moved into ``backups/`` (kept, as a record of what was accepted).

    Returns what was acknowledged, in the report's words, and where the list
    went (None when there was nothing to acknowledge).
    """
    layout = DataLayout(root)
    if not recognise(root):
        return [], None
    path = doctor_losses.list_path(layout)
    with WriteLock(layout.write_lock_file):
        if not path.exists() and not path.is_symlink():
            return [], None
        if path.is_symlink() or not path.is_file():
            raise UserError(f"{path}: not a regular file; left alone")
        report = Doctor(root, repair=False)
        report.step(report.load_losses)
        report.step(report.check_losses)
        said = [f.message for f in report.report.problems]
        with disk_errors(path, "cannot move the list into backups/"):
            kept = move_aside(path, layout.backups_dir, path.stem, "acknowledged")
    return said, kept


def restore_set_aside(root: Path, backup: Path) -> tuple[Path, Path | None]:
    """Put a file the doctor set aside (``backups/<name>.damaged.<stamp>.json``)
    back where it came from, under the write lock. The file it replaces is
    itself kept in ``backups/`` first: nothing is lost either way.

    Returns where it went and where the replaced file was kept.
    """
    layout = DataLayout(root)
    recognise(root)
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
            atomic_write_bytes(target, read_regular_file(backup))
    return target, kept
