"""The room's block type reads as what it was asked to draw.

Every glyph of the font (each digit, ``:``, ``-``, every letter) is drawn by
the widgets themselves, at scale 1 and at every scale the room view chooses
at 80x24, 120x40, 160x50 and 250x70, and read back with the tests' own
bitmaps (``block_reading.py``). The countdown, the speaker's name and the
ask's part on the meeting screen are read back the same way at each size.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.bigclock import FONT, BigClock, BigType
from peersession.tui.widgets.room import RoomView

from room_support import GLYPH_ROWS, REFERENCE, as_drawn, bitmap, read_widget, reference_width
from snapshot_support import drive, meeting_app

SIZES = [(80, 24), (120, 40), (160, 50), (250, 70)]
SIZE_IDS = ["80x24", "120x40", "160x50", "250x70"]
DIGITS = "0123456789"
#: Widest a test terminal is: a string is split to fit it at the scale tested.
TERMINAL = (320, 100)

TO_UPDATES: list[str | float] = ["n", "n", "n", 95.0]
INTO_AN_ASK: list[str | float] = ["n", "n", "n", "a", *"Which journal first", "enter", ">", "n"]


def test_the_reference_covers_the_whole_font_and_every_letter() -> None:
    letters = {c for c in FONT if c.isalpha()}
    assert {chr(c) for c in range(ord("A"), ord("Z") + 1)} <= letters
    missing = sorted(set(FONT) - set(REFERENCE))
    assert not missing, f"glyphs with no reference bitmap in the tests: {missing}"


def test_every_glyph_of_the_font_is_five_rows_of_one_width() -> None:
    for char, rows in FONT.items():
        assert len(rows) == GLYPH_ROWS, f"{char!r} is {len(rows)} rows high"
        assert len({len(r) for r in rows}) == 1, f"{char!r} has rows of different widths"


class _Boxes(App[None]):
    """One clock and one line of letters, sized by the test."""

    def compose(self) -> ComposeResult:
        yield BigClock(id="clock")
        yield BigType(id="letters")


def _chunks(chars: str, across: int) -> list[str]:
    """``chars`` in pieces, each framed by 8s (so the ink spans the glyphs' full
    height) and narrow enough for the test terminal at ``across`` cells a pixel."""
    pieces: list[str] = []
    current = ""
    for char in chars:
        if current and reference_width(f"8{current}{char}8") * across > TERMINAL[0]:
            pieces.append(f"8{current}8")
            current = ""
        current += char
    if current:
        pieces.append(f"8{current}8")
    return pieces


async def _draw_and_read(
    pilot: Pilot[None], widget: BigType, text: str, scale: tuple[int, int]
) -> tuple[str, tuple[int, int]]:
    """Draw ``text`` in a box exactly its reference size at ``scale``; read it back."""
    across, down = scale
    widget.styles.width = reference_width(text) * across
    widget.styles.height = GLYPH_ROWS * down
    widget.value = text
    await pilot.pause()
    return read_widget(widget)


async def assert_every_glyph_reads_back(scales: set[tuple[int, int]]) -> None:
    letters = "".join(sorted(c for c in FONT if c.isalpha()))
    others = "".join(c for c in REFERENCE if not c.isalnum())
    app = _Boxes()
    async with app.run_test(size=TERMINAL) as pilot:
        clock = app.query_one(BigClock)
        words = app.query_one("#letters", BigType)
        for scale in sorted(scales):
            for widget, chars in ((clock, DIGITS + ":-"), (words, letters + others + DIGITS)):
                for text in _chunks(chars, scale[0]):
                    read, drawn_at = await _draw_and_read(pilot, widget, text, scale)
                    assert (read, drawn_at) == (text, scale), (
                        f"{type(widget).__name__} asked for {text!r} at {scale} "
                        f"drew {read!r} at {drawn_at}"
                    )


async def test_every_glyph_reads_back_at_scale_one() -> None:
    await assert_every_glyph_reads_back({(1, 1)})


async def _room_scales(pilot: Pilot[int]) -> dict[str, tuple[str, tuple[int, int]]]:
    """What each block-letter widget of the room view shows now, read back, by id."""
    screen = pilot.app.screen
    assert isinstance(screen, MeetingScreen)
    room = screen.query_one(RoomView)
    shown: dict[str, tuple[str, tuple[int, int]]] = {}
    for widget in room.query(BigType):
        if widget.display and widget.value and widget.region.height:
            _text, scale = widget.drawn()
            if scale is not None:
                shown[widget.id or ""] = read_widget(widget)
    return shown


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_the_room_reads_right_at_every_size(data_dir: Path, size: tuple[int, int]) -> None:
    """The countdown, the name and the part read as the meeting's; then every
    glyph reads back at each scale the room chose at this size."""
    scales: set[tuple[int, int]] = set()
    for scene, keys in enumerate((TO_UPDATES, [*INTO_AN_ASK, 80.0])):
        app, clock = meeting_app(data_dir / f"scene-{scene}")
        async with app.run_test(size=size) as pilot:
            await drive(clock, keys)(pilot)
            screen = app.screen
            assert isinstance(screen, MeetingScreen)
            readout = screen.readout()
            shown = await _room_scales(pilot)
            assert shown["room-clock"][0] == readout.digits, shown
            if "room-speaker-big" in shown:
                assert readout.speaker is not None
                name = shown["room-speaker-big"][0]
                assert name == "SIOBHAN NI BHRIAIN" or (
                    name.endswith("…") and "SIOBHAN NI BHRIAIN".startswith(name[:-1])
                ), name
            if readout.hot_seat is not None and "room-part-big" in shown:
                assert shown["room-part-big"][0] == readout.hot_seat.part_word.upper()
            # Every digit, at the clock's own size on this screen.
            big = screen.query_one("#room-clock", BigClock)
            for digit in DIGITS:
                big.value = f"{digit}{digit}:{digit}{digit}"
                read, _ = read_widget(big)
                assert read == big.value, f"{big.value} drew as {read} at {size}"
            scales |= {scale for _text, scale in shown.values()}
    await assert_every_glyph_reads_back(scales)


def test_a_reference_glyph_is_not_two_others() -> None:
    """The reading is unambiguous: no glyph is drawn the same as another."""
    drawn = {REFERENCE[c]: c for c in REFERENCE}
    assert len(drawn) == len(REFERENCE)
    assert all(len(bitmap(c)) == GLYPH_ROWS for c in REFERENCE)


@pytest.mark.parametrize(("size", "cut"), [((120, 40), True), ((250, 70), False)])
async def test_a_long_name_is_cut_by_letters_never_to_its_first_word(
    data_dir: Path, clock: FakeClock, size: tuple[int, int], cut: bool
) -> None:
    """At 120 columns the name was cut to its first word: a title, "PROFESSOR"."""
    store = HistoryStore(data_dir)
    names = [f"Professor {first} Okonkwo-Williams" for first in ("Adaeze", "Bisi", "Chidi")]
    group = new_group("Long Names", names)
    store.add_group(group)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group.id)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "n", "n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        speaker = screen.readout().speaker
        assert speaker is not None
        name, _scale = read_widget(screen.query_one("#room-speaker-big", BigType))
        whole = as_drawn(speaker)
        if not cut:
            assert name == whole
        else:
            # As many letters as fit (72 cells: 17 or so), then the ellipsis.
            assert name.endswith("…") and whole.startswith(name[:-1]), name
            assert len(name) >= len("PROFESSOR ADAEZE…") - 2, name
