"""What ships: the licence in the wheel and the sdist, metadata, declared
imports, README pictures in step with the snapshot tests; and the pinned versions
the test line installs."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel and the sdist, built by the project's own build backend."""
    from hatchling.builders.sdist import SdistBuilder
    from hatchling.builders.wheel import WheelBuilder

    out = tmp_path_factory.mktemp("dist")
    wheel = next(iter(WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])))
    sdist = next(iter(SdistBuilder(str(ROOT)).build(directory=str(out), versions=["standard"])))
    return {"wheel": Path(wheel), "sdist": Path(sdist)}


def test_the_wheel_ships_the_licence_themes_and_metadata(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = wheel.namelist()
        licence = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
        assert wheel.read(licence) == (ROOT / "LICENSE").read_bytes()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    text = metadata.decode("utf-8")
    assert "License-Expression: MIT" in text and "License-File: LICENSE" in text
    assert "Classifier: Environment :: Console" in text and "Keywords: " in text
    for dependency in ("rich", "tomlkit", "shtab"):
        assert f"Requires-Dist: {dependency}" in text
    assert "Author: the peersession authors" in text
    for label in ("Homepage", "Changelog", "Issues"):
        assert re.search(rf"^Project-URL: {label}, https://\S+$", text, re.M), label
    assert "peersession/_themes/mono.toml" in names


def test_the_sdist_ships_the_licence_and_the_changelog(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "scripts/readme_pictures.py"} <= names


def _imported_top_level_packages() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "peersession").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"peersession"}


def _distribution(requirement: str) -> str:
    """``textual-serve>=1.1,<2`` → ``textual_serve``: the name an import uses."""
    name = re.split(r"[\s;\[<>=!~]", requirement, maxsplit=1)[0]
    return name.lower().replace("-", "_")


def test_every_directly_imported_package_is_declared() -> None:
    project = PYPROJECT["project"]
    required = {_distribution(dep) for dep in project["dependencies"]}
    # An extra (``serve``) may hold what one command imports only when it is used.
    extras = {
        _distribution(dep)
        for name, deps in project["optional-dependencies"].items()
        if name not in ("test", "dev")
        for dep in deps
    }
    imported = {name.lower() for name in _imported_top_level_packages()}
    assert imported - required - extras == set(), "imported but not declared in pyproject"
    assert {"rich", "tomlkit", "shtab", "textual"} <= required


def test_the_changelog_has_an_unreleased_section_and_the_current_version() -> None:
    from peersession import __version__

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog and f"## [{__version__}]" in changelog


def test_the_readme_pictures_are_the_snapshots() -> None:
    spec = importlib.util.spec_from_file_location(
        "readme_pictures", ROOT / "scripts" / "readme_pictures.py"
    )
    assert spec is not None and spec.loader is not None
    pictures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pictures)
    assert pictures.stale() == [], "run scripts/readme_pictures.py after --snapshot-update"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for picture in pictures.README_PICTURES:
        assert f"(docs/pictures/{picture})" in readme, f"{picture} is not shown in the README"


# --- the pinned test versions -----------------------------------------------------------

CONSTRAINTS = ROOT / "constraints" / "test.txt"


def pinned() -> dict[str, str]:
    """constraints/test.txt: each distribution's (canonical) name and its pinned version."""
    pins: dict[str, str] = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version and " " not in line, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def test_the_test_line_installs_the_pinned_versions_and_runs_everything() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- test-command -->")[1].split("<!-- /test-command -->")[0]
    assert "pip install -q -c constraints/test.txt -e '.[test]'" in block
    assert "pytest -q -n 4 --campaigns" in block
    assert "scripts/refresh_constraints.py" in readme and (ROOT / "scripts").is_dir()


def test_every_declared_requirement_is_pinned_inside_its_range() -> None:
    pins = pinned()
    project = PYPROJECT["project"]
    declared = [
        *project["dependencies"],
        *(r for reqs in project["optional-dependencies"].values() for r in reqs),
        *PYPROJECT["build-system"]["requires"],
    ]
    for text in declared:
        requirement = Requirement(text)
        if requirement.name == "peersession":  # the dev extra names the test one
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in {CONSTRAINTS.name}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{text}: the pin {pins[name]} is outside the declared range"
        )


def test_the_suite_runs_on_the_pinned_versions() -> None:
    """What the test line installed is what the pins say (a venv made otherwise, or
    before the pins moved: reinstall with the first line of README's "Developing")."""
    installed: dict[str, str] = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions()
    }
    differ = {
        name: (version, installed.get(name))
        for name, version in pinned().items()
        if installed.get(name) != version
    }
    assert differ == {}, "pinned version, installed version"
