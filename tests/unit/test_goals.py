"""Goals (issue 25 item 1): set, listed, edited and linked through every door,
with bad input refused in one line; kept in the group's file, carried by the
bundle (private ones only with --include-private), merged between machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pendulum
import pytest
from msgspec import structs

from peersession.cli import goal_cmd, main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.goal_rules import MAX_TITLE, GoalError, GoalStatus, check_horizon, clean_title
from peersession.core.goals import goal_edits, goals_of, new_goal
from peersession.core.model import Group
from peersession.core.records import Goal
from peersession.errors import UserError
from peersession.exports.bundle import parse_bundle
from peersession.exports.bundle_import import import_bundle
from peersession.store import goals as goal_store
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession

from checkin_support import ANA_FIRST, ANA_SECOND, BO_ONLY, seed_commitments

AT = "2026-03-05T17:00:00+00:00"
WIN_ID = "w1n0000000a1"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main([*args, "--data-dir", str(root)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def seeded(
    store: HistoryStore, group: Group, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> Group:
    """Ana and Bo's commitments from one session, in which Ana told a win."""
    monkeypatch.setattr(goal_cmd, "CLOCK", clock)
    live = LiveSession.start(store, group, clock)
    live.dispatch(
        ev.WinAdded(win_id=WIN_ID, member_id=group.members[0].id, kind="grant", text="R01 funded")
    )
    live.end()
    clock.advance(minutes=24 * 60)
    seed_commitments(store, group, clock)
    return group


def add(root: Path, capsys: pytest.CaptureFixture[str], member: str, title: str, *more: str) -> str:
    status, out, err = run(
        root, capsys, "goal", "add", "Thursday Circle", "-m", member, title, *more
    )
    assert status == 0, err
    return out.split("goal ", 1)[1].split(":", 1)[0]


def file_bytes(store: HistoryStore, group: Group) -> bytes:
    return store.layout.group_history_file(group.id).read_bytes()


# -- the rules, pure ----------------------------------------------------------------------


def test_a_title_is_one_trimmed_line_of_bounded_length() -> None:
    assert clean_title("  Submit\nthe   R01 ") == "Submit the R01"
    with pytest.raises(GoalError, match="cannot be empty"):
        clean_title(" \n ")
    with pytest.raises(GoalError, match=f"at most {MAX_TITLE}"):
        clean_title("x" * (MAX_TITLE + 1))
    assert clean_title("x" * MAX_TITLE) == "x" * MAX_TITLE


def test_a_horizon_is_held_to_the_years_every_reader_can_use() -> None:
    assert check_horizon(pendulum.date(2200, 12, 31)) == "2200-12-31"
    for year in (1969, 2201):
        with pytest.raises(GoalError, match="1970 to 2200"):
            check_horizon(pendulum.date(year, 1, 1))


def test_a_status_change_to_the_same_status_or_no_change_is_refused() -> None:
    goal = new_goal(
        goal_id="g1",
        group_id="grp",
        owner="m1",
        title="Promotion",
        by=None,
        measure=None,
        private=False,
        at=AT,
    )
    assert isinstance(goal, Goal), "a new goal is built as its declaration"
    with pytest.raises(GoalError, match="already active"):
        goal_edits(goal, at=AT, status="active")
    with pytest.raises(GoalError, match="nothing to change"):
        goal_edits(goal, at=AT, title="Promotion")
    reached = goal_edits(goal, at="2026-04-01T00:00:00+00:00", status="reached")
    assert reached == {"status": "reached", "updated_at": "2026-04-01T00:00:00+00:00"}, (
        "only the fields that change, and the stamp"
    )
    assert reached["updated_at"] > goal.updated_at
    again = goal_edits(
        structs.replace(goal, **reached), at="2026-04-02T00:00:00+00:00", status="active"
    )
    assert again["status"] == "active", "a reached goal can be taken up again"
    assert goal.status == "active", "the goal given is not changed"
    earlier = goal_edits(goal, at="2026-01-01T00:00:00+00:00", title="Full professor")
    assert earlier == {"title": "Full professor", "updated_at": AT}, "a stamp never goes back"


