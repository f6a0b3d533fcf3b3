"""A member who joined after session 5 finds no private item of sessions 1 to 5:
in the history screens (``history --for``), their search, the command line's
``search --for`` and ``export --for``. Eight real sessions are run and saved."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest
from msgspec.structs import replace
from textual.widgets import OptionList

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.ids import new_id
from peersession.core.model import Group, Member
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.app import create_app
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_search import SearchScreen

from history_support import settle, type_text

FIRST = pendulum.datetime(2026, 1, 8, 16, 0, tz="UTC")


def eight_sessions(
    data_dir: Path, private: str = "secretword {}", public: str = "openword {}"
) -> tuple[Group, Member]:
    """Ana, Bo and Cy from the start; Hal joins on the day of session 6. Each
    session notes one private and one public line, numbered."""
    store = HistoryStore(data_dir)
    names = ("Ana", "Bo", "Cy", "Hal")
    group = Group(id=new_id(), name="Circle", members=tuple(Member(new_id(), n) for n in names))
    hal = replace(group.members[3], joined=FIRST.add(days=21 * 5).date())
    group = replace(group, members=(*group.members[:3], hal))
    store.add_group(group)
    for number in range(1, 9):
        clock = FakeClock(FIRST.add(days=21 * (number - 1)))
        live = LiveSession.start(store, store.find_group(group.id), clock)
        live.dispatch(ev.NoteAdded(note_id=new_id(), text=private.format(number), private=True))
        live.dispatch(ev.NoteAdded(note_id=new_id(), text=public.format(number), private=False))
        clock.advance(minutes=90)
        live.end()
    return group, hal


def test_search_and_export_for_a_later_joiner(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eight_sessions(data_dir)
    d = ["--data-dir", str(data_dir)]
    search = ["search", "secretword", "--private", "--group", "Circle", "--json", "--limit", "50"]
    assert main([*search, *d]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 8
    assert main([*search, "--for", "Hal", *d]) == 0
    found = sorted(hit["text"] for hit in json.loads(capsys.readouterr().out))
    assert found == [f"secretword {n}" for n in range(6, 9)]
    assert main([*search, "--for", "Ana", *d]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 8
    export = ["export", "Circle", "--all", "--format", "json", "--include-private", "--for", "Hal"]
    assert main([*export, *d]) == 0
    bundle = json.loads(capsys.readouterr().out)
    notes = [n["text"] for s in bundle["sessions"] for n in s["notes"]]
    assert sorted(n for n in notes if n.startswith("secretword")) == [
        f"secretword {n}" for n in range(6, 9)
    ]
    assert len([n for n in notes if n.startswith("openword")]) == 8
    # Not every private item is in it: an import must not take it as complete.
    assert bundle["includes_private"] is False


def test_a_later_joiners_search_limit_counts_what_they_may_see(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every private line outranks every public one (the word three times), so
    # the best five in the index are private: three of them from before Hal.
    eight_sessions(data_dir, private="grant grant grant {}", public="grant plan number {}")
    d = ["--data-dir", str(data_dir)]
    search = ["search", "grant", "--private", "--group", "Circle", "--json", "--for", "Hal"]
    assert main([*search, "--limit", "5", *d]) == 0
    found = [hit["text"] for hit in json.loads(capsys.readouterr().out)]
    assert found == [
        "grant grant grant 8",
        "grant grant grant 7",
        "grant grant grant 6",
        "grant plan number 8",
        "grant plan number 7",
    ]


async def test_the_history_shown_to_a_later_joiner_holds_no_earlier_private_item(
    data_dir: Path,
) -> None:
    group, hal = eight_sessions(data_dir)
    app = create_app(
        data_dir=data_dir,
        clock=FakeClock(FIRST.add(days=200)),
        settings=Settings(),
        mode="history",
        start_group=group.id,
        member=hal.id,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen) and screen.data is not None
        notes = [n.text for s in screen.data.sessions for n in s.notes]
        assert sorted(n for n in notes if n.startswith("secretword")) == [
            f"secretword {n}" for n in range(6, 9)
        ]
        await pilot.press("slash")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        await type_text(pilot, "secretword")
        await settle(pilot)
        results = search.query_one("#search-results", OptionList)
        assert results.option_count == 3
        assert sorted(hit.item.text for hit in search.hits) == [
            f"secretword {n}" for n in range(6, 9)
        ]
