"""``peersession history [GROUP]``: the group resolved before any screen opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peersession.cli import main
from peersession.tui.app import PeersessionApp

from history_support import seed


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch, a_terminal: None) -> list[PeersessionApp]:
    """Apps the command would run (not run: no terminal in tests)."""
    apps: list[PeersessionApp] = []

    def run(self: PeersessionApp, *args: Any, **kwargs: Any) -> None:
        apps.append(self)

    monkeypatch.setattr(PeersessionApp, "run", run)
    return apps


def test_history_of_a_named_group_opens_its_history(
    data_dir: Path, launched: list[PeersessionApp]
) -> None:
    demo = seed(data_dir)
    assert main(["history", "thursday circle", "--data-dir", str(data_dir)]) == 0
    assert len(launched) == 1
    app = launched[0]
    assert app.mode == "history"
    assert app.start_group == demo.group.id


def test_history_without_a_group_lets_the_screen_choose(
    data_dir: Path, launched: list[PeersessionApp]
) -> None:
    seed(data_dir)
    seed(data_dir, group_name="Early-Career Faculty", seed=11)
    assert main(["history", "--data-dir", str(data_dir)]) == 0
    assert launched[0].mode == "history"
    assert launched[0].start_group is None, "the screen shows a group picker"


def test_an_unknown_group_is_one_line_on_stderr(
    data_dir: Path, launched: list[PeersessionApp], capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    assert main(["history", "[Nope]", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no group named '[Nope]'" in err and "Thursday Circle" in err
    assert launched == []


def test_no_groups_yet_is_one_line_on_stderr(
    data_dir: Path, launched: list[PeersessionApp], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("peersession: no groups yet")
    assert err.count("\n") == 1
    assert launched == []
