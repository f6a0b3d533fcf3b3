"""Time asked for: requests at the opening, each speaker's own timebox, kept in the history.

The expected turns are worked out by hand in each test from the agenda's
figures (the full template's 120 minutes leave 85 minutes of talking time,
40% of it for the round), never by calling the split being tested.
"""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from msgspec import UNSET
from msgspec.structs import replace
from textual.content import Content

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.engine import InvalidAction
from peersession.core.model import Group
from peersession.core.readout import compute_readout
from peersession.core.recap import build_recap
from peersession.core.record_types import stored
from peersession.core.steps import Refuse
from peersession.core.talking_time import Request, scale_to_fit, split_talking
from peersession.exports.bundle import parse_bundle
from peersession.exports.bundle_import import import_bundle
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.screens.history_data import GroupHistory
from peersession.tui.screens.history_pages import session_blocks

from engine_support import MeetingDriver, make_group

#: The full template's talking time for a 120-minute meeting: 120 less the
#: fixed phases (opening 5, wins 5, review 10, commitments 10, close 5).
TALKING = 85 * 60


def requests_group(size: int = 8) -> Group:
    return replace(make_group(size), talking_time="requests")


def ask(driver: MeetingDriver, member: str, minutes: float) -> None:
    driver.act(ev.TimeRequested(member_id=member, choice="minutes", seconds=minutes * 60))


def turn_budgets(driver: MeetingDriver) -> dict[str, float]:
    """Each member's turn timebox as the round gives it, speaker by speaker."""
    driver.goto("updates")
    budgets = {}
    while driver.meeting.speaker is not None:
        budgets[driver.meeting.speaker] = driver.meeting.turns[driver.meeting.speaker].box.budget
        if not driver.meeting.queue:
            break
        driver.act(ev.Next(), after_seconds=30)
    return budgets


# --- the split ---------------------------------------------------------------------


def test_requests_that_fit_are_granted_and_the_rest_is_shared_equally() -> None:
    driver = MeetingDriver(requests_group())
    ask(driver, "ada", 20)
    driver.act(ev.TimeRequested(member_id="bea", choice="pass"))
    driver.act(ev.TimeRequested(member_id="cy", choice="default"))
    # Ada's 20 minutes and Bea's one-minute pass come out of the 85 minutes; the
    # six others share what is left as the equal rule would (40% of it in turns).
    others = (TALKING - 1200 - 60) * 0.4 / 6
    assert others == 256.0
    assert turn_budgets(driver) == {
        "ada": 1200.0,
        "bea": 60.0,
        **{m: others for m in ("cy", "dee", "eve", "fay", "gus", "hal")},
    }


def test_a_speaker_s_own_timebox_is_what_the_room_counts_down() -> None:
    driver = MeetingDriver(requests_group())
    ask(driver, "ada", 20)
    driver.goto("updates")
    driver.advance(65)
    readout = compute_readout(driver.meeting, driver.now)
    assert (readout.speaker, readout.digits, readout.budget) == ("Ada", "18:55", 1200)
    assert readout.share_line == "Asked for 20 min at the opening"


def test_nobody_asking_shares_the_time_exactly_as_the_equal_rule() -> None:
    equal = MeetingDriver(make_group(8))
    asking = MeetingDriver(requests_group())
    asking.act(ev.TimeRequested(member_id="ada", choice="default"))
    assert turn_budgets(asking) == turn_budgets(equal)
    assert set(turn_budgets(MeetingDriver(make_group(8))).values()) == {TALKING * 0.4 / 8}


def test_requests_that_do_not_fit_say_by_how_much_and_hold_the_opening() -> None:
    driver = MeetingDriver(requests_group())
    for member, minutes in (("ada", 40), ("bea", 30), ("cy", 25)):
        ask(driver, member, minutes)
    # 85 minutes, less a minute kept for each of the five others: 80 available.
    message = driver.refuse(ev.Next(), "asked 95 min, 80 available: 15 over")
    step = driver.meeting.next_step()
    assert isinstance(step, Refuse) and "15 over" in step.reason
    assert isinstance(driver.meeting.phase_step(+1), Refuse)
    driver.refuse(ev.PhaseJumped(phase="updates"), "15 over")
    assert "s scales it to fit" in message
    driver.act(ev.TimeRequestsScaled())
    driver.refuse(ev.TimeRequestsScaled(), "already accepted")
    # A changed request is a new proposal: accepted again, or changed to fit.
    ask(driver, "cy", 26)
    driver.refuse(ev.Next(), "asked 96 min, 80 available: 16 over")
    ask(driver, "cy", 10)
    driver.refuse(ev.TimeRequestsScaled(), "fits")
    driver.act(ev.Next())  # 80 minutes asked of 80: it fits
    assert driver.meeting.phase.name == "wins"


