"""Roles that rotate: a fair rota, one-session overrides, and the roles kept in the history.

The rota is checked against an independent referee (:func:`unfair_turns`): for
each role it follows the rounds itself (a round ends once every member active
at that session has held the role) and counts every turn given to someone who
already held the role in the round while an active member had not.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from msgspec import UNSET

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.engine import InvalidAction
from peersession.core.model import Group
from peersession.core.record_types import read_as, stored
from peersession.core.roles import (
    Holders,
    RolesHeld,
    clean_roles,
    held_recency,
    holders_of,
    next_session,
    propose,
    recency,
    settled_override,
    too_small_line,
)
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.exports.bundle_import import import_bundle
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession

MEMBERS = [f"m{i}" for i in range(8)]
FOUR = ["host", "facilitator", "timekeeper", "scribe"]


def rota(
    roles: Sequence[str], active_at: Callable[[int], list[str]], sessions: int = 12
) -> list[tuple[list[str], dict[str, str]]]:
    """Each session's active members and holders, each proposed from the ones before."""
    saved: list[Holders] = []
    out = []
    for number in range(sessions):
        members = active_at(number)
        holders = propose(roles, members, held_recency(saved)).holders
        saved.append(holders)
        out.append((members, dict(holders)))
    return out


def due_now(rounds: dict[str, set[str]], role: str, active: set[str]) -> set[str]:
    if active <= rounds[role]:
        rounds[role] = set()  # everyone active has held it: a new round
    return active - rounds[role]


def unfair_turns(
    roles: Sequence[str], sessions: list[tuple[list[str], dict[str, str]]]
) -> list[tuple[int, str, str]]:
    """The turns given to a member who held the role this round while another had not."""
    rounds: dict[str, set[str]] = {role: set() for role in roles}
    unfair = []
    for number, (members, holders) in enumerate(sessions):
        for role in roles:
            holder = holders[role]
            if holder not in due_now(rounds, role, set(members)):
                unfair.append((number, role, holder))
                rounds[role] = set()
            rounds[role].add(holder)
    return unfair


def away(number: int) -> list[str]:
    """m3 leaves the group after three sessions; m6 is away for sessions 6 to 9."""
    return [
        m
        for m in MEMBERS
        if not (m == "m3" and number >= 3) and not (m == "m6" and 5 <= number <= 8)
    ]


def test_a_rota_of_twelve_sessions_of_eight_members_with_members_away_is_fair() -> None:
    for roles in (FOUR, ["host", "facilitator"]):
        sessions = rota(roles, away)
        assert unfair_turns(roles, sessions) == [], roles
        for members, holders in sessions:
            assert set(holders.values()) <= set(members)  # nobody away holds a role
            assert len(set(holders.values())) == len(roles)  # nobody holds two
        # Deterministic: the same history always proposes the same holders.
        assert rota(roles, away) == sessions


def test_everyone_holds_every_role_once_before_anyone_holds_one_twice() -> None:
    sessions = rota(FOUR, lambda n: MEMBERS, sessions=8)
    for role in FOUR:
        assert sorted(holders[role] for _, holders in sessions) == MEMBERS
    first = sessions[0][1]
    assert [first[r] for r in FOUR] == ["m0", "m1", "m2", "m3"]  # ties: the member order


def test_whoever_held_a_role_least_recently_is_proposed() -> None:
    saved = held_recency([(("host", "m0"),), (("host", "m1"),), (("host", "m2"),)])
    # m3 never held it: first; then m0, who held it longest ago.
    assert propose(["host"], ["m0", "m1", "m2", "m3"], saved).holders == (("host", "m3"),)
    assert propose(["host"], ["m0", "m1", "m2"], saved).holders == (("host", "m0"),)


def fair_choice_exists(roles: list[str], members: list[str], due: dict[str, set[str]]) -> bool:
    return any(
        all(choice[i] in due[role] for i, role in enumerate(roles))
        for choice in itertools.permutations(members, len(roles))
    )


