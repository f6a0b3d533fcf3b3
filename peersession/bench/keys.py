"""Key press to updated screen, on the meeting screen of a 12-member group."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ..core import events as ev
from ..core.clock import FakeClock
from .fixtures import Folders, clear_live
from .stats import spread

KEYS = ("n", "p", "space")


async def _presses(folders: Folders, count: int) -> list[float]:
    from ..tui.app import create_app
    from ..tui.screens.meeting import MeetingScreen

    clear_live(folders.archive)
    app = create_app(
        data_dir=folders.archive, clock=FakeClock(), start_group=folders.meeting_group.id
    )
    shown: list[float] = []
    display = app._display

    def record(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            shown.append(time.perf_counter())

    app._display = record  # type: ignore[method-assign]
    latencies: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen), screen
        screen.live.dispatch(ev.PhaseJumped(phase="updates"))
        screen.refresh_all()
        await pilot.pause()
        for number in range(count):
            key = KEYS[number % len(KEYS)]
            shown.clear()
            began = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            # The first frame drawn after the key; the press itself if none was needed.
            latencies.append((shown[0] if shown else time.perf_counter()) - began)
        screen.live.suspend()
        app.live = None
    clear_live(folders.archive)
    return latencies


def key_latency(folders: Folders, count: int) -> dict[str, object]:
    latencies = asyncio.run(_presses(folders, count))
    figures = spread(latencies)
    return {
        "what": "Pilot press of n / p / space to the next frame drawn (meeting screen, 12 members)",
        **figures,
    }