def test_the_scaling_is_proportional_in_whole_seconds_and_sums_exactly() -> None:
    driver = MeetingDriver(requests_group())
    for member, minutes in (("ada", 40), ("bea", 30), ("cy", 25)):
        ask(driver, member, minutes)
    driver.act(ev.TimeRequestsScaled())
    driver.act(ev.Next())
    budgets = turn_budgets(driver)
    granted = [budgets[m] for m in ("ada", "bea", "cy")]
    assert sum(granted) == 80 * 60
    assert all(b == int(b) for b in granted)
    for given_, asked in zip(granted, (40, 30, 25), strict=True):
        assert abs(given_ - asked * 4800 / 95) < 1
    # Those who took the default keep the agenda's shortest turn.
    assert {budgets[m] for m in ("dee", "eve", "fay", "gus", "hal")} == {60.0}


@given(
    st.dictionaries(st.sampled_from("abcdefghij"), st.integers(1, 14_400), min_size=1),
    st.integers(1, 40_000),
)
def test_scale_to_fit_sums_exactly_and_stays_within_a_second_of_proportion(
    asked: dict[str, int], available: int
) -> None:
    scaled = scale_to_fit(asked, available, sorted(asked))
    total = sum(asked.values())
    target = min(available, total)
    assert sum(scaled.values()) == target
    for member, seconds in asked.items():
        exact = seconds * target / total
        assert abs(scaled[member] - exact) < 1
        assert 0 <= scaled[member] <= seconds
    assert scale_to_fit(dict(reversed(list(asked.items()))), available, sorted(asked)) == scaled


def test_the_split_never_gives_turns_more_than_the_talking_time() -> None:
    here = [f"m{i}" for i in range(7)]
    requests = {"m0": Request("minutes", 3000), "m1": Request("minutes", 2400)}
    shares = split_talking(
        here, requests, 2040.0, 3060.0, rule="requests", turn_min=60, turn_max=1200
    )
    assert shares.over == 3000 + 2400 - (5100 - 5 * 60)
    assert sum(shares.turns.values()) <= 5100
    assert shares.updates + shares.asks == 5100


# --- arrivals, leavers, a kill ------------------------------------------------------


def test_a_late_arrival_and_a_leaver_recompute_the_next_turns() -> None:
    driver = MeetingDriver(requests_group())
    driver.act(ev.AttendanceMarked(member_id="hal", status="late"))
    ask(driver, "ada", 20)
    driver.goto("updates")
    assert driver.meeting.speaker == "ada"
    # Seven here: six share what Ada's 20 minutes leave.
    assert driver.meeting.turn_seconds_for("bea") == (TALKING - 1200) * 0.4 / 6
    driver.act(ev.MemberArrived(member_id="hal"), after_seconds=60)
    assert driver.meeting.turn_seconds_for("bea") == pytest.approx((TALKING - 1200) * 0.4 / 7)
    driver.act(ev.MemberLeft(member_id="gus"), after_seconds=60)
    driver.act(ev.Next(), after_seconds=60)
    assert driver.meeting.speaker == "bea"
    assert driver.meeting.turns["bea"].box.budget == (TALKING - 1200) * 0.4 / 6
    # Ada's turn was hers as asked, whoever came or went.
    assert driver.meeting.turns["ada"].box.budget == 1200


def test_a_request_is_refused_once_the_member_has_had_the_floor() -> None:
    driver = MeetingDriver(requests_group())
    driver.goto("updates")
    driver.refuse(ev.TimeRequested(member_id="ada", choice="minutes", seconds=600), "had the floor")
    driver.refuse(ev.TimeRequested(member_id="bea", choice="minutes", seconds=0.5), "whole")
    driver.refuse(
        ev.TimeRequested(member_id="bea", choice="minutes", seconds=300 * 60),
        "from 1 second to 240 min",
    )
    driver.refuse(ev.TimeRequested(member_id="bea", choice="pass", seconds=60), "how long")
    driver.refuse(ev.TimeRequested(member_id="bea", choice="later"), "minutes, a pass")
    equal = MeetingDriver(make_group(4))
    equal.refuse(ev.TimeRequested(member_id="ada", choice="pass"), "equally")


