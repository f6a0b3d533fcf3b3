"""A damaged live journal: one line naming the file and the line, never a traceback or its text.

What a bad copy, a sync conflict or a hand edit leaves in ``live/``: the last
line twice, a line of a known action with a field of the wrong shape, the
first line gone. ``start`` (through Pilot, as users get it), ``view``,
``doctor`` and ``doctor --repair`` each say what is wrong in one line naming
the file and the line, never print what the journal holds, and keep every
action that reads: the same action twice is skipped, a damaged end is set
aside (the whole file kept in ``retired/``) and the session resumes from the
actions before it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.store.follow import JournalFollower
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.resume import ResumeScreen

from pilot_support import Notice, recorded_notices

#: The private note the journal holds: it must never appear in any error output.
SECRET = "Ask the dean for protected time, privately"


def interrupted_journal(store: HistoryStore, group: Group, clock: FakeClock) -> Path:
    """A session with a private note (the last line), left by a kill."""
    live = LiveSession.start(store, group, clock)
    clock.advance(30)
    live.dispatch(ev.Next())
    clock.advance(30)
    live.dispatch(ev.NoteAdded(note_id="n1", text=SECRET, private=True))
    live.journal.close()
    live.lock.release()
    return store.layout.journal_file(group.id)


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def notices(shown: list[Notice]) -> list[str]:
    return [n.message for n in shown]


def no_secret_and_no_traceback(text: str) -> None:
    assert SECRET not in text, text
    assert "Traceback" not in text, text


def run_cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    no_secret_and_no_traceback(text)
    return code, text


async def test_the_last_line_twice_is_the_same_action_replayed_and_skipped(
    store: HistoryStore, group: Group, clock: FakeClock, data_dir: Path
) -> None:
    path = interrupted_journal(store, group, clock)
    lines = lines_of(path)
    path.write_bytes(b"".join(lines) + lines[-1])
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    shown = recorded_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        said = notices(shown)
        assert any(f"line {len(lines) + 1} repeats line {len(lines)}" in n for n in said), said
        for notice in said:
            no_secret_and_no_traceback(notice)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        notes = [note.text for note in app.screen.live.meeting.session_notes]
        assert notes == [SECRET]


async def test_a_field_of_the_wrong_shape_in_the_middle_is_one_line_everywhere(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = interrupted_journal(store, group, clock)
    lines = lines_of(path)
    damaged = json.loads(lines[1])
    damaged["type"], damaged["data"] = "note_added", {"note_id": "n0", "text": ["x"]}
    lines[1] = json.dumps(damaged).encode() + b"\n"
    path.write_bytes(b"".join(lines))
    before = path.read_bytes()
    for args in (("doctor",), ("doctor", "--repair")):
        code, text = run_cli(capsys, data_dir, *args)
        assert code == 1 and "line 2 is damaged (data.text: expected text)" in text, text
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    shown = recorded_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = notices(shown)
        assert any("line 2 is damaged" in n for n in said), said
        for notice in said:
            no_secret_and_no_traceback(notice)
    view = create_app(data_dir=data_dir, clock=clock, start_group=group.id, mode="view")
    shown = recorded_notices(view)
    async with view.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = notices(shown)
        assert any(f"{path}: line 2 cannot be read" in n for n in said), said
    assert path.read_bytes() == before


async def test_a_damaged_last_line_is_set_aside_and_the_rest_resumes(
    store: HistoryStore, group: Group, clock: FakeClock, data_dir: Path
) -> None:
    path = interrupted_journal(store, group, clock)
    original = path.read_bytes()
    lines = lines_of(path)
    last = json.loads(lines[-1])
    last["data"]["text"] = ["x"]
    path.write_bytes(b"".join(lines[:-1]) + json.dumps(last).encode() + b"\n")
    damaged = path.read_bytes()
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    shown = recorded_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = notices(shown)
        assert any(f"line {len(lines)} and after are damaged" in n for n in said), said
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.live.meeting.last_seq == len(lines) - 1
    # Nothing is lost: the whole damaged file waits in retired/, the journal
    # goes on from the lines that read.
    kept = list(store.layout.retired_dir.glob("*.discarded"))
    assert [p.read_bytes() for p in kept] == [damaged]
    assert path.read_bytes() == original[: len(b"".join(lines[:-1]))]


async def test_a_journal_without_its_first_line_is_refused_in_one_line(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = interrupted_journal(store, group, clock)
    path.write_bytes(b"".join(lines_of(path)[1:]))
    before = path.read_bytes()
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    shown = recorded_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = notices(shown)
        assert any("line 1 is damaged" in n and "first line is lost" in n for n in said), said
        for notice in said:
            no_secret_and_no_traceback(notice)
    code, text = run_cli(capsys, data_dir, "doctor")
    assert code == 1 and "first line is lost" in text
    follower = JournalFollower(store.layout, group.id)
    followed = follower.poll()
    assert followed.meeting is None and followed.problem is not None
    assert path.read_bytes() == before


@pytest.mark.parametrize("listed", ["members", "order"])
async def test_a_start_line_listing_someone_twice_is_refused_in_one_line(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    listed: str,
) -> None:
    """A copy of an element inside the start line (every screen keys members and
    commitments by id: a second one crashed the meeting screen on the call)."""
    path = interrupted_journal(store, group, clock)
    lines = lines_of(path)
    first = json.loads(lines[0])
    setup = first["data"]["setup"]
    where = setup["group"] if listed == "members" else setup
    where[listed].append(where[listed][0])
    lines[0] = json.dumps(first).encode() + b"\n"
    path.write_bytes(b"".join(lines))
    before = path.read_bytes()
    app = create_app(data_dir=data_dir, clock=clock, start_group=group.id)
    shown = recorded_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = notices(shown)
        assert any("line 1" in n for n in said), said
        for notice in said:
            no_secret_and_no_traceback(notice)
        assert not isinstance(app.screen, MeetingScreen)
    assert path.read_bytes() == before
    code, text = run_cli(capsys, data_dir, "doctor")
    assert code == 1 and "line 1" in text
    no_secret_and_no_traceback(text)


def test_a_check_in_answer_no_screen_knows_is_refused_with_the_start_line() -> None:
    """The campaign set a review item's check-in status to a date: the view then
    crashed looking up its label. The start line is refused instead, by the field."""
    import msgspec

    from peersession.core.record_errors import describe_error
    from peersession.core.record_types import read_version
    from peersession.core.setup import ReviewItem

    item = {"commitment_id": "c1", "owner": "m1", "text": "x", "due": None, "private": False}
    read = read_version(ReviewItem)
    assert msgspec.convert({**item, "prefill_status": "done"}, read).prefill_status == "done"
    with pytest.raises(msgspec.ValidationError) as refused:
        msgspec.convert({**item, "prefill_status": "0001-01-01T00:00:00+00:00"}, read)
    said = describe_error(refused.value)
    assert said == "prefill_status: not one of the values peersession knows", said
