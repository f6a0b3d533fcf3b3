"""Pictures of the room view at every size from 80x24 to 250x70.

The meeting (an update turn, an ask in each part, a form open during a turn,
overtime) and the follow window (`peersession view`). Each test first reads
the picture back and checks what it must show (``room_support.assert_room_reads``):
the countdown reads as the time each scene states, the speaker's name is
there (in block letters too), the ask's part, nothing overlaps or is covered.
So a wrong picture fails before it is compared, and regenerating cannot
approve it.

If one fails after an intended change, look at the report
(snapshot_report.html) and each picture (render the SVG), then re-run with
--snapshot-update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.ids import new_id
from peersession.settings import Settings
from peersession.store.live import LiveSession
from peersession.tui.app import create_app
from peersession.tui.widgets.lines import Lines

from room_support import assert_room_reads
from snapshot_support import MEETING_START, demo_store, drive, meeting_app

SIZES = [(80, 24), (120, 40), (160, 50), (250, 70)]
SIZE_IDS = ["80x24", "120x40", "160x50", "250x70"]

TO_UPDATES: list[str | float] = ["n", "n", "n"]
ASK: list[str | float] = ["a", *"Which journal first", "enter", ">", "n"]
SPEAKER = "Siobhán Ní Bhriain"


@dataclass(frozen=True)
class Scene:
    keys: list[str | float]
    #: What the countdown must read (the turn is 04:15 for eight present; an
    #: ask's questions 03:20, its advice 06:40).
    digits: str
    part: str | None = None


SCENES: dict[str, Scene] = {
    "update-turn": Scene([*TO_UPDATES, 95.0], "02:40"),
    "ask-questions": Scene([*TO_UPDATES, *ASK, 80.0], "02:00", "Questions"),
    "ask-advice": Scene([*TO_UPDATES, *ASK, 200.0, "n", 170.0], "03:50", "Advice"),
    "form-during-turn": Scene([*TO_UPDATES, 60.0, "t", *"Resubmitting in May"], "03:15"),
    "overtime": Scene([*TO_UPDATES, 268.0], "-00:13"),
}


def reads(digits: str, part: str | None = None) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """After the scene: the picture must read as the scene says (see the docstring)."""

    async def check(pilot: Pilot[Any]) -> None:
        assert_room_reads(pilot.app, digits=digits, speaker=SPEAKER, part=part)

    return check


def then(
    *steps: Callable[[Pilot[Any]], Awaitable[None]],
) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        for step in steps:
            await step(pilot)

    return run


async def steady_cursor(pilot: Pilot[Any]) -> None:
    """A blinking text cursor would make the picture depend on the moment it is taken."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("scene", list(SCENES))
def test_meeting_room_view(
    snap_compare: Any, data_dir: Path, scene: str, size: tuple[int, int]
) -> None:
    app, clock = meeting_app(data_dir)
    spec = SCENES[scene]
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=then(drive(clock, spec.keys), steady_cursor, reads(spec.digits, spec.part)),
    )


@pytest.fixture
def live_session(data_dir: Path) -> Iterator[tuple[LiveSession, FakeClock]]:
    """The demo group's session, running (as the facilitator's app would) in Updates."""
    store, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    live = LiveSession.start(store, store.find_group(group_id), clock)
    for _ in range(3):
        live.dispatch(ev.Next())
    clock.advance(60)
    live.dispatch(ev.NoteAdded(note_id=new_id(), text="[b]not markup[/b]", private=True))
    clock.advance(150)
    try:
        yield live, clock
    finally:
        live.suspend()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_follow_window(
    snap_compare: Any,
    data_dir: Path,
    live_session: tuple[LiveSession, FakeClock],
    size: tuple[int, int],
) -> None:
    live, clock = live_session
    app = create_app(
        data_dir=data_dir,
        clock=clock,
        settings=Settings(),
        start_group=live.meeting.setup.group.id,
        mode="view",
    )

    async def settle(pilot: Pilot[Any]) -> None:
        await pilot.pause(0.3)

    async def board_reads(pilot: Pilot[Any]) -> None:
        # Beside (or under) the room view: the turn's notes, the note taken in it.
        board = pilot.app.screen.query_one("#board-text", Lines)
        assert board.region.height >= 3
        lines = [board.render_line(y).text for y in range(4)]
        assert lines[0].startswith("0 of 8 done · 7 waiting"), lines
        assert lines[2].startswith(f"Notes on {SPEAKER}'s update"), lines
        assert lines[3].strip() == "• [b]not markup[/b] ‹private›", lines

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=then(settle, reads("00:45"), board_reads),
    )
