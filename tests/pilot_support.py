"""Driving a screen by keys, as a facilitator would, for the Pilot walks."""

from __future__ import annotations

from dataclasses import dataclass

from textual.pilot import Pilot


@dataclass(frozen=True)
class Notice:
    """A notification as the app handed it to Textual (a toast)."""

    message: str
    title: str
    severity: str


async def keys(pilot: Pilot[int], *presses: str) -> None:
    """Press each key in turn, then let the screen settle."""
    for press in presses:
        await pilot.press(press)
    await pilot.pause()


async def typed(pilot: Pilot[int], text: str) -> None:
    """Type ``text`` into the focused field, a key per character."""
    await keys(pilot, *[c if c != " " else "space" for c in text])
