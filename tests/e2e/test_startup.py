"""Start-up: the home screen's first frame imports only what the home screen needs,
shows the group rows, and reads the groups once."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
from msgspec.structs import replace
from textual.widgets import DataTable, Static

from peersession.cli import build_parser, commands_needed
from peersession.core.clock import FakeClock
from peersession.core.figures import group_figures
from peersession.core.local_days import local_day
from peersession.core.slot import Slot
from peersession.demo import demo_history
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.tui.app import create_app
from peersession.tui.screens import history_data
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.home import HomeScreen

from history_support import TODAY, history_app, settle

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
    # The index is checked by the records (core/records.py), which import
    # neither the templates nor the check-in rules.
    "peersession.core.templates",
    "peersession.core.checkin",
    # Dates and slots are built after the first frame (the "Next meeting"
    # column): pendulum costs about a tenth of Textual's own start, most of
    # it the dateutil parser it brings.
    "pendulum",
    "dateutil",
    "peersession.core.slot",
    "peersession.core.upcoming",
    "peersession.core.slot_labels",
)

#: The command line's own home path (``peersession --data-dir DIR``), up to
#: the first frame that shows the group rows; the terminal check is waived
#: (there is none here) and the app runs headless.
_PACKAGES = tuple(f"{name}." for name in HEAVY)

FIRST_FRAME = """
import json, sys
from peersession.cli import app_cmds, main

from peersession.tui.app import PeersessionApp

def first_frame(app):
    # Textual sends Ready once the first frame has been displayed.
    from peersession.tui.screens.home import HomeScreen

    assert isinstance(app.screen, HomeScreen), app.screen
    rows = app.screen.query_one("#groups").row_count
    print(json.dumps({"rows": rows, "modules": sorted(sys.modules)}))
    app.exit()

def run_app(app):
    PeersessionApp.on_ready = first_frame
    app.run(headless=True, size=(100, 30))
    return 0

app_cmds.require_terminal = lambda *_: None
app_cmds.run_app = run_app
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def _groups_with_slots(data_dir: Path) -> HistoryStore:
    store = HistoryStore(data_dir)
    london = Slot(anchor=pendulum.date(2026, 1, 8), at="16:00", zone="Europe/London")
    store.add_group(new_group("Thursday Circle", ["Ana", "Bo"], slot=london))
    store.add_group(new_group("Friday Circle", ["Cy"]))
    return store


#: What only the shape check needs (every record's declaration, and zoneinfo for
#: a slot's zone): not imported again once the index's bytes passed it. (msgspec
#: itself parses every data file, store/storage.py; the group rows are read through
#: the group's own records, core/model.py, not a session's.)
CHECK_ONLY = (
    "zoneinfo",
    "peersession.core.records",
    "peersession.core.session_records",
    "peersession.store.shape_check",
)


def _first_frame_modules(data_dir: Path) -> list[str]:
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
    modules: list[str] = report["modules"]
    return modules


def test_the_first_home_frame_imports_nothing_heavy_and_shows_the_rows(data_dir: Path) -> None:
    _groups_with_slots(data_dir)
    for _ in ("index checked now", "index checked before"):
        modules = _first_frame_modules(data_dir)
        loaded = [m for m in modules if m in HEAVY or m.startswith(_PACKAGES)]
        assert loaded == [], f"the home screen imported {loaded} before its first frame"
    # The second start found this version of the index checked (store/checked_files.py).
    checking = tuple(f"{name}." for name in CHECK_ONLY)
    loaded = [m for m in modules if m in CHECK_ONLY or m.startswith(checking)]
    assert loaded == [], f"a checked index was checked again with {loaded}"


