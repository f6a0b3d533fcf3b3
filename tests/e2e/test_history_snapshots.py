"""Pictures of the history: the session list and a member's timeline, small and large.

The demo is seeded for a fixed day and the app runs on a fixed clock, so the
pictures only change when the screens do. After an intended change, look at
snapshot_report.html and re-run with --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import DataTable

from peersession.core.figures import group_figures, member_figures
from peersession.demo import HOSTILE_NAME, DemoHistory
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_member import MemberScreen
from peersession.tui.widgets.history_trend import ScaledBars

from engine_support import read_sessions
from history_support import TODAY, history_app, keys_then_settle, seed

#: Each bar character's height, lowest first: an independent reference.
BAR_HEIGHTS = {bar: index / 7 for index, bar in enumerate("▁▂▃▄▅▆▇█")}


def assert_bars_read(bars: ScaledBars, values: list[float], low: float, high: float) -> None:
    """The drawn bars, decoded, stand within half a step of each value (one bar each)."""
    drawn = bars.render_line(0).text.rstrip()
    assert len(drawn) == len(values), (drawn, values)
    for bar, value in zip(drawn, values, strict=True):
        assert abs(BAR_HEIGHTS[bar] - (value - low) / (high - low)) <= 1 / 14, (drawn, values)


def then_check(
    before: Callable[[Pilot[Any]], Awaitable[None]], check: Callable[[Pilot[Any]], None]
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await before(pilot)
        check(pilot)

    return run


def history_reads(demo: DemoHistory) -> Callable[[Pilot[Any]], None]:
    """What the session list must show: its trends at their values, and whole
    names in the Who column (cut with an ellipsis only where too narrow)."""

    def check(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, HistoryScreen)
        figures = group_figures(read_sessions(demo.sessions), demo.commitments(), TODAY)
        assert_bars_read(
            screen.query_one("#trend-rating ScaledBars", ScaledBars), figures.ratings, 1, 10
        )
        assert_bars_read(
            screen.query_one("#trend-done ScaledBars", ScaledBars), figures.completion_trend, 0, 1
        )
        table = screen.query_one("#history-rows", DataTable)
        width = max(16, pilot.app.size.width - 62)
        for session in demo.sessions:
            here = [m for m, s in session["attendance"].items() if s != "absent"]
            whole = ", ".join(demo.group.name_of(m) for m in here)
            shown = table.get_row(f"s-{session['id']}")[-1].plain
            if cell_len(whole) <= width:
                assert shown == whole
            else:
                assert shown.endswith("…") and whole.startswith(shown[:-1].rstrip())

    return check


def member_reads(demo: DemoHistory, member_id: str) -> Callable[[Pilot[Any]], None]:
    """What the member's page must show: both trends at their values."""

    def check(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, MemberScreen) and screen.member_id == member_id
        figures = member_figures(member_id, read_sessions(demo.sessions), demo.commitments(), TODAY)
        assert_bars_read(
            screen.query_one("#trend-member-done ScaledBars", ScaledBars),
            figures.completion_trend,
            0,
            1,
        )
        assert_bars_read(
            screen.query_one("#trend-member-rating ScaledBars", ScaledBars),
            [float(r) for r in figures.ratings],
            1,
            10,
        )
        # The figures end with the member's turns at each role (a count a role),
        # as many in all as the sessions in which they held one.
        shown = str(screen.query_one("#member-figures").render())
        held = sum(h["member_id"] == member_id for s in demo.sessions for h in s["roles"])
        turns = shown.rpartition(" · roles: ")[2]
        assert sum(int(part.rstrip("×").split()[-1]) for part in turns.split(", ")) == held > 0
        # The attendance says what it counted: "attended 9 of 9 sessions (100%)".
        rate = figures.attendance
        assert f"attended {rate.part} of {rate.whole} sessions ({rate.percent()})" in shown

    return check


SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_session_list(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    assert snap_compare(
        app, terminal_size=size, run_before=then_check(keys_then_settle(), history_reads(demo))
    )


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_member_timeline(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    demo = seed(data_dir)
    index = [m.name for m in demo.group.members].index(HOSTILE_NAME)
    app, _ = history_app(data_dir, demo.group.id)
    keys = ["m", *["down"] * index, "enter"]
    member = demo.group.members[index].id
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=then_check(keys_then_settle(*keys), member_reads(demo, member)),
    )
