"""Search over everything a group wrote down: what is searchable, and how a hit is marked.

Every text of a group's history becomes a :class:`SearchRow` that knows its
kind, its member, its moment, the session it belongs to (if any), whether it
is private, and which record to land on; the search index
(``store/search_index.py``) stores them, and answers a query ranked (bm25)
and marked (``highlight()``) by SQLite's FTS5. What comes back is a
:class:`Hit`: the item, dated in its group's zone, its score and where the
query matched, as spans over the text (never markup).

Kinds: ``note`` (turn notes, ask notes, session notes, check-in notes,
review notes, what a goals review said of a goal), ``ask`` (the ask and its
outcome), ``commitment`` (its text and any renegotiated text), ``win``,
``goal`` (its title and measure).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Literal, get_args

from .lifecycle import sees_private_of

if TYPE_CHECKING:
    from .model import Member
    from .records import Goal
    from .session_records import Checkin, Commitment, Note, Session

SearchKind = Literal["note", "ask", "commitment", "win", "goal"]
SEARCH_KINDS: tuple[SearchKind, ...] = get_args(SearchKind)

#: What FTS5's ``highlight()`` is asked to put around a match: two control
#: characters, so a text holding either is shown unmarked rather than misread.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"

_MARKS = re.compile(f"([{MARK_OPEN}{MARK_CLOSE}])")

#: A match, as (start, end) offsets into the text.
Span = tuple[int, int]


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
    #: The record to bring into view on landing: a note, ask, win, commitment,
    #: check-in or goal id.
    target_id: str
    #: The local date the item it belongs to began (a commitment made, a goal
    #: set), when that is not :attr:`day`: its texts are private as of then.
    began: date | None = None


@dataclass(frozen=True)
class SearchFilter:
    """Which items a search looks at; ``None`` means no restriction."""

    member_id: str | None = None
    since: date | None = None
    until: date | None = None
    kinds: frozenset[str] | None = None
    include_private: bool = True
    #: The member the results are shown to (issue 24.3: ``--for NAME``): no
    #: private text of an item from before they joined; None: the whole group.
    viewer: Member | None = None

    def shows(self, item: SearchItem) -> bool:
        """Whether ``item`` may be shown to :attr:`viewer` (:func:`private_seen`)."""
        return private_seen(self.viewer, item.private, item.began or item.day)


def private_seen(viewer: Member | None, private: bool, began: date) -> bool:
    """Whether a text, private or not, of an item that began on ``began`` may be
    shown to ``viewer`` (None: the whole group): the rule of ``history --for``
    and ``export --for`` (``core.privacy.seen_by``), which ask
    :func:`~.lifecycle.sees_private_of` of the item's first day too."""
    return not private or viewer is None or sees_private_of(viewer, began)


@dataclass(frozen=True, slots=True)
class Hit:
    """A found item: its score (higher is better; 0 when nothing was ranked) and
    where the query's words are in its text."""

    item: SearchItem
    score: float
    marks: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchRow:
    """A :class:`SearchItem` before its local day is worked out: what the search
    index stores (the day depends on the zone of the group's slot)."""

    #: The record these texts belong to (a session, check-in, commitment or goal id):
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
    #: When the item it belongs to began, if before :attr:`at`: a commitment's
    #: texts (its review notes too) are private as of the session it was made
    #: in, a goal's as of the day it was set (``core.privacy.seen_by``).
    began: str | None = None

    @property
    def first_at(self) -> str:
        """When the item this text belongs to began (what privacy is dated by)."""
        return self.began or self.at


#: What a session or check-in id was: when it happened, and whether a session.
Moments = Mapping[str, tuple[str, bool]]


def moments_of(
    sessions: Iterable[Session], checkins: Iterable[Checkin]
) -> dict[str, tuple[str, bool]]:
    """When each session began and each check-in was made, by id."""
    found: dict[str, tuple[str, bool]] = {c.id: (c.at, False) for c in checkins}
    found.update((s.id, (s.started_at, True)) for s in sessions)
    return found


def search_rows(
    group_id: str,
    sessions: Iterable[Session],
    commitments: Iterable[Commitment],
    checkins: Iterable[Checkin],
    moments: Moments | None = None,
    goals: Iterable[Goal] = (),
    known_goals: Mapping[str, Goal] | None = None,
) -> list[SearchRow]:
    """Every searchable text of the given records, undated. ``moments`` knows the
    group's sessions and check-ins (by default, the ones given): a commitment is
    dated by the session it was made in, a review by where it was made.
    ``known_goals`` are the group's goals by id (by default, the ones given): what
    a session's goals review said of a goal is its owner's, and private with it
    (a goal not known: private)."""
    sessions, checkins, goals = list(sessions), list(checkins), list(goals)
    if moments is None:
        moments = moments_of(sessions, checkins)
    if known_goals is None:
        known_goals = {g.id: g for g in goals}
    rows: list[SearchRow] = []
    for session in sessions:
        rows.extend(_session_rows(group_id, session))
        rows.extend(_goal_review_rows(group_id, session, known_goals))
    for goal in goals:
        rows.extend(_goal_rows(group_id, goal))
    for checkin in checkins:
        if checkin.note:
            rows.append(
                SearchRow(
                    checkin.id,
                    "note",
                    "check-in note",
                    checkin.note,
                    group_id,
                    checkin.member_id,
                    checkin.at,
                    None,
                    checkin.private,
                    checkin.id,
                )
            )
    for commitment in commitments:
        rows.extend(_commitment_rows(group_id, commitment, moments))
    return rows


