"""Members who join, pause and leave, and guests (issue 24 item 3).

The meetings here are real: each session is planned by ``plan_setup`` (who is
expected, the guests, the rota's holders), run by the engine from its journal's
first entry, and folded into its stored record by ``session_record``; the
figures are then read from those records, as the history reads them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pendulum
import pytest
from msgspec import UNSET
from msgspec.structs import replace
from pendulum import DateTime

from peersession.core import events as ev
from peersession.core.accountability import open_commitments
from peersession.core.engine import InvalidAction, Meeting
from peersession.core.figures import all_member_figures, group_figures
from peersession.core.lifecycle import Leave, away_line, counted_line, expected
from peersession.core.model import Group, Member, Visitor
from peersession.core.privacy import seen_by
from peersession.core.record_types import read_as, stored
from peersession.core.roles import holders_of, recency
from peersession.core.session_records import Commitment, Guest, Session
from peersession.core.setup import MeetingSetup, plan_setup
from peersession.core.templates import template_for

from engine_support import recorded_session, session_doc

FIRST = pendulum.datetime(2027, 1, 7, 16, 0, tz="UTC")
NAMES = ("Ana", "Bo", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal")


def group_of_eight(**changes: Any) -> Group:
    members = tuple(Member(name.lower(), name, joined=date(2027, 1, 1)) for name in NAMES)
    group = Group(
        id="g", name="Circle", members=members, created_at=FIRST.subtract(days=30).isoformat()
    )
    return replace(group, **changes)


def with_member(group: Group, member_id: str, **changes: Any) -> Group:
    members = tuple(replace(m, **changes) if m.id == member_id else m for m in group.members)
    return replace(group, members=members)


def session_on(number: int) -> DateTime:
    """The start of session ``number`` (1-based): every three weeks."""
    return FIRST.add(days=21 * (number - 1))


def run_session(
    group: Group,
    history: list[Session],
    number: int,
    *,
    guests: tuple[str, ...] = (),
    absent: tuple[str, ...] = (),
    actions: tuple[ev.Action, ...] = (),
) -> tuple[Session, Meeting]:
    """One session, planned from ``history``, run by the engine and recorded."""
    start = session_on(number)
    setup = plan_setup(
        session_id=f"s{number}",
        group=group,
        template=template_for("full"),
        today=start.date(),
        recent_sessions=history[-6:],
        open_commitments=(),
        checkins=(),
        started=start,
        roles_held=recency(history),
        guests=[(f"guest{number}-{i}", name) for i, name in enumerate(guests)],
    )
    meeting = Meeting.replay([ev.Entry(1, start, ev.SessionStarted(setup=setup.to_doc()))])
    seq = 1
    for action in (
        *(ev.AttendanceMarked(member_id=m, status="absent") for m in absent),
        *actions,
        ev.SessionEnded(),
    ):
        seq += 1
        meeting.apply(ev.Entry(seq, start.add(minutes=seq), action))
    return recorded_session(meeting), meeting


def twelve_sessions() -> tuple[Group, list[Session]]:
    """Eight members over twelve sessions: Cy on leave for sessions 4 to 6,
    Hal joining at session 3, a guest at session 5."""
    group = group_of_eight()
    group = with_member(
        group,
        "cy",
        leave=(Leave(session_on(4).date(), session_on(6).date()),),
    )
    group = with_member(group, "hal", joined=session_on(3).date())
    history: list[Session] = []
    for number in range(1, 13):
        guests = ("Dr Lee",) if number == 5 else ()
        session, _ = run_session(group, history, number, guests=guests)
        history.append(session)
    return group, history


# -- the rota --------------------------------------------------------------------------------


def test_a_rota_of_twelve_sessions_with_leave_and_a_guest_is_fair_and_the_same_each_time() -> None:
    group, history = twelve_sessions()
    _, again = twelve_sessions()
    assert [holders_of(s.roles) for s in history] == [holders_of(s.roles) for s in again]
    for role in group.roles:
        this_round: set[str] = set()
        for session in history:
            holder = next(h.member_id for h in session.roles or () if h.role == role)
            present = set(session.attendance) - {g.id for g in session.guests or ()}
            assert holder in present, f"{role}: {holder} held it while not expected"
            if holder in this_round:
                missing = present - this_round
                assert not missing, f"{role}: {holder} again before {sorted(missing)} held it"
                this_round = set()
            this_round.add(holder)
    # Cy is on leave for sessions 4 to 6, Hal had not joined at 1 and 2: no role then.
    for number, session in enumerate(history, start=1):
        holders = {h.member_id for h in session.roles or ()}
        if 4 <= number <= 6:
            assert "cy" not in holders and "cy" not in session.attendance
        if number < 3:
            assert "hal" not in holders and "hal" not in session.attendance
        assert not any(h.startswith("guest") for h in holders)


# -- guests ----------------------------------------------------------------------------------


def test_a_guest_speaks_is_timed_and_is_named_in_the_session_only() -> None:
    group, history = twelve_sessions()
    assert stored(history[4])["guests"] == [{"id": "guest5-0", "name": "Dr Lee"}]
    assert all(s.guests is UNSET for i, s in enumerate(history) if i != 4)
    assert all(m.name != "Dr Lee" for m in group.members)
    # The updates round: every member, then the guest, a minute each.
    spoke, meeting = run_session(
        group_of_eight(),
        [],
        1,
        guests=("Dr Lee",),
        actions=(ev.PhaseJumped(phase="updates"), *(ev.Next() for _ in range(9))),
    )
    assert spoke.order[-1] == "guest1-0"
    turn = next(t for t in spoke.turns if t.member_id == "guest1-0")
    assert turn.seconds == 60
    assert meeting.name("guest1-0") == "Dr Lee"


def first_setup(group: Group, guests: list[tuple[str, str]]) -> MeetingSetup:
    """The setup of a first session on ``FIRST``, with these guests."""
    return plan_setup(
        session_id="s",
        group=group,
        template=template_for("full"),
        today=FIRST.date(),
        recent_sessions=(),
        open_commitments=(),
        checkins=(),
        guests=guests,
    )


def test_a_guest_makes_no_commitment() -> None:
    setup = first_setup(group_of_eight(), [("lee", "Dr Lee")])
    live = Meeting.replay([ev.Entry(1, FIRST, ev.SessionStarted(setup=setup.to_doc()))])
    with pytest.raises(InvalidAction, match="a guest makes no commitment"):
        live.apply(
            ev.Entry(2, FIRST, ev.CommitmentAdded(commitment_id="c1", owner="lee", text="Write"))
        )
    # Nobody asks whether the guest leaves with a commitment.
    assert "lee" not in live.members_without_commitment()
    assert "lee" in live.present
    # Nor does a guest's ask end in one: its outcome would be their commitment.
    steps = [
        ev.AskAdded(ask_id="a1", member_id="lee", text="How do I apply?"),
        ev.PhaseJumped(phase="asks"),
        ev.Next(),
    ]
    for seq, action in enumerate(steps, start=3):
        live.apply(ev.Entry(seq, FIRST, action))
    with pytest.raises(InvalidAction, match="a guest makes no commitment"):
        live.apply(ev.Entry(6, FIRST, ev.AskEnded(outcome="Apply", commitment_id="c2")))
    live.apply(ev.Entry(6, FIRST, ev.AskEnded(outcome=None, helpers=("ana",))))
    assert live.asks["a1"].part == "done" and not live.commitments


def test_a_guest_is_kept_apart_when_the_setup_is_journaled_and_read_back() -> None:
    setup = first_setup(group_of_eight(), [("lee", "Dr Lee")])
    doc = setup.to_doc()
    assert all(m["id"] != "lee" for m in doc["group"]["members"])
    assert doc["guests"] == [{"id": "lee", "name": "Dr Lee"}]
    again = MeetingSetup.from_doc(doc)
    assert again.guest_ids == {"lee"} and again.group.member("lee").guest


def test_the_setup_names_who_is_not_expected_and_why_and_keeps_it_in_the_journal() -> None:
    group = group_of_eight()
    leave = Leave(FIRST.date().subtract(days=10), FIRST.date().add(days=60))
    later = FIRST.date().add(days=30)
    members = list(group.members)
    members[1] = replace(members[1], leave=(leave,))
    members[2] = replace(members[2], joined=later)
    members[3] = replace(members[3], active=False, left=FIRST.date().subtract(days=1))
    setup = first_setup(replace(group, members=tuple(members)), [("lee", "Dr Lee")])
    expected_away = (
        ("Bo", f"on leave until {leave.last.isoformat()}"),
        ("Cy", f"joins on {later.isoformat()}"),
    )
    # Who left the group is not wondered about; a guest is here.
    assert setup.away == expected_away
    assert {"Bo", "Cy", "Dee"}.isdisjoint(m.name for m in setup.group.members)
    assert MeetingSetup.from_doc(setup.to_doc()).away == expected_away


@pytest.mark.parametrize("name", ["ana", " ANA ", "Ana\u0301"[:3]])
def test_a_guest_named_like_a_member_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="is a member of"):
        first_setup(group_of_eight(), [("x", name)])


def test_a_guest_never_appears_in_the_member_figures() -> None:
    group, history = twelve_sessions()
    figures = all_member_figures(group, history, [], session_on(13).date())
    assert set(figures) == {m.id for m in group.members}
    assert not any(key.startswith("guest") for key in figures)
    # Nor in the group's attendance: every member was present at every session
    # they were expected at, so it is whole; a guest's mark would not change it.
    assert group_figures(history, [], session_on(13).date(), group).attendance.share == 1.0
    marks = sum(len(s.attendance) for s in history)
    assert group_figures(history, [], session_on(13).date(), group).attendance.whole == marks - 1


# -- leave -----------------------------------------------------------------------------------


def test_a_member_on_leave_counts_neither_for_nor_against_attendance() -> None:
    group, history = twelve_sessions()
    # Cy missed session 9 too, without leave: that one counts against her.
    history[8].attendance["cy"] = "absent"
    figures = all_member_figures(group, history, [], session_on(13).date())
    cy = figures["cy"]
    assert (cy.attendance.part, cy.attendance.whole, cy.away) == (8, 9, 3)
    assert cy.attendance_line == "8 of 9 sessions (89%); on leave for 3"
    # Hal, who joined at session 3, is not counted absent before it.
    assert (figures["hal"].attendance.part, figures["hal"].attendance.whole) == (10, 10)
    assert figures["hal"].away == 0
    assert counted_line(7, 8, 3) == "7 of 8 sessions; on leave for 3"


def commitment(owner: str, due: str, reviews: list[dict[str, Any]] | None = None) -> Commitment:
    return read_as(
        Commitment,
        {
            "id": f"c-{owner}-{due}",
            "group_id": "g",
            "owner": owner,
            "text": "Submit the grant",
            "due": due,
            "private": False,
            "made_at": "2027-01-07T17:00:00+00:00",
            "made_in": "s1",
            "from_ask": None,
            "reviews": reviews or [],
            "updated_at": "2027-01-07T17:00:00+00:00",
        },
    )


def test_a_commitment_due_in_a_leave_is_paused_not_overdue() -> None:
    group = with_member(group_of_eight(), "cy", leave=(Leave(date(2027, 2, 1), date(2027, 5, 1)),))
    during = commitment("cy", "2027-03-01")
    before = commitment("cy", "2027-01-20")
    today = date(2027, 3, 20)
    owners = {m.id: m for m in group.members}
    listed = {o.doc.id: o for o in open_commitments([during, before], today, owners)}
    assert listed[during.id].paused and not listed[during.id].overdue
    assert listed[before.id].overdue and not listed[before.id].paused
    cy = all_member_figures(group, [], [during, before], today)["cy"]
    # Only the one due before the leave counts (and is not done).
    assert (cy.completion.part, cy.completion.whole) == (0, 1)
    assert (cy.overdue_count, cy.paused_count) == (1, 1)
    # Once reviewed, it counts like any other.
    reviewed = commitment(
        "cy", "2027-03-01", [{"at": "2027-05-20T17:00:00+00:00", "status": "done", "source": "x"}]
    )
    assert all_member_figures(group, [], [reviewed], today)["cy"].completion.part == 1


def test_who_is_expected_and_why_not() -> None:
    ana = Member(
        "ana", "Ana", joined=date(2027, 1, 1), leave=(Leave(date(2027, 2, 1), date(2027, 5, 1)),)
    )
    assert expected(ana, date(2027, 1, 15)) and not expected(ana, date(2027, 3, 1))
    assert away_line(ana, date(2027, 3, 1)) == "on leave until 2027-05-01"
    assert away_line(ana, date(2026, 12, 1)) == "joins on 2027-01-01"
    assert away_line(replace(ana, active=False), date(2027, 1, 15)) == "left the group"
    assert expected(ana, date(2027, 5, 2))


# -- privacy for a member who joined later ------------------------------------------------------


def test_a_member_who_joined_after_session_5_finds_no_private_item_of_sessions_1_to_5() -> None:
    group = with_member(group_of_eight(), "hal", joined=session_on(6).date())
    history: list[Session] = []
    commitments: list[Commitment] = []
    for number in range(1, 9):
        session, _ = run_session(
            group,
            history,
            number,
            actions=(
                ev.NoteAdded(note_id=f"secret{number}", text=f"secret {number}", private=True),
                ev.NoteAdded(note_id=f"open{number}", text=f"open {number}", private=False),
            ),
        )
        history.append(session)
    hal = group.member("hal")
    seen = seen_by(hal, history, commitments)
    texts = [n.text for s in seen.sessions for n in s.notes]
    assert not any(f"secret {n}" in texts for n in range(1, 6))
    assert all(f"secret {n}" in texts for n in range(6, 9))
    assert all(f"open {n}" in texts for n in range(1, 9))
    assert seen.sessions_cut == 5
    # Ana, with the group from the start, sees every one.
    ana = seen_by(group.member("ana"), history, commitments)
    assert sum(n.private for s in ana.sessions for n in s.notes) == 8
    # A guest sees no private item at all.
    guest = seen_by(Visitor("lee", "Dr Lee"), history, commitments)
    assert not any(n.private for s in guest.sessions for n in s.notes)


def test_a_sessions_roll_counts_members_and_guests_apart() -> None:
    from peersession.core.lifecycle import members_here

    session = msgspec.structs.replace(
        session_doc("s1", []),
        attendance={"ana": "present", "bo": "late", "cy": "absent", "lee": "present"},
        guests=[Guest(id="lee", name="Dr Lee")],
    )
    assert members_here(session) == (2, 3, 1)
    session.guests = UNSET
    assert members_here(session) == (3, 4, 0), "a session saved before guests"


def test_the_rooms_board_names_who_is_not_expected_after_the_journal() -> None:
    """The follow window's board, from a meeting replayed from its journal line."""
    from peersession.tui.widgets.board import opening_board

    from engine_support import MeetingDriver

    group = group_of_eight()
    leave = Leave(FIRST.date().subtract(days=1), FIRST.date().add(days=90))
    members = (group.members[0], replace(group.members[1], leave=(leave,)), *group.members[2:])
    driver = MeetingDriver(replace(group, members=members), start=FIRST)
    board = opening_board(driver.meeting, driver.now).plain
    assert board.endswith(f"Not expected\n  Bo (on leave until {leave.last.isoformat()})")
    assert "Attendance · 7 here" in board
    everyone = MeetingDriver(group_of_eight(), start=FIRST)
    assert "Not expected" not in opening_board(everyone.meeting, everyone.now).plain
