"""Reading the history hands out documents a caller can change without changing the
history; ending a session reads the group's file once and keeps the summary right."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import msgspec
import pendulum
import pytest

from peersession.core.commitment_state import commitment_is_open
from peersession.core.ids import new_id
from peersession.core.record_types import read_all, read_as, stored
from peersession.core.session_records import Commitment, Review, Session, Turn
from peersession.demo import DemoHistory, demo_history
from peersession.store import history_files, schema, storage
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.typed_file import converted_tables


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=pendulum.date(2026, 3, 10), sessions=8)


@pytest.fixture
def seeded(store: HistoryStore, demo: DemoHistory) -> HistoryStore:
    seed_demo(store, demo)
    return store


def vandalise(value: Any) -> None:
    """Change every document of ``value`` in place, as a careless caller might."""
    if isinstance(value, dict):
        for key in list(value):
            if isinstance(value[key], (dict, list)):
                vandalise(value[key])
            elif key == "text":
                value[key] = "VANDALISED"
        value["vandalised"] = True
    elif isinstance(value, list):
        for item in value:
            vandalise(item)
        value.append({"vandalised": True})
    elif isinstance(value, msgspec.Struct):  # a record read typed: its fields are changed
        for name in value.__struct_fields__:
            inner = getattr(value, name)
            if isinstance(inner, (dict, list, msgspec.Struct)):
                vandalise(inner)
            elif isinstance(inner, str) and not value.__struct_config__.frozen:
                setattr(value, name, "VANDALISED")


def group_file(store: HistoryStore, group_id: str) -> bytes:
    return store.layout.group_history_file(group_id).read_bytes()


def test_changing_what_was_read_never_reaches_the_history(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    gid = demo.group.id
    before = (seeded.sessions(gid), seeded.commitments(gid), seeded.checkins(gid))
    expected = copy.deepcopy(before)
    documents = seeded.group_documents(gid)
    one = seeded.session(gid, before[0][0].id)
    for read in (*before, documents.sessions, documents.commitments, documents.checkins, one):
        vandalise(read)
    assert (seeded.sessions(gid), seeded.commitments(gid), seeded.checkins(gid)) == expected
    assert b"VANDALISED" not in group_file(seeded, gid)


def test_a_save_after_a_careless_caller_writes_only_what_was_saved(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    gid = demo.group.id
    vandalise(seeded.sessions(gid))
    vandalise(seeded.commitments(gid))
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    record.commitments.clear()
    assert seeded.commit_session(record)
    # And what the caller saved is not shared with the history either.
    vandalise(record.session)
    text = group_file(seeded, gid)
    assert b"VANDALISED" not in text and b"vandalised" not in text
    assert len(seeded.sessions(gid)) == len(demo.records) + 1


def parses_counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every data file parsed into dicts from now on, in order (the store's reads
    and its transactions' alike)."""
    parses: list[Path] = []
    real = storage.load_tables

    def counting(where: Path) -> Any:
        parses.append(where)
        return real(where)

    monkeypatch.setattr(storage, "load_tables", counting)
    monkeypatch.setattr(history_files, "load_tables", counting)
    return parses


