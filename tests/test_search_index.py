"""The search index: the same answers as a full scan, kept current, rebuilt when
missing, stale or damaged, and never read by an export."""

from __future__ import annotations

import copy
import json
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.fuzzy import FuzzySearch

from peersession.cli import main
from peersession.core import fuzzy
from peersession.core.ids import new_id
from peersession.core.model import CheckinDoc
from peersession.core.search import SearchItem, fold, query_words, search
from peersession.demo import DemoHistory, demo_history
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.store import search_index
from peersession.store.demo import seed_demo
from peersession.store.doctor import examine
from peersession.store.finder import candidates, find, scan
from peersession.store.history import HistoryStore
from peersession.store.merge import merge_bundle
from peersession.store.storage import file_stamp
from peersession.tui.widgets.history_match import SafeMatcher

TODAY = pendulum.date(2026, 3, 10)
TEXT_KEYS = ("text", "note", "outcome")


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY, sessions=6)


def key(item: SearchItem) -> tuple[Any, ...]:
    return (item.group_id, item.target_id, item.label, item.text, item.day, item.private)


def retexted(demo: DemoHistory, texts: list[str]) -> DemoHistory:
    """The demo history with every text replaced, in turn, by one of ``texts``."""
    history = copy.deepcopy(demo)
    counter = iter(range(10**9))

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                if name in TEXT_KEYS and isinstance(inner, str) and inner:
                    value[name] = texts[next(counter) % len(texts)]
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk([r.session for r in history.records])
    walk([r.commitments for r in history.records])
    walk([c for c, _ in history.checkins])
    return history


def all_groups(store: HistoryStore) -> list[str]:
    return [g.id for g in store.groups()]


def indexed(store: HistoryStore, query: str) -> set[tuple[Any, ...]]:
    ids = all_groups(store)
    return {key(item) for item in candidates(store, query, ids, ids)}


def scanned(store: HistoryStore, query: str) -> set[tuple[Any, ...]]:
    words = query_words(query)
    return {
        key(item)
        for item in scan(store, all_groups(store))
        if all(word in fold(item.text) for word in words)
    }


# U+FFFD stands in for NUL inside SQLite (a documented superset), so it is left out.
ALPHABET = st.characters(codec="utf-8", exclude_characters="\ufffd")
TEXTS = st.lists(st.text(ALPHABET, min_size=1, max_size=40), min_size=1, max_size=12)
FIXED = ["Grant deadline", "the GRANTS office", "ßtraße İstanbul", "a\x00b", "[/] [b]x", "rgrantr"]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=TEXTS, data=st.data())
def test_the_index_answers_the_same_texts_as_a_full_scan(
    demo: DemoHistory, texts: list[str], data: st.DataObject
) -> None:
    corpus = texts + FIXED
    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder))
        seed_demo(store, retexted(demo, corpus))
        source = data.draw(st.sampled_from(corpus))
        start = data.draw(st.integers(0, len(source)))
        end = data.draw(st.integers(start, len(source)))
        query = data.draw(
            st.one_of(
                st.just(source[start:end]),
                st.text(ALPHABET, min_size=1, max_size=6),
                st.sampled_from(["grant", "gr", "a", "straße", "ß", "[/]"]),
            )
        )
        if not query_words(query):
            return
        assert indexed(store, query) == scanned(store, query)
        # Ranked as ever: every text today's full search finds as a substring is found.
        wanted = query.strip().lower()
        everything = scan(store, all_groups(store))
        today = search(everything, query, SafeMatcher(query).score, limit=10**6)
        found = {key(hit.item) for hit in find(store, query, SafeMatcher(query).score, limit=10**6)}
        for hit in today:
            if wanted in hit.item.text.lower():
                assert key(hit.item) in found, hit.item.text


@settings(max_examples=300, deadline=None)
@given(query=st.text(min_size=1, max_size=5), text=st.text(max_size=30))
def test_the_command_lines_ranking_is_the_screens(query: str, text: str) -> None:
    expected = FuzzySearch().match(query.strip(), text)[0] if query.strip() else 0.0
    if fuzzy.picks(query.strip().lower(), text.lower()) <= fuzzy.MAX_PICKS:
        assert fuzzy.match(query, text)[0] == pytest.approx(expected)
    assert SafeMatcher(query).score(text) == fuzzy.FuzzyScorer(query).score(text)


