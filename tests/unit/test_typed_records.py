"""Stored records read as their typed declarations (``core/records.py``): what a
checked file is read into is the class the code names, its absent fields unset."""

from __future__ import annotations

import msgspec
import pytest

from peersession.core.record_types import read_all, read_as, read_version, stored
from peersession.core.records import Goal
from peersession.core.session_records import Checkin, Review

GOAL: dict[str, object] = {
    "id": "g1",
    "group_id": "grp",
    "owner": "m1",
    "title": "Finish the thesis",
    "by": None,
    "measure": None,
    "status": "active",
    "private": False,
    "win_ids": [],
    "created_at": "2026-01-05T10:00:00+00:00",
    "updated_at": "2026-01-05T10:00:00+00:00",
}


def test_a_record_read_from_a_file_is_the_declared_class_with_its_fields() -> None:
    goal = read_as(Goal, GOAL)
    assert isinstance(goal, Goal)
    assert goal.title == "Finish the thesis" and goal.win_ids == []


def test_an_absent_optional_field_reads_as_unset_and_is_left_out_when_stored() -> None:
    review = read_as(Review, {"at": "2026-01-05T10:00:00+00:00", "status": "done", "source": "x"})
    assert review.note is msgspec.UNSET and not review.note
    assert stored(review) == {"at": "2026-01-05T10:00:00+00:00", "status": "done", "source": "x"}


def test_nested_records_are_their_declared_classes_too() -> None:
    checkins = read_all(
        Checkin,
        [
            {
                "id": "c1",
                "group_id": "grp",
                "member_id": "m1",
                "at": "2026-01-05T10:00:00+00:00",
                "statuses": {"k1": "done"},
                "note": None,
                "energy": 3,
                "private": False,
                "updated_at": "2026-01-05T10:00:00+00:00",
            }
        ],
    )
    assert isinstance(checkins[0], Checkin) and checkins[0].statuses == {"k1": "done"}


def test_reading_still_refuses_a_wrong_type() -> None:
    """A checked file holds the right types; a record of another shape is refused
    (the value rules were checked once, with the file)."""
    with pytest.raises(msgspec.ValidationError):
        read_as(Goal, {**GOAL, "win_ids": "not a list"})


def test_the_read_level_still_checks_a_values_rules() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({**GOAL, "created_at": "yesterday"}, read_version(Goal))
