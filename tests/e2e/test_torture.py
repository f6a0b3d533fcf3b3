"""Crash torture: a real process runs meetings and is killed with SIGKILL, again and again.

``torture_driver.py`` plays a scripted meeting through ``LiveSession`` and
prints ``ACK n`` after each ``dispatch`` returns (what the facilitator sees).
After every kill, the data folder must hold every acknowledged action and at
most one more, every data file must parse, and every ended session must end up
in the history exactly once. Kills land at random moments (while journaling,
while committing, while migrating) and, deterministically, at every single
write-type system call of the commit and of a migration.

Every test here is a campaign (marked ``campaign``): CI runs them, a
developer's default run leaves them out (``pytest --campaigns``, or name this
file, to run them). Each random campaign runs at two sizes: the CI size (about
140 kills in all: 80 at random moments, the rest at every write of a commit and
of a migration), and a large one (2,000 random kills), marked ``slow`` and left
out even by CI unless asked for: ``pytest -m slow tests/e2e/test_torture.py``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum
import pytest

from peersession.core.clock import FakeClock
from peersession.core.commitment_state import commitment_is_open
from peersession.core.engine import Meeting
from peersession.demo import demo_history
from peersession.paths import DataLayout
from peersession.store import schema
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.journal import read_journal
from peersession.store.live import LiveSession, recover_ended

from torture_driver import (
    expected_entries,
    install_test_migration,
    make_torture_group,
    migration_v2,
)

DRIVER = Path(__file__).parents[1] / "torture_driver.py"
#: Random kills per size; each campaign takes its share of them.
CI_KILLS = 80
LARGE_KILLS = 2000
SEED = int(os.environ.get("PEERSESSION_TORTURE_SEED") or 20260305)

pytestmark = pytest.mark.campaign


# ---------------------------------------------------------------------------
# Running and killing the driver
# ---------------------------------------------------------------------------


@dataclass
class Outcome:
    lines: list[str]
    killed: bool
    #: When each line was read (monotonic seconds), for lines read before the end.
    times: list[float] = field(default_factory=list)

    def gap(self, first: str, second: str) -> float:
        """Seconds between reading the line starting with ``first`` and ``second``."""
        index = {
            w: next(i for i, line in enumerate(self.lines) if line.startswith(w))
            for w in (first, second)
        }
        return self.times[index[second]] - self.times[index[first]]

    def ack_ledger(self) -> dict[str, int]:
        """Session id → the highest action number acknowledged in this run."""
        acked: dict[str, int] = {}
        current: str | None = None
        for line in self.lines:
            word, _, rest = line.partition(" ")
            if word == "STARTED":
                current = rest
                acked.setdefault(current, 0)
            elif word == "RESUMED":
                # A resumed meeting shows every action its journal holds.
                current, count = rest.split()
                acked[current] = max(acked.get(current, 0), int(count))
            elif word == "ACK":
                assert current is not None
                acked[current] = max(acked[current], int(rest))
        return acked

    def ended(self) -> set[str]:
        return {line.split()[1] for line in self.lines if line.startswith("ENDED ")}

    def value(self, word: str) -> int:
        return next(int(line.split()[1]) for line in self.lines if line.startswith(word + " "))


def drive(
    command: str,
    data_dir: Path,
    *args: str,
    kill_after: float | None = None,
    wait_for: str | None = None,
) -> Outcome:
    """Run the driver; with ``kill_after``, SIGKILL it that many seconds after it
    printed ``wait_for`` (or its first line)."""
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), command, str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    times: list[float] = []
    while True:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        times.append(time.monotonic())
        if kill_after is not None and (wait_for is None or line.startswith(wait_for)):
            time.sleep(kill_after)
            process.send_signal(signal.SIGKILL)
            break
    # Read through the same buffered file: communicate() would skip what
    # readline() already buffered.
    lines += process.stdout.read().splitlines()
    assert process.stderr is not None
    err = process.stderr.read()
    process.wait(timeout=120)
    killed = process.returncode == -signal.SIGKILL
    if not killed:
        assert process.returncode == 0, f"driver failed ({process.returncode}):\n{err}\n{lines}"
    return Outcome(lines, killed, times)


# ---------------------------------------------------------------------------
# What must hold after every kill
# ---------------------------------------------------------------------------


def is_temp(path: Path) -> bool:
    """A temporary file a killed write left behind (``doctor --repair`` removes them)."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def assert_every_file_reads(root: Path) -> None:
    """No data file is ever torn: every JSON file parses, every journal reads."""
    for path in root.rglob("*.json"):
        try:
            json.loads(path.read_bytes())
        except ValueError as error:
            raise AssertionError(f"{path} is not valid JSON after a kill: {error}") from None
    for folder in (root / "live", root / "retired"):
        for path in folder.glob("*.journal"):
            read_journal(path)  # raises CorruptJournal on damage before the last line


