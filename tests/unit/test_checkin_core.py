"""Building a check-in from answers, as pure logic: matching, resolving, checking."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peersession.core.checkin import (
    CheckinAnswers,
    CheckinError,
    build_checkin,
    describe_checkin,
    find_member,
    match_members,
    open_commitments_of,
    parse_energy,
    resolve_answers,
    resolve_commitment,
)
from peersession.core.model import Group, Member
from peersession.core.record_types import stored
from peersession.core.record_values import ReviewStatus
from peersession.core.session_records import Checkin

from engine_support import START, commitment_doc, make_group

GROUP = make_group(4)  # ada, bea, cy, dee
ADA = GROUP.member("ada")
AT = START.add(days=3)


def closed(status: str) -> list[dict[str, str]]:
    return [{"at": START.isoformat(), "status": status, "source": "session"}]


COMMITMENTS = [
    commitment_doc("ab12cd34ef56", "ada", "Submit the grant"),
    commitment_doc("ab99cd34ef56", "ada", "Email the dean", reviews=closed("partial")),
    commitment_doc("cc0000000000", "ada", "Old one", reviews=closed("done")),
    commitment_doc("dd0000000000", "bea", "Bea's"),
]


# --- picking a member ----------------------------------------------------------------------


def test_typing_narrows_the_members_ignoring_case_and_accents() -> None:
    group = make_group(names=["Zoë", "Zora", "Ann", "Anna", "Bo"])
    assert [m.name for m in match_members(group.members, "")] == [
        "Zoë",
        "Zora",
        "Ann",
        "Anna",
        "Bo",
    ]
    assert [m.name for m in match_members(group.members, "zo")] == ["Zoë", "Zora"]
    assert [m.name for m in match_members(group.members, "ZOE")] == ["Zoë"]
    # An exact name comes first, so enter picks Ann and not Anna.
    assert [m.name for m in match_members(group.members, "ann")] == ["Ann", "Anna"]
    assert match_members(group.members, "q") == []


def test_find_member_by_id_name_or_unique_start() -> None:
    group = make_group(names=["Ann", "Anna", "Bo"])
    assert find_member(group, "bo").name == "Bo"
    assert find_member(group, "b").name == "Bo"
    assert find_member(group, "ANN").name == "Ann"
    assert find_member(group, "anna").id == "anna"
    with pytest.raises(CheckinError, match=r"'an' could be 'Ann', 'Anna'"):
        find_member(group, "an")
    with pytest.raises(CheckinError, match=r"no member named 'Cy' .*members: 'Ann', 'Anna', 'Bo'"):
        find_member(group, "Cy")
    with pytest.raises(CheckinError, match="no member named"):
        find_member(group, "  ")


def test_a_former_member_cannot_check_in() -> None:
    group = Group(
        id="g1", name="Circle", members=(Member("ada", "Ada"), Member("bo", "Bo", active=False))
    )
    with pytest.raises(CheckinError, match="'Bo' has left 'Circle'"):
        find_member(group, "Bo")
    answers = CheckinAnswers(member_id="bo", energy=3)
    with pytest.raises(CheckinError, match="no longer"):
        build_checkin(group, answers, [], checkin_id="k1", at=AT)


# --- commitments and their ids ---------------------------------------------------------------


def test_only_open_commitments_of_the_member_are_asked_about() -> None:
    assert [c.id for c in open_commitments_of(COMMITMENTS, "ada")] == [
        "ab12cd34ef56",
        "ab99cd34ef56",
    ]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [("ab12cd34ef56", "ab12cd34ef56"), ("ab1", "ab12cd34ef56"), ("AB9", "ab99cd34ef56")],
)
def test_ids_may_be_given_as_unique_prefixes(ref: str, expected: str) -> None:
    assert resolve_commitment(ref, COMMITMENTS, ADA, GROUP) == expected


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("ab", r"'ab' is ambiguous: it starts ab12cd34ef56, ab99cd34ef56"),
        ("cc", r"commitment cc0000000000 is closed \(already done\)"),
        ("dd", r"commitment dd0000000000 is Bea's, not Ada's"),
        ("ff", r"Ada has no open commitment with id 'ff' \(see --list"),
        ("", "an empty commitment id"),
    ],
)
def test_refused_ids_say_why(ref: str, message: str) -> None:
    with pytest.raises(CheckinError, match=message):
        resolve_commitment(ref, COMMITMENTS, ADA, GROUP)


def test_the_same_commitment_twice_is_refused() -> None:
    refs: list[tuple[ReviewStatus, str]] = [("done", "ab1"), ("partial", "ab12cd")]
    with pytest.raises(CheckinError, match=r"ab12cd34ef56 is given twice \(done and half done\)"):
        resolve_answers(refs, COMMITMENTS, ADA, GROUP)


@pytest.mark.parametrize(("text", "expected"), [(None, None), ("1", 1), (" 5 ", 5)])
def test_energy_is_a_whole_number_from_1_to_5(text: str | None, expected: int | None) -> None:
    assert parse_energy(text) == expected


@pytest.mark.parametrize("text", ["0", "6", "-1", "4.5", "four", ""])
def test_energy_outside_1_to_5_is_refused(text: str) -> None:
    with pytest.raises(CheckinError, match="energy is"):
        parse_energy(text)


# --- building the documents ------------------------------------------------------------------


def test_each_answer_becomes_a_dated_review_from_the_checkin() -> None:
    answers = CheckinAnswers(
        member_id="ada",
        statuses={"ab12cd34ef56": "done", "ab99cd34ef56": "not_done"},
        note="  Draft [b]sent[/b]\n to Maria ",
        energy=4,
        private=True,
    )
    at = pendulum.datetime(2026, 3, 6, 9, 30, tz="Europe/Paris")
    checkin, reviews = build_checkin(GROUP, answers, COMMITMENTS, checkin_id="k1", at=at)
    assert isinstance(checkin, Checkin)
    assert stored(checkin) == {
        "id": "k1",
        "group_id": GROUP.id,
        "member_id": "ada",
        "at": "2026-03-06T08:30:00+00:00",
        "statuses": {"ab12cd34ef56": "done", "ab99cd34ef56": "not_done"},
        "note": "Draft [b]sent[/b] to Maria",
        "energy": 4,
        "private": True,
        "updated_at": "2026-03-06T08:30:00+00:00",
    }
    assert {cid: stored(r) for cid, r in reviews.items()} == {
        cid: {"at": checkin.at, "status": status, "source": "checkin", "source_id": "k1"}
        for cid, status in checkin.statuses.items()
    }
    assert describe_checkin(checkin, GROUP) == (
        "Ada checked in to Women in Medicine: 1 done, 1 not yet; an update; energy 4/5; private"
    )


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (CheckinAnswers(member_id="zed", energy=3), "not .*in 'Women in Medicine'"),
        (CheckinAnswers(member_id="ada"), "nothing to check in"),
        (CheckinAnswers(member_id="ada", note="   ", private=True), "nothing to check in"),
        (CheckinAnswers(member_id="ada", statuses={"nope": "done"}), "no commitment with id"),
        (CheckinAnswers(member_id="ada", statuses={"dd0000000000": "done"}), "not Ada's"),
        (CheckinAnswers(member_id="ada", statuses={"cc0000000000": "done"}), "closed already"),
        (
            CheckinAnswers(member_id="ada", statuses={"ab12cd34ef56": "renegotiated"}),
            "answer is one of done, partial, not_done, dropped",
        ),
        (CheckinAnswers(member_id="ada", energy=0), "energy is from 1 to 5"),
        (CheckinAnswers(member_id="ada", energy=True), "energy is from 1 to 5"),
        (CheckinAnswers(member_id="ada", note="x" * 501), "the update is too long"),
        (CheckinAnswers(member_id="ada", note="broken \ud800 paste"), "cannot be saved"),
    ],
)
def test_a_checkin_that_cannot_be_saved_says_why_in_one_line(
    answers: CheckinAnswers, message: str
) -> None:
    with pytest.raises(CheckinError, match=message) as caught:
        build_checkin(GROUP, answers, COMMITMENTS, checkin_id="k1", at=AT)
    assert "\n" not in str(caught.value)


def test_a_checkin_dated_outside_the_years_a_file_holds_is_refused_before_it_is_written() -> None:
    """A check-in is built as its declaration and passes its rules: a clock gone
    wrong is one line now, not a file the next read refuses."""
    answers = CheckinAnswers(member_id="ada", energy=3)
    with pytest.raises(CheckinError, match="a date outside the years 1970 to 2200") as caught:
        build_checkin(
            GROUP, answers, COMMITMENTS, checkin_id="k1", at=pendulum.datetime(2201, 1, 1)
        )
    assert "\n" not in str(caught.value)


@given(st.text(max_size=30))
def test_matching_any_typed_text_only_returns_names_starting_with_it(typed: str) -> None:
    group = make_group(names=["Ana", "[/]", "[link=x]Zoë[/link]", "Bo $var", "Cy\x1b[31mred"])
    for member in match_members(group.members, typed):
        assert member in group.members


@given(st.text(max_size=600))
def test_any_note_is_either_refused_clearly_or_kept_on_one_line(note: str) -> None:
    answers = CheckinAnswers(member_id="ada", note=note, energy=2)
    try:
        checkin, _ = build_checkin(GROUP, answers, COMMITMENTS, checkin_id="k1", at=AT)
    except CheckinError as error:
        assert "\n" not in str(error)
        return
    assert checkin.note is None or ("\n" not in checkin.note and checkin.note.strip())
