"""``peersession report``: the group's outcomes by year, with consented wins only.

A two-year history is made the way meetings make it (``LiveSession``): three
sessions, wins of every kind of consent and privacy, commitments reviewed or
not. The commands' "now" is 2026-03-06.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.core.record_types import read_as
from peersession.core.records import Goal
from peersession.core.report import goals_reached_by_year, outcomes_report
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.store.live import LiveSession

NOW = pendulum.datetime(2026, 3, 6, 12, tz="UTC")
#: Names that cannot turn up inside another word of the report by chance.
ANNELIESE, BARTHOLOMEW, CYRIELLE = "Anneliese Quist", "Bartholomew Okonkwo", "Cyrielle Zhao"
MEMBER_NAMES = (ANNELIESE, BARTHOLOMEW, CYRIELLE)
GRANT_TEXT = "R01 *funded* [b]at last[/b] <script>"
SECRET_AWARD = "Secret award nobody may know of"
BART_PROMOTION = "Promoted to associate professor"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: NOW)


def _session(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    attendance: dict[str, str],
    actions: list[ev.Action],
) -> None:
    live = LiveSession.start(store, group, clock)
    for member in group.members:
        live.dispatch(ev.AttendanceMarked(member_id=member.id, status=attendance[member.name]))
    for action in actions:
        clock.advance(1)
        live.dispatch(action)
    live.end()


@pytest.fixture
def history(store: HistoryStore) -> Group:
    group = new_group("Circle", list(MEMBER_NAMES))
    store.add_group(group)
    ann, bart, cyr = (m.id for m in group.members)
    clock = FakeClock(pendulum.datetime(2025, 3, 6, 17, tz="UTC"))
    _session(
        store,
        group,
        clock,
        {ANNELIESE: "present", BARTHOLOMEW: "present", CYRIELLE: "absent"},
        [
            ev.WinAdded(win_id="w1", member_id=ann, kind="grant", text=GRANT_TEXT),
            ev.WinAdded(win_id="w2", member_id=bart, kind="promotion", text=BART_PROMOTION),
            ev.WinAdded(win_id="w3", member_id=ann, kind="award", text=SECRET_AWARD, private=True),
            ev.CommitmentAdded(commitment_id="c1", owner=ann, text="Draft", due="2025-03-20"),
            ev.CommitmentAdded(commitment_id="c2", owner=bart, text="Read", due="2025-03-20"),
            ev.CommitmentAdded(
                commitment_id="c3", owner=cyr, text="Hidden", due="2025-03-20", private=True
            ),
        ],
    )
    clock.advance(minutes=28 * 24 * 60)
    _session(
        store,
        group,
        clock,
        {ANNELIESE: "present", BARTHOLOMEW: "present", CYRIELLE: "present"},
        [
            ev.ReviewMarked(commitment_id="c1", status="done"),
            ev.ReviewMarked(commitment_id="c2", status="not_done"),
            ev.ReviewMarked(commitment_id="c3", status="done"),
            ev.WinAdded(win_id="w4", member_id=cyr, kind="publication", text="Paper out"),
        ],
    )
    clock.advance(minutes=287 * 24 * 60)  # into January 2026
    _session(
        store,
        group,
        clock,
        {ANNELIESE: "present", BARTHOLOMEW: "late", CYRIELLE: "absent"},
        [
            ev.WinAdded(win_id="w5", member_id=ann, kind="promotion", text="Tenure"),
            ev.WinAdded(win_id="w6", member_id=cyr, kind="personal", text="Ran a marathon"),
            ev.WinAdded(win_id="w7", member_id=bart, kind="other", text="New lab space"),
            ev.CommitmentAdded(commitment_id="c4", owner=ann, text="Plan", due="2026-01-29"),
        ],
    )
    return group


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    return code, out, err


def consent(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(
        capsys,
        data_dir,
        *("group", "edit", "Circle", "--share-wins", "Anneliese=yes"),
        *("--share-wins", f"{CYRIELLE}=yes", "--share-wins", "bartholomew okonkwo=no"),
    )
    assert code == 0, err
    assert out.splitlines() == [
        f'Circle: wins of "{ANNELIESE}": in the report',
        f'Circle: wins of "{CYRIELLE}": in the report',
    ]


def report_json(capsys: pytest.CaptureFixture[str], data_dir: Path, *extra: str) -> Any:
    code, out, err = run(capsys, data_dir, "report", "Circle", "--format", "json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_counts_are_right_for_two_years(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consent(capsys, data_dir)
    report = report_json(capsys, data_dir)
    y2025, y2026 = report["years"]
    assert (y2025["year"], y2026["year"]) == (2025, 2026)
    assert (y2025["sessions"], y2026["sessions"]) == (2, 1)
    # 2025: Anneliese's grant and Cyrielle's paper; Bartholomew did not consent,
    # and the private award stays out.
    assert y2025["wins_by_kind"] == {
        "promotion": 0,
        "grant": 1,
        "publication": 1,
        "award": 0,
        "personal": 0,
        "other": 0,
    }
    assert y2026["wins_by_kind"]["promotion"] == 1 and y2026["wins_by_kind"]["personal"] == 1
    assert y2026["wins_by_kind"]["other"] == 0  # Bartholomew's lab space
    # Present (or late) of expected: 2 of 3, then 3 of 3; in 2026 2 of 3.
    assert y2025["attendance"] == {"part": 5, "whole": 6}
    assert y2026["attendance"] == {"part": 2, "whole": 3}
    # Made in 2025 and public: c1 done, c2 not done (c3 is private). 2026: c4 is due, open.
    assert y2025["completion"] == {"part": 1, "whole": 2}
    assert y2026["completion"] == {"part": 0, "whole": 1}
    assert report["sharing_wins"] == 2 and report["members"] == 3
    assert report["sharing_names"] == [ANNELIESE, CYRIELLE]
    texts = [w["text"] for y in report["years"] for w in y["wins"]]
    assert texts == [GRANT_TEXT, "Paper out", "Tenure", "Ran a marathon"]
    assert report["goals_counted"] is False and "goals_reached" not in y2025


def test_without_consent_no_win_is_reported(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = report_json(capsys, data_dir)
    assert all(y["wins"] == [] for y in report["years"])
    assert all(sum(y["wins_by_kind"].values()) == 0 for y in report["years"])
    # The other figures do not depend on consent.
    assert report["years"][0]["attendance"] == {"part": 5, "whole": 6}


@pytest.mark.parametrize("form", ["md", "txt", "json"])
def test_non_consented_and_private_wins_stay_out_of_every_format(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    consent(capsys, data_dir)
    code, out, err = run(capsys, data_dir, "report", "Circle", "--format", form)
    assert code == 0, err
    assert "Tenure" in out and "Paper out" in out
    for left_out in (SECRET_AWARD, BART_PROMOTION, "New lab space", "Hidden"):
        assert left_out not in out
    assert BARTHOLOMEW not in out


@pytest.mark.parametrize("form", ["md", "txt", "json"])
def test_anonymous_names_no_one(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    consent(capsys, data_dir)
    code, out, err = run(capsys, data_dir, "report", "Circle", "--format", form, "--anonymous")
    assert code == 0, err
    for name in MEMBER_NAMES:
        for part in name.split():
            assert part not in out, f"{part!r} in the anonymous {form} report"
    # Texts are the members' own words (they may name someone): left out too.
    assert "Tenure" not in out and "R01" not in out
    # The wins are still counted and listed, by kind and month.
    assert "2025-03" in out and "grant" in out
    assert "2025-03-06" not in out


def test_anonymous_json_lists_wins_by_kind_and_month_only(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consent(capsys, data_dir)
    report = report_json(capsys, data_dir, "--anonymous")
    assert report["years"][0]["wins"] == [
        {"when": "2025-03", "kind": "grant"},
        {"when": "2025-04", "kind": "publication"},
    ]
    assert "sharing_names" not in report and report["anonymous"] is True


def test_markdown_and_text_show_wins_literally(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    consent(capsys, data_dir)
    _, md, _ = run(capsys, data_dir, "report", "Circle", "--format", "md")
    assert r"R01 \*funded\* \[b\]at last\[/b\] \<script\>" in md
    assert "<script>" not in md
    _, txt, _ = run(capsys, data_dir, "report", "Circle", "--format", "txt")
    # Wrapped to 76 columns under a hanging indent, the words as typed.
    assert all(len(line) <= 76 for line in txt.splitlines())
    assert f"- 2025-03-06 · grant · Anneliese Quist: {GRANT_TEXT}" in " ".join(txt.split())


def test_year_keeps_one_year(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = report_json(capsys, data_dir, "--year", "2026")
    assert [y["year"] for y in report["years"]] == [2026]
    quiet = report_json(capsys, data_dir, "--year", "2024")
    assert quiet["years"][0]["sessions"] == 0 and quiet["years"][0]["wins"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "Circle", "--year", "20x6"], "--year takes a year from 1970 to 2027"),
        (["report", "Circle", "--year", "1850"], "not '1850'"),
        (["report", "Circle", "--year", "\x1b[2J"], "--year takes a year"),
        (["report", "Nowhere"], "Nowhere"),
        (["group", "edit", "Circle", "--share-wins", "Anneliese=maybe"], "NAME=yes or NAME=no"),
        (["group", "edit", "Circle", "--share-wins", "=yes"], "NAME=yes or NAME=no"),
        (["group", "edit", "Circle", "--share-wins", "Zed=yes"], "no member named 'Zed'"),
    ],
)
def test_bad_options_are_refused_in_one_line(
    history: Group,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    before = (data_dir / "index.json").read_bytes() if (data_dir / "index.json").exists() else b""
    code, out, err = run(capsys, data_dir, *args)
    assert (code, out) == (1, "")
    assert message in err and err.count("\n") == 1 and "\x1b" not in err
    after = (data_dir / "index.json").read_bytes() if (data_dir / "index.json").exists() else b""
    assert before == after


def test_an_unknown_format_is_a_usage_error(
    history: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["report", "Circle", "--format", "pdf", "--data-dir", str(data_dir)])
    assert stopped.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_goals_are_counted_when_the_file_keeps_them(history: Group, store: HistoryStore) -> None:
    documents = store.group_documents(history.id)

    def goal(number: int, status: str, private: bool, updated_at: str) -> Goal:
        return read_as(
            Goal,
            {
                "id": f"goal{number}",
                "group_id": history.id,
                "owner": history.members[0].id,
                "title": f"Goal {number}",
                "by": None,
                "measure": None,
                "status": status,
                "private": private,
                "win_ids": [],
                "created_at": "2025-01-01T10:00:00+00:00",
                "updated_at": updated_at,
            },
        )

    goals = [
        goal(1, "reached", False, "2025-06-01T10:00:00+00:00"),
        goal(2, "reached", False, "2026-02-01T10:00:00+00:00"),
        goal(3, "reached", True, "2025-06-01T10:00:00+00:00"),  # private: left out
        goal(4, "active", False, "2025-06-01T10:00:00+00:00"),
        goal(5, "dropped", False, "2026-06-01T10:00:00+00:00"),
    ]
    # Counted in the year it was last changed (reached), in the zone given.
    assert goals_reached_by_year(goals) == {2025: 1, 2026: 1}
    late = [goal(6, "reached", False, "2025-12-31T23:30:00+00:00")]
    assert goals_reached_by_year(late, ZoneInfo("Europe/Berlin")) == {2026: 1}
    report = outcomes_report(
        history,
        documents.sessions,
        documents.commitments,
        today=NOW.date(),
        goals=goals,
    )
    assert report.goals_counted
    assert [y.goals_reached for y in report.years] == [1, 1]
    without = outcomes_report(history, documents.sessions, documents.commitments, today=NOW.date())
    assert not without.goals_counted and without.years[0].goals_reached is None


def test_consent_is_kept_and_older_groups_read_as_not_sharing(
    history: Group, data_dir: Path, store: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    consent(capsys, data_dir)
    kept = {m.name: m.shares_wins for m in store.find_group("Circle").members}
    assert kept == {ANNELIESE: True, BARTHOLOMEW: False, CYRIELLE: True}
    code, out, _ = run(capsys, data_dir, "group", "edit", "Circle", "--share-wins", "Anne=no")
    assert code == 0 and out == f'Circle: wins of "{ANNELIESE}": left out of the report\n'
    # A member document written before the field existed reads as not sharing.
    doc = history.to_doc()
    for member in doc["members"]:
        member.pop("shares_wins", None)  # written only when true
    assert not any(m.shares_wins for m in Group.from_doc(doc).members)
