"""Accountability figures as pure logic: due, completion, carry-over, attendance, wins."""

from __future__ import annotations

from datetime import date
from typing import Any

import pendulum
import pytest

from peersession.core import accountability as acc
from peersession.core import figures as figs
from peersession.core import win_counts
from peersession.core.commitment_state import commitment_status
from peersession.core.record_types import read_as
from peersession.core.session_records import Ask, Commitment, Session, Turn
from peersession.demo import demo_history

from engine_support import read_sessions

TODAY = date(2026, 3, 10)


def review(status: str, at: str = "2026-02-01T17:00:00+00:00", **extra: Any) -> dict[str, Any]:
    """A review as stored (a commitment's, or a session's)."""
    doc: dict[str, Any] = {"at": at, "status": status, "source": "session", "source_id": "s1"}
    doc.update(extra)
    return doc


def commitment(
    cid: str = "c1",
    *,
    owner: str = "ana",
    due: str | None = "2026-03-05",
    reviews: list[dict[str, Any]] | None = None,
) -> Commitment:
    return read_as(
        Commitment,
        {
            "id": cid,
            "group_id": "g",
            "owner": owner,
            "text": f"commitment {cid}",
            "due": due,
            "private": False,
            "made_at": "2026-01-01T17:00:00+00:00",
            "made_in": "s0",
            "from_ask": None,
            "reviews": reviews or [],
            "updated_at": "2026-01-01T17:00:00+00:00",
        },
    )


def session(
    sid: str,
    attendance: dict[str, str],
    *,
    reviews: dict[str, dict[str, Any]] | None = None,
    ratings: dict[str, int] | None = None,
    wins: list[dict[str, Any]] | None = None,
    started_at: str = "2026-02-01T16:00:00+00:00",
) -> Session:
    doc: dict[str, Any] = {
        "id": sid,
        "group_id": "g",
        "template": "full",
        "started_at": started_at,
        "ended_at": started_at,
        "planned_minutes": 120,
        "attendance": attendance,
        "order": list(attendance),
        "turns": [],
        "asks": [],
        "wins": wins or [],
        "commitment_ids": [],
        "reviews": reviews or {},
        "ratings": ratings or {},
        "notes": [],
        "next_meeting": None,
        "updated_at": started_at,
    }
    return read_as(Session, doc)


# -- due -------------------------------------------------------------------------------


def test_due_means_date_reached_or_reviewed_at_least_once() -> None:
    assert acc.is_due(commitment(due="2026-03-10"), TODAY), "due today counts"
    assert acc.is_due(commitment(due="2026-03-01"), TODAY), "past due counts"
    assert not acc.is_due(commitment(due="2026-03-11"), TODAY), "a future date does not"
    assert not acc.is_due(commitment(due=None), TODAY), "no date and no review does not"
    early = commitment(due="2026-04-01", reviews=[review("done")])
    assert acc.is_due(early, TODAY), "a review counts whatever the date said"


def test_renegotiated_due_date_replaces_the_original() -> None:
    moved = commitment(due="2026-03-01", reviews=[review("renegotiated", due="2026-04-01")])
    assert acc.due_date(moved) == date(2026, 4, 1)
    assert acc.is_due(moved, TODAY), "reviewed, so due even though the new date is later"


# -- completion and carry-over ------------------------------------------------------------------


def test_completion_counts_done_out_of_due() -> None:
    docs = [
        commitment("a", reviews=[review("done")]),
        commitment("b", reviews=[review("partial"), review("done", at="2026-03-01T00:00:00Z")]),
        commitment("c", reviews=[review("dropped")]),
        commitment("d", reviews=[review("not_done")]),
        commitment("e", due="2026-03-09"),  # due, never reviewed: counts against
        commitment("f", due="2026-12-01"),  # not due yet: not counted
    ]
    rate = acc.completion(docs, TODAY)
    assert (rate.part, rate.whole) == (2, 5)
    assert rate.label() == "2/5 (40%)"


def test_carried_over_means_sent_round_again_before_closing() -> None:
    assert acc.is_carried_over(commitment(reviews=[review("partial"), review("done")]))
    assert acc.is_carried_over(commitment(reviews=[review("renegotiated")]))
    assert acc.is_carried_over(commitment(reviews=[review("not_done")]))
    assert not acc.is_carried_over(commitment(reviews=[review("done")]))
    assert not acc.is_carried_over(commitment(reviews=[review("dropped")]))
    assert not acc.is_carried_over(commitment())
    # A status after it closed does not make it carried over.
    assert not acc.is_carried_over(commitment(reviews=[review("done"), review("partial")]))
    docs = [
        commitment("a", reviews=[review("partial"), review("done")]),
        commitment("b", reviews=[review("done")]),
    ]
    assert acc.carry_over(docs, TODAY).label() == "1/2 (50%)"