@given(
    st.integers(min_value=1, max_value=4),
    st.lists(st.tuples(st.integers(0, 11), st.integers(1, 5)), min_size=8, max_size=8),
    st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_the_proposal_is_fair_whenever_a_fair_choice_exists(
    role_count: int, leave: list[tuple[int, int]], goes: list[bool]
) -> None:
    roles = [f"role{i}" for i in range(role_count)]

    def active(number: int) -> list[str]:
        return [
            m
            for m, (start, length), away in zip(MEMBERS, leave, goes, strict=True)
            if not (away and start <= number < start + length)
        ]

    sessions = rota(roles, active)
    rounds: dict[str, set[str]] = {role: set() for role in roles}
    for members, holders in sessions:
        due = {role: due_now(rounds, role, set(members)) for role in roles}
        if len(members) >= len(roles) and fair_choice_exists(roles, members, due):
            assert all(holders[role] in due[role] for role in roles), (members, holders, due)
        for role in roles:
            if holders[role] not in due[role]:
                rounds[role] = set()
            rounds[role].add(holders[role])


def test_a_group_smaller_than_its_roles_says_so_and_shares_them_out() -> None:
    proposal = propose(FOUR, ["m0", "m1", "m2"], RolesHeld())
    assert proposal.too_small == "3 members for 4 roles: someone holds two"
    held = [member for _, member in proposal.holders]
    assert sorted(set(held)) == ["m0", "m1", "m2"]  # everyone has one before anyone has two
    assert propose(FOUR, MEMBERS, RolesHeld()).too_small is None
    assert too_small_line(5, 2) == "2 members for 5 roles: someone holds 3"


def test_an_override_wins_and_the_rota_fills_the_other_roles() -> None:
    proposal = propose(FOUR, MEMBERS, RolesHeld(), (("facilitator", "m7"),))
    holders = dict(proposal.holders)
    assert holders["facilitator"] == "m7"
    assert len(set(holders.values())) == 4
    # A role the group no longer has, or a member who left, is ignored.
    ignored = propose(FOUR, MEMBERS[:6], RolesHeld(), (("chair", "m0"), ("host", "m7")))
    assert ignored.holders == propose(FOUR, MEMBERS[:6], RolesHeld()).holders


def test_a_saved_session_clears_the_override_it_used_and_keeps_a_newer_one() -> None:
    used = (("host", "m1"),)
    assert settled_override(used, used) == ()
    assert settled_override((("host", "m2"),), used) == (("host", "m2"),)


def test_who_held_which_role_reads_back_from_the_summary() -> None:
    # A session saved before roles holds none.
    history = held_recency([(("host", "m0"), ("Scribe", "m1")), holders_of(UNSET)])
    written = json.loads(json.dumps(stored(history)))
    # As the index has always kept it: role names are values, never keys.
    assert written == {
        "by_role": [
            {"role": "host", "member_ids": ["m0"], "this_round": 1},
            {"role": "scribe", "member_ids": ["m1"], "this_round": 1},
        ],
        "any_role": ["m0", "m1"],
    }
    assert read_as(RolesHeld, written) == history
    # Compared ignoring case; a role never held has no holders.
    assert history.turns("SCRIBE").member_ids == ("m1",)
    assert history.turns("timekeeper").member_ids == ()


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (["host", ""], "a role cannot be empty"),
        (["host", "HOST"], "role 'HOST' is named twice"),
        (["x" * 41], "a role is at most 40 characters"),
        (["\x1b[31mhost"], "cannot hold line breaks, control characters"),
    ],
)
def test_a_bad_role_is_refused_with_its_reason(typed: list[str], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        clean_roles(typed)


# --- through the command line and the store ----------------------------------------------


@pytest.fixture(autouse=True)
def command_line_today(monkeypatch: pytest.MonkeyPatch) -> None:
    now = pendulum.datetime(2026, 12, 1, 12, tz="UTC")
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: now)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def circle(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    d = ["--data-dir", str(data_dir)]
    members = [arg for name in ("Ana", "Bo", "Cy", "Dee") for arg in ("-m", name)]
    when = ("--next", "2027-01-07", "--at", "16:00", "--tz", "Europe/London")
    assert run(capsys, "group", "add", "Circle", *members, *when, *d)[0] == 0
    return d


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--roles", "host,,scribe"], "--roles: a role cannot be empty"),
        (["--roles", "host,Host"], "--roles: role 'Host' is named twice"),
        (["--roles", "y" * 41], "--roles: a role is at most 40 characters"),
        (["--role", "chair=Ana"], '--role: no role "chair" (roles: "host", "facilitator")'),
        (["--role", "host=Zed"], '--role "host": no active member named "Zed"'),
        (["--role", "host"], '--role "host": write ROLE=NAME'),
        (["--role", "host=Ana", "--role", "facilitator=ana"], '"Ana" cannot hold two roles'),
    ],
)
def test_bad_roles_are_refused_in_one_line_and_change_nothing(
    circle: list[str],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    says: str,
) -> None:
    index = (data_dir / "peersession.json").read_bytes()
    code, out, err = run(capsys, "group", "edit", "Circle", *args, *circle)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and says in err
    assert (data_dir / "peersession.json").read_bytes() == index


