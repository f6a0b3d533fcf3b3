"""The facilitator's console and its forms at 80x24: what was just typed stays in
sight, the ask queue too, and a form reopened or corrected behaves as typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from peersession.tui.screens.form import FormScreen, TickList
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.console import Console
from peersession.tui.widgets.lines import Lines
from peersession.tui.widgets.room import RoomView

from pilot_support import keys, typed
from room_support import plain
from snapshot_support import meeting_app

SMALL = (80, 24)


def in_sight(widget: Widget, within: Widget) -> bool:
    """Is ``widget`` drawn, whole, inside what ``within`` shows?"""
    region = widget.region
    return bool(region.height) and within.content_region.contains_region(region)


def meeting_of(app: Any) -> MeetingScreen:
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, MeetingScreen))
    assert isinstance(screen, MeetingScreen)
    return screen


async def test_a_note_taken_in_updates_is_in_sight_at_80x24(data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, "n", "n", "n")
        for number in range(1, 8):
            clock.advance(10)
            await keys(pilot, "t")
            await typed(pilot, f"Note number {number}")
            await keys(pilot, "enter")
            screen = meeting_of(app)
            console = screen.query_one(Console)
            notes = console.query_one("#turn-notes", Lines)
            assert in_sight(notes, console), "the turn's notes are out of sight"
            # Newest first: the note just taken is the first under the title.
            shown = plain(notes).splitlines()
            assert shown[1].strip() == f"• Note number {number}", shown
            assert notes.render_line(1).text.strip() == f"• Note number {number}"
            # Who is next stays in sight under them.
            up_next = console.query_one("#up-next", Lines)
            assert up_next.region.height >= 2 and in_sight(up_next, console)
            assert "Up next" in up_next.render_line(0).text


async def test_the_ask_queue_stays_in_sight_at_80x24_with_its_votes(data_dir: Path) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, "n", "n", "n")
        for text in ("Which journal first", "How to say no", "Negotiating a raise"):
            await keys(pilot, "a")
            await typed(pilot, text)
            await keys(pilot, "enter")
        await keys(pilot, ">", "down", "3", "n")
        for number in range(1, 6):
            await keys(pilot, "t")
            await typed(pilot, f"Question {number}")
            await keys(pilot, "enter")
        console = meeting_of(app).query_one(Console)
        queue = console.query_one("#ask-queue", OptionList)
        assert in_sight(queue, console) and queue.region.height >= 2, queue.region
        title = console.query_one("#queue-title", Lines).render_line(0).text
        assert "Ask queue · 2 waiting · 0 done" in title, title
        rows = [queue.render_line(y).text for y in range(queue.region.height)]
        assert any("3 votes  Siobhán Ní Bhriain: How to say no" in r for r in rows), rows
        hot_seat = console.query_one("#hot-seat", Lines)
        lines = [hot_seat.render_line(y).text for y in range(hot_seat.region.height)]
        assert lines[0].startswith("Hot seat: Siobhán Ní Bhriain · questions (1 of 2)"), lines
        # The note just taken is the first under the ask's text.
        assert lines[1].strip() == "Which journal first", lines
        assert lines[2].strip() == "• Question: Question 5", lines


async def test_the_finish_ask_form_is_whole_at_80x24(data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, "n", "n", "n", "a")
        await typed(pilot, "Which journal first")
        await keys(pilot, "enter", ">", "n")
        clock.advance(200)
        await keys(pilot, "n", "f")
        form = app.screen
        assert isinstance(form, FormScreen)
        dialog = form.query_one(".dialog")
        room = meeting_of(app).query_one(RoomView)
        assert not dialog.region.overlaps(room.region)
        for spec in form.fields:
            field = form.query_one(f"#field-{spec.name}")
            assert in_sight(field, dialog), f"{spec.name} is out of sight: {field.region}"
        heading = form.query_one(".form-heading", Static).render_line(0).text
        assert heading.startswith("Finish the ask  Siobhán Ní Bhriain: Which journal first")
        helpers = form.query_one(TickList)
        assert helpers.region.height >= 4, "the helpers list shows one row at a time"


async def test_reopening_a_form_puts_the_cursor_back_where_it_was(data_dir: Path) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, "n", "n", "n", "c")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.focused is form.query_one("#field-text")
        await typed(pilot, "Send the draft to Grace")
        await keys(pilot, "escape")
        assert isinstance(app.screen, MeetingScreen)
        await keys(pilot, "c")
        again = app.screen
        assert isinstance(again, FormScreen)
        # Not the empty due date below it: where the typing stopped.
        text = again.query_one("#field-text", Input)
        assert again.focused is text and text.value == "Send the draft to Grace"
        await keys(pilot, "tab", "escape", "c")
        third = app.screen
        assert isinstance(third, FormScreen)
        assert third.focused is third.query_one("#field-due")


async def test_a_fixed_field_loses_its_error_without_another_enter(data_dir: Path) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "n", "n", "n", "a")
        await typed(pilot, "Which journal first")
        await keys(pilot, "tab", "ctrl+u")
        await typed(pilot, "soon")
        await keys(pilot, "enter")
        form = app.screen
        assert isinstance(form, FormScreen)
        error = form.query_one("#form-error", Static)
        assert error.display and plain(error), "a bad duration is refused in the form"
        await keys(pilot, "ctrl+u")
        await typed(pilot, "10m")
        assert not error.display, "the error stays after the field was fixed"
        rendered = error.render()
        assert isinstance(rendered, Content) and rendered.plain == ""
        # Wrong again: nothing nags while typing; enter says what is wrong.
        await typed(pilot, "x")
        assert not error.display
        await keys(pilot, "enter")
        assert error.display and plain(error)
        await keys(pilot, "backspace")
        assert not error.display
        await keys(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        assert len(meeting_of(app).meeting.ask_queue) == 1


async def test_the_asks_screen_words_are_spaced_as_drawn(data_dir: Path) -> None:
    """The asks screen showed "Queue3 waiting" and "Hot seat:empty." (spaces lost)."""
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, "n", "n", "n", "a")
        await typed(pilot, "Which journal first")
        await keys(pilot, "enter", ">")
        console = meeting_of(app).query_one(Console)
        hot_seat = console.query_one("#hot-seat", Lines).render_line(0).text
        assert hot_seat.startswith("Hot seat: empty · "), hot_seat
        title = console.query_one("#queue-title", Lines).render_line(0).text
        assert title.startswith("Ask queue · 1 waiting · 0 done"), title


async def test_enter_in_the_helpers_list_saves_the_form_with_the_ticks(data_dir: Path) -> None:
    """Space ticked a helper and enter untoggled it: the ask ended with no helpers."""
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, "n", "n", "n", "a")
        await typed(pilot, "Which journal first")
        await keys(pilot, "enter", ">", "n")
        clock.advance(200)
        await keys(pilot, "n", "f")
        form = app.screen
        assert isinstance(form, FormScreen)
        await typed(pilot, "Decline two committees")
        await keys(pilot, "tab", "space")
        helper = form.query_one(TickList).selected
        assert len(helper) == 1
        await keys(pilot, "enter")
        screen = meeting_of(app)
        assert app.screen is screen, "enter in the list saves the form"
        ended = [a for a in screen.meeting.asks.values() if a.part == "done"]
        assert len(ended) == 1 and list(ended[0].helpers) == helper
        assert ended[0].outcome == "Decline two committees"


async def test_add_for_them_names_the_member_over_a_kept_draft(data_dir: Path) -> None:
    from peersession.core import events as ev

    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=SMALL) as pilot:
        await keys(pilot, "n", "n", "n", "c")
        await typed(pilot, "Send the R01")
        await keys(pilot, "escape")
        screen = meeting_of(app)
        assert screen.act(ev.PhaseJumped(phase="commitments"))
        await pilot.pause()
        first = screen.meeting.setup.group.members[0]
        speaker_draft = screen.forms.drafts["commitment"]["owner"]
        assert speaker_draft != first.id
        await keys(pilot, "enter")  # on the first member's row: add for them
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values()["owner"] == first.id
        assert form.values()["text"] == "Send the R01", "the text typed is kept"