# -- kept current, rebuilt when it must be ---------------------------------------------


@pytest.fixture
def seeded(data_dir: Path, demo: DemoHistory) -> Iterator[HistoryStore]:
    store = HistoryStore(data_dir)
    seed_demo(store, demo)
    # The first search builds the index.
    assert indexed(store, "grant") == scanned(store, "grant")
    yield store


def index_rows(store: HistoryStore, needle: str) -> list[str]:
    """Texts in the index holding ``needle``, read straight from SQLite (no catching up)."""
    with sqlite3.connect(search_index.index_file(store.layout)) as db:
        rows = db.execute("SELECT text FROM items WHERE instr(text, ?) > 0", (needle,))
        return [text for (text,) in rows]


def stamp_is_current(store: HistoryStore, group_id: str) -> bool:
    with sqlite3.connect(search_index.index_file(store.layout)) as db:
        row = db.execute("SELECT stamp FROM stamps WHERE group_id = ?", (group_id,)).fetchone()
    path = store.layout.group_history_file(group_id)
    return row is not None and row[0] == json.dumps(list(file_stamp(path) or ()))


def test_the_index_file_is_private(seeded: HistoryStore) -> None:
    mode = search_index.index_file(seeded.layout).stat().st_mode & 0o777
    assert mode == 0o600


def test_saving_a_session_updates_the_index(seeded: HistoryStore, demo: DemoHistory) -> None:
    group_id = demo.group.id
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    at = record.session["started_at"]
    record.session["notes"] = [
        {"id": new_id(), "text": "Zanzibar fellowship", "private": False, "at": at}
    ]
    record.commitments.clear()
    seeded.commit_session(record)
    assert index_rows(seeded, "Zanzibar") == ["Zanzibar fellowship"]
    assert stamp_is_current(seeded, group_id), "updated in place, not left for a rebuild"


def test_a_checkin_updates_the_index(seeded: HistoryStore, demo: DemoHistory) -> None:
    member = demo.group.members[0]
    checkin: CheckinDoc = {
        "id": new_id(),
        "group_id": demo.group.id,
        "member_id": member.id,
        "at": "2026-03-09T09:00:00+00:00",
        "note": "Quokka season",
        "energy": None,
        "private": False,
        "statuses": {},
        "updated_at": "2026-03-09T09:00:00+00:00",
    }
    seeded.add_checkin(checkin, {})
    assert index_rows(seeded, "Quokka") == ["Quokka season"]
    assert stamp_is_current(seeded, demo.group.id)


def test_an_import_updates_the_index(
    seeded: HistoryStore, data_dir: Path, demo: DemoHistory
) -> None:
    other = HistoryStore(data_dir.parent / "other")
    seed_demo(other, demo)
    group = other.groups()[0]
    sessions = other.sessions(group.id)
    sessions[-1]["wins"].append(
        {
            "id": new_id(),
            "member_id": group.members[0].id,
            "kind": "other",
            "text": "Axolotl award",
            "private": False,
            "at": sessions[-1]["started_at"],
        }
    )
    sessions[-1]["updated_at"] = "2030-01-01T00:00:00+00:00"
    bundle = build_bundle(group, sessions, other.commitments(group.id), other.checkins(group.id))
    merge_bundle(seeded, parse_bundle(dumps_bundle(bundle)))
    assert index_rows(seeded, "Axolotl") == ["Axolotl award"]
    assert stamp_is_current(seeded, demo.group.id)


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate", "stale"])
def test_a_missing_damaged_or_stale_index_is_rebuilt(seeded: HistoryStore, damage: str) -> None:
    path = search_index.index_file(seeded.layout)
    expected = scanned(seeded, "grant")
    if damage == "delete":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:5000])
    else:  # the group file changed behind the index's back (an older version, a copy)
        group_id = all_groups(seeded)[0]
        file = seeded.layout.group_history_file(group_id)
        tables = json.loads(file.read_text())
        session = next(iter(tables["sessions"].values()))
        note = {"id": "x1", "text": "Narwhal grant", "private": False, "at": session["started_at"]}
        session["notes"].append(note)
        file.write_text(json.dumps(tables))
        expected = scanned(seeded, "grant")
        assert any("Narwhal" in k[3] for k in expected)
    assert indexed(seeded, "grant") == expected
    # And it is a working index again, current for every group.
    assert all(stamp_is_current(seeded, g) for g in all_groups(seeded))


