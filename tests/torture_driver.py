"""A real peersession process for the crash, concurrency and lock tests.

Run as ``python tests/torture_driver.py COMMAND DATA_DIR [options]``. The tests
start it, read its stdout and kill it with SIGKILL:

``run``      Recovers or resumes whatever the last (killed) run left, then
             plays the deterministic meeting script of :func:`build_script`
             through ``LiveSession.dispatch``, printing ``ACK <n>`` after each
             dispatch returns ("acknowledged on screen"), ends and commits the
             session (``ENDING`` / ``ENDED <id>``), and starts the next one until
             the history holds ``--sessions`` sessions (``DONE``).
``migrate``  Opens the data folder as a peersession whose schema is one higher
             (``SCHEMA_VERSION + 1`` with a test migration registered in this
             process only), which migrates the index and every group file.
``writer``   Check-ins, reviews and new groups in a loop (concurrency stress).
``hold``     Starts or resumes a session, acknowledges a few actions, and holds
             the live lock until killed.

``--kill-at N`` (with ``--kill-scope end|migrate|run`` and ``--kill-when
before|after``) makes the process SIGKILL itself at the N-th write-type system
call (open for writing, write, fsync, fdatasync, replace, rename, truncate,
unlink, mkdir) of that scope: every such call is a place a crash can happen. Without it, the
process prints ``CALLS <n>`` at the end of the scope so a test can enumerate them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pendulum
from pendulum import DateTime

from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.engine import Meeting
from peersession.core.ids import new_id
from peersession.core.model import Group, Member
from peersession.core.session_records import Checkin, Review
from peersession.errors import UserError
from peersession.store import atomic, schema, storage
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.store.live import LiveSession, recover_ended

BASE_START: DateTime = pendulum.datetime(2026, 1, 6, 17, 0, 0, tz="UTC")
CADENCE_DAYS = 21
STEP_SECONDS = 20.0

#: Text people could type, all of it legal and all of it dangerous to a naive screen.
HOSTILE_TEXTS: tuple[str, ...] = (
    "[/]",
    "[link=x]click[/link]",
    "[b]bold[/b] [i]unclosed",
    "$var ${name} $$",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "nul\x00byte",
    "\u202eright-to-left",
    "zero\u200bwidth\u200d",
    "emoji 🎉👩🏽‍⚕️",
    "e\u0301\u0301\u0301 combining",
    'quote " back \\ slash {"json": [1, 2]}',
    "line one\nline two\r\n",
    "x" * 9_990,
)

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
MIGRATION_MARK = "torture_v2"


def hostile(index: int) -> str:
    """The ``index``-th hostile text, made unique so every item can be found again."""
    return f"{HOSTILE_TEXTS[index % len(HOSTILE_TEXTS)]} #{index}"


# ---------------------------------------------------------------------------
# The meeting script
# ---------------------------------------------------------------------------


def build_script(first: ev.Entry) -> list[tuple[float, ev.Action]]:
    """Every action of a full meeting, with its offset in seconds from the start.

    A pure function of the journal's first entry (the setup): a resumed process
    and the test rebuild exactly the same script. It is simulated on a meeting
    as it is built, so every action is valid where it stands.
    """
    meeting = Meeting.replay([first])
    script: list[tuple[float, ev.Action]] = []
    offset = 0.0
    texts = iter(range(10_000))

    def do(action: ev.Action, after: float = STEP_SECONDS) -> None:
        nonlocal offset
        offset += after
        meeting.apply(ev.Entry(meeting.last_seq + 1, first.at.add(seconds=offset), action))
        script.append((offset, action))

    def text() -> str:
        return hostile(next(texts))

    members = [m.id for m in meeting.setup.group.members]
    late = members[-1]
    # Opening: one member is late; a note on the session.
    do(ev.AttendanceMarked(member_id=late, status="late"))
    do(ev.NoteAdded(note_id="note-open", text=text()))
    do(ev.Next())
    # Wins.
    do(ev.WinAdded(win_id="win-1", member_id=members[0], kind="grant", text=text()))
    do(ev.WinAdded(win_id="win-2", member_id=members[1], kind="other", text=text(), private=True))
    do(ev.Next())
    # Review of earlier sessions' commitments.
    statuses = ("done", "partial", "not_done", "dropped")
    for index, item in enumerate(meeting.setup.review_items[:4]):
        status = statuses[index % 4]
        do(ev.ReviewMarked(commitment_id=item.commitment_id, status=status, note=text()))
    do(ev.Next())
    # Updates: a note on every turn, a pause, more time, a late arrival, two asks.
    turn = 0
    while meeting.phase.name == "updates":
        speaker = meeting.speaker
        assert speaker is not None
        do(ev.NoteAdded(note_id=f"note-turn-{turn}", text=text(), private=turn == 2))
        if turn == 0:
            do(ev.TimerToggled())
            do(ev.TimerToggled(), after=5)
        if turn == 1:
            do(ev.TimeAdjusted(seconds=60.0))
        if turn == 2:
            do(ev.MemberArrived(member_id=late))
        if turn in (1, 3):
            do(ev.AskAdded(ask_id=f"ask-{turn}", member_id=speaker, text=text()))
        do(ev.Next(), after=120)
        turn += 1
    # Asks: vote, sort, the hot seat with an extension, an outcome and helpers.
    do(ev.AskVoted(ask_id="ask-3", votes=4))
    do(ev.AsksSorted(by="votes"))
    do(ev.Next())
    hot = meeting.current_ask
    assert hot == "ask-3", hot
    asker = meeting.asks[hot].member_id
    do(ev.NoteAdded(note_id="note-ask", text=text()))
    do(ev.Next(), after=200)
    do(ev.ExtensionVoted(votes_for=4, voters=5), after=340)
    helpers = tuple(m for m in meeting.attended if m != asker)[:2]
    do(ev.AskEnded(outcome=text(), commitment_id="commit-ask", helpers=helpers), after=60)
    do(ev.Next())
    do(ev.Next(), after=100)
    do(ev.Next(), after=100)
    do(ev.Next())
    # Commitments: everyone leaves with one.
    due = ((meeting.setup.session_date or first.at.date()) + timedelta(days=14)).isoformat()
    for index, member_id in enumerate(meeting.members_without_commitment()):
        do(
            ev.CommitmentAdded(
                commitment_id=f"commit-{index}",
                owner=member_id,
                text=text(),
                due=due if index % 2 else None,
                private=index == 1,
            )
        )
    do(ev.Next())
    # Close: ratings and the next date.
    for index, member_id in enumerate(meeting.attended):
        do(ev.RatingGiven(member_id=member_id, rating=1 + (index * 3) % 10))
    next_day = (meeting.setup.session_date or first.at.date()) + timedelta(days=CADENCE_DAYS)
    do(ev.NextMeetingSet(date=next_day.isoformat()))
    do(ev.Next())
    assert meeting.phase.name == "recap"
    return script


def expected_entries(first: ev.Entry) -> list[ev.Entry]:
    """The journal entries after ``first`` that the script produces, in order;
    the last one is ``session_ended``."""
    script = build_script(first)
    entries = [
        ev.Entry(index + 2, first.at.add(seconds=offset), action)
        for index, (offset, action) in enumerate(script)
    ]
    end_offset = script[-1][0] + STEP_SECONDS
    entries.append(ev.Entry(len(script) + 2, first.at.add(seconds=end_offset), ev.SessionEnded()))
    return entries


def make_torture_group(store: HistoryStore, members: int = 6) -> str:
    """The group the torture runs: hostile names, ``members`` members."""
    names = [hostile(index) for index in range(members - 1)] + ["Plain Name"]
    # As a file could hold them: the doors refuse control characters in names.
    group = Group(
        id=new_id(),
        name="[b]Torture[/b] \x1b[31m circle",
        members=tuple(Member(new_id(), n[:60]) for n in names),
    )
    store.add_group(group)
    return group.id


# ---------------------------------------------------------------------------
# Killing ourselves at the N-th write-type system call
# ---------------------------------------------------------------------------


class SyscallCounter:
    """Counts write-type calls of the ``os`` module once armed; can SIGKILL at one."""

    NAMES = (
        "open",
        "write",
        "fsync",
        "fdatasync",
        "replace",
        "rename",
        "ftruncate",
        "truncate",
        "unlink",
        "mkdir",
    )

    def __init__(self, kill_at: int | None, when: str) -> None:
        self.kill_at = kill_at
        self.when = when
        self.calls = 0
        self.armed = False
        # Each process starts with an empty cache folder (store/checked_files.py
        # remembers there which file versions passed their check, and writes it):
        # every run then makes the same calls, so the count of one names the same
        # call in the next.
        shared = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(
            prefix="cache-", dir=Path(shared).parent if shared else None
        )
        for name in self.NAMES:
            setattr(os, name, self._wrap(name, getattr(os, name)))

    def _wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counted = self.armed and (name != "open" or bool(args[1] & WRITE_FLAGS))
            if counted:
                self.calls += 1
                if self.calls == self.kill_at and self.when == "before":
                    os.kill(os.getpid(), signal.SIGKILL)
            try:
                return real(*args, **kwargs)
            finally:
                # Also when the call failed (filelock tolerates some failures).
                if counted and self.calls == self.kill_at and self.when == "after":
                    os.kill(os.getpid(), signal.SIGKILL)

        return wrapper

    @contextmanager
    def scope(self, active: bool) -> Iterator[None]:
        if not active:
            yield
            return
        self.armed = True
        try:
            yield
        finally:
            self.armed = False
            say(f"CALLS {self.calls}")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


def the_group(store: HistoryStore, name: str) -> Group:
    return store.find_group(name) if name else store.only_group()


def open_live(store: HistoryStore, clock: FakeClock, name: str = "") -> LiveSession:
    """Resume the interrupted session, or start the next one."""
    group = the_group(store, name)
    path = store.layout.journal_file(group.id)
    if path.exists():
        live = LiveSession.resume(store, group, clock)
        say(f"RESUMED {live.meeting.session_id} {live.meeting.last_seq - 1}")
        return live
    held = len(store.sessions(group.id))
    clock.set(BASE_START.add(days=CADENCE_DAYS * held))
    live = LiveSession.start(store, group, clock)
    say(f"STARTED {live.meeting.session_id}")
    return live


def play(live: LiveSession, clock: FakeClock, *, limit: int | None = None) -> bool:
    """Dispatch the rest of the script (not ``session_ended``); True when all done."""
    meeting = live.meeting
    first = meeting.entries[0]
    entries = expected_entries(first)[:-1]
    done = meeting.last_seq - 1
    for entry in entries[done:]:
        if limit is not None and live.meeting.last_seq - 1 >= limit:
            return False
        clock.set(entry.at)
        live.dispatch(entry.action)
        say(f"ACK {entry.seq - 1}")
    return True


def run(args: argparse.Namespace, counter: SyscallCounter) -> int:
    clock = FakeClock(BASE_START)
    with counter.scope(args.kill_scope == "run"):
        store = HistoryStore(args.data_dir)
        while True:
            group = the_group(store, args.group)
            # What the app does on opening a group: finish a cut-short commit.
            if recover_ended(store, group):
                say("RECOVERED")
            running = store.layout.journal_file(group.id).exists()
            if not running and len(store.sessions(group.id)) >= args.sessions:
                break
            live = open_live(store, clock, args.group)
            if not play(live, clock, limit=args.stop_after) or args.stop_before_commit:
                live.suspend()
                say("SUSPENDED")
                return 0
            say("ENDING")
            with counter.scope(args.kill_scope == "end"):
                ended = expected_entries(live.meeting.entries[0])[-1]
                clock.set(ended.at)
                live.dispatch(ended.action)
                say(f"ACK {ended.seq - 1}")
                session_id = live.end()
            say(f"ENDED {session_id}")
    say("DONE")
    return 0


def migration_v2(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The test migration: marks every document it upgrades."""
    for name, table in tables.items():
        if name == schema.META_TABLE:
            continue
        for doc in table.values():
            doc[MIGRATION_MARK] = True
    return tables


