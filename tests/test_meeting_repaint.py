"""The meeting screen repaints what changed and nothing else (key-press speed, issue #15).

These check behaviour, not timings: a tick that changes nothing draws no frame,
a change of timer state styles every widget exactly as a full restyle would,
an auto-height line still grows when its text needs more lines, and the heap
is frozen once the meeting screen is up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.content import Content
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static

from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.bigclock import BigClock
from peersession.tui.widgets.changes import show_content
from peersession.tui.widgets.room import STATE_CLASSES, RoomView, TimeboxBar

from snapshot_support import meeting_app


def _styles(room: RoomView) -> dict[str, str]:
    return {
        f"{type(node).__name__}#{node.id}": node.styles.css
        for node in room.walk_children(with_self=True)
    }


async def test_a_timer_state_styles_every_room_widget_as_a_full_restyle_would(
    data_dir: Path,
) -> None:
    for size in ((120, 40), (80, 24)):
        app, _clock = meeting_app(data_dir / f"{size[0]}x{size[1]}")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            room = app.screen.query_one(RoomView)
            for ask in (False, True):
                room.set_class(ask, "-ask")
                for state in (*STATE_CLASSES, *reversed(STATE_CLASSES)):
                    room._set_state(state)
                    targeted = _styles(room)
                    app.update_styles(room)
                    assert _styles(room) == targeted, f"{state} at {size} (ask: {ask})"
                    assert room.has_class(state)
                    assert not any(room.has_class(s) for s in STATE_CLASSES if s != state)


async def test_a_tick_that_changes_nothing_draws_no_frame(data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    frames: list[object] = []
    display = app._display

    def record(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            frames.append(renderable)

    app._display = record  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        frames.clear()
        screen.tick()
        await pilot.pause()
        assert frames == [], "nothing changed, yet a frame was drawn"
        clock.advance(61.0)
        screen.tick()
        await pilot.pause()
        assert frames, "the clock moved a minute, yet no frame was drawn"


class _Lines(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="auto", markup=False)
        yield Static(id="below", markup=False)


async def test_an_auto_height_line_still_grows_and_shrinks_with_its_text() -> None:
    app = _Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        auto = app.query_one("#auto", Static)
        below = app.query_one("#below", Static)
        assert show_content(auto, Content("one"))
        assert show_content(below, Content("below"))
        await pilot.pause()
        assert auto.size.height == 1 and below.region.y == 1
        assert not show_content(auto, Content("one")), "the same content is not shown again"
        assert show_content(auto, Content("one\ntwo\nthree"))
        await pilot.pause()
        assert auto.size.height == 3 and below.region.y == 3
        assert show_content(auto, Content("x" * 100))  # wraps at 40 columns: 3 lines
        await pilot.pause()
        assert auto.size.height == 3
        assert show_content(auto, Content("short"))
        await pilot.pause()
        assert auto.size.height == 1 and below.region.y == 1
        assert show_content(auto, Content.styled("short", "bold")), "a new style is a change"


class _Bar(App[None]):
    def compose(self) -> ComposeResult:
        yield TimeboxBar()


def _plain(widget: Widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


async def test_the_timebox_bar_shows_its_figures() -> None:
    app = _Bar()
    async with app.run_test(size=(56, 3)) as pilot:
        bar = app.query_one(TimeboxBar)
        bar.show(0.5, False)
        await pilot.pause()
        assert _plain(bar) == "█" * 25 + "░" * 25 + "  50%"
        bar.show(0.501, False)  # the same cells: the figure is kept all the same
        assert bar.progress == 0.501
        bar.show(1.2, True)
        await pilot.pause()
        assert _plain(bar) == "■" * 50 + " OVER"


class _Big(App[None]):
    def compose(self) -> ComposeResult:
        yield BigClock(id="clock")


async def test_block_letters_drawn_row_by_row_match_textuals_rendering() -> None:
    app = _Big()
    async with app.run_test(size=(90, 30)) as pilot:
        clock = app.query_one(BigClock)
        for size in ((90, 30), (40, 8), (12, 3)):
            await pilot.resize_terminal(*size)
            for value in ("05:00", "-01:30", "12:59", "Zoë"):
                clock.value = value
                await pilot.pause()
                width, height = clock.size
                expected = Visual.to_strips(
                    clock, clock.render(), width, height, clock.visual_style
                )
                for y in range(height):
                    row = list(clock.render_line(y))
                    if y < len(expected):
                        assert row == list(expected[y]), f"{value!r} at {size}, row {y}"
                    else:
                        assert "".join(s.text for s in row).strip() == "", (value, size, y)
