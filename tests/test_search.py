"""Search as pure logic: every text collected with its facts, filters, ordering."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peersession.core.model import CheckinDoc
from peersession.core.search import (
    Scorer,
    SearchFilter,
    SearchItem,
    collect,
    could_match,
    search,
)
from peersession.demo import SEARCH_WORD, DemoHistory, demo_history


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=pendulum.date(2026, 3, 10))


@pytest.fixture(scope="module")
def items(demo: DemoHistory) -> list[SearchItem]:
    return collect(demo.group.id, demo.sessions, demo.commitments(), [c for c, _ in demo.checkins])


def contains(word: str) -> Scorer:
    """A stand-in matcher: 1 when the word is in the text (the screen uses Textual's)."""
    return lambda text: 1.0 if word.lower() in text.lower() else 0.0


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
        assert commitment["text"] in texts
        for review in commitment["reviews"]:
            assert review.get("note") is None or review.get("note") in texts
    for checkin, _ in demo.checkins:
        assert checkin["note"] is None or checkin["note"] in texts
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
    checkin: CheckinDoc = {**demo.checkins[0][0], "note": "Travel week", "private": True}
    found = collect(demo.group.id, [], [], [checkin])
    assert [(i.kind, i.label, i.text) for i in found] == [("note", "check-in note", "Travel week")]
    item = found[0]
    assert item.session_id is None
    assert item.member_id == checkin["member_id"]
    assert item.target_id == checkin["id"]
    assert item.private


def test_search_finds_the_word_and_ranks_by_score_then_newest(items: list[SearchItem]) -> None:
    hits = search(items, SEARCH_WORD, contains(SEARCH_WORD))
    assert [hit.item.kind for hit in hits] == ["ask"]
    everything = search(items, "", contains(""))
    days = [hit.item.day for hit in everything]
    assert days == sorted(days, reverse=True), "an empty query lists the newest first"
    assert len(search(items, "", contains(""), limit=5)) == 5


def test_filters_by_member_dates_kind_and_privacy(items: list[SearchItem]) -> None:
    member = next(i.member_id for i in items if SEARCH_WORD in i.text)
    scorer = contains(SEARCH_WORD)
    found = search(items, SEARCH_WORD, scorer, SearchFilter(member_id=member))
    assert len(found) == 1
    other = next(i.member_id for i in items if i.member_id not in (None, member))
    assert not search(items, SEARCH_WORD, scorer, SearchFilter(member_id=other))
    assert not search(items, SEARCH_WORD, scorer, SearchFilter(kinds=frozenset({"note"})))
    assert search(items, SEARCH_WORD, scorer, SearchFilter(kinds=frozenset({"ask"})))
    day = date(2026, 1, 22)
    assert search(items, SEARCH_WORD, scorer, SearchFilter(since=day, until=day))
    assert not search(items, SEARCH_WORD, scorer, SearchFilter(since=date(2026, 1, 23)))
    assert not search(items, SEARCH_WORD, scorer, SearchFilter(until=date(2026, 1, 21)))
    everything = search(items, "", scorer, limit=10_000)
    public = search(items, "", scorer, SearchFilter(include_private=False), limit=10_000)
    assert len(public) < len(everything)
    assert not any(hit.item.private for hit in public)


def test_a_cancelled_search_stops_and_returns_nothing(items: list[SearchItem]) -> None:
    assert search(items, "a", lambda text: 1.0, cancelled=lambda: True) == []


@given(st.text(max_size=8), st.text(max_size=40))
def test_could_match_is_true_whenever_the_letters_appear_in_order(query: str, text: str) -> None:
    # It only lets the matcher skip texts that cannot match; never a real match.
    expected = True
    position = 0
    for char in query:
        found = text.find(char, position)
        if found < 0:
            expected = False
            break
        position = found + 1
    assert could_match(query, text) == expected
    if query in text:
        assert could_match(query, text)
