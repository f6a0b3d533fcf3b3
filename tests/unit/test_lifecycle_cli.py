"""The doors of the member lifecycle: ``group edit --joined/--leave/--cancel-leave/--left``,
``--role`` naming a member away, ``start --guest``, ``export/search/history --for``.

Every refusal is one line and changes nothing on disk.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pendulum
import pytest

from peersession.cli import main
from peersession.core.model import Member
from peersession.store.history import HistoryStore

CIRCLE = ("--next", "2027-03-04", "--at", "16:00", "--tz", "Europe/London", "--every", "3w")


@pytest.fixture(autouse=True)
def command_line_today(monkeypatch: pytest.MonkeyPatch) -> None:
    now = pendulum.datetime(2026, 12, 1, 12, tz="UTC")
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: now)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def circle(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    d = ["--data-dir", str(data_dir)]
    members = ["-m", "Ana", "-m", "Bo", "-m", "Cy", "-m", "Zoë"]
    assert run(capsys, "group", "add", "Thursday Circle", *members, *CIRCLE, *d)[0] == 0
    return d


def edit(capsys: pytest.CaptureFixture[str], d: list[str], *args: str) -> tuple[int, str, str]:
    return run(capsys, "group", "edit", "Thursday Circle", *args, *d)


def member(data_dir: Path, name: str) -> Member:
    found = HistoryStore(data_dir).find_group("Thursday Circle").member_by_name(name)
    assert found is not None
    return found


def test_a_new_member_joins_today_and_leave_left_and_joined_are_said_back(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The founding members are with the group from its start; one added later
    # joins today.
    assert member(data_dir, "Ana").joined is None
    assert edit(capsys, circle, "--add-member", "Dee")[0] == 0
    assert member(data_dir, "Dee").joined == date(2026, 12, 1)
    code, out, err = edit(
        capsys,
        circle,
        *("--leave", "Ana=2027-02-01..2027-05-01", "--leave", "ana=2027-09-01..2027-09-30"),
        *("--joined", "Bo=2026-11-02", "--left", "Cy=2027-01-15"),
    )
    assert code == 0, err
    lines = out.splitlines()
    assert 'Thursday Circle: "Ana" on leave 2027-02-01..2027-05-01' in lines
    assert 'Thursday Circle: "Ana" on leave 2027-09-01..2027-09-30' in lines
    assert 'Thursday Circle: "Bo" joined on 2026-11-02' in lines
    assert any('"Cy" left on 2027-01-15 (kept in the history)' in line for line in lines)
    ana = member(data_dir, "Ana")
    assert [p.label() for p in ana.leave] == ["2027-02-01..2027-05-01", "2027-09-01..2027-09-30"]
    assert not member(data_dir, "Cy").active and member(data_dir, "Cy").left == date(2027, 1, 15)
    code, out, _ = edit(capsys, circle, "--cancel-leave", "Ana=2027-09-01..2027-09-30")
    assert code == 0
    assert out.splitlines() == ['Thursday Circle: "Ana": leave 2027-09-01..2027-09-30 taken back']
    assert len(member(data_dir, "Ana").leave) == 1
    # group show and its JSON list the dates.
    code, out, _ = run(capsys, "group", "show", "Thursday Circle", "--json", *circle)
    shown = {m["name"]: m for m in json.loads(out)["member_dates"]}
    assert shown["Ana"]["leave"] == [{"first": "2027-02-01", "last": "2027-05-01"}]
    assert shown["Ana"]["away_next_meeting"] == "on leave until 2027-05-01"
    assert shown["Bo"] == {
        "name": "Bo",
        "active": True,
        "joined": "2026-11-02",
        "leave": [],
        "left": None,
        "away_next_meeting": None,
    }
    code, out, _ = run(capsys, "group", "show", "Thursday Circle", *circle)
    assert "  members:  Ana (on leave until 2027-05-01), Bo, Zoë" in out
    assert "  leave:    Ana: 2027-02-01..2027-05-01" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--leave", "Ana=2027-05-01..2027-02-01"), "ends before it begins"),
        (("--leave", "Ana=2027-02-30..2027-03-01"), "not a date"),
        (("--leave", "Ana=2027-02-01"), "FIRST..LAST"),
        (("--leave", "Ana=0001-01-01..2027-01-01"), "between the years"),
        (("--leave", "Nobody=2027-02-01..2027-03-01"), "no member named"),
        (("--leave", "=2027-02-01..2027-03-01"), "takes NAME"),
        (
            ("--leave", "Ana=2027-02-01..2027-03-01", "--leave", "Ana=2027-02-15..2027-04-01"),
            "overlaps",
        ),
        (("--cancel-leave", "Ana=2027-02-01..2027-03-01"), "has no leave"),
        (("--joined", "Ana=yesterday"), "not a date"),
        (("--joined", "\u0410na=2027-01-01"), "no member named"),
        (("--left", "Ana=2026-01-01", "--joined", "Ana=2026-06-01"), "before they joined"),
        (("--left", "Ana", "--left", "Bo", "--left", "Cy", "--left", "Zoë"), "at least one"),
        (("--role", "host=Ana", "--leave", "Ana=2027-03-01..2027-03-10"), "on leave until"),
    ],
)
def test_a_bad_lifecycle_edit_is_one_line_and_changes_nothing(
    circle: list[str],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    says: str,
) -> None:
    before = files(data_dir)
    code, out, err = edit(capsys, circle, *args)
    assert code == 1 and out == ""
    assert says in err and err.count("\n") == 1, err
    assert files(data_dir) == before


def test_names_are_matched_as_every_door_matches_them(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Zoë typed decomposed (e + combining diaeresis) and in capitals finds her.
    code, _, err = edit(capsys, circle, "--leave", "ZOE\u0308=2027-02-01..2027-02-28")
    assert code == 0, err
    assert member(data_dir, "Zoë").leave


def test_a_role_for_a_member_on_leave_at_the_next_session_is_refused(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert edit(capsys, circle, "--leave", "Ana=2027-02-01..2027-05-01")[0] == 0
    before = files(data_dir)
    code, _, err = edit(capsys, circle, "--role", "host=Ana")
    assert code == 1
    assert "Ana" in err and "is on leave until 2027-05-01" in err
    assert "(the next session is on 2027-03-04)" in err and err.count("\n") == 1
    assert files(data_dir) == before
    # Nor does the rota propose her.
    code, out, _ = run(capsys, "group", "show", "Thursday Circle", "--json", *circle)
    holders = {h["member"] for h in json.loads(out)["next_session_roles"]}
    assert "Ana" not in holders and len(holders) == 2


def test_a_former_member_cannot_be_given_a_role(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert edit(capsys, circle, "--left", "Bo")[0] == 0
    code, _, err = edit(capsys, circle, "--role", "host=Bo")
    assert code == 1 and "no active member" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("guest", "says"),
    [("ana", "is a member of"), ("", "cannot be empty"), ("Dr\u202eLee", "bidi overrides")],
)
def test_a_guest_named_like_a_member_or_not_a_name_is_refused_before_the_screen(
    circle: list[str], capsys: pytest.CaptureFixture[str], guest: str, says: str
) -> None:
    code, _, err = run(capsys, "start", "Thursday Circle", "--guest", guest, *circle)
    assert code == 1 and "--guest" in err and says in err and err.count("\n") == 1, err


def test_export_and_search_for_a_member_not_in_the_group_are_refused(
    circle: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "export", "Thursday Circle", "--for", "Nobody", *circle)
    assert code == 1 and "no member named" in err
    code, _, err = run(capsys, "search", "grant", "--for", "Ana", *circle)
    assert code == 1 and "--group" in err


def test_a_member_who_leaves_gives_up_the_role_chosen_for_them(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert edit(capsys, circle, "--role", "host=Bo")[0] == 0
    code, out, _ = edit(capsys, circle, "--left", "Bo")
    assert code == 0
    assert "Thursday Circle: next session: the rota proposes every role" in out.splitlines()
    assert HistoryStore(data_dir).find_group("Thursday Circle").next_roles == ()


def test_history_for_a_name_the_group_lacks_is_one_line_before_the_screen(
    circle: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "history", "Thursday Circle", "--for", "Nobody", *circle)
    assert code == 1 and "--for" in err and "no member named" in err and err.count("\n") == 1
