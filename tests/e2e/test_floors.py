"""The declared floors are true: peersession installed with every runtime dependency at
the lowest version pyproject.toml allows (and built by the lowest hatchling its build
system allows) does what users do with it.

The floors are read from pyproject.toml itself, so a floor lowered there is the floor
tested here. The smoke is a campaign (a fresh venv, packages from the index): CI runs
it, a developer's default run does not (``pytest tests/e2e/test_floors.py`` does).
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from completion_support import complete_in_terminal

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

#: Extras for working on peersession, not for running it.
DEVELOPMENT_EXTRAS = {"test", "dev"}


def runtime_requirements() -> list[str]:
    """What running peersession needs: its dependencies and its extras (``serve``)."""
    project = PYPROJECT["project"]
    extras = project["optional-dependencies"]
    return [
        *project["dependencies"],
        *(req for name, reqs in extras.items() if name not in DEVELOPMENT_EXTRAS for req in reqs),
    ]


def build_requirements() -> list[str]:
    requires: list[str] = PYPROJECT["build-system"]["requires"]
    return requires


def floors(requirements: Iterable[str]) -> dict[str, str]:
    """Each requirement's name and its floor (its ``>=`` bound)."""
    found: dict[str, str] = {}
    for text in requirements:
        requirement = Requirement(text)
        lower = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        assert len(lower) == 1, f"{text}: declare one floor (>=), so that it can be tested"
        found[requirement.name] = lower[0]
    return found


def test_every_dependency_declares_a_floor_no_lower_than_known_needs() -> None:
    """What was found by installing the floors: icalendar 6.0 has no
    ``Timezone.from_tzid``, textual 8.2 needs rich 14.2, hatchling writes
    ``license-files`` from 1.27, shtab's bash script stops making readline quote
    every answer again as a file name in 1.11 (``Friday\\\\\\ Circle``)."""
    runtime = floors(runtime_requirements())
    build = floors(build_requirements())
    assert set(runtime) >= {"textual", "rich", "icalendar", "tomlkit", "shtab", "textual-serve"}
    known = {"icalendar": "6.1", "rich": "14.2", "shtab": "1.11", "textual": "8.2"}
    for name, least in known.items():
        assert Version(runtime[name]) >= Version(least), name
    assert Version(build["hatchling"]) >= Version("1.27")


# --- the smoke ---------------------------------------------------------------------------


class Floors:
    """A fresh venv holding peersession and every runtime dependency at its floor."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.venv = root / "venv"
        self.bin = self.venv / "bin"
        self.home = root / "home"
        self.home.mkdir()

    def pip(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(self.bin / "python"), *args],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, f"pip {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def install(self) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(self.venv)], check=True)
        pins = {**floors(runtime_requirements()), **floors(build_requirements())}
        constraints = self.root / "floors.txt"
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in pins.items()), encoding="utf-8")
        quiet = ["install", "-q", "--disable-pip-version-check", "-c", str(constraints)]
        # The build backend at its floor, then peersession built by it (no isolation:
        # the venv's own hatchling builds it) with the dependencies at theirs.
        self.pip(*quiet, *build_requirements())
        self.pip(*quiet, "--no-build-isolation", f"{ROOT}[serve]")
        self.pip("check")
        installed = {
            canonicalize_name(row["name"]): row["version"]
            for row in json.loads(self.pip("list", "--format", "json"))
        }
        for name, version in pins.items():
            assert Version(installed[canonicalize_name(name)]) == Version(version), name

    def environment(self) -> dict[str, str]:
        keep = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT")
        env = {name: os.environ[name] for name in keep if name in os.environ}
        return env | {
            "HOME": str(self.home),
            "PEERSESSION_CONFIG": str(self.root / "config" / "config.toml"),
            "TZ": "UTC",
            "NO_COLOR": "1",
        }

    def run(self, *argv: str, program: str = "peersession") -> str:
        done = subprocess.run(
            [str(self.bin / program), *argv],
            capture_output=True,
            text=True,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr, (
            f"{program} {' '.join(argv)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
        return done.stdout

    def python(self, code: str, *argv: str) -> str:
        return self.run("-c", code, *argv, program="python")


SEED_DEMO = """
import sys
from pathlib import Path
from peersession.store.demo import make_demo_dir
make_demo_dir(root=Path(sys.argv[1]))
"""

SAVE_THEME = """
import sys, tomllib
from pathlib import Path
from peersession.settings import save_theme
path = Path(sys.argv[1])
path.parent.mkdir(parents=True)
path.write_text("# mine\\nbell = true  # ring\\n\\n[keymap]\\n'timer.pause' = 'p'\\n")
save_theme("mono", path)
print(path.read_text())
"""

SERVER = """
from textual_serve.server import Server
Server("peersession view G", host="127.0.0.1", port=8123, title="G · room view")
print("built")
"""

HOME_SCREEN = """
import asyncio, sys
from pathlib import Path
from peersession.tui.app import create_app

