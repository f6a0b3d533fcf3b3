"""The live session followed from a member's machine through the shared folder.

A shares the group and runs a meeting; B joined from another data folder and
follows it with the same follower `peersession view` uses: every action
arrives, private text never sits in the folder unsealed, a vanished folder
costs the meeting nothing, and a damaged copy is followed up to the damage.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.core.readout import compute_readout
from peersession.paths import DataLayout
from peersession.store.follow import JournalFollower
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.store.shared import live_journal, live_share, notices
from peersession.store.shared.live_share import LINGER_SECONDS, SharedFollower
from peersession.tui.app import create_app
from peersession.tui.screens.view import ViewScreen

from room_support import assert_room_reads, room_screen
from shared_support import folder_bytes

SECRET = "Ferncastle lab closes in June, tell nobody"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync" / "circle"


@pytest.fixture
def bo(
    tmp_path: Path, data_dir: Path, group: Group, folder: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    """B's data folder, joined to the group A shared."""
    key = tmp_path / "key"
    data = str(data_dir)
    assert main(["share", group.name, str(folder), "--key-file", str(key), "--data-dir", data]) == 0
    bo = tmp_path / "bo"
    assert main(["join", str(folder), "--key-file", str(key), "--data-dir", str(bo)]) == 0
    capsys.readouterr()
    return bo


@pytest.fixture
def told() -> Iterator[list[str]]:
    lines: list[str] = []
    notices.set_reporter(lines.append)
    yield lines
    notices.set_reporter(None)


def copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.journal"))


def test_a_members_machine_follows_every_action_and_the_end(
    data_dir: Path, group: Group, clock: FakeClock, folder: Path, bo: Path
) -> None:
    following = JournalFollower(DataLayout(bo), group.id)
    assert following.poll().status == "waiting"
    live = LiveSession.start(HistoryStore(data_dir), group, clock)
    clock.advance(30)
    live.dispatch(ev.NoteAdded(note_id="n1", text=SECRET, private=True))
    clock.advance(30)
    live.dispatch(ev.Next())
    followed = following.poll()
    assert followed.status == "live" and followed.shared
    assert followed.meeting is not None
    assert followed.meeting.last_seq == live.meeting.last_seq == 3
    assert followed.meeting.phase_index == live.meeting.phase_index
    assert any(note.text == SECRET for note in followed.meeting.session_notes)
    # Sealed: the private note is nowhere in the folder as text.
    assert all(SECRET.encode() not in data for data in folder_bytes(folder).values())
    live.end()
    followed = following.poll()
    assert followed.status == "ended" and followed.changed and not followed.problem


@pytest.mark.parametrize("harm", ["lost", "torn", "ahead"])
def test_a_resumed_meeting_catches_its_copy_up(
    data_dir: Path, group: Group, clock: FakeClock, folder: Path, bo: Path, harm: str
) -> None:
    store = HistoryStore(data_dir)
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.Next())
    publisher = live.publisher
    assert publisher is not None
    if harm == "ahead":
        # The copy holds an action the local journal does not (its torn tail was cut).
        publisher.writer.append({"seq": 3, "type": "next", "at": "2026-03-05T17:00:00+00:00"})
    live.suspend()
    [copy] = copies(folder)
    if harm == "lost":
        copy.unlink()  # the sync tool lost it, or a member tidied the folder
    elif harm == "torn":
        with copy.open("ab") as handle:
            handle.write(b"2 AAAAAAAA")  # a crash in the middle of an append
    live = LiveSession.resume(store, group, clock)
    live.dispatch(ev.Next())
    [again] = copies(folder)
    assert again.name == copy.name  # the same session, the same copy
    meeting = SharedFollower(bo, group.id).poll()
    assert meeting is not None and meeting.last_seq == live.meeting.last_seq == 3
    live.suspend()


