"""Searching the history of one group or of all: the one search path.

:func:`find` brings the search index (:mod:`.search_index`) up to date for
the groups searched, asks it (SQLite ranks, marks and limits), and dates each
hit in its group's zone. A search that leaves private texts out does not take
the index's word for what is private: each hit is checked against the group
file itself (:func:`_public_in_history`), and an index caught lying is
discarded, to be built afresh.
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date, tzinfo
from typing import TYPE_CHECKING, Any

from ..core.local_days import local_day
from ..core.search import (
    Hit,
    SearchFilter,
    SearchItem,
    marks_of,
    query_words,
    search_rows,
)
from ..errors import UserError
from .history import HistoryStore
from .search_file import damaged, discard, index_file, require_fts5
from .search_index import Progress, open_index, storable
from .search_query import Query

if TYPE_CHECKING:
    from ..core.model import Group

_DECODER = json.JSONDecoder()
#: How many opening braces before a record's id are tried as its start.
_BRACES_TRIED = 256
#: Bytes decoded at first to parse one record (a session is a few kilobytes).
_WINDOW = 64 * 1024


def find(
    store: HistoryStore,
    query: str,
    where: SearchFilter | None = None,
    *,
    group_ids: Collection[str] | None = None,
    limit: int = 200,
    progress: Progress | None = None,
    groups: Sequence[Group] | None = None,
) -> list[Hit]:
    """The best ``limit`` texts for ``query`` in ``group_ids`` (every group by
    default): best first, newer first among equals; with no words, the newest.
    ``progress`` hears how far a first build has gone. ``groups``, when the
    caller has them, saves reading them again (every group, unless
    ``group_ids`` names only some of them)."""
    require_fts5()
    where = where or SearchFilter()
    complete = groups is None or group_ids is None
    if groups is None:
        groups = store.groups()
    if not groups:
        return []  # nothing saved yet: no index made either
    known = [g.id for g in groups]
    scope = known if group_ids is None else [g for g in known if g in group_ids]
    # Groups no longer there are dropped when every group is known.
    every = known if complete else None
    zones = group_zones(groups)
    asked = Query(
        words=tuple(query_words(query)),
        group_ids=None if group_ids is None else tuple(scope),
        member_id=where.member_id,
        kinds=where.kinds,
        since=where.since,
        until=where.until,
        include_private=where.include_private,
        viewer=where.viewer,
        limit=limit,
    )
    for _attempt in range(2):
        existed = os.path.lexists(index_file(store.layout))
        index = open_index(store.layout)
        assert index is not None  # created when missing
        try:
            index.bring_up_to_date(store, scope, every, progress)
            dated = where.since or where.until or where.viewer
            rows = index.answer(asked, _day_of(zones) if dated else None)
        except UserError:
            # A group file refused (damaged, from a newer version): a search that
            # says no leaves no index it made behind.
            if not existed:
                index.close()
                discard(store.layout)
            raise
        except sqlite3.Error as error:
            if not damaged(error):
                raise UserError(f"{index_path(store)}: cannot search ({error})") from None
            discard(store.layout)  # damaged while in use: rebuilt on the next attempt
            continue
        finally:
            index.close()
        hits = list(_hits(rows, zones))
        if not where.include_private:
            shown, lied = _public_in_history(store, rows)
            if lied:
                discard(store.layout)  # it called private texts public: built afresh
            hits = [hit for hit, ok in zip(hits, shown, strict=True) if ok]
        if where.viewer is not None:
            # A member who joined later finds no private text of an item from before
            # (issue 24.3); the query leaves them out already, this keeps the
            # promise if it did not.
            hits = [hit for hit in hits if where.shows(hit.item)]
        return hits
    raise UserError(f"{index_path(store)}: the search index could not be rebuilt")


def index_path(store: HistoryStore) -> str:
    return str(index_file(store.layout))


def group_zones(groups: Collection[Group]) -> dict[str, tzinfo]:
    """Each group's zone (its slot's, else this machine's), as the history shows dates."""
    # The standard library's zones (pendulum's are built on them: the same days);
    # pendulum, for this machine's zone, only when a group has no slot.
    from zoneinfo import ZoneInfo

    here: str | None = None
    zones: dict[str, tzinfo] = {}
    for group in groups:
        name = group.slot.zone if group.slot else None
        if name is None:
            if here is None:
                from ..core.slot import machine_zone

                here = machine_zone()
            name = here
        zones[group.id] = ZoneInfo(name)
    return zones


