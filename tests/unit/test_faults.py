"""The disk says no: full, failing, read-only, or a data file replaced by junk.

Faults are injected at every write site: ``os`` in ``peersession.store.atomic``
and ``peersession.store.journal`` is replaced by a stand-in whose N-th
``open``/``write``/``fsync``/``fdatasync``/``replace``/``truncate`` call fails,
for every N an operation makes. Each failure must be one clear line (a
``UserError``; exit 1 from a command), a live meeting must roll back to what
its journal holds, and the data on disk must be byte for byte what it was —
or, for a file whose replacement already happened before the fault, exactly the
new version, never anything in between. Retrying then gives exactly what a
fault-free run gives, with nothing saved twice.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pendulum
import pytest

from peersession.cli import main
from peersession.core.clock import FakeClock
from peersession.core.model import Group, Member
from peersession.core.session_records import Checkin, Review, Session
from peersession.errors import UserError
from peersession.store import atomic, journal, schema
from peersession.store.history import HistoryStore
from peersession.store.journal import read_journal
from peersession.store.live import LiveSession

from engine_support import snapshot
from pilot_support import Notice
from torture_driver import (
    BASE_START,
    expected_entries,
    install_test_migration,
    make_torture_group,
)

FAULTED = ("open", "write", "fsync", "fdatasync", "replace", "ftruncate", "truncate")
ERRORS = {
    "ENOSPC": errno.ENOSPC,
    "EIO": errno.EIO,
}


class FaultyOs:
    """The ``os`` module, except that the N-th write-site call fails.

    With ``partial``, a failing ``write`` first writes half its bytes for real
    (a full disk takes what fits) and the error comes on the next write.
    """

    def __init__(self, fail_at: int | None, code: int, *, partial: bool = False) -> None:
        self.fail_at = fail_at
        self.code = code
        self.partial = partial
        self.calls = 0
        self.failed = False
        #: Files whose ``replace`` (or append and ``fdatasync``) completed before the fault.
        self.replaced: list[Path] = []
        self._fail_next_write = False

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def _check(self, name: str) -> bool:
        """Count a call; True if it must fail."""
        if self.failed:
            return False
        self.calls += 1
        return self.calls == self.fail_at

    def _error(self, name: str) -> OSError:
        self.failed = True
        return OSError(self.code, os.strerror(self.code), name)

    def open(self, path: Any, flags: int, mode: int = 0o777) -> int:
        if self._check("open"):
            raise self._error("open")
        return os.open(path, flags, mode)

    def write(self, fd: int, data: Any) -> int:
        if self._fail_next_write:
            self._fail_next_write = False
            raise self._error("write")
        if self._check("write"):
            if self.partial and len(data) > 1:
                self._fail_next_write = True
                return os.write(fd, bytes(data[: len(data) // 2]))
            raise self._error("write")
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        if self._check("fsync"):
            raise self._error("fsync")
        os.fsync(fd)

    def fdatasync(self, fd: int) -> None:
        if self._check("fdatasync"):
            raise self._error("fdatasync")
        os.fdatasync(fd)
        self.replaced.append(Path(os.readlink(f"/proc/self/fd/{fd}")))

    def replace(self, source: Any, target: Any) -> None:
        if self._check("replace"):
            raise self._error("replace")
        os.replace(source, target)
        self.replaced.append(Path(target))

    def ftruncate(self, fd: int, length: int) -> None:
        if self._check("ftruncate"):
            raise self._error("ftruncate")
        os.ftruncate(fd, length)

    def truncate(self, path: Any, length: int) -> None:
        if self._check("truncate"):
            raise self._error("truncate")
        os.truncate(path, length)


@contextmanager
def faulty(fake: FaultyOs) -> Iterator[FaultyOs]:
    """``fake`` stands in for ``os`` at every write site of the store."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(atomic, "os", fake)
        patch.setattr(journal, "os", fake)
        yield fake


