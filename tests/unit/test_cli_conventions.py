"""A good citizen of the shell: --json, -o -, global options anywhere, quiet on a
closed pipe, no app without a terminal, completion, every argument documented."""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from peersession.cli import build_parser, main
from peersession.cli.json_output import dumps
from peersession.core.words import plural
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group

from history_support import seed, seed_hostile

ESC = "\x1b"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def subparsers_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every command parser, by its full name (``group list``)."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                full = f"{parser.prog.removeprefix('peersession').strip()} {name}".strip()
                found[full] = child
                found.update(subparsers_of(child))
    return found


# --- 2. help, global options ---------------------------------------------------


def test_every_command_and_positional_is_documented() -> None:
    commands = subparsers_of(build_parser())
    assert {"start", "group", "group list", "import", "locate", "keys", "completion"} <= set(
        commands
    )
    for name, parser in commands.items():
        assert parser.description, f"`peersession {name} --help` has no description"
        for action in parser._actions:
            if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"`{name}`: the positional {action.metavar} has no help"


@pytest.mark.parametrize(
    "argv",
    [
        ["--data-dir", "D", "--theme", "mono", "start", "G"],
        ["start", "G", "--data-dir", "D", "--theme", "mono"],
        ["--theme", "mono", "group", "show", "G", "--data-dir", "D"],
        ["group", "--data-dir", "D", "show", "G", "--theme", "mono"],
        ["themes", "--data-dir", "D", "--theme", "mono"],
        ["--data-dir", "D", "--theme", "mono", "export", "G", "--format", "txt"],
    ],
)
def test_global_options_go_before_or_after_the_command(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.data_dir, args.theme) == ("D", "mono")


