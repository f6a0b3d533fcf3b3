"""Search over everything a group wrote down: collecting, filtering, ranking.

Every text of a group's history becomes a :class:`SearchItem` that knows its
kind, its member, its date, the session it belongs to (if any), whether it is
private, and which record to land on. Matching itself is injected (the screen
passes Textual's fuzzy matcher), so this module stays pure and its filters
and ordering are tested without a screen.

Kinds: ``note`` (turn notes, ask notes, session notes, check-in notes,
review notes), ``ask`` (the ask and its outcome), ``commitment`` (its text and
any renegotiated text), ``win``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Literal, get_args

from pendulum.tz import local_timezone

from .accountability import local_day
from .model import CheckinDoc, CommitmentDoc, NoteDoc, SessionDoc

SearchKind = Literal["note", "ask", "commitment", "win"]
SEARCH_KINDS: tuple[SearchKind, ...] = get_args(SearchKind)

#: Scores a candidate text against the query typed: 0 means no match.
Scorer = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class SearchItem:
    """One searchable text and where it lives."""

    kind: SearchKind
    #: What part of the record it is, for the result row: "turn note", "ask outcome"...
    label: str
    text: str
    group_id: str
    member_id: str | None
    #: The local calendar date of the session (or check-in, or review) it belongs to.
    day: date
    session_id: str | None
    private: bool
    #: The record to bring into view on landing: a note, ask, win, commitment or check-in id.
    target_id: str


@dataclass(frozen=True)
class SearchFilter:
    """Which items a search looks at; ``None`` means no restriction."""

    member_id: str | None = None
    since: date | None = None
    until: date | None = None
    kinds: frozenset[str] | None = None
    include_private: bool = True

    def accepts(self, item: SearchItem) -> bool:
        return (
            (self.member_id is None or item.member_id == self.member_id)
            and (self.since is None or item.day >= self.since)
            and (self.until is None or item.day <= self.until)
            and (self.kinds is None or item.kind in self.kinds)
            and (self.include_private or not item.private)
        )


@dataclass(frozen=True, slots=True)
class Hit:
    item: SearchItem
    score: float


@dataclass(frozen=True, slots=True)
class SearchRow:
    """A :class:`SearchItem` before its local day is worked out: what the search
    index stores (the day depends on the zone of whoever searches)."""

    #: The record these texts belong to (a session, check-in or commitment id):
    #: saving that record again replaces its rows.
    record_id: str
    kind: SearchKind
    label: str
    text: str
    group_id: str
    member_id: str | None
    #: The stored timestamp whose local date is the item's day.
    at: str
    session_id: str | None
    private: bool
    target_id: str


#: What a session or check-in id was: when it happened, and whether a session.
Moments = Mapping[str, tuple[str, bool]]


def moments_of(
    sessions: Iterable[SessionDoc], checkins: Iterable[CheckinDoc]
) -> dict[str, tuple[str, bool]]:
    """When each session began and each check-in was made, by id."""
    found: dict[str, tuple[str, bool]] = {c["id"]: (c["at"], False) for c in checkins}
    found.update((s["id"], (s["started_at"], True)) for s in sessions)
    return found


def collect(
    group_id: str,
    sessions: Iterable[SessionDoc],
    commitments: Iterable[CommitmentDoc],
    checkins: Iterable[CheckinDoc],
    *,
    zone: tzinfo | None = None,
) -> list[SearchItem]:
    """Every searchable text of one group, newest first."""
    return items_of(search_rows(group_id, sessions, commitments, checkins), zone)


def items_of(
    rows: Iterable[SearchRow],
    zone: tzinfo | None = None,
    *,
    zones: Mapping[str, tzinfo] | None = None,
) -> list[SearchItem]:
    """Rows as items dated in their group's zone (``zones``), else in ``zone`` (the
    local one by default), newest first; among items of one day, the later-collected
    first."""
    items = list(stream_items(rows, zone, zones=zones))
    items.reverse()
    items.sort(key=lambda item: item.day, reverse=True)
    return items


def stream_items(
    rows: Iterable[SearchRow],
    zone: tzinfo | None = None,
    *,
    zones: Mapping[str, tzinfo] | None = None,
) -> Iterator[SearchItem]:
    """Rows as items, in the rows' order, each dated in its group's zone."""
    default = zone or local_timezone()
    zones = zones or {}
    # Most rows share their session's moment: work out each day once.
    days: dict[tuple[str, str], date] = {}
    for row in rows:
        day = days.get((row.group_id, row.at))
        if day is None:
            day = local_day(row.at, zones.get(row.group_id, default))
            days[(row.group_id, row.at)] = day
        yield item_of(row, day)


def item_of(row: SearchRow, day: date) -> SearchItem:
    return SearchItem(
        row.kind,
        row.label,
        row.text,
        row.group_id,
        row.member_id,
        day,
        row.session_id,
        row.private,
        row.target_id,
    )


def search_rows(
    group_id: str,
    sessions: Iterable[SessionDoc],
    commitments: Iterable[CommitmentDoc],
    checkins: Iterable[CheckinDoc],
    moments: Moments | None = None,
) -> list[SearchRow]:
    """Every searchable text of the given records, undated. ``moments`` knows the
    group's sessions and check-ins (by default, the ones given): a commitment is
    dated by the session it was made in, a review by where it was made."""
    sessions, checkins = list(sessions), list(checkins)
    if moments is None:
        moments = moments_of(sessions, checkins)
    rows: list[SearchRow] = []
    for session in sessions:
        rows.extend(_session_rows(group_id, session))
    for checkin in checkins:
        if checkin["note"]:
            rows.append(
                SearchRow(
                    checkin["id"],
                    "note",
                    "check-in note",
                    checkin["note"],
                    group_id,
                    checkin["member_id"],
                    checkin["at"],
                    None,
                    checkin["private"],
                    checkin["id"],
                )
            )
    for commitment in commitments:
        rows.extend(_commitment_rows(group_id, commitment, moments))
    return rows


def _notes(
    group_id: str,
    notes: list[NoteDoc],
    label: str,
    member_id: str | None,
    at: str,
    session_id: str,
    private_parent: bool = False,
) -> Iterator[SearchRow]:
    for note in notes:
        yield SearchRow(
            session_id,
            "note",
            label,
            note["text"],
            group_id,
            member_id,
            at,
            session_id,
            note["private"] or private_parent,
            note["id"],
        )


def _session_rows(group_id: str, session: SessionDoc) -> Iterator[SearchRow]:
    sid, at = session["id"], session["started_at"]
    for turn in session["turns"]:
        yield from _notes(group_id, turn["notes"], "turn note", turn["member_id"], at, sid)
    for ask in session["asks"]:
        who, private = ask["member_id"], ask["private"]
        yield SearchRow(sid, "ask", "ask", ask["text"], group_id, who, at, sid, private, ask["id"])
        if ask["outcome"]:
            yield SearchRow(
                sid,
                "ask",
                "ask outcome",
                ask["outcome"],
                group_id,
                who,
                at,
                sid,
                private,
                ask["id"],
            )
        # An ask's notes are about the asker's question, and private with it.
        yield from _notes(group_id, ask["notes"], "ask note", who, at, sid, private)
    for win in session["wins"]:
        yield SearchRow(
            sid,
            "win",
            f"win ({win['kind']})",
            win["text"],
            group_id,
            win["member_id"],
            at,
            sid,
            win["private"],
            win["id"],
        )
    yield from _notes(group_id, session["notes"], "session note", None, at, sid)


def _commitment_rows(
    group_id: str, commitment: CommitmentDoc, moments: Moments
) -> Iterator[SearchRow]:
    cid, owner, private = commitment["id"], commitment["owner"], commitment["private"]
    made_in = commitment["made_in"]
    made = moments.get(made_in)
    in_session = made is not None and made[1]
    yield SearchRow(
        cid,
        "commitment",
        "commitment",
        commitment["text"],
        group_id,
        owner,
        made[0] if made is not None and in_session else commitment["made_at"],
        made_in if in_session else None,
        private,
        cid,
    )
    for review in commitment["reviews"]:
        texts: list[tuple[SearchKind, str, str | None]] = [
            ("commitment", "renegotiated", review.get("text")),
            ("note", "review note", review.get("note")),
        ]
        if not any(text for _, _, text in texts):
            continue
        source_id = review.get("source_id")
        where = moments.get(source_id or "")
        # Land where the review was made: its session, else the owner's timeline.
        review_in_session = review["source"] == "session" and where is not None and where[1]
        # Dated by its session, or by its check-in, else by the review itself.
        at = where[0] if where is not None and (review_in_session or not where[1]) else review["at"]
        for kind, label, text in texts:
            if text:
                yield SearchRow(
                    cid,
                    kind,
                    label,
                    text,
                    group_id,
                    owner,
                    at,
                    source_id if review_in_session else None,
                    private,
                    cid,
                )


def fold(text: str) -> str:
    """A text as the search compares it: lower case, exactly as the history
    search has always folded it (``str.lower``)."""
    return text.lower()


def query_words(query: str) -> list[str]:
    """The folded words of a query. A text holding the whole query holds every
    word, so the texts holding every word are a superset of today's substring
    matches: the index narrows to them, and the ranking decides."""
    return fold(query.strip()).split()


def could_match(query: str, text: str) -> bool:
    """Whether every character of ``query`` appears in ``text`` in order (case
    ignored): a cheap test that lets the fuzzy matcher skip most texts."""
    position = 0
    for char in query:
        position = text.find(char, position) + 1
        if not position:
            return False
    return True


def search(
    items: Iterable[SearchItem],
    query: str,
    score: Scorer,
    where: SearchFilter | None = None,
    *,
    limit: int = 200,
    cancelled: Callable[[], bool] | None = None,
) -> list[Hit]:
    """The best ``limit`` items for ``query``: highest score first, newer first
    among equals. An empty query lists the newest items (``items`` newest
    first, as :func:`collect` gives them, lets it stop early). ``cancelled``
    is polled so a search made stale by the next keystroke stops early."""
    where = where or SearchFilter()
    wanted = query.strip().lower()
    hits: list[Hit] = []
    # While items come newest first, an empty query can stop at ``limit``.
    ordered, previous = True, date.max
    for count, item in enumerate(items):
        if cancelled is not None and count % 2048 == 0 and cancelled():
            return []
        ordered = ordered and item.day <= previous
        previous = item.day
        if not where.accepts(item):
            continue
        if not wanted:
            hits.append(Hit(item, 0.0))
            if ordered and len(hits) >= limit:
                break
            continue
        if not could_match(wanted.replace(" ", ""), item.text.lower()):
            continue
        value = score(item.text)
        if value > 0:
            hits.append(Hit(item, value))
    return heapq.nlargest(limit, hits, key=lambda hit: (hit.score, hit.item.day))
