"""A live session's journal in the shared folder: followed entry by entry as the
sync tool carries it, complete entries only, nothing moved or replayed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peersession.store.shared.key import GroupKey
from peersession.store.shared.layout import new_machine_id
from peersession.store.shared.live_journal import JournalFollower, JournalWriter

MACHINE = new_machine_id()
JOURNAL = "f" * 32


def entries(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {"seq": n, "at": f"2026-12-06T10:{n:02d}:00+00:00", "type": "next", "data": {"note": "Zoë"}}
        for n in range(start, start + count)
    ]


@pytest.fixture
def key() -> GroupKey:
    return GroupKey.new()


def write(tmp_path: Path, key: GroupKey, items: list[dict[str, Any]]) -> JournalWriter:
    writer = JournalWriter(tmp_path, key, MACHINE, JOURNAL)
    for item in items:
        writer.append(item)
    return writer


def follower(path: Path, key: GroupKey) -> JournalFollower:
    return JournalFollower(path, key, MACHINE, JOURNAL)


def test_a_follower_takes_each_entry_once_as_it_arrives(tmp_path: Path, key: GroupKey) -> None:
    writer = write(tmp_path, key, entries(3))
    reader = follower(writer.path, key)
    assert reader.poll() == entries(3)
    assert reader.poll() == []
    writer.append(entries(1, 3)[0])
    assert reader.poll() == entries(1, 3)
    writer.close()
    # The name's UTF-8 bytes: "Zo" alone turns up in base64 text by chance.
    assert "Zoë".encode() not in writer.path.read_bytes()


def test_an_entry_still_arriving_is_waited_for(tmp_path: Path, key: GroupKey) -> None:
    source = write(tmp_path, key, entries(4))
    data = source.path.read_bytes()
    arriving = tmp_path / "arriving.journal"
    reader = follower(arriving, key)
    assert reader.poll() == []  # not there yet
    seen: list[dict[str, Any]] = []
    for cut in range(0, len(data) + 1, 37):  # the sync tool delivers it in pieces
        arriving.write_bytes(data[:cut])
        seen += reader.poll()
        assert reader.stopped is None
    arriving.write_bytes(data)
    seen += reader.poll()
    assert seen == entries(4)


def test_a_writer_resumed_after_a_torn_line_carries_on(tmp_path: Path, key: GroupKey) -> None:
    first = write(tmp_path, key, entries(2))
    first.close()
    with first.path.open("ab") as handle:
        handle.write(b"2 AAAAAAAA")  # killed in the middle of an append
    again = write(tmp_path, key, entries(2, 2))
    again.close()
    reader = follower(again.path, key)
    assert reader.poll() == entries(4)
    assert reader.stopped is None


def test_a_tampered_entry_stops_the_follower_there(tmp_path: Path, key: GroupKey) -> None:
    writer = write(tmp_path, key, entries(3))
    lines = writer.path.read_bytes().split(b"\n")
    body = bytearray(lines[2])
    body[-3] = ord("A") if body[-3] != ord("A") else ord("B")
    lines[2] = bytes(body)
    writer.path.write_bytes(b"\n".join(lines))
    reader = follower(writer.path, key)
    assert reader.poll() == entries(1)
    assert reader.stopped == "entry 1 does not open with this group's key"


def test_entries_swapped_or_replayed_from_another_journal_are_refused(
    tmp_path: Path, key: GroupKey
) -> None:
    writer = write(tmp_path, key, entries(3))
    header, one, two, three, _ = writer.path.read_bytes().split(b"\n")
    swapped = tmp_path / "swapped.journal"
    # Positions renumbered to look in order: the seal still knows where each was.
    swapped.write_bytes(b"\n".join([header, one, b"1" + three[1:], b"2" + two[1:], b""]))
    reader = follower(swapped, key)
    assert reader.poll() == entries(1)
    assert reader.stopped is not None
    other = JournalFollower(writer.path, key, MACHINE, "e" * 32)  # another journal's id
    assert other.poll() == [] and other.stopped is not None
    wrong_key = follower(writer.path, GroupKey.new())
    assert wrong_key.poll() == [] and wrong_key.stopped is not None


def test_a_journal_of_a_newer_format_is_left_alone(tmp_path: Path, key: GroupKey) -> None:
    path = tmp_path / f"{JOURNAL}.journal"
    path.write_bytes(b"peersession-journal 2\n0 whatever\n")
    reader = follower(path, key)
    assert reader.poll() == []
    assert reader.stopped == "written in format 2 by a newer peersession"
    assert path.read_bytes() == b"peersession-journal 2\n0 whatever\n"


def test_garbage_and_huge_lines_stop_the_follower_in_one_line(
    tmp_path: Path, key: GroupKey
) -> None:
    path = tmp_path / "garbage.journal"
    path.write_bytes(b"\x00" * 100)
    reader = follower(path, key)
    assert reader.poll() == [] and reader.stopped == "not a peersession journal (damaged)"
    path.write_bytes(b"peersession-journal 1\n0 " + b"A" * (2 << 20))
    reader = follower(path, key)
    assert reader.poll() == [] and reader.stopped == "entry 0 is too long (damaged)"


def test_closing_a_journal_twice_closes_nothing_else(tmp_path: Path, key: GroupKey) -> None:
    writer = write(tmp_path, key, entries(1))
    writer.close()
    # The descriptor's number is free again: another file may take it now.
    other = (tmp_path / "other").open("wb")
    try:
        writer.close()
        other.write(b"still open")
        other.flush()
    finally:
        other.close()
    assert (tmp_path / "other").read_bytes() == b"still open"
    with pytest.raises(OSError, match="closed"):
        writer.append(entries(1, 1)[0])