def crash(live: LiveSession) -> None:
    """What kill -9 leaves: the journal as written, the lock released by the OS."""
    live.journal.close()
    live.lock.release()


@pytest.fixture
def asking(store: HistoryStore, group: Group) -> Group:
    changed = replace(group, talking_time="requests")
    store.save_group(changed)
    return changed


def test_resume_after_a_kill_keeps_the_requests_and_the_accepted_scaling(
    store: HistoryStore, asking: Group, clock: FakeClock
) -> None:
    ids = [m.id for m in asking.members]
    live = LiveSession.start(store, asking, clock)
    live.dispatch(ev.TimeRequested(member_id=ids[0], choice="minutes", seconds=50 * 60))
    live.dispatch(ev.TimeRequested(member_id=ids[1], choice="minutes", seconds=50 * 60))
    live.dispatch(ev.TimeRequested(member_id=ids[2], choice="pass"))
    live.dispatch(ev.TimeRequestsScaled())
    before = live.meeting.shares()
    assert before.over > 0
    crash(live)
    resumed = LiveSession.resume(store, asking, clock)
    assert resumed.meeting.requests == {
        ids[0]: Request("minutes", 3000),
        ids[1]: Request("minutes", 3000),
        ids[2]: Request("pass"),
    }
    assert resumed.meeting.requests_scaled
    assert resumed.meeting.shares() == before
    resumed.dispatch(ev.Next())  # the accepted scaling still lets the opening end


# --- the history: the session record, the recap, a bundle, the shared folder --------


def end_with_requests(store: HistoryStore, group: Group, clock: FakeClock) -> list[str]:
    ids = [m.id for m in group.members]
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.TimeRequested(member_id=ids[0], choice="minutes", seconds=15 * 60))
    live.dispatch(ev.TimeRequested(member_id=ids[1], choice="pass"))
    live.dispatch(ev.PhaseJumped(phase="updates"))
    clock.advance(16 * 60 + 4)
    live.dispatch(ev.Next())
    clock.advance(40)
    live.end()
    return ids


def test_the_session_keeps_what_was_asked_and_used_and_the_recap_says_it(
    store: HistoryStore, asking: Group, clock: FakeClock
) -> None:
    ids = end_with_requests(store, asking, clock)
    session = store.sessions(asking.id)[-1]
    rows = {row["member_id"]: row for row in stored(session)["time_asked"]}
    assert rows[ids[0]] == {
        "member_id": ids[0],
        "choice": "minutes",
        "asked_seconds": 900.0,
        "given_seconds": 900.0,
        "used_seconds": 964.0,
    }
    assert (rows[ids[1]]["choice"], rows[ids[1]]["given_seconds"]) == ("pass", 60.0)
    assert rows[ids[1]]["used_seconds"] == 40.0
    assert rows[ids[2]]["choice"] == "default" and rows[ids[2]]["used_seconds"] == 0.0
    sections = {s.title: s for s in build_recap(asking, session, [], {})}
    lines = [(line.who, line.text) for line in sections["Time asked for"].lines]
    names = [m.name for m in asking.members]
    assert (names[0], "asked for 15 min · had 15:00 · used 16:04") in lines
    assert (names[1], "passed · had 01:00 · used 00:40") in lines
    assert (names[2], "took an equal share · no turn") in lines
    # The history's session page opens with that recap.
    data = GroupHistory(asking, store.sessions(asking.id), [], [], clock.now().date())
    page = session_blocks(data, session)[0].render()
    assert isinstance(page, Content)
    assert "Time asked for" in page.plain
    assert f"{names[0]}: asked for 15 min · had 15:00 · used 16:04" in page.plain


