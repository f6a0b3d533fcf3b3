"""The search index: found, ranked and marked by FTS5; kept current without
rebuilding; never believed for privacy; never read by an export."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peersession.cli import main
from peersession.cli.search_cmd import BuildNotice
from peersession.core.ids import new_id
from peersession.core.model import Member
from peersession.core.search import SearchFilter, SearchRow
from peersession.core.session_records import Checkin, Win
from peersession.demo import SEARCH_WORD, DemoHistory, demo_history
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.paths import DataLayout
from peersession.store import search_file, search_index
from peersession.store.demo import seed_demo
from peersession.store.doctor import examine
from peersession.store.finder import find
from peersession.store.history import HistoryStore
from peersession.store.merge import merge_bundle
from peersession.store.search_index import open_index
from peersession.store.search_query import Query, query_sql

TODAY = pendulum.date(2026, 3, 10)
TEXT_KEYS = ("text", "note", "outcome")


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY, sessions=6)


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
        elif isinstance(value, msgspec.Struct):  # a typed record: a check-in
            for name in value.__struct_fields__:
                inner = getattr(value, name)
                if name in TEXT_KEYS and isinstance(inner, str) and inner:
                    setattr(value, name, texts[next(counter) % len(texts)])
                else:
                    walk(inner)

    walk([r.session for r in history.records])
    walk([r.commitments for r in history.records])
    walk([c for c, _ in history.checkins])
    return history


def texts_found(store: HistoryStore, query: str, **where: Any) -> list[str]:
    return [hit.item.text for hit in find(store, query, SearchFilter(**where), limit=10**6)]


def every_text(demo: DemoHistory) -> list[tuple[str, bool]]:
    """(text, private) of every text the demo holds, as the history holds them."""
    found: list[tuple[str, bool]] = []
    for session in demo.sessions:
        for turn in session["turns"]:
            found += [(n["text"], n["private"]) for n in turn["notes"]]
        for ask in session["asks"]:
            found.append((ask["text"], ask["private"]))
            found += [(n["text"], n["private"] or ask["private"]) for n in ask["notes"]]
        found += [(w["text"], w["private"]) for w in session["wins"]]
        found += [(n["text"], n["private"]) for n in session["notes"]]
    for commitment in demo.commitments():
        found.append((commitment.text, commitment.private))
    return found


@pytest.fixture
def seeded(data_dir: Path, demo: DemoHistory) -> Iterator[HistoryStore]:
    store = HistoryStore(data_dir)
    seed_demo(store, demo)
    # The first search builds the index.
    assert texts_found(store, "grant")
    yield store


def index_path(store: HistoryStore) -> Path:
    return search_file.index_file(store.layout)


def index_rows(store: HistoryStore, needle: str) -> list[str]:
    """Texts in the index holding ``needle``, read straight from SQLite (no catching up)."""
    with sqlite3.connect(index_path(store)) as db:
        rows = db.execute("SELECT text FROM items WHERE instr(text, ?) > 0", (needle,))
        return [text for (text,) in rows]


def item_ids(store: HistoryStore) -> set[int]:
    with sqlite3.connect(index_path(store)) as db:
        return {row for (row,) in db.execute("SELECT id FROM items")}


def current(store: HistoryStore) -> bool:
    """Whether the index needs to read no group file to be up to date."""
    index = open_index(store.layout, create=False)
    assert index is not None
    try:
        groups = [g.id for g in store.groups()]
        return index.bring_up_to_date(store, groups, groups) == 0
    finally:
        index.close()


# -- what a search finds, and how it ranks and marks ---------------------------------


def test_a_word_is_found_inside_longer_words_whatever_its_case(seeded: HistoryStore) -> None:
    found = texts_found(seeded, "RAN")  # inside "grant", in capitals
    assert found and all("ran" in text.lower() for text in found)
    assert any("grant" in text.lower() for text in found)
    # Every word must be there, anywhere in the text.
    both = texts_found(seeded, "pilot grant")
    assert both and all("pilot" in t.lower() and "grant" in t.lower() for t in both)
    assert set(both) <= set(texts_found(seeded, "grant"))


def test_the_best_match_comes_first_and_the_limit_holds(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    at = record.session["started_at"]
    short, long = "Wombat wombat", "Wombat " + "and then a very long story " * 20
    record.session["notes"] = [
        {"id": new_id(), "text": long, "private": False, "at": at},
        {"id": new_id(), "text": short, "private": False, "at": at},
    ]
    record.commitments.clear()
    seeded.commit_session(record)
    hits = find(seeded, "wombat")
    assert [hit.item.text for hit in hits] == [short, long], "bm25: denser match first"
    assert hits[0].score > hits[1].score
    assert len(find(seeded, "the", limit=3)) == 3


def test_fts5_marks_the_matches_as_spans_of_the_text(seeded: HistoryStore) -> None:
    (hit,) = find(seeded, SEARCH_WORD)
    assert hit.marks
    assert [hit.item.text[a:b].lower() for a, b in hit.marks] == [SEARCH_WORD]


def test_an_empty_or_short_query_lists_the_newest_texts(seeded: HistoryStore) -> None:
    newest = find(seeded, "")
    days = [hit.item.day for hit in newest]
    assert newest and days == sorted(days, reverse=True)
    short = find(seeded, "gr")
    assert short and all("gr" in hit.item.text.lower() for hit in short)


def test_filters_narrow_by_member_kind_dates_and_privacy(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    (hit,) = find(seeded, SEARCH_WORD)
    member, day = hit.item.member_id, hit.item.day
    other = next(m.id for m in demo.group.members if m.id != member)
    assert texts_found(seeded, SEARCH_WORD, member_id=member)
    assert not texts_found(seeded, SEARCH_WORD, member_id=other)
    assert texts_found(seeded, SEARCH_WORD, kinds=frozenset({"ask"}))
    assert not texts_found(seeded, SEARCH_WORD, kinds=frozenset({"note"}))
    assert texts_found(seeded, SEARCH_WORD, since=day, until=day)
    assert not texts_found(seeded, SEARCH_WORD, since=day + timedelta(days=1))
    assert not texts_found(seeded, SEARCH_WORD, until=day - timedelta(days=1))
    private = private_texts(demo)
    assert private & set(texts_found(seeded, ""))
    assert not private & set(texts_found(seeded, "", include_private=False))


ALPHABET = st.characters(codec="utf-8", exclude_characters="\x00\x02\x03")
TEXTS = st.lists(st.text(ALPHABET, min_size=3, max_size=40), min_size=1, max_size=8)
FIXED = ["Grant deadline", "the GRANTS office", "ßtraße İstanbul", "[/] [b]x", "rgrantr"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=TEXTS, data=st.data())
def test_any_three_letters_of_a_text_find_it_and_are_marked(
    demo: DemoHistory, texts: list[str], data: st.DataObject
) -> None:
    corpus = texts + FIXED
    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder))
        seed_demo(store, retexted(demo, corpus))
        source = data.draw(st.sampled_from(corpus))
        start = data.draw(st.integers(0, len(source) - 3))
        query = source[start : start + data.draw(st.integers(3, len(source) - start))]
        if len(query.split()) != 1 or any(len(word) < 3 for word in query.split()):
            return
        hits = find(store, query, limit=10**6)
        assert source in {hit.item.text for hit in hits}
        for hit in hits:
            assert all(0 <= a < b <= len(hit.item.text) for a, b in hit.marks)


def test_the_query_plan_uses_the_fts_hits_for_a_single_group(seeded: HistoryStore) -> None:
    group_id = seeded.groups()[0].id
    index = open_index(seeded.layout)
    assert index is not None
    try:
        for query in (
            Query(words=("quokka",), group_ids=(group_id,)),
            Query(words=("quokka", "a"), group_ids=(group_id,), include_private=False),
            Query(words=("quokka",), group_ids=(group_id, "other"), kinds=frozenset({"note"})),
            # Shown to a member who joined later: still one pass over the matches.
            Query(
                words=("quokka",),
                group_ids=(group_id,),
                viewer=Member("h", "Hal", joined=date(2026, 1, 1)),
            ),
        ):
            # ``answer`` registers the viewer's rule; the plan needs only its name.
            index.db.create_function("seen_by", 2, lambda _group, _began: True)
            statement, params = query_sql(query)
            plan = [row[-1] for row in index.db.execute("EXPLAIN QUERY PLAN " + statement, params)]
            assert any(step.startswith("SCAN texts VIRTUAL TABLE INDEX") for step in plan), plan
            items = [step for step in plan if " i " in f" {step} " or "items" in step]
            assert items and all("INTEGER PRIMARY KEY" in step for step in items), plan
            assert not any("items_by" in step for step in plan), plan
    finally:
        index.close()


# -- kept current, incrementally, rebuilt when it must be ----------------------------


def test_the_index_file_is_private(seeded: HistoryStore) -> None:
    assert index_path(seeded).stat().st_mode & 0o777 == 0o600


def test_saving_a_session_updates_the_index(seeded: HistoryStore, demo: DemoHistory) -> None:
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    at = record.session["started_at"]
    record.session["notes"] = [
        {"id": new_id(), "text": "Zanzibar fellowship", "private": False, "at": at}
    ]
    record.commitments.clear()
    seeded.commit_session(record)
    assert index_rows(seeded, "Zanzibar") == ["Zanzibar fellowship"]
    assert current(seeded), "updated in place, not left for a rebuild"


def index_contents(store: HistoryStore) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every row of the index's items (without their row numbers) and records, sorted."""
    with sqlite3.connect(index_path(store)) as db:
        items = sorted(row[1:] for row in db.execute("SELECT * FROM items"))
        records = sorted(db.execute("SELECT * FROM records"))
    return items, records


