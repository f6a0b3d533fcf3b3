"""Pictures of the room view at every size from 80x24 to 250x70.

The meeting (an update turn, an ask in each part, a form open during a turn,
overtime) and the follow window (`peersession view`). In every picture the
countdown and the speaker are on screen: each test checks that too, before
comparing the picture.

If one fails after an intended change, look at the report
(snapshot_report.html) and re-run with --snapshot-update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
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
from peersession.tui.widgets.bigclock import BigClock
from peersession.tui.widgets.room import RoomView

from room_support import room_text
from snapshot_support import MEETING_START, demo_store, drive, meeting_app

SIZES = [(80, 24), (120, 40), (160, 50), (250, 70)]
SIZE_IDS = ["80x24", "120x40", "160x50", "250x70"]

TO_UPDATES: list[str | float] = ["n", "n", "n"]
ASK: list[str | float] = ["a", *"Which journal first", "enter", ">", "n"]
SCENES: dict[str, list[str | float]] = {
    "update-turn": [*TO_UPDATES, 95.0],
    "ask-questions": [*TO_UPDATES, *ASK, 80.0],
    "ask-advice": [*TO_UPDATES, *ASK, 200.0, "n", 170.0],
    "form-during-turn": [*TO_UPDATES, 60.0, "t", *"Resubmitting in May"],
    "overtime": [*TO_UPDATES, 268.0],
}


def check_room_visible(speaker: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """After the scene: the countdown and the speaker must be on screen, uncovered."""

    async def check(pilot: Pilot[Any]) -> None:
        app = pilot.app
        base = next(s for s in app.screen_stack if s.query(RoomView))
        room = base.query_one(RoomView)
        clock = room.query_one(BigClock)
        assert clock.region.height >= 5 and clock.region.width > 0
        assert speaker in room_text(base)
        for dialog in app.screen.query(".dialog"):
            assert not dialog.region.overlaps(clock.region), "a form covers the countdown"
            assert not dialog.region.overlaps(room.region), "a form covers the room view"

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
    speaker = "Siobhán Ní Bhriain"
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=then(drive(clock, SCENES[scene]), steady_cursor, check_room_visible(speaker)),
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

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=then(settle, check_room_visible("Siobhán Ní Bhriain")),
    )
