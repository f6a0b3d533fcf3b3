"""The meeting screen repaints what changed and nothing else (key-press speed, issues #15, #27).

These check behaviour, not timings, through public API only: a tick that
changes nothing re-renders no widget, a change of timer state colours the
clock, the state line and the bar, a line of automatic height grows and
shrinks with its text, and the timebox bar shows its figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.content import Content
from textual.pilot import Pilot
from textual.visual import Visual
from textual.widget import Widget

from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.bigclock import BigClock, BigType
from peersession.tui.widgets.lines import Line, Lines
from peersession.tui.widgets.room import RoomView, TimeboxBar

from snapshot_support import meeting_app

#: The timer colour (a theme variable) room.tcss gives each state.
STATE_COLOURS = {
    "running": "timer-running",
    "warning": "timer-warning",
    "overtime": "timer-overtime",
    "paused": "timer-paused",
}


async def _shows(pilot: Pilot[int], screen: MeetingScreen, state: str) -> None:
    """After a tick the room view is in ``state``: its border and its three timer parts
    in the state's colour."""
    screen.tick()
    await pilot.pause()
    assert screen.readout().state == state
    room = screen.query_one(RoomView)
    wanted = Color.parse(screen.app.get_css_variables()[STATE_COLOURS[state]])
    for part in ("#room-clock", "#room-state", "#room-bar"):
        shown = room.query_one(part).styles.color
        assert shown == wanted, f"{part} in {state} at {screen.size}"
    assert room.styles.border_top[1] == wanted, f"the room view's border in {state}"
    assert room.has_class(f"-{state}"), state
    others = [s for s in STATE_COLOURS if s != state]
    assert not any(room.has_class(f"-{s}") for s in others), state


async def test_a_timer_state_colours_the_clock_the_state_line_and_the_bar(
    data_dir: Path,
) -> None:
    for size in ((120, 40), (80, 24)):
        app, clock = meeting_app(data_dir / f"{size[0]}x{size[1]}")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            await pilot.press("n")
            await _shows(pilot, screen, "running")
            await pilot.press("space")
            await _shows(pilot, screen, "paused")
            await pilot.press("space")
            await _shows(pilot, screen, "running")
            while screen.readout().state == "running":
                clock.advance(15.0)
            await _shows(pilot, screen, "warning")
            while screen.readout().state == "warning":
                clock.advance(15.0)
            await _shows(pilot, screen, "overtime")
            await pilot.press("space")
            await _shows(pilot, screen, "paused")


async def test_a_tick_that_changes_nothing_draws_nothing_again(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[str] = []
    lines_render, bar_render, block_lines = Lines.render, TimeboxBar.render, BigType.block_lines

    def lines(self: Lines) -> Content:
        drawn.append(f"#{self.id}")
        return lines_render(self)

    def bar(self: TimeboxBar) -> Content:
        drawn.append(f"#{self.id}")
        return bar_render(self)

    def blocks(self: BigType) -> list[str] | None:
        drawn.append(f"#{self.id}")
        return block_lines(self)

    monkeypatch.setattr(Lines, "render", lines)
    monkeypatch.setattr(TimeboxBar, "render", bar)
    monkeypatch.setattr(BigType, "block_lines", blocks)
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        drawn.clear()
        screen.tick()
        await pilot.pause()
        assert drawn == [], f"nothing changed, yet {drawn} were drawn again"
        clock.advance(61.0)
        screen.tick()
        await pilot.pause()
        for moved in ("#room-clock", "#topbar"):
            assert moved in drawn, f"the clock moved a minute, yet {moved} was not drawn again"
        for still in ("#room-next", "#room-chain", "#room-speaker", "#hint"):
            assert still not in drawn, f"{still} did not change, yet was drawn again"


class _Lines(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines(id="auto")
        yield Line(id="below")


async def test_a_line_of_automatic_height_grows_and_shrinks_with_its_text() -> None:
    app = _Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        auto = app.query_one("#auto", Lines)
        below = app.query_one("#below", Line)
        auto.content = Content("one")
        below.content = Content("below")
        await pilot.pause()
        assert auto.size.height == 1 and below.region.y == 1
        auto.content = Content("one\ntwo\nthree")
        await pilot.pause()
        assert auto.size.height == 3 and below.region.y == 3
        auto.content = Content("x" * 100)  # wraps at 40 columns: 3 lines
        await pilot.pause()
        assert auto.size.height == 3
        auto.content = Content("short")
        await pilot.pause()
        assert auto.size.height == 1 and below.region.y == 1
        assert below.render().plain == "below"


class _HiddenLines(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines(Content("given before any layout\nsecond"), id="early")
        yield Lines(id="hidden")


async def test_lines_changed_before_layout_or_while_hidden_take_their_height_when_shown() -> None:
    # A Lines lays the screen out only when its text needs another number of rows: one
    # that has no width yet (not laid out, or hidden) must still be measured when shown.
    app = _HiddenLines()
    async with app.run_test(size=(40, 10)) as pilot:
        early = app.query_one("#early", Lines)
        hidden = app.query_one("#hidden", Lines)
        await pilot.pause()
        assert early.size.height == 2
        hidden.display = False
        await pilot.pause()
        hidden.content = Content("one\ntwo\nthree")
        hidden.display = True
        await pilot.pause()
        assert hidden.size.height == 3
        hidden.content = Content("uno\ndos\ntres")  # the same height: repainted in place
        await pilot.pause()
        assert hidden.size.height == 3
        assert [hidden.render_line(y).text.rstrip() for y in range(3)] == ["uno", "dos", "tres"]


async def test_a_line_shows_a_change_of_style_alone() -> None:
    app = _Lines()
    async with app.run_test(size=(40, 10)) as pilot:
        line = app.query_one("#below", Line)
        line.content = Content("short")
        await pilot.pause()
        plain = line.render_line(0)
        line.content = Content.styled("short", "bold")
        await pilot.pause()
        assert line.content.is_same(Content.styled("short", "bold"))
        assert line.render_line(0) != plain, "the same text in bold was not drawn again"


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
        assert bar.drawn == (25, 50, False)
        bar.show(0.501, False)  # the same cells and figure: nothing to draw again
        assert bar.drawn == (25, 50, False) and bar.progress == 0.501
        bar.show(0.52, False)
        assert bar.drawn == (26, 52, False)
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
