"""Time asked for on screen: the opening's round with its keys, the room counting
down each speaker's own timebox, and pictures of the round at 80x24 and 160x50.

The demo group (eight members, 120 minutes, the full agenda: 85 minutes of
talking time) asks: Nadia 40 minutes, Aiko passes, Siobhán takes the default,
José 30, Grace 25. With a minute kept for each of the five others, 80 minutes
are available: 15 over. Scaled in proportion to the second (worked out by
hand): 40/95, 30/95 and 25/95 of 4,800 seconds are 2021.05, 1515.79 and
1263.16; the one second left goes to the largest remainder (José's), so
33:41, 25:16 and 21:03.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.time_requests import RequestList, TimeRequestsScreen

from room_support import assert_room_reads, drive_and_read
from snapshot_support import MEETING_START, demo_store, meeting_app

#: The round's keys for the story above (the list is in group order).
ROUND = ["m", "4", "0", "enter", "x", "enter", "3", "0", "enter", "2", "5", "enter"]
STATUS = "■ Asked 95 min, 80 available: 15 over · s: scale to fit"
SCALED = {"Nadia Haddad": "33:41", "José Álvarez-García": "25:16", "Grace Kim": "21:03"}


def text_of(widget: Static) -> str:
    content = widget.render()
    return content.plain if isinstance(content, Content) else str(content)


def asking_app(data_dir: Path) -> tuple[Any, FakeClock]:
    store, group_id = demo_store(data_dir)
    store.update_group(group_id, lambda group, _: replace(group, talking_time="requests"))
    clock = FakeClock(MEETING_START)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
    return app, clock


def meeting_screen(app: Any) -> MeetingScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MeetingScreen):
            return screen
    raise AssertionError("no meeting screen")


def round_rows(app: Any) -> list[str]:
    requests = app.screen.query_one(RequestList)
    return [str(requests.get_option_at_index(i).prompt) for i in range(requests.option_count)]


def round_status(app: Any) -> str:
    return text_of(app.screen.query_one("#requests-status", Static))


async def test_the_round_takes_minutes_passes_and_the_default_with_a_key_or_two(
    data_dir: Path,
) -> None:
    app, _ = asking_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = meeting_screen(app)
        assert "m time asked" in str(screen.query_one("#hint").render())
        assert "Nobody has asked for time" in text_of(screen.query_one("#time-asked", Static))
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TimeRequestsScreen)
        # A number half typed is shown on its row, can be corrected, and is
        # dropped when the cursor moves on without enter.
        await pilot.press("7", "backspace", "9")
        await pilot.pause()
        assert round_rows(app)[0].startswith("✎ 9▏ min")
        await pilot.press("down", "up")
        await pilot.pause()
        assert round_rows(app)[0].startswith("· equal")
        await pilot.press(*ROUND[1:])
        await pilot.pause()
        meeting = screen.meeting
        names = {m.name: m.id for m in meeting.setup.group.members}
        asked = {
            n: (r.choice, r.seconds)
            for n, r in ((n, meeting.requests.get(i)) for n, i in names.items())
            if r
        }
        assert asked == {
            "Nadia Haddad": ("minutes", 2400),
            "Aiko Tanaka": ("pass", 0),
            "Siobhán Ní Bhriain": ("default", 0),
            "José Álvarez-García": ("minutes", 1800),
            "Grace Kim": ("minutes", 1500),
        }
        assert round_status(app) == STATUS
        rows = round_rows(app)
        assert rows[0].startswith("▲ 40 min → 33:41") and rows[0].endswith("Nadia Haddad")
        assert rows[1].startswith("– pass · 01:00") and rows[1].endswith("Aiko Tanaka")
        # The cursor waits on the first member who has not answered.
        assert app.screen.query_one(RequestList).highlighted == 5
        # The meeting does not leave the opening until the scaling is accepted.
        await pilot.press("escape", "n")
        await pilot.pause()
        assert meeting.phase.title == "Opening"
        await pilot.press("m", "s")
        await pilot.pause()
        assert meeting.requests_scaled
        assert round_status(app).startswith("Scaled to fit, as accepted: asked 95 min")
        await pilot.press("escape", "n")
        await pilot.pause()
        # Three have not said: the engine asks before moving on.
        await pilot.press("y")
        await pilot.pause()
        assert meeting.phase.title == "Wins"
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        speaker = meeting.name(meeting.speaker or "")
        own = SCALED.get(speaker, "01:00")
        screen.refresh_all()
        await pilot.pause()
        # The room counts down the speaker's own timebox, read back from the big type.
        assert_room_reads(app, digits=own, speaker=speaker, part=None)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_the_round_of_time_asked_for(
    snap_compare: Any, data_dir: Path, size: tuple[int, int]
) -> None:
    app, clock = asking_app(data_dir)
    reading = drive_and_read(clock, list[str | float](ROUND), digits="05:00", speaker=None)

    async def run_before(pilot: Pilot[Any]) -> None:
        await reading(pilot)
        # What the picture must show: by how much the requests do not fit, the
        # proposed scaling beside each request, the pass and the default.
        assert round_status(pilot.app) == STATUS
        rows = round_rows(pilot.app)
        assert len(rows) == 8
        for name, clock_face in SCALED.items():
            assert any(r.endswith(name) and f"→ {clock_face}" in r for r in rows), name
        assert any(r.startswith("– pass · 01:00") and r.endswith("Aiko Tanaka") for r in rows)
        assert any(r.startswith("= equal · 01:00") and "Siobhán" in r for r in rows)
        dialog = pilot.app.screen.query_one(".dialog")
        assert "enter equal share · x pass · 0–9 enter minutes · s scale to fit" in (
            " ".join(text_of(s) for s in dialog.query(Static))
        )

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_palette_opens_the_round_from_any_phase_for_a_late_arrival(
    data_dir: Path,
) -> None:
    app, _ = asking_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = meeting_screen(app)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert screen.meeting.phase.title == "Wins"
        command = next(c for c in screen.palette_commands() if c.title == "Time asked for")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, TimeRequestsScreen)
        await pilot.press("1", "5", "enter")
        await pilot.pause()
        first = screen.meeting.present[0]
        assert screen.meeting.requests[first].seconds == 900
    plain, _ = meeting_app(data_dir / "equal")
    async with plain.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in meeting_screen(plain).palette_commands()]
        assert "Attendance" in titles and "Time asked for" not in titles
