"""The command line: exit codes, one-line errors, and the spine's commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest

from peersession import __version__
from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_group_add_and_list(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "group",
        "add",
        "Trio",
        "--member",
        "Ana",
        "--member",
        "[/]",
        "--member",
        "Cy",
        "--every",
        "2w",
        "--length",
        "90m",
        "--data-dir",
        str(data_dir),
    )
    assert code == 0 and "3 members" in out
    group = HistoryStore(data_dir).find_group("trio")
    assert group.cadence_days == 14 and group.length_minutes == 90
    assert [m.name for m in group.members] == ["Ana", "[/]", "Cy"]
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "group", "list")
    assert code == 0 and out.startswith("Trio") and "3 members" in out
    run(capsys, "group", "add", "Solo", "-m", "Ana", "--data-dir", str(data_dir))
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "group", "list")
    assert "Solo  ·  1 member  ·  0 sessions" in out, out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--length", "abc"], "not a duration"),
        (["--length=-5m"], "cannot be negative"),
        (["--length", "999h"], "too long"),
        (["--length", "5m"], "between 10 minutes"),
        (["--length="], "empty duration"),
        (["--every", "soon"], "not a cadence"),
    ],
)
def test_bad_values_are_one_line_and_exit_1(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(
        capsys, "group", "add", "G", "--member", "A", *args, "--data-dir", str(data_dir)
    )
    assert code == 1
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (data_dir / "peersession.json").exists()


def test_unknown_group_is_exit_1(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "group", "add", "G", "--member", "A", "--data-dir", str(data_dir))
    code, _, err = run(capsys, "start", "Nope", "--data-dir", str(data_dir))
    assert code == 1 and "no group named 'Nope'" in err and "'G'" in err


def test_bad_usage_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["group", "frobnicate"])
    assert raised.value.code == 2


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.strip() == f"peersession {__version__}"


def test_data_dir_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PEERSESSION_DATA_DIR", str(tmp_path / "from-env"))
    code, out, _ = run(capsys, "locate")
    assert code == 0 and f"data:   {tmp_path / 'from-env'}" in out
    assert "config:" in out and "themes:" in out
    assert f"cache:  {tmp_path / 'cache' / 'peersession'}" in out, "the tests' own cache folder"


def test_export_last_json_leaves_private_items_out(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        capsys,
        "group",
        "add",
        "G",
        "--member",
        "Ana",
        "--member",
        "Bo",
        "--data-dir",
        str(data_dir),
    )
    store = HistoryStore(data_dir)
    group = store.find_group("G")
    clock = FakeClock()
    live = LiveSession.start(store, group, clock)
    for _ in range(3):
        live.dispatch(ev.Next())
    live.dispatch(ev.NoteAdded(note_id="n1", text="public note", private=False))
    live.dispatch(ev.NoteAdded(note_id="n2", text="SECRET note", private=True))
    live.dispatch(
        ev.CommitmentAdded(
            commitment_id="c1", owner=group.members[0].id, text="SECRET plan", private=True
        )
    )
    live.end()
    code, out, _ = run(
        capsys, "export", "G", "--last", "--format", "json", "--data-dir", str(data_dir)
    )
    assert code == 0
    bundle = json.loads(out)
    assert bundle["format"] == "peersession-bundle" and len(bundle["sessions"]) == 1
    assert "public note" in out and "SECRET" not in out
    code, out, _ = run(
        capsys, "export", "G", "--last", "--include-private", "--data-dir", str(data_dir)
    )
    assert "SECRET note" in out and "SECRET plan" in out


def test_the_installed_command_runs(data_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "peersession", "--data-dir", str(data_dir), "group", "list"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no groups yet" in result.stdout


def test_group_edit_members_rules_and_agenda(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(data_dir)]
    run(capsys, "group", "add", "G", "--member", "Ana", "--member", "Bo", *d)
    code, _, err = run(
        capsys,
        "group",
        "edit",
        "G",
        "--add-member",
        "Dee",
        "--remove-member",
        "bo",
        "--rule",
        "Phones away",
        "--agenda",
        "opening:5,updates,asks,commitments:10",
        *d,
    )
    assert code == 0, err
    group = HistoryStore(data_dir).find_group("G")
    assert [m.name for m in group.active_members] == ["Ana", "Dee"]
    assert group.name_of(group.members[1].id) == "Bo"  # a former member keeps their name
    assert group.ground_rules == ("Phones away",)
    assert group.agenda is not None and group.agenda[0] == {"phase": "opening", "minutes": 5.0}
    # A new session sees only active members and the group's own agenda.
    # (Dee joined today: a session of today or later expects her.)
    live = LiveSession.start(HistoryStore(data_dir), group, FakeClock(pendulum.now("UTC")))
    assert [m.name for m in live.meeting.setup.group.members] == ["Ana", "Dee"]
    assert tuple(k.name for k in live.meeting.setup.template.kinds[:2]) == ("opening", "updates")
    live.suspend()
    code, out, _ = run(capsys, "group", "show", "G", *d)
    assert "former:   Bo" in out and "Phones away" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agenda", "updates,bogus"], "unknown phase 'bogus'"),
        (["--agenda", "updates:x"], "must be a number"),
        (["--remove-member", "Zed"], "no active member named 'Zed'"),
        (["--add-member", "ana"], "already a member"),
        (["--remove-member", "Ana"], "at least one member"),
    ],
)
def test_group_edit_refuses_bad_changes_and_writes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    d = ["--data-dir", str(data_dir)]
    run(capsys, "group", "add", "G", "--member", "Ana", *d)
    before = (data_dir / "peersession.json").read_bytes()
    code, _, err = run(capsys, "group", "edit", "G", *args, *d)
    assert code == 1 and message in err
    assert (data_dir / "peersession.json").read_bytes() == before


def test_new_groups_take_the_configured_meeting_length(
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('meeting_length = "90m"\n')
    monkeypatch.setenv("PEERSESSION_CONFIG", str(config))
    run(capsys, "group", "add", "G", "--member", "A", "--data-dir", str(data_dir))
    assert HistoryStore(data_dir).find_group("G").length_minutes == 90


def test_a_group_sets_its_own_ask_rules(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(data_dir)]
    run(capsys, "group", "add", "G", "--member", "Ana", "--member", "Bo", *d)
    code, _, err = run(
        capsys, "group", "edit", "G", "--questions", "40%", "--extensions", "3,2,1", *d
    )
    assert code == 0, err
    group = HistoryStore(data_dir).find_group("G")
    # (Dee joined today: a session of today or later expects her.)
    live = LiveSession.start(HistoryStore(data_dir), group, FakeClock(pendulum.now("UTC")))
    template = live.meeting.setup.template
    assert template.question_share == pytest.approx(0.4)
    assert template.extensions_minutes == (3.0, 2.0, 1.0)
    live.suspend()
    code, _, err = run(capsys, "group", "edit", "G", "--extensions", "1,2", *d)
    assert code == 1 and "no longer than the one before" in err
    code, _, err = run(capsys, "group", "edit", "G", "--questions", "95%", *d)
    assert code == 1 and "between 10% and 90%" in err