def test_global_options_after_the_command_are_used(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    HistoryStore(data_dir).add_group(new_group("After", ["Ana"]))
    code, out, _ = run(capsys, "group", "list", "--data-dir", str(data_dir))
    assert code == 0 and out.startswith("After")


# --- 1. --json ------------------------------------------------------------------


def test_group_list_json_matches_the_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    HistoryStore(data_dir).add_group(new_group("Zoë [Dr.] O'Neil's", ["Ana", "Bo"]))
    d = ["--data-dir", str(data_dir)]
    _, text, _ = run(capsys, "group", "list", *d)
    code, out, _ = run(capsys, "group", "list", "--json", *d)
    assert code == 0 and ESC not in out
    groups = json.loads(out)
    assert [g["name"] for g in groups] == ["Thursday Circle", "Zoë [Dr.] O'Neil's"]
    lines = text.splitlines()
    assert len(lines) == len(groups)
    for line, group in zip(lines, groups, strict=True):
        members, sessions = plural(group["members"], "member"), plural(group["sessions"], "session")
        assert f"{members}  ·  {sessions}" in line
        assert line.endswith(f"next {group['next_meeting_text']}")
    assert groups[0]["sessions"] == 9 and groups[0]["open_commitments"] >= 0
    code, out, _ = run(capsys, "group", "list", "--names", *d)
    assert out.splitlines()[0] == "Thursday Circle"


def test_group_show_json_matches_the_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    d = ["--data-dir", str(data_dir)]
    _, text, _ = run(capsys, "group", "show", "thursday circle", *d)
    code, out, _ = run(capsys, "group", "show", "thursday circle", "--json", *d)
    view = json.loads(out)
    assert code == 0 and text.startswith(view["name"] + "\n")
    assert f"members:  {', '.join(view['members'])}" in text
    assert f"next:     {view['next_meeting_text']}" in text
    assert view["slot"] is not None, "the demo's group has a slot"
    assert f"meets:    {view['slot']['description']}" in text
    assert view["slot"]["zone"] in view["slot"]["description"]
    assert view["next_meeting_start"].startswith(view["next_meeting"])
    assert [p["phase"] for p in view["agenda"]][:2] == ["opening", "wins"]
    for number, rule in enumerate(view["ground_rules"], 1):
        assert f"    {number}. {rule}\n" in text


def test_locate_doctor_and_themes_json_match_the_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    d = ["--data-dir", str(data_dir)]
    _, text, _ = run(capsys, "locate", *d)
    _, out, _ = run(capsys, "locate", "--json", *d)
    where = json.loads(out)
    assert where["data"] == str(data_dir)
    for value in where.values():
        assert value in text

    code, text, _ = run(capsys, "doctor", *d)
    json_code, out, _ = run(capsys, "doctor", "--json", *d)
    report = json.loads(out)
    assert (code, json_code) == (0, 0) and report["healthy"] is True
    assert report["summary"] in text and report["findings"]
    for finding in report["findings"]:
        assert f"{finding['where']}: {finding['message']}" in text

    _, text, _ = run(capsys, "themes", *d)
    _, out, _ = run(capsys, "themes", "--json", *d)
    themes = json.loads(out)
    current = [t["name"] for t in themes["themes"] if t["current"]]
    assert current == [themes["current"]] == ["peersession-dark"]
    assert f"* {themes['current']} " in text
    assert [line[2:].split()[0] for line in text.splitlines() if line[:2] in ("* ", "  ")] == [
        t["name"] for t in themes["themes"]
    ]


def test_checkin_list_json_matches_the_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = seed(data_dir)
    member = demo.group.members[0].name
    d = ["--data-dir", str(data_dir)]
    _, text, _ = run(capsys, "checkin", "--member", member, "--list", *d)
    code, out, _ = run(capsys, "checkin", "--member", member, "--list", "--json", *d)
    view = json.loads(out)
    assert code == 0 and view["member"] == member and view["commitments"]
    for commitment in view["commitments"]:
        assert f"  {commitment['id']}  " in text


def test_json_is_exact_yet_safe_to_print() -> None:
    hostile = "Zoë \x1b]0;t\x07 \x9b31m \u202eevil\u202c \ud800 [/]"
    out = dumps({"name": hostile})
    assert json.loads(out) == {"name": hostile}
    for unsafe in ("\x1b", "\x07", "\x9b", "\u202e", "\ud800"):
        assert unsafe not in out
    assert "Zoë" in out and "[/]" in out


def test_json_and_a_group_flag_is_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    code, _, err = run(capsys, "checkin", "--json", "--data-dir", str(data_dir))
    assert code == 1 and err.count("\n") == 1 and "--json goes with --list" in err


# --- 1. -o - ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "txt", "json", "ics"])
def test_dash_output_is_standard_output(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    seed(data_dir)
    monkey_cwd = tmp_path / "cwd"
    monkey_cwd.mkdir()
    monkeypatch.chdir(monkey_cwd)
    d = ["--data-dir", str(data_dir)]
    _, plain, _ = run(capsys, "export", "thursday circle", "--format", fmt, *d)
    code, dashed, err = run(capsys, "export", "thursday circle", "--format", fmt, "-o", "-", *d)
    if fmt == "json":  # the bundle says when it was made
        plain, dashed = (json.loads(out) for out in (plain, dashed))
        assert plain.pop("exported_at") and dashed.pop("exported_at")
    if fmt == "ics":  # and the calendar when (DTSTAMP): the two runs may straddle a second
        plain, dashed = (re.sub(r"DTSTAMP:\S+", "DTSTAMP", out) for out in (plain, dashed))
    assert code == 0 and dashed == plain and dashed and err == ""
    assert list(monkey_cwd.iterdir()) == [], "no file named '-'"


# --- 5. the plain-text recap ------------------------------------------------------


def test_txt_recap_is_plain_private_free_and_neutralised(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = seed_hostile(data_dir)
    d = ["--data-dir", str(data_dir)]
    code, md, _ = run(capsys, "export", demo.group.id, "--format", "md", *d)
    code, txt, _ = run(capsys, "export", demo.group.id, "--format", "txt", *d)
    assert code == 0
    assert txt.startswith("[b]Team[/b] [/]: session of ")
    assert "\\[" not in txt and "**" not in txt and "#" not in txt.split("\n")[0]
    assert ESC not in txt and "[/] how do I [link=x]say no[/link]?" in txt
    assert "- Cy\N{REPLACEMENT CHARACTER}[31mred: " in txt
    # Every line of people's text is indented under a heading we wrote.
    for line in txt.splitlines()[3:]:
        assert line == "" or line.startswith("  ") or line[0].isupper() or line[0] == "-"
    headings = [line[3:] for line in md.splitlines() if line.startswith("## ")]
    plain_headings = [line for line in txt.splitlines() if line and not line.startswith(" ")]
    assert plain_headings[2:] == headings


def test_txt_recap_leaves_private_items_out(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from peersession.core import events as ev
    from peersession.core.clock import FakeClock
    from peersession.store.live import LiveSession

    store = HistoryStore(data_dir)
    group = new_group("G", ["Ana", "Bo"])
    store.add_group(group)
    live = LiveSession.start(store, group, FakeClock())
    for _ in range(3):
        live.dispatch(ev.Next())
    live.dispatch(ev.NoteAdded(note_id="n1", text="public note", private=False))
    owner = group.members[0].id
    live.dispatch(
        ev.CommitmentAdded(commitment_id="c1", owner=owner, text="SECRET plan", private=True)
    )
    live.dispatch(
        ev.CommitmentAdded(commitment_id="c2", owner=group.members[1].id, text="open plan")
    )
    live.end()
    d = ["--data-dir", str(data_dir)]
    _, txt, _ = run(capsys, "export", "G", "--format", "txt", *d)
    _, everything, _ = run(capsys, "export", "G", "--format", "txt", "--include-private", *d)
    assert "  - Bo: open plan" in txt and "SECRET" not in txt
    assert "  - Ana: SECRET plan (due 2026-01-27) (private)" in everything


# --- 2. a closed pipe -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["themes"],
        ["keys"],
        ["locate", "--json"],
        ["group", "list"],
        ["--help"],
        ["completion", "zsh"],
    ],
)
def test_a_closed_pipe_is_a_quiet_exit(data_dir: Path, argv: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone before we write a byte: `| head -0`
    try:
        result = subprocess.run(
            [sys.executable, "-m", "peersession", "--data-dir", str(data_dir), *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.stderr == "", result.stderr
    # argparse's --help already ignores a closed pipe (and exits 0).
    assert result.returncode == (0 if argv == ["--help"] else 141)


# --- 3. no terminal, no app ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "instead"),
    [
        ([], "peersession group list"),
        (["start", "thursday circle"], "peersession group show 'Thursday Circle'"),
        (["history", "thursday circle"], "peersession export 'Thursday Circle' --all --format txt"),
        (["checkin", "-m", "Nadia"], "--list, then --done ID"),
        (["demo"], "peersession group add"),
    ],
)
def test_the_app_refuses_without_a_terminal(
    data_dir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], instead: str
) -> None:
    seed(data_dir)
    before = sorted(p.name for p in data_dir.rglob("*"))
    code, out, err = run(capsys, *argv, "--data-dir", str(data_dir))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "needs a terminal" in err and instead in err, err
    assert sorted(p.name for p in data_dir.rglob("*")) == before


def test_dumb_terminal_and_redirected_streams_are_refused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peersession.cli import terminal

    class Tty:
        def isatty(self) -> bool:
            return True

    class File:
        def isatty(self) -> bool:
            return False

    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(sys, "stdin", Tty())
    monkeypatch.setattr(sys, "stdout", Tty())
    assert terminal.terminal_problem() is None
    monkeypatch.setenv("TERM", "dumb")
    assert terminal.terminal_problem() == "TERM is dumb"
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(sys, "stdout", File())
    assert terminal.terminal_problem() == "standard output is not a terminal"
    monkeypatch.setattr(sys, "stdin", None)
    assert terminal.terminal_problem() == "standard input is not a terminal"


def test_history_without_a_terminal_does_not_hang(data_dir: Path) -> None:
    seed(data_dir)
    result = subprocess.run(
        [sys.executable, "-m", "peersession", "history", "--data-dir", str(data_dir)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and result.stdout == "" and ESC not in result.stderr
    assert "needs a terminal" in result.stderr


# --- 4. completion: tests/e2e/test_completion.py ---------------------------------------


def test_the_refusal_quotes_the_group_so_it_can_be_pasted(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "Zoë's [b] $HOME"
    HistoryStore(data_dir).add_group(new_group(name, ["Ana"]))
    code, _, err = run(capsys, "start", name, "--data-dir", str(data_dir))
    assert code == 1 and err.count("\n") == 1
    assert "peersession group show 'Zoë'\"'\"'s [b] $HOME'" in err


def test_the_room_view_refuses_without_a_terminal_but_not_when_served(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peersession.cli import terminal

    seed(data_dir)
    code, _, err = run(capsys, "view", "thursday circle", "--data-dir", str(data_dir))
    assert code == 1 and "needs a terminal" in err
    assert "peersession view 'Thursday Circle' --serve" in err
    # textual-serve runs the same command for each browser, drawing through its driver.
    monkeypatch.setenv("TEXTUAL_DRIVER", terminal.WEB_DRIVER)
    assert terminal.terminal_problem() is None


def test_start_restore_without_a_terminal_restores_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    retired = data_dir / "retired"
    before = sorted(p.name for p in retired.iterdir()) if retired.exists() else []
    code, _, err = run(capsys, "start", "thursday circle", "--restore", "--data-dir", str(data_dir))
    assert code == 1 and "needs a terminal" in err
    after = sorted(p.name for p in retired.iterdir()) if retired.exists() else []
    assert after == before
    assert not list(data_dir.glob("live/*.journal")), "no session was put back"
