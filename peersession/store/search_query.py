"""A search as SQL asks it: which texts, ranked by ``bm25()``, marked by ``highlight()``.

The index's tables are :mod:`.search_index`'s; here is only the reading of them,
so a query's plan is one function to check (``tests/unit/test_search_index.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ..core.search import MARK_CLOSE, MARK_OPEN, SEARCH_KINDS, private_seen

if TYPE_CHECKING:
    from ..core.model import Member

#: FTS5's trigram tokenizer indexes runs of three characters; shorter words
#: are looked for with LIKE among the texts the other words found (or, with
#: no longer word, among the group's texts, newest first).
TRIGRAM = 3

#: How many times the limit FTS5's own order is read at first.
_READ_PAST = 4

#: What a query hands back, in this order.
_COLUMNS = (
    "i.group_id, i.record_id, i.kind, i.label, i.text, i.member_id, i.at, "
    "i.session_id, i.private, i.target_id, i.began"
)


@dataclass(frozen=True, slots=True)
class Query:
    """A search as SQL asks it (``finder`` builds it from what people typed)."""

    words: tuple[str, ...]
    #: None: every group.
    group_ids: tuple[str, ...] | None = None
    member_id: str | None = None
    kinds: frozenset[str] | None = None
    since: date | None = None
    until: date | None = None
    include_private: bool = True
    #: The member it is shown to: private texts only of items from after they
    #: joined (``seen_by(i.group_id, i.began)``, :func:`answer`).
    viewer: Member | None = None
    limit: int = 200


def query_sql(query: Query) -> tuple[str, list[Any]]:
    """The statement that ranks ``query``: the best ``query.limit`` ids of
    ``items``, best first, with their bm25 score (lower is better; 0 when
    no word was long enough for FTS5), and its parameters.

    With a word of three letters or more, FTS5 finds the texts and SQLite
    reads each found row of ``items`` by its id: the ``+`` before each
    column of ``items`` keeps SQLite from walking a whole group through an
    index of ``items`` instead (``tests/unit/test_search_index.py`` checks the
    plan). Without one, the newest texts of the groups are listed.
    """
    long = _long_words(query)
    short = [w for w in query.words if len(w) < TRIGRAM]
    clauses: list[str] = []
    params: list[Any] = []
    if long:
        source = "texts JOIN items AS i ON i.id = texts.rowid"
        clauses.append("texts MATCH ?")
        params.append(_phrase(long))
        score, order, plus = "bm25(texts)", "bm25(texts), i.moment DESC", "+"
    else:
        source, score, order, plus = "items AS i", "0.0", "i.moment DESC", ""
    for word in short:
        clauses.append("i.text LIKE ? ESCAPE '\\'")
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    if query.group_ids is not None:
        marks = ", ".join("?" * len(query.group_ids))
        clauses.append(f"{plus}i.group_id IN ({marks})")
        params.extend(query.group_ids)
    if query.member_id is not None:
        clauses.append(f"{plus}i.member_id = ?")
        params.append(query.member_id)
    if query.kinds is not None:
        clauses.append(f"{plus}i.kind IN ({', '.join('?' * len(query.kinds))})")
        params.extend(sorted(query.kinds))
    if not query.include_private:
        clauses.append(f"{plus}i.private = 0")
    if query.since is not None:
        clauses.append("day_of(i.group_id, i.at) >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("day_of(i.group_id, i.at) <= ?")
        params.append(query.until.isoformat())
    if query.viewer is not None:
        # In SQL, before the limit: filtered after it, a later joiner got fewer
        # results than asked for while more were there. Dated by the item's
        # first moment (``began``), not the text's own, as ``history --for`` is.
        clauses.append(f"({plus}i.private = 0 OR seen_by(i.group_id, i.began))")
    if long and len(clauses) == 1:
        # Nothing to read from ``items`` but the order of equals: FTS5 alone
        # ranks, and :func:`answer` puts the newer first among equals.
        source, order = "texts AS i", "bm25(texts)"
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    params.append(query.limit)
    return f"SELECT i.rowid, {score} FROM {source} {where} ORDER BY {order} LIMIT ?", params


def answer(
    db: sqlite3.Connection, query: Query, day_of: Callable[[str, str], str] | None = None
) -> list[tuple[Any, ...]]:
    """The best ``query.limit`` rows: :data:`_COLUMNS`, the text marked by
    ``highlight()`` (``None`` when no word was long enough for FTS5) and
    the bm25 score (lower is better). ``day_of(group_id, at)`` is the local
    day as ISO text, for a query with dates or a viewer."""
    if day_of is not None:
        db.create_function("day_of", 2, day_of, deterministic=True)
        if query.viewer is not None:
            db.create_function("seen_by", 2, _seen_by(query.viewer, day_of), deterministic=True)
    if _ranked_by_fts_alone(query):
        return _best_of_fts(db, query)
    rows = _best_of_join(db, query)
    # Best first, newer first among equals (``at`` is an ISO timestamp).
    rows.sort(key=lambda row: moment(row[6]), reverse=True)
    rows.sort(key=lambda row: row[-1])
    return rows


def _seen_by(viewer: Member, day_of: Callable[[str, str], str]) -> Callable[[str, str], bool]:
    """SQL's ``seen_by(group_id, began)``: whether a private text of an item that
    began then may be shown to ``viewer`` (:func:`~..core.search.private_seen`)."""

    def seen_by(group_id: str, began: str) -> bool:
        try:
            return private_seen(viewer, True, date.fromisoformat(day_of(group_id, began)))
        except (TypeError, ValueError):
            return False  # an unreadable moment: shown to no one who joined later

    return seen_by


def _ranked_by_fts_alone(query: Query) -> bool:
    """Whether FTS5's own order can be read from the top: a word FTS5 can look
    for, and no filter but (at most) leaving private texts out, which few are."""
    return (
        bool(_long_words(query))
        and len(_long_words(query)) == len(query.words)
        and query.group_ids is None
        and query.member_id is None
        and query.kinds is None
        and query.since is None
        and query.until is None
        and query.viewer is None
    )


def _best_of_fts(db: sqlite3.Connection, query: Query) -> list[tuple[Any, ...]]:
    """FTS5 ranks every match by itself (no row of ``items`` read); the rows
    read from the top are dropped if private (when asked), put newer first
    among equals, and only those kept are marked. It reads further down
    while too few are left, or while the equals at the limit may go on past
    what was read."""
    phrase = _phrase(_long_words(query))
    # Read past the limit at first: equals at the limit usually end soon after,
    # and rows cost little next to the ranking, which reads every match anyway.
    wanted = query.limit * _READ_PAST + 1
    while True:
        ranked = db.execute(
            "SELECT rowid, bm25(texts) FROM texts WHERE texts MATCH ? ORDER BY bm25(texts) LIMIT ?",
            (phrase, wanted),
        ).fetchall()
        rows = _with_columns(db, ranked, query.include_private)
        if len(ranked) < wanted:
            break  # every match read
        if len(rows) >= query.limit and rows[query.limit - 1][-1] < ranked[-1][1]:
            break  # the last row kept is better than any row not read
        wanted *= 4
    # Newer first among equals: the id comes first here, so ``at`` is the 8th.
    rows.sort(key=lambda row: moment(row[7]), reverse=True)
    rows.sort(key=lambda row: row[-1])
    return _marked(db, phrase, rows[: query.limit])


def _with_columns(
    db: sqlite3.Connection, ranked: list[tuple[Any, ...]], include_private: bool
) -> list[tuple[Any, ...]]:
    """``ranked`` (id, score) as rows of :data:`_COLUMNS` and the score, in its order."""
    if not ranked:
        return []
    marks = ", ".join("?" * len(ranked))
    found = db.execute(
        f"SELECT i.id, {_COLUMNS} FROM items AS i WHERE i.id IN ({marks})",
        [row_id for row_id, _ in ranked],
    ).fetchall()
    # Private ones left out here, once every row read is known to be well typed.
    by_id = {
        row[0]: row for row in found if _well_typed(row[1:]) and (include_private or not row[9])
    }
    return [(*by_id[row_id], score) for row_id, score in ranked if row_id in by_id]


def _marked(
    db: sqlite3.Connection, phrase: str, rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """``rows`` (id first) with the text marked by ``highlight()`` before the
    score, and their id dropped. The ``+`` keeps the ids a filter on one pass
    over the matches: as a constraint, FTS5 would run the match once per id."""
    if not rows:
        return []
    marks = ", ".join("?" * len(rows))
    marked = dict(
        _marks_checked(
            db.execute(
                f"SELECT rowid, highlight(texts, 0, '{MARK_OPEN}', '{MARK_CLOSE}') FROM texts "
                f"WHERE texts MATCH ? AND +rowid IN ({marks})",
                [phrase, *(row[0] for row in rows)],
            ).fetchall()
        )
    )
    return [(*row[1:-1], marked.get(row[0]), row[-1]) for row in rows]


def _best_of_join(db: sqlite3.Connection, query: Query) -> list[tuple[Any, ...]]:
    """Ranked first, marked after: SQLite would work out every column of
    every candidate before sorting, so ``highlight()`` runs only on the
    rows that made the cut. The ``+`` keeps those ids a filter on one pass
    over the matches: as a constraint, FTS5 would run the match once per id."""
    statement, params = query_sql(query)
    ranked = db.execute(statement, params).fetchall()
    if not ranked:
        return []
    long = _long_words(query)
    ids = [row_id for row_id, _ in ranked]
    marks = ", ".join("?" * len(ids))
    if long:
        details = (
            f"SELECT i.id, {_COLUMNS}, highlight(texts, 0, '{MARK_OPEN}', '{MARK_CLOSE}') "
            "FROM texts JOIN items AS i ON i.id = texts.rowid "
            f"WHERE texts MATCH ? AND +texts.rowid IN ({marks})"
        )
        found = db.execute(details, [_phrase(long), *ids]).fetchall()
    else:
        details = f"SELECT i.id, {_COLUMNS}, NULL FROM items AS i WHERE i.id IN ({marks})"
        found = db.execute(details, ids).fetchall()
    by_id = {row[0]: row[1:] for row in found if _well_typed(row[1:])}
    return [(*by_id[row_id], score) for row_id, score in ranked if row_id in by_id]


#: The type of each of :data:`_COLUMNS` and of the marked text, as stored by us.
_TYPES: tuple[type | tuple[type, ...], ...] = (
    str, str, str, str, str, (str, type(None)), str, (str, type(None)), int, str, str,
)  # fmt: skip


def _well_typed(row: tuple[Any, ...]) -> bool:
    """Whether a row of :data:`_COLUMNS` (and perhaps its marked text) holds what
    the index stores; else the file was edited by hand (SQLite keeps a blob or
    a number in a text column), and :class:`DamagedIndex` says so."""
    marked = row[len(_TYPES) :]
    if not all(isinstance(v, t) for v, t in zip(row, _TYPES, strict=False)):
        raise DamagedIndex("the search index holds a row of the wrong type")
    if row[2] not in SEARCH_KINDS or any(not isinstance(m, str | None) for m in marked):
        raise DamagedIndex("the search index holds a row of the wrong type")
    return True


def _marks_checked(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    if any(not isinstance(marked, str | None) for _, marked in rows):
        raise DamagedIndex("the search index holds a row of the wrong type")
    return rows


class DamagedIndex(sqlite3.DatabaseError):
    """What the index answered is not what it stores: it is discarded and rebuilt."""


def _long_words(query: Query) -> list[str]:
    return [w for w in query.words if len(w) >= TRIGRAM]


def _phrase(words: list[str]) -> str:
    """FTS5's query for texts holding every word: each a quoted string."""
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def moment(at: str) -> float:
    """Seconds since the epoch of a stored timestamp, for ordering (0 if unreadable:
    such a record is reported by the readers, and sorts last here)."""
    try:
        moment = datetime.fromisoformat(at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    except (ValueError, OverflowError, OSError):
        return 0.0
