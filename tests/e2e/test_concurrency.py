"""Two (and more) real processes on one data folder: one writer at a time, nothing lost.

The processes are ``torture_driver.py`` runs: a live session that commits,
and writers doing check-ins, reviews and new groups in a loop. They start
together (on a "go" file) so their transactions interleave as much as they can.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from peersession.core.clock import FakeClock
from peersession.core.commitment_state import commitment_is_open
from peersession.demo import demo_history
from peersession.errors import UserError
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.journal import read_journal
from peersession.store.live import LiveSession

from torture_driver import expected_entries, make_torture_group

DRIVER = Path(__file__).parents[1] / "torture_driver.py"
WRITERS = int(os.environ.get("PEERSESSION_STRESS_WRITERS") or 4)
WRITES = int(os.environ.get("PEERSESSION_STRESS_WRITES") or 25)


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(DRIVER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(process: subprocess.Popen[str], word: str) -> list[str]:
    """Read the process's lines until one starts with ``word``."""
    assert process.stdout is not None
    lines: list[str] = []
    while True:
        line = process.stdout.readline()
        if not line:
            _, err = process.communicate()
            raise AssertionError(f"process ended before {word!r}: {lines}\n{err}")
        lines.append(line.rstrip("\n"))
        if line.startswith(word):
            return lines


def finish(process: subprocess.Popen[str]) -> list[str]:
    assert process.stdout is not None and process.stderr is not None
    lines = process.stdout.read().splitlines()
    err = process.stderr.read()
    assert process.wait(timeout=120) == 0, f"{lines}\n{err}"
    return lines


def read_intervals(paths: list[Path]) -> list[tuple[float, float, int]]:
    intervals = []
    for index, path in enumerate(paths):
        for line in path.read_text().split("\n"):
            if line:
                begin, end, _ = line.split(" ", 2)
                intervals.append((float(begin), float(end), index))
    return sorted(intervals)


def assert_never_two_writers(intervals: list[tuple[float, float, int]]) -> None:
    """No two processes were ever inside a history file write at the same moment."""
    for (_, end, who), (next_begin, _, next_who) in itertools.pairwise(intervals):
        if who != next_who:
            assert next_begin >= end, f"process {who} and {next_who} wrote at the same time"


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Path, str]:
    """A data folder with a group that has open commitments to review."""
    data = tmp_path / "shared"
    store = HistoryStore(data)
    history = demo_history(today=FakeClock().now().date(), sessions=6)
    seed_demo(store, history)
    return data, history.group.id