async def main():
    app = create_app(data_dir=Path(sys.argv[1]))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        print(app.export_screenshot())

asyncio.run(main())
"""


def only_event(ics: str) -> Any:
    events = list(Calendar.from_ical(ics).walk("VEVENT"))
    assert len(events) == 1
    return events[0]


@pytest.mark.campaign
def test_peersession_works_with_every_dependency_at_its_floor(tmp_path: Path) -> None:
    at = Floors(tmp_path)
    at.install()
    data = tmp_path / "data"
    at.python(SEED_DEMO, str(data))  # the demo group, "Thursday Circle", 9 sessions
    dd = ("--data-dir", str(data))

    added = at.run(
        *("group", "add", "Friday Circle", "-m", "Ana", "-m", "Bo", "-m", "Zoë", *dd),
        *("--next", "2027-01-08", "--at", "16:00", "--tz", "Europe/London", "--every", "3w"),
    )
    assert "every 3 weeks on Friday at 16:00 (Europe/London)" in added
    shown = at.run("group", "show", "Friday Circle", *dd)
    assert "Ana, Bo, Zoë" in shown and "Fri 8 Jan 2027 16:00 Europe/London" in shown
    assert at.run("group", "list", "--names", *dd).splitlines() == [
        "Friday Circle",
        "Thursday Circle",
    ]

    friday = only_event(at.run("export", "Friday Circle", "--format", "ics", *dd))
    assert friday.decoded("dtstart") == datetime(2027, 1, 8, 16, tzinfo=ZoneInfo("Europe/London"))
    exports = {
        fmt: at.run("export", "Thursday Circle", "--format", fmt, "-o", "-", *dd)
        for fmt in ("ics", "md", "txt")
    }
    assert str(only_event(exports["ics"])["summary"]).startswith("Thursday Circle")
    assert exports["md"].startswith("#") and "Thursday Circle" in exports["md"]
    assert "Thursday Circle" in exports["txt"] and "#" not in exports["txt"].split("\n")[0]
    bundle = tmp_path / "bundle.json"
    at.run("export", "Thursday Circle", "--all", "--format", "json", "-o", str(bundle), *dd)
    assert json.loads(bundle.read_text(encoding="utf-8"))["group"]["name"] == "Thursday Circle"

    found = at.run("search", "grant", *dd).splitlines()
    assert found and all("grant" in line.lower() for line in found)
    assert "healthy" in at.run("doctor", *dd)

    elsewhere = ("--data-dir", str(tmp_path / "elsewhere"))
    at.run("import", str(bundle), *elsewhere)
    assert at.run("group", "list", "--names", *elsewhere).splitlines() == ["Thursday Circle"]

    # Completion (shtab), settings (tomlkit) and the app's first screen (textual, rich).
    script = tmp_path / "completion" / "peersession.bash"
    script.parent.mkdir()
    script.write_text(at.run("completion", "bash"), encoding="utf-8")
    env = at.environment() | {"PATH": f"{at.bin}:{os.environ['PATH']}", "LANG": "C.UTF-8"}
    typed = [f"peersession --data-dir {data} start {prefix}" for prefix in ("'Friday C", "Fri")]
    assert complete_in_terminal("bash", script, typed, env) == [
        f"peersession --data-dir {data} start 'Friday Circle' ",
        f"peersession --data-dir {data} start Friday\\ Circle ",
    ]
    saved = at.python(SAVE_THEME, str(tmp_path / "config" / "config.toml"))
    assert tomllib.loads(saved) == {"bell": True, "theme": "mono", "keymap": {"timer.pause": "p"}}
    assert "# mine" in saved and "# ring" in saved
    screen = html.unescape(at.python(HOME_SCREEN, str(data))).replace("\xa0", " ")
    assert "Friday Circle" in screen and "Thursday Circle" in screen
    assert at.python(SERVER) == "built\n"  # view --serve's server, as it builds it
