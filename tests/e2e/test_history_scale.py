"""Scale: one group's history reads one group's file, in a worker, and a long
history opens and searches without blocking the screen."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Select

import peersession.store.history as history_module
import peersession.store.history_files as history_files
from peersession.core.commitment_state import commitment_is_open
from peersession.core.figures import all_member_figures, member_figures
from peersession.core.session_records import Review
from peersession.demo import demo_history
from peersession.store import storage
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.tui.screens import history as history_screen
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_data import GroupHistory, load_group_history
from peersession.tui.screens.history_search import SCOPE_ALL, SearchScreen

from engine_support import read_sessions
from history_support import TODAY, history_app, seed, settle, type_text


def spy_on_files(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every history file the store opens or loads."""
    opened: list[Path] = []
    real_open, real_load = storage.open_db, storage.load_tables

    def open_db(path: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(Path(path))
        return real_open(path, *args, **kwargs)

    def load_tables(path: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(Path(path))
        return real_load(path, *args, **kwargs)

    # The store opens files in both modules (history_files reads and writes,
    # history takes in a shared folder's records).
    monkeypatch.setattr(history_module, "open_db", open_db)
    monkeypatch.setattr(history_files, "open_db", open_db)
    monkeypatch.setattr(history_files, "load_tables", load_tables)
    return opened


async def test_one_groups_history_never_reads_another_groups_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = seed(data_dir)
    other = seed(data_dir, group_name="Early-Career Faculty", seed=11)
    layout = HistoryStore(data_dir).layout
    other_file = layout.group_history_file(other.group.id)
    opened = spy_on_files(monkeypatch)
    app, _ = history_app(data_dir, mine.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        for keys in (["enter"], ["escape", "m", "enter"], ["escape", "o"]):
            await pilot.press(*keys)
            await settle(pilot)
        await pilot.press("escape", "slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "chair")
        await settle(pilot)
        assert layout.group_history_file(mine.group.id) in opened
        assert other_file not in opened, "the other group's file was read"
        # Searching every group is the one place that reads the others (in a worker).
        search = app.screen
        assert isinstance(search, SearchScreen)
        search.query_one("#search-scope", Select).value = SCOPE_ALL
        await settle(pilot)
        assert other_file in opened


async def test_the_history_loads_in_a_worker_behind_a_loading_table(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = seed(data_dir)
    release = threading.Event()
    real_load = load_group_history

    def slow_load(*args: Any, **kwargs: Any) -> GroupHistory:
        assert release.wait(10), "the test never released the load"
        return real_load(*args, **kwargs)

    monkeypatch.setattr(history_screen, "load_group_history", slow_load)  # as the screen calls it
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen), "the screen is up while the file is read"
        assert screen.data is None
        assert screen.query_one("#history-rows", DataTable).loading
        release.set()
        await settle(pilot)
        assert screen.data is not None
        assert not screen.query_one("#history-rows", DataTable).loading


async def test_a_long_history_opens_and_searches(data_dir: Path) -> None:
    # Far beyond a real group's 170 sessions, within the years a history file may
    # hold: 1,000 sessions every 21 days would begin before 1970 (demo_history refuses).
    history = demo_history(today=TODAY, sessions=900)
    seed_demo(HistoryStore(data_dir), history)
    app, _ = history_app(data_dir, history.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#history-rows", DataTable)
        assert table.row_count > 0, "the newest rows are there at once"
        for _ in range(100):  # the rest follow in batches
            if not screen.rows_pending:
                break
            await pilot.pause(0.05)
        assert table.row_count == len(history.sessions) + len(history.checkins)
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "sabbatical")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert len(search.hits) >= 1
        assert all("sabbatical" in hit.item.text.lower() for hit in search.hits[:1])


def test_member_figures_are_worked_out_once_asked_for_and_follow_a_saved_review() -> None:
    demo = demo_history(today=TODAY, sessions=12)
    commitments = demo.commitments()
    sessions = read_sessions(demo.sessions)
    data = GroupHistory(demo.group, sessions, commitments, [], TODAY)
    expected = all_member_figures(demo.group, sessions, commitments, TODAY)
    # Not worked out while the group opens: the group screen shows only the group's.
    assert data._members is None
    first = demo.group.members[0].id
    assert data.member_figures(first) == expected[first]
    # An open commitment reviewed after the figures were ready changes its owner's.
    target = next(c for c in commitments if commitment_is_open(c))
    owner = target.owner
    before = data.member_figures(owner)
    review = Review(at="2026-03-09T12:00:00+00:00", status="done", source="history")
    data.record_review(target.id, review)
    after = data.member_figures(owner)
    assert after.open_count == before.open_count - 1
    assert after == member_figures(owner, sessions, commitments, TODAY)


def test_a_review_saved_before_the_member_figures_are_ready_is_in_them() -> None:
    demo = demo_history(today=TODAY, sessions=12)
    commitments = demo.commitments()
    sessions = read_sessions(demo.sessions)
    data = GroupHistory(demo.group, sessions, commitments, [], TODAY)
    target = next(c for c in commitments if commitment_is_open(c))
    before = member_figures(target.owner, sessions, commitments, TODAY)
    review = Review(at="2026-03-09T12:00:00+00:00", status="done", source="history")
    data.record_review(target.id, review)
    data.ready_member_figures()
    assert data.member_figures(target.owner).open_count == before.open_count - 1
