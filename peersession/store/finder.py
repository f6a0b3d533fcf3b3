"""Searching the history of several groups: the index first, a scan where there is none.

:func:`find` asks the search index (:mod:`.search_index`) for the texts that
hold every word of the query, then ranks those candidates exactly as the
history search always ranked every text (the caller's scorer, then
:func:`~peersession.core.search.search`), so every text the old full scan
found as a substring is still found. Where the index cannot exist (no FTS5,
a read-only folder) it reads and scans every group file, as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date, tzinfo
from typing import Any

import pendulum
from pendulum.tz import local_timezone

from ..core.accountability import local_day
from ..core.search import (
    Hit,
    Scorer,
    SearchFilter,
    SearchItem,
    collect,
    query_words,
    search,
)
from ..core.slot import machine_zone
from .history import HistoryStore
from .search_index import SearchIndex, damaged, discard, open_index


def find(
    store: HistoryStore,
    query: str,
    score: Scorer,
    where: SearchFilter | None = None,
    *,
    group_ids: Collection[str] | None = None,
    limit: int = 200,
    cancelled: Callable[[], bool] | None = None,
) -> list[Hit]:
    """The best ``limit`` texts for ``query`` in ``group_ids`` (every group by default)."""
    every_group = [g.id for g in store.groups()]
    wanted = every_group if group_ids is None else [g for g in every_group if g in group_ids]
    items = candidates(store, query, wanted, every_group)
    return search(items, query, score, where, limit=limit, cancelled=cancelled)


def candidates(
    store: HistoryStore,
    query: str,
    group_ids: Collection[str],
    every_group: Collection[str],
) -> Iterator[SearchItem]:
    """Newest first: the indexed texts holding every word of the query, or (with no
    index) every text of the groups. With no words, every text, streamed, so that
    listing the newest few stops early. Each text is dated in its group's zone."""
    zones = group_zones(store)
    for _attempt in range(2):
        index = open_index(store.layout)
        if index is None:
            break
        try:
            index.bring_up_to_date(store, every_group)
            if not query_words(query):
                return _newest_first(index, group_ids, zones)  # closes the index when done
            found = list(_items(index.rows(query, group_ids), zones))
            found.reverse()  # as core.search.collect orders them: newest day first,
            found.sort(key=lambda item: item.day, reverse=True)  # later-collected first
        except sqlite3.Error as error:
            index.close()
            if not damaged(error):
                break  # busy or read-only: scan instead
            discard(store.layout)  # damaged while in use: rebuilt on the next attempt
            continue
        index.close()
        return iter(found)
    return iter(scan(store, group_ids, zones))


def _newest_first(
    index: SearchIndex, group_ids: Collection[str], zones: Mapping[str, tzinfo]
) -> Iterator[SearchItem]:
    """Every indexed text of the groups, newest first, read as it is consumed."""
    try:
        yield from _items(index.rows("", group_ids), zones)
    except sqlite3.Error as error:
        # What was read stands; a damaged index is rebuilt by the next search.
        if damaged(error):
            discard(index.layout)
    finally:
        index.close()


def _items(rows: Iterable[tuple[Any, ...]], zones: Mapping[str, tzinfo]) -> Iterator[SearchItem]:
    """Index rows as items, each dated in its group's zone (one object per row:
    a search may go through tens of thousands)."""
    here = local_timezone()
    days: dict[tuple[str, str], date] = {}
    for _record, kind, label, text, group, member, at, session, private, target in rows:
        day = days.get((group, at))
        if day is None:
            day = days[(group, at)] = local_day(at, zones.get(group, here))
        yield SearchItem(kind, label, text, group, member, day, session, bool(private), target)


def group_zones(store: HistoryStore) -> dict[str, tzinfo]:
    """Each group's zone (its slot's, else this machine's), as the history shows dates."""
    here = machine_zone()
    return {g.id: pendulum.timezone(g.slot.zone if g.slot else here) for g in store.groups()}


def scan(
    store: HistoryStore, group_ids: Collection[str], zones: Mapping[str, tzinfo] | None = None
) -> list[SearchItem]:
    """Every text of the groups, read from their files (no index)."""
    items: list[SearchItem] = []
    zones = zones or group_zones(store)
    for group_id in group_ids:
        docs = store.group_documents(group_id)
        zone = zones.get(group_id)
        items += collect(group_id, docs.sessions, docs.commitments, docs.checkins, zone=zone)
    # Newest first across groups, as from the index.
    items.sort(key=lambda item: item.day, reverse=True)
    return items
