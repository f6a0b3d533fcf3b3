"""The room view on the meeting screen: large type, nothing over it, a footer that fits."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content

from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.settings import Settings
from peersession.tui.app import create_app
from peersession.tui.screens.form import FormScreen
from peersession.tui.screens.help import HelpScreen
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.text import visible
from peersession.tui.widgets.bigclock import BigClock, best_scale, glyph_text
from peersession.tui.widgets.console import Console, KeyFooter
from peersession.tui.widgets.room import RoomView

from pilot_support import Notice
from room_support import room_text
from snapshot_support import meeting_app


def test_the_countdown_grows_with_the_height_as_well_as_the_width() -> None:
    short = best_scale("04:15", 150, 10)
    tall = best_scale("04:15", 150, 60)
    assert short is not None and tall is not None
    assert tall[1] > short[1], "a taller box must give taller digits"
    wide = best_scale("04:15", 240, 60)
    assert wide is not None and wide[0] >= tall[0]
    assert best_scale("04:15", 10, 3) is None


def test_names_are_drawn_by_their_letters_and_nothing_else() -> None:
    assert glyph_text("Zoë [Dr.] O'Neil") == "ZOE  DR.  O'NEIL"
    assert glyph_text("Cy\x1b[31mred") == "CY  31MRED"
    assert glyph_text("\u202eabc") == " ABC"


async def test_footer_fits_80_columns_with_the_essential_keys(data_dir: Path) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for phase_keys in ([], ["n", "n", "n"], [">"]):
            await pilot.press(*phase_keys)
            footer = app.screen.query_one(KeyFooter)
            line = footer.keys_line()
            assert line.cell_length <= 78, line.plain
            for word in ("Pause", "Next", "Help", "End", "Quit"):
                assert word in line.plain, line.plain
            assert line.plain.startswith("space Pause")


async def test_a_form_at_80x24_opens_over_the_console_not_the_room(data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "n", "t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        meeting = app.screen_stack[-2]
        assert isinstance(meeting, MeetingScreen)
        room = meeting.query_one(RoomView)
        dialog = form.query_one(".dialog")
        assert not dialog.region.overlaps(room.region)
        assert dialog.region.y >= meeting.query_one(Console).region.y
        assert room.query_one(BigClock).region.height == 5
        # The room keeps ticking under the open form.
        before = room.query_one(BigClock).value
        clock.advance(7)
        meeting.tick()
        await pilot.pause()
        assert room.query_one(BigClock).value != before
        assert "▶ Siobhán Ní Bhriain" in room_text(meeting)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
async def test_help_opens_over_the_console_not_the_room(
    data_dir: Path, size: tuple[int, int]
) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "n", "question_mark")
        await pilot.pause()
        keys = app.screen
        assert isinstance(keys, HelpScreen)
        meeting = app.screen_stack[-2]
        assert isinstance(meeting, MeetingScreen)
        room = meeting.query_one(RoomView)
        dialog = keys.query_one(".dialog")
        assert not dialog.region.overlaps(room.region), "help covers the room view"
        assert "▶ Siobhán Ní Bhriain" in room_text(meeting)
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_notices_replace_each_other_in_the_console(
    data_dir: Path, notices: list[Notice]
) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")  # the first phase: refused
        console = app.screen.query_one(Console)
        first = console.notice_text
        assert "first phase" in first
        await pilot.press("u")  # nothing to undo: refused
        assert "nothing to undo" in console.notice_text
        assert "first phase" not in console.notice_text
        assert not notices, "no toast over the room view"


async def test_hostile_names_on_the_room_view(
    data_dir: Path, clock: FakeClock, hostile_group: Group
) -> None:
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), start_group=hostile_group.id
    )
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "n")
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        speaker = screen.meeting.name(screen.meeting.speaker or "")
        text = room_text(screen)
        assert visible(speaker) in text
        for later in screen.meeting.queue[:1]:
            assert visible(screen.meeting.name(later)) in text
        rendered = screen.query_one(RoomView).query_one("#room-speaker").render()
        assert isinstance(rendered, Content) and "\x1b" not in rendered.plain


async def test_a_wide_but_short_terminal_keeps_every_room_line(data_dir: Path) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=(130, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "n")
        await pilot.pause()
        room = app.screen.query_one(RoomView)
        for line in ("#room-state", "#room-next", "#room-meeting", "#room-share"):
            widget = room.query_one(line)
            assert room.content_region.contains_region(widget.region), line
        assert room.query_one(BigClock).region.height >= 5
