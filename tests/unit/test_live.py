"""A live session: journaled before the screen moves on, resumable after a kill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peersession.core import events as ev
from peersession.core.clock import FakeClock, local_date
from peersession.core.engine import Meeting
from peersession.core.model import Group
from peersession.core.roles import recency
from peersession.core.safe_text import shell_command
from peersession.core.setup import LEDGER_SESSIONS, plan_setup
from peersession.core.templates import template_for
from peersession.errors import UserError
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession, recover_ended

from history_support import seed


def crash(live: LiveSession) -> None:
    """What kill -9 leaves: the journal as written, the lock released by the OS."""
    live.journal.close()
    live.lock.release()


def run_some(live: LiveSession, clock: FakeClock, group: Group) -> None:
    live.dispatch(ev.AttendanceMarked(member_id=group.members[2].id, status="absent"))
    for _ in range(3):
        clock.advance(30)
        live.dispatch(ev.Next())
    clock.advance(60)
    live.dispatch(ev.NoteAdded(note_id="n1", text="[/] keep this", private=True))
    live.dispatch(
        ev.AskAdded(ask_id="a1", member_id=group.members[1].id, text="Help?", wanted_seconds=300)
    )
    live.dispatch(ev.CommitmentAdded(commitment_id="c1", owner=group.members[0].id, text="Write"))


def test_every_action_is_on_disk_when_dispatch_returns(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    lines = store.layout.journal_file(group.id).read_text().splitlines()
    assert len(lines) == live.meeting.last_seq
    assert json.loads(lines[-1])["type"] == "commitment_added"


def test_resume_after_a_kill_is_exact_and_the_timer_kept_running(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    before = live.meeting
    remaining_then = before.timer(clock.now()).remaining
    crash(live)
    clock.advance(minutes=4)  # the call went on while the app was down
    resumed = LiveSession.resume(store, group, clock).meeting
    assert resumed.phase is before.phase and before.phase.name == "updates"
    assert resumed.speaker == before.speaker
    assert resumed.turns[group.members[0].id].notes == before.turns[group.members[0].id].notes
    assert list(resumed.asks) == ["a1"] and list(resumed.commitments) == ["c1"]
    assert resumed.timer(clock.now()).remaining == pytest.approx(remaining_then - 240)


def test_a_torn_last_line_is_dropped_and_cut_off(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    seq = live.meeting.last_seq
    crash(live)
    path = store.layout.journal_file(group.id)
    with path.open("ab") as journal:
        journal.write(b'{"seq": 99, "at": "2026-03-05T17')
    live = LiveSession.resume(store, group, clock)
    assert live.meeting.last_seq == seq
    assert path.read_bytes().endswith(b"\n")
    live.dispatch(ev.Next())  # appends cleanly after the cut
    assert (
        Meeting.replay(
            [ev.Entry.from_doc(json.loads(line)) for line in path.read_text().splitlines()]
        ).last_seq
        == seq + 1
    )


def test_a_damaged_middle_line_is_refused_untouched(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    crash(live)
    path = store.layout.journal_file(group.id)
    lines = path.read_bytes().split(b"\n")
    lines[2] = b"{not json"
    damaged = b"\n".join(lines)
    path.write_bytes(damaged)
    with pytest.raises(UserError, match="line 3 is damaged"):
        LiveSession.resume(store, group, clock)
    assert path.read_bytes() == damaged


def test_a_second_window_cannot_run_the_same_session(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    with pytest.raises(UserError, match="already open in another peersession"):
        LiveSession.resume(store, group, clock)
    live.suspend()
    LiveSession.resume(store, group, clock).suspend()


def test_starting_while_one_is_in_progress_says_resume(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    LiveSession.start(store, group, clock).suspend()
    with pytest.raises(UserError, match="resume it"):
        LiveSession.start(store, group, clock)


def test_ending_commits_once_and_retires_the_journal(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    session_id = live.end()
    assert [s.id for s in store.sessions(group.id)] == [session_id]
    assert not store.layout.journal_file(group.id).exists()
    retired = list(store.layout.retired_dir.iterdir())
    assert [p.name for p in retired] == [f"{group.id}-{session_id}.journal"]
    summary = store.summaries()[group.id]
    assert summary.sessions == 1 and summary.open_commitments == 1
    assert store.find_group(group.id).next_meeting is not None


def test_a_crash_after_session_ended_is_committed_on_next_start(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    live.dispatch(ev.SessionEnded())
    crash(live)
    assert recover_ended(store, group)
    assert len(store.sessions(group.id)) == 1
    assert not recover_ended(store, group)


def test_committing_the_same_record_twice_changes_nothing(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    from peersession.core.record import session_record

    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    live.end()
    record = session_record(live.meeting)
    before = store.layout.group_history_file(group.id).read_bytes()
    assert store.commit_session(record) is False
    assert json.loads(store.layout.group_history_file(group.id).read_bytes()) == json.loads(before)


def test_a_half_written_line_is_cut_back_so_later_entries_stay_readable(
    store: HistoryStore, group: Group, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os as real_os

    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    calls = {"n": 0}
    original = real_os.write

    def half_then_full(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return original(fd, bytes(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("peersession.store.atomic.os.write", half_then_full)
    with pytest.raises(UserError):
        live.dispatch(ev.Next())
    monkeypatch.undo()
    live.dispatch(ev.Next())
    crash(live)
    resumed = LiveSession.resume(store, group, clock)
    assert resumed.meeting.last_seq == live.meeting.last_seq


def test_a_new_session_starts_from_what_the_whole_history_gives(
    data_dir: Path, clock: FakeClock
) -> None:
    """The start reads only the documents it needs (and drops the rest of the
    parse): the setup is the one planned from every document of the group."""
    demo = seed(data_dir)
    store = HistoryStore(data_dir)
    group = store.find_group(demo.group.id)
    history = store.group_documents(group.id)
    live = LiveSession.start(store, group, clock)
    now = clock.now()
    last_started = history.sessions[-1].started_at
    whole = plan_setup(
        session_id=live.meeting.setup.session_id,
        group=group,
        template=template_for(
            group.template,
            group.agenda,
            question_share=group.question_share,
            extensions_minutes=group.extensions_minutes,
        ),
        today=local_date(now),
        recent_sessions=history.sessions[-LEDGER_SESSIONS:],
        open_commitments=history.commitments,
        checkins=[c for c in history.checkins if c.at >= last_started],
        started=now,
        # The rota is the one input read from every session, not the ledger's few.
        roles_held=recency(history.sessions),
        # So is the session's number (it decides the health check).
        session_number=len(history.sessions) + 1,
    )
    assert live.meeting.setup.review_items, "the demo history leaves commitments to review"
    assert live.meeting.setup.airtime, "and an airtime ledger"
    assert live.meeting.setup.to_doc() == whole.to_doc()


def test_a_second_start_names_a_command_that_can_be_pasted(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    crash(live)  # the journal is still in live/: a session is in progress
    with pytest.raises(UserError) as refused:
        LiveSession.start(store, group, clock)
    message = str(refused.value)
    assert "already in progress" in message
    assert shell_command("start", group.name) in message
    assert "`peersession start 'Thursday Circle'`" in message, "the name is quoted"


def test_ending_writes_the_group_file_then_the_index_once_and_only_then_retires(
    store: HistoryStore, group: Group, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session's changes to its group (the next meeting chosen at the Close)
    land with the summary in one write of the index, after the group's file; the
    journal is still in ``live/`` during both."""
    from peersession.store.atomic import atomic_write_bytes as real_write

    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    journal = store.layout.journal_file(group.id)
    written: list[tuple[Path, bool]] = []

    def watched(path: Path, payload: bytes) -> None:
        written.append((path, journal.exists()))
        real_write(path, payload)

    monkeypatch.setattr("peersession.store.storage.atomic_write_bytes", watched)
    live.end()
    chosen = live.meeting.next_meeting
    assert chosen, "the session chose its next meeting"
    assert written == [
        (store.layout.group_history_file(group.id), True),
        (store.layout.index_file, True),
    ]
    assert not journal.exists()
    saved = store.find_group(group.id).next_meeting
    assert saved is not None and saved.isoformat() == chosen
    assert store.summaries()[group.id].sessions == 1