def meeting_view(meeting: Meeting) -> dict[str, Any]:
    """What the facilitator sees of a meeting."""
    return {
        "phase": meeting.phase,
        "speaker": meeting.speaker,
        "queue": list(meeting.queue),
        "here": sorted(meeting.here),
        "attendance": dict(meeting.attendance),
        "session_notes": [n.text for n in meeting.session_notes],
        "turn_notes": {m: [n.text for n in t.notes] for m, t in meeting.turns.items()},
        "asks": {
            a.id: (a.text, a.part, a.votes, a.outcome, len(a.extensions), len(a.notes))
            for a in meeting.asks.values()
        },
        "ask_queue": list(meeting.ask_queue),
        "commitments": {
            c.id: (c.owner, c.text, c.due, c.private) for c in meeting.commitments.values()
        },
        "wins": [(w.id, w.text) for w in meeting.wins],
        "reviews": {k: r.status for k, r in meeting.reviews.items()},
        "ratings": dict(meeting.ratings),
        "next_meeting": meeting.next_meeting,
        "ended": meeting.ended,
    }


def group_file_sessions(layout: DataLayout, group_id: str) -> list[str]:
    path = layout.group_history_file(group_id)
    if not path.exists():
        return []
    tables = json.loads(path.read_bytes())
    return [doc["id"] for doc in tables.get("sessions", {}).values()]


def check_journal(path: Path, acked_by_session: dict[str, int]) -> tuple[str, int, bool]:
    """The journal is the script's prefix: every acknowledged action, at most one more."""
    contents = read_journal(path)
    first = contents.entries[0]
    session_id = first.action.to_data()["setup"]["session_id"]
    acked = acked_by_session.get(session_id, 0)
    expected = expected_entries(first)
    got = contents.entries[1:]
    count = len(got)
    assert acked <= count <= acked + 1, (
        f"journal of {session_id} holds {count} actions after {acked} were acknowledged"
    )
    assert [e.to_doc() for e in got] == [e.to_doc() for e in expected[:count]]
    replayed = Meeting.replay(contents.entries)
    reference = Meeting.replay([first, *expected[:count]])
    assert meeting_view(replayed) == meeting_view(reference)
    return session_id, count, replayed.ended


@dataclass
class Ledger:
    """What the killed processes acknowledged, over a whole campaign."""

    acked: dict[str, int] = field(default_factory=dict)
    ended: set[str] = field(default_factory=set)
    kills: int = 0
    #: Retired sessions already checked (a retired journal never changes).
    retired: set[str] = field(default_factory=set)

    def add(self, outcome: Outcome) -> None:
        for session_id, count in outcome.ack_ledger().items():
            self.acked[session_id] = max(self.acked.get(session_id, 0), count)
        self.ended |= outcome.ended()
        self.kills += outcome.killed