def test_a_save_leaves_the_index_a_rebuild_would_build(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    """A save reads only the records it changed as their declaration, and
    its rows are exactly those a rebuild of the whole index makes (a new
    commitment made at the new session is dated by it)."""
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    at = record.session["started_at"]
    record.session["notes"] = [{"id": new_id(), "text": "Zanzibar", "private": False, "at": at}]
    made = record.commitments[0]
    session_id = record.session["id"]
    record.commitments[:] = [
        msgspec.structs.replace(made, id=new_id(), text="Walk to Zanzibar", made_in=session_id)
    ]
    record.reviews.clear()
    seeded.commit_session(record)
    assert current(seeded), "updated in place, not left for a rebuild"
    assert sorted(index_rows(seeded, "Zanzibar")) == ["Walk to Zanzibar", "Zanzibar"]
    with sqlite3.connect(index_path(seeded)) as db:
        dated = db.execute("SELECT session_id, at FROM items WHERE text = 'Walk to Zanzibar'")
        assert dated.fetchall() == [(session_id, at)]
    kept = index_contents(seeded)
    search_file.discard(seeded.layout)
    assert texts_found(seeded, "grant")  # rebuilt from every group file
    assert index_contents(seeded) == kept


def test_a_checkin_updates_the_index(seeded: HistoryStore, demo: DemoHistory) -> None:
    member = demo.group.members[0]
    checkin = Checkin(
        id=new_id(),
        group_id=demo.group.id,
        member_id=member.id,
        at="2026-03-09T09:00:00+00:00",
        note="Quokka season",
        energy=None,
        private=False,
        statuses={},
        updated_at="2026-03-09T09:00:00+00:00",
    )
    seeded.add_checkin(checkin, {})
    assert index_rows(seeded, "Quokka") == ["Quokka season"]
    assert current(seeded)


def test_an_import_updates_the_index(
    seeded: HistoryStore, data_dir: Path, demo: DemoHistory
) -> None:
    other = HistoryStore(data_dir.parent / "other")
    seed_demo(other, demo)
    group = other.groups()[0]
    sessions = other.sessions(group.id)
    sessions[-1].wins.append(
        Win(
            id=new_id(),
            member_id=group.members[0].id,
            kind="other",
            text="Axolotl award",
            private=False,
            at=sessions[-1].started_at,
        )
    )
    sessions[-1].updated_at = "2030-01-01T00:00:00+00:00"
    bundle = build_bundle(group, sessions, other.commitments(group.id), other.checkins(group.id))
    merge_bundle(seeded, parse_bundle(dumps_bundle(bundle)))
    assert index_rows(seeded, "Axolotl") == ["Axolotl award"]
    assert current(seeded)


def test_a_copied_folder_reads_no_group_file_again(
    seeded: HistoryStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_dir = data_dir.parent / "restored"
    shutil.copytree(data_dir, copy_dir)  # new inodes and times, the same bytes
    restored = HistoryStore(copy_dir)
    before = item_ids(restored)
    read: list[str] = []
    original = HistoryStore.group_tables

    def counted(self: HistoryStore, group_id: str) -> Any:
        read.append(group_id)
        return original(self, group_id)

    monkeypatch.setattr(HistoryStore, "group_tables", counted)
    assert texts_found(restored, "grant") == texts_found(seeded, "grant")
    assert read == [], "the same bytes under a new stamp are not indexed again"
    assert item_ids(restored) == before


def test_a_file_changed_behind_its_back_reindexes_only_the_changed_record(
    seeded: HistoryStore,
) -> None:
    group_id = seeded.groups()[0].id
    file = seeded.layout.group_history_file(group_id)
    tables = json.loads(file.read_text())
    session = next(iter(tables["sessions"].values()))
    note = {"id": "x1", "text": "Narwhal grant", "private": False, "at": session["started_at"]}
    session["notes"].append(note)
    with sqlite3.connect(index_path(seeded)) as db:
        untouched = {
            row
            for (row,) in db.execute("SELECT id FROM items WHERE record_id != ?", (session["id"],))
        }
    file.write_text(json.dumps(tables))  # as an older version or a hand edit would
    assert "Narwhal grant" in texts_found(seeded, "grant")
    assert untouched <= item_ids(seeded), "the other records' rows were kept as they were"


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate", "old version"])
def test_a_missing_or_damaged_index_is_rebuilt(seeded: HistoryStore, damage: str) -> None:
    path = index_path(seeded)
    expected = texts_found(seeded, "grant")
    if damage == "delete":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:5000])
    else:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE about SET value = '1' WHERE key = 'version'")
    assert texts_found(seeded, "grant") == expected
    assert current(seeded)


