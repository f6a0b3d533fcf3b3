"""The index's load-time check, generated ahead of time (``store/index_shapes.py``).

The app's start checks the index with this generated module, so that it need
not import the declared shapes; it must stay the declared shapes written out
(regenerating gives the same text), every record must still be checked, and a
misshapen record is refused with the same one line as before, naming the
record and the problem.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from peersession.core.group_rules import TEMPLATE_NAMES
from peersession.core.templates import TEMPLATES
from peersession.store import index_shapes, shape_check
from peersession.store.storage import MisshapenFile, load_tables

GOOD = {"id": "ab", "name": "Ana's group", "members": [], "created_at": "2026-01-01T00:00:00+00:00"}


def index(*groups: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "_meta": {"1": {"schema": 2, "kind": "index"}},
        "groups": {str(n): copy.deepcopy(g) for n, g in enumerate(groups, start=1)},
    }


def test_the_generated_module_is_what_the_declared_shapes_make() -> None:
    assert shape_check.INDEX_SHAPES.read_text(encoding="utf-8") == (
        shape_check.index_shapes_source()
    ), "run python -m peersession.store.shape_check"
    assert shape_check.main(["--check"]) == 0


def test_the_generated_group_check_is_what_the_declared_shapes_make() -> None:
    assert shape_check.GROUP_SHAPES.read_text(encoding="utf-8") == (
        shape_check.group_shapes_source()
    ), "run python -m peersession.store.shape_check"


def test_the_template_names_are_the_templates_that_ship() -> None:
    assert tuple(TEMPLATES) == TEMPLATE_NAMES


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        ({"members": "notalist"}, "members: expected a list"),
        ({"template": "nonsense"}, "the document: unknown template (known: full, quick)"),
        ({"slot": {"anchor": "2026-01-01", "at": "16:00", "zone": "Nowhere/Atlantis"}}, None),
        ({"agenda": [{"phase": "naps"}]}, None),
    ],
)
def test_a_misshapen_index_record_is_refused_in_the_same_line_as_before(
    tmp_path: Path, damage: dict[str, Any], expected: str | None
) -> None:
    bad = {**GOOD, "id": "cd", **damage}
    tables = index(GOOD, GOOD | {"id": "ef"}, bad)
    assert index_shapes.has_shapes(tables) is False, "the generated check turns it down"
    path = tmp_path / "peersession.json"
    path.write_text(json.dumps(tables))
    with pytest.raises(MisshapenFile) as refused:
        load_tables(path)
    message = str(refused.value)
    assert message.startswith(f"{path}: groups record 3 (id 'cd') has the wrong shape (")
    assert message.endswith("); the file was left untouched (`peersession doctor` says more)")
    if expected is not None:
        assert f"({expected})" in message
    assert "\n" not in message


def test_every_record_is_checked_not_only_the_first(tmp_path: Path) -> None:
    tables = index(*({**GOOD, "id": f"g{n}"} for n in range(30)))
    assert index_shapes.has_shapes(tables) is True
    tables["groups"]["30"]["created_at"] = "yesterday"
    assert index_shapes.has_shapes(tables) is False
    path = tmp_path / "peersession.json"
    path.write_text(json.dumps(tables))
    with pytest.raises(MisshapenFile, match="groups record 30"):
        load_tables(path)


CHECK_GOOD_INDEX = """
import json, sys
from pathlib import Path
from peersession.store.storage import load_tables

tables = load_tables(Path(sys.argv[1]))
print(json.dumps({"groups": len(tables["groups"]), "modules": sorted(sys.modules)}))
"""


def test_a_good_index_is_checked_without_importing_the_declared_shapes(tmp_path: Path) -> None:
    path = tmp_path / "peersession.json"
    path.write_text(json.dumps(index(GOOD, {**GOOD, "id": "ef"})))
    result = subprocess.run(
        [sys.executable, "-c", CHECK_GOOD_INDEX, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["groups"] == 2
    assert "peersession.core.stored" not in report["modules"]
    assert "peersession.core.shapes" not in report["modules"]
