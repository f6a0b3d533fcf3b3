"""A meeting's setup is declared once (``core/setup.py``'s ``MeetingSetup``, its
agenda ``core/templates.py``'s ``Template``): the journal's first line is checked
against it, read into it and written from it, in the bytes every version reads."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pendulum
import pytest

from peersession.core import events as ev
from peersession.core.engine import Meeting
from peersession.core.journal_records import check_action_data
from peersession.core.model import Group, Member, Visitor, holder_records
from peersession.core.setup import GoalOption, MeetingSetup, ReviewItem
from peersession.core.templates import QUICK

#: ``session_started``'s setup as peersession wrote it before the setup was a
#: record (``MeetingSetup.to_doc`` of 68fab7f, keys sorted): the bytes a journal
#: on disk holds today.
WRITTEN_BEFORE = (
    '{"airtime": {"m1": 90.5, "m2": 30.0}, "away": [["Cy", "on leave until 2027-01-01"]], '
    '"goals": [{"goal_id": "goal1", "owner": "m1", "private": true, "title": "Ship it"}], '
    '"group": {"agenda": null, "cadence_days": 21, "created_at": "2026-01-01T09:00:00+00:00", '
    '"extensions_minutes": null, "goals_review_every": 0, "ground_rules": ["Consistency in '
    'meeting", "Everything stays in confidence", "Accountability"], "health_anonymous": false, '
    '"health_every": 6, "id": "g1", "length_minutes": 120, "members": [{"id": "m1", "name": '
    '"Ana"}, {"id": "m2", "name": "Bo"}], "name": "Circle", "next_meeting": null, "next_roles": '
    '[], "question_share": null, "roles": ["host", "facilitator"], "slot": null, "talking_time": '
    '"equal", "template": "full"}, "guests": [{"id": "v1", "name": "Vi"}], "how_we_work": '
    '["safe"], "length_minutes": 10, "order": ["m2", "m1", "v1"], "proposed_next": "2026-12-29", '
    '"recent_asks": {"m1": 2}, "review_items": [{"commitment_id": "c1", "due": "2026-12-20", '
    '"owner": "m1", "prefill_at": "2026-12-01T10:00:00+00:00", "prefill_note": "all of it", '
    '"prefill_status": "done", "private": false, "text": "Write it"}, {"commitment_id": "c2", '
    '"due": null, "owner": "m2", "prefill_at": null, "prefill_note": null, "prefill_status": '
    'null, "private": true, "text": "Call them"}], "roles": [{"member_id": "m1", "role": '
    '"host"}, {"member_id": "m2", "role": "facilitator"}], "session_date": "2026-12-08", '
    '"session_id": "s1", "session_number": 6, "template": {"ask_default_minutes": 10.0, '
    '"extensions_minutes": [2.0, 1.0], "hard_stop_warning_minutes": 2.0, "length_minutes": 10, '
    '"name": "quick", "phases": [{"minutes": 1, "phase": "opening"}, {"minutes": 1, "phase": '
    '"review"}, {"minutes": null, "phase": "updates"}, {"minutes": 1, "phase": "commitments"}, '
    '{"minutes": 0, "phase": "recap"}], "question_share": 0.3333333333333333, '
    '"turn_max_seconds": 90.0, "turn_min_seconds": 45.0, "update_share": 1.0, '
    '"warn_max_seconds": 20.0, "warn_share": 0.25}, "turn_seconds_override": null}'
)


def built_setup() -> MeetingSetup:
    """The setup ``WRITTEN_BEFORE`` holds, as the code builds it (pendulum's dates)."""
    guest = Visitor("v1", "Vi")
    group = Group(
        id="g1",
        name="Circle",
        members=(Member("m1", "Ana"), Member("m2", "Bo"), guest),
        created_at="2026-01-01T09:00:00+00:00",
    )
    return MeetingSetup(
        session_id="s1",
        group=group,
        template=QUICK,
        length_minutes=10,
        order=("m2", "m1", "v1"),
        review_items=(
            ReviewItem(
                commitment_id="c1",
                owner="m1",
                text="Write it",
                due="2026-12-20",
                private=False,
                prefill_status="done",
                prefill_note="all of it",
                prefill_at="2026-12-01T10:00:00+00:00",
            ),
            ReviewItem(commitment_id="c2", owner="m2", text="Call them", due=None, private=True),
        ),
        airtime={"m1": 90.5, "m2": 30.0},
        recent_asks={"m1": 2},
        proposed_next=pendulum.date(2026, 12, 29),
        session_date=pendulum.date(2026, 12, 8),
        goals=(GoalOption("goal1", "m1", "Ship it", True),),
        roles=holder_records([("host", "m1"), ("facilitator", "m2")]),
        guests=(guest,),
        session_number=6,
        how_we_work=("safe",),
        away=(("Cy", "on leave until 2027-01-01"),),
    )


def start_line(setup: dict[str, Any]) -> dict[str, Any]:
    return {
        "seq": 1,
        "at": "2026-12-08T10:00:00+00:00",
        "type": "session_started",
        "data": {"setup": setup},
    }


def resumed(setup: dict[str, Any]) -> Meeting:
    """The meeting a journal opening with ``setup`` resumes (checked, then read)."""
    return Meeting.replay([ev.Entry.from_doc(start_line(setup))])


def test_a_setup_is_written_in_the_bytes_earlier_versions_wrote_and_read() -> None:
    written = json.dumps(built_setup().to_doc(), sort_keys=True)
    assert written == WRITTEN_BEFORE, "same keys, same value formats (dates, numbers, nulls)"


def test_a_setup_written_before_reads_back_as_the_setup_the_code_builds() -> None:
    meeting = resumed(json.loads(WRITTEN_BEFORE))
    built = built_setup()
    assert meeting.setup == built
    assert meeting.setup.group.members == built.group.members, "the guest among the members"
    assert meeting.setup.guest_ids == {"v1"}
    assert meeting.setup.proposed_next == date(2026, 12, 29)
    assert meeting.roles == {"host": "m1", "facilitator": "m2"}
    assert [p.kind.name for p in meeting.setup.template.phases][-1] == "recap"
    again = meeting.setup.to_doc()
    assert again == json.loads(WRITTEN_BEFORE), "read and written again: the same document"
    assert "v1" not in {m["id"] for m in again["group"]["members"]}, "a guest is never a member"


def test_a_guest_who_arrives_is_written_with_the_guests() -> None:
    meeting = resumed(json.loads(WRITTEN_BEFORE))
    setup = meeting.setup.with_guest(Visitor("v2", "Wu"))
    doc = setup.to_doc()
    assert doc["guests"] == [{"id": "v1", "name": "Vi"}, {"id": "v2", "name": "Wu"}]
    assert [m["id"] for m in doc["group"]["members"]] == ["m1", "m2"]


def test_a_setup_of_an_older_journal_without_any_optional_field_resumes() -> None:
    full = json.loads(WRITTEN_BEFORE)
    template = {"name": "full", "phases": [{"phase": "opening"}, {"phase": "updates"}]}
    group = {k: full["group"][k] for k in ("id", "name", "members", "created_at")}
    oldest = {
        "session_id": "s0",
        "group": group,
        "template": template,
        "length_minutes": 90,
        "order": ["m1", "m2"],
    }
    setup = resumed(oldest).setup
    assert (setup.review_items, setup.goals, setup.roles, setup.away) == ((), (), (), ())
    assert (setup.airtime, setup.recent_asks, setup.session_number) == ({}, {}, 0)
    assert (setup.proposed_next, setup.session_date, setup.turn_seconds_override) == (None,) * 3
    assert setup.guest_ids == frozenset() and setup.how_we_work == ()
    # The agenda is read by an agenda's rules: a fixed phase keeps its minutes, recap is added.
    phases = [(p.phase, p.minutes) for p in setup.template.phases]
    assert phases == [("opening", 5.0), ("updates", None), ("recap", 0.0)]
    assert setup.template.turn_min_seconds == 60.0 and setup.template.extensions_minutes == (
        2.0,
        1.0,
    )


@pytest.mark.parametrize(
    ("where", "value", "said"),
    [
        (("proposed_next",), "2026-13-45", "setup.proposed_next: expected a date (YYYY-MM-DD)"),
        (("session_date",), 20261208, "setup.session_date: expected a date (YYYY-MM-DD) or null"),
        (("order",), ["m1", "no spaces here"], "setup.order[1]: expected an id"),
        (("template", "phases", 0, "minutes"), "five", "setup.template.phases[0].minutes"),
        (("template", "update_share"), None, "setup.template.update_share: expected a number"),
        (("review_items", 0, "prefill_status"), "maybe", "setup.review_items[0].prefill_status"),
        (("review_items", 1, "due"), "0001-01-01", "setup.review_items[1].due: a date outside"),
        (("goals", 0, "private"), "yes", "setup.goals[0].private: expected true or false"),
        (("roles", 0, "member_id"), "m 1", "setup.roles[0].member_id: expected an id"),
        (("guests", 0, "name"), "  ", "setup.guests[0].name: a name cannot be empty"),
        (("how_we_work", 0), "vibes", "setup.how_we_work[0]: not one of the values"),
        (("airtime", "m1"), "lots", "setup.airtime[...]: expected a number"),
    ],
)
def test_a_damaged_setup_field_is_refused_naming_the_field_not_the_value(
    where: tuple[str | int, ...], value: object, said: str
) -> None:
    setup = json.loads(WRITTEN_BEFORE)
    inner: Any = setup
    for step in where[:-1]:
        inner = inner[step]
    inner[where[-1]] = value
    with pytest.raises(ValueError) as refused:
        check_action_data(ev.SessionStarted, {"setup": setup})
    line = str(refused.value)
    assert line.startswith("data." + said.split("[...]")[0]), line
    assert "\n" not in line
    if isinstance(value, str) and value.strip():
        assert value not in line, "the file's bytes are never shown"


def test_a_setup_missing_a_required_field_is_refused_naming_it() -> None:
    setup = json.loads(WRITTEN_BEFORE)
    del setup["template"]["phases"]
    with pytest.raises(ValueError, match=r"^data\.setup\.template: missing 'phases'$"):
        check_action_data(ev.SessionStarted, {"setup": setup})


@pytest.mark.parametrize(
    ("listed", "what"),
    [("order", "speaker"), ("goals", "goal"), ("review_items", "commitment to review")],
)
def test_a_setup_listing_one_thing_twice_is_refused_in_one_line(listed: str, what: str) -> None:
    setup = json.loads(WRITTEN_BEFORE)
    setup[listed].append(setup[listed][0])
    with pytest.raises(ValueError, match=f"^a {what} is listed twice$"):
        resumed(setup)


def test_a_guest_listed_as_a_member_too_is_refused() -> None:
    setup = json.loads(WRITTEN_BEFORE)
    setup["guests"].append({"id": "m1", "name": "Someone"})
    with pytest.raises(ValueError, match=r"^a member is listed twice$"):
        resumed(setup)
