"""The meeting screen in every shipped theme, at 80x24, in the warning state
(the state most likely to be misread on a shared screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peersession.paths import shipped_themes_dir

from room_support import drive_and_read
from snapshot_support import meeting_app

SHIPPED = sorted(p.stem for p in shipped_themes_dir().glob("*.toml"))


def test_five_themes_ship() -> None:
    assert SHIPPED == ["colorblind", "mono", "peersession-dark", "peersession-light", "screenshare"]


@pytest.mark.parametrize("theme", SHIPPED)
def test_meeting_screen_in_theme(snap_compare: Any, data_dir: Path, theme: str) -> None:
    app, clock = meeting_app(data_dir, theme=theme)
    assert app.theme == theme
    keys: list[str | float] = ["n", "n", "n", "t", *"private [b]x[/b]", "tab", "space", "enter"]
    keys.append(220.0)
    reading = drive_and_read(clock, keys, digits="00:35", speaker="Siobhán Ní Bhriain")
    assert snap_compare(app, terminal_size=(80, 24), run_before=reading)
