"""Every read-modify-write under the write lock (issue #12, point 2).

8 real processes change one data folder at the same moment (they import
everything, then wait for a "go" file, so their reads and writes interleave as
much as they can): group edits of every kind, group adds, check-ins, imports,
and a doctor --repair among them. Every change is kept.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pendulum
import pytest

from peersession.cli import main
from peersession.demo import demo_history
from peersession.exports.bundle import build_bundle, dumps_bundle
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore

PROCESSES = 8

# Imports first, then wait for the go file: the commands start together.
RUNNER = """
import sys, time, pathlib
from peersession.cli import main
go = pathlib.Path(sys.argv[1])
while not go.exists():
    time.sleep(0.005)
sys.exit(main(sys.argv[2:]))
"""


def together(root: Path, commands: list[list[str]]) -> list[tuple[int, str]]:
    """Run every command at once on ``root``; their exit codes and stderr."""
    go = root.parent / f"go-{time.monotonic_ns()}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RUNNER, str(go), *args, "--data-dir", str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    time.sleep(1.5)  # every process has imported and is waiting
    go.touch()
    results = []
    for process in processes:
        _, err = process.communicate(timeout=120)
        results.append((process.returncode, err))
    return results


def all_ok(results: list[tuple[int, str]]) -> None:
    for code, err in results:
        assert code == 0, err


@pytest.fixture
def circle(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    assert main(["group", "add", "Circle", "-m", "Ana", "--data-dir", str(root)]) == 0
    return root


def test_parallel_member_additions_are_all_kept(circle: Path) -> None:
    all_ok(
        together(
            circle, [["group", "edit", "Circle", "--add-member", f"M{i}"] for i in range(PROCESSES)]
        )
    )
    names = {m.name for m in HistoryStore(circle).find_group("Circle").members}
    assert names == {"Ana", *(f"M{i}" for i in range(PROCESSES))}


def test_parallel_edits_of_different_settings_are_all_kept(circle: Path) -> None:
    commands = [
        ["group", "edit", "Circle", "--every", "2w"],
        ["group", "edit", "Circle", "--rule", "Phones away"],
        ["group", "edit", "Circle", "--length", "90m"],
        ["group", "edit", "Circle", "--questions", "40%"],
        ["group", "edit", "Circle", "--extensions", "3,1"],
        ["group", "edit", "Circle", "--template", "quick"],
        ["group", "edit", "Circle", "--add-member", "Bo"],
        ["group", "edit", "Circle", "--add-member", "Cy"],
    ]
    all_ok(together(circle, commands))
    group = HistoryStore(circle).find_group("Circle")
    assert group.cadence_days == 14
    assert group.ground_rules == ("Phones away",)
    assert group.length_minutes == 90
    assert group.question_share == pytest.approx(0.4)
    assert group.extensions_minutes == (3.0, 1.0)
    assert group.template == "quick"
    assert {m.name for m in group.members} == {"Ana", "Bo", "Cy"}


def test_parallel_group_adds_with_one_name_make_one_group(tmp_path: Path) -> None:
    root = tmp_path / "data"
    results = together(root, [["group", "add", "Same", "-m", f"A{i}"] for i in range(PROCESSES)])
    assert sorted(code for code, _ in results) == [0] + [1] * (PROCESSES - 1)
    assert [g.name for g in HistoryStore(root).groups()] == ["Same"]


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "data"
    history = demo_history(today=pendulum.date(2026, 3, 5), sessions=4)
    seed_demo(HistoryStore(root), history)
    return root, history.group.id


def test_parallel_checkins_and_a_repair_keep_every_checkin(seeded: tuple[Path, str]) -> None:
    root, group_id = seeded
    store = HistoryStore(root)
    members = [m for m in store.find_group(group_id).active_members]
    before = len(store.checkins(group_id))
    commands = [
        ["checkin", group_id, "-m", members[i % len(members)].id, "--note", f"note {i}"]
        for i in range(PROCESSES)
    ]
    all_ok(together(root, [*commands, ["doctor", "--repair"]]))
    notes = {c.note for c in HistoryStore(root).checkins(group_id)}
    assert len(HistoryStore(root).checkins(group_id)) == before + PROCESSES
    assert {f"note {i}" for i in range(PROCESSES)} <= notes


def test_parallel_imports_and_edits_of_one_group_keep_every_member(
    seeded: tuple[Path, str], tmp_path: Path
) -> None:
    """Each bundle brings one new member; edits add others at the same time."""
    root, group_id = seeded
    store = HistoryStore(root)
    group = store.find_group(group_id)
    bundles = []
    for i in range(PROCESSES // 2):
        doc = build_bundle(group, store.sessions(group_id), store.commitments(group_id))
        doc["group"]["members"].append({"id": f"imported{i}", "name": f"Imported {i}"})
        path = tmp_path / f"bundle{i}.json"
        path.write_text(dumps_bundle(doc))
        bundles.append(["import", str(path)])
    edits = [
        ["group", "edit", group_id, "--add-member", f"Edited {i}"] for i in range(PROCESSES // 2)
    ]
    all_ok(together(root, [*bundles, *edits]))
    names = {m.name for m in HistoryStore(root).find_group(group_id).members}
    assert {f"Imported {i}" for i in range(PROCESSES // 2)} <= names
    assert {f"Edited {i}" for i in range(PROCESSES // 2)} <= names
    # And the history itself is whole.
    assert len(HistoryStore(root).sessions(group_id)) == 4


def test_parallel_checkins_closing_one_commitment_close_it_once(
    seeded: tuple[Path, str],
) -> None:
    """Each check-in reads the commitments after taking the lock: once one has
    marked the commitment done, the others find it closed and change nothing."""
    root, group_id = seeded
    store = HistoryStore(root)
    group = store.find_group(group_id)
    active = {m.id for m in group.active_members}
    commitment = next(
        c
        for c in store.commitments(group_id)
        if c.owner in active and not c.reviews and not c.private
    )
    command = ["checkin", group_id, "-m", commitment.owner, "--done", commitment.id]
    results = together(root, [command] * PROCESSES)
    assert sorted(code for code, _ in results) == [0] + [1] * (PROCESSES - 1)
    assert all("closed" in err for code, err in results if code)
    (after,) = [c for c in HistoryStore(root).commitments(group_id) if c.id == commitment.id]
    assert [r.status for r in after.reviews] == ["done"]
