"""The history on disk: atomic, private, versioned, refusing damage untouched."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import time
from pathlib import Path

import pytest

from peersession.core.model import Group
from peersession.errors import UserError
from peersession.store import schema
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.store.lock import WriteLock


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_private(store: HistoryStore, group: Group) -> None:
    assert mode(store.root) == 0o700
    assert mode(store.layout.index_file) == 0o600


def test_a_crash_between_temp_write_and_replace_loses_nothing(
    store: HistoryStore, group: Group, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.layout.index_file.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(5, "simulated crash before the rename")

    monkeypatch.setattr("peersession.store.atomic.os.replace", crash)
    with pytest.raises(OSError):
        store.add_group(new_group("Second", ["Dee"]))
    monkeypatch.undo()
    assert store.layout.index_file.read_bytes() == before
    assert not [p for p in store.root.iterdir() if p.name.endswith(".tmp")]
    # And the store still works, with the old content.
    assert [g.name for g in HistoryStore(store.root).groups()] == ["Thursday Circle"]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"groups": {"1": ',
        b"[1, 2, 3]",
        b"\x00\x01garbage",
        b'{"_meta": {}}',
        # Nested deeper than any parser recurses: refused, not a traceback.
        b'{"groups": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["empty", "truncated", "not-tables", "garbage", "no-version", "deep"],
)
def test_a_damaged_index_is_refused_and_left_untouched(data_dir: Path, content: bytes) -> None:
    data_dir.mkdir(mode=0o700)
    index = data_dir / "peersession.json"
    index.write_bytes(content)
    with pytest.raises(UserError) as raised:
        HistoryStore(data_dir).groups()
    message = str(raised.value)
    assert str(index) in message and "\n" not in message
    assert index.read_bytes() == content


def test_a_name_no_save_could_write_back_is_refused_when_read(
    store: HistoryStore, group: Group
) -> None:
    # A hand edit's lone surrogate escape: read as it was, the next save of the
    # file failed with a traceback (UTF-8 cannot hold it); now refused in one line.
    index = store.layout.index_file
    edited = index.read_bytes().replace(b'"Bo"', b'"B\\ud800o"')
    assert edited != index.read_bytes()
    index.write_bytes(edited)
    with pytest.raises(UserError) as raised:
        HistoryStore(store.root).add_group(new_group("Second", ["Dee"]))
    message = str(raised.value)
    assert str(index) in message and "not valid JSON" in message and "\n" not in message
    assert index.read_bytes() == edited


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32-le"])
def test_a_file_an_editor_saved_with_a_byte_order_mark_or_in_utf16_is_read(
    store: HistoryStore, group: Group, encoding: str
) -> None:
    index = store.layout.index_file
    text = index.read_bytes().decode("utf-8").replace('"Bo"', '"Bö"')
    index.write_bytes(text.encode(encoding))
    reopened = HistoryStore(store.root)
    assert [m.name for m in reopened.groups()[0].members] == ["Ana", "Bö", "Cy"]
    # The next save writes it back as UTF-8, without the mark.
    reopened.add_group(new_group("Second", ["Dee"]))
    assert index.read_bytes().startswith(b"{") and "Bö".encode() in index.read_bytes()


def test_a_file_from_a_newer_version_is_refused(store: HistoryStore, group: Group) -> None:
    index = store.layout.index_file
    data = json.loads(index.read_text())
    data["_meta"]["1"]["schema"] = schema.SCHEMA_VERSION + 1
    index.write_text(json.dumps(data))
    before = index.read_bytes()
    with pytest.raises(UserError, match="newer peersession"):
        HistoryStore(store.root)
    assert index.read_bytes() == before


def test_an_old_file_is_backed_up_then_migrated(
    store: HistoryStore, group: Group, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = store.layout.index_file
    old = index.read_bytes()

    def add_colour(tables: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
        for doc in tables.get("groups", {}).values():
            assert isinstance(doc, dict)
            doc["colour"] = "teal"
        return tables

    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION - 1, add_colour)
    HistoryStore(store.root)
    migrated = json.loads(index.read_text())
    assert migrated["_meta"]["1"]["schema"] == schema.SCHEMA_VERSION
    assert all(doc["colour"] == "teal" for doc in migrated["groups"].values())
    backups = list(store.layout.backups_dir.iterdir())
    assert len(backups) == 1 and backups[0].read_bytes() == old
    assert mode(backups[0]) == 0o600


def test_another_process_changes_are_seen(store: HistoryStore, group: Group) -> None:
    other = HistoryStore(store.root)
    other.add_group(new_group("Second", ["Dee"]))
    # The first store cached the index; it must notice the new file.
    assert sorted(g.name for g in store.groups()) == ["Second", "Thursday Circle"]


def test_documents_handed_out_are_copies(store: HistoryStore, group: Group) -> None:
    docs = store._index_docs()
    docs[0]["name"] = "changed"
    assert store.groups()[0].name == "Thursday Circle"


def test_duplicate_group_names_are_refused(store: HistoryStore, group: Group) -> None:
    with pytest.raises(UserError, match="already exists"):
        store.add_group(new_group("thursday circle", ["X"]))


def _hold_lock(path: str, ready: object, release: object) -> None:
    lock = WriteLock(Path(path))
    with lock:
        ready.set()  # type: ignore[attr-defined]
        release.wait(10)  # type: ignore[attr-defined]


def test_a_second_writer_waits_then_is_refused_clearly(store: HistoryStore) -> None:
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(
        target=_hold_lock, args=(str(store.layout.write_lock_file), ready, release)
    )
    holder.start()
    try:
        assert ready.wait(20)
        started = time.monotonic()
        with (
            pytest.raises(UserError, match="another peersession is writing"),
            WriteLock(store.layout.write_lock_file, timeout=0.3),
        ):
            pass
        assert time.monotonic() - started >= 0.3
    finally:
        release.set()
        holder.join(10)
    with WriteLock(store.layout.write_lock_file, timeout=1):
        pass


def test_names_are_checked(store: HistoryStore) -> None:
    with pytest.raises(UserError, match="at least one member"):
        new_group("Empty", [])
    with pytest.raises(UserError, match="two members"):
        new_group("Twins", ["Ana", "ana"])
    with pytest.raises(UserError, match="cannot be empty"):
        new_group("   ", ["Ana"])


def test_store_refuses_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    with pytest.raises(UserError):
        HistoryStore(target)
    assert os.path.isfile(target)