def group_day(group: Group) -> Callable[[str], date]:
    """A stored moment → its day in ``group``'s zone (:func:`group_zones`): the day
    ``seen_by`` asks of, so ``history --for`` and ``export --for`` date a
    session where the history and the search do."""
    return functools.partial(local_day, zone=group_zones([group])[group.id])


def _day_of(zones: dict[str, tzinfo]) -> Any:
    def day_of(group_id: str, at: str) -> str:
        try:
            return local_day(at, zones.get(group_id)).isoformat()
        except (ValueError, OverflowError):
            return ""

    return day_of


def _hits(rows: list[tuple[Any, ...]], zones: dict[str, tzinfo]) -> Iterator[Hit]:
    days: dict[tuple[str, str], date] = {}

    def day_of(group: str, at: str) -> date:
        day = days.get((group, at))
        if day is None:
            try:
                day = local_day(at, zones.get(group))
            except (ValueError, OverflowError):
                day = date.min  # an unreadable date: found, and listed last
            days[(group, at)] = day
        return day

    for (
        group,
        _record,
        kind,
        label,
        text,
        member,
        at,
        session,
        private,
        target,
        began,
        marked,
        rank,
    ) in rows:
        day = day_of(group, at)
        first = day_of(group, began) if began != at else None
        item = SearchItem(
            kind, label, text, group, member, day, session, bool(private), target, first
        )
        marks = marks_of(marked, text) if marked is not None else ()
        yield Hit(item, -float(rank), marks)


# -- privacy, from the history itself -------------------------------------------------


def _public_in_history(store: HistoryStore, rows: list[tuple[Any, ...]]) -> tuple[list[bool], bool]:
    """For each row, whether the group file itself holds its text as public; and
    whether the index lied (a text it called public that the file does not).

    Reading every group file with a hit would cost far more than the search;
    instead each hit's record (a session, check-in or commitment) is found in
    its group file by its id and parsed alone (a session with the goals its
    goals review spoke of), and its texts derived from it as
    the index derives them (:func:`~peersession.core.search.search_rows`).
    A record that cannot be found or read keeps its texts out.
    """
    by_group: dict[str, list[int]] = defaultdict(list)
    for number, row in enumerate(rows):
        by_group[row[0]].append(number)
    shown = [False] * len(rows)
    lied = False
    for group_id, numbers in by_group.items():
        try:
            raw = store.layout.group_history_file(group_id).read_bytes()
        except OSError:
            continue
        derived: dict[str, list[tuple[str, str, str, bool]]] = {}
        for number in numbers:
            _, record_id, _, label, text, *_, target, _, _, _ = rows[number]
            if record_id not in derived:
                derived[record_id] = _texts_of(group_id, raw, record_id)
            truths = [t for t in derived[record_id] if t[0] == target and t[1] == label]
            shown[number] = bool(truths) and all(
                not private and stored == text for _, _, stored, private in truths
            )
            lied = lied or any(private for *_, private in truths)
    return shown, lied


