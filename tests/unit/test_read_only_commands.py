"""Commands that only read create nothing: no data folder, no file in it, no settings
folder. Run on a folder that does not exist, on an empty one and on one with a
group's history, each leaves every file as it found it (search may build its index,
derived from the history, inside a data folder that already exists)."""

from __future__ import annotations

from pathlib import Path

import pytest

from peersession.cli import main

from history_support import seed

GROUP = "Thursday Circle"

READ_ONLY = [
    ["group", "list"],
    ["group", "list", "--names"],
    ["group", "list", "--json"],
    ["group", "show", GROUP],
    ["group", "show", GROUP, "--json"],
    ["search", "grant"],
    ["search", "grant", "--json", "--private"],
    ["export", GROUP, "--format", "md"],
    ["export", GROUP, "--format", "txt", "-o", "-"],
    ["export", GROUP, "--all", "--format", "json"],
    ["export", GROUP, "--format", "ics"],
    ["export", GROUP, "--format", "ics", "--member", "Nadia", "--remind-days", "3"],
    ["report", GROUP],
    ["report", GROUP, "--format", "json", "--anonymous", "--year", "2026"],
    ["doctor"],
    ["doctor", "--json"],
    ["locate"],
    ["locate", "--json"],
    ["keys"],
    ["themes"],
    ["completion", "bash"],
]

#: Derived from the history, rebuilt whenever it is missing or stale.
SEARCH_INDEX = "search.sqlite3"


def everything_under(root: Path) -> dict[str, tuple[int, int] | None]:
    """Every path under ``root``: its size and modification time (None for a folder)."""
    return {
        str(path.relative_to(root)): None
        if path.is_dir()
        else (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
    }


def run_quietly(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code == 0 or err.count("\n") == 1, err  # a refusal is one line
    return code, out + err


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_a_missing_data_folder_is_not_created(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = everything_under(tmp_path)
    missing = tmp_path / "new" / "folder"
    run_quietly([*argv, "--data-dir", str(missing)], capsys)
    assert everything_under(tmp_path) == before
    assert not missing.parent.exists()


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_an_empty_data_folder_stays_empty(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "data"
    empty.mkdir()
    empty.chmod(0o700)  # as peersession makes it (doctor reports an open one)
    before = everything_under(tmp_path)
    run_quietly([*argv, "--data-dir", str(empty)], capsys)
    after = everything_under(tmp_path)
    if argv[0] == "search":
        after.pop(f"data/{SEARCH_INDEX}", None)
    assert after == before


@pytest.mark.parametrize("argv", READ_ONLY, ids=" ".join)
def test_a_history_is_read_and_left_as_it_was(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    seed(data)
    main(["search", "warm-up", "--data-dir", str(data)])  # the index, built once
    capsys.readouterr()
    before = everything_under(tmp_path)
    code, _ = run_quietly([*argv, "--data-dir", str(data)], capsys)
    assert code == 0
    assert everything_under(tmp_path) == before


def test_no_groups_yet_is_one_line_for_a_missing_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing")
    assert run_quietly(["group", "list", "--data-dir", missing], capsys) == (
        0,
        "no groups yet: create one with `peersession group add NAME --member A ...`\n",
    )
    assert run_quietly(["group", "list", "--names", "--data-dir", missing], capsys) == (0, "")
    assert run_quietly(["group", "list", "--json", "--data-dir", missing], capsys) == (0, "[]\n")


def test_the_first_write_makes_the_folder_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "new" / "data"
    assert main(["group", "add", GROUP, "-m", "Ana", "--data-dir", str(data)]) == 0
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "peersession.json").stat().st_mode & 0o777 == 0o600