def test_group_edit_sets_roles_and_a_one_session_choice_that_group_show_names(
    circle: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "group", "edit", "Circle", "--roles", "host,facilitator,timekeeper",
        "--role", "Facilitator=dee", *circle,
    )  # fmt: skip
    assert code == 0
    assert 'Circle: roles: "host", "facilitator", "timekeeper" (was "host", "facilitator")' in out
    assert 'Circle: next session only: "Dee" as "facilitator"' in out
    shown = run(capsys, "group", "show", "Circle", *circle)[1]
    assert "roles:    next session: host: Ana · facilitator: Dee (chosen) · timekeeper: Bo" in shown
    view = json.loads(run(capsys, "group", "show", "Circle", "--json", *circle)[1])
    assert view["roles"] == ["host", "facilitator", "timekeeper"]
    assert [(h["role"], h["member"], h["chosen"]) for h in view["next_session_roles"]] == [
        ("host", "Ana", False),
        ("facilitator", "Dee", True),
        ("timekeeper", "Bo", False),
    ]
    assert view["roles_note"] is None
    out = run(capsys, "group", "edit", "Circle", "--role", "facilitator=", *circle)[1]
    assert "Circle: next session: the rota proposes every role" in out


def end_a_session(store: HistoryStore, group: Group, clock: FakeClock) -> LiveSession:
    live = LiveSession.start(store, group, clock)
    clock.advance(600)
    live.end()
    clock.advance(21 * 24 * 3600)
    return live


def test_an_override_holds_for_one_session_only_and_the_session_keeps_its_roles(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "group", "edit", "Circle", "--role", "host=Cy", *circle)[0] == 0
    store = HistoryStore(data_dir)
    group = store.find_group("Circle")
    ids = {m.name: m.id for m in group.members}
    clock = FakeClock(pendulum.datetime(2027, 1, 7, 16, tz="Europe/London"))
    first = end_a_session(store, group, clock)
    assert first.meeting.roles == {"host": ids["Cy"], "facilitator": ids["Ana"]}
    group = store.find_group("Circle")
    assert group.next_roles == ()  # used, and cleared when the session was saved
    saved = store.sessions(group.id)[-1]
    assert holders_of(saved.roles) == (("host", ids["Cy"]), ("facilitator", ids["Ana"]))
    assert recency(store.sessions(group.id)) == held_recency([holders_of(saved.roles)])
    second = end_a_session(store, group, clock)
    # The rota again: those who held no role yet first.
    assert second.meeting.roles == {"host": ids["Bo"], "facilitator": ids["Dee"]}
    # Then whoever has not held each role; the home screen and group show
    # propose from the index's summary, and agree with a session's start.
    summary = store.summaries()[group.id]
    proposal = next_session(group, summary.held)
    assert proposal.holders == (("host", ids["Ana"]), ("facilitator", ids["Cy"]))
    third = end_a_session(store, group, clock)
    assert third.meeting.roles == dict(proposal.holders)