def test_nothing_to_count_is_a_dash_not_zero_percent() -> None:
    rate = acc.completion([], TODAY)
    assert rate.share is None
    assert rate.label() == "–"
    assert rate.percent() == "–"


# -- open and overdue -------------------------------------------------------------------


def test_open_commitments_overdue_first_most_overdue_first() -> None:
    docs = [
        commitment("later", due="2026-03-20"),
        commitment("no-date", due=None),
        commitment("bit-late", due="2026-03-09"),
        commitment("very-late", due="2026-02-01", reviews=[review("partial")]),
        commitment("today", due="2026-03-10"),
        commitment("closed", due="2026-01-01", reviews=[review("done")]),
    ]
    found = acc.open_commitments(docs, TODAY)
    assert [o.doc.id for o in found] == ["very-late", "bit-late", "today", "later", "no-date"]
    assert [o.overdue_days for o in found] == [37, 1, 0, 0, 0]
    assert found[0].status == "partial"
    assert not found[2].overdue, "due today is not overdue yet"


# -- sessions -------------------------------------------------------------------------------


def test_attendance_counts_present_and_late_out_of_the_roll() -> None:
    sessions = [
        session("1", {"ana": "present", "bo": "absent"}),
        session("2", {"ana": "late", "bo": "present", "cy": "present"}),  # cy joined
    ]
    assert acc.attendance(sessions, "ana").label() == "2/2 (100%)"
    assert acc.attendance(sessions, "bo").label() == "1/2 (50%)"
    assert acc.attendance(sessions, "cy").label() == "1/1 (100%)", "not absent before joining"
    assert acc.attendance(sessions).label() == "4/5 (80%)"


def test_session_done_is_the_share_of_its_reviews_done() -> None:
    doc = session(
        "1", {}, reviews={"a": review("done"), "b": review("partial"), "c": review("done")}
    )
    assert acc.session_done(doc).label() == "2/3 (67%)"


def test_airtime_adds_the_turn_and_the_asks_brought() -> None:
    doc = session("1", {"ana": "present"})
    doc.turns = [Turn(member_id="ana", seconds=300.0, passed=False, notes=[])]
    doc.asks = [ask("ana", question_seconds=60.0, advice_seconds=240.0)]
    assert acc.airtime(doc) == {"ana": 600.0}


def ask(member_id: str, *, question_seconds: float, advice_seconds: float) -> Ask:
    return Ask(
        id="a1",
        member_id=member_id,
        text="an ask",
        wanted_seconds=600.0,
        private=False,
        votes=0,
        question_seconds=question_seconds,
        advice_seconds=advice_seconds,
        extensions=[],
        outcome=None,
        commitment_id=None,
        helpers=[],
        notes=[],
        done=True,
    )


# -- wins ------------------------------------------------------------------------------------


def win(kind: str, at: str, private: bool = False) -> dict[str, Any]:
    return {
        "id": at + kind,
        "member_id": "ana",
        "kind": kind,
        "text": "x",
        "private": private,
        "at": at,
    }


def test_wins_are_rolled_up_per_year_and_said_in_words() -> None:
    sessions = [
        session(
            "1",
            {},
            wins=[
                win("promotion", "2026-01-05T17:00:00+00:00"),
                win("promotion", "2026-02-05T17:00:00+00:00"),
                win("grant", "2026-02-05T17:00:00+00:00"),
                win("personal", "2026-02-05T17:00:00+00:00", private=True),
                win("publication", "2025-11-05T17:00:00+00:00"),
            ],
        )
    ]
    years = win_counts.wins_by_year(sessions)
    assert years == {2026: {"promotion": 2, "grant": 1, "personal": 1}, 2025: {"publication": 1}}
    assert win_counts.wins_by_year(sessions, include_private=False)[2026] == {
        "promotion": 2,
        "grant": 1,
    }
    assert win_counts.wins_summary(years, TODAY) == (
        "this year: 2 promotions, 1 grant, 1 personal win · 2025: 1 publication"
    )
    assert (
        win_counts.wins_summary({2025: {"grant": 2}}, TODAY)
        == "this year: none yet · 2025: 2 grants"
    )
    assert win_counts.wins_summary({}, TODAY) == "no wins recorded yet"


