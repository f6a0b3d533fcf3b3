"""The meeting screen repaints what changed and nothing else (key-press speed, issues #15, #27).

These check behaviour, not timings, through public API only: a tick that
changes nothing re-renders no widget, a change of timer state colours the
clock, the state line and the bar, a line of automatic height grows and
shrinks with its text, and the timebox bar shows its figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.color import Color
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.bigclock import BigClock, BigType, changed_columns
from peersession.tui.widgets.lines import Line, Lines, Tag
from peersession.tui.widgets.room import RoomView, TimeboxBar

from room_support import read_widget, room_text, widget_lines
from snapshot_support import meeting_app

#: The timer colour (a theme variable) room.tcss gives each state.
STATE_COLOURS = {
    "running": "timer-running",
    "warning": "timer-warning",
    "overtime": "timer-overtime",
    "paused": "timer-paused",
}


async def _shows(
    pilot: Pilot[int], screen: MeetingScreen, state: str, frame: tuple[object, ...]
) -> None:
    """After a tick the room view is in ``state``: its three timer parts in the
    state's colour, the state's shape and word in a tag on the state line, and the
    room view's frame as in every other state (a change to a border repaints the
    whole room view)."""
    screen.tick()
    await pilot.pause()
    readout = screen.readout()
    assert readout.state == state
    room = screen.query_one(RoomView)
    wanted = Color.parse(screen.app.get_css_variables()[STATE_COLOURS[state]])
    for part in ("#room-clock", "#room-state", "#room-bar"):
        shown = room.query_one(part).styles.color
        assert shown == wanted, f"{part} in {state} at {screen.size}"
    line = room.query_one("#room-state", Line).render_line(0).text
    assert line.startswith(f" {readout.shape} {readout.word} "), line
    assert (room.styles.border_top, room.styles.border_bottom) == frame, state
    assert not room.border_title and not room.border_subtitle, state


async def test_a_timer_state_colours_the_clock_the_state_line_and_the_bar(
    data_dir: Path,
) -> None:
    for size in ((120, 40), (80, 24)):
        app, clock = meeting_app(data_dir / f"{size[0]}x{size[1]}")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            room = screen.query_one(RoomView)
            frame = (room.styles.border_top, room.styles.border_bottom)
            assert frame[0][0] == "round", frame
            await pilot.press("n")
            await _shows(pilot, screen, "running", frame)
            await pilot.press("space")
            await _shows(pilot, screen, "paused", frame)
            await pilot.press("space")
            await _shows(pilot, screen, "running", frame)
            while screen.readout().state == "running":
                clock.advance(15.0)
            await _shows(pilot, screen, "warning", frame)
            while screen.readout().state == "warning":
                clock.advance(15.0)
            await _shows(pilot, screen, "overtime", frame)
            await pilot.press("space")
            await _shows(pilot, screen, "paused", frame)


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

    def blocks(self: BigType) -> Sequence[str] | None:
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


async def test_a_key_repaints_what_it_changed_not_the_room_view_around_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The room view's own rows (its frame and the blank around its parts) are
    # drawn again only when the room view itself is repainted: a change to its
    # border or its title repaints the whole bordered region, block letters
    # and all, which is most of a key's frame on a large screen.
    drawn: list[str] = []
    room_line, block_lines = RoomView.render_line, BigType.block_lines

    def room(self: RoomView, y: int) -> Strip:
        drawn.append("the room view")
        return room_line(self, y)

    def blocks(self: BigType) -> Sequence[str] | None:
        drawn.append(f"#{self.id}")
        return block_lines(self)

    monkeypatch.setattr(RoomView, "render_line", room)
    monkeypatch.setattr(BigType, "block_lines", blocks)
    for size in ((120, 40), (160, 50), (80, 24)):
        app, clock = meeting_app(data_dir / f"{size[0]}x{size[1]}")
        async with app.run_test(size=size) as pilot:
            for key in (">", ">", ">"):  # to the updates, as people do
                await pilot.press(key)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            text = room_text(screen)
            assert "UPDATES · Turn 1 of 8" in text, text
            for key, turn in (("n", 2), ("space", 2), ("p", 1), ("space", 1)):
                clock.advance(1.5)
                screen.tick()
                await pilot.pause()
                drawn.clear()
                await pilot.press(key)
                await pilot.pause()
                assert "the room view" not in drawn, f"{key!r} at {size} repainted the room view"
                assert f"UPDATES · Turn {turn} of 8" in room_text(screen), (key, size)
                if key == "space":
                    # A pause colours the clock; the name is as it was.
                    assert "#room-speaker-big" not in drawn, f"{key!r} redrew the name"


async def test_a_second_of_the_countdown_repaints_the_digits_it_changed(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refreshed: list[tuple[Region, ...]] = []
    refresh = BigClock.refresh

    def spy(self: BigClock, *regions: Region, **flags: bool) -> BigClock:
        refreshed.append(regions)
        return refresh(self, *regions, **flags)

    monkeypatch.setattr(BigClock, "refresh", spy)
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(160, 50)) as pilot:
        for key in (">", ">", ">", "n"):
            await pilot.press(key)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        big = screen.query_one(BigClock)
        for step, digits in ((1.0, "04:14"), (5.0, "04:09"), (10.0, "03:59")):
            before = widget_lines(big)
            refreshed.clear()
            clock.advance(step)
            screen.tick()
            await pilot.pause()
            assert read_widget(big)[0] == digits
            after = widget_lines(big)
            changed = {
                x
                for old, new in zip(before, after, strict=True)
                for x, (a, b) in enumerate(zip(old, new, strict=True))
                if a != b
            }
            assert changed, f"{digits}: nothing changed on the clock"
            assert refreshed and all(refreshed), f"{digits}: the whole clock was repainted"
            columns = {x for regions in refreshed for r in regions for x in range(r.x, r.right)}
            assert changed <= columns, f"{digits}: columns changed but not repainted"
            # One digit of four is about a fifth of the clock, two about a half.
            assert len(columns) <= big.size.width * 0.6, f"{digits}: {len(columns)} columns"


def test_changed_columns_are_the_span_of_cells_that_differ() -> None:
    assert changed_columns(["ab  ", "cd"], ["ab  ", "cd"]) is None
    assert changed_columns(["abcd", "efgh"], ["abXd", "eYgh"]) == (1, 2)
    # Rows of another length or number: what is missing is blank.
    assert changed_columns(["ab"], ["ab  x"]) == (4, 1)
    assert changed_columns(["ab"], ["ab", " z"]) == (1, 1)
    assert changed_columns([], ["  "]) is None


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


class _Given(App[None]):
    CSS = "#given { height: 1fr; }"  # as meeting.tcss gives the list of who is next

    def compose(self) -> ComposeResult:
        yield Lines(id="given")


async def test_lines_given_their_height_repaint_in_place_without_a_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layouts: list[str | None] = []
    refresh = Lines.refresh

    def spy(self: Lines, *regions: Region, **flags: bool) -> Lines:
        if flags.get("layout"):
            layouts.append(self.id)
        return refresh(self, *regions, **flags)

    app = _Given()
    async with app.run_test(size=(40, 10)) as pilot:
        given = app.query_one("#given", Lines)
        given.content = Content("one")
        await pilot.pause()
        monkeypatch.setattr(Lines, "refresh", spy)
        given.content = Content("one\ntwo\nthree")
        await pilot.pause()
        assert layouts == [], "a block of 1fr laid the screen out again"
        assert given.size.height == 10
        assert [given.render_line(y).text.rstrip() for y in range(3)] == ["one", "two", "three"]


class _Tagged(App[None]):
    CSS = "#left { width: 1fr; }"  # as room.tcss gives the speaker's line

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Line(id="left")
            yield Tag(id="tag")


async def test_a_tag_is_as_wide_as_its_text_and_the_line_beside_it_takes_the_rest() -> None:
    app = _Tagged()
    async with app.run_test(size=(40, 3)) as pilot:
        left, tag = app.query_one("#left", Line), app.query_one("#tag", Tag)
        left.content = Content("▶ Siobhán Ní Bhriain")
        tag.content = Content("Turn 9 of 12")
        await pilot.pause()
        assert tag.size.width == 12 and left.size.width == 28
        tag.content = Content("Turn 10 of 12")  # one wider: laid out again
        await pilot.pause()
        assert tag.size.width == 13 and left.size.width == 27
        assert tag.render_line(0).text == "Turn 10 of 12"
        tag.content = Content("Turn 11 of 12")  # the same width: repainted in place
        await pilot.pause()
        assert tag.render_line(0).text == "Turn 11 of 12"
        tag.content = Content("Hot seat")
        await pilot.pause()
        assert tag.size.width == 8 and left.size.width == 32


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
