"""Start-up: the home screen's first frame imports only what the home screen needs,
shows the group rows, and reads the groups once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from peersession.cli import build_parser, commands_needed
from peersession.store.history import HistoryStore, new_group
from peersession.tui.app import create_app
from peersession.tui.screens.home import HomeScreen

#: Modules the home screen must not wait for.
HEAVY = (
    "icalendar",
    "peersession.core.engine",
    "peersession.store.doctor",
    "peersession.store.merge",
    "peersession.store.journal",
    "peersession.exports",
    "peersession.cli.exchange_cmd",
    "peersession.cli.doctor_cmd",
    # Locks are taken by writes, not by opening the store; ids are made by writes.
    "filelock",
    "secrets",
    # A good index is checked by the generated store/index_shapes.py; the declared
    # shapes (and what they import) wait for a bad record or another file.
    "peersession.core.stored",
    "peersession.core.shapes",
    "peersession.core.shape_compiler",
    "peersession.core.templates",
    "peersession.core.checkin",
)

FIRST_FRAME = """
import json, sys
from pathlib import Path
from peersession.cli import build_parser, commands_needed
from peersession.tui.screens.home import HomeScreen

args = build_parser(commands_needed([])).parse_args([])
from peersession.tui.app import PeersessionApp, create_app

def first_frame(app):
    # Textual sends Ready once the first frame has been displayed.
    assert isinstance(app.screen, HomeScreen), app.screen
    rows = app.screen.query_one("#groups").row_count
    print(json.dumps({"rows": rows, "modules": sorted(sys.modules)}))
    app.exit()

PeersessionApp.on_ready = first_frame
app = create_app(data_dir=Path(sys.argv[1]))
app.run(headless=True, size=(100, 30))
"""


def test_the_first_home_frame_imports_nothing_heavy_and_shows_the_rows(data_dir: Path) -> None:
    store = HistoryStore(data_dir)
    store.add_group(new_group("Thursday Circle", ["Ana", "Bo"]))
    store.add_group(new_group("Friday Circle", ["Cy"]))
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["rows"] == 2, "the first frame drawn holds the group rows"
    loaded = [m for m in report["modules"] if m.startswith(HEAVY)]
    assert loaded == [], f"the home screen imported {loaded}"


def test_commands_are_parsed_with_only_their_own_module() -> None:
    assert commands_needed([]) == []
    assert commands_needed(["--data-dir", "x", "--theme", "mono"]) == []
    assert commands_needed(["--data-dir", "search", "doctor", "--repair"]) == ["doctor"]
    assert commands_needed(["search", "grant"]) == ["search"]
    assert commands_needed(["--help"]) is None
    assert commands_needed(["nonsense"]) is None
    # Each command still parses as before.
    args = build_parser(["search"]).parse_args(["search", "grant", "office", "--json"])
    assert args.words == ["grant", "office"] and args.json


async def test_the_home_screen_reads_the_groups_once_at_start(
    data_dir: Path, monkeypatch: Any
) -> None:
    store = HistoryStore(data_dir)
    store.add_group(new_group("Thursday Circle", ["Ana", "Bo"]))
    reloads: list[int] = []
    real = HomeScreen.reload

    def counted(self: HomeScreen) -> None:
        reloads.append(1)
        real(self)

    monkeypatch.setattr(HomeScreen, "reload", counted)
    app = create_app(data_dir=data_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert len(reloads) == 1
