"""Reading what the room view shows, for Pilot tests of the meeting and `view`."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from peersession.tui.widgets.bigclock import BigClock
from peersession.tui.widgets.room import RoomView


def plain(widget: Widget) -> str:
    rendered = widget.render()
    return rendered.plain if isinstance(rendered, Content) else str(rendered)


def room_text(screen: Screen[Any]) -> str:
    """Every line of the room view as text (titles, lines, the clock's value)."""
    room = screen.query_one(RoomView)
    parts = [str(room.border_title or ""), str(room.border_subtitle or "")]
    parts += [plain(s) for s in room.query(Static) if s.display]
    parts.append(f"clock {room.query_one(BigClock).value}")
    return "\n".join(parts)
