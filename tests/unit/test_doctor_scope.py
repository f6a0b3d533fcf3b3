"""The doctor acts only on what is ours, and asks first (issue #26, point 2).

``peersession --data-dir . doctor --repair`` in a project folder made every
file 0600 and every folder 0700, deleted ``.draft.1234.tmp`` and said "healthy
now"; ``doctor`` alone listed every file as a problem. Now the doctor
examines only a folder that is recognisably a data folder (empty, or holding
a file or journal with peersession's stamp, even a damaged one), and in it
only the names peersession writes; it never deletes (a stale temporary file
of ours goes to ``backups/``); and with a person at the keyboard it shows what
it found and asks before changing anything (``--yes`` skips the question;
without a terminal it repairs as scripts expect).
"""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pendulum
import pytest

from peersession.cli import main
from peersession.demo import demo_history
from peersession.exports.bundle import build_bundle, dumps_bundle
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group

TODAY = pendulum.date(2026, 3, 5)


def snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every entry under ``root``: its mode and (files) its bytes."""
    seen = {}
    for path in [root, *sorted(root.rglob("*"))]:
        st = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
        seen[str(path.relative_to(root))] = (stat.S_IMODE(st.st_mode), data)
    return seen


def contents(root: Path) -> Counter[bytes]:
    return Counter(
        p.read_bytes() for p in root.rglob("*") if p.is_file() and p.name != "write.lock"
    )


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main([*args, "--data-dir", str(root)])
    out, err = capsys.readouterr()
    return status, out, err


def a_project(root: Path) -> None:
    """Someone's work: a script, a source file, an editor's draft, all shared."""
    (root / "src").mkdir(parents=True)
    root.chmod(0o755)
    (root / "src").chmod(0o755)
    (root / "run.sh").write_text("#!/bin/sh\necho hi\n")
    (root / "run.sh").chmod(0o755)
    (root / "src" / "a.py").write_text("print('a')\n")
    (root / "src" / "a.py").chmod(0o644)
    (root / ".draft.1234.tmp").write_text("half a thought\n")


def a_data_folder(root: Path) -> str:
    store = HistoryStore(root)
    history = demo_history(today=TODAY, sessions=3)
    seed_demo(store, history)
    return history.group.id


def test_a_project_folder_is_refused_and_nothing_in_it_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    a_project(root)
    before = snapshot(root)
    for args in (
        ["doctor"],
        ["doctor", "--repair"],
        ["doctor", "--repair", "--yes"],
        ["doctor", "--acknowledge"],
        ["doctor", "--json"],
    ):
        status, out, err = run(root, capsys, *args)
        assert status == 1, (args, out, err)
        assert out == "" and len(err.splitlines()) == 1, (args, out, err)
        assert "not a peersession data folder" in err and "nothing was checked or changed" in err
        assert snapshot(root) == before, f"{args} changed the project folder"


def test_a_bundle_called_peersession_json_does_not_make_a_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "exports"
    root.mkdir()
    group = new_group("Circle", ["Ana", "Bo"])
    (root / "peersession.json").write_text(
        dumps_bundle(build_bundle(group, [], [], include_private=False))
    )
    before = snapshot(root)
    status, _, err = run(root, capsys, "doctor", "--repair")
    assert status == 1 and "not a peersession data folder" in err
    assert snapshot(root) == before


def test_in_a_data_folder_only_our_own_files_are_checked_and_repaired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    group_id = a_data_folder(root)
    # Someone else's files, inside and beside ours.
    a_project(root / "scripts")
    (root / "notes.txt").write_text("mine\n")
    (root / "notes.txt").chmod(0o644)
    (root / ".draft.1234.tmp").write_text("half a thought\n")
    (root / "groups" / "README.md").write_text("what these are\n")
    (root / "groups" / "README.md").chmod(0o644)
    (root / "groups" / ".README.md.999999999.tmp").write_text("not ours either\n")
    # Ours, loosened, and a temporary file a killed write of ours left.
    (root / "peersession.json").chmod(0o644)
    (root / "groups").chmod(0o755)
    stale = root / "groups" / f".{group_id}.json.999999999.tmp"
    stale.write_bytes(b'{"half": ')
    theirs = [
        "scripts",
        "scripts/run.sh",
        "scripts/src",
        "scripts/src/a.py",
        "scripts/.draft.1234.tmp",
        "notes.txt",
        ".draft.1234.tmp",
        "groups/README.md",
        "groups/.README.md.999999999.tmp",
    ]
    strangers_before = {k: v for k, v in snapshot(root).items() if k in theirs}
    everything_before = contents(root)

    status, out, _ = run(root, capsys, "doctor")
    assert status == 1
    for name in theirs:
        assert f" {name}:" not in out, f"the doctor reported {name}, which is not ours:\n{out}"
    assert "peersession.json: file is open to other users" in out
    assert "groups: folder is open to other users" in out
    assert f"groups/{stale.name}: a temporary file" in out

    status, out, _ = run(root, capsys, "doctor", "--repair")
    assert status == 0, out
    after = snapshot(root)
    assert {k: v for k, v in after.items() if k in theirs} == strangers_before
    assert after["peersession.json"][0] == 0o600 and after["groups"][0] == 0o700
    # Nothing deleted: the stale temporary file is in backups/, its bytes whole.
    assert not stale.exists()
    (kept,) = (root / "backups").glob(f"{group_id}.json.interrupted.*.tmp")
    assert kept.read_bytes() == b'{"half": '
    assert not (everything_before - contents(root)), "a file's contents disappeared"
    assert run(root, capsys, "doctor")[0] == 0


def test_screenshots_are_ours_to_check_and_tighten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The palette's Screenshot writes into ``screenshots/``: the doctor knows those
    files (pictures of the screen can show private items) and leaves other files there."""
    root = tmp_path / "data"
    a_data_folder(root)
    shots = root / "screenshots"
    shots.mkdir(mode=0o755)
    ours = shots / "2026-03-05-170000.svg"
    ours.write_text("<svg/>")
    ours.chmod(0o644)
    theirs = shots / "holiday.png"
    theirs.write_text("not ours")
    theirs.chmod(0o644)

    status, out, _ = run(root, capsys, "doctor")
    assert status == 1
    assert "screenshots/2026-03-05-170000.svg: file is open to other users" in out
    assert "holiday.png" not in out
    assert run(root, capsys, "doctor", "--repair")[0] == 0
    assert stat.S_IMODE(ours.stat().st_mode) == 0o600
    assert stat.S_IMODE(shots.stat().st_mode) == 0o700
    assert stat.S_IMODE(theirs.stat().st_mode) == 0o644