def test_a_swap_at_the_opening_is_journaled_and_a_resumed_meeting_keeps_it(
    circle: list[str], data_dir: Path
) -> None:
    store = HistoryStore(data_dir)
    group = store.find_group("Circle")
    ids = {m.name: m.id for m in group.members}
    clock = FakeClock(pendulum.datetime(2027, 1, 7, 16, tz="Europe/London"))
    live = LiveSession.start(store, group, clock)
    assert live.meeting.roles == {"host": ids["Ana"], "facilitator": ids["Bo"]}
    live.dispatch(ev.RoleGiven(role="Facilitator", member_id=ids["Ana"]))
    assert live.meeting.roles == {"host": ids["Bo"], "facilitator": ids["Ana"]}  # a swap
    with pytest.raises(InvalidAction, match="already holds"):
        live.dispatch(ev.RoleGiven(role="host", member_id=ids["Bo"]))
    with pytest.raises(InvalidAction, match="no such role"):
        live.dispatch(ev.RoleGiven(role="chair", member_id=ids["Bo"]))
    live.dispatch(ev.RoleGiven(role="host", member_id=ids["Dee"]))
    live.suspend()  # the terminal is killed
    resumed = LiveSession.resume(store, group, clock)
    assert resumed.meeting.roles == {"host": ids["Dee"], "facilitator": ids["Ana"]}
    resumed.undo()
    assert resumed.meeting.roles == {"host": ids["Bo"], "facilitator": ids["Ana"]}
    resumed.end()
    assert holders_of(store.sessions(group.id)[-1].roles) == (
        ("host", ids["Bo"]),
        ("facilitator", ids["Ana"]),
    )


def test_roles_round_trip_through_a_bundle_and_the_json_export(
    circle: list[str], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "group", "edit", "Circle", "--roles", "host,scribe", *circle)[0] == 0
    assert run(capsys, "group", "edit", "Circle", "--role", "scribe=Dee", *circle)[0] == 0
    store = HistoryStore(data_dir)
    group = store.find_group("Circle")
    end_a_session(store, group, FakeClock(pendulum.datetime(2027, 1, 7, 16, tz="UTC")))
    # The JSON export holds the group's roles and who held which in the session.
    out = tmp_path / "circle.json"
    assert run(capsys, "export", "Circle", "--format", "json", "-o", str(out), *circle)[0] == 0
    exported = json.loads(out.read_text())
    assert exported["group"]["roles"] == ["host", "scribe"]
    dee = next(m["id"] for m in exported["group"]["members"] if m["name"] == "Dee")
    assert {"role": "scribe", "member_id": dee} in exported["sessions"][0]["roles"]
    # Imported into another data folder, the roles come back as they were.
    other = HistoryStore(tmp_path / "other")
    bundle = parse_bundle(out.read_text())
    import_bundle(other, bundle)
    again = other.find_group("Circle")
    assert again.roles == ("host", "scribe")
    assert stored(other.sessions(again.id)[0])["roles"] == exported["sessions"][0]["roles"]
    rebuilt = json.loads(dumps_bundle(build_bundle(again, other.sessions(again.id), [])))
    assert rebuilt["sessions"][0]["roles"] == exported["sessions"][0]["roles"]


def test_the_recap_exports_and_the_invitation_name_the_holders(
    circle: list[str], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = HistoryStore(data_dir)
    group = store.find_group("Circle")
    end_a_session(store, group, FakeClock(pendulum.datetime(2027, 1, 7, 16, tz="UTC")))
    for kind in ("md", "txt"):
        out = tmp_path / f"recap.{kind}"
        assert run(capsys, "export", "Circle", "--format", kind, "-o", str(out), *circle)[0] == 0
        text = out.read_text()
        assert "Roles" in text and "host: Ana" in text and "facilitator: Bo" in text, kind
    # The invitation names the next meeting's holders: the rota's next proposal.
    out = tmp_path / "circle.ics"
    assert run(capsys, "export", "Circle", "--format", "ics", "-o", str(out), *circle)[0] == 0
    unfolded = out.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "Roles at the next meeting: host: Cy\\, facilitator: Dee" in unfolded


def test_a_bundle_with_a_bad_role_is_refused_naming_the_field(data_dir: Path) -> None:
    group = {
        "id": "g1",
        "name": "Circle",
        "members": [{"id": "m1", "name": "Ana"}],
        "created_at": "2026-01-01T00:00:00+00:00",
        "roles": ["host", "HOST"],
    }
    text = json.dumps(
        {
            "format": "peersession-bundle",
            "version": 1,
            "schema": 2,
            "includes_private": False,
            "group": group,
            "sessions": [],
            "commitments": [],
            "checkins": [],
        }
    )
    with pytest.raises(Exception, match="named twice"):
        parse_bundle(text)
