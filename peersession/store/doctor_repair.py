"""The repairing part of ``peersession doctor``: rebuilding a damaged data file.

A damaged file is set aside in ``backups/`` and rebuilt from the union of every
record still readable anywhere (``recover.py``): the file itself, every good
backup, and for the index the journals and the groups' own files. Nothing is
picked over anything else, so a repair never reduces history; and what should
have come back but did not is named (:meth:`RepairFiles.check_losses`), from a
list kept on disk until it is recovered or acknowledged (``doctor_losses.py``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.words import plural
from ..errors import UserError
from . import doctor_losses, recover, schema
from .atomic import atomic_write_bytes, disk_errors, read_regular_file
from .corrections import without_removed
from .data_folder import our_files
from .doctor_report import Reporter
from .history_files import GROUP_KIND, INDEX_KIND
from .journal import read_journal
from .schema import backup_file, file_version
from .shape_check import stored_tables
from .storage import Tables, load_tables

#: How a report names one record of each table ("1 check-in", "3 groups").
TABLE_WORDS = {
    "checkins": "check-in",
    "sessions": "session",
    "commitments": "commitment",
    "goals": "goal",
}

Group = dict[str, Any]


def _docs(tables: Tables, name: str) -> list[Any]:
    return list(tables.get(name, {}).values())


class RepairFiles(Reporter):
    """Rebuilding damaged files; mixed into :class:`~.doctor.Doctor`."""

    #: What the index's summaries said before anything was repaired.
    summaries: dict[str, dict[str, Any]]
    #: Groups whose file was rebuilt in this repair (or in one not acknowledged since).
    rebuilt: set[str]
    #: What repairs could not recover, still open (``doctor_losses.py``).
    losses: list[doctor_losses.Loss]
    #: The files of ``losses`` this run rebuilt.
    fresh_losses: set[str]

    def good_backups(self, path: Path, kind: str) -> list[Path]:
        """Backups of ``path`` this version can read, newest first."""
        found: list[tuple[float, Path]] = []
        for candidate in our_files(self.layout, "backups", path.suffix)[0]:
            if not candidate.name.startswith(f"{path.stem}.") or ".damaged." in candidate.name:
                continue
            try:
                tables = json.loads(read_regular_file(candidate))
                if not isinstance(tables, dict):
                    continue
                version = file_version(candidate, tables, kind)
            except (OSError, ValueError, UserError, RecursionError):
                continue
            if version <= schema.SCHEMA_VERSION:
                found.append((candidate.stat().st_mtime, candidate))
        return [p for _, p in sorted(found, key=lambda item: item[0], reverse=True)]

    def restore(self, path: Path, kind: str, what: str) -> Tables | None:
        """A damaged (or missing) file: set it aside, then write the union of every
        record still readable (the file itself, its backups, the groups' files).

        What the rebuilt file must hold is written to the list of losses first
        (``doctor_losses.py``): a repair killed after the rebuild still reports
        what it could not bring back."""
        raw = read_regular_file(path) if path.exists() else b""
        damaged = recover.salvage_bytes(raw, kind)
        backups = self.good_backups(path, kind)
        sources = [damaged] + [
            recover.records_of(json.loads(read_regular_file(b)), kind) for b in backups
        ]
        records = {
            table: recover.unite(table, (s.records.get(table, []) for s in sources))
            for table in stored_tables(kind)
        }
        if kind == GROUP_KIND:
            # A backup from before a removal must not bring the removed item back.
            records = without_removed(records)
        found = self.describe_sources(kind, damaged, backups)
        if not self.repair:
            self.problem(path, what, f"keep a copy, then rebuild it from {found}")
            return None
        placeholders: list[str] = []
        if kind == INDEX_KIND:
            records["groups"], placeholders = self.groups_for_index(records["groups"])
        loss = doctor_losses.Loss(self.where(path), self.expected_counts(path, raw, kind))
        loss.placeholders = placeholders
        kept = ""
        if path.exists():
            copy = self.keep_damaged(path, raw)
            loss.damages.append(
                doctor_losses.Damage(self.where(copy), dict(damaged.dropped), damaged.cut_short)
            )
            kept = f"; the damaged file is kept as {self.where(copy)}"
        doctor_losses.record(self.layout, self.losses, loss)
        payload = json.dumps(recover.tables_from(kind, records), ensure_ascii=False)
        with disk_errors(path, "cannot rebuild it"):
            atomic_write_bytes(path, payload.encode("utf-8"))
        counts = ", ".join(
            plural(len(docs), TABLE_WORDS.get(table, table.rstrip("s")))
            for table, docs in records.items()
        )
        self.add("fixed", path, f"{what}: rebuilt with {counts} from {found}{kept}")
        if kind == GROUP_KIND:
            self.rebuilt.add(path.stem)
        self.fresh_losses.add(loss.file)
        return load_tables(path)

    def keep_damaged(self, path: Path, raw: bytes) -> Path:
        """A copy of the damaged file in ``backups/``: the one an earlier (killed)
        repair already kept of these same bytes, else a new one."""
        for earlier in our_files(self.layout, "backups", path.suffix)[0]:
            if not earlier.name.startswith(f"{path.stem}.damaged."):
                continue
            try:
                if earlier.stat().st_size == len(raw) and read_regular_file(earlier) == raw:
                    return earlier
            except OSError:
                continue
        with disk_errors(path, "cannot keep a copy of the damaged file"):
            return backup_file(path, self.layout.backups_dir, "damaged")

    def describe_sources(self, kind: str, damaged: recover.Salvage, backups: list[Path]) -> str:
        parts = [
            "the damaged file ("
            + ("read whole" if damaged.whole and damaged.records else "what could be read")
            + ")"
        ]
        if backups:
            parts.append(plural(len(backups), "backup"))
        parts.append("the groups' files" if kind == INDEX_KIND else "the retired journals")
        return ", ".join(parts)

    def expected_counts(self, path: Path, raw: bytes, kind: str) -> dict[str, tuple[int, str]]:
        """How many records of each table the rebuilt file must hold: as many as
        the damaged bytes still name, or (sessions) the index's summary counted,
        whichever is more."""
        expected: dict[str, tuple[int, str]] = {}
        for table in stored_tables(kind):
            named = recover.named_in(raw, table) - recover.repeated_in(raw, table)
            expected[table] = (named, "damaged")
        if kind == GROUP_KIND:
            counted = self.summaries.get(path.stem, {}).get("sessions")
            counted = counted if type(counted) is int and 0 <= counted <= 10**9 else 0
            if counted >= expected["sessions"][0]:
                expected["sessions"] = (counted, "summary")
        return expected

    def groups_for_index(self, groups: list[Group]) -> tuple[list[Group], list[str]]:
        """The index's groups: those recovered, those the journals name, and for any
        group file still unaccounted for, a placeholder (its history is not hidden)."""
        known = {g["id"] for g in groups}
        from_journals = [g for g in self.groups_in_journals() if g["id"] not in known]
        groups = [*groups, *from_journals]
        known |= {g["id"] for g in from_journals}
        placeholders: list[str] = []
        for path in our_files(self.layout, "groups")[0]:
            if path.stem in known:
                continue
            try:
                history = load_tables(path) or {}
            except UserError:
                history = {}
            groups.append(recover.placeholder_group(path.stem, history))
            placeholders.append(path.stem)
        return groups, placeholders

    def groups_in_journals(self) -> list[Group]:
        """The newest definition of each group the journals name."""
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
                    latest[group["id"]] = (at, {**group, "summary": {}})
        return [group for _, group in sorted(latest.values(), key=lambda item: item[0])]

    def journals(self) -> list[Path]:
        return (
            our_files(self.layout, "retired", ".journal")[0]
            + our_files(self.layout, "live", ".journal")[0]
        )

    def load_losses(self) -> None:
        """The losses earlier repairs recorded. A list that cannot be used is kept
        in ``backups/`` by a repair, and is itself a loss until acknowledged."""
        try:
            self.losses = doctor_losses.load(self.layout)
        except doctor_losses.DamagedList as error:
            path = doctor_losses.list_path(self.layout)
            regular = path.is_file() and not path.is_symlink()
            text = f"the list of what earlier repairs could not recover cannot be used ({error})"
            if not self.repair or not regular:
                # Not a file (a link, a FIFO): never read or copied; repairs wait for it.
                fix = "keep it in backups/ and start a new list" if regular else None
                self.problem(path, text if regular else f"{text}; move it away", fix)
                return
            copy = self.keep_damaged(path, read_regular_file(path))
            self.losses = []
            damage = doctor_losses.Damage(self.where(copy), cut_short=True)
            doctor_losses.record(
                self.layout, self.losses, doctor_losses.Loss(path.name, damages=[damage])
            )
        # A file rebuilt by an earlier repair takes every journal again, as in
        # that repair: it may have been killed before it got that far.
        if self.repair:
            self.rebuilt.update(
                Path(loss.file).stem for loss in self.losses if loss.file.startswith("groups/")
            )

    def check_losses(self) -> None:
        """After every check and repair: each rebuilt file holds at least as many
        records as were known before, or what is missing is said (exit 1), in the
        same words whether the repair that rebuilt it ran to its end or was killed."""
        still_open = [loss for loss in self.losses if self.report_loss(loss)]
        if still_open:
            self.add("note", self.layout.root, doctor_losses.ACKNOWLEDGE_HINT)
        if not self.repair or len(still_open) == len(self.losses):
            return
        for loss in self.losses:
            if loss not in still_open and loss.file not in self.fresh_losses:
                self.add(
                    "fixed",
                    self.layout.root / loss.file,
                    "every record an earlier repair had not accounted for is back",
                )
        self.losses = still_open
        doctor_losses.save(self.layout, self.losses)

    def report_loss(self, loss: doctor_losses.Loss) -> bool:
        """Report one rebuilt file's losses; whether any is still open."""
        path = self.layout.root / loss.file
        still_open = False
        try:
            tables = load_tables(path) if loss.expected else {}
        except UserError:
            tables = None  # damaged again: reported by its own check
            still_open = True
        for table in loss.expected if tables is not None else ():
            held = len(_docs(tables or {}, table))
            if held >= loss.expected[table][0]:
                if table in ("sessions", "groups"):
                    self.add("ok", path, doctor_losses.accounted(loss, table, held))
                continue
            self.problem(path, doctor_losses.missing(loss, table, held))
            still_open = True
        for damage in loss.damages:
            for table in damage.wrong_shape:
                self.problem(path, doctor_losses.wrong_shape(damage, table))
                still_open = True
            if damage.cut_short:
                self.problem(path, doctor_losses.cut_short(loss, damage))
                still_open = True
        unnamed = self.placeholder_groups()
        for group_id in loss.placeholders:
            if group_id in unnamed:
                self.problem(path, doctor_losses.placeholder(group_id))
                still_open = True
        return still_open

    def placeholder_groups(self) -> set[str]:
        """Groups still called by the name a rebuilt index gave them."""
        try:
            index = load_tables(self.layout.index_file) or {}
        except UserError:
            return set()
        return {
            str(doc.get("id"))
            for doc in _docs(index, "groups")
            if isinstance(doc, dict) and doc.get("name") == f"recovered group {doc.get('id')}"
        }