def test_doctor_repair_rebuilds_the_index(seeded: HistoryStore, data_dir: Path) -> None:
    path = search_index.index_file(seeded.layout)
    path.write_bytes(b"garbage" * 100)
    examine(data_dir, repair=True)
    assert all(stamp_is_current(seeded, g) for g in all_groups(seeded))


def test_without_fts5_the_search_scans(
    seeded: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = scan(seeded, all_groups(seeded))
    monkeypatch.setattr(search_index, "fts5_available", lambda: False)
    search_index.index_file(seeded.layout).unlink()
    for query in ("grant", "grnt"):  # today's scan: fuzzy matches too
        score = SafeMatcher(query).score
        today = [key(hit.item) for hit in search(everything, query, score)]
        assert [key(hit.item) for hit in find(seeded, query, score)] == today
        assert today
    assert not search_index.index_file(seeded.layout).exists()


def test_no_export_reads_the_index(
    seeded: HistoryStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    name = seeded.groups()[0].name
    outputs = {}
    commands = [["--format", "md"], ["--format", "json", "--all"], ["--format", "ics"]]
    for options in commands:
        assert main(["export", name, "--data-dir", str(data_dir), *options]) == 0
        outputs[tuple(options)] = capsys.readouterr().out

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an export read the search index")

    monkeypatch.setattr(search_index, "_connect", refuse)
    monkeypatch.setattr(sqlite3, "connect", refuse)
    for options in commands:
        assert main(["export", name, "--data-dir", str(data_dir), *options]) == 0
        again = capsys.readouterr().out
        # The bundle and the calendar are stamped with the time of export (a second
        # may pass between the two).
        if options[1] == "ics":
            again, first = (
                re.sub(r"DTSTAMP:\S+", "", out) for out in (again, outputs[("--format", "ics")])
            )
            assert again == first
        elif options[1] != "json":
            assert again == outputs[tuple(options)]


# -- the command -----------------------------------------------------------------------


def test_search_command_prints_matches_safely(
    seeded: HistoryStore, data_dir: Path, demo: DemoHistory, capsys: Any
) -> None:
    where = ["--data-dir", str(data_dir)]
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    hostile = "Yeti \x1b[2J grant [/] \u202e\x1b]0;t\x07"
    at = record.session["started_at"]
    record.session["notes"] = [
        {"id": new_id(), "text": hostile, "private": False, "at": at},
        {"id": new_id(), "text": "Yeti secret", "private": True, "at": at},
    ]
    record.commitments.clear()
    seeded.commit_session(record)
    assert main(["search", "yeti", *where]) == 0
    out = capsys.readouterr().out
    assert "Yeti" in out and "\x1b" not in out and "\u202e" not in out
    assert "secret" not in out, "private texts need --private"
    assert main(["search", "yeti", "--private", "--json", *where]) == 0
    results = json.loads(capsys.readouterr().out)
    assert {r["text"] for r in results} == {hostile, "Yeti secret"}
    assert {r["group"] for r in results} == {demo.group.name}


def test_search_command_refuses_an_unknown_group(
    seeded: HistoryStore, data_dir: Path, capsys: Any
) -> None:
    assert main(["search", "grant", "--group", "Nope", "--data-dir", str(data_dir)]) == 1
    assert "no group named 'Nope'" in capsys.readouterr().err


def test_a_busy_index_is_left_alone_and_the_search_scans(
    seeded: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = search_index.index_file(seeded.layout)
    before = path.read_bytes()
    expected = scanned(seeded, "grant")

    def busy(*args: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(search_index, "_connect", busy)
    assert expected <= indexed(seeded, "grant"), "answered by scanning the files"
    assert path.read_bytes() == before, "a busy index is not thrown away"
