"""The benchmark runs end to end (at its tiny size; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m peersession.bench --size tiny ARGS``, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "peersession.bench", "--size", "tiny", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    result = bench("--quiet", "--json", str(output))
    assert result.returncode == 0, result.stderr
    figures = json.loads(output.read_text())
    assert figures["size"] == "tiny"
    for key in ("first_frame", "persist", "open_group", "search", "end_session", "memory", "keys"):
        assert key in figures, f"{key} missing from the figures"
    assert figures["first_frame"]["peersession_ms"] > 0 and figures["first_frame"]["floor_ms"] > 0
    assert figures["persist"]["archive"]["n"] == figures["persist"]["empty"]["n"] > 0
    assert figures["open_group"]["rows"] >= figures["open_group"]["sessions"] > 0
    assert figures["open_group"]["floor_ms"] > 0
    assert figures["search"]["hits"] > 0, "the demo history mentions grants"
    assert figures["search"]["indexed_groups"] == figures["search"]["groups"]
    assert figures["search"]["fresh_ms"] > 0 and figures["search"]["fresh_read_every_byte_ms"] > 0
    assert all(save["rewrite_ms"] > 0 for save in figures["end_session"])
    assert figures["memory"]["peersession_mb"] > 0
    assert figures["keys"]["n"] > 0
    # The table names every measure, with its reference, and the machine.
    for words in (
        "first frame",
        "one-line app",
        "json.loads",
        "read every byte",
        "end a session",
        "one rewrite",
        "memory at the meeting screen",
        "key press",
        "persist 1 action",
        "Python",
    ):
        assert words in result.stdout


def test_the_archive_can_be_built_alone(tmp_path: Path) -> None:
    folder = tmp_path / "archive-here"
    result = bench("--archive", str(folder))
    assert result.returncode == 0, result.stderr
    groups = list((folder / "archive" / "groups").glob("*.json"))
    assert len(groups) == 2, "the tiny archive's two groups with history"
    index = json.loads((folder / "archive" / "peersession.json").read_text())
    assert len(index["groups"]) == 3, "and the 12-member meeting group"


def test_one_measure_can_be_taken_alone(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    result = bench(
        "--quiet", "--only", "open_group", "--only", "end_session", "--json", str(output)
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(output.read_text())
    assert "open_group" in figures and "end_session" in figures
    assert "first_frame" not in figures and "keys" not in figures
    assert "open a group" in result.stdout and "end a session" in result.stdout
    assert "first frame" not in result.stdout


def test_an_unknown_measure_is_refused() -> None:
    result = bench("--only", "speed")
    assert result.returncode == 2
    assert "invalid choice: 'speed'" in result.stderr
