"""A version of a data file that passed its shape check is not checked again by a
later process (store/checked_files.py), and any change to it is checked in full."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peersession.errors import UserError
from peersession.store import checked_files
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.tui.app import create_app

#: A fresh process opening a data folder, reporting whether it ran the shape check.
OPEN_AND_REPORT = """
import json, sys
from pathlib import Path
from peersession.store.history import HistoryStore
rows = HistoryStore(Path(sys.argv[1])).indexed_groups()
print(json.dumps([len(rows), "peersession.store.shape_check" in sys.modules]))
"""


def open_in_a_fresh_process(data_dir: Path) -> tuple[int, bool]:
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_REPORT, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows, checked = json.loads(result.stdout)
    return rows, checked


def two_groups(data_dir: Path) -> HistoryStore:
    store = HistoryStore(data_dir)
    store.add_group(new_group("Thursday Circle", ["Ana", "Bo"]))
    store.add_group(new_group("Friday Circle", ["Cy"]))
    return store


def test_an_index_checked_once_is_not_checked_by_the_next_process(data_dir: Path) -> None:
    two_groups(data_dir)
    assert open_in_a_fresh_process(data_dir) == (2, True), "the first open checks the index"
    assert open_in_a_fresh_process(data_dir) == (2, False), "the same bytes were checked before"


def test_a_hand_edit_after_a_checked_open_is_caught(data_dir: Path) -> None:
    store = two_groups(data_dir)
    assert open_in_a_fresh_process(data_dir) == (2, True)
    index = store.layout.index_file
    tables = json.loads(index.read_bytes())
    next(iter(tables["groups"].values()))["name"] = 42
    stat = index.stat()
    index.write_text(json.dumps(tables))
    # Even with the old time put back, the bytes differ: they are checked.
    os.utime(index, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(UserError, match=r"peersession\.json: groups record .* wrong shape"):
        create_app(data_dir=data_dir)


def test_only_the_exact_bytes_checked_are_remembered() -> None:
    good = b'{"_meta": {"1": {"schema": 3, "kind": "index"}}, "groups": {}}'
    assert not checked_files.checked_before(good)
    checked_files.remember_checked(good)
    assert checked_files.checked_before(good)
    assert not checked_files.checked_before(good.replace(b"{}}", b"{} }"))


@pytest.mark.parametrize(
    "record", [b"\x00\xff" * 300, b"not a digest\n" * 50, b"", "é".encode() * 99]
)
def test_a_damaged_record_is_an_empty_one(record: bytes) -> None:
    """A record made of anything remembers nothing: every file is checked again."""
    raw = b'{"groups": {}}'
    path = checked_files.record_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(record)
    assert not checked_files.checked_before(raw)
    checked_files.remember_checked(raw)
    assert checked_files.checked_before(raw)


def test_a_record_that_cannot_be_written_leaves_the_reads_working(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    two_groups(data_dir)
    assert open_in_a_fresh_process(data_dir) == (2, True)
    assert open_in_a_fresh_process(data_dir) == (2, True), "nothing remembered: checked again"


def test_the_record_keeps_a_bounded_number_of_versions() -> None:
    for n in range(checked_files.KEPT + 20):
        checked_files.remember_checked(f"version {n}".encode())
    lines = checked_files.record_file().read_text().splitlines()
    assert len(lines) == checked_files.KEPT
    assert checked_files.checked_before(f"version {checked_files.KEPT + 19}".encode())
    assert not checked_files.checked_before(b"version 0"), "the oldest are forgotten"


def test_a_record_others_can_write_is_not_believed() -> None:
    raw = b'{"groups": {}}'
    checked_files.remember_checked(raw)
    path = checked_files.record_file()
    assert path.stat().st_mode & 0o777 == 0o600, "the record is the user's alone"
    path.chmod(0o666)
    assert not checked_files.checked_before(raw), "anyone could have written it"
    path.chmod(0o600)
    assert checked_files.checked_before(raw)
    assert not checked_files.trusted(os.geteuid() + 1, 0o100600), "another account's record"


def test_writing_the_record_never_follows_a_link_left_in_the_cache_folder(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("mine")
    folder = checked_files.record_file().parent
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{checked_files.RECORD_NAME}.{os.getpid()}.part").symlink_to(victim)
    checked_files.remember_checked(b"some bytes")
    assert victim.read_text() == "mine"
    assert not checked_files.checked_before(b"some bytes"), "not written: checked again"