def test_a_live_session_and_writers_in_other_processes_never_write_at_once(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    store = HistoryStore(data)
    group_id = make_torture_group(store)
    # The live session needs commitments to review: one session first.
    finish(start("run", str(data), "--sessions", "1"))
    commitments = [c.id for c in HistoryStore(data).commitments(group_id)]
    assert commitments
    go = tmp_path / "go"
    logs = [tmp_path / f"writer-{i}.log" for i in range(3)]
    writers = [
        start(
            "writer",
            str(data),
            "--id",
            str(i),
            "--count",
            "15",
            "--group",
            group_id,
            "--go",
            str(go),
            "--log",
            str(logs[i]),
        )
        for i in range(3)
    ]
    for writer in writers:
        wait_for(writer, "READY")
    go.touch()
    # The live session runs three more sessions, committing each, meanwhile.
    live = start("run", str(data), "--sessions", "4", "--group", group_id)
    live_lines = finish(live)
    for writer in writers:
        finish(writer)
    ended = [line.split()[1] for line in live_lines if line.startswith("ENDED ")]
    assert len(ended) == 3
    store = HistoryStore(data)
    sessions = [s.id for s in store.sessions(group_id)]
    assert len(sessions) == 4 and len(set(sessions)) == 4
    assert set(ended) <= set(sessions)
    checkins = [c.id for c in store.checkins(group_id)]
    assert sorted(checkins) == sorted(f"checkin-{i}-{r}" for i in range(3) for r in range(15))
    assert_summary_matches(store, group_id)
    assert_never_two_writers(read_intervals(logs))


def assert_summary_matches(store: HistoryStore, group_id: str) -> None:
    summary = store.summaries()[group_id]
    assert summary.sessions == len(store.sessions(group_id))
    open_now = sum(1 for c in store.commitments(group_id) if commitment_is_open(c))
    assert summary.open_commitments == open_now


def test_many_writers_lose_and_duplicate_nothing(shared: tuple[Path, str], tmp_path: Path) -> None:
    """N processes x M rounds of a check-in, a review and (every third round) a new
    group, all interleaved: every record is there exactly once at the end."""
    data, group_id = shared
    go = tmp_path / "go"
    logs = [tmp_path / f"writer-{i}.log" for i in range(WRITERS)]
    writers = [
        start(
            "writer",
            str(data),
            "--id",
            str(i),
            "--count",
            str(WRITES),
            "--group",
            group_id,
            "--go",
            str(go),
            "--log",
            str(logs[i]),
        )
        for i in range(WRITERS)
    ]
    for writer in writers:
        wait_for(writer, "READY")
    go.touch()
    for writer in writers:
        finish(writer)
    store = HistoryStore(data)
    checkins = Counter(c.id for c in store.checkins(group_id) if c.id.startswith("checkin-"))
    expected = {f"checkin-{i}-{r}" for i in range(WRITERS) for r in range(WRITES)}
    assert set(checkins) == expected, f"lost: {sorted(expected - set(checkins))[:5]}"
    assert max(checkins.values()) == 1, "a check-in was stored twice"
    reviews = Counter(
        review.source_id or None
        for commitment in store.commitments(group_id)
        for review in commitment.reviews
        if review.source == "history"
    )
    assert set(reviews) == {f"review-{i}-{r}" for i in range(WRITERS) for r in range(WRITES)}
    assert max(reviews.values()) == 1
    names = Counter(g.name for g in store.groups())
    new_groups = {f"writer {i} round {r}" for i in range(WRITERS) for r in range(0, WRITES, 3)}
    assert new_groups <= set(names), f"lost groups: {sorted(new_groups - set(names))[:5]}"
    assert max(names.values()) == 1
    assert_summary_matches(store, group_id)
    # Every file is whole, and no two processes were writing at once.
    for path in data.rglob("*.json"):
        json.loads(path.read_bytes())
    assert_never_two_writers(read_intervals(logs))


def test_a_second_live_session_is_refused_until_the_first_process_dies(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    store = HistoryStore(data)
    group_id = make_torture_group(store)
    holder = start("hold", str(data), "--stop-after", "12")
    acked = [line for line in wait_for(holder, "HOLDING") if line.startswith("ACK ")]
    assert len(acked) == 12
    group = store.find_group(group_id)
    clock = FakeClock()
    try:
        # Resuming (or starting) the same group's session here is refused, clearly.
        with pytest.raises(UserError, match="already open in another peersession") as caught:
            LiveSession.resume(store, group, clock)
        assert "\n" not in str(caught.value)
        with pytest.raises(UserError, match="already open in another peersession"):
            LiveSession.start(store, group, clock)
        # So is a second process.
        second = start("hold", str(data), "--stop-after", "12")
        refused = wait_for(second, "REFUSED")[-1]
        assert "already open in another peersession" in refused
        second.communicate(timeout=30)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=30)
    assert holder.returncode == -signal.SIGKILL
    # The OS dropped the lock with the process: the session resumes here, exactly.
    live = LiveSession.resume(store, group, clock)
    try:
        first = read_journal(store.layout.journal_file(group_id)).entries[0]
        expected = expected_entries(first)[:12]
        assert [e.to_doc() for e in live.meeting.entries[1:]] == [e.to_doc() for e in expected]
    finally:
        live.suspend()


def test_a_writer_waits_for_the_lock_and_loses_nothing(
    shared: tuple[Path, str], tmp_path: Path
) -> None:
    """While another process holds the write lock, a check-in waits, then lands."""
    data, group_id = shared
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from peersession.store.lock import WriteLock\n"
        "with WriteLock(Path(sys.argv[1]) / 'write.lock'):\n"
        "    print('LOCKED', flush=True)\n"
        "    time.sleep(1.0)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(data)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().startswith("LOCKED")
    store = HistoryStore(data)
    began = time.monotonic()
    writer = start("writer", str(data), "--id", "9", "--count", "1", "--group", group_id)
    finish(writer)
    waited = time.monotonic() - began
    holder.wait(timeout=30)
    assert waited >= 0.8, "the writer did not wait for the lock"
    assert "checkin-9-0" in {c.id for c in store.checkins(group_id)}