def _texts_of(group_id: str, raw: bytes, record_id: str) -> list[tuple[str, str, str, bool]]:
    """(target id, label, text as stored, private) of every text of the record
    ``record_id`` in the group file ``raw``; nothing if it is not there whole."""
    texts: list[tuple[str, str, str, bool]] = []
    for table, record in _records(raw, record_id):
        # A goals review's note is private with its goal: each noted goal found by its id.
        reviewed = record.get("goal_reviews") if table == "sessions" else None
        noted = [
            goal_id
            for goal_id, said in (reviewed.items() if isinstance(reviewed, dict) else ())
            if isinstance(said, dict) and said.get("note")
        ]
        try:
            # Records parsed alone, unchecked: a wrong type is a ValueError here.
            checkins = _typed("checkins", [record] if table == "checkins" else [])
            goals = _typed("goals", [record] if table == "goals" else [])
            found = [g for i in noted for kind, g in _records(raw, i) if kind == "goals"]
            known = {goal.id: goal for goal in _typed("goals", found)}
            sessions = _typed("sessions", [record] if table == "sessions" else [])
            commitments = _typed("commitments", [record] if table == "commitments" else [])
            rows = search_rows(group_id, sessions, commitments, checkins, {}, goals, known)
        except (KeyError, TypeError, AttributeError, ValueError):
            return []  # not a record of the shape the readers accept: shown nowhere
        texts += [(r.target_id, r.label, storable(r.text), r.private) for r in rows]
    return texts


def _typed(table: str, found: list[dict[str, Any]]) -> list[Any]:
    """Records of ``table`` found alone in a group file, as their declared class; a
    ValueError (msgspec's ValidationError is one) for one of another shape. The
    declarations are imported only when such a record is found."""
    if not found:
        return []
    from ..core.record_types import read_all
    from ..core.records import GROUP_TABLES

    return read_all(GROUP_TABLES[table], found)


def _records(raw: bytes, record_id: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of the group file whose ``"id"`` is ``record_id``, with its table.

    Inside a JSON string every quote is escaped, so ``"id":"<record_id>"`` with
    bare quotes is always a key of an object; the object is the one that,
    parsed from an opening brace before it, holds that key and reaches past it.
    Only that stretch of the file is decoded and parsed.
    """
    key = json.dumps(record_id, ensure_ascii=False).encode("utf-8")
    starts = _find_all(raw, b'"id":' + key)  # how the store writes it
    if not starts:  # a file written some other way: any spacing
        pattern = re.compile(rb'"id"\s*:\s*' + re.escape(key))
        starts = [match.start() for match in pattern.finditer(raw)]
    for start in starts:
        brace = raw.rfind(b"{", 0, start)
        # The product writes a record's id first: its own brace is the nearest.
        for _try in range(_BRACES_TRIED):
            if brace < 0:
                break
            found, end = _object_at(raw, brace)
            if isinstance(found, dict) and brace + end > start and found.get("id") == record_id:
                table = _table_of(found)
                if table is not None:
                    yield table, found
                break
            brace = raw.rfind(b"{", 0, brace)


def _find_all(raw: bytes, needle: bytes) -> list[int]:
    found, at = [], raw.find(needle)
    while at >= 0:
        found.append(at)
        at = raw.find(needle, at + 1)
    return found


def _object_at(raw: bytes, start: int) -> tuple[Any, int]:
    """The JSON value that starts at byte ``start`` and how many bytes it takes
    (``None, 0`` if none does), decoding a window that grows until it holds it."""
    window = _WINDOW
    while True:
        chunk = raw[start : start + window]
        try:
            text = codecs.getincrementaldecoder("utf-8")().decode(chunk, final=False)
            found, end = _DECODER.raw_decode(text)
            return found, len(text[:end].encode("utf-8"))
        except (ValueError, RecursionError):
            if start + window >= len(raw):
                return None, 0
            window *= 4


def _table_of(record: dict[str, Any]) -> str | None:
    """Which table a record with an id belongs to, by the fields only it has."""
    if "turns" in record and "asks" in record:
        return "sessions"
    if "statuses" in record and "note" in record:
        return "checkins"
    if "reviews" in record and "owner" in record:
        return "commitments"
    if "title" in record and "owner" in record and "win_ids" in record:
        return "goals"
    return None
