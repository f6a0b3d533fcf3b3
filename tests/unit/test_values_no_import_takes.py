"""A value a hand edit put out of its bounds: every reader ignores it, but a
bundle holding it would be refused by every import. So `doctor` names the record
and the field in a note, and `export` refuses to write a backup that would never restore."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest

from peersession.cli import main
from peersession.core.free_text import MAX_TEXT
from peersession.demo import demo_history
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore

SECRET = "Ysolde-confided"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main([*args, "--data-dir", str(root)])
    out, err = capsys.readouterr()
    return status, out, err


def edited(data_dir: Path, change: Callable[[dict[str, Any]], None]) -> tuple[str, str]:
    """The demo group, its oldest session changed by hand; (group name, session id)."""
    store = HistoryStore(data_dir)
    history = demo_history(today=pendulum.date(2026, 11, 26), sessions=4)
    seed_demo(store, history)
    path = store.layout.group_history_file(history.group.id)
    data = json.loads(path.read_bytes())
    session = min(data["sessions"].values(), key=lambda s: s["started_at"])
    change(session)
    path.write_text(json.dumps(data), encoding="utf-8")
    return history.group.name, session["id"]


def a_score_of_seven(session: dict[str, Any]) -> None:
    session["health"] = {"anonymous": False, "scores": {session["order"][0]: {"safe": 7}}}


def a_note_too_long(session: dict[str, Any]) -> None:
    session["notes"].append(
        {"id": "n0", "text": SECRET + "x" * MAX_TEXT, "private": False, "at": session["ended_at"]}
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [(a_score_of_seven, "health.scores"), (a_note_too_long, "notes[0].text")],
    ids=["a score of seven", "a note too long"],
)
def test_doctor_names_the_record_and_the_field_without_what_it_holds(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], None],
    field: str,
) -> None:
    name, session_id = edited(data_dir, change)
    _, out, _ = run(data_dir, capsys, "doctor")
    [line] = [line for line in out.splitlines() if "no import takes" in line]
    assert line.split()[0] == "note" and "export --format json" in line
    assert session_id in line and field in line, line
    assert "no import takes" not in out.replace(line, ""), "one line for the one record"
    assert SECRET not in out, "the record's text is never printed"
    # The history still opens: readers ignore the value.
    assert run(data_dir, capsys, "group", "show", name)[0] == 0


@pytest.mark.parametrize("change", [a_score_of_seven, a_note_too_long])
def test_export_refuses_a_bundle_no_import_would_take(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Callable[[dict[str, Any]], None],
) -> None:
    name, _ = edited(data_dir, change)
    target = tmp_path / "backup.json"
    status, _, err = run(data_dir, capsys, "export", name, "--all", "-o", str(target))
    assert status == 1
    assert err.count("\n") == 1 and "cannot export" in err and "nothing was written" in err
    assert SECRET not in err
    assert not target.exists(), "no backup that would never restore"


def test_an_untouched_group_is_healthy_and_its_backup_restores(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, _ = edited(data_dir, lambda session: None)
    status, out, _ = run(data_dir, capsys, "doctor")
    assert status == 0 and "no import takes" not in out
    target = tmp_path / "backup.json"
    assert run(data_dir, capsys, "export", name, "--all", "-o", str(target))[0] == 0
    status, _, err = run(tmp_path / "elsewhere", capsys, "import", str(target))
    assert status == 0, err
