"""Shared fixtures: every test runs on its own data folder and config file.

The tests live in tests/unit (pure logic, in-process) and tests/e2e (the app, the
command as a process, kills); this file applies to both. The modules both share
(``*_support.py``, the process drivers) stay here in tests/ and are imported by
bare name: pytest's default import mode puts this file's folder on ``sys.path``
before any test module is imported, in every xdist worker too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import settings as hypothesis_settings
from textual.app import App

from peersession.core.clock import FakeClock
from peersession.core.ids import new_id
from peersession.core.model import Group, Member
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group

from pilot_support import Notice

HOSTILE_NAMES = ["[/]", "[link=x]Zoë[/link]", "Bo $var", "Cy\x1b[31mred"]

# A Hypothesis deadline times the machine, not the code: with four workers on a
# shared 2-core machine an example that takes 0.1 s alone can take 0.5 s, and the
# test would fail at random. What the properties check is correctness.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")

# Local times on screen (and in snapshots) must not depend on the machine's zone.
pendulum.set_local_timezone(pendulum.timezone("UTC"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--campaigns",
        action="store_true",
        help="also run the long campaigns (marked `campaign`): crash torture, hostile "
        "sweeps, the floors smoke. CI runs them; a test file named on the command line "
        "runs its campaigns anyway.",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A developer's run leaves the campaigns out (and says how many, as deselected)."""
    if config.getoption("--campaigns"):
        return
    named = {Path(arg.split("::")[0]).resolve() for arg in config.args}
    left_out = [
        item
        for item in items
        if item.get_closest_marker("campaign") is not None and item.path not in named
    ]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        dropped = {id(item) for item in left_out}
        items[:] = [item for item in items if id(item) not in dropped]


def stored_group(name: str, member_names: list[str]) -> Group:
    """A group with exactly these names, bypassing the checks of the doors."""
    return Group(id=new_id(), name=name, members=tuple(Member(new_id(), n) for n in member_names))


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never read or write the developer's real data or settings."""
    monkeypatch.setenv("PEERSESSION_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("PEERSESSION_DATA_DIR", str(tmp_path / "env-data"))
    # Which file versions passed their check (store/checked_files.py): each test's own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    yield


@pytest.fixture
def a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that open the app believe they have a terminal (tests have none;
    they replace App.run or create_app, so nothing is drawn)."""
    monkeypatch.setattr("peersession.cli.terminal.terminal_problem", lambda: None)


@pytest.fixture
def notices(monkeypatch: pytest.MonkeyPatch) -> list[Notice]:
    """Every toast the app asks Textual for, recorded through ``App.notify``."""
    shown: list[Notice] = []
    notify = App.notify

    def recorded(self: App[Any], message: str, **options: Any) -> None:
        shown.append(
            Notice(str(message), options.get("title", ""), options.get("severity", "information"))
        )
        notify(self, message, **options)

    monkeypatch.setattr(App, "notify", recorded)
    return shown


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> HistoryStore:
    return HistoryStore(data_dir)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(pendulum.datetime(2026, 3, 5, 17, 0, 0, tz="UTC"))


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def group(store: HistoryStore) -> Group:
    created = new_group("Thursday Circle", ["Ana", "Bo", "Cy"])
    store.add_group(created)
    return created


@pytest.fixture
def hostile_group(store: HistoryStore) -> Group:
    # Built as a file could hold it (an older version, a hand edit): the doors
    # refuse control characters in names, the screens must still cope.
    created = stored_group("[b]Team[/b] [/]", HOSTILE_NAMES)
    store.add_group(created)
    return created
