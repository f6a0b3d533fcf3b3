"""`peersession view`: a read-only window following a meeting run by another process.

The facilitator's app runs in its own process (tests/meeting_driver.py, the
same app factory as `peersession start`), is killed with SIGKILL and resumed;
the follow window runs here under Pilot, on the same data folder.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from peersession.paths import DataLayout
from peersession.settings import Settings
from peersession.store.follow import JournalFollower, lock_held
from peersession.tui.app import create_app
from peersession.tui.screens.view import ViewScreen

from room_support import plain, room_text
from snapshot_support import demo_store

DRIVER = Path(__file__).parents[1] / "meeting_driver.py"
CATCH_UP_SECONDS = 0.5


def folder_bytes(root: Path) -> dict[str, bytes]:
    """Every file of the data folder and its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


class Driver:
    """The facilitator's app in another process."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, data_dir: Path, group_id: str) -> Driver:
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1]))
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(DRIVER),
            str(data_dir),
            group_id,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        driver = cls(proc)
        assert await driver.read() == "ready"
        return driver

    async def read(self) -> str:
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), timeout=60)
        return line.decode().strip()

    async def send(self, line: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()
        return await self.read()

    async def kill(self) -> None:
        self.proc.kill()
        await self.proc.wait()

    async def quit(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"quit\n")
        await self.proc.stdin.drain()
        await asyncio.wait_for(self.proc.wait(), timeout=60)


async def within(seconds: float, condition: Callable[[], bool]) -> float:
    """Wait until ``condition`` holds; return how long it took (fail after ``seconds``)."""
    start = time.monotonic()
    while not condition():
        elapsed = time.monotonic() - start
        assert elapsed <= seconds, f"not within {seconds}s"
        await asyncio.sleep(0.02)
    return time.monotonic() - start


async def unchanged_while_following(root: Path, seconds: float = 0.6) -> None:
    """Nothing but the view is running: the folder's bytes must not change."""
    before = folder_bytes(root)
    await asyncio.sleep(seconds)
    assert folder_bytes(root) == before, "the follow window changed the data folder"


async def test_view_follows_a_meeting_in_another_process(data_dir: Path) -> None:
    _, group_id = demo_store(data_dir)
    app = create_app(data_dir=data_dir, settings=Settings(), start_group=group_id, mode="view")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ViewScreen)

        def status() -> str:
            return screen.last.status if screen.last else ""

        def status_line() -> str:
            return plain(screen.query_one("#view-status"))

        await within(1.0, lambda: status() == "waiting")
        assert "Waiting for the session to start" in status_line()
        await unchanged_while_following(data_dir)

        driver = await Driver.start(data_dir, group_id)
        await within(2.0, lambda: status() == "live")
        assert await driver.send("n n n") == "ok"
        took = await within(CATCH_UP_SECONDS, lambda: "Siobhán Ní Bhriain" in room_text(screen))
        assert took <= CATCH_UP_SECONDS
        assert await driver.send("n") == "ok"
        await within(CATCH_UP_SECONDS, lambda: "▶ Grace Kim" in room_text(screen))

        # The facilitator's app is killed: the view keeps the last state, and says so.
        await driver.kill()
        await within(2.0, lambda: status() == "stopped")
        assert "not running" in status_line()
        assert "▶ Grace Kim" in room_text(screen)
        await unchanged_while_following(data_dir)

        # It resumes: the view carries on.
        driver = await Driver.start(data_dir, group_id)
        assert await driver.send("screen") == "screen ResumeScreen"
        assert await driver.send("r") == "ok"
        await within(2.0, lambda: status() == "live")
        assert await driver.send("n") == "ok"
        await within(CATCH_UP_SECONDS, lambda: "Turn 3 of 8" in room_text(screen))

        # The session ends: the recap.
        assert await driver.send("e y") == "ok"
        await within(2.0, lambda: status() == "ended")
        await pilot.pause()
        recap = plain(screen.query_one("#view-recap-text"))
        assert "Attendance" in recap and "Grace Kim" in recap
        await driver.quit()
        await unchanged_while_following(data_dir)


def test_the_follower_reads_without_any_lock_or_write(data_dir: Path) -> None:
    """Polling a folder with no session: nothing created, nothing locked."""
    demo_store(data_dir)
    before = folder_bytes(data_dir)
    names = sorted(p.name for p in data_dir.rglob("*"))
    follower = JournalFollower(DataLayout(data_dir), "no-such-group")
    assert follower.poll().status == "waiting"
    assert folder_bytes(data_dir) == before
    assert sorted(p.name for p in data_dir.rglob("*")) == names


