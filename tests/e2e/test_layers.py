"""The floors are checked by import-linter, and each kind of violation fails it.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``). A rule that
only ever passes proves nothing, so every planted violation below is written
into a copy of the package and ``lint-imports`` must refuse that copy, naming
the broken contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def run_lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the ``peersession`` package found in ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_real_tree_keeps_every_contract() -> None:
    result = run_lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# (file to plant in, the line planted at its end, the contract that must break)
PLANTED = {
    "core imports store by absolute path": (
        "core/ids.py",
        "from peersession.store.history import HistoryStore\n",
        "Floors",
    ),
    "core imports the store package relatively": (
        "core/ids.py",
        "from .. import store\n",
        "Floors",
    ),
    "store/doctor.py imports a tui module": (
        "store/doctor.py",
        "from ..tui import text\n",
        "Floors",
    ),
    "tui imports cli": (
        "tui/app.py",
        "from ..cli import app_cmds\n",
        "Nothing imports the command line",
    ),
    "core imports cli inside a function": (
        "core/ids.py",
        "\n\ndef _sneaky() -> None:\n    from ..cli import entry_point\n\n    entry_point()\n",
        "Nothing imports the command line",
    ),
    "budget and engine import each other again": (
        "core/budget.py",
        "from .engine import Meeting\n",
        "No import cycles",
    ),
    "a screen imports the app that opens it": (
        "tui/screens/home.py",
        "from ..app import PeersessionApp\n",
        "No import cycles",
    ),
    "the store validates bundles from exports": (
        "store/merge.py",
        "from ..exports.bundle import validate_bundle\n",
        "Floors",
    ),
    "core imports textual": (
        "core/clock.py",
        "import textual\n",
        "The core (and the demo simulator on it) knows no screen",
    ),
}


#: The same import as "a screen imports the app that opens it", for mypy only: the
#: contracts ignore what runs nothing (``exclude_type_checking_imports``), which is
#: how a screen names the app, or a rule the meeting state, without a mirror protocol.
TYPE_ONLY = (
    "tui/screens/confirm.py",
    "\nfrom typing import TYPE_CHECKING\n\n"
    "if TYPE_CHECKING:\n    from ..app import PeersessionApp\n",
)


@pytest.fixture(scope="module")
def pristine_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("pristine")
    shutil.copytree(
        ROOT / "peersession", tree / "peersession", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_violation_breaks_its_contract(
    name: str, pristine_copy: Path, tmp_path: Path
) -> None:
    relative, line, contract = PLANTED[name]
    tree = tmp_path / "tree"
    shutil.copytree(pristine_copy, tree)
    target = tree / "peersession" / relative
    target.write_text(target.read_text(encoding="utf-8") + line, encoding="utf-8")

    result = run_lint_imports(tree)

    assert result.returncode != 0, f"{name}: lint-imports passed\n{result.stdout}"
    broken = [row for row in result.stdout.splitlines() if row.endswith(" BROKEN")]
    assert any(row.startswith(contract) for row in broken), (
        f"{name}: expected {contract!r} broken, got {broken}"
    )


def test_a_type_only_import_is_allowed_where_a_running_one_is_not(
    pristine_copy: Path, tmp_path: Path
) -> None:
    relative, line = TYPE_ONLY
    tree = tmp_path / "tree"
    shutil.copytree(pristine_copy, tree)
    target = tree / "peersession" / relative
    target.write_text(target.read_text(encoding="utf-8") + line, encoding="utf-8")

    allowed = run_lint_imports(tree)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr

    # The same import made at run time closes a cycle, and is refused.
    running = line.replace("if TYPE_CHECKING:\n    from", "from")
    target.write_text(target.read_text(encoding="utf-8").replace(line, running), encoding="utf-8")
    refused = run_lint_imports(tree)
    assert refused.returncode != 0, refused.stdout
    assert "No import cycles between the modules and packages of any package BROKEN" in (
        refused.stdout
    )


def test_importing_core_and_store_loads_no_textual() -> None:
    # Indirect imports at run time count too: load the floors in a fresh interpreter.
    code = (
        "import sys, peersession.core.engine, peersession.core.record, "
        "peersession.store.live, peersession.store.history;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
