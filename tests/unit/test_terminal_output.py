"""One way out to the terminal (issue #12, points 1 and 9).

Every command is run on a history whose names, rules and texts hold terminal
escapes, a window-title OSC, carriage returns, line breaks, bidi overrides and
NUL, as a bundle from someone else or a file from an older version can: what
reaches the terminal holds no control character we did not put there (only
the line breaks between our own lines), and a person's text never makes a
line of its own. Notices in the app are swept the same way, through Pilot.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peersession.cli import main
from peersession.core.clock import FakeClock
from peersession.demo import demo_history
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore

from pilot_support import Notice

HOSTILE = "T\x1b]0;pwned\x07\x1b[2J\rline\nbreak\u202eevil\x00nul\x9b"
#: What may never reach the terminal: C0 (but the line breaks and tabs we write
#: between lines), DEL, C1, the bidi embeddings, overrides and isolates.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TODAY = pendulum.date(2026, 3, 5)


@pytest.fixture
def hostile_history(tmp_path: Path) -> tuple[Path, str, str]:
    """A demo history whose group, members, rules and a commitment carry hostile text,
    written straight into the files (the doors would refuse such names)."""
    root = tmp_path / "data"
    history = demo_history(today=TODAY, sessions=3)
    seed_demo(HistoryStore(root), history)
    index = root / "peersession.json"
    tables = json.loads(index.read_bytes())
    (key,) = tables["groups"]
    group = tables["groups"][key]
    group["name"] = "Circle " + HOSTILE
    group["ground_rules"] = [HOSTILE, "second\r\nrule"]
    member = group["members"][0]
    member["name"] = "Ana " + HOSTILE
    index.write_bytes(json.dumps(tables).encode())
    path = root / "groups" / f"{history.group.id}.json"
    tables = json.loads(path.read_bytes())
    for commitment in tables["commitments"].values():
        commitment["text"] = "do " + HOSTILE
    path.write_bytes(json.dumps(tables).encode())
    return root, history.group.id, member["id"]


def commands(root: Path, group_id: str, member_id: str, tmp: Path) -> list[list[str]]:
    bundle = tmp / "bundle.json"
    return [
        ["group", "list"],
        ["group", "show", group_id],
        ["group", "show", "no such " + HOSTILE],
        ["group", "edit", group_id, "--every", "2w"],
        ["group", "add", "Fresh [b]x[/b]", "-m", "Zoë", "-m", "Bo"],
        ["checkin", group_id, "-m", member_id, "--list"],
        ["checkin", group_id, "-m", member_id, "--note", "fine", "--energy", "4"],
        ["checkin", group_id, "-m", "nobody " + HOSTILE, "--note", "x"],
        ["export", group_id, "--all", "--format", "md"],
        ["export", group_id, "--all", "--format", "json"],
        ["export", group_id, "--format", "ics"],
        ["export", group_id, "--all", "--format", "json", "-o", str(bundle)],
        ["import", str(bundle)],
        ["doctor"],
        ["doctor", "--repair"],
        ["locate"],
        ["themes"],
    ]


def test_no_command_prints_a_control_character_from_the_history(
    hostile_history: tuple[Path, str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, group_id, member_id = hostile_history
    for args in commands(root, group_id, member_id, tmp_path):
        main(args if args == ["themes"] else [*args, "--data-dir", str(root)])
        out, err = capsys.readouterr()
        if "ics" in args:
            out = out.replace("\r\n", "\n")  # a calendar's own line ends (RFC 5545)
        for stream, text in (("stdout", out), ("stderr", err)):
            found = FORBIDDEN.search(text)
            assert found is None, f"{args[:2]} printed {found.group()!r} on {stream}"
    # The doors refuse such names: no bundle that no import would take.
    assert not (tmp_path / "bundle.json").exists()


def test_a_name_with_line_breaks_stays_on_its_line(
    hostile_history: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, group_id, _ = hostile_history
    main(["group", "list", "--data-dir", str(root)])
    assert len(capsys.readouterr().out.splitlines()) == 1
    main(["group", "show", group_id, "--data-dir", str(root)])
    lines = capsys.readouterr().out.splitlines()
    rules = lines[lines.index("  ground rules:") + 1 :]
    assert [line[:7] for line in rules] == ["    1. ", "    2. "]


def test_the_suggested_commands_can_be_pasted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    assert main(["group", "add", "Thursday Circle's", "-m", "Ana", "--data-dir", str(root)]) == 0
    out = capsys.readouterr().out
    assert "peersession start 'Thursday Circle'\"'\"'s'" in out
    # The doctor's hint for a session in progress, too.
    from peersession.store.live import LiveSession

    store = HistoryStore(root)
    group = store.only_group()
    LiveSession.start(store, group, FakeClock(pendulum.now("UTC"))).suspend()
    main(["doctor", "--data-dir", str(root)])
    assert "`peersession start 'Thursday Circle'\"'\"'s'`" in capsys.readouterr().out


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``peersession group show X | head -1``: no BrokenPipeError traceback (the
    output is made longer than a pipe's buffer, so the write really fails)."""
    args = ["group", "show", "Circle"]
    root = tmp_path / "data"
    env = {**os.environ, "PEERSESSION_DATA_DIR": str(root)}
    many = ["-m", "Ana", "--every", "2w"]
    subprocess.run(
        [sys.executable, "-m", "peersession", "group", "add", "Circle", *many],
        env=env,
        check=True,
        capture_output=True,
    )
    edit = [sys.executable, "-m", "peersession", "group", "edit", "Circle"]
    subprocess.run(
        [*edit, *(x for i in range(300) for x in ("--rule", f"rule {i} " + "x" * 200))],
        env=env,
        check=True,
        capture_output=True,
    )
    reader = subprocess.Popen(
        [sys.executable, "-m", "peersession", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(1)
    reader.stdout.close()  # the reader goes away, like `head -1`
    err = reader.stderr.read().decode()
    reader.wait(timeout=30)
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_the_data_folder_is_made_private_when_first_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    main(["group", "list", "--data-dir", str(root)])
    assert root.stat().st_mode & 0o777 == 0o755, "reading alone changes nothing"
    main(["group", "add", "Circle", "-m", "Ana", "--data-dir", str(root)])
    assert root.stat().st_mode & 0o777 == 0o700


# -- the app's notices -------------------------------------------------------------------


async def test_no_notice_carries_a_control_character(tmp_path: Path, notices: list[Notice]) -> None:
    from peersession.core.ids import new_id
    from peersession.core.model import Group, Member
    from peersession.tui.app import create_app
    from peersession.tui.screens.meeting import MeetingScreen

    root = tmp_path / "data"
    store = HistoryStore(root)
    group = Group(
        id=new_id(),
        name="Circle " + HOSTILE,
        members=(Member(new_id(), "Ana " + HOSTILE), Member(new_id(), "Bo")),
    )
    store.add_group(group)
    app = create_app(data_dir=root, clock=FakeClock(pendulum.now("UTC")), start_group=group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await pilot.press("e")  # end the session, and confirm: "… saved to the history"
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        app.screen.notify("screen " + HOSTILE, title="title " + HOSTILE, markup=False)
        await pilot.pause()
        assert any("saved to the history" in n.message for n in notices)
        for notice in notices:
            for text in (notice.message, notice.title):
                found = FORBIDDEN.search(text)
                assert found is None, f"{found.group()!r} in notice {text!r}"


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=40))
def test_any_text_printed_by_a_command_is_one_safe_line(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from peersession.cli.output import echo, field

    echo(f"name: {field(text)}")
    echo(text, err=True)
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and FORBIDDEN.search(out) is None
    assert FORBIDDEN.search(err) is None


def test_commands_write_to_the_terminal_only_through_the_output_helper() -> None:
    """Every command module prints through ``cli/output.py`` (``echo``), never with
    ``print`` or a direct ``sys.stdout``/``sys.stderr`` write: a new command that
    forgets would put people's text on the terminal as it is."""
    import ast

    import peersession.cli as cli

    offenders = []
    for path in sorted(Path(cli.__file__).parent.glob("*.py")):
        if path.name == "output.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id == "print":
                offenders.append(f"{path.name}:{node.lineno} print()")
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("write", "writelines")
                and isinstance(func.value, ast.Attribute)
                and func.value.attr in ("stdout", "stderr")
            ):
                offenders.append(f"{path.name}:{node.lineno} sys.{func.value.attr}.write()")
    assert not offenders, offenders
