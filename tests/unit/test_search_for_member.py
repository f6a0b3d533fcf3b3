"""The privacy doors agree (issue 24.3): ``search --for NAME`` finds a private text
only where ``history --for`` and ``export --for`` show it. A private item that
predates the member's joining (a commitment made, a goal set) is left out with
every text of it, whatever session each text was said in: a review note said
with the member in the room included."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from msgspec.structs import replace
from textual.widgets import OptionList

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.goals import new_goal
from peersession.core.local_days import local_day
from peersession.core.model import Group, Member
from peersession.core.privacy import seen_by
from peersession.core.record_types import stored
from peersession.core.search import private_seen, search_rows
from peersession.core.slot import Slot, parse_at
from peersession.settings import Settings
from peersession.store import goals as goal_store
from peersession.store import search_file
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.store.search_index import open_index
from peersession.tui.app import create_app
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_data import load_group_history
from peersession.tui.screens.history_search import SearchScreen

from history_support import settle, type_text

#: Each text said, and whether Hal (who joined between the two sessions) may see it.
SEEN_BY_HAL = {
    "zebrafish aims drafted": False,  # a private commitment made before Hal
    "zebrafish figure redone": False,  # ...its review note, said with Hal there
    "quokka lab emailed": True,  # a public commitment made before Hal
    "quokka replied": True,  # ...its review note
    "narwhal industry move": False,  # a private goal set before Hal
    "narwhal offer in hand": False,  # ...its goals review note, said with Hal there
    "walrus chair the panel": True,  # a private goal set after Hal joined
    "walrus panel booked": True,  # ...its goals review note
    "ocelot private note": True,  # a private note of the session with Hal
}


@pytest.fixture
def hal_joins_between(store: HistoryStore, group: Group, clock: FakeClock) -> Group:
    """Session 1 before Hal joined, session 2 with him: Ana's private and public
    commitments of session 1 are reviewed with notes in session 2, and so are
    her private goals, one set before Hal joined and one after."""
    ana = group.members[0].id
    hal = Member("hal", "Hal", joined=clock.now().add(days=10).date())
    group = replace(
        group,
        members=(*group.members, hal),
        agenda=({"phase": "opening"}, {"phase": "goals", "minutes": 10}),
    )
    store.save_group(group)
    for goal_id, title, at in (
        ("g-old", "narwhal industry move", "2026-01-01T00:00:00+00:00"),
        ("g-new", "walrus chair the panel", clock.now().add(days=12).isoformat()),
    ):
        goal_store.add_goal(store, new_goal(
            goal_id=goal_id, group_id=group.id, owner=ana, title=title,
            by=None, measure=None, private=True, at=at,
        ))  # fmt: skip
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.CommitmentAdded(
        commitment_id="c-old", owner=ana, text="zebrafish aims drafted", private=True
    ))  # fmt: skip
    live.dispatch(ev.CommitmentAdded(commitment_id="c-open", owner=ana, text="quokka lab emailed"))
    clock.advance(60 * 60)
    live.end()
    clock.advance(21 * 24 * 3600)
    live = LiveSession.start(store, group, clock)
    live.dispatch(
        ev.ReviewMarked(commitment_id="c-old", status="partial", note="zebrafish figure redone")
    )
    live.dispatch(ev.ReviewMarked(commitment_id="c-open", status="done", note="quokka replied"))
    live.dispatch(ev.NoteAdded(note_id="n-hal", text="ocelot private note", private=True))
    live.dispatch(ev.Next())
    live.dispatch(ev.GoalReviewed(goal_id="g-old", status="on_track", note="narwhal offer in hand"))
    live.dispatch(ev.GoalReviewed(goal_id="g-new", status="behind", note="walrus panel booked"))
    clock.advance(60 * 60)
    live.end()
    return group


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> Any:
    assert main([*args, "--data-dir", str(data_dir)]) == 0
    return json.loads(capsys.readouterr().out)


def found(capsys: pytest.CaptureFixture[str], data_dir: Path, *more: str) -> set[str]:
    words = ("zebrafish", "quokka", "narwhal", "walrus", "ocelot")
    texts: set[str] = set()
    for word in words:
        hits = cli(capsys, data_dir, "search", word, "--private", "--group", "Thursday Circle",
                   "--json", *more)  # fmt: skip
        texts |= {hit["text"] for hit in hits}
    return texts


def test_search_for_a_later_joiner_finds_what_history_and_export_for_show(
    hal_joins_between: Group,
    store: HistoryStore,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert found(capsys, data_dir) == set(SEEN_BY_HAL), "everything, for the whole group"
    assert found(capsys, data_dir, "--for", "Ana") == set(SEEN_BY_HAL), "Ana was always there"
    shown = {text for text, seen in SEEN_BY_HAL.items() if seen}
    # The other doors, as they stand: the export for Hal holds exactly these texts.
    bundle = json.dumps(cli(capsys, data_dir, "export", "Thursday Circle", "--all", "--format",
                            "json", "--include-private", "--for", "Hal"))  # fmt: skip
    assert {text for text in SEEN_BY_HAL if text in bundle} == shown
    # And the history shown to Hal (``history --for Hal``) as it is loaded.
    seen = load_group_history(store, hal_joins_between.id, date(2026, 6, 1), viewer="hal")
    history = json.dumps(
        [seen.sessions, seen.commitments, seen.checkins, seen.goals], default=stored
    )
    assert {text for text in SEEN_BY_HAL if text in history} == shown
    assert found(capsys, data_dir, "--for", "Hal") == shown, "search --for Hal as history --for"


async def test_the_history_search_shown_to_a_later_joiner_is_as_strict(
    hal_joins_between: Group, data_dir: Path, clock: FakeClock
) -> None:
    """``/`` in ``history --for Hal``: every text holding an "a", none of an item
    from before Hal joined."""
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), mode="history",
        start_group=hal_joins_between.id, member="hal",
    )  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("slash")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        await type_text(pilot, "a")
        await settle(pilot)
        texts = {hit.item.text for hit in search.hits}
        assert search.query_one("#search-results", OptionList).option_count == len(search.hits)
        assert texts & set(SEEN_BY_HAL) == {text for text, seen in SEEN_BY_HAL.items() if seen}


def test_an_index_of_version_3_is_rebuilt_once_knowing_when_each_item_began(
    hal_joins_between: Group,
    store: HistoryStore,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An index of the previous layout (no ``began``), current for the group as it
    stood, is built afresh by the next search, which is then as strict as the
    history; the search after reads no group file again."""
    found(capsys, data_dir)
    path = search_file.index_file(store.layout)
    old_layout = search_file.SCHEMA.replace(",\n    began TEXT NOT NULL", "")
    assert old_layout != search_file.SCHEMA
    older = path.with_name("older.sqlite3")
    columns = "id, group_id, record_id, kind, label, text, member_id, at, moment, session_id, "
    columns += "private, target_id"
    with closing(sqlite3.connect(older)) as db:
        db.executescript(old_layout)
        db.execute("INSERT INTO about VALUES ('version', '3')")
        db.execute("ATTACH ? AS new", (str(path),))
        for table in ("groups", "records"):
            db.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
        db.execute(f"INSERT INTO items ({columns}) SELECT {columns} FROM new.items")
        db.execute("INSERT INTO texts (texts) VALUES ('rebuild')")
        db.commit()
    for leftover in (path, *path.parent.glob(path.name + "-*")):
        leftover.unlink()
    older.rename(path)
    shown = {text for text, seen in SEEN_BY_HAL.items() if seen}
    assert found(capsys, data_dir, "--for", "Hal") == shown
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT value FROM about").fetchall() == [(search_file.INDEX_VERSION,)]
    index = open_index(store.layout, create=False)
    assert index is not None
    try:
        groups = [g.id for g in store.groups()]
        assert index.bring_up_to_date(store, groups, groups) == 0, "rebuilt once, not again"
    finally:
        index.close()