async def test_the_next_meeting_column_is_filled_after_the_first_frame(data_dir: Path) -> None:
    _groups_with_slots(data_dir)
    clock = FakeClock(pendulum.datetime(2026, 1, 6, 12, 0, tz="UTC"))
    app = create_app(data_dir=data_dir, clock=clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        table = app.screen.query_one("#groups", DataTable)
        labels = {
            str(table.get_cell(key, "name")): str(table.get_cell(key, "next")) for key in table.rows
        }
    assert labels["Thursday Circle"].endswith("· in 2 d"), labels
    assert labels["Friday Circle"] == "not set", labels


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


async def test_the_history_shows_its_newest_rows_before_its_figures(
    data_dir: Path, monkeypatch: Any
) -> None:
    demo = demo_history(today=TODAY, sessions=40)
    seed_demo(HistoryStore(data_dir), demo)
    release = threading.Event()
    real_figures = group_figures

    def held_figures(*args: Any, **kwargs: Any) -> Any:
        assert release.wait(10), "the test never released the figures"
        return real_figures(*args, **kwargs)

    monkeypatch.setattr(history_data, "group_figures", held_figures)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#history-rows", DataTable)
        for _ in range(200):  # the page arrives while the figures are held
            if table.row_count:
                break
            await pilot.pause(0.02)
        newest = str(table.get_row_at(0)[0])
        page = table.row_count
        figures_before = str(screen.query_one("#history-figures", Static).render())
        release.set()
        await settle(pilot)
        figures_after = str(screen.query_one("#history-figures", Static).render())
        total = table.row_count
    assert 0 < page <= 24, f"the first page holds the rows a screen shows, not {page}"
    zone = ZoneInfo(demo.group.slot.zone if demo.group.slot else "UTC")
    moments = [x["started_at"] for x in demo.sessions] + [c.at for c, _ in demo.checkins]
    newest_day = local_day(max(moments), zone)
    assert newest == f"{newest_day.day} {newest_day:%b %Y}", "the first row is the newest"
    assert figures_before.strip() == "", "the figures came after the page"
    assert "Done" in figures_after, figures_after
    assert total == len(demo.sessions) + len(demo.checkins), "the older rows follow"


def test_the_history_screen_loads_without_the_meeting_engine() -> None:
    script = (
        "import sys, json\n"
        "import peersession.tui.screens.history\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    modules = json.loads(result.stdout)
    meeting = (
        "peersession.core.engine",
        "peersession.core.events",
        "peersession.tui.widgets.panel",
    )
    loaded = [m for m in modules if m in meeting]
    assert loaded == [], f"opening a history imported the meeting's {loaded}"


def test_a_group_file_is_checked_without_the_calendar_or_the_meeting(data_dir: Path) -> None:
    """Reading a group's file checks every record against core/records.py, which
    needs neither pendulum (a tenth of Textual's start) nor the meeting engine."""
    demo = demo_history(today=TODAY, sessions=70)
    seed_demo(HistoryStore(data_dir), demo)
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from peersession.store.history import HistoryStore\n"
        "docs = HistoryStore(Path(sys.argv[1])).group_documents(sys.argv[2])\n"
        "print(json.dumps([len(docs.sessions), sorted(sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(data_dir), demo.group.id],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sessions, modules = json.loads(result.stdout)
    assert sessions == len(demo.sessions)
    assert "peersession.core.records" in modules
    heavy = ("pendulum", "peersession.core.templates", "peersession.core.engine")
    loaded = [m for m in modules if m in heavy]
    assert loaded == [], f"a good group file was checked by importing {loaded}"


async def test_a_history_opened_by_command_is_built_alone_and_escape_finds_the_home(
    data_dir: Path,
) -> None:
    demo = demo_history(today=TODAY, sessions=12)
    seed_demo(HistoryStore(data_dir), demo)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert not [s for s in app.screen_stack if isinstance(s, HomeScreen)], (
            "the home is not built under a history the command line opened"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen), "closing the history shows the home"
        table = app.screen.query_one("#groups", DataTable)
        assert table.row_count == 1
        assert str(table.get_cell(demo.group.id, "name")) == demo.group.name


async def test_a_start_that_is_refused_leaves_the_home_on_screen(data_dir: Path) -> None:
    _groups_with_slots(data_dir)
    app = create_app(data_dir=data_dir, start_group="no-such-group")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), "the refusal is reported over the home"
        assert app.screen.query_one("#groups", DataTable).row_count == 2


async def test_rows_below_the_first_screenful_follow_without_moving_a_column(
    data_dir: Path, monkeypatch: Any
) -> None:
    store = HistoryStore(data_dir)
    names = [f"Circle {n:02d}" for n in range(39)] + ["Zz the circle with the longest name"]
    for name in names:
        store.add_group(new_group(name, ["Ana", "Bo"]))
    seen: list[tuple[int, dict[str, int], list[str]]] = []
    real = HomeScreen._add_later_rows

    def first_frame_then_the_rest(self: HomeScreen) -> None:
        table = self.query_one("#groups", DataTable)
        widths = {str(k.value): c.get_render_width(table) for k, c in table.columns.items()}
        seen.append((table.row_count, widths, [str(k.value) for k in table.columns]))
        real(self)

    monkeypatch.setattr(HomeScreen, "_add_later_rows", first_frame_then_the_rest)
    app = create_app(data_dir=data_dir)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#groups", DataTable)
        shown = [str(table.get_row_at(n)[0]) for n in range(table.row_count)]
        widths = {str(k.value): c.get_render_width(table) for k, c in table.columns.items()}
    (first_rows, first_widths, first_columns), *_ = seen
    assert first_rows == 20, "the first frame holds a screenful of rows"
    assert "next" not in first_columns, "the next meeting comes with its values"
    assert shown == sorted(names, key=str.casefold), "then every group, in order"
    assert {k: widths[k] for k in first_widths} == first_widths, "no column moved"
    assert first_widths["name"] == len(names[-1]) + 2, "as wide as the longest name below"


#: A fresh ``peersession search WORDS --json`` of every group, and the modules it loaded.
FRESH_SEARCH = """
import json, sys
from peersession.cli import main

code = main(["--data-dir", sys.argv[1], "search", *sys.argv[2:], "--json"])
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""


def _fresh_search(data_dir: Path, *arguments: str) -> tuple[list[dict[str, Any]], list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", FRESH_SEARCH, str(data_dir), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout), modules


def test_a_fresh_search_prints_without_the_screens_or_the_calendar(data_dir: Path) -> None:
    """``peersession search WORD --json`` of every group (issue 27.3): the groups
    are read from the index as their declaration, which needs no pendulum, so
    neither Textual, rich, pendulum nor dateutil is imported (while every group has a slot: this
    machine's zone is pendulum's to find); the days are the group's own, as a
    search of that group alone (which builds it) gives them."""
    demo = demo_history(today=TODAY, sessions=12)
    store = HistoryStore(data_dir)
    seed_demo(store, demo)
    # Its slot's zone far from UTC: its days are not the timestamps' UTC days.
    auckland = Slot(anchor=pendulum.date(2026, 1, 8), at="16:00", zone="Pacific/Auckland")
    store.update_group(demo.group.id, lambda group, _others: replace(group, slot=auckland))
    _fresh_search(data_dir, "grant")  # the first builds the index
    every, modules = _fresh_search(data_dir, "grant")
    heavy = ("textual", "rich", "pendulum", "dateutil", "peersession.core.slot", "peersession.tui")
    loaded = [m for m in modules if m in heavy or m.startswith(tuple(f"{h}." for h in heavy))]
    assert loaded == [], f"a fresh search imported {loaded}"
    alone, _ = _fresh_search(data_dir, "grant", "--group", demo.group.name)
    assert every, "the word is found"
    assert every == alone, "the same results, named and dated as the group's own search"
    store.add_group(new_group("Friday Circle", ["Cy"]))  # no slot: this machine's zone
    assert _fresh_search(data_dir, "grant")[0] == alone
