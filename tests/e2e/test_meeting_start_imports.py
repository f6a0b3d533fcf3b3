"""A new session's meeting screen imports only what it draws (issue 27.4): not
the group's and the journal's declarations nor the check once the group's file
was checked (a journal is checked when it is read back, on a resume), nor the home."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from peersession.demo import DemoHistory, demo_history
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=pendulum.date(2026, 3, 10), sessions=40)


@pytest.fixture
def seeded(store: HistoryStore, demo: DemoHistory) -> HistoryStore:
    seed_demo(store, demo)
    return store


#: ``peersession --data-dir DIR start GROUP`` up to the meeting's first frame
#: (the terminal check waived, headless), printing the modules imported by then.
MEETING_FRAME = """
import json, sys
from peersession.cli import app_cmds, main
from peersession.tui.app import PeersessionApp

def first_frame(app):
    from peersession.tui.screens.meeting import MeetingScreen

    assert isinstance(app.screen, MeetingScreen), app.screen
    print(json.dumps(sorted(sys.modules)))
    app.exit()

def run_app(app):
    PeersessionApp.on_ready = first_frame
    app.run(headless=True, size=(120, 40))
    return 0

app_cmds.require_terminal = lambda *_: None
app_cmds.run_app = run_app
sys.exit(main(["--data-dir", sys.argv[1], "start", sys.argv[2]]))
"""

#: What a new session's meeting screen does not need: the group's and the
#: journal's declarations and the check (a file already checked is not checked
#: again; a journal is checked when it is read back, on a resume), and the home
#: screen. The declarations of what a session starts from (its sessions, the
#: commitments it may review and the check-ins since the last one,
#: ``core/session_records.py``) are what the history is read as (issue 22: the
#: store hands readers typed records).
NOT_FOR_A_NEW_MEETING = (
    "peersession.core.records",
    "peersession.core.journal_records",
    "peersession.store.shape_check",
    "peersession.tui.screens.home",
    "textual.widgets._data_table",
    # Offered only when a session was interrupted.
    "peersession.tui.screens.resume",
)


def meeting_frame_modules(data_dir: Path, group: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", MEETING_FRAME, str(data_dir), group],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    modules: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return modules


def test_a_new_meeting_imports_no_record_declarations_once_its_file_was_checked(
    seeded: HistoryStore, demo: DemoHistory, tmp_path: Path
) -> None:
    for run in ("checked now", "checked before"):
        folder = tmp_path / run  # a fresh copy each time: no session left in progress
        shutil.copytree(seeded.root, folder)
        modules = meeting_frame_modules(folder, demo.group.name)
    loaded = [m for m in NOT_FOR_A_NEW_MEETING if m in modules]
    assert loaded == [], f"the meeting's first frame imported {loaded}"