def test_a_full_shared_disk_mid_meeting_costs_no_action_and_is_said_once(
    data_dir: Path,
    group: Group,
    clock: FakeClock,
    bo: Path,
    told: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live = LiveSession.start(HistoryStore(data_dir), group, clock)

    def full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(live_journal, "write_all", full)
    for _ in range(3):
        live.dispatch(ev.Next())
    assert live.meeting.last_seq == 4
    assert [line for line in told if "follow" in line] == [
        "members cannot follow this session through the shared folder: it cannot be written "
        "(No space left on device); the meeting goes on and is saved here"
    ]
    live.suspend()
    resumed = LiveSession.resume(HistoryStore(data_dir), group, clock)
    assert resumed.meeting.last_seq == 4  # every action is in the local journal
    resumed.suspend()


def test_a_folder_not_there_at_the_start_costs_the_meeting_nothing(
    data_dir: Path, group: Group, clock: FakeClock, folder: Path, bo: Path, told: list[str]
) -> None:
    folder.rename(folder.with_name("unmounted"))
    live = LiveSession.start(HistoryStore(data_dir), group, clock)
    live.dispatch(ev.Next())
    assert live.publisher is None and live.meeting.last_seq == 2
    assert [line for line in told if "follow" in line] == [
        f"members cannot follow this session through the shared folder: {folder}: the shared "
        "folder is not there; the meeting goes on and is saved here"
    ]
    assert not folder.exists()  # not made again where the real one should be mounted
    live.suspend()


@pytest.mark.parametrize(
    "damage", [b"2 " + b"A" * 60 + b"\n", b"not a line\n", b"7 " + b"A" * 60 + b"\n"]
)
def test_a_damaged_copy_is_followed_up_to_the_damage_in_one_line(
    data_dir: Path, group: Group, clock: FakeClock, folder: Path, bo: Path, damage: bytes
) -> None:
    live = LiveSession.start(HistoryStore(data_dir), group, clock)
    live.dispatch(ev.Next())
    [copy] = copies(folder)
    with copy.open("ab") as handle:
        handle.write(damage)
    followed = JournalFollower(DataLayout(bo), group.id).poll()
    assert followed.meeting is not None and followed.meeting.last_seq == 2
    assert followed.problem is not None and followed.problem.startswith(str(copy))
    assert "shown up to it" in followed.problem and "\n" not in followed.problem
    live.suspend()


def test_a_finished_sessions_copy_lingers_then_goes_and_a_new_session_starts_clean(
    data_dir: Path, group: Group, clock: FakeClock, folder: Path, bo: Path
) -> None:
    store = HistoryStore(data_dir)
    live = LiveSession.start(store, group, clock)
    live.end()
    [copy] = copies(folder)
    live_share.remove_finished(data_dir, group.id)
    assert copy.exists()  # members following still see the end
    old = time.time() - LINGER_SECONDS - 1
    os.utime(copy, (old, old))
    live_share.remove_finished(data_dir, group.id)
    assert copies(folder) == []
    # A second finished session's copy is removed when the next one starts.
    LiveSession.start(store, group, clock).end()
    [second] = copies(folder)
    live = LiveSession.start(store, group, clock)
    assert second not in copies(folder) and len(copies(folder)) == 1
    live.suspend()


def test_the_newest_copy_is_followed(
    data_dir: Path, group: Group, clock: FakeClock, folder: Path, bo: Path
) -> None:
    store = HistoryStore(data_dir)
    LiveSession.start(store, group, clock).end()
    follower = SharedFollower(bo, group.id)
    first = follower.poll()
    assert first is not None and first.ended
    live = LiveSession.start(store, group, clock)
    newest = follower.poll()
    assert newest is not None and not newest.ended
    assert newest.session_id == live.meeting.session_id != first.session_id
    live.suspend()


async def test_the_room_view_on_a_members_machine_reads_as_the_facilitators(
    data_dir: Path, group: Group, clock: FakeClock, bo: Path
) -> None:
    live = LiveSession.start(HistoryStore(data_dir), group, clock)
    while compute_readout(live.meeting, clock.now()).speaker is None:
        live.dispatch(ev.Next())  # on to the first turn: someone has the floor
    clock.advance(42)
    readout = compute_readout(live.meeting, clock.now())
    view = create_app(data_dir=bo, clock=clock, start_group=group.id, mode="view")
    async with view.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        screen = room_screen(view)
        assert isinstance(screen, ViewScreen)
        status = str(screen.query_one("#view-status", Static).render())
        assert "through the shared folder" in status
        assert_room_reads(view, digits=readout.digits, speaker=readout.speaker, part=None)
    live.suspend()


def test_two_meetings_at_once_do_not_flip_the_view(
    data_dir: Path, group: Group, clock: FakeClock, folder: Path, bo: Path
) -> None:
    live = LiveSession.start(HistoryStore(data_dir), group, clock)
    follower = SharedFollower(bo, group.id)
    first = follower.poll()
    assert first is not None
    # Another machine's copy, written later (Bo started the same meeting on his laptop).
    [copy] = copies(folder)
    other = folder / ("f" * 32) / copy.name
    other.parent.mkdir()
    other.write_bytes(copy.read_bytes())
    later = time.time() + 60
    os.utime(other, (later, later))
    again = follower.poll()
    assert again is not None and again.session_id == first.session_id
    assert follower.problem is None  # still the first copy, not the other one
    live.suspend()
