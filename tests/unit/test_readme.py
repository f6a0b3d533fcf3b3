"""The README's one-liners are what CI and new users run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def block(name: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name} -->(.*?)<!-- /{name} -->", text, re.S)
    assert match, f"README has no {name} block"
    return [
        line for line in match.group(1).splitlines() if line.strip() and not line.startswith("```")
    ]


def test_ci_runs_the_readme_test_line() -> None:
    lines = block("test-command")
    assert len(lines) == 1
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci  # .ci/run reads the line from the README itself
    assert "pytest" in lines[0] and "[test]" in lines[0]


def test_the_test_line_runs_every_gate_before_the_tests() -> None:
    (line,) = block("test-command")
    gates = [
        ".venv/bin/ruff check peersession tests",
        ".venv/bin/ruff format --check peersession tests",
        ".venv/bin/mypy",
        ".venv/bin/lint-imports",
        ".venv/bin/python -m pytest",
    ]
    steps = line.split(" && ")
    found = [next((i for i, s in enumerate(steps) if s.startswith(g)), -1) for g in gates]
    missing = [gate for gate, at in zip(gates, found, strict=True) if at == -1]
    assert not missing, f"gates missing from the README's test line: {missing}"
    assert found == sorted(found), "the quick gates run before the tests"


def test_demo_line_installs_without_editable_mode_and_opens_the_demo() -> None:
    (line,) = block("demo-command")
    assert "pip install -q ." in line and line.endswith("peersession demo")


def test_both_lines_make_their_own_venv() -> None:
    for name in ("demo-command", "test-command"):
        (line,) = block(name)
        assert line.startswith("python3 -m venv .venv && ")