def test_without_fts5_search_refuses_in_one_line(
    seeded: HistoryStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    def no_fts5() -> None:
        raise sqlite3.OperationalError("no such module: fts5")

    monkeypatch.setattr(search_file, "_expected_schema", no_fts5)
    assert main(["search", "grant", "--data-dir", str(data_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "FTS5" in err and "3.34" in err, err


def test_a_busy_index_is_left_alone_and_the_search_answers_from_memory(
    seeded: HistoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = index_path(seeded)
    before = path.read_bytes()
    expected = texts_found(seeded, "grant")
    connect = search_file.connect

    def busy(at: Path | None) -> sqlite3.Connection:
        if at is not None:
            raise sqlite3.OperationalError("database is locked")
        return connect(at)

    monkeypatch.setattr(search_index, "connect", busy)
    assert texts_found(seeded, "grant") == expected
    assert path.read_bytes() == before, "a busy index is not thrown away"


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

    monkeypatch.setattr(search_index, "connect", refuse)
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


# -- never believed for privacy --------------------------------------------------------


def private_texts(demo: DemoHistory) -> set[str]:
    public = {text for text, secret in every_text(demo) if not secret}
    return {text for text, secret in every_text(demo) if secret} - public


def search_output(data_dir: Path, capsys: Any, *words: str) -> str:
    assert main(["search", *words, "--limit", "100000", "--data-dir", str(data_dir)]) == 0
    out: str = capsys.readouterr().out
    return out


def schema_entries(path: Path, kind: str) -> list[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = ?", (kind,))
        return [name for (name,) in rows]


LEAK = """CREATE TRIGGER leak AFTER INSERT ON items BEGIN
    UPDATE items SET private = 0 WHERE id = new.id;
END"""


def test_a_planted_trigger_leaks_nothing_and_is_gone_after(
    seeded: HistoryStore, data_dir: Path, demo: DemoHistory, capsys: Any
) -> None:
    secrets = private_texts(demo)
    assert secrets
    path = index_path(seeded)
    with sqlite3.connect(path) as db:
        db.execute(LEAK)
        db.execute("DELETE FROM groups")  # so the next search indexes everything again
    out = search_output(data_dir, capsys, "e")
    assert out
    assert not [text for text in secrets if text in out]
    assert schema_entries(path, "trigger") == []


def test_private_flags_edited_in_the_index_are_not_believed(
    seeded: HistoryStore, data_dir: Path, demo: DemoHistory, capsys: Any
) -> None:
    secrets = private_texts(demo)
    with sqlite3.connect(index_path(seeded)) as db:
        db.execute("UPDATE items SET private = 0")
    out = search_output(data_dir, capsys, "e")
    assert out
    assert not [text for text in secrets if text in out]
    # Caught lying, it was discarded: the next search builds a truthful one.
    assert search_output(data_dir, capsys, "e") == out
    with sqlite3.connect(index_path(seeded)) as db:
        assert db.execute("SELECT count(*) FROM items WHERE private = 1").fetchone()[0] > 0


@pytest.mark.parametrize("kind", ["view", "table", "index"])
def test_anything_else_in_the_schema_makes_it_built_afresh(seeded: HistoryStore, kind: str) -> None:
    path = index_path(seeded)
    planted = {
        "view": "CREATE VIEW everything AS SELECT text FROM items",
        "table": "CREATE TABLE copied (text TEXT)",
        "index": "CREATE INDEX items_by_text ON items (text)",
    }[kind]
    with sqlite3.connect(path) as db:
        db.execute(planted)
    assert texts_found(seeded, "grant")
    assert schema_entries(path, kind) == schema_entries(path, kind) and all(
        name not in ("everything", "copied", "items_by_text") for name in schema_entries(path, kind)
    )


def test_a_dangling_symlink_does_not_put_the_index_elsewhere(
    seeded: HistoryStore, data_dir: Path, tmp_path: Path, capsys: Any
) -> None:
    path = index_path(seeded)
    path.unlink()
    elsewhere = tmp_path / "elsewhere" / "stolen.sqlite3"
    elsewhere.parent.mkdir()
    path.symlink_to(elsewhere)
    assert search_output(data_dir, capsys, "grant")
    assert not elsewhere.exists(), "nothing was written through the link"
    assert path.is_file() and not path.is_symlink()


def test_a_hard_link_is_not_written_through(seeded: HistoryStore, tmp_path: Path) -> None:
    path = index_path(seeded)
    outside = tmp_path / "outside.sqlite3"
    os.link(path, outside)
    before = outside.read_bytes()
    demo_word = texts_found(seeded, "grant")
    assert demo_word
    assert outside.read_bytes() == before
    assert path.stat().st_nlink == 1


def test_doctor_repair_does_not_keep_a_planted_trigger(
    seeded: HistoryStore, data_dir: Path
) -> None:
    path = index_path(seeded)
    with sqlite3.connect(path) as db:
        db.execute(LEAK)
    examine(data_dir, repair=True)
    assert schema_entries(path, "trigger") == []
    assert current(seeded)


def test_doctor_repair_rebuilds_a_damaged_index(seeded: HistoryStore, data_dir: Path) -> None:
    index_path(seeded).write_bytes(b"garbage" * 100)
    examine(data_dir, repair=True)
    assert current(seeded)


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
    assert all(r["score"] > 0 for r in results), "higher is better"


def test_search_command_refuses_an_unknown_group(
    seeded: HistoryStore, data_dir: Path, capsys: Any
) -> None:
    assert main(["search", "grant", "--group", "Nope", "--data-dir", str(data_dir)]) == 1
    assert "no group named 'Nope'" in capsys.readouterr().err


def test_a_first_build_says_so_on_stderr(
    seeded: HistoryStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    search_file.discard(seeded.layout)
    monkeypatch.setattr(BuildNotice, "AFTER", 0.0)
    assert main(["search", "grant", "--data-dir", str(data_dir)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "building the search index (0 of 1 group read)" in err, err
    assert main(["search", "grant", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().err == "", "an index already built says nothing"


def test_listing_the_newest_texts_sorts_nothing(seeded: HistoryStore) -> None:
    # The screen lists the newest texts before a word is typed, in one group or all.
    group_id = seeded.groups()[0].id
    index = open_index(seeded.layout)
    assert index is not None
    try:
        for query in (Query(words=()), Query(words=(), group_ids=(group_id,))):
            statement, params = query_sql(query)
            plan = [row[-1] for row in index.db.execute("EXPLAIN QUERY PLAN " + statement, params)]
            assert not any("TEMP B-TREE" in step for step in plan), plan
    finally:
        index.close()


def _equal_rows(count: int) -> list[SearchRow]:
    """``count`` texts that rank equal, a day apart, every third one private."""
    return [
        SearchRow(
            f"r{day}", "win", "win (grant)", "pilot grant funded!", "g1", None,
            f"2025-01-{day + 1:02d}T10:00:00+00:00", f"r{day}", day % 3 == 0, f"w{day}",
        )
        for day in range(count)
    ]  # fmt: skip


@pytest.mark.parametrize("include_private", [True, False])
def test_equals_at_the_limit_are_the_newest(tmp_path: Path, include_private: bool) -> None:
    # Far more equal texts than the limit: FTS5's own order says nothing of
    # which come first, so the newest must be chosen among all of them.
    rows = _equal_rows(28)
    index = search_index.SearchIndex(search_file.connect(None), DataLayout(tmp_path))
    try:
        with index.transaction():
            index._insert(rows[::2] + rows[1::2])  # ids in no order of time
        found = index.answer(Query(words=("grant",), include_private=include_private, limit=3))
    finally:
        index.close()
    kept = [r for r in rows if include_private or not r.private]
    newest = sorted((r.at for r in kept), reverse=True)[:3]
    assert [row[6] for row in found] == newest
    # The marked text comes just before the score.
    assert all(row[-2] == "pilot \x02grant\x03 funded!" for row in found), found


def test_a_search_that_refuses_a_damaged_history_leaves_no_index(
    seeded: HistoryStore, data_dir: Path, capsys: Any
) -> None:
    search_file.discard(seeded.layout)
    group_file = seeded.layout.group_history_file(seeded.groups()[0].id)
    group_file.write_bytes(group_file.read_bytes()[:-40])
    before = sorted(p.name for p in data_dir.iterdir())
    assert main(["search", "grant", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(group_file) in err, err
    assert sorted(p.name for p in data_dir.iterdir()) == before, "nothing written"


@pytest.mark.parametrize(
    ("column", "value"),
    [("at", b"12"), ("text", b"grant"), ("kind", "rumour"), ("private", "no"), ("member_id", 7)],
)
@pytest.mark.parametrize("include_private", [True, False])
def test_a_row_edited_to_the_wrong_type_rebuilds_the_index(
    seeded: HistoryStore, column: str, value: object, include_private: bool
) -> None:
    # SQLite keeps a blob or a number in a text column: what the index answers
    # is checked, and an index caught holding what it never stores is rebuilt.
    expected = texts_found(seeded, "grant", include_private=include_private)
    with sqlite3.connect(index_path(seeded)) as db:
        db.execute(f"UPDATE items SET {column} = ? WHERE text LIKE '%grant%'", (value,))
    assert texts_found(seeded, "grant", include_private=include_private) == expected
    assert current(seeded)
