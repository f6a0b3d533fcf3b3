"""The benchmark runs end to end (at its tiny size; no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_the_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "peersession.bench",
            "--size",
            "tiny",
            "--quiet",
            "--json",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(output.read_text())
    assert figures["size"] == "tiny"
    for key in ("first_frame", "persist", "tinydb", "open_group", "search", "memory", "keys"):
        assert key in figures, f"{key} missing from the figures"
    assert figures["first_frame"]["peersession_ms"] > 0 and figures["first_frame"]["floor_ms"] > 0
    assert figures["persist"]["archive"]["n"] == figures["persist"]["empty"]["n"] > 0
    assert figures["open_group"]["rows"] >= figures["open_group"]["sessions"] > 0
    assert figures["search"]["hits"] > 0, "the demo history mentions grants"
    assert figures["memory"]["peersession_mb"] > 0
    assert figures["keys"]["n"] > 0
    # The table names every measure and the machine.
    for words in ("first frame", "persist 1 action", "stock TinyDB", "key press", "Python"):
        assert words in result.stdout