def test_lock_held_reads_the_kernel_lock_table(tmp_path: Path) -> None:
    table = tmp_path / "locks"
    lock_file = tmp_path / "g.lock"
    lock_file.write_bytes(b"")
    inode = lock_file.stat().st_ino
    table.write_text(f"1: FLOCK  ADVISORY  WRITE 4242 08:01:{inode} 0 EOF\n")
    assert lock_held(lock_file, table) is True
    table.write_text("1: FLOCK  ADVISORY  WRITE 4242 08:01:1 0 EOF\n")
    assert lock_held(lock_file, table) is False
    assert lock_held(lock_file, tmp_path / "missing") is None
    assert lock_held(tmp_path / "absent.lock", table) is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["view", "Nobody"], "no group named 'Nobody'"),
        (["view", "Thursday Circle", "--serve", "--port", "0"], "a port is a number"),
    ],
)
def test_view_refuses_bad_input_in_one_line_and_writes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    from peersession.cli import main

    demo_store(data_dir)
    before = folder_bytes(data_dir)
    assert main(["--data-dir", str(data_dir), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err
    assert folder_bytes(data_dir) == before


def test_view_of_a_missing_data_folder_creates_nothing(tmp_path: Path) -> None:
    from peersession.cli import main

    missing = tmp_path / "nowhere"
    assert main(["--data-dir", str(missing), "view", "Any"]) == 1
    assert not missing.exists()


def test_the_follower_skips_a_torn_line_and_follows_a_resume_and_a_set_aside(
    data_dir: Path,
) -> None:
    from peersession.core import events as ev
    from peersession.core.clock import FakeClock
    from peersession.store.live import LiveSession, set_aside

    from snapshot_support import MEETING_START

    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    clock = FakeClock(MEETING_START)
    live = LiveSession.start(store, group, clock)
    follower = JournalFollower(store.layout, group_id)
    first = follower.poll()
    assert first.status in ("live", "stopped") and first.meeting is not None
    live.dispatch(ev.Next())
    assert follower.poll().meeting.phase.name == "wins"  # type: ignore[union-attr]
    # A kill in the middle of an append leaves half a line: not shown, no crash.
    with open(live.journal.path, "ab") as journal:
        journal.write(b'{"seq": 3, "at": "2026-\n')
    assert follower.poll().meeting.phase.name == "wins"  # type: ignore[union-attr]
    live.suspend()
    if lock_held(store.layout.live_lock_file(group_id)) is not None:
        assert follower.poll().status == "stopped"
    # Resuming cuts the torn line off; what comes after is followed.
    resumed = LiveSession.resume(store, group, clock)
    resumed.dispatch(ev.Next())
    followed = follower.poll()
    assert followed.meeting is not None and followed.meeting.phase.name == "review"
    # Set aside without ending: nothing to follow any more.
    resumed.suspend()
    set_aside(store, group)
    assert follower.poll().status == "waiting"


def board_text(screen: ViewScreen) -> str:
    """What the room's board beside the clock shows."""
    return plain(screen.query_one("#board-text"))


async def test_the_follow_window_shows_the_review_list_and_the_ask_queue_with_votes(
    data_dir: Path,
) -> None:
    from peersession.core import events as ev
    from peersession.core.clock import FakeClock
    from peersession.core.ids import new_id
    from peersession.store.live import LiveSession
    from peersession.tui.widgets.board import PhaseBoard

    from snapshot_support import MEETING_START

    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    clock = FakeClock(MEETING_START)
    live = LiveSession.start(store, group, clock)
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id, mode="view"
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ViewScreen)
            live.dispatch(ev.Next())
            live.dispatch(ev.Next())
            items = live.meeting.setup.review_items
            first, second = items[0], items[1]
            owner = live.meeting.name(first.owner)
            count = len(items)
            await within(CATCH_UP_SECONDS, lambda: f"0 of {count} reviewed" in board_text(screen))
            assert f"· open  {owner}" in board_text(screen)
            live.dispatch(ev.ReviewMarked(commitment_id=first.commitment_id, status="done"))
            live.dispatch(ev.ReviewMarked(commitment_id=second.commitment_id, status="partial"))
            await within(CATCH_UP_SECONDS, lambda: f"2 of {count} reviewed" in board_text(screen))
            text = board_text(screen)
            assert f"✓ done  {owner}" in text and first.text in text, text
            assert f"◐ partial  {live.meeting.name(second.owner)}" in text, text

            # Asks: the queue with its votes, as the facilitator's console lists it.
            members = [m.id for m in group.members]
            asks = [(new_id(), members[1], "How to say no"), (new_id(), members[2], "A raise")]
            for ask_id, member_id, text in asks:
                live.dispatch(
                    ev.AskAdded(
                        ask_id=ask_id,
                        member_id=member_id,
                        text=text,
                        wanted_seconds=600,
                        private=False,
                    )
                )
            live.dispatch(ev.PhaseJumped(phase="asks"))
            live.dispatch(ev.AskVoted(ask_id=asks[0][0], votes=3))
            live.dispatch(ev.AskVoted(ask_id=asks[1][0], votes=5))
            await within(CATCH_UP_SECONDS, lambda: "5 votes" in board_text(screen))
            text = board_text(screen)
            assert "Ask queue · 2 waiting · 0 done" in text, text
            assert f" 3 votes  {live.meeting.name(members[1])}: How to say no  (10m)" in text
            assert f" 5 votes  {live.meeting.name(members[2])}: A raise  (10m)" in text
            # Legible at 80x24: the board, and its queue, are in sight under the room view.
            board = screen.query_one(PhaseBoard)
            static = screen.query_one("#board-text")
            assert board.region.height >= 8 and screen.region.contains_region(board.region)
            drawn = [static.render_line(y).text for y in range(3)]
            assert drawn[0].startswith("Ask queue · 2 waiting"), drawn
            assert "3 votes" in drawn[1] and "5 votes" in drawn[2], drawn
            assert not board.region.overlaps(screen.query_one("#room").region)
    finally:
        live.suspend()


async def test_the_follow_window_never_shows_a_form_being_typed(data_dir: Path) -> None:
    _, group_id = demo_store(data_dir)
    app = create_app(data_dir=data_dir, settings=Settings(), start_group=group_id, mode="view")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ViewScreen)
        driver = await Driver.start(data_dir, group_id)
        try:
            assert await driver.send("n n n") == "ok"
            await within(2.0, lambda: "Notes on Siobhán Ní Bhriain's update" in board_text(screen))
            # A note being typed in the facilitator's form: never on the room's screen.
            draft = "t " + " ".join(c if c != " " else "space" for c in "Secret draft")
            assert await driver.send(draft) == "ok"
            await asyncio.sleep(3 * CATCH_UP_SECONDS)
            assert "Secret draft" not in board_text(screen)
            assert "Secret draft" not in room_text(screen)
            # Saved: it is on the board within half a second.
            assert await driver.send("enter") == "ok"
            await within(CATCH_UP_SECONDS, lambda: "• Secret draft" in board_text(screen))
        finally:
            await driver.quit()