def verify(root: Path, group_id: str, ledger: Ledger) -> str | None:
    """Everything the campaign acknowledged is on disk; returns the live session id."""
    layout = DataLayout(root)
    assert_every_file_reads(root)
    sessions = group_file_sessions(layout, group_id)
    assert len(sessions) == len(set(sessions)), f"a session is in the history twice: {sessions}"
    live_id: str | None = None
    journal = layout.journal_file(group_id)
    if journal.exists():
        live_id, _, ended = check_journal(journal, ledger.acked)
        if not ended:
            assert live_id not in sessions, "a session still running is already in the history"
    for session_id, acked in ledger.acked.items():
        if session_id == live_id:
            continue
        # Not running any more: it was ended, committed, then retired (in that order).
        assert sessions.count(session_id) == 1, f"session {session_id} ({acked} acks) is lost"
        if session_id not in ledger.retired:
            retired = layout.retired_dir / f"{group_id}-{session_id}.journal"
            _, _, ended = check_journal(retired, ledger.acked)
            assert ended
            ledger.retired.add(session_id)
    for session_id in ledger.ended:
        assert sessions.count(session_id) == 1
    return live_id


def assert_summary_consistent(root: Path, group_id: str) -> None:
    store = HistoryStore(root)
    summary = store.summaries()[group_id]
    sessions = store.sessions(group_id)
    assert summary.sessions == len(sessions)
    assert summary.last_session_at == (sessions[-1].started_at if sessions else None)
    open_now = sum(1 for c in store.commitments(group_id) if commitment_is_open(c))
    assert summary.open_commitments == open_now


def finish_in_process(root: Path, group_id: str) -> None:
    """What the app does on the next start: finish a cut-short commit, or resume
    the session and end it (nothing when the kill came after the journal was retired)."""
    store = HistoryStore(root)
    group = store.find_group(group_id)
    path = store.layout.journal_file(group_id)
    if recover_ended(store, group) or not path.exists():
        return
    ending = expected_entries(read_journal(path).entries[0])[-1]
    live = LiveSession.resume(store, group, FakeClock(ending.at))
    live.dispatch(ending.action)
    live.end()


def new_torture_dir(root: Path) -> tuple[Path, str]:
    data = root / "data"
    group_id = make_torture_group(HistoryStore(data))
    return data, group_id


# ---------------------------------------------------------------------------
# The campaigns
# ---------------------------------------------------------------------------


@pytest.fixture(
    params=[
        pytest.param(CI_KILLS, id="ci"),
        pytest.param(LARGE_KILLS, id="large", marks=pytest.mark.slow),
    ]
)
def random_kills(request: pytest.FixtureRequest) -> int:
    """How many random kills a campaign's size shares out."""
    kills: int = request.param
    return kills


