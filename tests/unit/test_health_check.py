"""The group's health check at the Close (issue 25 item 3), through the engine:
due every N sessions only, one key an answer, journaled (a resumed meeting keeps
every answer), kept in the session record, read back as a trend, and a low
check puts "how we work" on the next session's agenda."""

from __future__ import annotations

import msgspec
import pytest
from msgspec.structs import replace

from peersession.core import events as ev
from peersession.core.health import (
    QUESTIONS,
    checks,
    how_we_work,
    is_check_session,
    is_low,
    parse_every,
    tally,
    trend,
)
from peersession.core.record import session_record
from peersession.core.record_types import read_as
from peersession.core.session_records import HealthCheck, Session

from engine_support import MeetingDriver, make_group, recorded_session


def driver(number: int, *, every: int = 3, anonymous: bool = False, size: int = 4) -> MeetingDriver:
    group = replace(make_group(size), health_every=every, health_anonymous=anonymous)
    return MeetingDriver(group, session_number=number)


def answer_all(d: MeetingDriver, scores: dict[str, tuple[int, ...]]) -> None:
    for member_id, given in scores.items():
        for question, score in zip(QUESTIONS, given, strict=True):
            d.act(ev.HealthScored(member_id=member_id, question=question, score=score))


def test_a_check_every_three_sessions_is_in_sessions_3_and_6_only() -> None:
    due = [n for n in range(1, 9) if driver(n).meeting.has_health_check]
    assert due == [3, 6]
    assert [n for n in range(1, 13) if is_check_session(n, 6)] == [6, 12]
    assert not any(is_check_session(n, 0) for n in range(1, 13)), "0 means never"
    # A journal from before session numbers were kept has none.
    assert not driver(0).meeting.has_health_check


def test_answers_are_given_at_the_close_and_refused_without_a_check() -> None:
    d = driver(3)
    d.refuse(ev.HealthScored(member_id="ada", question="safe", score=4), "Close phase")
    d.goto("close")
    d.act(ev.HealthScored(member_id="ada", question="safe", score=4))
    assert d.meeting.health_scores == {"ada": {"safe": 4}}
    d.refuse(ev.HealthScored(member_id="ada", question="safe", score=6), "from 1 to 5")
    d.refuse(ev.HealthScored(member_id="ada", question="safe", score=0), "from 1 to 5")
    d.refuse(ev.HealthScored(member_id="ada", question="mood", score=3), "one of safe")
    d.refuse(ev.HealthCounted(question="safe", score=3, count=1), "names who gave")
    other = driver(2)
    other.goto("close")
    other.refuse(ev.HealthScored(member_id="ada", question="safe", score=4), "no health check")


def test_the_answers_survive_a_resume_and_end_in_the_session_record() -> None:
    d = driver(6)
    d.goto("close")
    answer_all(d, {"ada": (5, 4, 3, 4, 5), "bea": (4, 4, 2, 1, 5)})
    assert "health check: 2 of 4 members answered" in d.meeting.unfinished_business()
    resumed = d.resumed()
    assert resumed.meeting.health_scores == d.meeting.health_scores
    d.act(ev.SessionEnded())
    record = session_record(d.meeting)
    health = record.session.get("health")
    assert health is not None and health["anonymous"] is False
    assert health.get("scores", {})["bea"] == {
        "safe": 4,
        "focus": 4,
        "balance": 2,
        "schedule": 1,
        "worth": 5,
    }
    assert tally(read_as(HealthCheck, health))["schedule"] == (1, 0, 0, 1, 0)


def test_a_guest_is_not_asked_the_groups_health_check() -> None:
    group = replace(make_group(3), health_every=3)
    d = MeetingDriver(group, session_number=3, guests=[("lee", "Dr Lee")])
    d.goto("close")
    assert "lee" in d.meeting.attended and "lee" not in d.meeting.health_raters
    d.refuse(ev.HealthScored(member_id="lee", question="safe", score=1), "a guest does not")
    answer_all(d, {m: (4, 4, 4, 4, 4) for m in d.meeting.health_raters})
    assert d.meeting.health_left() is None, "done without the guest"
    anonymous = MeetingDriver(
        replace(group, health_anonymous=True), session_number=3, guests=[("lee", "Dr Lee")]
    )
    anonymous.goto("close")
    anonymous.refuse(ev.HealthCounted(question="safe", score=2, count=4), "than members")
    anonymous.act(ev.HealthCounted(question="safe", score=2, count=3))


def test_a_session_without_a_check_keeps_no_health_field() -> None:
    d = driver(4)
    d.act(ev.SessionEnded())
    assert "health" not in session_record(d.meeting).session


def test_anonymous_counts_name_no_one_and_cannot_exceed_the_room() -> None:
    d = driver(3, anonymous=True)
    d.goto("close")
    d.act(ev.HealthCounted(question="safe", score=5, count=3))
    d.act(ev.HealthCounted(question="safe", score=2, count=1))
    d.refuse(ev.HealthCounted(question="safe", score=4, count=1), "more answers")
    d.refuse(ev.HealthScored(member_id="ada", question="safe", score=4), "anonymous")
    d.act(ev.SessionEnded())
    health = session_record(d.meeting).session.get("health")
    assert health == {"anonymous": True, "counts": {"safe": [0, 1, 0, 0, 3]}}
    text = repr(health)
    assert not any(m.id in text or m.name in text for m in d.group.members)