def test_ending_a_session_reads_the_group_file_once(
    seeded: HistoryStore, demo: DemoHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    gid = demo.group.id
    path = seeded.layout.group_history_file(gid)
    seeded.sessions(gid)  # the file's schema is checked once per process, on first read
    reads = parses_counted(monkeypatch)
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    record.session["started_at"] = "2030-01-01T17:00:00+00:00"
    for commitment in record.commitments:
        commitment.id = new_id()
    seeded.commit_session(record)
    assert reads.count(path) == 1, reads
    # The summary is right without a second read of the file.
    tables = json.loads(path.read_text())
    summary = seeded.summaries()[gid]
    assert summary.sessions == len(tables["sessions"])
    assert summary.last_session_at == "2030-01-01T17:00:00+00:00"
    assert summary.open_commitments == sum(
        1
        for c in read_all(Commitment, list(tables["commitments"].values()))
        if commitment_is_open(c)
    )


def test_no_group_file_is_kept_after_a_read(seeded: HistoryStore, demo: DemoHistory) -> None:
    """Another process's change is seen at once: nothing is served from memory."""
    gid = demo.group.id
    seeded.sessions(gid)
    other = HistoryStore(seeded.root)
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    record.commitments.clear()
    other.commit_session(record)
    assert record.session["id"] in {s.id for s in seeded.sessions(gid)}


def test_a_file_changed_after_a_checked_read_is_checked_again(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    """Shapes are checked once per version of a file, not once per process."""
    gid = demo.group.id
    seeded.sessions(gid)  # this version is checked
    path = seeded.layout.group_history_file(gid)
    tables = json.loads(path.read_text())
    next(iter(tables["sessions"].values()))["turns"] = "not a list"
    replacement = path.with_name("replacement.json")
    replacement.write_text(json.dumps(tables))
    replacement.replace(path)  # a new version, as an editor or another program saves it
    with pytest.raises(storage.MisshapenFile, match="wrong shape"):
        seeded.sessions(gid)


def test_a_saved_sessions_reviews_and_privacy_land_on_the_commitments_they_name(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    gid = demo.group.id
    before = {c.id: c for c in seeded.commitments(gid)}
    first = next(cid for cid, c in before.items() if c.reviews)
    second, third = [cid for cid in before if cid != first][:2]
    already = before[first].reviews[0]
    record = copy.deepcopy(demo.records[-1])
    record.session["id"] = new_id()
    record.session["ended_at"] = "2030-01-01T19:00:00+00:00"
    record.commitments.clear()
    fresh = {"at": "2030-01-01T18:30:00+00:00", "status": "partial", "source": "session"}
    record.reviews.clear()
    record.reviews[second] = read_as(Review, {**fresh, "source_id": record.session["id"]})
    record.reviews["no-such-commitment"] = read_as(Review, {**fresh, "source_id": "x"})
    record.reviews[first] = already  # it has this one
    record.privacy.clear()
    record.privacy.update({third: not before[third].private, "no-such-one": True})
    assert seeded.commit_session(record)
    after = {c.id: c for c in seeded.commitments(gid)}
    assert after[first] == before[first], "a review it already has is not added twice"
    assert after[second].reviews == sorted(
        [*before[second].reviews, record.reviews[second]], key=lambda r: r.at
    )
    assert after[second].updated_at == max(before[second].updated_at, "2030-01-01T19:00:00+00:00")
    assert after[third].private is not before[third].private
    untouched = set(before) - {second, third}
    assert {k: after[k] for k in untouched} == {k: before[k] for k in untouched}
    # Saving it again (after a crash before the journal was retired) changes nothing.
    text = group_file(seeded, gid)
    assert not seeded.commit_session(record)
    assert json.loads(group_file(seeded, gid))["commitments"] == json.loads(text)["commitments"]


def test_sessions_are_handed_out_as_their_declared_record(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    """Every read of a group's sessions gives ``Session`` records (nested records
    their own classes), which say exactly what the file holds."""
    gid = demo.group.id
    sessions = seeded.sessions(gid)
    assert sessions and all(isinstance(s, Session) for s in sessions)
    assert all(isinstance(t, Turn) for s in sessions for t in s.turns)
    assert seeded.group_documents(gid).sessions == sessions
    assert seeded.session(gid, sessions[2].id) == sessions[2]
    assert seeded.last_session(gid) == sessions[-1]
    raw = json.loads(group_file(seeded, gid))["sessions"].values()
    assert [stored(s) for s in sessions] == sorted(raw, key=lambda doc: doc["started_at"])


def _records_the_long_way(path: Path) -> dict[str, list[Any]]:
    tables = json.loads(path.read_bytes())
    long_way = converted_tables(tables)
    return {table: [stored(r) for r in records] for table, records in long_way.items()}


def test_a_checked_file_is_read_in_one_pass_into_the_same_records_as_the_long_way(
    seeded: HistoryStore, demo: DemoHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version of the file this code checked is decoded straight into its records
    (no parse into dicts), and they are the records the long way reads, in order."""
    gid = demo.group.id
    path = seeded.layout.group_history_file(gid)
    parses = parses_counted(monkeypatch)
    docs = HistoryStore(seeded.root).group_documents(gid)
    assert path not in parses, "a checked version was parsed into dicts"
    read = {
        "sessions": [stored(s) for s in docs.sessions],
        "commitments": [stored(c) for c in docs.commitments],
        "checkins": [stored(c) for c in docs.checkins],
        "goals": [stored(g) for g in docs.goals],
    }
    assert read == _records_the_long_way(path)
    assert docs.sessions and all(isinstance(s, Session) for s in docs.sessions)
    starts = [s.started_at for s in docs.sessions]
    assert starts == sorted(starts)


def test_a_file_changed_by_hand_is_read_the_long_way_and_refused_in_one_line(
    seeded: HistoryStore, demo: DemoHistory
) -> None:
    """Bytes this code never checked are not trusted to the one-pass read: a hand
    edit that breaks a value rule is refused, naming the file and the field."""
    gid = demo.group.id
    path = seeded.layout.group_history_file(gid)
    tables = json.loads(path.read_bytes())
    session = next(iter(tables["sessions"].values()))
    session["started_at"] = "9999-01-01T10:00:00+00:00"  # a date no reader can use
    path.write_text(json.dumps(tables), encoding="utf-8")
    with pytest.raises(storage.MisshapenFile) as refused:
        HistoryStore(seeded.root).group_documents(gid)
    message = str(refused.value)
    assert str(path) in message and "started_at" in message and "\n" not in message
    assert session["id"] in message and "9999" not in message


def test_an_older_group_file_checked_before_is_migrated_when_read(
    seeded: HistoryStore, demo: DemoHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes this code checked before are read in one pass only while they are of
    the schema the store migrates to: an older file goes the long way, which
    migrates it (a backup kept) before its records are read."""
    gid = demo.group.id
    path = seeded.layout.group_history_file(gid)
    seeded.sessions(gid)  # its bytes are now known as checked
    old = path.read_bytes()

    def mark(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for doc in tables.get("sessions", {}).values():
            doc["migrated"] = True
        return tables

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION - 1, mark)
    sessions = HistoryStore(seeded.root).sessions(gid)
    assert len(sessions) == len(demo.records)
    migrated = json.loads(path.read_bytes())
    assert migrated["_meta"]["1"]["schema"] == schema.SCHEMA_VERSION
    assert all(doc["migrated"] for doc in migrated["sessions"].values())
    assert old in [backup.read_bytes() for backup in seeded.layout.backups_dir.iterdir()]