def test_kills_while_journaling_lose_no_acknowledged_action(
    tmp_path: Path, random_kills: int
) -> None:
    rng = random.Random(SEED)
    data, group_id = new_torture_dir(tmp_path)
    ledger = Ledger()
    # An unkilled session first: it must complete, and it times one session.
    outcome = drive("run", data, "--sessions", "1")
    ledger.add(outcome)
    per_session = 1.2 * outcome.gap("STARTED", "DONE")
    verify(data, group_id, ledger)
    target = max(10, random_kills // 2)
    rounds = 0
    while ledger.kills < target:
        rounds += 1
        assert rounds < target * 4, "the driver keeps finishing before it can be killed"
        outcome = drive("run", data, "--sessions", "100000", kill_after=rng.uniform(0, per_session))
        ledger.add(outcome)
        verify(data, group_id, ledger)
    # Recovery: a last, unkilled process finishes the interrupted session.
    held = len(group_file_sessions(DataLayout(data), group_id))
    ledger.add(drive("run", data, "--sessions", str(held + 1)))
    assert verify(data, group_id, ledger) is None
    assert_summary_consistent(data, group_id)
    assert len(ledger.acked) >= 3, "the kills should span several sessions"


def test_kills_while_committing_to_the_history(tmp_path: Path, random_kills: int) -> None:
    rng = random.Random(SEED + 1)
    data, group_id = new_torture_dir(tmp_path)
    ledger = Ledger()
    outcome = drive("run", data, "--sessions", "2")
    ledger.add(outcome)
    assert len(outcome.ended()) == 2, outcome.lines
    # Kills land within 1.5 times the unkilled commit's duration after ENDING.
    commit_time = 1.5 * outcome.gap("ENDING", "ENDED")
    target = max(5, random_kills // 4)
    rounds = 0
    while ledger.kills < target:
        rounds += 1
        assert rounds < target * 4
        held = len(group_file_sessions(DataLayout(data), group_id))
        outcome = drive(
            "run",
            data,
            "--sessions",
            str(held + 1),
            kill_after=rng.uniform(0, commit_time),
            wait_for="ENDING",
        )
        ledger.add(outcome)
        verify(data, group_id, ledger)
    held = len(group_file_sessions(DataLayout(data), group_id))
    ledger.add(drive("run", data, "--sessions", str(held)))
    assert verify(data, group_id, ledger) is None
    assert_summary_consistent(data, group_id)


def kill_points(calls: int) -> list[tuple[int, str]]:
    """Where to kill: before each of ``calls`` write-type calls, and after the last.

    Nothing touches the disk between two counted calls, so a kill after call N
    leaves what a kill before call N + 1 leaves.
    """
    return [(number, "before") for number in range(1, calls + 1)] + [(calls, "after")]


def kill_args(scope: str, number: int, when: str) -> list[str]:
    return ["--kill-scope", scope, "--kill-at", str(number), "--kill-when", when]


def test_a_kill_at_every_write_of_the_commit(tmp_path: Path) -> None:
    """SIGKILL at each write-type system call of ending a session: appending
    ``session_ended``, writing the group file and the index, retiring the journal."""
    data, group_id = new_torture_dir(tmp_path / "seed")
    # Two finished sessions, so commitments are reviewed and the history is not empty.
    drive("run", data, "--sessions", "2")
    ready = drive("run", data, "--sessions", "3", "--stop-before-commit")
    assert "SUSPENDED" in ready.lines
    pristine = tmp_path / "ready"
    shutil.copytree(data, pristine)
    calls = drive("run", data, "--sessions", "3", "--kill-scope", "end").value("CALLS")
    assert calls >= 10, "the commit should write several files"
    for number, when in kill_points(calls):
        trial = tmp_path / f"{when}-{number}"
        shutil.copytree(pristine, trial)
        ledger = Ledger(acked=dict(ready.ack_ledger()))
        outcome = drive("run", trial, "--sessions", "3", *kill_args("end", number, when))
        assert outcome.killed, f"no kill at call {number} ({when})"
        verify(trial, group_id, ledger)
        # The next start finishes the commit (or the session), exactly once.
        finish_in_process(trial, group_id)
        ledger.ended |= set(ledger.acked)
        assert verify(trial, group_id, ledger) is None
        assert len(group_file_sessions(DataLayout(trial), group_id)) == 3
        assert_summary_consistent(trial, group_id)
        shutil.rmtree(trial)


# ---------------------------------------------------------------------------
# Migrations
# ---------------------------------------------------------------------------


def seed_old_schema(root: Path, sessions: int) -> Path:
    """Two groups at today's schema, which the driver treats as the old one."""
    today = pendulum.date(2026, 3, 1)
    data = root / "old"
    store = HistoryStore(data)
    seed_demo(store, demo_history(today=today, sessions=sessions))
    # Its own seed: the same seed makes the same ids, and a group is one id.
    ring = demo_history(seed=11, today=today, sessions=sessions // 5, group_name="Monday Ring")
    seed_demo(store, ring)
    return data


def data_files(root: Path) -> list[Path]:
    layout = DataLayout(root)
    return [layout.index_file, *sorted(layout.groups_dir.glob("*.json"))]


def check_migration_state(root: Path, pristine: dict[str, bytes]) -> bool:
    """Each data file is the old one, byte for byte, or the complete migration of it;
    every backup is a byte-for-byte copy of an old file. True when all are migrated."""
    assert_every_file_reads(root)
    migrated_all = True
    for path in data_files(root):
        relative = str(path.relative_to(root))
        raw = path.read_bytes()
        if raw == pristine[relative]:
            migrated_all = False
            continue
        tables = json.loads(raw)
        old = migration_v2(json.loads(pristine[relative]))
        meta = tables.pop(schema.META_TABLE)
        old.pop(schema.META_TABLE)
        assert meta["1"]["schema"] == schema.SCHEMA_VERSION + 1, f"{relative}: {meta}"
        assert tables == old, f"{relative} is neither the old file nor its migration"
    originals = set(pristine.values())
    for backup in (root / "backups").glob("*"):
        if is_temp(backup):
            continue
        assert backup.read_bytes() in originals, f"{backup.name} is not a copy of an old file"
    return migrated_all


def snapshot_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in data_files(root)}


def test_kills_while_migrating(tmp_path: Path, random_kills: int) -> None:
    rng = random.Random(SEED + 2)
    # Big enough that migrating takes a while to be killed in.
    pristine_dir = seed_old_schema(tmp_path, sessions=150)
    pristine = snapshot_files(pristine_dir)
    trial = tmp_path / "trial"
    shutil.copytree(pristine_dir, trial)
    outcome = drive("migrate", trial)
    span = 1.2 * outcome.gap("MIGRATING", "MIGRATED")
    assert check_migration_state(trial, pristine)
    target = max(5, random_kills // 4)
    kills = completed = 0
    shutil.rmtree(trial)
    shutil.copytree(pristine_dir, trial)
    rounds = 0
    while kills < target:
        rounds += 1
        assert rounds < target * 4
        outcome = drive("migrate", trial, kill_after=rng.uniform(0, span), wait_for="MIGRATING")
        kills += outcome.killed
        if check_migration_state(trial, pristine):
            completed += 1
            shutil.rmtree(trial)
            shutil.copytree(pristine_dir, trial)
    # Whatever the last kill left, the next run completes the migration.
    drive("migrate", trial)
    assert check_migration_state(trial, pristine)


@contextmanager
def migration_installed() -> Iterator[None]:
    old_version, old_steps = schema.SCHEMA_VERSION, dict(schema.MIGRATIONS)
    install_test_migration()
    try:
        yield
    finally:
        schema.SCHEMA_VERSION = old_version
        schema.MIGRATIONS.clear()
        schema.MIGRATIONS.update(old_steps)


def test_a_kill_at_every_write_of_a_migration(tmp_path: Path) -> None:
    """SIGKILL at each write-type system call of migrating three files (each is
    backed up, then rewritten); the next start completes the migration."""
    pristine_dir = seed_old_schema(tmp_path, sessions=10)
    pristine = snapshot_files(pristine_dir)
    probe = tmp_path / "probe"
    shutil.copytree(pristine_dir, probe)
    calls = drive("migrate", probe, "--kill-scope", "migrate").value("CALLS")
    assert calls >= 12, "three files, each backed up then rewritten"
    for number, when in kill_points(calls):
        trial = tmp_path / f"{when}-{number}"
        shutil.copytree(pristine_dir, trial)
        outcome = drive("migrate", trial, *kill_args("migrate", number, when))
        assert outcome.killed, f"no kill at call {number} ({when})"
        check_migration_state(trial, pristine)
        with migration_installed():
            store = HistoryStore(trial)
            for group in store.groups():
                store.sessions(group.id)
        assert check_migration_state(trial, pristine)
        shutil.rmtree(trial)
