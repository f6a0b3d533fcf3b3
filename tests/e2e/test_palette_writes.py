"""What the command palette may write: nothing from the read-only view, and a
screenshot only into the data folder, private.

The view (``peersession view``, and every browser of ``--serve``) is driven
through Pilot: every command its palette offers is run, and no file under the
data folder, the config folder, HOME or the current folder may change. A
screenshot from the meeting lands in ``screenshots/`` (0700) as a 0600 file,
and the notice names it relative to the data folder, never a home path.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pendulum
import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from peersession.core.clock import FakeClock
from peersession.paths import DataLayout
from peersession.settings import Settings
from peersession.store.screenshots import save_screenshot, screenshot_name
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.view import ViewScreen
from peersession.tui.widgets.console import Console

from pilot_support import Notice
from snapshot_support import demo_store, meeting_app


def tree(*roots: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every file and folder under ``roots``: its mode and its bytes."""
    found: dict[str, tuple[int, bytes | None]] = {}
    for root in roots:
        for path in [root, *sorted(root.rglob("*"))] if root.exists() else []:
            mode = stat.S_IMODE(path.lstat().st_mode)
            found[str(path)] = (mode, path.read_bytes() if path.is_file() else None)
    return found


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A HOME with a Downloads folder (where Textual's Screenshot writes), and
    a current folder of its own (where a recap export would go)."""
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


async def palette_titles(app: PeersessionApp, pilot: Pilot[Any]) -> list[str]:
    """What the palette lists before anything is typed, then closes it."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.4)
    assert isinstance(app.screen, CommandPalette)
    listed = app.screen.query_one(CommandList)
    titles = [
        str(listed.get_option_at_index(i).prompt).splitlines()[0]
        for i in range(listed.option_count)
    ]
    await pilot.press("escape")
    await pilot.pause()
    return titles


async def run_command(app: PeersessionApp, pilot: Pilot[Any], title: str) -> None:
    """Open the palette, type the title, run the first match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in title:
        await pilot.press("space" if char == " " else char)
    await pilot.pause(0.4)
    listed = app.screen.query_one(CommandList)
    first = str(listed.get_option_at_index(0).prompt).splitlines()[0]
    assert first == title, (first, title)
    await pilot.press("enter")
    await pilot.pause(0.4)


async def test_every_command_the_views_palette_offers_writes_nothing(
    tmp_path: Path, data_dir: Path, home: Path
) -> None:
    _, group_id = demo_store(data_dir)
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('theme = "peersession-dark"\n')
    before = tree(data_dir, config, home, Path.cwd())
    app = create_app(data_dir=data_dir, settings=Settings(), start_group=group_id, mode="view")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ViewScreen)
        titles = await palette_titles(app, pilot)
        assert "Screenshot" not in titles and "Quit" in titles, titles
        assert not any(t.startswith("Export") for t in titles), titles
        theme = app.theme
        for title in [t for t in titles if t != "Quit"] + ["Quit"]:
            await run_command(app, pilot, title)
            if title == "Theme":
                # The theme picker: choose another one; it lasts for this window only.
                await pilot.press("down", "enter")
                await pilot.pause(0.4)
                assert app.theme != theme
            elif isinstance(app.screen, CommandPalette):
                await pilot.press("escape")
        # Textual's screenshot action, bound to no key, is refused here too.
        if app.is_running:
            app.action_screenshot()
            await pilot.pause()
    assert tree(data_dir, config, home, Path.cwd()) == before


async def test_a_screenshot_in_the_meeting_is_private_and_named_inside_the_data_folder(
    data_dir: Path, home: Path
) -> None:
    # No Downloads folder (Textual's Screenshot failed there without a word).
    (home / "Downloads").rmdir()
    app, _ = meeting_app(data_dir)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        meeting = app.screen
        titles = await palette_titles(app, pilot)
        assert titles.count("Screenshot") == 1, titles
        await run_command(app, pilot, "Screenshot")
        await pilot.pause(0.3)
        said = meeting.query_one(Console).notice_text
    shots = list((data_dir / "screenshots").iterdir())
    assert len(shots) == 1, shots
    shot = shots[0]
    assert stat.S_IMODE(shot.stat().st_mode) == 0o600
    assert stat.S_IMODE(shot.parent.stat().st_mode) == 0o700
    assert shot.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert f"screenshots/{shot.name}" in said, said
    assert str(home) not in said and str(data_dir) not in said, said
    assert list(home.rglob("*.svg")) == [] and list(Path.cwd().rglob("*.svg")) == []


async def test_a_screenshot_that_cannot_be_saved_says_why_in_one_line(
    data_dir: Path, home: Path, notices: list[Notice]
) -> None:
    demo_store(data_dir)
    (data_dir / "screenshots").write_text("not a folder")
    app = create_app(data_dir=data_dir, settings=Settings(), mode="home")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await run_command(app, pilot, "Screenshot")
        await pilot.pause(0.3)
        said = [n for n in notices if "Screenshot" in n.title]
    assert len(said) == 1, [n.message for n in said]
    notice = said[0]
    assert notice.severity == "error" and notice.title == "Screenshot not saved"
    assert "\n" not in notice.message and "screenshots/" in notice.message
    assert str(data_dir) not in notice.message and str(home) not in notice.message
    assert (data_dir / "screenshots").read_text() == "not a folder"


def test_two_screenshots_in_one_second_keep_both(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path / "data")
    taken = pendulum.datetime(2026, 3, 5, 17, 0, 0)
    first = save_screenshot(layout, "<svg>1</svg>", taken)
    second = save_screenshot(layout, "<svg>2</svg>", taken)
    assert first == f"screenshots/{screenshot_name(taken)}"
    assert first != second
    assert (layout.root / first).read_text() == "<svg>1</svg>"
    assert (layout.root / second).read_text() == "<svg>2</svg>"


async def test_the_palette_changes_the_theme_of_the_meeting_and_keeps_it(
    data_dir: Path, clock: FakeClock
) -> None:
    """Outside the view, a theme chosen in the palette is still the user's choice."""
    from peersession.settings import load_settings

    demo_store(data_dir)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), mode="home")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await run_command(app, pilot, "Theme")
        await pilot.press("down", "enter")
        await pilot.pause(0.4)
        chosen = app.theme
    assert load_settings().theme == chosen
