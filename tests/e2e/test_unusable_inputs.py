"""Files and folders that are not what they claim: one line, never a hang or a
traceback (issue #26, point 9, all but ``--serve``).

The settings file is read only if it is a regular file of at most 1 MB
(``/dev/zero`` used to be read until the memory ran out, a FIFO hung), every
error line is cut to a sane length wherever it comes from (a 10 MB value was
echoed whole), and a data folder that cannot be one (``/proc``, a file, a
folder that cannot be read) is refused by ``doctor`` in one line.

Each case runs a real ``peersession`` process with a memory cap and a
timeout, so what used to exhaust the machine or hang fails here instead.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from peersession.errors import MAX_MESSAGE, UserError, cut_line

#: A generous ceiling for one error line: the message, "peersession: " and a path.
LONGEST_LINE = MAX_MESSAGE + 40
MEMORY_CAP = 1 << 30


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def peersession(
    tmp_path: Path,
    *args: str,
    config: Path | None = None,
    data: Path | None = None,
    bound_by_permissions: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``peersession ARGS`` in its own process: 1 GB of memory at most, 30 s at most."""
    env = {
        **os.environ,
        "PEERSESSION_CONFIG": str(config or tmp_path / "config.toml"),
        "PEERSESSION_DATA_DIR": str(data or tmp_path / "data"),
    }
    command = [sys.executable, "-m", "peersession", *args]
    if bound_by_permissions and os.geteuid() == 0:
        # Root reads every folder; without its capabilities it obeys the modes.
        command = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", *command]
    return subprocess.run(
        command,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_capped,
        check=False,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    assert len(lines[0]) <= LONGEST_LINE, f"{len(lines[0])} characters"
    return lines[0]


# -- the settings file ---------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_the_settings_file_is_refused_at_once(tmp_path: Path, device: str) -> None:
    result = peersession(tmp_path, "group", "add", "G", "-m", "A", config=Path(device))
    assert result.returncode == 1
    assert "not a regular file" in one_line_error(result)


def test_a_fifo_as_the_settings_file_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    result = peersession(tmp_path, "group", "add", "G", "-m", "A", config=fifo)
    assert result.returncode == 1
    assert "not a regular file" in one_line_error(result)


def test_a_settings_file_over_a_megabyte_is_refused_unread(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b"# padding\n" * 110_000)  # 1.1 MB of comments: valid TOML
    result = peersession(tmp_path, "group", "add", "G", "-m", "A", config=config)
    assert result.returncode == 1
    assert "too large for a settings file" in one_line_error(result)


def test_a_ten_megabyte_value_is_not_echoed_whole(tmp_path: Path) -> None:
    """Under the size limit the value is read and refused; the error line quotes
    its start and says how much was left out."""
    config = tmp_path / "config.toml"
    config.write_text(f'theme = "{"a" * 900_000}"\n', encoding="utf-8")
    result = peersession(tmp_path, "group", "add", "G", "-m", "A", config=config)
    assert result.returncode == 1
    line = one_line_error(result)
    assert "theme: must be a theme name" in line and "characters left out" in line
    config.write_text(f'theme = "{"a" * 10_000_000}"\n', encoding="utf-8")
    result = peersession(tmp_path, "themes", config=config)
    assert len(result.stderr) <= LONGEST_LINE + 1, f"{len(result.stderr)} characters"


def test_a_huge_argument_is_not_echoed_whole_by_the_usage_error(tmp_path: Path) -> None:
    result = peersession(tmp_path, "export", "G", "--format", "x" * 100_000)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) <= LONGEST_LINE
    assert "invalid choice" in result.stderr and "characters left out" in result.stderr


def test_every_user_error_is_cut_to_one_sane_line() -> None:
    long = "x: " + "y" * 50_000 + " (the end)"
    assert len(str(UserError(long))) <= MAX_MESSAGE
    assert str(UserError(long)).endswith("(the end)")
    assert cut_line("short") == "short"


# -- data folders that cannot be one ---------------------------------------------------------


def test_proc_as_the_data_folder_is_refused_by_doctor(tmp_path: Path) -> None:
    for repair in ([], ["--repair"]):
        result = peersession(tmp_path, "doctor", *repair, data=Path("/proc"))
        assert result.returncode == 1
        assert "not a peersession data folder" in one_line_error(result)


def test_a_file_as_the_data_folder_is_refused_by_doctor(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine\n")
    result = peersession(tmp_path, "doctor", "--repair", data=a_file)
    assert result.returncode == 1
    assert "not a folder" in one_line_error(result)
    assert a_file.read_text() == "mine\n"
    result = peersession(tmp_path, "doctor", data=a_file / "inside")
    assert result.returncode == 1
    assert "Not a directory" in one_line_error(result)


@pytest.mark.skipif(
    os.geteuid() == 0 and shutil.which("setpriv") is None,
    reason="as root, a folder is unreadable only without root's capabilities (setpriv)",
)
def test_an_unreadable_data_folder_is_refused_by_doctor(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0)
    try:
        result = peersession(tmp_path, "doctor", data=folder, bound_by_permissions=True)
    finally:
        folder.chmod(0o700)
    assert result.returncode == 1
    assert "cannot read the data folder" in one_line_error(result)
