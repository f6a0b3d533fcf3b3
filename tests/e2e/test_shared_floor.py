"""The shared folder works on the oldest ``cryptography`` pyproject.toml allows.

The floor is read from pyproject.toml, installed (from a wheel, nothing else)
into a folder of its own, put ahead of this venv's on the path, and a shared
folder is made, written, read back and refused to a wrong key with it. A
campaign: it asks the package index (``tests/e2e/test_floors.py``'s smoke installs
the same floor beside every other one).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]

ROUND_TRIP = """
import sys, tempfile
from pathlib import Path
import cryptography
from peersession.core import changes as ch
from peersession.core.hlc import Stamp
from peersession.store.shared.folder import SharedFolder, WrongKey
from peersession.store.shared.key import GroupKey
from peersession.store.shared.layout import new_machine_id

root = Path(tempfile.mkdtemp()) / "shared"
key, machine = GroupKey.new(), new_machine_id()
folder = SharedFolder(root, key)
folder.create(machine)
note = {"id": "n1", "text": "Zoë"}
folder.publish(machine, [ch.put("session", {"id": "s1", "notes": [note]}, Stamp(1, 0, machine))])
intake = SharedFolder(root, key).take_in({})
assert [c.values["notes"] for c in intake.changes] == [[note]], intake
assert not intake.findings, intake.findings
try:
    SharedFolder(root, GroupKey.new()).verify()
except WrongKey:
    pass
else:
    sys.exit("a wrong key opened the folder")
print(cryptography.__version__)
"""


def cryptography_floor() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for text in project["dependencies"]:
        requirement = Requirement(text)
        if requirement.name == "cryptography":
            floors = [s.version for s in requirement.specifier if s.operator == ">="]
            assert len(floors) == 1, f"{text}: declare one floor"
            return floors[0]
    raise AssertionError("cryptography is not a dependency")


@pytest.mark.campaign
def test_the_shared_folder_works_with_cryptography_at_its_floor(tmp_path: Path) -> None:
    floor = cryptography_floor()
    target = tmp_path / "floor"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary=:all:",
            "--target",
            str(target),
            f"cryptography=={floor}",
        ],
        check=True,
        timeout=600,
    )
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert Version(done.stdout.strip()) == Version(floor)
