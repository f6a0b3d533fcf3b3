"""Deterministic apps for snapshot tests: the demo group, a fixed clock."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pendulum
from textual.pilot import Pilot

from peersession.core.clock import FakeClock
from peersession.demo import demo_history
from peersession.settings import Settings
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.meeting import MeetingScreen

TODAY = pendulum.date(2026, 3, 26)
MEETING_START = pendulum.datetime(2026, 3, 26, 17, 0, 0, tz="UTC")


def demo_store(data_dir: Path) -> tuple[HistoryStore, str]:
    store = HistoryStore(data_dir)
    history = demo_history(today=TODAY)
    seed_demo(store, history)
    return store, history.group.id


def meeting_app(data_dir: Path, *, theme: str | None = None) -> tuple[PeersessionApp, FakeClock]:
    """The demo group's next session, opened on the meeting screen."""
    _, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), theme=theme, start_group=group_id
    )
    return app, clock


def drive(clock: FakeClock, keys: list[str | float]) -> Callable[[Pilot[int]], Awaitable[None]]:
    """Press keys; a number advances the fake clock by that many seconds."""

    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        for key in keys:
            if isinstance(key, float | int):
                clock.advance(float(key))
            else:
                await pilot.press(key)
        # The meeting screen, under a form too: its quarter-second tick would catch
        # the fake clock up, but a picture taken before the next tick must not
        # depend on when it came (keys in a form no longer repaint the room view).
        for screen in pilot.app.screen_stack:
            if isinstance(screen, MeetingScreen):
                screen.refresh_all()
        await pilot.pause()
        # A see-through form shows the meeting screen under it as it was last
        # drawn; on a loaded machine that could still be the frame from before
        # the clock moved (the picture said 04:15 where the room read 03:15).
        pilot.app.refresh()
        await pilot.pause()

    return run_before
