"""Search on screen: typed incrementally, filtered, landing on the very item."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Input, OptionList, Select, Static

from peersession.demo import SEARCH_WORD
from peersession.store import finder, search_file
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_member import MemberScreen
from peersession.tui.screens.history_search import BUSY_AFTER, PAGE, SCOPE_ALL, SearchScreen
from peersession.tui.screens.history_session import SessionScreen
from peersession.tui.widgets.history_blocks import Block
from peersession.tui.widgets.history_match import marked_line

from history_support import history_app, seed, settle, type_text


async def open_search(pilot, app: PeersessionApp) -> SearchScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    assert isinstance(app.screen, HistoryScreen)
    await pilot.press("slash")
    await settle(pilot)
    assert isinstance(app.screen, SearchScreen)
    return app.screen


def status_of(screen: SearchScreen) -> str:
    return str(screen.query_one("#search-status", Static).render())


async def test_typing_sabbatical_lands_on_the_ask_three_sessions_ago(data_dir: Path) -> None:
    demo = seed(data_dir)
    ask_session = demo.sessions[-3]
    ask = next(a for a in ask_session["asks"] if SEARCH_WORD in a["text"])
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        search = await open_search(pilot, app)
        counts = []
        for char in SEARCH_WORD:
            await pilot.press(char)
            await settle(pilot)
            counts.append(len(search.hits))
        assert counts[-1] == 1, f"one text holds the word; counts while typing: {counts}"
        assert counts == sorted(counts, reverse=True), "each letter narrows the results"
        assert search.hits[0].item.target_id == ask["id"]
        assert status_of(search).startswith("1 result for “sabbatical”")
        await pilot.press("down")  # into the results
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session_id == ask_session["id"]
        landed = [b for b in screen.query(Block) if b.has_class("-landed")]
        assert len(landed) == 1
        block = landed[0]
        assert ask["id"] in block.targets
        assert SEARCH_WORD in block.content_shown.plain
        # The item is in view: the page scrolled so the block is on screen.
        page = screen.query_one("#page")
        top = page.scroll_offset.y
        assert top <= block.virtual_region.y < top + page.size.height
        await pilot.press("escape")
        assert app.screen is search, "back to the results"


async def test_filters_narrow_the_search(data_dir: Path) -> None:
    demo = seed(data_dir)
    asker = next(a["member_id"] for a in demo.sessions[-3]["asks"] if SEARCH_WORD in a["text"])
    other = next(m.id for m in demo.group.members if m.id != asker)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await open_search(pilot, app)
        await type_text(pilot, SEARCH_WORD)
        await settle(pilot)
        assert len(search.hits) == 1
        search.query_one("#search-kind", Select).value = "commitment"
        await settle(pilot)
        assert search.hits == []
        search.query_one("#search-kind", Select).value = "ask"
        await settle(pilot)
        assert len(search.hits) == 1
        search.query_one("#search-member", Select).value = other
        await settle(pilot)
        assert search.hits == []
        search.query_one("#search-member", Select).value = asker
        search.query_one("#search-since", Input).value = "2026-01-22"
        search.query_one("#search-until", Input).value = "2026-01-22"
        await settle(pilot)
        assert len(search.hits) == 1
        search.query_one("#search-since", Input).value = "2026-01-23"
        await settle(pilot)
        assert search.hits == []
        # A date that is not one is said, literally, and nothing is searched.
        search.query_one("#search-until", Input).value = "[b]soon[/b]"
        await settle(pilot)
        assert "to date: not a date: '[b]soon[/b]'" in status_of(search)
        await pilot.press("ctrl+r")  # clear the filters
        await settle(pilot)
        assert len(search.hits) == 1


async def test_an_empty_query_lists_the_newest_texts(data_dir: Path) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        search = await open_search(pilot, app)
        assert search.hits
        days = [hit.item.day for hit in search.hits]
        assert days == sorted(days, reverse=True)
        assert "type to search" in status_of(search)


async def test_all_groups_search_lands_in_the_other_group(data_dir: Path) -> None:
    demo = seed(data_dir)
    other = seed(data_dir, group_name="Early-Career Faculty", seed=11)
    # A check-in note in the other group lands on its member's timeline.
    word = SEARCH_WORD
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await open_search(pilot, app)
        await type_text(pilot, word)
        await settle(pilot)
        assert {hit.item.group_id for hit in search.hits} == {demo.group.id}
        search.query_one("#search-scope", Select).value = SCOPE_ALL
        await settle(pilot)
        groups = {hit.item.group_id for hit in search.hits}
        assert groups == {demo.group.id, other.group.id}
        index = next(i for i, h in enumerate(search.hits) if h.item.group_id == other.group.id)
        hit = search.hits[index]
        results = search.query_one("#search-results", OptionList)
        results.focus()
        results.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen | MemberScreen)
        assert screen.data.group.id == other.group.id
        landed = [b for b in screen.query(Block) if b.has_class("-landed")]
        assert len(landed) == 1 and hit.item.target_id in landed[0].targets


def test_a_hit_is_shown_literally_with_its_marks_styled() -> None:
    text = "[/] how do I [link=x]say no[/link]?"
    start = text.index("say")
    shown = marked_line(text, ((start, start + 3),))
    assert shown.plain == text, "markup in a note is text"
    styled = [(span.start, span.end) for span in shown.spans]
    assert styled == [(start, start + 3)]
    # Control characters are made visible one for one, so the marks still line up.
    shown = marked_line("Cy\x1b[31mred", ((7, 10),))
    assert "\x1b" not in shown.plain and shown.plain[7:10] == "red"
    assert [(span.start, span.end) for span in shown.spans] == [(7, 10)]


def test_a_long_note_is_cut_to_show_its_first_match() -> None:
    text = "word " * 100 + "sabbatical plans " + "tail " * 100
    start = text.index("sabbatical")
    shown = marked_line(text, ((start, start + 10),), limit=80)
    assert len(shown.plain) == 80
    assert shown.plain.startswith("…") and shown.plain.endswith("…")
    (span,) = shown.spans
    assert shown.plain[span.start : span.end] == "sabbatical"


async def test_the_results_mark_what_was_found(data_dir: Path) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        search = await open_search(pilot, app)
        await type_text(pilot, "SABBAT")
        await settle(pilot)
        (hit,) = search.hits
        assert [hit.item.text[a:b] for a, b in hit.marks] == ["sabbat"]
        results = search.query_one("#search-results", OptionList)
        prompt = results.get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        marked = [
            prompt.plain[span.start : span.end] for span in prompt.spans if span.end > span.start
        ]
        assert "sabbat" in marked


async def test_a_first_search_says_how_far_the_index_build_is(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = seed(data_dir)
    search_file.discard(HistoryStore(data_dir).layout)
    shown: list[str] = []
    status = SearchScreen._status

    def recorded(self: SearchScreen, text: Content) -> None:
        shown.append(text.plain)
        status(self, text)

    monkeypatch.setattr(SearchScreen, "_status", recorded)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        search = await open_search(pilot, app)
        assert search.hits, "the index was built and searched"
    assert "building the search index: 0 of 1 group read…" in shown


async def test_the_end_of_a_full_list_lists_the_next_page(data_dir: Path) -> None:
    seed(data_dir)
    app, _ = history_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        search = await open_search(pilot, app)
        assert len(search.hits) == PAGE, "no word yet: the newest texts, one page"
        assert "more at the end of the list" not in status_of(search)
        first_page = [hit.item for hit in search.hits]
        results = search.query_one("#search-results", OptionList)
        results.focus()
        await pilot.press("end")
        await settle(pilot)
        assert len(search.hits) > PAGE, "reaching the end lists more"
        assert [hit.item for hit in search.hits[:PAGE]] == first_page, "the same, then more"
        assert results.highlighted == PAGE - 1, "the cursor stays where it was"
        await pilot.press("up")
        await settle(pilot)
        assert len(search.hits) > PAGE


async def test_a_slow_search_says_it_is_searching(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    release = threading.Event()
    found = finder.find

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return found(*args, **kwargs)

    app, _ = history_app(data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        search = await open_search(pilot, app)
        monkeypatch.setattr(f"{SearchScreen.__module__}.find", slow)
        search.query_one("#search-query", Input).value = "grant"
        for _ in range(100):  # the timer's moment, however loaded the machine
            await pilot.pause(BUSY_AFTER)
            if status_of(search) == "searching…":
                break
        assert status_of(search) == "searching…", "a search that takes a while says so"
        release.set()
        await settle(pilot)
        assert "for “grant”" in status_of(search)