def _notes(
    group_id: str,
    notes: list[Note],
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
            note.text,
            group_id,
            member_id,
            at,
            session_id,
            note.private or private_parent,
            note.id,
        )


def _session_rows(group_id: str, session: Session) -> Iterator[SearchRow]:
    sid, at = session.id, session.started_at
    for turn in session.turns:
        yield from _notes(group_id, turn.notes, "turn note", turn.member_id, at, sid)
    for ask in session.asks:
        who, private = ask.member_id, ask.private
        yield SearchRow(sid, "ask", "ask", ask.text, group_id, who, at, sid, private, ask.id)
        if ask.outcome:
            yield SearchRow(
                sid,
                "ask",
                "ask outcome",
                ask.outcome,
                group_id,
                who,
                at,
                sid,
                private,
                ask.id,
            )
        # An ask's notes are about the asker's question, and private with it.
        yield from _notes(group_id, ask.notes, "ask note", who, at, sid, private)
    for win in session.wins:
        yield SearchRow(
            sid,
            "win",
            f"win ({win.kind})",
            win.text,
            group_id,
            win.member_id,
            at,
            sid,
            win.private,
            win.id,
        )
    yield from _notes(group_id, session.notes, "session note", None, at, sid)


def _goal_rows(group_id: str, goal: Goal) -> Iterator[SearchRow]:
    """A goal's title and measure, on its owner's page, dated by when it was set."""
    gid, owner, private, at = goal.id, goal.owner, goal.private, goal.created_at
    for label, text in (("goal", goal.title), ("goal measure", goal.measure)):
        if text:
            yield SearchRow(gid, "goal", label, text, group_id, owner, at, None, private, gid)


def earliest(*moments: str) -> str:
    """The earliest of stored timestamps (an unreadable one first: it is shown to
    no one who joined later, as the history's reader refuses it)."""
    first = moments[0]
    if all(len(m) == len(first) and m[-6:] == first[-6:] for m in moments):
        # Written alike (as the store writes them: the same offset): they sort as
        # text, with no parsing (this runs for every commitment and review).
        return min(moments)

    def order(at: str) -> float:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            return float("-inf")
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()

    return min(moments, key=order)


def _goal_review_rows(
    group_id: str, session: Session, goals: Mapping[str, Goal]
) -> Iterator[SearchRow]:
    """What the session's goals review said of each goal, kept with the session."""
    sid, at = session.id, session.started_at
    for goal_id, said in (session.goal_reviews or {}).items():
        note = said.note
        if not note:
            continue
        goal = goals.get(goal_id)
        owner = goal.owner if goal is not None else None
        private = goal is None or goal.private
        # Private as of the goal's setting, as the goal goes in ``seen_by``.
        began = earliest(goal.created_at, at) if goal is not None else None
        yield SearchRow(
            sid, "note", "goal review note", note, group_id, owner, at, sid, private, goal_id, began
        )


def _commitment_rows(
    group_id: str, commitment: Commitment, moments: Moments
) -> Iterator[SearchRow]:
    cid, owner, private = commitment.id, commitment.owner, commitment.private
    made_in = commitment.made_in
    made = moments.get(made_in)
    in_session = made is not None and made[1]
    made_when = made[0] if made is not None and in_session else commitment.made_at
    # A private commitment goes, with its reviews, from a member who joined after
    # the session it was made in or after it was made (``core.privacy.seen_by``).
    began = earliest(made_when, commitment.made_at)
    yield SearchRow(
        cid,
        "commitment",
        "commitment",
        commitment.text,
        group_id,
        owner,
        made_when,
        made_in if in_session else None,
        private,
        cid,
        began,
    )
    for review in commitment.reviews:
        texts: list[tuple[SearchKind, str, str | None]] = [
            ("commitment", "renegotiated", review.text or None),
            ("note", "review note", review.note or None),
        ]
        if not any(text for _, _, text in texts):
            continue
        source_id = review.source_id or None
        where = moments.get(source_id or "")
        # Land where the review was made: its session, else the owner's timeline.
        review_in_session = review.source == "session" and where is not None and where[1]
        # Dated by its session, or by its check-in, else by the review itself.
        at = where[0] if where is not None and (review_in_session or not where[1]) else review.at
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
                    earliest(began, at),
                )


def query_words(query: str) -> list[str]:
    """The words of a query: a text is found when it holds every one of them,
    anywhere (inside longer words too), case ignored."""
    return query.replace("\0", " ").split()


def marks_of(marked: str, text: str) -> tuple[Span, ...]:
    """Where ``highlight()`` put its marks in ``marked`` (``text`` with
    :data:`MARK_OPEN` and :data:`MARK_CLOSE` around each match), as spans of
    ``text``. None at all when ``text`` itself holds a mark character or the
    two disagree: the text is then shown unmarked, never misread."""
    if MARK_OPEN in text or MARK_CLOSE in text:
        return ()
    spans: list[Span] = []
    plain: list[str] = []
    length = 0
    start: int | None = None
    for piece in _pieces(marked):
        if piece == MARK_OPEN:
            if start is not None:
                return ()
            start = length
        elif piece == MARK_CLOSE:
            if start is None:
                return ()
            if length > start:
                spans.append((start, length))
            start = None
        else:
            plain.append(piece)
            length += len(piece)
    if start is not None or "".join(plain) != text:
        return ()
    return tuple(spans)


def _pieces(marked: str) -> Iterator[str]:
    """``marked`` cut into runs of text and single mark characters."""
    return (piece for piece in _MARKS.split(marked) if piece)
