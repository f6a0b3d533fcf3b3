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
from collections.abc import Callable, Collection
from datetime import tzinfo

from ..core.search import Hit, Scorer, SearchFilter, SearchItem, collect, items_of, search
from .history import HistoryStore
from .search_index import discard, open_index


def find(
    store: HistoryStore,
    query: str,
    score: Scorer,
    where: SearchFilter | None = None,
    *,
    group_ids: Collection[str] | None = None,
    limit: int = 200,
    cancelled: Callable[[], bool] | None = None,
    zone: tzinfo | None = None,
) -> list[Hit]:
    """The best ``limit`` texts for ``query`` in ``group_ids`` (every group by default)."""
    every_group = [g.id for g in store.groups()]
    wanted = every_group if group_ids is None else [g for g in every_group if g in group_ids]
    items = candidates(store, query, wanted, every_group, zone)
    return search(items, query, score, where, limit=limit, cancelled=cancelled)


def candidates(
    store: HistoryStore,
    query: str,
    group_ids: Collection[str],
    every_group: Collection[str],
    zone: tzinfo | None = None,
) -> list[SearchItem]:
    """Newest first: the indexed texts holding every word of the query, or (with no
    index) every text of the groups."""
    for _attempt in range(2):
        index = open_index(store.layout)
        if index is None:
            break
        try:
            index.bring_up_to_date(store, every_group)
            return items_of(index.candidates(query, group_ids), zone)
        except sqlite3.DatabaseError:
            discard(store.layout)  # damaged while in use: rebuilt on the next attempt
        except sqlite3.Error:
            break  # busy or read-only: scan instead
        finally:
            index.close()
    return scan(store, group_ids, zone)


def scan(
    store: HistoryStore, group_ids: Collection[str], zone: tzinfo | None = None
) -> list[SearchItem]:
    """Every text of the groups, read from their files (no index)."""
    items: list[SearchItem] = []
    for group_id in group_ids:
        docs = store.group_documents(group_id)
        items += collect(group_id, docs.sessions, docs.commitments, docs.checkins, zone=zone)
    # Newest first across groups, as from the index.
    items.sort(key=lambda item: item.day, reverse=True)
    return items
