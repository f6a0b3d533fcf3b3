"""A member's commitments as calendar to-dos (exports/ics_todos.py), read back by two parsers.

Every export is parsed by icalendar and by ``ical`` (an independent, strict
RFC 5545 implementation), so a to-do that only our own library would accept
fails here. The clock: the session is on 2026-03-05, and the commands' "now"
is 2026-03-06.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from peersession.cli import checkin_cmd, main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.core.record_types import read_as
from peersession.core.session_records import Commitment
from peersession.exports.ics_todos import member_todos, todo_uid
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession

NOW = pendulum.datetime(2026, 3, 6, 12, tz="UTC")
DRAFT = "c1000000000a"
CHAIR = "c1000000000b"
SECRET = "c1000000000c"
BOS = "c1000000000d"
#: Everything iCalendar escapes, and what Markdown or a shell would read: kept literally.
DRAFT_TEXT = "Send the R01 draft; to Maria, \\N [b]now[/b] $HOME"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: NOW)
    monkeypatch.setattr(checkin_cmd, "CLOCK", clock)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def circle(
    data_dir: Path, store: HistoryStore, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> Group:
    """A group with a slot; Ana made three commitments (one private), Bo one."""
    code, _, err = run(
        capsys,
        *("group", "add", "Circle", "-m", "Ana", "-m", "Bo"),
        *("--next", "2026-03-12", "--at", "16:00", "--tz", "Europe/London"),
        *("--data-dir", str(data_dir)),
    )
    assert code == 0, err
    group = store.find_group("Circle")
    ana, bo = group.members
    live = LiveSession.start(store, group, clock)
    for commitment_id, owner, text, due, private in (
        (DRAFT, ana.id, DRAFT_TEXT, "2026-03-20", False),
        (CHAIR, ana.id, "Book a meeting with the chair", "2026-04-02", False),
        (SECRET, ana.id, "Ask about the retention offer", "2026-03-25", True),
        (BOS, bo.id, "Finish the review", "2026-03-19", False),
    ):
        clock.advance(1)
        live.dispatch(
            ev.CommitmentAdded(
                commitment_id=commitment_id, owner=owner, text=text, due=due, private=private
            )
        )
    live.end()
    clock.advance(minutes=24 * 60)
    return group


def export_bytes(capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str) -> bytes:
    code, out, err = run(
        capsys,
        "export",
        "Circle",
        "--format",
        "ics",
        "-m",
        "Ana",
        "--data-dir",
        str(data_dir),
        *extra,
    )
    assert code == 0, err
    return out.encode("utf-8")


def todos_of(data: bytes) -> dict[str, Any]:
    """icalendar's reading: each VTODO by the commitment id in its UID."""
    calendar = Calendar.from_ical(data)
    return {str(t["UID"]).split("-todo-")[0]: t for t in calendar.walk("VTODO")}


def second_reading(data: bytes) -> dict[str, Any]:
    """``ical``'s reading (it refuses what RFC 5545 does not allow)."""
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {t.uid.split("-todo-")[0]: t for t in calendar.todos}


def test_each_open_commitment_is_a_todo_with_due_date_and_alarm(
    circle: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = export_bytes(capsys, data_dir)
    todos = todos_of(data)
    # Ana's public commitments only: not Bo's, not her private one.
    assert set(todos) == {DRAFT, CHAIR}
    draft = todos[DRAFT]
    assert str(draft["SUMMARY"]) == DRAFT_TEXT
    assert draft.decoded("DUE") == date(2026, 3, 20)
    assert str(draft["STATUS"]) == "NEEDS-ACTION"
    assert int(draft["SEQUENCE"]) == 0
    [alarm] = draft.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].params["RELATED"] == "END"
    # Two days before the due date, at 09:00 on that day.
    assert alarm.decoded("TRIGGER") == timedelta(days=-2, hours=9)
    assert DRAFT_TEXT in str(alarm["DESCRIPTION"])
    # The meeting series is still there, beside the to-dos.
    assert len(Calendar.from_ical(data).walk("VEVENT")) == 1

    other = second_reading(data)
    assert set(other) == {DRAFT, CHAIR}
    assert other[DRAFT].summary == DRAFT_TEXT
    assert other[DRAFT].due == date(2026, 3, 20)
    assert other[DRAFT].sequence == 0
    [second_alarm] = other[DRAFT].alarms
    assert str(second_alarm.action) == "DISPLAY"
    assert second_alarm.trigger == timedelta(days=-2, hours=9)


