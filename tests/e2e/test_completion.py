"""Shell completion: commands and options from the parser, and group names, whatever
they hold, completed from an escaped, a single-quoted or a double-quoted prefix, out
of the data folder named on the line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from peersession.cli import main
from peersession.cli.completion_cmd import completion_script
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group

from completion_support import bash_replies, bash_words, complete_in_terminal

NAMES = [
    "Thursday Circle",
    "Thursday Club",
    "O'Neil Group",
    'Friday "Big" $HOME !x',
    "Zoë: Team=A",
    "日本語 グループ",
    "[b]Team[/b] *",
]


@pytest.fixture
def bash_script(tmp_path: Path) -> Path:
    script = tmp_path / "peersession.bash"
    script.write_text(completion_script("bash"), encoding="utf-8")
    return script


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts_know_commands_options_and_groups(
    capsys: pytest.CaptureFixture[str], shell: str
) -> None:
    assert main(["completion", shell]) == 0
    out = capsys.readouterr().out
    assert out == completion_script(shell)
    for word in ("group", "export", "--format", "txt", "--data-dir", "keys", "_peersession_groups"):
        assert word in out, word
    assert "group list --names" in out


# --- bash: the function bash calls, with what bash gives it ----------------------------


def test_bash_words_are_split_as_bash_splits_them() -> None:
    # What bash 5.2 put in COMP_WORDS for these lines (read back from a live shell).
    assert bash_words("peersession start Thursday\\ C") == ["peersession", "start", "Thursday\\ C"]
    assert bash_words("peersession start 'Thursday C") == ["peersession", "start", "'Thursday C"]
    assert bash_words("p --data-dir=/x start Team:\\ A") == [
        *("p", "--data-dir", "=", "/x", "start", "Team", ":", "\\ A")
    ]
    assert bash_words("peersession start ") == ["peersession", "start", ""]


@pytest.mark.parametrize(
    ("typed", "replies"),
    [
        # Escaped, single-quoted and double-quoted prefixes of a name with a space.
        ("start Thu", ["Thursday\\ Circle", "Thursday\\ Club"]),
        ("start Thursday\\ Ci", ["Thursday\\ Circle"]),
        ("start 'Thursday Ci", ["Thursday Circle"]),
        ('start "Thursday Ci', ["Thursday Circle"]),
        # A quote in the name, from each kind of prefix (readline replaces what follows
        # an open quote, so after 'O'\'' only the rest of the name is given).
        ("start O\\'N", ["O\\'Neil\\ Group"]),
        ("start 'O'\\''N", ["Neil Group"]),
        ("start \"O'N", ["O'Neil Group"]),
        # Quotes, a variable and a history bang stay what they are.
        ("start Fri", ['Friday\\ \\"Big\\"\\ \\$HOME\\ \\!x']),
        ("start 'Fri", ['Friday "Big" $HOME !x']),
        ('start "Fri', ['Friday \\"Big\\" \\$HOME "\\!"x']),
        # A word-break character: readline replaces only what follows it.
        ("start Zo", ["Zoë\\:\\ Team\\=A"]),
        ("start Zoë:\\ T", ["\\ Team\\=A"]),
        ("start 'Zoë: T", ["Zoë: Team=A"]),
        ("start 日本", ["日本語\\ グループ"]),
        ("start '[b]", ["[b]Team[/b] *"]),
        ("start \\[", ["\\[b\\]Team\\[/b\\]\\ \\*"]),
        # Every command's GROUP, positional or option.
        ("search grant --group 'Thursday Ci", ["Thursday Circle"]),
        ('group show "Thursday Cl', ["Thursday Club"]),
        ("export --format md Thursday\\ Cl", ["Thursday\\ Club"]),
        # In any case, as peersession finds a group by its name.
        ("start thursday\\ ci", ["Thursday\\ Circle"]),
        ("start 'zoË", ["Zoë: Team=A"]),
        ("start Nobody", []),
    ],
)
def test_bash_completes_group_names_from_any_prefix(
    bash_script: Path, typed: str, replies: list[str]
) -> None:
    assert bash_replies(bash_script, [f"peersession {typed}"], names=NAMES) == [replies]


#: Every command that takes a GROUP (cli/arguments.py), as a user types it.
GROUP_COMMANDS = [
    "start",
    "history",
    "checkin",
    "export",
    "group show",
    "group edit",
    "edit",
    "view",
    "share",
    "sync",
    "report",
    "goal list",
    "goal add",
    "search grant --group",
]


def test_every_command_that_takes_a_group_completes_its_name(bash_script: Path) -> None:
    lines = [f"peersession {command} 'Thursday Ci" for command in GROUP_COMMANDS]
    assert bash_replies(bash_script, lines, names=NAMES) == [["Thursday Circle"]] * len(lines)


def test_bash_completes_every_name_from_every_kind_of_prefix(bash_script: Path) -> None:
    """Whatever a name holds: complete it from the first half of it typed escaped,
    single-quoted or double-quoted, put the reply where readline puts it (after the
    open quote or the last word break, closing the quote), and the shell reads the
    completed line back as that one name."""
    names = [*NAMES, 'Ana\'s "quoted" `cmd` \\ back', "Émilie & Co; ls | a=b:c@d", "~#!"]
    cases: list[tuple[str, str, str]] = []  # name, typed word, readline's kept part
    for name in names:
        shared = max(_shared_start(name, other) for other in names if other != name)
        half = name[: max(len(name) // 2, shared + 1)]  # half the name, or enough to tell it
        # Escaped as a person would: the shell's special characters only (not : = @).
        escaped = "".join("\\" + c if c in SHELL_SPECIAL else c for c in half)
        cases.append((name, escaped, _before_last_break(escaped)))
        single = "'" + half.replace("'", "'\\''")
        cases.append((name, single, single[: single.rindex("'") + 1]))
        double = '"' + "".join("\\" + c if c in '$`"\\' else c for c in half)
        if "!" not in half:  # typing a bang inside double quotes is not a prefix we offer
            cases.append((name, double, '"'))
    lines = [f"peersession start {typed}" for _, typed, _ in cases]
    for (name, typed, kept), replies in zip(
        cases, bash_replies(bash_script, lines, names=names), strict=True
    ):
        assert len(replies) == 1, (name, typed, replies)
        completed = kept + replies[0] + (kept[-1] if kept[-1:] in ("'", '"') else "")
        assert _read_by_bash(completed) == name, (typed, completed)


SHELL_SPECIAL = set(" \t!\"#$&'()*;<>?[\\]^`{|}~")


def _shared_start(one: str, other: str) -> int:
    return next(
        (i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
        min(len(one), len(other)),
    )


def _before_last_break(escaped: str) -> str:
    """What readline keeps of an unquoted word: up to its last unescaped word break."""
    kept, i = "", 0
    while i < len(escaped):
        if escaped[i] == "\\":
            i += 2
            continue
        if escaped[i] in "@><=;|&(:":
            kept = escaped[: i + 1]
        i += 1
    return kept


def _read_by_bash(words: str) -> str:
    """What bash makes of ``words`` as arguments of a command, one a line."""
    done = subprocess.run(
        ["bash", "-c", f"printf '%s\\n' {words}"], capture_output=True, timeout=30, check=True
    )
    return done.stdout.decode().removesuffix("\n")


def test_bash_asks_the_data_folder_named_on_the_line(bash_script: Path) -> None:
    calls: list[list[str]] = []
    lines = [
        "peersession start Thu",
        "peersession --data-dir /tmp/other\\ place start Thu",
        "peersession start --data-dir '/tmp/quoted place' Thu",
        "peersession --data-dir /a start --data-dir=/tmp/b Thu",
        "peersession --data-dir ~/x start Thu",
    ]
    replies = bash_replies(bash_script, lines, names=NAMES, calls=calls)
    assert all(reply == ["Thursday\\ Circle", "Thursday\\ Club"] for reply in replies)
    assert calls == [
        ["group", "list", "--names"],
        ["--data-dir", "/tmp/other place", "group", "list", "--names"],
        ["--data-dir", "/tmp/quoted place", "group", "list", "--names"],
        ["--data-dir", "/tmp/b", "group", "list", "--names"],
        ["--data-dir", "~/x", "group", "list", "--names"],  # peersession expands ~
    ]


def test_bash_completes_from_the_real_data_folder(
    bash_script: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the real command lists the folder typed on the line, else the one
    in PEERSESSION_DATA_DIR; a folder that does not exist completes nothing and is
    not created."""
    typed, default = tmp_path / "typed folder", tmp_path / "default"
    HistoryStore(typed).add_group(new_group("O'Neil Group", ["Ana"]))
    HistoryStore(default).add_group(new_group("Thursday Circle", ["Ana"]))
    missing = tmp_path / "missing"
    env = {"PATH": f"{_command_folder(tmp_path)}:{os.environ['PATH']}"}
    env["PEERSESSION_DATA_DIR"] = str(default)
    lines = [
        "peersession start ",
        f"peersession --data-dir '{typed}' start ",
        f"peersession start --data-dir={str(typed).replace(' ', chr(92) + ' ')} O",
        f"peersession --data-dir {missing} start ",
    ]
    assert bash_replies(bash_script, lines, env=env) == [
        ["Thursday\\ Circle"],
        ["O\\'Neil\\ Group"],
        ["O\\'Neil\\ Group"],
        [],
    ]
    assert not missing.exists()


