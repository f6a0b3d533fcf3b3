"""Search as pure logic: every text collected with its facts; FTS5's marks read as spans."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date
from typing import Any

import msgspec
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peersession.core.local_days import local_day
from peersession.core.record_types import read_all
from peersession.core.search import (
    MARK_CLOSE,
    MARK_OPEN,
    SearchItem,
    earliest,
    marks_of,
    query_words,
    search_rows,
)
from peersession.core.session_records import Session
from peersession.demo import SEARCH_WORD, DemoHistory, demo_history


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=pendulum.date(2026, 3, 10))


def collect(
    group_id: str, sessions: list[Any], commitments: list[Any], checkins: list[Any]
) -> list[SearchItem]:
    """Every row, dated (in UTC: the demo's sessions are at midday)."""
    return [
        SearchItem(
            r.kind,
            r.label,
            r.text,
            r.group_id,
            r.member_id,
            local_day(r.at, UTC),
            r.session_id,
            r.private,
            r.target_id,
        )
        for r in search_rows(group_id, sessions, commitments, checkins)
    ]


@pytest.fixture(scope="module")
def items(demo: DemoHistory) -> list[SearchItem]:
    # The demo's sessions as written, read as the history reads them back.
    sessions = read_all(Session, demo.sessions)
    return collect(demo.group.id, sessions, demo.commitments(), [c for c, _ in demo.checkins])


def test_every_text_of_the_history_is_collected(demo: DemoHistory, items: list[SearchItem]) -> None:
    texts = {item.text for item in items}
    for session in demo.sessions:
        for turn in session["turns"]:
            assert {n["text"] for n in turn["notes"]} <= texts
        for ask in session["asks"]:
            assert ask["text"] in texts
            assert ask["outcome"] is None or ask["outcome"] in texts
            assert {n["text"] for n in ask["notes"]} <= texts
        assert {w["text"] for w in session["wins"]} <= texts
        assert {n["text"] for n in session["notes"]} <= texts
    for commitment in demo.commitments():
        assert commitment.text in texts
        for review in commitment.reviews:
            assert not review.note or review.note in texts
    for checkin, _ in demo.checkins:
        assert checkin.note is None or checkin.note in texts
    assert Counter(item.kind for item in items).keys() == {"note", "ask", "commitment", "win"}


def test_items_know_their_member_date_session_and_privacy(
    demo: DemoHistory, items: list[SearchItem]
) -> None:
    sabbatical = [item for item in items if SEARCH_WORD in item.text]
    assert len(sabbatical) == 1
    item = sabbatical[0]
    ask_session = demo.sessions[-3]
    assert item.kind == "ask"
    assert item.session_id == ask_session["id"]
    assert item.target_id == ask_session["asks"][0]["id"]
    assert item.member_id == ask_session["asks"][0]["member_id"]
    assert item.day == date(2026, 1, 22)
    private_wins = [i for i in items if i.kind == "win" and i.private]
    assert private_wins, "the demo has a private win"
    ask_notes = [i for i in items if i.label == "ask note"]
    for note in ask_notes:
        ask = next(
            a
            for s in demo.sessions
            for a in s["asks"]
            if note.target_id in {n["id"] for n in a["notes"]}
        )
        assert note.private >= ask["private"], "an ask's notes are private with it"


def test_checkin_notes_have_no_session_and_land_on_the_member(demo: DemoHistory) -> None:
    checkin = msgspec.structs.replace(demo.checkins[0][0], note="Travel week", private=True)
    found = collect(demo.group.id, [], [], [checkin])
    assert [(i.kind, i.label, i.text) for i in found] == [("note", "check-in note", "Travel week")]
    item = found[0]
    assert item.session_id is None
    assert item.member_id == checkin.member_id
    assert item.target_id == checkin.id
    assert item.private


def test_marks_are_read_as_spans_of_the_text() -> None:
    text = "Grant office, then the grants"
    marked = f"{MARK_OPEN}Grant{MARK_CLOSE} office, then the {MARK_OPEN}grant{MARK_CLOSE}s"
    spans = marks_of(marked, text)
    assert [text[a:b] for a, b in spans] == ["Grant", "grant"]


def test_a_text_holding_a_mark_character_is_shown_unmarked() -> None:
    # Never misread: a text that holds the mark itself gets no marks at all.
    text = f"odd {MARK_OPEN}grant"
    assert marks_of(f"odd {MARK_OPEN}{MARK_OPEN}grant{MARK_CLOSE}", text) == ()
    assert marks_of(f"{MARK_OPEN}other{MARK_CLOSE}", "text") == (), "marked text that differs"
    assert marks_of(f"{MARK_OPEN}open", "open") == (), "a mark left open"


@given(st.text(max_size=30), st.lists(st.integers(0, 30), max_size=6))
def test_marks_put_anywhere_come_back_where_they_were(text: str, cuts: list[int]) -> None:
    points = sorted({min(c, len(text)) for c in cuts})
    spans = [(a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b]
    marked, last = [], 0
    for a, b in spans:
        marked += [text[last:a], MARK_OPEN, text[a:b], MARK_CLOSE]
        last = b
    marked.append(text[last:])
    found = marks_of("".join(marked), text)
    if MARK_OPEN in text or MARK_CLOSE in text:
        assert found == ()
    else:
        assert list(found) == spans


def test_query_words_are_split_on_spaces_and_nul() -> None:
    assert query_words("  grant\x00office  ") == ["grant", "office"]
    assert query_words("   ") == []


def test_the_earliest_moment_is_read_across_offsets_and_an_unreadable_one_comes_first() -> None:
    # 11:00 UTC on 14 March, written in Kiritimati's offset, is before 12:00 UTC.
    kiritimati, utc = "2026-03-15T01:00:00+14:00", "2026-03-14T12:00:00+00:00"
    assert earliest(utc, kiritimati) == kiritimati
    assert earliest("2026-03-14T12:00:00+00:00", "2026-03-14T11:59:59+00:00") == (
        "2026-03-14T11:59:59+00:00"
    )
    assert earliest("2026-03-14T12:00:00.5+00:00", "2026-03-14T12:00:00+00:00") == (
        "2026-03-14T12:00:00+00:00"
    )
    assert earliest(utc, "not a date") == "not a date", "shown to no one who joined later"