def test_uids_are_stable_across_exports_and_name_group_and_commitment(
    circle: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = todos_of(export_bytes(capsys, data_dir))
    again = todos_of(export_bytes(capsys, data_dir))
    assert {str(t["UID"]) for t in first.values()} == {str(t["UID"]) for t in again.values()}
    assert str(first[DRAFT]["UID"]) == todo_uid(circle.id, DRAFT)
    assert circle.id in str(first[DRAFT]["UID"])


def test_a_reexport_after_a_checkin_marks_the_done_one_completed_with_a_higher_sequence(
    circle: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = todos_of(export_bytes(capsys, data_dir))
    code, _, err = run(
        capsys, "checkin", "Circle", "-m", "Ana", "--done", DRAFT, "--data-dir", str(data_dir)
    )
    assert code == 0, err
    data = export_bytes(capsys, data_dir)
    after = todos_of(data)
    done = after[DRAFT]
    assert str(done["UID"]) == str(before[DRAFT]["UID"])
    assert str(done["STATUS"]) == "COMPLETED"
    assert int(done["SEQUENCE"]) > int(before[DRAFT]["SEQUENCE"])
    assert done.walk("VALARM") == []  # nothing left to remind
    assert "COMPLETED" in done
    # The one not answered is as it was.
    assert int(after[CHAIR]["SEQUENCE"]) == int(before[CHAIR]["SEQUENCE"])
    assert str(after[CHAIR]["STATUS"]) == "NEEDS-ACTION"

    other = second_reading(data)
    assert other[DRAFT].status == "COMPLETED"
    assert other[DRAFT].sequence == int(done["SEQUENCE"])
    assert other[DRAFT].completed is not None


def test_a_private_checkin_stays_out_of_the_calendar_unless_asked(
    circle: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        *("checkin", "Circle", "-m", "Ana", "--done", DRAFT, "--private"),
        *("--data-dir", str(data_dir)),
    )
    assert code == 0, err
    shared = todos_of(export_bytes(capsys, data_dir))
    assert str(shared[DRAFT]["STATUS"]) == "NEEDS-ACTION"
    assert int(shared[DRAFT]["SEQUENCE"]) == 0
    mine = todos_of(export_bytes(capsys, data_dir, "--include-private"))
    assert str(mine[DRAFT]["STATUS"]) == "COMPLETED"
    assert set(mine) == {DRAFT, CHAIR, SECRET}
    assert str(mine[SECRET]["CLASS"]) == "CONFIDENTIAL"


def test_remind_days_moves_the_alarm(
    circle: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for days in ("0", "7", "60"):
        data = export_bytes(capsys, data_dir, "--remind-days", days)
        [alarm] = todos_of(data)[DRAFT].walk("VALARM")
        assert alarm.decoded("TRIGGER") == timedelta(days=-int(days), hours=9)
        [second] = second_reading(data)[DRAFT].alarms
        assert second.trigger == timedelta(days=-int(days), hours=9)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-m", "Zed"], "no member named 'Zed' in 'Circle'"),
        (["-m", "Ana", "--remind-days", "61"], "from 0 to 60, not '61'"),
        (["-m", "Ana", "--remind-days", "-1"], "from 0 to 60, not '-1'"),
        (["-m", "Ana", "--remind-days", "two"], "from 0 to 60, not 'two'"),
        (["-m", "Ana", "--remind-days", "\x1b[31m"], "from 0 to 60"),
        (["--remind-days", "3"], "--remind-days goes with --member"),
    ],
)
def test_bad_options_are_refused_in_one_line(
    circle: Group,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    code, out, err = run(
        capsys, "export", "Circle", "--format", "ics", "--data-dir", str(data_dir), *extra
    )
    assert (code, out) == (1, "")
    assert message in err and err.count("\n") == 1 and "\x1b" not in err


def test_member_is_refused_with_another_format(
    circle: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "export", "Circle", "--format", "md", "-m", "Ana", "--data-dir", str(data_dir)
    )
    assert code == 1 and "--member and --remind-days are for --format ics" in err


def test_a_group_without_a_slot_still_gets_its_todos(
    group: Group,
    store: HistoryStore,
    data_dir: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    live = LiveSession.start(store, group, clock)
    live.dispatch(
        ev.CommitmentAdded(
            commitment_id=DRAFT, owner=group.members[0].id, text="Write", due="2026-03-20"
        )
    )
    live.end()
    code, out, err = run(
        capsys, "export", group.name, "--format", "ics", "-m", "Ana", "--data-dir", str(data_dir)
    )
    assert code == 0, err
    assert set(todos_of(out.encode())) == {DRAFT}
    assert Calendar.from_ical(out.encode()).walk("VEVENT") == []
    assert set(second_reading(out.encode())) == {DRAFT}


def _doc(
    commitment_id: str, owner: str, *, due: str | None, reviews: list[dict[str, Any]]
) -> Commitment:
    return read_as(
        Commitment,
        {
            "id": commitment_id,
            "group_id": "g",
            "owner": owner,
            "text": "Write",
            "due": due,
            "private": False,
            "made_at": "2026-01-01T10:00:00+00:00",
            "made_in": "s",
            "from_ask": None,
            "reviews": reviews,
            "updated_at": "2026-01-01T10:00:00+00:00",
        },
    )


def test_no_due_date_means_no_due_and_no_alarm_and_old_closed_ones_leave(
    circle: Group,
) -> None:
    ana = circle.members[0]
    done_long_ago: dict[str, Any] = {
        "at": "2026-01-02T10:00:00+00:00",
        "status": "done",
        "source": "checkin",
    }
    docs = [
        _doc("undated", ana.id, due=None, reviews=[]),
        _doc("finished", ana.id, due="2026-01-05", reviews=[done_long_ago]),
    ]
    soon = member_todos(circle, ana, docs, today=date(2026, 3, 1))
    assert [str(t["UID"]).split("-todo-")[0] for t in soon] == ["undated", "finished"]
    undated = soon[0]
    assert "DUE" not in undated and undated.walk("VALARM") == []
    # More than 90 days after it closed, a done commitment is no longer listed.
    later = member_todos(circle, ana, docs, today=date(2026, 6, 1))
    assert [str(t["UID"]).split("-todo-")[0] for t in later] == ["undated"]


def test_a_commitment_due_in_a_leave_has_no_alarm(circle: Group) -> None:
    from msgspec.structs import replace

    from peersession.core.lifecycle import Leave

    ana = replace(circle.members[0], leave=(Leave(date(2026, 3, 1), date(2026, 4, 30)),))
    docs = [
        _doc("in-leave", ana.id, due="2026-03-15", reviews=[]),
        _doc("after-it", ana.id, due="2026-05-15", reviews=[]),
    ]
    paused, after = member_todos(circle, ana, docs, today=date(2026, 2, 1))
    assert "DUE" in paused and paused.walk("VALARM") == [], "nothing reminds them on leave"
    assert len(after.walk("VALARM")) == 1