def test_a_members_goals_list_active_first_then_by_horizon() -> None:
    def goal(gid: str, status: GoalStatus, by: str | None) -> Goal:
        made = new_goal(
            goal_id=gid,
            group_id="g",
            owner="m",
            title=gid,
            by=None,
            measure=None,
            private=False,
            at=AT,
        )
        return structs.replace(made, status=status, by=by)

    goals = [
        goal("a", "reached", "2026-01-01"),
        goal("b", "active", None),
        goal("c", "active", "2027-01-01"),
        goal("d", "dropped", None),
    ]
    assert [g.id for g in goals_of(goals, "m")] == ["c", "b", "a", "d"]


# -- the command line ----------------------------------------------------------------------


def test_goal_add_list_and_edit_through_the_command_line(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(data_dir, capsys, "goal", "list", "Thursday Circle")
    assert (status, out) == (0, "No goals in Thursday Circle yet (peersession goal add)\n")
    status, out, _ = run(data_dir, capsys, "goal", "list", "Thursday Circle", "-m", "Ana")
    assert out == "Ana has no goals in Thursday Circle yet (peersession goal add)\n"
    goal_id = add(
        data_dir,
        capsys,
        "Ana",
        "Submit  the\nR01",
        "--by",
        "2027-06-30",
        "--measure",
        "submitted on time",
    )
    status, out, _ = run(data_dir, capsys, "goal", "list", "Thursday Circle")
    assert status == 0
    assert f"{goal_id}  Submit the R01  (active, by 2027-06-30)" in out
    assert "measure: submitted on time" in out
    # Shortened ids are taken, as checkin --done takes them.
    status, out, err = run(
        data_dir, capsys, "goal", "edit", "Thursday Circle", goal_id[:5], "--status", "dropped"
    )
    assert status == 0, err
    assert "(dropped, by 2027-06-30)" in out
    [stored] = goal_store.goals(store, seeded.id)
    assert stored.status == "dropped" and stored.title == "Submit the R01"
    assert stored.owner == seeded.members[0].id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "Thursday Circle", "-m", "Zed", "Goal"], "no member named 'Zed'"),
        (["add", "Thursday Circle", "-m", "Ana", "  \n "], "title cannot be empty"),
        (["add", "Thursday Circle", "-m", "Ana", "x" * 201], "at most 200 characters"),
        (["add", "Thursday Circle", "-m", "Ana", "G", "--by", "2201-01-01"], "1970 to 2200"),
        (["add", "Thursday Circle", "-m", "Ana", "G", "--by", "soon"], "--by: not a date"),
        (["add", "Thursday Circle", "-m", "Ana", "G", "--measure", "m" * 301], "at most 300"),
        (["add", "Nowhere", "-m", "Ana", "G"], "no group named 'Nowhere'"),
        (["edit", "Thursday Circle", "ffff", "--status", "reached"], "no goal with id 'ffff'"),
        (["edit", "Thursday Circle", "", "--status", "reached"], "empty goal id"),
        (["list", "Thursday Circle", "-m", "Zed"], "no member named 'Zed'"),
        (["link", "Thursday Circle", "ffffff", "ffff"], "no commitment with id 'ffffff'"),
        (["link", "Thursday Circle", ANA_FIRST, "ffff"], "no goal with id 'ffff'"),
    ],
)
def test_bad_input_at_the_command_line_is_one_line_and_changes_nothing(
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    add(data_dir, capsys, "Ana", "Keep one goal")
    before = file_bytes(store, seeded)
    status, out, err = run(data_dir, capsys, "goal", *args)
    assert status == 1
    assert message in err and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""
    assert file_bytes(store, seeded) == before


def test_an_edit_asking_nothing_or_the_same_status_is_refused(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    goal_id = add(data_dir, capsys, "Bo", "Tenure file")
    before = file_bytes(store, seeded)
    for extra, message in (([], "nothing to change"), (["--status", "active"], "already active")):
        status, _, err = run(data_dir, capsys, "goal", "edit", "Thursday Circle", goal_id, *extra)
        assert status == 1 and message in err
    assert file_bytes(store, seeded) == before


# -- linking ----------------------------------------------------------------------------------


def test_a_commitment_serves_a_goal_of_its_own_member_only(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    anas = add(data_dir, capsys, "Ana", "R01 funded")
    bos = add(data_dir, capsys, "Bo", "Tenure")
    status, out, err = run(
        data_dir, capsys, "goal", "link", "Thursday Circle", ANA_FIRST[:4] + "c", anas[:6]
    )
    assert status == 0, err
    assert f"serves goal {anas}" in out
    before = file_bytes(store, seeded)
    status, _, err = run(data_dir, capsys, "goal", "link", "Thursday Circle", ANA_SECOND, bos)
    assert status == 1 and "another member's" in err
    status, _, err = run(data_dir, capsys, "goal", "link", "Thursday Circle", ANA_FIRST, anas)
    assert status == 1 and "already serves" in err
    assert file_bytes(store, seeded) == before
    commitments = {c.id: c for c in store.commitments(seeded.id)}
    assert commitments[ANA_FIRST].goal_id == anas
    assert not commitments[ANA_SECOND].goal_id
    status, out, _ = run(data_dir, capsys, "goal", "list", "Thursday Circle", "-m", "Ana", "--json")
    [listed] = json.loads(out)["goals"]
    assert [c["id"] for c in listed["commitments"]] == [ANA_FIRST]
    assert (listed["done"], listed["total"]) == (0, 1)
    # Untied again with --none.
    assert run(data_dir, capsys, "goal", "link", "Thursday Circle", ANA_FIRST, "--none")[0] == 0
    assert {c.id: c for c in store.commitments(seeded.id)}[ANA_FIRST].goal_id is None


def test_a_win_linked_with_reached_by_marks_the_goal_reached(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    goal_id = add(data_dir, capsys, "Ana", "Get the R01 funded")
    status, _, err = run(
        data_dir, capsys, "goal", "edit", "Thursday Circle", goal_id, "--reached-by", "w1n0"
    )
    assert status == 0, err
    [goal] = goal_store.goals(store, seeded.id)
    assert goal.status == "reached" and goal.win_ids == [WIN_ID]
    status, out, _ = run(data_dir, capsys, "goal", "list", "Thursday Circle")
    assert "reached by: R01 funded" in out
    # Bo's goal cannot be reached by Ana's win.
    bos = add(data_dir, capsys, "Bo", "Tenure")
    status, _, err = run(
        data_dir, capsys, "goal", "edit", "Thursday Circle", bos, "--reached-by", WIN_ID
    )
    assert status == 1 and "no win with id" in err


def test_a_goal_edited_keeps_the_keys_a_newer_peersession_wrote(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    """A goal is read as its declaration, but changed on the record its file
    keeps: a field this version does not know survives an edit and a win linked."""
    goal_id = add(data_dir, capsys, "Ana", "Get the R01 funded")
    path = store.layout.group_history_file(seeded.id)
    tables = json.loads(path.read_text())
    [record] = tables["goals"].values()
    record["reached_at"] = "from the future"
    path.write_text(json.dumps(tables))
    for edit in (["--title", "R01 funded"], ["--reached-by", WIN_ID]):
        status, _, err = run(data_dir, capsys, "goal", "edit", "Thursday Circle", goal_id, *edit)
        assert status == 0, err
    [written] = json.loads(path.read_text())["goals"].values()
    assert written["reached_at"] == "from the future"
    assert (written["title"], written["status"], written["win_ids"]) == (
        "R01 funded",
        "reached",
        [WIN_ID],
    )
    [goal] = goal_store.goals(store, seeded.id)
    assert isinstance(goal, Goal) and (goal.title, goal.status) == ("R01 funded", "reached")
    assert store.group_documents(seeded.id).goals == [goal], "every read gives the same record"


# -- the bundle --------------------------------------------------------------------------------


def export(root: Path, capsys: pytest.CaptureFixture[str], *more: str) -> dict[str, Any]:
    status, out, err = run(
        root, capsys, "export", "Thursday Circle", "--all", "--format", "json", *more
    )
    assert status == 0, err
    bundle: dict[str, Any] = json.loads(out)
    return bundle


def test_the_bundle_carries_goals_and_links_and_leaves_private_goals_out(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    public = add(data_dir, capsys, "Ana", "Public goal")
    secret = add(data_dir, capsys, "Ana", "Move to the Harwick lab", "--private")
    run(data_dir, capsys, "goal", "link", "Thursday Circle", ANA_FIRST, public)
    run(data_dir, capsys, "goal", "link", "Thursday Circle", ANA_SECOND, secret)
    bundle = export(data_dir, capsys)
    assert [g["id"] for g in bundle["goals"]] == [public]
    text = json.dumps(bundle)
    assert "Harwick" not in text and secret not in text
    commitments = {c["id"]: c for c in bundle["commitments"]}
    assert commitments[ANA_FIRST]["goal_id"] == public
    assert "goal_id" not in commitments[ANA_SECOND]
    whole = export(data_dir, capsys, "--include-private")
    assert {g["id"] for g in whole["goals"]} == {public, secret}
    assert {c["id"]: c for c in whole["commitments"]}[ANA_SECOND]["goal_id"] == secret


def test_a_bundle_imported_elsewhere_brings_goals_and_keeps_a_private_link(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = add(data_dir, capsys, "Ana", "Private goal", "--private")
    public = add(data_dir, capsys, "Bo", "Public goal")
    run(data_dir, capsys, "goal", "link", "Thursday Circle", ANA_FIRST, secret)
    run(data_dir, capsys, "goal", "link", "Thursday Circle", BO_ONLY, public)
    redacted = tmp_path / "redacted.json"
    run(data_dir, capsys, "export", "Thursday Circle", "--all", "-o", str(redacted))
    other = tmp_path / "other"
    status, out, err = run(other, capsys, "import", str(redacted))
    assert status == 0, err
    assert "goals: 1 added" in out
    assert [g.id for g in goal_store.goals(HistoryStore(other), seeded.id)] == [public]
    # The redacted bundle imported back home takes no private link away.
    assert run(data_dir, capsys, "import", str(redacted))[0] == 0
    home = {c.id: c for c in store.commitments(seeded.id)}
    assert home[ANA_FIRST].goal_id == secret


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda g: g.update(title=""), "goals[0].title"),
        (lambda g: g.update(title="two\nlines"), "goals[0].title"),
        (lambda g: g.update(title="x" * 201), "goals[0].title"),
        (lambda g: g.update(status="won"), "goals[0].status"),
        (lambda g: g.update(by="3000-01-01"), "goals[0].by"),
        (lambda g: g.update(owner="someone-else"), "goals[0].owner"),
        (lambda g: g.update(group_id="another"), "goals[0].group_id"),
        (lambda g: g.update(win_ids="w1"), "goals[0].win_ids"),
        (lambda g: g.pop("private"), "goals[0]: missing 'private'"),
        (lambda g: g.update(id="../../etc"), "goals[0].id"),
    ],
)
def test_a_hostile_goal_table_in_a_bundle_is_refused_naming_the_file_and_field(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    capsys: pytest.CaptureFixture[str],
    change: Any,
    field: str,
) -> None:
    add(data_dir, capsys, "Ana", "A goal")
    bundle = export(data_dir, capsys)
    change(bundle["goals"][0])
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    before = file_bytes(store, seeded)
    status, out, err = run(data_dir, capsys, "import", str(path))
    assert status == 1 and out == ""
    assert err.startswith(f"peersession: {path}: not a valid peersession bundle: {field}")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert file_bytes(store, seeded) == before


def test_a_goal_edited_on_two_machines_keeps_the_newer_edit_either_way(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    goal_id = add(data_dir, capsys, "Ana", "Promotion")
    base = tmp_path / "base.json"
    run(data_dir, capsys, "export", "Thursday Circle", "--all", "-o", str(base))
    other = tmp_path / "other"
    assert run(other, capsys, "import", str(base))[0] == 0
    # B edits the title first, A marks it reached an hour later.
    clock.advance(minutes=5)
    assert (
        run(other, capsys, "goal", "edit", "Thursday Circle", goal_id, "--title", "Full prof")[0]
        == 0
    )
    clock.advance(minutes=60)
    assert (
        run(data_dir, capsys, "goal", "edit", "Thursday Circle", goal_id, "--status", "reached")[0]
        == 0
    )
    from_a, from_b = tmp_path / "a.json", tmp_path / "b.json"
    run(data_dir, capsys, "export", "Thursday Circle", "--all", "-o", str(from_a))
    run(other, capsys, "export", "Thursday Circle", "--all", "-o", str(from_b))
    assert run(data_dir, capsys, "import", str(from_b))[0] == 0
    assert run(other, capsys, "import", str(from_a))[0] == 0
    on_a = goal_store.goals(store, seeded.id)
    on_b = goal_store.goals(HistoryStore(other), seeded.id)
    assert on_a == on_b
    assert (on_a[0].title, on_a[0].status) == ("Promotion", "reached"), "the newer edit"


def test_import_bundle_checks_goals_built_in_memory(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    add(data_dir, capsys, "Ana", "A goal")
    bundle = parse_bundle(json.dumps(export(data_dir, capsys)))
    bundle["goals"][0]["title"] = "  padded  "
    with pytest.raises(UserError, match="goals\\[0\\]\\.title: not as typed"):
        import_bundle(store, bundle)


def test_goals_edited_on_two_machines_sharing_a_folder_meet_in_one_state(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    goal_id = add(data_dir, capsys, "Ana", "Promotion")
    key, folder, bo = tmp_path / "k", tmp_path / "Sync" / "circle", tmp_path / "bo"
    assert (
        run(data_dir, capsys, "share", "Thursday Circle", str(folder), "--key-file", str(key))[0]
        == 0
    )
    status, _, err = run(bo, capsys, "join", str(folder), "--key-file", str(key))
    assert status == 0, err
    assert [g.id for g in goal_store.goals(HistoryStore(bo), seeded.id)] == [goal_id]
    # B renames the goal and ties a commitment to it; A marks it reached.
    clock.advance(minutes=5)
    assert (
        run(bo, capsys, "goal", "edit", "Thursday Circle", goal_id, "--title", "Full prof")[0] == 0
    )
    assert run(bo, capsys, "goal", "link", "Thursday Circle", ANA_FIRST, goal_id)[0] == 0
    clock.advance(minutes=5)
    assert (
        run(data_dir, capsys, "goal", "edit", "Thursday Circle", goal_id, "--status", "reached")[0]
        == 0
    )
    assert run(bo, capsys, "sync")[0] == 0
    assert run(data_dir, capsys, "sync")[0] == 0
    on_a = goal_store.goals(HistoryStore(data_dir), seeded.id)
    on_b = goal_store.goals(HistoryStore(bo), seeded.id)
    assert on_a == on_b
    assert (on_a[0].title, on_a[0].status) == ("Full prof", "reached"), (
        "each machine's field edit is kept"
    )
    linked = {c.id: c for c in HistoryStore(data_dir).commitments(seeded.id)}[ANA_FIRST]
    assert linked.goal_id == goal_id


# -- in the meeting: a commitment made for a goal ----------------------------------------------


def test_a_commitment_made_in_a_meeting_serves_an_active_goal_of_its_member(
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from peersession.core.errors import InvalidAction

    anas = add(data_dir, capsys, "Ana", "Promotion")
    bos = add(data_dir, capsys, "Bo", "Tenure")
    dropped = add(data_dir, capsys, "Ana", "Old goal")
    assert (
        run(data_dir, capsys, "goal", "edit", "Thursday Circle", dropped, "--status", "dropped")[0]
        == 0
    )
    ana, bo = seeded.members[0].id, seeded.members[1].id
    live = LiveSession.start(store, seeded, clock)
    offered = {(g.goal_id, g.owner) for g in live.meeting.setup.goals}
    assert offered == {(anas, ana), (bos, bo)}, "active goals only, each with its member"
    for goal_id in (bos, dropped, "nope"):
        with pytest.raises(InvalidAction, match="one of its member's active goals"):
            live.dispatch(
                ev.CommitmentAdded(
                    commitment_id=f"c-{goal_id}", owner=ana, text="x", goal_id=goal_id
                )
            )
    live.dispatch(
        ev.CommitmentAdded(
            commitment_id="made-for-goal", owner=ana, text="Ask the chair", goal_id=anas
        )
    )
    live.dispatch(ev.CommitmentAdded(commitment_id="made-without", owner=bo, text="Rest"))
    live.end()
    made = {c.id: c for c in store.commitments(seeded.id)}
    assert made["made-for-goal"].goal_id == anas
    assert made["made-without"].goal_id is msgspec.UNSET, "no goal: the field is left out"


def test_an_asks_outcome_serves_an_active_goal_of_the_asker_only(
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from peersession.core.errors import InvalidAction

    anas = add(data_dir, capsys, "Ana", "Promotion")
    bos = add(data_dir, capsys, "Bo", "Tenure")
    ana = seeded.members[0].id
    live = LiveSession.start(store, seeded, clock)
    live.dispatch(ev.AskAdded(ask_id="a1", member_id=ana, text="How do I ask for a raise?"))
    live.dispatch(ev.PhaseJumped(phase="asks"))
    live.dispatch(ev.Next())
    for outcome, goal_id in (("Write to the chair", bos), ("Write", "nope"), (None, anas)):
        with pytest.raises(InvalidAction, match="one of the asker's active goals"):
            live.dispatch(
                ev.AskEnded(
                    outcome=outcome,
                    commitment_id="c1" if outcome else None,
                    goal_id=goal_id,
                )
            )
    live.dispatch(ev.AskEnded(outcome="Write to the chair", commitment_id="c1", goal_id=anas))
    live.end()
    made = {c.id: c for c in store.commitments(seeded.id)}["c1"]
    assert (made.owner, made.goal_id, made.from_ask) == (ana, anas, "a1")


def test_a_journal_whose_setup_lists_a_goal_twice_is_refused(
    store: HistoryStore,
    seeded: Group,
    clock: FakeClock,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from peersession.core.setup import MeetingSetup

    add(data_dir, capsys, "Ana", "Promotion")
    live = LiveSession.start(store, seeded, clock)
    doc = live.meeting.setup.to_doc()
    live.suspend()
    assert len(doc["goals"]) == 1
    assert MeetingSetup.from_doc(doc).goals == live.meeting.setup.goals, "read back as written"
    doc["goals"] = doc["goals"] * 2
    with pytest.raises(ValueError, match="a goal is listed twice"):
        MeetingSetup.from_doc(doc)


def test_a_commitment_without_a_goal_is_journaled_as_before_goals() -> None:
    plain = ev.CommitmentAdded(commitment_id="c1", owner="m1", text="x")
    assert "goal_id" not in plain.to_data()
    assert ev.CommitmentAdded.from_data(plain.to_data()) == plain
    served = ev.CommitmentAdded(commitment_id="c1", owner="m1", text="x", goal_id="g1")
    assert served.to_data()["goal_id"] == "g1"
    assert ev.CommitmentAdded.from_data(served.to_data()) == served
