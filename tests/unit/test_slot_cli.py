"""Setting the slot from the command line, and what a session does to it."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession

CIRCLE = ("--next", "2027-01-07", "--at", "16:00", "--tz", "Europe/London", "--every", "3w")


@pytest.fixture(autouse=True)
def command_line_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' "now", so dates in 2027 stay in the future whenever this runs."""
    now = pendulum.datetime(2026, 12, 1, 12, tz="UTC")
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: now)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def circle(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, out, _ = run(
        capsys,
        "group",
        "add",
        "Circle",
        "-m",
        "Ana",
        "-m",
        "Bo",
        *CIRCLE,
        "--data-dir",
        str(data_dir),
    )
    assert code == 0
    assert "every 3 weeks on Thursday at 16:00 (Europe/London)" in out
    assert "Thu 7 Jan 2027 16:00 Europe/London" in out
    return data_dir


def test_a_new_group_shows_the_machines_zone_it_was_given(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "group", "add", "G", "-m", "Ana", "--data-dir", str(data_dir))
    assert code == 0 and "is this machine's; change it with --tz" in out
    assert "(UTC)" in out  # the tests' machine is set to UTC


def test_show_gives_the_weekday_and_the_viewers_own_time(
    circle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pendulum.set_local_timezone(pendulum.timezone("Asia/Tokyo"))
    try:
        code, out, _ = run(capsys, "group", "show", "Circle", "--data-dir", str(circle))
    finally:
        pendulum.set_local_timezone(pendulum.timezone("UTC"))
    assert code == 0
    assert "next:     Thu 7 Jan 2027 16:00 Europe/London (Fri 8 Jan 01:00 your time)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--tz", "Mars/Base"), "unknown time zone: 'Mars/Base'"),
        (("--at", "25:00"), "not a time of day: '25:00'"),
        (("--next", "2020-01-01"), "that date is in the past"),
        (("--next", "2040-01-01"), "more than 5 years ahead"),
        (("--move", "2027-01-28=2027-02-18"), "already has a meeting"),
        (("--move", "2027-01-28=9999-12-31"), "more than 5 years ahead"),
        (("--move", "2027-01-28"), "a move is DATE=NEWDATE"),
        (("--skip", "2027-01-29"), "no meeting on Fri 29 Jan 2027"),
    ],
)
def test_bad_slot_input_is_one_line_and_changes_nothing(
    circle: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    before = files(circle)
    code, out, err = run(capsys, "group", "edit", "Circle", *args, "--data-dir", str(circle))
    assert code == 1 and out == ""
    assert err.startswith("peersession: ") and err.count("\n") == 1 and message in err, err
    assert files(circle) == before


@pytest.mark.parametrize(
    "args", [("--tz", "Nowhere/Land"), ("--at", "25:00"), ("--next", "2020-01-01")]
)
def test_bad_slot_input_creates_no_group(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, _, err = run(capsys, "group", "add", "G", "-m", "Ana", *args, "--data-dir", str(data_dir))
    assert code == 1 and err.count("\n") == 1
    assert not data_dir.exists() or not HistoryStore(data_dir).groups()


def test_a_late_session_proposes_the_slots_next_date_and_a_changed_one_moves_one_meeting(
    circle: Path,
) -> None:
    store = HistoryStore(circle)
    group = store.find_group("Circle")
    late = pendulum.datetime(2027, 1, 7, 16, 12, tz="Europe/London")
    clock = FakeClock(late.in_timezone("UTC"))
    live = LiveSession.start(store, group, clock)
    assert live.meeting.next_meeting == "2027-01-28"  # not 7 Jan + 21 days at 16:12
    clock.advance(minutes=60)
    live.dispatch(ev.NextMeetingSet(date="2027-01-29"))
    live.end()
    after = store.find_group("Circle")
    assert after.slot is not None and group.slot is not None
    assert after.slot.moved == {pendulum.date(2027, 1, 28): pendulum.date(2027, 1, 29)}
    assert after.slot.anchor == group.slot.anchor and after.slot.at == group.slot.at
    assert after.slot.sequence == group.slot.sequence + 1
    # The next session, on the moved day, proposes the series' next date.
    clock.set(pendulum.datetime(2027, 1, 29, 16, 0, tz="Europe/London").in_timezone("UTC"))
    live = LiveSession.start(store, after, clock)
    assert live.meeting.next_meeting == "2027-02-18"
    live.suspend()


def test_a_slot_on_a_time_the_clocks_skip_or_repeat_gets_a_clear_note(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        *("group", "add", "Night Owls", "-m", "Ana", "--every", "1w", "--next", "2027-03-21"),
        *("--at", "01:30", "--tz", "Europe/London", "--data-dir", str(data_dir)),
    )
    assert code == 0
    notes = [line for line in out.splitlines() if line.strip().startswith("note:")]
    assert any("Sun 28 Mar 2027 01:30 does not exist" in n and "02:30" in n for n in notes)
    assert any("Sun 31 Oct 2027 01:30 happens twice" in n for n in notes)
