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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Literal, get_args

from pendulum.tz import local_timezone

from .accountability import local_day
from .gc_pause import gc_paused
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


def collect(
    group_id: str,
    sessions: Iterable[SessionDoc],
    commitments: Iterable[CommitmentDoc],
    checkins: Iterable[CheckinDoc],
    *,
    zone: tzinfo | None = None,
) -> list[SearchItem]:
    """Every searchable text of one group, newest first."""
    with gc_paused():
        return _collect(group_id, sessions, commitments, checkins, zone or local_timezone())


def _collect(
    group_id: str,
    sessions: Iterable[SessionDoc],
    commitments: Iterable[CommitmentDoc],
    checkins: Iterable[CheckinDoc],
    zone: tzinfo,
) -> list[SearchItem]:
    items: list[SearchItem] = []
    session_days: dict[str, date] = {}
    for session in sessions:
        day = local_day(session["started_at"], zone)
        session_days[session["id"]] = day
        items.extend(_session_items(group_id, session, day))
    checkin_days: dict[str, date] = {}
    for checkin in checkins:
        day = local_day(checkin["at"], zone)
        checkin_days[checkin["id"]] = day
        if checkin["note"]:
            items.append(
                SearchItem(
                    "note",
                    "check-in note",
                    checkin["note"],
                    group_id,
                    checkin["member_id"],
                    day,
                    None,
                    checkin["private"],
                    checkin["id"],
                )
            )
    for commitment in commitments:
        items.extend(_commitment_items(group_id, commitment, session_days, checkin_days, zone))
    # Newest first, once: an empty query then takes the first items it accepts.
    items.reverse()
    items.sort(key=lambda item: item.day, reverse=True)
    return items


def _notes(
    group_id: str,
    notes: list[NoteDoc],
    label: str,
    member_id: str | None,
    day: date,
    session_id: str,
    private_parent: bool = False,
) -> Iterator[SearchItem]:
    for note in notes:
        yield SearchItem(
            "note",
            label,
            note["text"],
            group_id,
            member_id,
            day,
            session_id,
            note["private"] or private_parent,
            note["id"],
        )


def _session_items(group_id: str, session: SessionDoc, day: date) -> Iterator[SearchItem]:
    sid = session["id"]
    for turn in session["turns"]:
        yield from _notes(group_id, turn["notes"], "turn note", turn["member_id"], day, sid)
    for ask in session["asks"]:
        who, private = ask["member_id"], ask["private"]
        yield SearchItem("ask", "ask", ask["text"], group_id, who, day, sid, private, ask["id"])
        if ask["outcome"]:
            yield SearchItem(
                "ask", "ask outcome", ask["outcome"], group_id, who, day, sid, private, ask["id"]
            )
        # An ask's notes are about the asker's question, and private with it.
        yield from _notes(group_id, ask["notes"], "ask note", who, day, sid, private)
    for win in session["wins"]:
        yield SearchItem(
            "win",
            f"win ({win['kind']})",
            win["text"],
            group_id,
            win["member_id"],
            day,
            sid,
            win["private"],
            win["id"],
        )
    yield from _notes(group_id, session["notes"], "session note", None, day, sid)


def _commitment_items(
    group_id: str,
    commitment: CommitmentDoc,
    session_days: dict[str, date],
    checkin_days: dict[str, date],
    zone: tzinfo,
) -> Iterator[SearchItem]:
    cid, owner, private = commitment["id"], commitment["owner"], commitment["private"]
    made_in = commitment["made_in"]
    made_day = session_days.get(made_in) or local_day(commitment["made_at"], zone)
    yield SearchItem(
        "commitment",
        "commitment",
        commitment["text"],
        group_id,
        owner,
        made_day,
        made_in if made_in in session_days else None,
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
        # Land where the review was made: its session, else the owner's timeline.
        in_session = review["source"] == "session" and source_id in session_days
        day = (
            session_days[source_id]
            if in_session and source_id
            else checkin_days.get(source_id or "") or local_day(review["at"], zone)
        )
        for kind, label, text in texts:
            if text:
                yield SearchItem(
                    kind,
                    label,
                    text,
                    group_id,
                    owner,
                    day,
                    source_id if in_session else None,
                    private,
                    cid,
                )


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
