"""The app as a whole: keymap overrides, NO_COLOR, quitting mid-meeting, help."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.tui.app import create_app
from peersession.tui.screens.help import HelpScreen
from peersession.tui.screens.home import HomeScreen
from peersession.tui.screens.meeting import MeetingScreen


async def test_a_binding_can_be_remapped_by_its_id(
    data_dir: Path, clock: FakeClock, group: Group
) -> None:
    settings = Settings(keymap={"meeting.next": "j"})
    app = create_app(data_dir=data_dir, clock=clock, settings=settings, start_group=group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await pilot.press("j")
        assert screen.live.meeting.phase.name == "wins"


async def test_no_color_means_mono_unless_chosen(
    data_dir: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert create_app(data_dir=data_dir, clock=clock).theme == "mono"
    assert create_app(data_dir=data_dir, clock=clock, theme="screenshare").theme == "screenshare"


async def test_home_lists_groups_literally(
    data_dir: Path, clock: FakeClock, hostile_group: Group
) -> None:
    app = create_app(data_dir=data_dir, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#groups")
        assert table.row_count == 1  # type: ignore[attr-defined]
        cell = table.get_cell_at((0, 0))  # type: ignore[attr-defined]
        assert str(cell) == "[b]Team[/b] [/]"


async def test_quitting_mid_meeting_keeps_the_session_to_resume(
    data_dir: Path, clock: FakeClock, group: Group, store: HistoryStore
) -> None:
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("n", "n")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert store.layout.journal_file(group.id).exists()
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("r")  # the resume offer
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert screen.live.meeting.phase.name == "review"


async def test_help_lists_the_phase_keys(data_dir: Path, clock: FakeClock, group: Group) -> None:
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-dialog Static").render())
        # Grouped by where they apply: this phase, the whole meeting, the app.
        phase = text.index("meeting: opening (attendance)")
        meeting = text.index("meeting: every phase")
        everywhere = text.index("everywhere")
        assert phase < meeting < everywhere
        for description, binding_id in (("Here", "attendance.here"), ("Late", "attendance.late")):
            assert phase < text.index(description) < meeting and binding_id in text
        for description in ("Next", "Pause", "Undo", "meeting.undo"):
            assert meeting < text.index(description) < everywhere, description
        assert everywhere < text.index("Quit") and "app.quit" in text
        # Another phase's keys are not this phase's ("peersession keys" lists them).
        assert "Renegotiate" not in text and "Scroll Left" not in text
        assert len(re.findall(r"\bmeeting\.undo\b", text)) == 1, "each id once"
        await pilot.press("escape")
        assert isinstance(app.screen, MeetingScreen)


async def test_the_palette_jumps_to_a_phase(data_dir: Path, clock: FakeClock, group: Group) -> None:
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Go to phase: Asks" in titles and "End session" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        for char in "phase: asks":
            await pilot.press(char if char != " " else "space")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.live.meeting.phase.name == "asks"


async def test_screens_reach_the_app_that_shows_them(
    data_dir: Path, clock: FakeClock, group: Group
) -> None:
    # No protocol mirrors the app any more: a screen names it for mypy only, and
    # the one it reaches is the app running it, with its store and clock.
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        meeting = app.screen
        assert isinstance(meeting, MeetingScreen)
        assert meeting.peersession is app
        assert meeting.peersession.clock is clock
        assert meeting.peersession.store.root == data_dir
