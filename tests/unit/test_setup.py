"""What a session starts from: order, review items, airtime ledger, agenda."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peersession.core.setup import (
    LEDGER_SESSIONS,
    MeetingSetup,
    airtime_ledger,
    may_come_up_for_review,
    plan_setup,
    review_items,
    rotate_order,
)
from peersession.core.templates import FULL, QUICK, parse_agenda, template_for

from engine_support import (
    START,
    MeetingDriver,
    checkin_doc,
    commitment_doc,
    make_group,
    session_doc,
)

MEMBERS = ["ada", "bea", "cy", "dee", "eve"]


# --- fair order --------------------------------------------------------------------


def test_who_went_first_goes_last() -> None:
    assert rotate_order(["ada", "bea", "cy", "dee"], ["ada", "bea", "cy", "dee"]) == (
        "bea",
        "cy",
        "dee",
        "ada",
    )


def test_newcomers_go_first_and_former_members_drop_out() -> None:
    order = rotate_order(["ada", "bea", "cy", "new1", "new2"], ["zed", "cy", "ada", "bea"])
    assert order == ("new1", "new2", "ada", "bea", "cy")


def test_without_a_last_session_the_group_order_is_used() -> None:
    assert rotate_order(MEMBERS, []) == tuple(MEMBERS)


@given(st.permutations(MEMBERS), st.lists(st.sampled_from([*MEMBERS, "zed"]), unique=True))
def test_rotation_is_always_a_permutation_of_the_members(
    members: list[str], last: list[str]
) -> None:
    assert sorted(rotate_order(members, last)) == sorted(members)


def test_over_as_many_sessions_as_members_everyone_goes_first_once() -> None:
    order: tuple[str, ...] = tuple(MEMBERS)
    firsts = []
    for _ in MEMBERS:
        order = rotate_order(MEMBERS, order)
        firsts.append(order[0])
    assert sorted(firsts) == sorted(MEMBERS)


# --- airtime ledger --------------------------------------------------------------------


def test_airtime_ledger_sums_turns_and_asks_and_counts_asks() -> None:
    sessions = [
        session_doc("s1", ["ada", "bea"], turn_seconds={"ada": 100.5, "bea": 200.0}),
        session_doc(
            "s2",
            ["bea", "ada"],
            turn_seconds={"ada": 50.0, "bea": 10.0},
            asks=[("ada", 120.0, 240.0), ("cy", 30.0, 60.0)],
        ),
    ]
    airtime, asks = airtime_ledger(sessions)
    assert airtime == {"ada": 100.5 + 50.0 + 360.0, "bea": 210.0, "cy": 90.0}
    assert asks == {"ada": 1, "cy": 1}


def test_plan_setup_uses_only_recent_sessions_for_the_ledger_and_the_last_for_order() -> None:
    old = session_doc("s0", ["ada"], turn_seconds={"ada": 10_000.0})
    recent = [
        session_doc(f"s{i}", ["cy", "ada", "bea", "dee", "eve"], turn_seconds={"bea": 60.0})
        for i in range(1, LEDGER_SESSIONS + 1)
    ]
    setup = plan_setup(
        session_id="s9",
        group=make_group(5),
        template=FULL,
        today=pendulum.date(2026, 1, 6),
        recent_sessions=[old, *recent],
        open_commitments=[],
        checkins=[],
    )
    assert setup.airtime == {
        "ada": 0.0,
        "bea": 60.0 * LEDGER_SESSIONS,
        "cy": 0.0,
        "dee": 0.0,
        "eve": 0.0,
    }
    assert setup.order == ("ada", "bea", "dee", "eve", "cy")
    assert setup.proposed_next == pendulum.date(2026, 1, 27)
    assert setup.length_minutes == 120


def test_quick_template_sets_its_own_length_and_override_is_kept() -> None:
    setup = plan_setup(
        session_id="s1",
        group=make_group(5, length_minutes=90),
        template=QUICK,
        today=pendulum.date(2026, 1, 6),
        recent_sessions=[],
        open_commitments=[],
        checkins=[],
        turn_seconds_override=75.0,
    )
    assert setup.length_minutes == 10
    assert setup.turn_seconds_override == 75.0
    full = plan_setup(
        session_id="s1",
        group=make_group(5, length_minutes=90),
        template=FULL,
        today=pendulum.date(2026, 1, 6),
        recent_sessions=[],
        open_commitments=[],
        checkins=[],
    )
    assert full.length_minutes == 90


# --- review items ---------------------------------------------------------------------------


def review(status: str, at: str, **extra: Any) -> dict[str, Any]:
    return {"at": at, "status": status, "source": "session", **extra}


def test_review_items_are_the_open_commitments_of_current_members() -> None:
    commitments = [
        commitment_doc("c1", "ada", "Submit R01"),
        commitment_doc("c2", "bea", reviews=[review("done", "2026-01-01T10:00:00+00:00")]),
        commitment_doc("c3", "zed", "A former member's"),
        commitment_doc("c4", "cy", reviews=[review("dropped", "2026-01-01T10:00:00+00:00")]),
        commitment_doc("c5", "dee", reviews=[review("not_done", "2026-01-01T10:00:00+00:00")]),
        commitment_doc(
            "c6",
            "ada",
            "Old text",
            due="2026-01-10",
            reviews=[
                review(
                    "renegotiated", "2026-01-01T10:00:00+00:00", text="New text", due="2026-02-01"
                )
            ],
        ),
        commitment_doc(
            "c7",
            "bea",
            reviews=[
                review("done", "2025-12-01T10:00:00+00:00"),
                review("partial", "2026-01-01T10:00:00+00:00"),
            ],
        ),
    ]
    items = review_items(commitments, [], MEMBERS)
    assert [i.commitment_id for i in items] == ["c1", "c6", "c7", "c5"]  # by member, then due
    c6 = items[1]
    assert (c6.text, c6.due, c6.owner) == ("New text", "2026-02-01", "ada")
    assert all(i.prefill_status is None for i in items)


def test_the_newest_checkin_after_the_last_review_prefills_the_status() -> None:
    at = START.subtract(days=10)
    commitments = [
        commitment_doc("c1", "ada"),
        commitment_doc("c2", "bea", reviews=[review("partial", at.isoformat())]),
        commitment_doc("c3", "cy", reviews=[review("partial", at.isoformat())]),
    ]
    checkins = [
        checkin_doc("k2", "ada", at.add(days=5), {"c1": "partial"}, note="halfway"),
        checkin_doc("k1", "ada", at.add(days=2), {"c1": "not_done"}),
        checkin_doc("k3", "bea", at.subtract(days=1), {"c2": "done"}),  # before the review
        checkin_doc("k4", "cy", at.add(days=1), {"c3": "done"}, note="sent!"),
    ]
    items = {i.commitment_id: i for i in review_items(commitments, checkins, MEMBERS)}
    assert (items["c1"].prefill_status, items["c1"].prefill_note) == ("partial", "halfway")
    assert items["c1"].prefill_at == at.add(days=5).isoformat()
    assert items["c2"].prefill_status is None
    assert (items["c3"].prefill_status, items["c3"].prefill_note) == ("done", "sent!")


def test_a_session_reads_every_commitment_a_review_can_show_and_no_closed_one() -> None:
    at = START.subtract(days=10)
    commitments = [
        commitment_doc("c1", "ada"),
        commitment_doc("c2", "bea", reviews=[review("done", at.isoformat())]),
        # Closed by its owner's check-in: the meeting still confirms it.
        commitment_doc("c3", "cy", reviews=[review("done", at.isoformat(), source="checkin")]),
        commitment_doc("c4", "dee", reviews=[review("dropped", at.isoformat())]),
        commitment_doc("c5", "eve", reviews=[review("partial", at.isoformat())]),
    ]
    checkins = [checkin_doc("k1", "cy", at, {"c3": "done"})]
    chosen = [c for c in commitments if may_come_up_for_review(c)]
    assert [c.id for c in chosen] == ["c1", "c3", "c5"]
    shown = review_items(chosen, checkins, MEMBERS)
    assert [i.commitment_id for i in shown] == ["c1", "c3", "c5"]
    assert shown == review_items(commitments, checkins, MEMBERS)


def test_checkin_times_are_compared_as_moments_not_text() -> None:
    # 20:00 in New York on the 5th is 01:00 UTC on the 6th: after 00:30 UTC.
    new_york = "2026-01-05T20:00:00-05:00"
    utc_earlier = "2026-01-06T00:30:00+00:00"
    checkins = [
        msgspec.structs.replace(checkin_doc("k1", "ada", START, {"c1": "done"}), at=new_york),
        msgspec.structs.replace(
            checkin_doc("k2", "ada", START, {"c1": "not_done"}), at=utc_earlier
        ),
    ]
    reviewed = [commitment_doc("c1", "ada", reviews=[review("partial", utc_earlier)])]
    items = review_items(reviewed, checkins, MEMBERS)
    assert items[0].prefill_status == "done"
    assert items[0].prefill_at == new_york


def test_review_items_reach_the_meeting() -> None:
    d = MeetingDriver(
        make_group(3),
        open_commitments=[commitment_doc("c1", "bea", "Write the chapter")],
        checkins=[checkin_doc("k1", "bea", START.subtract(days=1), {"c1": "done"})],
    )
    item = d.meeting.review_item("c1")
    assert (item.owner, item.text, item.prefill_status) == ("bea", "Write the chapter", "done")


# --- the setup travels in the journal ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["full", "quick", "custom"])
def test_setup_survives_the_journal_round_trip(kind: str) -> None:
    agenda = (
        ({"phase": "opening", "minutes": 2.5}, {"phase": "updates"}) if kind == "custom" else None
    )
    group = make_group(4, agenda=agenda)
    setup = plan_setup(
        session_id="s1",
        group=group,
        template=template_for("full" if kind == "custom" else kind, group.agenda),
        today=pendulum.date(2026, 1, 6),
        recent_sessions=[session_doc("s0", ["bea", "ada"], asks=[("ada", 1.0, 2.0)])],
        open_commitments=[commitment_doc("c1", "ada")],
        checkins=[checkin_doc("k1", "ada", START, {"c1": "partial"}, note="[b]x")],
        turn_seconds_override=90.0,
    )
    restored = MeetingSetup.from_doc(json.loads(json.dumps(setup.to_doc())))
    assert restored == setup


# --- agendas ------------------------------------------------------------------------------------


def test_a_custom_agenda_keeps_its_order_and_gains_a_recap() -> None:
    template = template_for("full", ({"phase": "asks"}, {"phase": "opening", "minutes": 3}))
    assert [k.name for k in template.kinds] == ["asks", "opening", "recap"]
    assert template.update_share == FULL.update_share


@pytest.mark.parametrize(
    ("agenda", "message"),
    [
        ([], "non-empty list"),
        ("opening", "non-empty list"),
        ([{"minutes": 5}], "needs a 'phase'"),
        ([{"phase": "gossip"}], "unknown phase 'gossip'"),
        ([{"phase": "wins"}, {"phase": "wins"}], "appears twice"),
        ([{"phase": "wins", "minutes": "5"}], "must be a number"),
        ([{"phase": "wins", "minutes": True}], "must be a number"),
        ([{"phase": "wins", "minutes": -1}], "between 0 and 600"),
        ([{"phase": "wins", "minutes": 601}], "between 0 and 600"),
        ([{"phase": "recap"}, {"phase": "wins"}], "recap is the last phase"),
    ],
)
def test_bad_agendas_are_refused(agenda: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_agenda(agenda)


def test_an_unknown_template_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown template 'long'"):
        template_for("long")
