"""The group's records are declared once (``core/model.py``): what they write,
what they read back, and that a group read from a file is the group the code built."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec
import pendulum
import pytest

from peersession.core.lifecycle import Leave
from peersession.core.model import Group, Member, holder_records
from peersession.core.record_types import door_version, read_as, read_version
from peersession.core.slot_record import Slot

CREATED = "2026-01-01T09:00:00+00:00"


def circle() -> Group:
    return Group(
        id="g1",
        name="Circle",
        members=(
            Member(
                "m1",
                "Ana",
                joined=date(2026, 1, 5),
                leave=(Leave(date(2026, 3, 1), date(2026, 3, 9)),),
            ),
            Member("m2", "Bo", active=False, left=date(2026, 6, 1)),
            Member("m3", "Cy"),
        ),
        created_at=CREATED,
        # pendulum's dates are the standard library's: written as the same day.
        next_meeting=pendulum.date(2026, 7, 2),
        slot=Slot(
            anchor=date(2026, 1, 8),
            at="16:00",
            zone="Europe/London",
            skipped=(date(2026, 2, 19),),
            moved={date(2026, 3, 12): date(2026, 3, 13)},
            sequence=2,
        ),
        next_roles=holder_records([("host", "m3")]),
    )


def test_a_group_is_written_as_its_file_holds_it() -> None:
    doc = circle().to_doc()
    assert doc["next_meeting"] == "2026-07-02" and doc["created_at"] == CREATED
    assert doc["slot"] == {
        "anchor": "2026-01-08",
        "at": "16:00",
        "zone": "Europe/London",
        "skipped": ["2026-02-19"],
        "moved": {"2026-03-12": "2026-03-13"},
        "sequence": 2,
    }
    assert doc["next_roles"] == [{"role": "host", "member_id": "m3"}]
    # A member's fields at their default are left out (older files hold no dates).
    assert doc["members"] == [
        {
            "id": "m1",
            "name": "Ana",
            "joined": "2026-01-05",
            "leave": [{"first": "2026-03-01", "last": "2026-03-09"}],
        },
        {"id": "m2", "name": "Bo", "active": False, "left": "2026-06-01"},
        {"id": "m3", "name": "Cy"},
    ]


def test_a_group_read_back_is_the_group_the_code_built() -> None:
    built = circle()
    doc = msgspec.json.decode(msgspec.json.encode(built.to_doc()))
    for level in (read_version(Group), door_version(Group)):
        msgspec.convert(doc, level)  # every rule of a read and of the doors holds
    read = Group.from_doc(doc)
    assert type(read) is not Group  # a version of the declaration (its types alone)
    assert read == built and built == read
    assert (read != built) is False  # msgspec's own `!=` would see two classes
    assert hash(read.member("m1")) == hash(built.member("m1"))  # a set finds either
    assert read.member("m1").leave[0] == built.member("m1").leave[0]
    # A read period and a built one sort together, as `group edit --leave` adds one.
    later = Leave(date(2026, 4, 1), date(2026, 4, 2))
    assert sorted([later, *read.member("m1").leave]) == [built.member("m1").leave[0], later]
    assert read_as(Member, {"id": "m9", "name": "Di"}) == Member("m9", "Di")
    assert read_as(Member, {"id": "m9", "name": "Di"}) != Member("m9", "Di", active=False)


def test_a_changed_group_differs_and_a_slot_keeps_its_time_as_written() -> None:
    built = circle()
    read = Group.from_doc(built.to_doc())
    assert msgspec.structs.replace(read, name="Other") != built
    assert read.slot is not None and (read.slot.time.hour, read.slot.time.minute) == (16, 0)
    assert read.created == pendulum.datetime(2026, 1, 1, 9, tz="UTC")


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        ({"zone": " Europe/London"}, "slot.zone"),
        ({"sequence": -1}, "slot.sequence"),
        ({"anchor": "2026-02-30"}, "slot.anchor"),
        ({"moved": {"soon": "2026-03-13"}}, "slot.moved"),
    ],
)
def test_a_damaged_slot_is_refused_when_the_index_is_read(
    damage: dict[str, object], field: str
) -> None:
    from peersession.core.record_errors import describe_error

    doc = circle().to_doc()
    doc["slot"] = {**doc["slot"], **damage}
    with pytest.raises(msgspec.ValidationError) as refused:
        msgspec.convert(doc, read_version(Group))
    said = describe_error(refused.value)
    assert said.startswith(field), said
    assert "soon" not in said  # the value itself is never repeated


def test_a_summary_is_written_as_every_version_reads_it() -> None:
    from peersession.store.history_docs import summarize

    assert summarize([], []) == {"sessions": 0, "last_session_at": None, "open_commitments": 0}
    sessions: list[dict[str, Any]] = [
        {"started_at": "2026-02-05T16:00:00+00:00", "roles": []},
        {"started_at": "2026-01-08T16:00:00+00:00"},
    ]
    commitments: list[dict[str, Any]] = [
        {"reviews": []},
        {"reviews": [{"status": "done"}]},
        {"reviews": [{"status": "done"}, {"status": "not_done"}]},
    ]
    # No session kept roles: no roles_held key (an older reader's summary exactly).
    assert summarize(sessions, commitments) == {
        "sessions": 2,
        "last_session_at": "2026-02-05T16:00:00+00:00",
        "open_commitments": 2,
    }
    sessions[0]["roles"] = [{"role": "Host", "member_id": "m3"}]
    assert summarize(sessions, commitments)["roles_held"] == {
        "by_role": [{"role": "host", "member_ids": ["m3"], "this_round": 1}],
        "any_role": ["m3"],
    }


def test_the_index_reads_each_group_with_its_summary() -> None:
    from peersession.core.model import IndexedGroup, Summary
    from peersession.core.record_types import read_all

    held = {
        "by_role": [{"role": "host", "member_ids": ["m3", "m1"], "this_round": 1}],
        "any_role": ["m3", "m1"],
    }
    summarized = {"sessions": 4, "last_session_at": CREATED, "open_commitments": 1}
    docs = [
        {**circle().to_doc(), "id": "g1", "summary": {**summarized, "roles_held": held}},
        {**circle().to_doc(), "id": "g2", "summary": {}},  # a group before its first session
        {**circle().to_doc(), "id": "g3"},  # an index written before summaries
    ]
    first, empty, older = read_all(IndexedGroup, docs)
    assert (first.summary.sessions, first.summary.open_commitments) == (4, 1)
    assert first.summary.held.turns("HOST").member_ids == ("m3", "m1")
    assert empty.summary == older.summary == Summary()
    assert empty.summary.held.turns("host").member_ids == ()
    # Read with its summary, it is still the group (what a list shows of it).
    assert len(first.active_members) == 2
    assert first.name_of("m2") == "Bo"


@pytest.mark.parametrize(
    ("damage", "field"),
    [
        ({"sessions": "many"}, "summary.sessions"),
        ({"last_session_at": "soon"}, "summary.last_session_at"),
        ({"roles_held": {"by_role": [{"role": "", "member_ids": []}]}}, "summary.roles_held"),
        ({"roles_held": {"by_role": [], "any_role": ["soon!"]}}, "summary.roles_held.any_role"),
    ],
)
def test_a_damaged_summary_is_refused_when_the_index_is_read(
    damage: dict[str, object], field: str
) -> None:
    from peersession.core.model import IndexedGroup
    from peersession.core.record_errors import describe_error

    doc = {**circle().to_doc(), "summary": damage}
    with pytest.raises(msgspec.ValidationError) as refused:
        msgspec.convert(doc, read_version(IndexedGroup))
    said = describe_error(refused.value)
    assert said.startswith(field), said
    assert "soon" not in said and "many" not in said  # the value itself is never repeated