def test_a_damaged_data_folder_is_still_recognised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The index garbled beyond reading: the group files still say whose folder it is."""
    root = tmp_path / "data"
    a_data_folder(root)
    (root / "peersession.json").write_bytes(b"\x00garbage")
    status, out, err = run(root, capsys, "doctor")
    assert status == 1 and "not a peersession data folder" not in err
    assert "peersession.json" in out and "--repair" in out


def test_an_empty_folder_is_healthy_and_stays_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    status, out, _ = run(root, capsys, "doctor", "--repair")
    assert status == 0 and "nothing has been saved here yet" in out
    assert list(root.iterdir()) == []
    # What a first write leaves before it saves anything is no data either.
    (root / "write.lock").touch()
    (root / "groups").mkdir()
    before = snapshot(root)
    status, out, _ = run(root, capsys, "doctor", "--repair")
    assert status == 0 and "nothing has been saved here yet" in out
    assert snapshot(root) == before


# -- asking first, on a terminal ------------------------------------------------------------


def on_a_terminal(root: Path, *args: str, answer: str | None) -> tuple[int, str]:
    """``peersession doctor ARGS`` with a pseudo-terminal for its input and output,
    typing ``answer`` when it asks (None: it must not ask)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "peersession", "doctor", *args, "--data-dir", str(root)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    said = b""
    answered = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the process is done
                break
            if not chunk:
                break
            said += chunk
        if answer is not None and not answered and b"[y/N]" in said:
            os.write(leader, answer.encode() + b"\n")
            answered = True
        if process.poll() is not None and not ready:
            break
    status = process.wait(timeout=30)
    os.close(leader)
    return status, said.decode("utf-8", "replace").replace("\r\n", "\n")


def loosened(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    a_data_folder(root)
    (root / "peersession.json").chmod(0o644)
    return root


def test_on_a_terminal_the_repair_asks_and_no_changes_nothing(tmp_path: Path) -> None:
    root = loosened(tmp_path)
    before = snapshot(root)
    status, said = on_a_terminal(root, "--repair", answer="n")
    assert "Repair now? [y/N]" in said and "file is open to other users" in said, said
    assert status == 1 and "nothing was changed" in said, said
    assert snapshot(root) == before


def test_on_a_terminal_the_repair_asks_and_yes_repairs(tmp_path: Path) -> None:
    root = loosened(tmp_path)
    status, said = on_a_terminal(root, "--repair", answer="y")
    assert "Repair now? [y/N]" in said and "FIXED" in said and status == 0, said
    assert stat.S_IMODE((root / "peersession.json").stat().st_mode) == 0o600


def test_yes_repairs_without_asking_and_so_does_a_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = loosened(tmp_path)
    status, said = on_a_terminal(root, "--repair", "--yes", answer=None)
    assert "[y/N]" not in said and "FIXED" in said and status == 0, said
    (root / "peersession.json").chmod(0o644)
    # No terminal (a script, cron): as before, it repairs.
    status, out, err = run(root, capsys, "doctor", "--repair")
    assert status == 0 and "FIXED" in out and "[y/N]" not in out + err


def test_a_healthy_folder_is_not_asked_about(tmp_path: Path) -> None:
    root = tmp_path / "data"
    a_data_folder(root)
    status, said = on_a_terminal(root, "--repair", answer=None)
    assert status == 0 and "[y/N]" not in said and "healthy" in said, said


def test_the_json_report_stays_json_when_the_question_is_asked(tmp_path: Path) -> None:
    root = loosened(tmp_path)
    status, said = on_a_terminal(root, "--repair", "--json", answer="y")
    assert status == 0, said
    document = said[said.index("{") :]
    assert json.loads(document)["healthy"] is True


def test_yes_without_repair_is_refused_rather_than_seeming_to_repair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    a_data_folder(root)
    (root / ".history.json.4242.tmp").write_text("left by a crash")
    before = snapshot(root)
    status, out, err = run(root, capsys, "doctor", "--yes")
    assert out == ""
    assert status != 0
    assert "--yes goes with --repair" in err and len(err.strip().splitlines()) == 1
    assert snapshot(root) == before