def install_test_migration() -> None:
    """This process reads schema ``SCHEMA_VERSION + 1`` (and only this process)."""
    old = schema.SCHEMA_VERSION
    schema.SCHEMA_VERSION = old + 1
    schema.MIGRATIONS[old] = migration_v2


def migrate(args: argparse.Namespace, counter: SyscallCounter) -> int:
    install_test_migration()
    say("MIGRATING")
    with counter.scope(args.kill_scope == "migrate"):
        store = HistoryStore(args.data_dir)
        for group in store.groups():
            store.sessions(group.id)
    say("MIGRATED")
    return 0


class IntervalLog:
    """Records when this process writes a history file, to show writers never overlap."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[str] = []
        real = atomic.atomic_write_bytes

        def logged(path: Path, data: bytes) -> None:
            start = time.monotonic()
            real(path, data)
            self.lines.append(f"{start} {time.monotonic()} {path.name}")

        # Storage's own name for the function (it imports it from atomic).
        setattr(storage, "atomic_write_bytes", logged)  # noqa: B010

    def save(self) -> None:
        self.path.write_text("\n".join(self.lines) + "\n")


def writer(args: argparse.Namespace) -> int:
    """``--count`` rounds of: a check-in, a review of a shared commitment, a new group."""
    log = IntervalLog(Path(args.log)) if args.log else None
    store = HistoryStore(args.data_dir)
    group = store.find_group(args.group)
    say("READY")
    go = Path(args.go) if args.go else None
    while go is not None and not go.exists():
        time.sleep(0.005)
    commitments = [c.id for c in store.commitments(group.id)]
    member = group.members[args.id % len(group.members)].id
    for round_ in range(args.count):
        at = BASE_START.add(days=400, seconds=args.id * 10_000 + round_).isoformat()
        checkin = Checkin(
            id=f"checkin-{args.id}-{round_}",
            group_id=group.id,
            member_id=member,
            at=at,
            statuses={},
            note=hostile(round_),
            energy=None,
            private=False,
            updated_at=at,
        )
        store.add_checkin(checkin, {})
        if commitments:
            review = Review(
                at=at,
                status="partial",
                source="history",
                source_id=f"review-{args.id}-{round_}",
                note=hostile(round_ + 1),
            )
            store.add_review(group.id, commitments[round_ % len(commitments)], review)
        if round_ % 3 == 0:
            store.add_group(new_group(f"writer {args.id} round {round_}", ["Ana", "Bo"]))
        say(f"WROTE {round_}")
    if log is not None:
        log.save()
    say("DONE")
    return 0


def hold(args: argparse.Namespace) -> int:
    """Run a session for a few actions and keep its live lock until killed."""
    clock = FakeClock(BASE_START)
    store = HistoryStore(args.data_dir)
    try:
        live = open_live(store, clock, args.group)
    except UserError as error:
        say(f"REFUSED {error}")
        return 1
    play(live, clock, limit=args.stop_after)
    say("HOLDING")
    while True:
        time.sleep(60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="torture_driver")
    parser.add_argument("command", choices=["run", "migrate", "writer", "hold"])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--sessions", type=int, default=1, help="run until the history has N")
    parser.add_argument("--stop-after", type=int, default=None, help="suspend after N actions")
    parser.add_argument("--stop-before-commit", action="store_true")
    parser.add_argument("--kill-at", type=int, default=None)
    parser.add_argument("--kill-scope", choices=["run", "end", "migrate"], default=None)
    parser.add_argument("--kill-when", choices=["before", "after"], default="before")
    parser.add_argument("--id", type=int, default=0)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--group", default="")
    parser.add_argument("--go", default="")
    parser.add_argument("--log", default="")
    args = parser.parse_args(argv)
    counter = SyscallCounter(args.kill_at, args.kill_when)
    try:
        if args.command == "run":
            return run(args, counter)
        if args.command == "migrate":
            return migrate(args, counter)
        if args.command == "writer":
            return writer(args)
        return hold(args)
    except UserError as error:
        say(f"ERROR {error}")
        return 1


def read_json(path: Path) -> Any:
    return json.loads(path.read_bytes())


if __name__ == "__main__":
    sys.exit(main())
