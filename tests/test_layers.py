"""The layers: core knows no screen and no storage; store knows no screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "peersession"


def imported_modules(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(PACKAGE))] = names
    return found


def test_core_imports_neither_textual_nor_tinydb() -> None:
    offenders = {
        path: names & {"textual", "tinydb", "rich"}
        for path, names in imported_modules(PACKAGE / "core").items()
        if names & {"textual", "tinydb", "rich"}
    }
    assert offenders == {}


def test_store_imports_no_textual() -> None:
    offenders = {
        path: names & {"textual", "rich"}
        for path, names in imported_modules(PACKAGE / "store").items()
        if names & {"textual", "rich"}
    }
    assert offenders == {}


def test_core_does_not_reach_up_into_store_or_tui() -> None:
    for path in (PACKAGE / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "from ..store" not in text and "from ..tui" not in text, path


def test_importing_core_and_store_loads_no_textual() -> None:
    # Indirect imports count too: load the layers in a fresh interpreter.
    code = (
        "import sys, peersession.core.engine, peersession.core.record, "
        "peersession.store.live, peersession.store.history;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual',)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
