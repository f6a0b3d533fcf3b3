"""The repairing part of ``peersession doctor``: rebuilding a damaged data file.

A damaged file is set aside in ``backups/`` and rebuilt from the union of every
record still readable anywhere (``recover.py``): the file itself, every good
backup, and for the index the journals and the groups' own files. Nothing is
picked over anything else, so a repair never reduces history; and what should
have come back but did not is named (:meth:`RepairFiles.check_nothing_lost`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.words import plural
from ..errors import UserError
from . import recover, schema
from .atomic import atomic_write_bytes, disk_errors
from .doctor_report import Reporter
from .history import GROUP_KIND, INDEX_KIND
from .journal import read_journal
from .schema import backup_file, file_version
from .shape_check import stored_tables
from .storage import Tables, load_tables

#: How a report names one record of each table ("1 check-in", "3 groups").
TABLE_WORDS = {"checkins": "check-in", "sessions": "session", "commitments": "commitment"}

Group = dict[str, Any]


def _docs(tables: Tables, name: str) -> list[Any]:
    return list(tables.get(name, {}).values())


class RepairFiles(Reporter):
    """Rebuilding damaged files; mixed into :class:`~.doctor.Doctor`."""

    #: What the index's summaries said before anything was repaired.
    summaries: dict[str, dict[str, Any]]
    #: Files rebuilt from their records: how many sessions each must hold, and who says so.
    expected: dict[Path, dict[str, tuple[int, str]]]
    #: Groups whose file was rebuilt in this repair.
    rebuilt: set[str]

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
        """A damaged (or missing) file: set it aside, then write the union of every
        record still readable (the file itself, its backups, the groups' files)."""
        raw = path.read_bytes() if path.exists() else b""
        damaged = recover.salvage_bytes(raw, kind)
        backups = self.good_backups(path, kind)
        sources = [damaged] + [
            recover.records_of(json.loads(b.read_bytes()), kind) for b in backups
        ]
        records = {
            table: recover.unite(table, (s.records.get(table, []) for s in sources))
            for table in stored_tables()[kind]
        }
        found = self.describe_sources(kind, damaged, backups)
        if not self.repair:
            self.problem(path, what, f"keep a copy, then rebuild it from {found}")
            return None
        placeholders: list[str] = []
        if kind == INDEX_KIND:
            records["groups"], placeholders = self.groups_for_index(records["groups"])
        kept = ""
        if path.exists():
            with disk_errors(path, "cannot keep a copy of the damaged file"):
                copy = backup_file(path, self.layout.backups_dir, "damaged")
            kept = f"; the damaged file is kept as {self.where(copy)}"
        payload = json.dumps(recover.tables_from(kind, records), ensure_ascii=False)
        with disk_errors(path, "cannot rebuild it"):
            atomic_write_bytes(path, payload.encode("utf-8"))
        counts = ", ".join(
            plural(len(docs), TABLE_WORDS.get(table, table.rstrip("s")))
            for table, docs in records.items()
        )
        self.add("fixed", path, f"{what}: rebuilt with {counts} from {found}{kept}")
        for group_id in placeholders:
            self.problem(
                path,
                f"the group of {self.where(self.layout.group_history_file(group_id))} was "
                f"brought back as 'recovered group {group_id}': its name and its members' "
                "names were in no file left; rename it with "
                f"`peersession group edit {group_id} --name NAME`",
            )
        self.say_what_was_unreadable(path, damaged, kept)
        if kind == GROUP_KIND:
            self.rebuilt.add(path.stem)
        self.expect(path, raw, kind)
        return load_tables(path)

    def say_what_was_unreadable(self, path: Path, damaged: recover.Salvage, kept: str) -> None:
        """What of the damaged file could not be used: a problem that remains."""
        where = kept.removeprefix("; the damaged file is kept as ") or "backups/"
        for table, count in damaged.dropped.items():
            self.problem(
                path,
                f"{table}: {count} record{'s' if count != 1 else ''} of the damaged file had "
                f"the wrong shape and could not be used (the file is kept as {where})",
            )
        if damaged.cut_short:
            elsewhere = (
                "a backup, a journal or a group's own file held them (a group that never met, "
                "and changes to a group's settings, are in no journal)"
                if path == self.layout.index_file
                else "a backup or a journal held them (check-ins and changes made outside a "
                "session are in no journal)"
            )
            self.problem(
                path,
                "the damaged file could not be read to its end: records stored after the "
                f"damage are missing unless {elsewhere}; the file is kept as {where}",
            )

    def describe_sources(self, kind: str, damaged: recover.Salvage, backups: list[Path]) -> str:
        parts = [
            "the damaged file ("
            + ("read whole" if damaged.whole and damaged.records else "what could be read")
            + ")"
        ]
        if backups:
            parts.append(f"{len(backups)} backup{'s' if len(backups) != 1 else ''}")
        parts.append("the groups' files" if kind == INDEX_KIND else "the retired journals")
        return ", ".join(parts)

    def expect(self, path: Path, raw: bytes, kind: str) -> None:
        """Remember how many records of each table the rebuilt file must hold: as
        many as the damaged bytes still name, or (sessions) the index's summary
        counted, whichever is more."""
        expected: dict[str, tuple[int, str]] = {}
        for table in stored_tables()[kind]:
            expected[table] = (recover.named_in(raw, table), "the damaged file named")
        if kind == GROUP_KIND:
            counted = int(self.summaries.get(path.stem, {}).get("sessions") or 0)
            if counted >= expected["sessions"][0]:
                expected["sessions"] = (counted, "the index's summary counted")
        self.expected[path] = expected

    def groups_for_index(self, groups: list[Group]) -> tuple[list[Group], list[str]]:
        """The index's groups: those recovered, those the journals name, and for any
        group file still unaccounted for, a placeholder (its history is not hidden)."""
        known = {g["id"] for g in groups}
        from_journals = [g for g in self.groups_in_journals() if g["id"] not in known]
        groups = [*groups, *from_journals]
        known |= {g["id"] for g in from_journals}
        placeholders: list[str] = []
        for path in sorted(self.layout.groups_dir.glob("*.json")):
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
        return sorted(self.layout.retired_dir.glob("*.journal")) + sorted(
            self.layout.live_dir.glob("*.journal")
        )

    def check_nothing_lost(self) -> None:
        """After every repair: each rebuilt file holds at least as many records as
        were known before, or what is missing is said, and the doctor exits 1."""
        for path, expected in self.expected.items():
            tables = load_tables(path) or {}
            for table, (before, witness) in expected.items():
                held = len(_docs(tables, table))
                if held >= before:
                    if table in ("sessions", "groups"):
                        self.add("ok", path, f"{table}: {before} before ({witness}), {held} after")
                    continue
                self.problem(
                    path,
                    f"{table}: {before} before ({witness}), {held} after: "
                    f"{before - held} could not be recovered from any file or journal; "
                    "the damaged file is kept in backups/ "
                    "(`peersession doctor --restore FILE` puts it back)",
                )
