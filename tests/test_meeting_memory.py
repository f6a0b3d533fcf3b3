"""A meeting screen left behind is freed: nothing keeps a closed screen alive.

The collector is left to Python (no ``gc.freeze`` anywhere): a frozen heap
would keep every meeting screen alive for the life of the process, since a
screen and its widgets refer to each other and only a collection frees them.
"""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.resume import ResumeScreen

from snapshot_support import MEETING_START, demo_store


async def test_a_meeting_left_and_resumed_three_times_leaves_no_old_screen_alive(
    data_dir: Path,
) -> None:
    _, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    screens: list[weakref.ref[MeetingScreen]] = []
    for visit in range(4):
        # The first visit starts the session; each later one finds it interrupted
        # (the app was quit mid-meeting) and resumes it.
        app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if visit:
                assert isinstance(app.screen, ResumeScreen), f"visit {visit}: no offer to resume"
                await pilot.press("r")
                await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MeetingScreen), f"visit {visit}: not in the meeting"
            await pilot.press("n")
            await pilot.pause()
            screens.append(weakref.ref(screen))
            del screen
            await pilot.press("ctrl+q")
        del app, pilot
    gc.collect()
    alive = [number for number, screen in enumerate(screens) if screen() is not None]
    assert alive == [], f"meeting screens of visits {alive} are still alive after leaving them"
