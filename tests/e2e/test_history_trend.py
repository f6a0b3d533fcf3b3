"""The history's figures read right: bars at their value's height, whole names.

A steady 100% completion was drawn as the lowest bars (Textual's Sparkline
scales from the series' own lowest value to its highest) and read as zero;
the "Who" column showed first words ("Nguyễn", "Professor"). Here what is
drawn is read back: each bar decoded into the height it shows, each name
cell into the text it holds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from msgspec.structs import replace
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from peersession.core.figures import group_figures
from peersession.core.model import Member
from peersession.demo import DemoHistory, demo_history
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_rows import fit_cells
from peersession.tui.widgets.history_trend import RATING, SHARE, ScaledBars, Trend

from engine_support import read_sessions
from history_support import TODAY, history_app, settle

#: The bar characters, lowest first: the reference the drawn bars are decoded by.
HEIGHTS = {bar: index / 7 for index, bar in enumerate("▁▂▃▄▅▆▇█")}


def heights(drawn: str) -> list[float]:
    """Each drawn bar as the share of the scale it shows (0: bottom, 1: top)."""
    assert drawn and set(drawn) <= set(HEIGHTS), repr(drawn)
    return [HEIGHTS[bar] for bar in drawn]


class TrendApp(App[None]):
    def __init__(self, scale: tuple[float, float]) -> None:
        super().__init__()
        self.scale = scale

    def compose(self) -> ComposeResult:
        yield Trend("Done", scale=self.scale, id="trend")


async def drawn_bars(values: list[float], scale: tuple[float, float] = SHARE) -> str:
    """What a Trend draws for ``values``, read back from the screen."""
    app = TrendApp(scale)
    async with app.run_test(size=(60, 3)) as pilot:
        app.query_one(Trend).show(values, "value")
        await pilot.pause()
        bars = app.query_one(ScaledBars)
        return bars.render_line(0).text.rstrip()


@pytest.mark.parametrize(
    ("level", "expected"),
    [(1.0, 1.0), (0.0, 0.0), (0.5, 0.5)],
    ids=["steady-100%-is-high", "steady-0%-is-low", "steady-50%-is-the-middle"],
)
async def test_a_steady_share_is_drawn_steady_at_its_level(level: float, expected: float) -> None:
    drawn = await drawn_bars([level] * 6)
    assert len(drawn) == 6
    shown = heights(drawn)
    assert len(set(shown)) == 1, f"a steady series drew unsteady: {drawn}"
    # Within half a step of the eight heights.
    assert abs(shown[0] - expected) <= 1 / 14, (drawn, expected)


async def test_a_steady_rating_of_ten_is_a_full_bar_and_of_one_the_lowest() -> None:
    assert await drawn_bars([10.0] * 5, RATING) == "█████"
    assert await drawn_bars([1.0] * 5, RATING) == "▁▁▁▁▁"
    shown = heights(await drawn_bars([5.5] * 4, RATING))
    assert all(abs(h - 0.5) <= 1 / 14 for h in shown)


async def test_each_bar_shows_its_own_value_whatever_the_others() -> None:
    values = [0.0, 0.25, 0.5, 0.75, 1.0, 0.9, 0.9]
    shown = heights(await drawn_bars(values))
    assert len(shown) == len(values)
    for value, height in zip(values, shown, strict=True):
        assert abs(value - height) <= 1 / 14, (value, height)


async def test_a_long_history_is_averaged_into_the_width_not_stretched() -> None:
    # 32 sessions in 16 bars: each bar the mean of two.
    values = [0.0] * 16 + [1.0, 0.5] * 8
    shown = heights(await drawn_bars(values))
    assert len(shown) == 16
    assert shown[:8] == [0.0] * 8
    assert all(abs(h - 0.75) <= 1 / 14 for h in shown[8:]), shown


async def test_the_history_screen_draws_the_groups_completion_at_its_level(
    data_dir: Path,
) -> None:
    demo = seed(data_dir, [])
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        figures = group_figures(read_sessions(demo.sessions), demo.commitments(), TODAY)
        bars = screen.query_one("#trend-done ScaledBars", ScaledBars)
        shown = heights(bars.render_line(0).text.rstrip())
        trend = figures.completion_trend
        assert len(shown) == min(16, len(trend))
        if len(trend) <= 16:
            for value, height in zip(trend, shown, strict=True):
                assert abs(value - height) <= 1 / 14, (trend, shown)


# -- whole names -------------------------------------------------------------------------

NAMES = ["Nguyễn Thị Minh", "Professor Alan Whitfield", "李小龙", "Ana"]


def seed(data_dir: Path, names: list[str]) -> DemoHistory:
    """The demo history with these members' names (as many members as names)."""
    base = demo_history(today=TODAY, members=max(3, len(names)), seed=7)
    if names:
        members = (
            tuple(Member(m.id, name) for m, name in zip(base.group.members, names, strict=False))
            + base.group.members[len(names) :]
        )
        base = DemoHistory(
            group=replace(base.group, members=members),
            records=base.records,
            checkins=base.checkins,
        )
    seed_demo(HistoryStore(data_dir), base)
    return base


def who_cells(screen: HistoryScreen, demo: DemoHistory) -> list[tuple[str, str]]:
    """Each session row's Who cell, with the whole names it stands for."""
    table = screen.query_one("#history-rows", DataTable)
    found = []
    for session in demo.sessions:
        here = [m for m, s in session["attendance"].items() if s != "absent"]
        whole = ", ".join(demo.group.name_of(m) for m in here)
        cell = table.get_row(f"s-{session['id']}")[-1]
        found.append((cell.plain, whole))
    return found


async def test_the_who_column_shows_whole_names_when_they_fit(data_dir: Path) -> None:
    demo = seed(data_dir, NAMES)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(250, 70)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        cells = who_cells(app.screen, demo)
    assert cells
    for shown, whole in cells:
        assert shown == whole
    assert any("Nguyễn Thị Minh" in shown for shown, _ in cells)
    assert any("Professor Alan Whitfield" in shown for shown, _ in cells)


async def test_the_who_column_is_cut_by_cells_with_an_ellipsis_when_too_narrow(
    data_dir: Path,
) -> None:
    demo = seed(data_dir, NAMES)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        cells = who_cells(app.screen, demo)
    width = 80 - 62  # what the other columns leave, at least 16
    for shown, whole in cells:
        assert cell_len(shown) <= width, shown
        if cell_len(whole) <= width:
            assert shown == whole
        else:
            assert shown.endswith("…") and whole.startswith(shown[:-1].rstrip()), (shown, whole)
            # Cut by the room there is, not to a first word.
            assert cell_len(shown) >= width - 2, shown


def test_fit_cells_counts_wide_characters_as_two_and_never_splits_one() -> None:
    assert fit_cells("李小龙 and friends", 40) == "李小龙 and friends"
    assert fit_cells("李小龙李小龙", 5) == "李小…"
    assert cell_len(fit_cells("李小龙李小龙", 6)) <= 6
    assert fit_cells("Professor Alan Whitfield", 12) == "Professor A…"
    assert fit_cells("Nguyễn Thị Minh", 15) == "Nguyễn Thị Minh"
    # Made visible, on one line.
    assert fit_cells("Cy\x1b[31m\nred", 40) == "Cy�[31m red"