def files(root: Path) -> dict[str, bytes]:
    """Every data file's bytes (lock files hold nothing and are left out)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix != ".lock"
    }


def leftover_temp_files(root: Path) -> list[str]:
    return [p.name for p in root.rglob("*.tmp")]


def assert_one_clear_line(error: BaseException, code: int) -> None:
    message = str(error)
    assert isinstance(error, UserError), f"{type(error).__name__}: {message}"
    assert "\n" not in message and message.strip()
    assert os.strerror(code) in message, message


# ---------------------------------------------------------------------------
# Operations, each run on a fresh copy of a prepared data folder
# ---------------------------------------------------------------------------


@dataclass
class Operation:
    """Something a user does that writes; ``run`` is called on a fresh copy."""

    prepare: Callable[[Path], None]
    run: Callable[[Path], object]
    #: What the app (or user) does after the error: by default, the same again.
    retry: Callable[[Path], object] | None = None


def a_group_with_history(root: Path) -> None:
    store = HistoryStore(root)
    make_torture_group(store)
    clock = FakeClock(BASE_START)
    live = LiveSession.start(store, store.only_group(), clock)
    for entry in expected_entries(live.meeting.entries[0]):
        clock.set(entry.at)
        live.dispatch(entry.action)
    live.end()


def checkin_doc(store: HistoryStore) -> tuple[Checkin, dict[str, Review]]:
    group = store.only_group()
    commitment = store.commitments(group.id)[0]
    at = BASE_START.add(days=10).isoformat()
    checkin = Checkin(
        id="checkin-fault",
        group_id=group.id,
        member_id=commitment.owner,
        at=at,
        statuses={commitment.id: "partial"},
        note="half way \x1b[31m",
        energy=3,
        private=False,
        updated_at=at,
    )
    review = Review(at=at, status="partial", source="checkin", source_id="ck")
    return checkin, {commitment.id: review}


def add_checkin(root: Path) -> object:
    store = HistoryStore(root)
    checkin, reviews = checkin_doc(store)
    store.add_checkin(checkin, reviews)
    return None


def add_review(root: Path) -> object:
    store = HistoryStore(root)
    group = store.only_group()
    commitment = store.commitments(group.id)[-1]
    at = BASE_START.add(days=11).isoformat()
    review = Review(at=at, status="done", source="history", source_id="review-fault")
    store.add_review(group.id, commitment.id, review)
    return None


def add_group(root: Path) -> object:
    members = (Member("m-ana", "Ana"), Member("m-bo", "Bo \u202e"))
    group = Group(
        id="g-second", name="Second [b]circle", members=members, created_at=BASE_START.isoformat()
    )
    HistoryStore(root).add_group(group)
    return None


def ready_to_end(root: Path) -> None:
    """A group with one session in the history and the next one ready to end."""
    a_group_with_history(root)
    store = HistoryStore(root)
    clock = FakeClock(BASE_START.add(days=21))
    live = LiveSession.start(store, store.only_group(), clock)
    for entry in expected_entries(live.meeting.entries[0])[:-1]:
        clock.set(entry.at)
        live.dispatch(entry.action)
    live.suspend()


#: The session being ended, kept for the retry (the facilitator's screen keeps it).
ENDING: list[LiveSession] = []


def end_session(root: Path) -> object:
    store = HistoryStore(root)
    group = store.only_group()
    first = read_journal(store.layout.journal_file(group.id)).entries[0]
    live = LiveSession.resume(store, group, FakeClock(expected_entries(first)[-1].at))
    ENDING[:] = [live]
    live.end()
    return live


def end_again(root: Path) -> object:
    """The facilitator presses ``e`` again on the same screen."""
    live = ENDING.pop()
    live.end()
    return live


OPERATIONS: dict[str, Operation] = {
    "add_checkin": Operation(a_group_with_history, add_checkin),
    "add_review": Operation(a_group_with_history, add_review),
    "add_group": Operation(a_group_with_history, add_group),
    "end_session": Operation(ready_to_end, end_session, end_again),
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Per operation: a prepared folder, and the result of one fault-free run on a copy."""
    base = tmp_path_factory.mktemp("prepared")
    result: dict[str, tuple[Path, Path]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        for name, operation in OPERATIONS.items():
            template = base / f"{name}-template"
            operation.prepare(template)
            done = base / f"{name}-done"
            shutil.copytree(template, done)
            closing = operation.run(done)
            if isinstance(closing, LiveSession):
                closing.lock.release()
            result[name] = (template, done)
    return result


def count_calls(template: Path, operation: Operation, tmp_path: Path) -> int:
    root = tmp_path / "count"
    shutil.copytree(template, root)
    with faulty(FaultyOs(None, 0)) as fake:
        closing = operation.run(root)
    if isinstance(closing, LiveSession):
        closing.lock.release()
    shutil.rmtree(root)
    return fake.calls


@pytest.mark.parametrize("partial", [False, True], ids=["fails", "short-write"])
@pytest.mark.parametrize("code", list(ERRORS.values()), ids=list(ERRORS))
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_fault_at_every_write_site_changes_nothing_or_completes_one_file(
    name: str,
    code: int,
    partial: bool,
    prepared: dict[str, tuple[Path, Path]],
    tmp_path: Path,
) -> None:
    operation = OPERATIONS[name]
    template, done = prepared[name]
    original, complete = files(template), files(done)
    calls = count_calls(template, operation, tmp_path)
    assert calls >= 4, f"{name} made only {calls} write-site calls"
    for number in range(1, calls + 1):
        root = tmp_path / str(number)
        shutil.copytree(template, root)
        with (
            faulty(FaultyOs(number, code, partial=partial)) as fake,
            pytest.raises(UserError) as caught,
        ):
            operation.run(root)
        assert fake.failed
        assert_one_clear_line(caught.value, code)
        after = files(root)
        replaced = {str(p.relative_to(root)) for p in fake.replaced if p.is_relative_to(root)}
        for path in original.keys() | after.keys():
            if path in replaced:
                # Its new version was already in place when the fault came (a
                # journal is in retired/ after a clean run, under another name).
                now = after.get(path)
                assert now == complete.get(path) or now in complete.values(), (
                    f"call {number}: {path} is torn"
                )
            else:
                assert after.get(path) == original.get(path), f"call {number}: {path} changed"
        assert not leftover_temp_files(root), f"call {number}: temp files left"
        # Retrying (unless the fault came when all was saved) gives exactly what a
        # fault-free run gives: nothing twice.
        if files(root) != complete:
            closing = (operation.retry or operation.run)(root)
            if isinstance(closing, LiveSession):
                closing.lock.release()
            assert files(root) == complete, f"call {number}: the retry differs from a clean run"
        for live in ENDING:
            live.lock.release()
        ENDING.clear()
        shutil.rmtree(root)


# ---------------------------------------------------------------------------
# A live meeting rolls back to its journal
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("partial", [False, True], ids=["fails", "short-write"])
@pytest.mark.parametrize("code", list(ERRORS.values()), ids=list(ERRORS))
@pytest.mark.parametrize("reopened", [False, True], ids=["running", "just-resumed"])
def test_a_refused_journal_write_rolls_the_meeting_back(
    code: int, partial: bool, reopened: bool, tmp_path: Path
) -> None:
    """Every write-site call of ``dispatch`` fails in turn: the screen shows what
    the journal holds, the journal is byte for byte what it was, and the meeting
    goes on once the disk is back."""
    store = HistoryStore(tmp_path / "data")
    make_torture_group(store)
    group = store.only_group()
    clock = FakeClock(BASE_START)
    live = LiveSession.start(store, group, clock)
    script = expected_entries(live.meeting.entries[0])
    for entry in script[:20]:
        clock.set(entry.at)
        live.dispatch(entry.action)
    path = store.layout.journal_file(group.id)
    # The fd is opened by the first append after a resume: open, write, fdatasync.
    calls = 3 if reopened else 2
    for number in range(1, calls + 1):
        if reopened:
            live.suspend()
            live = LiveSession.resume(store, group, clock)
        entry = script[live.meeting.last_seq - 1]
        clock.set(entry.at)
        before_bytes = path.read_bytes()
        before = snapshot(live.meeting, clock.now())
        with faulty(FaultyOs(number, code, partial=partial)), pytest.raises(UserError) as caught:
            live.dispatch(entry.action)
        assert_one_clear_line(caught.value, code)
        assert snapshot(live.meeting, clock.now()) == before, "the screen moved on"
        assert path.read_bytes() == before_bytes, "the journal changed"
        # The disk is back: the same action goes through, and the journal replays it.
        live.dispatch(entry.action)
        assert [e.to_doc() for e in read_journal(path).entries] == [
            e.to_doc() for e in live.meeting.entries
        ]
    live.suspend()


def test_a_failed_cut_back_is_cut_before_the_next_line(tmp_path: Path) -> None:
    """A full disk takes half a line and then refuses the truncate too: the next
    append cuts the half line first, so it never ends up mid-journal."""
    store = HistoryStore(tmp_path / "data")
    make_torture_group(store)
    group = store.only_group()
    clock = FakeClock(BASE_START)
    live = LiveSession.start(store, group, clock)
    script = expected_entries(live.meeting.entries[0])
    live.dispatch(script[0].action)

    class HalfThenStuck(FaultyOs):
        def ftruncate(self, fd: int, length: int) -> None:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    with faulty(HalfThenStuck(1, errno.ENOSPC, partial=True)), pytest.raises(UserError):
        live.dispatch(script[1].action)
    path = store.layout.journal_file(group.id)
    assert read_journal(path).torn_tail, "half a line should be on disk"
    live.dispatch(script[1].action)
    live.dispatch(script[2].action)
    contents = read_journal(path)
    assert not contents.torn_tail
    assert [e.to_doc() for e in contents.entries] == [e.to_doc() for e in live.meeting.entries]
    live.suspend()


def test_starting_a_session_on_a_full_disk_leaves_no_half_journal(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "data")
    make_torture_group(store)
    group = store.only_group()
    path = store.layout.journal_file(group.id)
    for number in range(1, 12):
        with faulty(FaultyOs(number, errno.ENOSPC)) as fake:
            try:
                live = LiveSession.start(store, group, FakeClock(BASE_START))
            except UserError as error:
                assert_one_clear_line(error, errno.ENOSPC)
            else:
                assert not fake.failed
                live.suspend()
                break
        # No journal, or a whole one (the fault came after it was in place).
        if path.exists():
            assert len(read_journal(path).entries) == 1
            # The next start offers to resume it, and resuming works.
            LiveSession.resume(store, group, FakeClock(BASE_START)).suspend()
            path.unlink()
        assert not leftover_temp_files(store.root)
    else:
        raise AssertionError("start never succeeded")


def test_a_migration_on_a_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    root = tmp_path / "data"
    a_group_with_history(root)
    original = files(root)
    version, steps = schema.SCHEMA_VERSION, dict(schema.MIGRATIONS)
    try:
        install_test_migration()
        for number in range(1, 30):
            trial = tmp_path / f"trial-{number}"
            shutil.copytree(root, trial)
            with faulty(FaultyOs(number, errno.ENOSPC)) as fake:
                try:
                    store = HistoryStore(trial)
                    for group in store.groups():
                        store.sessions(group.id)
                except UserError as error:
                    assert_one_clear_line(error, errno.ENOSPC)
                    assert "migrate" in str(error) or "did not confirm" in str(error)
                else:
                    break
            after = files(trial)
            for path, data in after.items():
                if path.startswith("backups/"):
                    assert data in original.values(), "a backup is not a whole copy"
                elif Path(path) not in {p.relative_to(trial) for p in fake.replaced}:
                    assert data == original[path], f"{path} changed"
            assert not leftover_temp_files(trial)
            shutil.rmtree(trial)
        else:
            raise AssertionError("the migration never completed")
    finally:
        schema.SCHEMA_VERSION = version
        schema.MIGRATIONS.clear()
        schema.MIGRATIONS.update(steps)


# ---------------------------------------------------------------------------
# Commands: one line, exit 1, nothing changed
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", list(ERRORS.values()), ids=list(ERRORS))
def test_a_command_on_a_failing_disk_exits_1_with_one_line(
    code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    a_group_with_history(root)
    before = files(root)
    # open, write, fsync and replace of the new index: before it is in place.
    for number in range(1, 5):
        with faulty(FaultyOs(number, code)):
            status = main(["group", "add", "New", "-m", "Ana", "--data-dir", str(root)])
        err = capsys.readouterr().err
        assert status == 1
        assert err.startswith("peersession: ") and err.count("\n") == 1, err
        assert os.strerror(code) in err
        assert files(root) == before


# ---------------------------------------------------------------------------
# A read-only data folder
# ---------------------------------------------------------------------------


WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@contextmanager
def read_only(root: Path) -> Iterator[str]:
    """Make ``root`` read-only; yields how.

    As an ordinary user, ``chmod`` does it. Root ignores permissions, so there
    every call that would change the folder fails with EROFS instead (what a
    read-only mount does): opening for writing, creating, renaming, removing.
    """
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [root, *root.rglob("*")]}
        for path in sorted(modes, reverse=True):
            path.chmod(0o500 if path.is_dir() else 0o400)
        try:
            yield "chmod"
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return

    real_open = os.open

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    def open_read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & WRITE_FLAGS:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", open_read_only)
        for name in ("mkdir", "replace", "rename", "unlink", "truncate", "chmod", "rmdir"):
            patch.setattr(os, name, refuse)
        yield "EROFS"


def test_a_read_only_data_folder_can_be_read_and_refuses_writes_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    a_group_with_history(root)
    group = HistoryStore(root).only_group()
    before = files(root)
    data = ["--data-dir", str(root)]
    with read_only(root) as how:
        assert main(["group", "list", *data]) == 0, capsys.readouterr().err
        assert "Torture" in capsys.readouterr().out
        # A recap: the torture group's names would be refused in a bundle (the doors').
        assert main(["export", group.id, "--all", "--format", "txt", *data]) == 0
        assert capsys.readouterr().out.count("session of ") == 1
        assert main(["group", "add", "New", "-m", "Ana", *data]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert ("Read-only" in err) or ("Permission denied" in err), (how, err)
        store = HistoryStore(root)
        with pytest.raises(UserError) as caught:
            LiveSession.start(store, store.only_group(), FakeClock(BASE_START.add(days=30)))
        assert "\n" not in str(caught.value)
        # The doctor can check a read-only folder; repairing it is refused in one line.
        assert main(["doctor", *data]) == 0, capsys.readouterr()
        assert "healthy" in capsys.readouterr().out
        assert main(["doctor", "--repair", *data]) == 1
        assert capsys.readouterr().err.count("\n") == 1
    assert files(root) == before


# ---------------------------------------------------------------------------
# A data file replaced by something else
# ---------------------------------------------------------------------------


def future(raw: bytes) -> bytes:
    tables = json.loads(raw)
    tables["_meta"]["1"]["schema"] = schema.SCHEMA_VERSION + 1
    return json.dumps(tables).encode()


REPLACEMENTS: dict[str, Callable[[bytes], bytes]] = {
    "garbage": lambda raw: b"\x00\xff\xfe garbage \x1b[31m",
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "not-documents": lambda raw: (
        b'{"_meta": {"1": {"schema": 1, "kind": "index"}}, "groups": {"1": 5}}'
    ),
    "bad-ids": lambda raw: b'{"_meta": {"1": {"schema": 1, "kind": "index"}}, "groups": {"x": {}}}',
    "a-list": lambda raw: b"[1, 2, 3]",
    "future-schema": future,
}


@pytest.mark.parametrize("replacement", list(REPLACEMENTS))
@pytest.mark.parametrize("which", ["index", "group"])
def test_a_replaced_data_file_is_refused_in_one_line_and_left_untouched(
    which: str, replacement: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    a_group_with_history(root)
    store = HistoryStore(root)
    group = store.only_group()
    target = (
        store.layout.index_file if which == "index" else store.layout.group_history_file(group.id)
    )
    target.write_bytes(REPLACEMENTS[replacement](target.read_bytes()))
    before = files(root)
    data = ["--data-dir", str(root)]
    commands = [["export", group.id, "--all", *data], ["group", "add", "X", "-m", "A", *data]]
    if which == "index":
        commands.append(["group", "list", *data])
    for command in commands:
        status = main(command)
        err = capsys.readouterr().err
        if which == "group" and command[0] == "group":
            assert status == 0, err  # the index is fine: groups can still be added
            continue
        assert status == 1, (command, err)
        assert err.count("\n") == 1, err
        assert target.name in err, err
    if which == "group":
        with pytest.raises(UserError) as caught:
            LiveSession.start(HistoryStore(root), group, FakeClock(BASE_START.add(days=30)))
        assert target.name in str(caught.value)
        assert not HistoryStore(root).layout.journal_file(group.id).exists()
    after = files(root)
    assert after[str(target.relative_to(root))] == before[str(target.relative_to(root))]
    if which == "index":
        assert after == before, "nothing may be written next to a damaged index"


async def test_the_app_survives_a_damaged_group_file(tmp_path: Path, notices: list[Notice]) -> None:
    """Opening a group whose file is damaged: a message, the home screen, no crash."""
    from peersession.tui.app import create_app
    from peersession.tui.screens.home import HomeScreen

    root = tmp_path / "data"
    a_group_with_history(root)
    group = HistoryStore(root).only_group()
    target = HistoryStore(root).layout.group_history_file(group.id)
    target.write_bytes(b"{ torn")
    app = create_app(data_dir=root, clock=FakeClock(pendulum.now("UTC")), start_group=group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        messages = [n.message for n in notices]
        assert any(target.name in m for m in messages), messages
    assert target.read_bytes() == b"{ torn"


# ---------------------------------------------------------------------------
# peersession doctor
# ---------------------------------------------------------------------------


def sessions_in(root: Path, count: int) -> str:
    """``count`` finished sessions of the torture group (each reviews the last one's
    commitments); returns the group id."""
    store = HistoryStore(root)
    group_id = make_torture_group(store)
    group = store.find_group(group_id)
    for number in range(count):
        clock = FakeClock(BASE_START.add(days=21 * number))
        live = LiveSession.start(store, group, clock)
        for entry in expected_entries(live.meeting.entries[0]):
            clock.set(entry.at)
            live.dispatch(entry.action)
        live.end()
    return group_id


def doctor(root: Path, capsys: pytest.CaptureFixture[str], *repair: str) -> tuple[int, str]:
    status = main(["doctor", "--data-dir", str(root), *repair])
    out = capsys.readouterr().out
    return status, out


def history_of(root: Path, group_id: str) -> tuple[list[Session], list[Any]]:
    store = HistoryStore(root)
    return store.sessions(group_id), store.commitments(group_id)


def test_doctor_says_a_healthy_folder_is_healthy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    sessions_in(root, 2)
    before = files(root)
    status, out = doctor(root, capsys)
    assert status == 0 and "healthy" in out
    assert "PROBLEM" not in out
    status, out = doctor(root, capsys, "--repair")
    assert status == 0 and "FIXED" not in out
    assert files(root) == before


def test_doctor_rebuilds_a_lost_group_file_from_the_retired_journals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No backup: the damaged file is kept, and every session comes back, in order,
    so reviews of earlier commitments are applied to them again."""
    root = tmp_path / "data"
    group_id = sessions_in(root, 3)
    sessions, commitments = history_of(root, group_id)
    path = root / "groups" / f"{group_id}.json"
    damaged = path.read_bytes()[:-100]
    path.write_bytes(damaged)
    status, out = doctor(root, capsys)
    assert status == 1 and "PROBLEM" in out and "--repair" in out
    assert path.read_bytes() == damaged, "checking alone changed the file"
    status, out = doctor(root, capsys, "--repair")
    # What the damaged file still holds comes back from it, the rest from the journals;
    # what was after the damage cannot be known, and the doctor says so.
    assert status == 1, out
    assert "rebuilt with" in out and "3 before" in out and "3 after" in out
    assert "could not be read to its end" in out and "healthy" not in out
    # The report says what the doctor did, in words: a repaired file was not "left
    # untouched", and its records are counted as people say them.
    assert "left untouched" not in out, out
    assert re.search(r"rebuilt with \d+ sessions?, \d+ commitments?, \d+ check-ins?\b", out), out
    assert history_of(root, group_id) == (sessions, commitments)
    kept = list((root / "backups").glob(f"{group_id}.damaged.*.json"))
    assert [p.read_bytes() for p in kept] == [damaged]
    # What the damage may have taken stays reported until it is acknowledged,
    # and checking (journals and all) still writes nothing.
    before = files(root)
    inodes = {p: p.stat().st_ino for p in root.rglob("*")}
    status, again = doctor(root, capsys)
    assert status == 1 and "could not be read to its end" in again
    assert files(root) == before
    assert {p: p.stat().st_ino for p in root.rglob("*")} == inodes, "a check rewrote a file"
    assert doctor(root, capsys, "--acknowledge")[0] == 0
    assert doctor(root, capsys)[0] == 0


def test_doctor_restores_a_damaged_index_from_the_newest_good_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    sessions_in(root, 1)
    index = root / "peersession.json"
    good = index.read_bytes()
    backups = root / "backups"
    backups.mkdir(mode=0o700)
    (backups / "peersession.schema1.20250101-000000.json").write_bytes(b"{not json")
    (backups / "peersession.schema1.20240101-000000.json").write_bytes(good)
    os.utime(backups / "peersession.schema1.20240101-000000.json", (1, 1))
    index.write_bytes(b"\x00garbage")
    index.chmod(0o600)
    status, out = doctor(root, capsys, "--repair")
    # Nothing of the damaged index could be read: what it held after the backup is unknown.
    assert status == 1 and "could not be read to its end" in out, out
    assert "1 backup" in out
    assert json.loads(index.read_bytes())["groups"] == json.loads(good)["groups"]
    assert [p.read_bytes() for p in backups.glob("peersession.damaged.*")] == [b"\x00garbage"]


def test_doctor_rebuilds_a_damaged_index_without_a_backup_from_the_journals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    group_id = sessions_in(root, 2)
    groups_before = [g.name for g in HistoryStore(root).groups()]
    (root / "peersession.json").write_bytes(b"")
    assert doctor(root, capsys)[0] == 1
    status, out = doctor(root, capsys, "--repair")
    assert status == 1 and "could not be read to its end" in out, out
    assert doctor(root, capsys)[0] == 1, "the loss is reported until acknowledged"
    assert doctor(root, capsys, "--acknowledge")[0] == 0
    assert doctor(root, capsys)[0] == 0, "repaired and acknowledged: healthy"
    store = HistoryStore(root)
    assert [g.name for g in store.groups()] == groups_before
    assert store.summaries()[group_id].sessions == 2


def test_doctor_commits_a_session_missing_from_the_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    group_id = sessions_in(root, 2)
    sessions, _ = history_of(root, group_id)
    path = root / "groups" / f"{group_id}.json"
    tables = json.loads(path.read_bytes())
    last = max(tables["sessions"], key=lambda k: tables["sessions"][k]["started_at"])
    del tables["sessions"][last]
    path.write_bytes(json.dumps(tables).encode())
    status, out = doctor(root, capsys)
    assert status == 1 and "missing from the history" in out
    status, out = doctor(root, capsys, "--repair")
    assert status == 0 and "rebuilt from this journal" in out
    assert [s.id for s in history_of(root, group_id)[0]] == [s.id for s in sessions]
    assert "summary" not in doctor(root, capsys)[1]


def test_doctor_cuts_a_torn_journal_tail_and_commits_an_ended_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    store = HistoryStore(root)
    group_id = make_torture_group(store)
    group = store.find_group(group_id)
    clock = FakeClock(BASE_START)
    live = LiveSession.start(store, group, clock)
    script = expected_entries(live.meeting.entries[0])
    for entry in script[:10]:
        clock.set(entry.at)
        live.dispatch(entry.action)
    live.suspend()
    journal_path = store.layout.journal_file(group_id)
    with journal_path.open("ab") as handle:
        handle.write(b'{"seq": 12, "at": "2026-')
    status, out = doctor(root, capsys)
    assert status == 1 and "torn" in out
    status, out = doctor(root, capsys, "--repair")
    assert status == 0 and "cut off" in out
    contents = read_journal(journal_path)
    assert not contents.torn_tail and len(contents.entries) == 11
    assert "in progress" in doctor(root, capsys)[1]
    # Ended, but the commit never happened: the doctor commits it.
    live = LiveSession.resume(store, group, clock)
    for entry in script[10:]:
        clock.set(entry.at)
        live.dispatch(entry.action)
    live.suspend()
    status, out = doctor(root, capsys)
    assert status == 1 and "not saved to the history" in out
    status, out = doctor(root, capsys, "--repair")
    assert status == 0 and "saved to the history and retired" in out
    assert not journal_path.exists()
    assert len(history_of(root, group_id)[0]) == 1


def test_doctor_recomputes_summaries_removes_temp_files_and_fixes_permissions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    group_id = sessions_in(root, 1)
    index = root / "peersession.json"
    tables = json.loads(index.read_bytes())
    tables["groups"]["1"]["summary"] = {"sessions": 7, "open_commitments": 1}
    index.write_bytes(json.dumps(tables).encode())
    stale = root / "groups" / f".{group_id}.json.999999999.tmp"
    stale.write_bytes(b"half")
    running = root / f".peersession.json.{os.getppid()}.tmp"
    running.write_bytes(b"in use")
    (root / "groups").chmod(0o755)
    index.chmod(0o644)
    status, out = doctor(root, capsys)
    assert status == 1
    assert "says 7 sessions" in out and "temporary file" in out and "0644" in out
    status, out = doctor(root, capsys, "--repair")
    assert status == 0, out
    assert HistoryStore(root).summaries()[group_id].sessions == 1
    assert not stale.exists() and running.exists(), "a running write's file is left alone"
    assert (index.stat().st_mode & 0o777) == 0o600
    assert ((root / "groups").stat().st_mode & 0o777) == 0o700


@pytest.mark.parametrize("damage", ["future-schema", "middle-of-journal"])
def test_doctor_leaves_what_it_cannot_repair_untouched_and_exits_1(
    damage: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    group_id = sessions_in(root, 1)
    if damage == "future-schema":
        target = root / "groups" / f"{group_id}.json"
        target.write_bytes(future(target.read_bytes()))
    else:
        target = next((root / "retired").glob("*.journal"))
        lines = target.read_bytes().split(b"\n")
        lines[3] = b"{damaged"
        target.write_bytes(b"\n".join(lines))
    before = files(root)
    status, out = doctor(root, capsys, "--repair")
    assert status == 1, out
    assert "PROBLEM" in out and "could not be repaired" in out
    assert files(root) == before
