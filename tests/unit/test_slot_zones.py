"""Dates and times shown in the group's zone: recaps, history, check-in and home screens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import msgspec
import pendulum
import pytest
from msgspec.structs import replace
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.core.recap import next_meeting_line
from peersession.core.slot import Slot, parse_at
from peersession.demo import DemoHistory, demo_history
from peersession.exports.markdown import render_markdown
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.tui.app import create_app
from peersession.tui.screens.checkin import CheckinScreen
from peersession.tui.screens.history_data import GroupHistory
from peersession.tui.screens.history_pages import session_title

from engine_support import read_sessions

TODAY = pendulum.date(2026, 3, 10)
TOKYO = "Asia/Tokyo"


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY)


def in_zone(group: Group, zone: str) -> Group:
    assert group.slot is not None
    return replace(group, slot=replace(group.slot, zone=zone))


@pytest.fixture
def viewer_in_london() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone("Europe/London"))
    yield
    pendulum.set_local_timezone(pendulum.timezone("UTC"))


def test_a_recap_titles_the_session_with_the_groups_day(demo: DemoHistory) -> None:
    # The demo's last session started 16:00 UTC on Thursday 5 March: Friday 01:00 in Tokyo.
    last = read_sessions(demo.sessions[-1:])
    here = render_markdown(demo.group, last, demo.commitments())
    tokyo = render_markdown(in_zone(demo.group, TOKYO), last, demo.commitments())
    assert here.startswith("# Thursday Circle: session of Thursday 5 March 2026")
    assert tokyo.startswith("# Thursday Circle: session of Friday 6 March 2026")


def test_a_recaps_next_meeting_has_the_slots_time_and_zone(demo: DemoHistory) -> None:
    session = msgspec.structs.replace(
        read_sessions(demo.sessions[-1:])[0], next_meeting="2026-04-02"
    )
    group = replace(
        demo.group,
        slot=Slot(anchor=pendulum.date(2026, 3, 5), at=parse_at("16:00"), zone="Europe/London"),
    )
    assert next_meeting_line(group, session) == "Thu 2 Apr 2026 16:00 Europe/London"
    assert next_meeting_line(replace(group, slot=None), session) == "2026-04-02"


@pytest.mark.usefixtures("viewer_in_london")
def test_history_days_and_times_are_the_groups_with_its_offset(demo: DemoHistory) -> None:
    sessions = read_sessions(demo.sessions)
    data = GroupHistory(in_zone(demo.group, TOKYO), sessions, demo.commitments(), [], TODAY)
    last = sessions[-1]
    assert data.day(last.id) == pendulum.date(2026, 3, 6)
    title = str(session_title(data, last))
    assert title.startswith("Fri 6 Mar 2026 · full · 01:00–")
    assert "UTC+09:00" in title  # the viewer's machine is in London


def test_history_in_the_viewers_own_zone_has_no_offset(demo: DemoHistory) -> None:
    data = GroupHistory(demo.group, read_sessions(demo.sessions), demo.commitments(), [], TODAY)
    title = str(session_title(data, data.sessions[-1]))
    assert title.startswith("Thu 5 Mar 2026 · full · 16:00–") and "UTC+" not in title


def slotted_group(store: HistoryStore) -> Group:
    slot = Slot(anchor=pendulum.date(2026, 3, 12), at=parse_at("16:00"), zone="Europe/London")
    group = new_group("Circle", ["Ana", "Bo"], slot=slot)
    store.add_group(group)
    return group


@pytest.mark.usefixtures("viewer_in_london")
async def test_home_shows_the_next_meeting_in_the_groups_zone(
    data_dir: Path, store: HistoryStore
) -> None:
    slotted_group(store)
    tokyo = new_group(
        "Tokyo",
        ["Cy"],
        slot=Slot(anchor=pendulum.date(2026, 3, 12), at=parse_at("07:00"), zone=TOKYO),
    )
    store.add_group(tokyo)
    clock = FakeClock(pendulum.datetime(2026, 3, 10, 12, tz="UTC"))
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), mode="home")
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#groups", DataTable)
        cells = {
            str(table.get_cell_at(Coordinate(row, 0))): str(
                table.get_cell(table.coordinate_to_cell_key(Coordinate(row, 0)).row_key, "next")
            )
            for row in range(table.row_count)
        }
    assert cells["Circle"] == "Thu 12 Mar 16:00 London · in 2 d"
    assert cells["Tokyo"] == "Thu 12 Mar 07:00 Tokyo (Wed 22:00 here) · in 2 d"


@pytest.mark.usefixtures("viewer_in_london")
async def test_the_checkin_screen_names_the_next_meeting_in_the_groups_zone(
    data_dir: Path, store: HistoryStore
) -> None:
    group = slotted_group(store)
    assert group.slot is not None
    group = replace(group, slot=replace(group.slot, zone="America/New_York"))
    store.save_group(group)
    clock = FakeClock(pendulum.datetime(2026, 3, 10, 12, tz="UTC"))
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), mode="checkin", start_group=group.id
    )
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        title = str(app.screen.query_one("#checkin-title", Static).render())
    assert "next meeting Thu 12 Mar 2026 16:00 America/New_York (20:00 your time)" in title
