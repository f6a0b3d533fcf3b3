"""The benchmark (``benchmarks/``, run from a checkout) measures at its tiny size.

No timing is asserted: the machine running the tests may be anything. What is
asserted is that every measure is taken through the real ``peersession``
command against its floor, that the data it builds follows the bundle schema,
and that its options behave.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
COMMAND = Path(sys.executable).parent / "peersession"
MEASURES = (
    "home",
    "history",
    "start",
    "memory",
    "keys",
    "persist",
    "end_session",
    "search",
    "index_build",
    "sharing",
)


def bench(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    """``python -m benchmarks --size tiny ARGS`` from the checkout, its output captured."""
    command = [sys.executable, "-m", "benchmarks", "--size", "tiny", "--quiet"]
    return subprocess.run(
        [*command, "--cache", str(cache), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def cases(rows: list[dict[str, Any]], measure: str) -> set[str]:
    return {row["case"] for row in rows if row["measure"] == measure}


def test_every_measure_is_taken_against_its_floor_at_the_tiny_size(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    result = bench("--json", str(output), cache=tmp_path / "cache")
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(output.read_text())
    rows = figures["rows"]
    assert [row for row in rows if row["error"]] == []
    assert {row["measure"] for row in rows} == set(MEASURES)
    assert cases(rows, "home") == {"2 groups", "3 groups"}, "the few groups and the department"
    assert cases(rows, "search") == {"warm", "one-hit word", "fresh"}
    assert cases(rows, "index_build") == {"3x4", "restored copy, 3x4"}
    assert cases(rows, "memory") == {"resident, 6 sessions", "peak, 6 sessions"}
    assert cases(rows, "keys") == {"p95, 120x40"}
    for row in rows:
        where = f"{row['measure']}, {row['case']}"
        assert row["install"] == figures["installs"][0]["label"], where
        assert row["real"]["n"] >= 1 and row["floor"]["n"] >= 1, where
        assert row["real"]["median"] > 0 and row["floor"]["median"] > 0, where
        assert row["ratio"] == round(row["real"][row["stat"]] / row["floor"][row["stat"]], 3)
        assert row["floor_what"], f"{where} names its floor"
        if row["measure"] != "index_build":
            assert row["goal"] is not None and row["met"] in (True, False), where
    keys = next(row for row in rows if row["measure"] == "keys")
    assert keys["stat"] == "p95" and keys["real"]["n"] == 4, "every press is a sample"
    assert figures["installs"][0]["command"] == str(COMMAND)

    # The table: one line per row, each with its floor's figure and its goal.
    table = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| measure | case | install | peersession | floor | ratio")
    assert len(table) == 2 + len(rows)
    for words in ("one-line Textual app", "FTS5", "one rewrite", "cores, Python", "≤ 1.3x"):
        assert words in result.stdout

    # The data it built follows the schema of the bundles users import.
    schema = json.loads((ROOT / "docs" / "bundle.schema.json").read_text())
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    bundles = sorted((tmp_path / "cache" / "bundles").glob("*.json"))
    assert len(bundles) == 5, "the department's 3 groups, a single group, the 12-member one"
    for path in bundles:
        validator.validate(json.loads(path.read_text()))


def test_two_installs_take_turns_on_one_measure(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    result = bench(
        "--peersession",
        f"before={COMMAND}",
        "--peersession",
        f"after={COMMAND}",
        "--only",
        "home",
        "--json",
        str(output),
        cache=tmp_path / "cache",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads(output.read_text())["rows"]
    assert [(row["measure"], row["install"]) for row in rows] == [
        ("home", "before"),
        ("home", "after"),
        ("home", "before"),
        ("home", "after"),
    ]
    assert "| home | 2 groups | before |" in result.stdout


def test_an_unknown_measure_is_refused(tmp_path: Path) -> None:
    result = bench("--only", "speed", cache=tmp_path)
    assert result.returncode == 2
    assert "invalid choice: 'speed'" in result.stderr


def test_a_missing_peersession_is_refused(tmp_path: Path) -> None:
    result = bench("--peersession", str(tmp_path / "nowhere"), cache=tmp_path)
    assert result.returncode == 1
    assert "no peersession command there" in result.stderr