def test_the_low_rule_mean_below_three_or_most_at_one_or_two() -> None:
    assert is_low((1, 0, 3, 1, 0))  # mean 2.8, one answer at 1 or 2
    assert is_low((0, 3, 0, 0, 2))  # mean 3.2, but three of five at 2
    assert not is_low((0, 2, 0, 0, 2))  # half, not most; mean 3.5
    assert not is_low((0, 0, 0, 0, 0)), "no answers is not low"


def test_a_low_check_puts_how_we_work_on_the_next_agenda() -> None:
    d = driver(3)
    d.goto("close")
    answer_all(d, {"ada": (5, 2, 5, 5, 5), "bea": (5, 1, 5, 4, 5), "cy": (5, 4, 5, 5, 5)})
    d.act(ev.SessionEnded())
    session = recorded_session(d.meeting)
    assert how_we_work([session]) == ("focus",)
    following = MeetingDriver(d.group, recent_sessions=[session], session_number=4)
    assert following.meeting.setup.how_we_work == ("focus",)
    assert following.resumed().meeting.setup.how_we_work == ("focus",), "journaled"
    # A later session without a check clears it.
    unanswered = msgspec.structs.replace(session, health=HealthCheck(anonymous=False, scores={}))
    assert how_we_work([session, unanswered]) == ()


def test_the_trend_follows_each_question_over_the_checks() -> None:
    sessions = []
    for number, focus in ((3, 2), (6, 4)):
        d = driver(number)
        d.goto("close")
        answer_all(d, {"ada": (4, focus, 4, 4, 4), "bea": (4, focus, 4, 4, 4)})
        d.act(ev.SessionEnded())
        sessions.append(recorded_session(d.meeting))
    lines = {t.question: t for t in trend(checks(sessions))}
    assert lines["focus"].means == (2.0, 4.0)
    assert lines["focus"].figure() == "4.0↑"
    assert lines["safe"].figure() == "4.0→"


@pytest.mark.parametrize("text", ["-1", "x", "1e3", "53", "99999999999999999999", "", "٣"])
def test_every_refuses_what_is_not_a_whole_number_of_sessions(text: str) -> None:
    with pytest.raises(ValueError, match="from 0 \\(never\\) to 52"):
        parse_every(text)


def test_every_takes_zero_and_the_usual() -> None:
    assert parse_every("0") == 0 and parse_every(" 6 ") == 6 and parse_every("52") == 52


def test_the_recap_gives_the_means_and_the_agenda_item_and_names_no_one() -> None:
    from peersession.core.recap import build_recap

    d = driver(3)
    d.goto("close")
    answer_all(d, {"ada": (5, 2, 5, 5, 5), "bea": (5, 1, 5, 4, 5)})
    d.act(ev.SessionEnded())
    record = session_record(d.meeting)
    session = read_as(Session, record.session)
    sections = {s.title: s for s in build_recap(d.group, session, [], {})}
    lines = [line.text for line in sections["Health check"].lines]
    assert (
        lines[0]
        == "Safe 5.0 · Focus 1.5 · Balance 5.0 · Schedule 4.5 · Worth it 5.0 (from 2 members, 1–5)"
    )
    assert lines[1].startswith("How we work: the last health check was low on focus")
    assert all(line.who is None for line in sections["Health check"].lines)


def test_the_recap_lists_the_goals_review_and_keeps_a_private_goal_home() -> None:
    from peersession.core.goals import new_goal
    from peersession.core.recap import ReviewedGoal, build_recap

    goals = [
        new_goal(
            goal_id=goal_id,
            group_id="g1",
            owner="ada",
            title=title,
            by=None,
            measure=None,
            private=private,
            at="2026-01-01T00:00:00+00:00",
        )
        for goal_id, title, private in (("open", "R01", False), ("secret", "Leave", True))
    ]
    group = replace(make_group(3), goals_review_every=1)
    d = MeetingDriver(group, session_number=1, goals=goals)
    d.goto("goals")
    d.act(ev.GoalReviewed(goal_id="open", status="reached", note="Funded"))
    d.act(ev.GoalReviewed(goal_id="secret", status="behind"))
    d.act(ev.SessionEnded())
    record = session_record(d.meeting)
    assert record.goal_statuses == {"open": "reached"}, "behind changes nothing"
    named = {g.id: ReviewedGoal(g.owner, g.title, g.private) for g in goals}
    for include_private, expected in (
        (True, ["Reached: R01", "Behind: Leave"]),
        (False, ["Reached: R01"]),
    ):
        sections = build_recap(
            group,
            read_as(Session, record.session),
            [],
            {},
            include_private=include_private,
            goals=named,
        )
        shown = next(s for s in sections if s.title == "Goals")
        assert [line.text for line in shown.lines] == expected
        assert shown.lines[0].details[0].text == "Funded"


def test_a_goals_review_is_added_to_the_full_agenda_only_where_it_fits() -> None:
    group = replace(make_group(9), goals_review_every=2)
    full = MeetingDriver(group, session_number=4).meeting.phases
    assert [p.kind.name for p in full][3] == "goals" and full[3].minutes == 10
    assert "goals" not in [
        p.kind.name for p in MeetingDriver(group, session_number=3).meeting.phases
    ]
    # The quick round, and a meeting with no room for it, go without.
    quick = MeetingDriver(group, template="quick", session_number=4).meeting.phases
    assert "goals" not in [p.kind.name for p in quick]
    short = replace(group, length_minutes=28)  # room for the usual phases at a minute each
    assert "goals" not in [
        p.kind.name for p in MeetingDriver(short, session_number=4).meeting.phases
    ]
