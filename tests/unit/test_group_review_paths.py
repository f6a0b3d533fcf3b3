"""The group's own review through every path its data travels (issue 25): live
sessions on disk (kill -9 and resume), the group file, a bundle exported and
imported elsewhere, `group show`, the report; the goals review updates the
goal's status when the session is saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from msgspec import UNSET
from msgspec.structs import replace

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.goals import new_goal
from peersession.core.health import QUESTIONS, checks, trend
from peersession.core.model import Group
from peersession.core.record_types import stored
from peersession.core.records import Goal
from peersession.store import goals as goal_store
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def crash(live: LiveSession) -> None:
    """What kill -9 leaves: the journal as written, the lock released by the OS."""
    live.journal.close()
    live.lock.release()


def hold_session(
    store: HistoryStore, group: Group, clock: FakeClock, scores: tuple[int, ...] | None
) -> LiveSession:
    """One session; at its Close every member present gives ``scores`` (when it
    has a check), with a kill -9 and a resume in the middle of the answers."""
    live = LiveSession.start(store, group, clock)
    clock.advance(60)
    live.dispatch(ev.PhaseJumped(phase="close"))
    assert live.meeting.has_health_check == (scores is not None)
    if scores is not None:
        first, *others = live.meeting.attended
        for question, score in zip(QUESTIONS, scores, strict=True):
            live.dispatch(ev.HealthScored(member_id=first, question=question, score=score))
        crash(live)
        live = LiveSession.resume(store, group, clock)
        assert len(live.meeting.health_scores[first]) == len(QUESTIONS), "kept over the kill"
        for member_id in others:
            for question, score in zip(QUESTIONS, scores, strict=True):
                live.dispatch(ev.HealthScored(member_id=member_id, question=question, score=score))
    return live


def test_a_check_every_three_sessions_is_kept_in_3_and_6_and_travels(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys, "group", "edit", group.name, "--health-every", "3", "--data-dir", str(data_dir)
    )
    assert code == 0 and "health check every 3 sessions" in out
    group = store.find_group(group.id)
    answers = {3: (5, 2, 4, 4, 5), 6: (5, 4, 4, 4, 5)}
    for number in range(1, 7):
        hold_session(store, group, clock, answers.get(number)).end()
        clock.advance(21 * 24 * 3600)
    sessions = store.sessions(group.id)
    assert [i for i, s in enumerate(sessions, 1) if s.health is not UNSET] == [3, 6]
    focus = {t.question: t for t in trend(checks(sessions))}["focus"]
    assert focus.means == (2.0, 4.0) and focus.figure() == "4.0↑"

    # A bundle carries the checks to another machine, unchanged.
    bundle = tmp_path / "circle.json"
    code, _, err = run(
        capsys, "export", group.name, "--all", "--format", "json", "-o", str(bundle),
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    elsewhere = tmp_path / "elsewhere"
    code, _, err = run(capsys, "import", str(bundle), "--data-dir", str(elsewhere))
    assert code == 0, err
    imported = HistoryStore(elsewhere).sessions(group.id)
    assert [s.health for s in imported] == [s.health for s in sessions]

    # The report's health trend for the year.
    code, out, _ = run(
        capsys, "report", group.name, "--format", "json", "--data-dir", str(data_dir)
    )
    year = json.loads(out)["years"][-1]
    assert year["health_checks"] == 2 and year["health"]["focus"] == 3.0
    code, out, _ = run(capsys, "report", group.name, "--format", "txt", "--data-dir", str(data_dir))
    assert "Health:" in out and "2 checks" in out and "Focus 3.0" in out


def test_a_low_check_is_on_the_next_opening_and_in_group_show(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    group = replace(group, health_every=1)
    store.save_group(group)
    hold_session(store, group, clock, (2, 5, 5, 1, 5)).end()
    code, out, _ = run(capsys, "group", "show", group.name, "--data-dir", str(data_dir))
    assert code == 0
    assert "How we work: the last health check was low on safe, schedule" in out
    shown = json.loads(
        run(capsys, "group", "show", group.name, "--json", "--data-dir", str(data_dir))[1]
    )
    assert shown["how_we_work"] == ["safe", "schedule"]
    clock.advance(21 * 24 * 3600)
    live = LiveSession.start(store, group, clock)
    assert live.meeting.setup.how_we_work == ("safe", "schedule")
    live.suspend()


def test_anonymous_counts_are_stored_naming_no_one(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    group = replace(group, health_every=1, health_anonymous=True)
    store.save_group(group)
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.PhaseJumped(phase="close"))
    live.dispatch(ev.HealthCounted(question="worth", score=4, count=2))
    live.dispatch(ev.HealthCounted(question="worth", score=1, count=1))
    live.end()
    saved = stored(store.sessions(group.id)[0])
    assert saved.get("health") == {"anonymous": True, "counts": {"worth": [1, 0, 0, 2, 0]}}
    file_text = store.layout.group_history_file(group.id).read_text()
    health = json.dumps(saved.get("health"))
    assert not any(m.id in health or m.name in health for m in group.members)
    assert '"health"' in file_text


def add_goal(store: HistoryStore, group: Group, goal_id: str, owner: str) -> None:
    goal = new_goal(
        goal_id=goal_id, group_id=group.id, owner=owner, title=f"Goal {goal_id}",
        by=None, measure=None, private=False, at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip
    goal_store.add_goal(store, goal)


def goals_by_id(store: HistoryStore, group: Group) -> dict[str, Goal]:
    return {g.id: g for g in goal_store.goals(store, group.id)}


def test_the_goals_review_every_second_session_updates_reached_and_dropped_goals(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    group = replace(group, goals_review_every=2, health_every=0)
    store.save_group(group)
    ana, bo, _ = (m.id for m in group.members)
    for goal_id, owner in (("g-reach", ana), ("g-drop", ana), ("g-keep", bo)):
        add_goal(store, group, goal_id, owner)
    first = LiveSession.start(store, group, clock)
    assert "goals" not in [p.kind.name for p in first.meeting.phases], "session 1: none"
    first.end()
    clock.advance(21 * 24 * 3600)
    live = LiveSession.start(store, group, clock)
    names = [p.kind.name for p in live.meeting.phases]
    assert names[names.index("review") + 1] == "goals", "session 2 gains it after the review"
    live.dispatch(ev.PhaseJumped(phase="goals"))
    live.dispatch(ev.GoalReviewed(goal_id="g-reach", status="reached", note="Promoted!"))
    live.dispatch(ev.GoalReviewed(goal_id="g-drop", status="dropped"))
    crash(live)
    live = LiveSession.resume(store, group, clock)
    live.dispatch(ev.GoalReviewed(goal_id="g-keep", status="behind"))
    live.end()
    goals = goals_by_id(store, group)
    assert {k: g.status for k, g in goals.items()} == {
        "g-reach": "reached",
        "g-drop": "dropped",
        "g-keep": "active",
    }
    saved = stored(store.sessions(group.id)[-1]).get("goal_reviews") or {}
    assert saved["g-reach"]["status"] == "reached" and saved["g-reach"].get("note") == "Promoted!"
    assert saved["g-keep"]["status"] == "behind"
    # A goal reached or dropped is no longer offered.
    clock.advance(21 * 24 * 3600)
    later = LiveSession.start(store, group, clock)
    assert [g.goal_id for g in later.meeting.setup.goals] == ["g-keep"]
    later.suspend()


def test_a_goal_review_is_refused_outside_its_phase_and_for_unknown_goals(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    from peersession.core.errors import InvalidAction

    add_goal(store, group, "g1", group.members[0].id)
    group = replace(
        group,
        agenda=(
            {"phase": "opening", "minutes": 5},
            {"phase": "goals", "minutes": 15},
            {"phase": "updates"},
        ),
    )
    store.save_group(group)
    live = LiveSession.start(store, group, clock)
    with pytest.raises(InvalidAction, match="Goals phase"):
        live.dispatch(ev.GoalReviewed(goal_id="g1", status="behind"))
    live.dispatch(ev.Next())
    assert live.meeting.phase.name == "goals"
    with pytest.raises(InvalidAction, match="not an active goal"):
        live.dispatch(ev.GoalReviewed(goal_id="nope", status="behind"))
    with pytest.raises(InvalidAction, match="a goal stands"):
        live.dispatch(ev.GoalReviewed(goal_id="g1", status="fine"))
    live.suspend()


def test_a_private_goals_standing_stays_out_of_a_bundle_without_include_private(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ana = group.members[0].id
    add_goal(store, group, "g-open", ana)
    secret = new_goal(
        goal_id="g-secret", group_id=group.id, owner=ana, title="Leave for industry",
        by=None, measure=None, private=True, at="2026-01-01T00:00:00+00:00",
    )  # fmt: skip
    goal_store.add_goal(store, secret)
    group = replace(group, agenda=({"phase": "opening"}, {"phase": "goals", "minutes": 10}))
    store.save_group(group)
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.Next())
    live.dispatch(ev.GoalReviewed(goal_id="g-open", status="behind"))
    live.dispatch(ev.GoalReviewed(goal_id="g-secret", status="on_track", note="Two offers"))
    live.end()
    for extra, expected in (((), {"g-open"}), (("--include-private",), {"g-open", "g-secret"})):
        target = tmp_path / f"bundle{len(extra)}.json"
        code, _, err = run(
            capsys, "export", group.name, "--format", "json", "-o", str(target), *extra,
            "--data-dir", str(data_dir),
        )  # fmt: skip
        assert code == 0, err
        text = target.read_text()
        said = json.loads(text)["sessions"][0]["goal_reviews"]
        assert set(said) == expected
        assert ("Two offers" in text) == ("g-secret" in expected)


def test_the_check_the_standings_and_a_reached_goal_reach_another_machine(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    group = replace(group, health_every=1, goals_review_every=1)
    store.save_group(group)
    add_goal(store, group, "g-reach", group.members[0].id)
    shared, key = tmp_path / "Sync" / "circle", tmp_path / "k"
    code, _, err = run(
        capsys, "share", group.name, str(shared), "--key-file", str(key),
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    bo = tmp_path / "bo"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    live = hold_session(store, group, clock, (4, 4, 2, 2, 5))
    live.dispatch(ev.PhaseJumped(phase="goals"))
    live.dispatch(ev.GoalReviewed(goal_id="g-reach", status="reached"))
    live.end()
    code, _, err = run(capsys, "sync", "--data-dir", str(bo))
    assert code == 0, err
    here, there = store.sessions(group.id)[-1], HistoryStore(bo).sessions(group.id)[-1]
    assert there.health == here.health and here.health
    assert there.goal_reviews == here.goal_reviews
    assert goals_by_id(HistoryStore(bo), group)["g-reach"].status == "reached"
    shown = json.loads(run(capsys, "group", "show", group.name, "--json", "--data-dir", str(bo))[1])
    assert shown["health_every"] == 1 and shown["how_we_work"] == ["balance", "schedule"]


def test_the_report_counts_a_goal_reached_before_any_session(
    store: HistoryStore, group: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report", group.name, "--format", "txt", "--data-dir", str(data_dir))
    assert code == 0 and "Nothing to report yet" in out
    add_goal(store, group, "g1", group.members[0].id)
    goal_store.change_goal(store, group.id, "g1", lambda g: {"status": "reached"})
    code, out, _ = run(capsys, "report", group.name, "--format", "txt", "--data-dir", str(data_dir))
    assert code == 0 and "Nothing to report yet" not in out
    assert "Goals reached:" in out and "2026" in out


@pytest.mark.parametrize(
    ("health", "field"),
    [
        ({"anonymous": False, "scores": {"m1": {"safe": 9}}}, "health.scores"),
        ({"anonymous": False, "scores": {"m1": {"mood": 3}}}, "health.scores"),
        ({"anonymous": True, "counts": {"safe": [1, 2]}}, "health.counts"),
        ({"anonymous": True, "counts": {"safe": [0, 0, 0, 0, -1]}}, "health.counts"),
    ],
    ids=["score-9", "unknown-question", "four-counts", "negative-count"],
)
def test_a_bundle_with_a_bad_health_check_is_refused_in_one_line(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    health: dict[str, Any],
    field: str,
) -> None:
    LiveSession.start(store, group, clock).end()
    bundle = tmp_path / "b.json"
    assert run(capsys, "export", group.name, "--format", "json", "-o", str(bundle),
               "--data-dir", str(data_dir))[0] == 0  # fmt: skip
    data = json.loads(bundle.read_text())
    data["sessions"][0]["health"] = health
    bundle.write_text(json.dumps(data))
    elsewhere = tmp_path / "elsewhere"
    code, _, err = run(capsys, "import", str(bundle), "--data-dir", str(elsewhere))
    assert code != 0 and field in err and len(err.strip().splitlines()) == 1, err
    assert not (elsewhere / "groups").exists() or not list((elsewhere / "groups").iterdir())


def test_a_later_joiner_sees_no_private_goal_set_before_they_joined(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A private goal set before Hal joined goes as a private commitment does, with
    where every goals review said it stood; one set after he joined he sees; and a
    session before he joined keeps no word on any private goal."""
    from peersession.core.model import Member
    from peersession.tui.screens.history_data import load_group_history

    ana = group.members[0].id
    add_goal(store, group, "g-open", ana)
    for goal_id, title, at in (
        ("g-old", "Leave for industry", "2026-01-01T00:00:00+00:00"),
        ("g-new", "Chair the panel", "2026-04-01T00:00:00+00:00"),
    ):
        goal_store.add_goal(store, new_goal(
            goal_id=goal_id, group_id=group.id, owner=ana, title=title,
            by=None, measure=None, private=True, at=at,
        ))  # fmt: skip
    hal = Member("hal", "Hal", joined=clock.now().add(days=10).date())
    group = replace(
        group,
        members=(*group.members, hal),
        agenda=({"phase": "opening"}, {"phase": "goals", "minutes": 10}),
    )
    store.save_group(group)
    for said in ("before Hal", "with Hal"):
        live = LiveSession.start(store, group, clock)
        live.dispatch(ev.Next())
        for goal_id in ("g-open", "g-old", "g-new"):
            live.dispatch(ev.GoalReviewed(goal_id=goal_id, status="behind", note=f"{said}"))
        live.end()
        clock.advance(21 * 24 * 3600)

    code, out, err = run(
        capsys, "export", group.name, "--all", "--format", "json", "--include-private",
        "--for", "Hal", "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    bundle = json.loads(out)
    assert {g["id"] for g in bundle["goals"]} == {"g-open", "g-new"}
    assert [set(s["goal_reviews"]) for s in bundle["sessions"]] == [
        {"g-open"},
        {"g-open", "g-new"},
    ]
    assert "Leave for industry" not in out
    seen = load_group_history(store, group.id, clock.now().date(), viewer="hal")
    assert {g.id for g in seen.goals} == {"g-open", "g-new"}
    everything = load_group_history(store, group.id, clock.now().date())
    assert {g.id for g in everything.goals} == {"g-open", "g-old", "g-new"}


@pytest.mark.parametrize("form", ["md", "txt"])
def test_the_recap_exports_say_where_each_goal_stood(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    form: str,
) -> None:
    ana = group.members[0].id
    add_goal(store, group, "g-open", ana)
    goal_store.add_goal(store, new_goal(
        goal_id="g-secret", group_id=group.id, owner=ana, title="Leave for industry",
        by=None, measure=None, private=True, at="2026-01-01T00:00:00+00:00",
    ))  # fmt: skip
    group = replace(group, agenda=({"phase": "opening"}, {"phase": "goals", "minutes": 10}))
    store.save_group(group)
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.Next())
    live.dispatch(ev.GoalReviewed(goal_id="g-open", status="behind", note="Reviewer 2 again"))
    live.dispatch(ev.GoalReviewed(goal_id="g-secret", status="on_track", note="Two offers"))
    live.end()
    export = ["export", group.name, "--format", form, "--data-dir", str(data_dir)]
    code, out, err = run(capsys, *export)
    assert code == 0, err
    assert "Goals" in out and "Behind: Goal g-open" in out and "Reviewer 2 again" in out
    assert "Leave for industry" not in out and "Two offers" not in out
    code, out, err = run(capsys, *export, "--include-private")
    assert code == 0, err
    assert "On track: Leave for industry" in out and "Two offers" in out