def _command_folder(tmp_path: Path) -> Path:
    """A folder holding a ``peersession`` that runs this checkout's code."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    shim = folder / "peersession"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m peersession "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return folder


def test_bash_still_completes_commands_and_options(bash_script: Path) -> None:
    lines = ["peersession gr", "peersession group sh", "peersession export G --form"]
    lines += ["peersession export G --format ", "peersession --data-dir=/x gr"]
    assert bash_replies(bash_script, lines, names=[]) == [
        ["group"],
        ["show"],
        ["--format"],
        ["md", "txt", "json", "ics"],
        ["group"],
    ]


def test_bash_completes_share_join_and_sync(bash_script: Path) -> None:
    lines = ["peersession sh", "peersession jo", "peersession syn", "peersession join F --key"]
    assert bash_replies(bash_script, lines, names=[]) == [
        ["share"],
        ["join"],
        ["sync"],
        ["--key-file"],
    ]
    script = bash_script.read_text(encoding="utf-8")
    assert "_shtab_compgen_dirs" in script  # FOLDER completes folders


# --- a real shell, its line editor, the real command ------------------------------------

LIVE_LINES = {
    "Thursday\\ C": "Thursday\\ Circle ",
    "'Thursday C": "'Thursday Circle' ",
    '"Thursday C': '"Thursday Circle" ',
    "'O": "'O'\\''Neil Group' ",
    "Zoë:\\ T": "Zoë:\\ Team\\=A ",
    "thursday\\ c": "Thursday\\ Circle ",
}


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_a_shell_completes_the_line_a_user_types(shell: str, tmp_path: Path) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed here (apt-get install {shell}), so not tested")
    data = tmp_path / "data"
    store = HistoryStore(data)
    for name in ("Thursday Circle", "O'Neil Group", "Zoë: Team=A"):
        store.add_group(new_group(name, ["Ana"]))
    other = tmp_path / "other data"
    HistoryStore(other).add_group(new_group("Other Folder", ["Bo"]))
    script = tmp_path / "completion" / ("_peersession" if shell == "zsh" else "peersession.bash")
    script.parent.mkdir()
    script.write_text(completion_script(shell), encoding="utf-8")
    env = {
        "PATH": f"{_command_folder(tmp_path)}:{os.environ['PATH']}",
        "PEERSESSION_DATA_DIR": str(data),
        "PEERSESSION_CONFIG": str(tmp_path / "config.toml"),
        "LANG": "C.UTF-8",
    }
    typed = [f"peersession start {prefix}" for prefix in LIVE_LINES]
    typed.append(f"peersession --data-dir '{other}' start Oth")
    expected = [f"peersession start {line}" for line in LIVE_LINES.values()]
    expected.append(f"peersession --data-dir '{other}' start Other\\ Folder ")
    if shell == "zsh":  # bash leaves an assignment before the command out of COMP_LINE
        typed.append(f"PEERSESSION_DATA_DIR='{other}' peersession start Oth")
        expected.append(f"PEERSESSION_DATA_DIR='{other}' peersession start Other\\ Folder ")
    lines = complete_in_terminal(shell, script, typed, env)
    if shell == "zsh":
        # zsh quotes the word as it sees fit: compare what the shell reads back.
        assert [_read_by_bash(line) for line in lines] == [_read_by_bash(e) for e in expected]
    else:
        assert lines == expected


def test_bash_completes_goal_and_its_actions(bash_script: Path) -> None:
    lines = ["peersession go", "peersession goal ", "peersession goal edit G ID --st"]
    lines.append("peersession goal edit G ID --status ")
    assert bash_replies(bash_script, lines, names=[]) == [
        ["goal"],
        ["add", "list", "edit", "link"],
        ["--status"],
        ["active", "reached", "dropped"],
    ]
