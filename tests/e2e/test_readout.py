"""Every timer line from one computation (core/readout.py), and what those lines
say on the meeting screen: the hot seat, overtime, pace, an ask's time, turns."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from peersession.core import events as ev
from peersession.core.readout import clock_face, compute_readout, minutes_text, whole_seconds
from peersession.tui.screens.meeting import MeetingScreen

from room_support import room_text
from snapshot_support import meeting_app


async def _screen(pilot: Pilot[int]) -> MeetingScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    return screen


async def _type(pilot: Pilot[int], text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def _into_an_ask(pilot: Pilot[int]) -> MeetingScreen:
    """Updates, an ask added by key, then Asks with it in the hot seat."""
    screen = await _screen(pilot)
    await pilot.press("n", "n", "n", "a")
    await _type(pilot, "Which journal first")
    await pilot.press("enter", ">", "n")
    await pilot.pause()
    assert screen.meeting.current_ask is not None, "the ask should be in the hot seat"
    return screen


@pytest.mark.parametrize(
    ("remaining", "shown"), [(5.0, 5), (4.2, 5), (0.3, 1), (0.0, 0), (-0.4, -1), (-12.6, -13)]
)
def test_whole_seconds_count_down_and_keep_the_figure_in_overtime(
    remaining: float, shown: int
) -> None:
    assert whole_seconds(remaining) == shown


def test_minutes_text_reads_as_spoken() -> None:
    assert minutes_text(30) == "under a minute"
    assert minutes_text(185) == "3 min"
    assert minutes_text(-185) == "3 min"
    assert minutes_text(3900) == "65 min"


async def test_hot_seat_used_ticks_and_counts_minus_and_extensions(
    data_dir: Path,
) -> None:
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _into_an_ask(pilot)
        ask = screen.meeting.asks[screen.meeting.current_ask or ""]
        wanted = round(ask.wanted)
        clock.advance(30)
        screen.tick()
        assert f"Used 00:30 of {wanted // 60:02d}:00" in room_text(screen)
        # It ticks with the clock, with no action in between.
        clock.advance(17)
        screen.tick()
        assert "Used 00:47" in room_text(screen)
        # "-" takes a minute off this part: the total says so.
        await pilot.press("minus")
        assert f"of {wanted // 60 - 1:02d}:00" in room_text(screen)
        # A granted extension adds to it, and is counted.
        clock.advance(ask.questions.remaining(clock.now()) if ask.questions else 0)
        screen.act(ev.ExtensionVoted(votes_for=6, voters=8))
        screen.tick()
        text = room_text(screen)
        assert f"of {wanted // 60 + 1:02d}:00 (with 1 extension)" in text, text


@pytest.mark.parametrize("fraction", [0.1, 0.4, 0.6, 0.9])
async def test_digits_and_overtime_line_agree_to_the_second(
    data_dir: Path, fraction: float
) -> None:
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _screen(pilot)
        await pilot.press("n", "n", "n")
        box = screen.meeting.turns[screen.meeting.speaker or ""].box
        clock.advance(box.remaining(clock.now()) + 12 + fraction)
        screen.tick()
        readout = screen.readout()
        assert readout.state == "overtime"
        text = room_text(screen)
        over = -readout.seconds
        assert f"clock -00:{over:02d}" in text
        # The state's tag, then the same figure as the clock's.
        assert "■ OVERTIME " in text and f" 00:{over:02d} over " in text, text


async def test_pace_is_measured_against_the_plan_and_says_what_asks_have(
    data_dir: Path,
) -> None:
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _screen(pilot)
        meeting = screen.meeting
        # Every fixed phase and every turn takes exactly its planned time.
        for _ in range(3):
            clock.advance(meeting.phase_boxes[meeting.phase_index].budget)
            await pilot.press("n")
        while screen.meeting.phase.name == "updates":
            clock.advance(screen.meeting.turns[screen.meeting.speaker or ""].box.budget)
            await pilot.press("n")
        assert screen.meeting.phase.name == "asks" and not screen.meeting.ask_queue
        screen.tick()
        readout = screen.readout()
        budget = screen.meeting.budget(clock.now())
        # Old code said "ahead" here: an empty ask queue is slack, not progress.
        assert abs(readout.behind) < 60
        assert readout.asks_left is not None
        assert abs(readout.asks_left - budget.asks_seconds) < 60
        # In the Asks phase its time left ticks to the second (before it, a plan in minutes).
        left = clock_face(whole_seconds(readout.asks_left))
        assert f"on plan · asks: {left} left" in room_text(screen)
        # Three minutes more than planned in Asks' place: behind, and asks have less.
        clock.advance(budget.asks_seconds + 180)
        screen.tick()
        text = room_text(screen)
        assert "3 min behind plan · no time left for asks" in text, text


async def test_an_ask_shows_the_meeting_and_the_asks_time_left_once(
    data_dir: Path,
) -> None:
    """In an ask the Asks phase's time left is one figure, to the second, and ticks
    (it was shown twice, as 1:43:40 and as 104 min, beside the hot seat's own)."""
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _into_an_ask(pilot)
        clock.advance(60)
        screen.tick()
        readout = compute_readout(screen.meeting, clock.now())
        assert readout.asks_text is not None and readout.asks_left is not None
        text = room_text(screen)
        assert readout.asks_text in text
        assert text.lower().count("asks: ") == 1, text
        assert f"asks: {clock_face(whole_seconds(readout.asks_left))} left" in text
        assert readout.meeting_line in text and "Meeting: " in readout.meeting_line
        assert "Questions: " in text and "left in this part" in text
        clock.advance(7)
        screen.tick()
        later = compute_readout(screen.meeting, clock.now())
        assert later.asks_text is not None and later.asks_text != readout.asks_text
        assert later.asks_text in room_text(screen)


async def test_turn_and_talking_time_only_in_updates_and_explained(
    data_dir: Path,
) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _screen(pilot)
        for phase in ("opening", "wins", "review"):
            assert screen.meeting.phase.name == phase
            text = room_text(screen)
            assert "Turn " not in text.replace("Turn 1 of", "") and "each" not in text, text
            await pilot.press("n")
        assert screen.meeting.phase.name == "updates"
        text = room_text(screen)
        budget = screen.meeting.budget(screen.now())
        assert "Turns of " in text and "of updates ÷ 8 here" in text, text
        assert abs(budget.turn_seconds * 8 - budget.updates_seconds) < 8
        await pilot.press(">")
        assert "of updates ÷" not in room_text(screen)


async def test_the_meeting_line_warns_before_the_planned_end_and_past_it(data_dir: Path) -> None:
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _screen(pilot)
        length = screen.meeting.setup.length_minutes * 60
        assert screen.readout().meeting_line.startswith(f"Meeting: {clock_face(length)} left")
        clock.advance(length - 300)
        screen.tick()
        assert "▲ Meeting: 05:00 left" in room_text(screen)
        clock.advance(420)
        screen.tick()
        assert "■ Meeting: 02:00 past the planned end" in room_text(screen)


async def test_in_the_asks_phase_the_clock_and_the_asks_line_are_one_figure(
    data_dir: Path,
) -> None:
    """Ahead of plan, the Asks phase's clock said 50:59 beside "asks: 1:44:18 left"."""
    app, clock = meeting_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _screen(pilot)
        await pilot.press("n", "n", "n", "a")
        await _type(pilot, "Which journal first")
        await pilot.press("enter", ">")
        clock.advance(42)
        screen.tick()
        readout = screen.readout()
        assert readout.hot_seat is None and readout.behind < -60, "well ahead of plan"
        text = room_text(screen)
        assert f"asks: {readout.digits} left" in text, text
        assert text.lower().count("asks: ") == 1
        # In the hot seat the clock is the part's; the line keeps the phase's figure,
        # which is what the clock shows again once the ask is done.
        await pilot.press("n")
        clock.advance(30)
        screen.tick()
        during = screen.readout()
        assert during.hot_seat is not None and during.asks_text is not None
        assert during.asks_text in room_text(screen)
        assert during.asks_text != f"asks: {during.digits} left"
