"""The history screens driven by keys: group, session, member, pickers, export."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, OptionList, Static

from peersession.core.figures import group_figures, member_figures
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_member import MemberScreen
from peersession.tui.screens.history_pickers import GroupPickerScreen, MemberPickerScreen
from peersession.tui.screens.history_session import SessionScreen
from peersession.tui.widgets.history_blocks import Block
from peersession.tui.widgets.history_trend import ScaledBars

from engine_support import read_sessions
from history_support import TODAY, history_app, seed, settle


def text_of(widget: Static) -> str:
    return str(widget.render())


def page_text(screen: SessionScreen | MemberScreen) -> str:
    return "\n".join(block.content_shown.plain for block in screen.query(Block))


async def test_the_group_screen_lists_sessions_and_checkins_newest_first(data_dir: Path) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.data is not None
        table = screen.query_one("#history-rows", DataTable)
        assert table.row_count == len(demo.sessions) + len(demo.checkins)
        keys = [str(row.key.value) for row in table.ordered_rows]
        newest_session = demo.sessions[-1]
        assert f"s-{newest_session['id']}" in keys[:2], "newest first"
        assert any(key.startswith("c-") for key in keys), "check-ins are rows too"
        # A session's row: date, attendance, asks, made, done of due, rating.
        row = table.get_row(f"s-{newest_session['id']}")
        cells = [cell.plain for cell in row]
        here = sum(1 for s in newest_session["attendance"].values() if s != "absent")
        assert cells[0] == "5 Mar 2026"
        assert cells[2] == f"{here}/{len(newest_session['attendance'])}"
        assert cells[3] == str(len(newest_session["asks"]))
        assert cells[4] == str(len(newest_session["commitment_ids"]))
        done = sum(1 for r in newest_session["reviews"].values() if r["status"] == "done")
        assert cells[5] == f"{done}/{len(newest_session['reviews'])}"
        # The summary area: the group's figures and trends.
        figures = group_figures(read_sessions(demo.sessions), demo.commitments(), TODAY)
        assert f"Done {figures.completion.label()}" in text_of(
            screen.query_one("#history-figures", Static)
        )
        assert "this year:" in text_of(screen.query_one("#history-wins", Static))
        sparkline = screen.query_one("#trend-rating ScaledBars", ScaledBars)
        assert list(sparkline.data) == figures.ratings


async def test_h_on_the_home_screen_opens_the_selected_groups_history(data_dir: Path) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, mode="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.data is not None
        assert app.screen.data.group.id == demo.group.id
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)


def highlight_session(screen: HistoryScreen, session: Mapping[str, Any]) -> None:
    """Highlight the row of ``session`` (as the demo wrote it)."""
    table = screen.query_one("#history-rows", DataTable)
    table.move_cursor(row=table.get_row_index(f"s-{session['id']}"))


async def test_enter_opens_a_session_in_full_and_p_n_step_through(data_dir: Path) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        last = demo.sessions[-1]
        highlight_session(history, last)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        assert screen.session_id == last["id"]
        text = page_text(screen)
        for title in ("Attendance", "Updates", "Asks", "Commitments made", "Wins"):
            assert title in text
        for ask in last["asks"]:
            assert ask["text"] in text
            assert ask["outcome"] is None or ask["outcome"] in text
        for turn in last["turns"]:
            for note in turn["notes"]:
                assert note["text"] in text
        if any(w["private"] for w in last["wins"]) or any(
            n["private"] for t in last["turns"] for n in t["notes"]
        ):
            assert "‹private›" in text
        await pilot.press("p")
        await settle(pilot)
        assert screen.session_id == demo.sessions[-2]["id"]
        await pilot.press("n", "n")
        await settle(pilot)
        assert screen.session_id == last["id"], "no newer session: it stays"
        await pilot.press("escape")
        assert app.screen is history


async def test_private_items_are_tagged_on_the_session_page(data_dir: Path) -> None:
    demo = seed(data_dir)
    # The demo forces a private win two sessions before the end.
    session = demo.sessions[-2]
    private_win = next(w for w in session["wins"] if w["private"])
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert history.data is not None
        app.push_screen(SessionScreen(history.data, session["id"]))
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        win_block = next(b for b in app.screen.query(Block) if private_win["id"] in b.targets)
        assert private_win["text"] in win_block.content_shown.plain
        assert "‹private›" in win_block.content_shown.plain


async def test_m_opens_a_members_timeline_with_figures_and_trends(data_dir: Path) -> None:
    demo = seed(data_dir)
    zoe = next(m for m in demo.group.members if m.name.startswith("Zoë"))
    index = demo.group.members.index(zoe)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemberPickerScreen)
        options = app.screen.query_one(OptionList)
        assert str(options.get_option_at_index(index).prompt).startswith(zoe.name)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemberScreen)
        assert screen.member_id == zoe.id
        assert text_of(screen.query_one("#page-title", Static)).startswith(zoe.name)
        figures = member_figures(zoe.id, read_sessions(demo.sessions), demo.commitments(), TODAY)
        shown = text_of(screen.query_one("#member-figures", Static))
        assert f"Done {figures.completion.label()}" in shown
        assert f"attended {figures.attendance_line}" in shown
        assert "airtime" in shown
        done_trend = screen.query_one("#trend-member-done ScaledBars", ScaledBars)
        assert list(done_trend.data) == figures.completion_trend
        rating_trend = screen.query_one("#trend-member-rating ScaledBars", ScaledBars)
        assert list(rating_trend.data) == [float(r) for r in figures.ratings]
        # The timeline: newest first, their commitments with every dated review.
        text = page_text(screen)
        assert text.index("Thu 5 Mar 2026") < text.index("Thu 12 Feb 2026")
        mine = [c for c in demo.commitments() if c.owner == zoe.id and c.reviews]
        assert mine and mine[0].text in text
        assert "status now:" in text
        await pilot.press("n")
        await settle(pilot)
        assert screen.member_id == demo.group.members[(index + 1) % len(demo.group.members)].id


async def test_several_groups_without_one_named_show_a_picker(data_dir: Path) -> None:
    seed(data_dir)
    other = seed(data_dir, group_name="Early-Career Faculty", seed=11)
    app, _ = history_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, GroupPickerScreen)
        await pilot.press("enter")  # groups are listed by name: Early-Career first
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.data is not None
        assert app.screen.data.group.id == other.group.id


async def test_escape_on_the_group_picker_goes_back(data_dir: Path) -> None:
    seed(data_dir)
    seed(data_dir, group_name="Early-Career Faculty", seed=11)
    app, _ = history_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, HistoryScreen | GroupPickerScreen)


async def test_enter_on_a_checkin_row_opens_that_members_timeline_at_it(data_dir: Path) -> None:
    demo = seed(data_dir)
    checkin = demo.checkins[-1][0]
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#history-rows", DataTable)
        table.move_cursor(row=table.get_row_index(f"c-{checkin.id}"))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemberScreen)
        assert screen.member_id == checkin.member_id
        landed = [b for b in screen.query(Block) if b.has_class("-landed")]
        assert len(landed) == 1 and checkin.id in landed[0].targets


async def test_x_writes_the_sessions_markdown_recap_without_private_items(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = seed(data_dir)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    session = demo.sessions[-2]  # holds the demo's private win
    private_win = next(w for w in session["wins"] if w["private"])
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.data is not None
        app.push_screen(SessionScreen(app.screen.data, session["id"]))
        await settle(pilot)
        await pilot.press("x")
        await pilot.press("x")
        await pilot.pause()
    written = sorted(out.iterdir())
    assert [p.name for p in written] == [
        "thursday-circle-2026-02-12-2.md",
        "thursday-circle-2026-02-12.md",
    ], "a second export never overwrites the first"
    text = written[1].read_text(encoding="utf-8")
    assert "Thursday Circle" in text
    assert private_win["text"] not in text


async def test_a_group_that_is_gone_is_said_in_one_line(data_dir: Path) -> None:
    seed(data_dir)
    app, _ = history_app(data_dir, "no-such-group")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.data is None
        assert not screen.query_one("#history-rows", DataTable).loading
        assert "no group named 'no-such-group'" in text_of(
            screen.query_one("#history-title", Static)
        )