def test_the_board_shows_each_phase_and_no_facilitator_keys(data_dir: Path) -> None:
    from msgspec.structs import replace

    from peersession.core import events as ev
    from peersession.core.clock import FakeClock
    from peersession.core.ids import new_id
    from peersession.core.phases import kinds
    from peersession.store.live import LiveSession
    from peersession.tui.widgets.phase_screens import board_of

    from snapshot_support import MEETING_START

    store, group_id = demo_store(data_dir)
    # Every session with a goals review, so the board of every kind is seen.
    group = replace(store.find_group(group_id), goals_review_every=1)
    store.save_group(group)
    clock = FakeClock(MEETING_START)
    live = LiveSession.start(store, group, clock)
    try:
        meeting = live.meeting
        seen: dict[str, str] = {}

        def board() -> str:
            text = board_of(live.meeting, clock.now()).plain
            seen[live.meeting.phase.name] = text
            return text

        assert "Ground rules" in board() and "Attendance · 8 here" in board()
        live.dispatch(ev.Next())
        first, second = group.members[0], group.members[3]
        for member, text in ((first, "R01 funded"), (second, "Accepted in JAMA")):
            clock.advance(30)
            live.dispatch(
                ev.WinAdded(
                    win_id=new_id(), member_id=member.id, kind="grant", text=text, private=False
                )
            )
        wins = board()
        assert wins.startswith("Celebrate! 2 wins logged"), wins
        # The win just logged first.
        assert wins.index("Accepted in JAMA") < wins.index("R01 funded")
        live.dispatch(ev.Next())
        assert "Last session's commitments · 0 of " in board()
        live.dispatch(ev.Next())
        assert "Where our goals stand · 0 of 0 said" in board()
        live.dispatch(ev.Next())
        assert "Notes on " in board()
        live.dispatch(ev.PhaseJumped(phase="asks"))
        assert "Hot seat: empty" in board()
        live.dispatch(ev.PhaseJumped(phase="commitments"))
        live.dispatch(
            ev.CommitmentAdded(
                commitment_id=new_id(),
                owner=first.id,
                text="Send the resubmission",
                due=None,
                private=True,
            )
        )
        commitments = board()
        assert f"Just recorded: {first.name}: Send the resubmission" in commitments
        assert f"✓ {first.name}" in commitments and "‹private›" in commitments
        live.dispatch(ev.Next())
        assert f"Rating this session: 0 of {len(meeting.attended)} given" in board()
        live.dispatch(ev.Next())
        assert "Attendance" in board()
        every = {kind.name for kind in kinds()}
        assert set(seen) == every, sorted(every - set(seen))
        for phase, text in seen.items():
            for key_hint in ("enter accepts", "t to take", "n moves on", "enter starts"):
                assert key_hint not in text, f"the {phase} board tells the room {key_hint!r}"
    finally:
        live.suspend()