# -- on the demo history --------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Any:
    return demo_history(today=pendulum.date(2026, 3, 10))


def test_group_figures_agree_with_the_member_figures(demo: Any) -> None:
    commitments = demo.commitments()
    group = figs.group_figures(read_sessions(demo.sessions), commitments, TODAY)
    members = figs.all_member_figures(demo.group, read_sessions(demo.sessions), commitments, TODAY)
    assert group.completion.whole == sum(m.completion.whole for m in members.values())
    assert group.completion.part == sum(m.completion.part for m in members.values())
    assert group.attendance.whole == sum(m.attendance.whole for m in members.values())
    assert group.open_count == sum(m.open_count for m in members.values())
    assert len(group.ratings) == len(read_sessions(demo.sessions))
    assert all(0.0 <= share <= 1.0 for share in group.completion_trend)
    rates = {m.completion.share for m in members.values()}
    assert len(rates) > 2, "the demo gives members different completion rates"


def test_member_figures_count_only_their_own_commitments(demo: Any) -> None:
    commitments = demo.commitments()
    member = demo.group.members[0].id
    figures = figs.member_figures(member, read_sessions(demo.sessions), commitments, TODAY)
    mine = [c for c in commitments if c.owner == member]
    assert figures.completion.whole == sum(1 for c in mine if acc.is_due(c, TODAY))
    assert figures.completion.part == sum(
        1 for c in mine if acc.is_due(c, TODAY) and commitment_status(c) == "done"
    )
    rated = [s for s in read_sessions(demo.sessions) if member in s.ratings]
    assert figures.ratings == [s.ratings[member] for s in rated]
    assert figures.airtime_seconds > 0


def _one_member_by_definition(
    member_id: str, sessions: list[Session], commitments: list[Commitment]
) -> figs.MemberFigures:
    """The member's figures worked out the plain way, one member at a time (the
    reference the one-walk ``members_figures`` is held to)."""
    mine = [c for c in commitments if c.owner == member_id]
    owned = {c.id for c in mine}
    trend: list[float] = []
    ratings: list[int] = []
    spent = 0.0
    spoke_in = late = 0
    for session in sessions:
        reviews = [r for cid, r in session.reviews.items() if cid in owned]
        if reviews:
            trend.append(sum(1 for r in reviews if r.status == "done") / len(reviews))
        if member_id in session.ratings:
            ratings.append(session.ratings[member_id])
        seconds = acc.airtime(session).get(member_id, 0.0)
        if seconds:
            spent += seconds
            spoke_in += 1
        late += session.attendance.get(member_id) == "late"
    still_open = acc.open_commitments(mine, TODAY)
    return figs.MemberFigures(
        member_id=member_id,
        completion=acc.completion(mine, TODAY),
        carried=acc.carry_over(mine, TODAY),
        attendance=acc.attendance(sessions, member_id),
        late=late,
        airtime_seconds=spent,
        spoke_in=spoke_in,
        open_count=len(still_open),
        overdue_count=sum(1 for o in still_open if o.overdue),
        ratings=ratings,
        completion_trend=trend,
    )


def test_every_members_figures_from_one_walk_equal_each_worked_out_alone(demo: Any) -> None:
    commitments = demo.commitments()
    sessions = read_sessions(demo.sessions)
    members = figs.all_member_figures(demo.group, sessions, commitments, TODAY)
    assert set(members) == {m.id for m in demo.group.members}
    for member in demo.group.members:
        expected = _one_member_by_definition(member.id, sessions, commitments)
        assert members[member.id] == expected, member.name
        assert figs.member_figures(member.id, sessions, commitments, TODAY) == expected
    assert any(m.completion_trend and m.ratings and m.late for m in members.values()), (
        "the demo exercises trends, ratings and late marks"
    )


def test_a_former_members_figures_come_from_the_sessions_they_were_in(demo: Any) -> None:
    commitments = demo.commitments()
    gone = demo.group.members[0].id
    sessions = read_sessions(demo.sessions)
    others = figs.members_figures(
        [m.id for m in demo.group.members[1:]], sessions, commitments, TODAY
    )
    assert gone not in others
    alone = figs.member_figures(gone, sessions, commitments, TODAY)
    assert alone == _one_member_by_definition(gone, sessions, commitments)
    assert alone.attendance.whole == len(sessions)