def test_an_index_write_cut_short_at_the_end_is_finished_by_the_next_start(
    store: HistoryStore, group: Group, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The group file holds the session, the index refused: the journal stays,
    and the next start writes the summary and the next meeting together."""
    from peersession.store.atomic import atomic_write_bytes as real_write

    live = LiveSession.start(store, group, clock)
    run_some(live, clock, group)
    before = store.group_doc(group.id)

    def index_refused(path: Path, payload: bytes) -> None:
        if path == store.layout.index_file:
            raise OSError(28, "No space left on device")
        real_write(path, payload)

    monkeypatch.setattr("peersession.store.storage.atomic_write_bytes", index_refused)
    with pytest.raises(UserError, match="summary was not updated"):
        live.end()
    crash(live)
    monkeypatch.undo()
    assert store.group_doc(group.id) == before  # the index as it was
    assert store.layout.journal_file(group.id).exists()
    assert recover_ended(store, group)
    saved = store.find_group(group.id).next_meeting
    assert saved is not None and saved.isoformat() == live.meeting.next_meeting
    assert store.summaries()[group.id].sessions == 1
    assert not store.layout.journal_file(group.id).exists()


ENDS_IN_A_FRESH_PROCESS = """
import sys
from pathlib import Path
from peersession.core.clock import SystemClock
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession

store = HistoryStore(Path(sys.argv[1]))
group = store.only_group()
LiveSession.start(store, group, SystemClock()).end()
print(" ".join(m for m in ("sqlite3", "peersession.store.corrections") if m in sys.modules))
"""


def test_ending_in_a_folder_never_searched_imports_neither_sqlite_nor_corrections(
    store: HistoryStore, group: Group, data_dir: Path
) -> None:
    """No search index and no removals: nothing to keep current or enforce, so
    the end imports neither (the search index and the corrections' rules)."""
    import subprocess
    import sys

    ran = subprocess.run(
        [sys.executable, "-c", ENDS_IN_A_FRESH_PROCESS, str(data_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.split() == []
    assert len(store.sessions(group.id)) == 1
    assert not store.layout.search_index_file.exists()
