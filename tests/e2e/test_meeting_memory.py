"""A meeting screen left behind is freed: nothing keeps a closed screen alive.

The collector's one setting is a freeze before the first screen
(``cli/terminal.py``): a freeze once a meeting was up would keep every
meeting screen alive for the life of the process, since a screen and its
widgets refer to each other and only a collection frees them. Checked with
and without that freeze.
"""

from __future__ import annotations

import ast
import gc
import weakref
from pathlib import Path

import pytest

import peersession
from peersession.cli.terminal import freeze_start_up
from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.resume import ResumeScreen

from snapshot_support import MEETING_START, demo_store


@pytest.mark.parametrize(
    "frozen", [False, True], ids=["collector as Python sets it", "start-up freeze"]
)
async def test_a_meeting_left_and_resumed_three_times_leaves_no_old_screen_alive(
    data_dir: Path, frozen: bool
) -> None:
    _, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    screens: list[weakref.ref[MeetingScreen]] = []
    for visit in range(4):
        # The first visit starts the session; each later one finds it interrupted
        # (the app was quit mid-meeting) and resumes it.
        app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
        if frozen and not visit:
            # Once, where the command line freezes: the app made, no screen yet.
            freeze_start_up()
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
    gc.unfreeze()  # the apps frozen above are this test's alone
    alive = [number for number, screen in enumerate(screens) if screen() is not None]
    assert alive == [], f"meeting screens of visits {alive} are still alive after leaving them"


def test_the_collector_is_set_in_one_module_only() -> None:
    """The start-up freeze is the collector's one setting (docs/internals.md): no other
    module of the package imports ``gc``."""
    package = Path(peersession.__file__).parent
    importers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Import) and any(a.name == "gc" for a in node.names))
        or (isinstance(node, ast.ImportFrom) and node.module == "gc")
    )
    assert importers == ["cli/terminal.py"], f"modules importing gc: {importers}"
