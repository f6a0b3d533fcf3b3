"""Bringing back every record that is still somewhere: the repair never reduces history.

When a data file is damaged, its records may survive in several places: most
of them in the damaged file itself (one stray byte at the end leaves all of
it readable), older copies in ``backups/``, finished sessions in the retired
journals, and, for a damaged index, the groups' own files. ``doctor --repair``
unites all of them, record by record (by id; the newer version of a record
wins and a commitment keeps the reviews of every copy), instead of picking
one source and losing the rest.

It also counts what *should* be there (:func:`expected_counts`): the index's
summary and the records the damaged bytes still name. When fewer come back,
the doctor says exactly how many of what are missing and exits 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.ids import new_id
from ..core.record_types import Record as Declared
from .merge import merge_commitment
from .schema import META_DOC_ID, META_TABLE, meta_doc
from .shape_check import is_id, problem_with, stored_tables
from .storage import Tables

Record = dict[str, Any]

#: A record's start in TinyDB's layout: ``"12":{``.
_RECORD_START = re.compile(r'"\d+"\s*:\s*(?=\{)')

#: Keys only a record of that table holds, to count what the damaged bytes name.
MARKERS: dict[str, bytes] = {
    "sessions": b'"started_at"',
    "commitments": b'"made_in"',
    "checkins": b'"energy"',
    "groups": b'"created_at"',
    "removals": b'"removed_at"',
    "goals": b'"win_ids"',
}


@dataclass
class Salvage:
    """The records found in one source, table by table."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    #: Records found but of the wrong shape (unusable), by table.
    dropped: dict[str, int] = field(default_factory=dict)
    #: The source could not be read to its end: records after the damage are unknown.
    cut_short: bool = False

    @property
    def whole(self) -> bool:
        """Every record of the source was read and used."""
        return not self.cut_short and not any(self.dropped.values())


def _has_shape(record: object, shape: type[Declared]) -> bool:
    return problem_with(record, shape) is None


def records_of(tables: Tables, kind: str) -> Salvage:
    """The well-shaped records of a parsed file (records of the wrong shape are skipped)."""
    salvage = Salvage()
    for table, shape in stored_tables(kind).items():
        docs = list(tables.get(table, {}).values())
        good = [doc for doc in docs if _has_shape(doc, shape)]
        salvage.records[table] = good
        if len(good) < len(docs):
            salvage.dropped[table] = len(docs) - len(good)
    return salvage


def salvage_bytes(raw: bytes, kind: str) -> Salvage:
    """Every record still readable in the bytes of a damaged file.

    First as a whole (a file with trailing garbage parses up to it); failing
    that, record by record wherever one starts, each kept only if it has the
    shape of one of the file's tables.
    """
    text = raw.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    try:
        value, end = decoder.raw_decode(text, start)
    except ValueError:
        value, end = None, 0
    if isinstance(value, dict) and all(isinstance(t, dict) for t in value.values()):
        # The whole document parsed: what follows it is junk, unless it names records.
        salvage = records_of(value, kind)
        rest = text[end:].encode("utf-8")
        salvage.cut_short = any(named_in(rest, table) for table in stored_tables(kind))
        return salvage
    salvage = Salvage(cut_short=True)
    shapes = stored_tables(kind)
    for match in _RECORD_START.finditer(text):
        try:
            record, _ = decoder.raw_decode(text, match.end())
        except ValueError:
            continue
        for table, shape in shapes.items():
            if _has_shape(record, shape):
                salvage.records.setdefault(table, []).append(record)
                break
    return salvage


def named_in(raw: bytes, table: str) -> int:
    """How many records of ``table`` the bytes of a file still name (a floor for
    what a repair must bring back, even from a file that no longer parses)."""
    return raw.count(MARKERS[table])


def repeated_in(raw: bytes, table: str) -> int:
    """How many records of ``table`` repeat an earlier record's id, in a file
    that still parses (a bad copy or merge): named twice, but one record."""
    try:
        tables = json.loads(raw)
        records = tables.get(table, {}).values()
        ids = [r.get("id") for r in records if isinstance(r, dict) and "id" in r]
    except (ValueError, AttributeError, TypeError, RecursionError):
        return 0
    hashable = [i for i in ids if isinstance(i, str)]
    return len(hashable) - len(set(hashable))


def _moment(record: Record) -> datetime:
    try:
        moment = datetime.fromisoformat(str(record.get("updated_at")))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def unite(table: str, sources: Iterable[Iterable[Record]]) -> list[Record]:
    """The records of every source, one per id: the newer version (by
    ``updated_at``; the earlier source on a tie), commitments with the reviews
    of every copy. Groups have no edit time: the earliest source's wins."""
    kept: dict[str, Record] = {}
    for source in sources:
        for record in source:
            key = str(record["id"])
            mine = kept.get(key)
            if mine is None:
                kept[key] = record
            elif table == "commitments":
                kept[key] = merge_commitment(mine, record)
            elif table != "groups" and _moment(record) > _moment(mine):
                kept[key] = record
    return list(kept.values())


def tables_from(kind: str, records: dict[str, list[Record]]) -> Tables:
    """A data file holding ``records``, with fresh TinyDB ids and a current ``_meta``."""
    tables: Tables = {META_TABLE: {META_DOC_ID: meta_doc(kind)}}
    for table, docs in records.items():
        tables[table] = {str(number): doc for number, doc in enumerate(docs, start=1)}
    return tables


def placeholder_group(group_id: str, history: Tables) -> Record:
    """A group the index lost and nothing else names: its history is in its file,
    but its name and its members' names are gone. It comes back under a name
    that says so, its members under their ids, so nothing is hidden."""
    member_ids: list[str] = []

    def saw(member_id: object) -> None:
        if isinstance(member_id, str) and member_id not in member_ids:
            member_ids.append(member_id)

    started: list[str] = []
    for session in history.get("sessions", {}).values():
        started.append(session["started_at"])
        for member_id in session["order"]:
            saw(member_id)
        for member_id in session["attendance"]:
            saw(member_id)
    for commitment in history.get("commitments", {}).values():
        saw(commitment["owner"])
    for checkin in history.get("checkins", {}).values():
        saw(checkin["member_id"])
    if not member_ids:
        member_ids.append(new_id())
    return {
        "id": group_id,
        "name": f"recovered group {group_id}",
        "members": [{"id": m, "name": f"member {m}", "active": True} for m in member_ids],
        "created_at": min(started, default=datetime.now(UTC).isoformat()),
        "summary": {},
    }


def set_aside_target(root: Path, backup: Path) -> Path:
    """Where a file set aside in ``backups/`` (``<stem>.<reason>.<stamp>.json``) came from."""
    stem = backup.name.split(".", 1)[0]
    if stem == "peersession":
        return root / "peersession.json"
    if not is_id(stem):
        raise ValueError(f"{backup.name}: not a file peersession set aside")
    return root / "groups" / f"{stem}.json"
