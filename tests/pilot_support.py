"""Driving a screen by keys, as a facilitator would, for the Pilot walks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.pilot import Pilot


@dataclass(frozen=True)
class Notice:
    """A notification as the app handed it to Textual (a toast)."""

    message: str
    title: str
    severity: str


def recorded_notices(app: App[Any]) -> list[Notice]:
    """Every toast ``app`` asks for from now on, recorded through its public
    ``notify`` (the instance's, so only this app's)."""
    shown: list[Notice] = []
    notify = app.notify

    def recorded(message: Any, **options: Any) -> None:
        shown.append(
            Notice(str(message), options.get("title", ""), options.get("severity", "information"))
        )
        notify(message, **options)

    app.notify = recorded  # type: ignore[method-assign]
    return shown


async def keys(pilot: Pilot[int], *presses: str) -> None:
    """Press each key in turn, then let the screen settle."""
    for press in presses:
        await pilot.press(press)
    await pilot.pause()


async def typed(pilot: Pilot[int], text: str) -> None:
    """Type ``text`` into the focused field, a key per character."""
    await keys(pilot, *[c if c != " " else "space" for c in text])