def test_a_group_sharing_equally_keeps_no_requests(
    store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    live = LiveSession.start(store, group, clock)
    live.end()
    session = store.sessions(group.id)[-1]
    assert session.time_asked is UNSET
    assert "Time asked for" not in [s.title for s in build_recap(group, session, [], {})]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_requests_travel_in_the_json_export_and_come_back_from_a_bundle(
    store: HistoryStore,
    asking: Group,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    end_with_requests(store, asking, clock)
    out = tmp_path / "circle.json"
    code, _, err = run(
        capsys, "export", asking.name, "--all", "--format", "json", "-o", str(out),
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    exported = json.loads(out.read_text())
    assert exported["group"]["talking_time"] == "requests"
    asked = exported["sessions"][0]["time_asked"]
    assert asked[0]["asked_seconds"] == 900.0
    other = HistoryStore(tmp_path / "other")
    import_bundle(other, parse_bundle(out.read_text()))
    again = other.find_group(asking.name)
    assert again.talking_time == "requests"
    assert stored(other.sessions(again.id)[0])["time_asked"] == asked


def test_requests_reach_another_machine_through_the_shared_folder(
    store: HistoryStore,
    asking: Group,
    clock: FakeClock,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shared, key, bo = tmp_path / "Sync" / "circle", tmp_path / "k", tmp_path / "bo"
    code, _, err = run(
        capsys, "share", asking.name, str(shared), "--key-file", str(key),
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    end_with_requests(HistoryStore(data_dir), asking, clock)
    assert run(capsys, "sync", "--data-dir", str(bo))[0] == 0
    theirs = HistoryStore(bo)
    assert theirs.find_group(asking.name).talking_time == "requests"
    assert theirs.sessions(asking.id)[-1].time_asked == (store.sessions(asking.id)[-1].time_asked)


# --- group edit ---------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["sometimes", "", "requests,equal", "é" * 60, "\x1b[31mred"])
def test_a_bad_talking_time_rule_is_refused_in_one_line_and_changes_nothing(
    group: Group, data_dir: Path, capsys: pytest.CaptureFixture[str], typed: str
) -> None:
    index = (data_dir / "peersession.json").read_bytes()
    code, out, err = run(
        capsys, "group", "edit", group.name, "--talking-time", typed, "--data-dir", str(data_dir)
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "--talking-time:" in err and "(equal or requests)" in err
    assert "\x1b" not in err
    assert (data_dir / "peersession.json").read_bytes() == index


def test_group_edit_sets_the_rule_and_group_show_says_it(
    group: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ("--data-dir", str(data_dir))
    shown = run(capsys, "group", "show", group.name, *d)[1]
    assert "talking:  equal: the same turn for each member present" in shown
    assert json.loads(run(capsys, "group", "show", group.name, "--json", *d)[1])[
        "talking_time"
    ] == ("equal")
    code, out, _ = run(capsys, "group", "edit", group.name, "--talking-time", "Requests", *d)
    assert code == 0
    assert out == (
        f"{group.name}: talking time: requests: each member asks for minutes "
        "at the opening (was equal)\n"
    )
    shown = run(capsys, "group", "show", group.name, *d)[1]
    assert "talking:  requests: each member asks for minutes at the opening" in shown
    view = json.loads(run(capsys, "group", "show", group.name, "--json", *d)[1])
    assert view["talking_time"] == "requests"
    assert HistoryStore(data_dir).find_group(group.name).talking_time == "requests"


def test_a_group_written_before_the_rule_shares_equally(store: HistoryStore) -> None:
    doc = make_group(3).to_doc()
    del doc["talking_time"]
    assert Group.from_doc(doc).talking_time == "equal"
    # The declaration names the two rules: anything else is refused as it is read.
    with pytest.raises(ValueError, match="talking_time"):
        Group.from_doc({**doc, "talking_time": "loudest"})


def test_a_journal_with_a_bad_request_is_refused_before_the_fold() -> None:
    with pytest.raises(ValueError, match="seconds"):
        ev.Entry.from_doc(
            {
                "seq": 2,
                "at": pendulum.datetime(2026, 1, 6, tz="UTC").isoformat(),
                "type": "time_requested",
                "data": {"member_id": "ada", "choice": "minutes", "seconds": "ten"},
            }
        )
    with pytest.raises(InvalidAction):
        MeetingDriver(requests_group()).act(ev.TimeRequested(member_id="nobody", choice="pass"))


def test_the_rooms_board_shows_the_round_and_the_console_each_members_turn() -> None:
    from peersession.tui.widgets.board import opening_board
    from peersession.tui.widgets.talking import up_next_block

    driver = MeetingDriver(requests_group())
    for member, minutes in (("ada", 40), ("bea", 30), ("cy", 25)):
        ask(driver, member, minutes)
    board = opening_board(driver.meeting, driver.now).plain
    assert "Time asked for\n■ Asked 95 min, 80 available: 15 over · s: scale to fit" in board
    assert "▲ 40 min → 33:41" in board and "· equal · 01:00" in board
    driver.act(ev.TimeRequestsScaled())
    driver.goto("updates")
    waiting = up_next_block(driver.meeting).plain
    assert "1. Bea  25:16" in waiting and "2. Cy  21:03" in waiting and "3. Dee  01:00" in waiting
    equal = MeetingDriver(make_group(3))
    assert "Time asked for" not in opening_board(equal.meeting, equal.now).plain