def test_the_doors_date_a_session_in_the_groups_zone(
    store: HistoryStore, group: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session at 12:00 UTC on 14 March is on 15 March in Kiritimati (UTC+14), the
    group's zone, where the history dates it: Hal, who joined on 15 March, was in
    the room, at every door (and this machine is on UTC)."""
    slot = Slot(anchor=pendulum.date(2026, 3, 19), at=parse_at("02:00"), zone="Pacific/Kiritimati")
    hal = Member("hal", "Hal", joined=date(2026, 3, 15))
    group = replace(group, members=(*group.members, hal), slot=slot)
    store.save_group(group)
    clock = FakeClock(pendulum.datetime(2026, 3, 14, 12, 0, tz="UTC"))
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.NoteAdded(note_id="n-k", text="kiwi private note", private=True))
    clock.advance(60 * 60)
    live.end()
    hits = cli(capsys, data_dir, "search", "kiwi", "--private", "--group", group.name, "--json",
               "--for", "Hal")  # fmt: skip
    assert [(hit["text"], hit["day"]) for hit in hits] == [("kiwi private note", "2026-03-15")]
    bundle = json.dumps(cli(capsys, data_dir, "export", group.name, "--all", "--format", "json",
                            "--include-private", "--for", "Hal"))  # fmt: skip
    assert "kiwi private note" in bundle
    seen = load_group_history(store, group.id, date(2026, 6, 1), viewer="hal")
    assert "kiwi private note" in json.dumps([stored(s) for s in seen.sessions])


@pytest.mark.parametrize("days_after_first", [-1, 0, 5, 12, 13, 21, 22, 40])
def test_search_rows_and_seen_by_show_a_later_joiner_the_same_private_texts(
    hal_joins_between: Group, store: HistoryStore, clock: FakeClock, days_after_first: int
) -> None:
    """Whatever day Hal joined: the private texts the index would show him (by the
    rule the SQL asks) are exactly those ``seen_by`` keeps for him."""
    docs = store.group_documents(hal_joins_between.id)
    first = docs.sessions[0].started_at
    hal = Member("hal", "Hal", joined=local_day(first) + timedelta(days=days_after_first))
    rows = search_rows(hal_joins_between.id, docs.sessions, docs.commitments, docs.checkins,
                       goals=docs.goals)  # fmt: skip
    private = {row.text for row in rows if row.private}
    assert len(private) >= 5, private
    found = {
        row.text
        for row in rows
        if row.private and private_seen(hal, row.private, local_day(row.first_at))
    }
    seen = seen_by(hal, docs.sessions, docs.commitments, docs.checkins, local_day, docs.goals)
    kept = json.dumps([seen.sessions, seen.commitments, seen.checkins, seen.goals], default=stored)
    assert found == {text for text in private if json.dumps(text)[1:-1] in kept}
