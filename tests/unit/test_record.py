"""An ended meeting becomes the documents the history keeps."""

from __future__ import annotations

import json

import pytest

from peersession.core import events as ev
from peersession.core.record import SessionRecord, session_record
from peersession.core.record_types import stored

from engine_support import START, MeetingDriver, commitment_doc, make_group


def full_session() -> MeetingDriver:
    d = MeetingDriver(
        make_group(4), open_commitments=[commitment_doc("r1", "bea", "Submit the paper")]
    )
    d.act(ev.AttendanceMarked(member_id="dee", status="absent"))
    d.act(ev.NoteAdded(note_id="n1", text="Ground rules read"), after_seconds=60)
    d.act(ev.PrivacyToggled(item_id="n1"))
    d.act(ev.PrivacyToggled(item_id="n1"))
    d.act(
        ev.WinAdded(win_id="w1", member_id="bea", kind="publication", text="NEJM", private=True),
        after_seconds=30,
    )
    d.goto("review", after_seconds=30)
    d.act(
        ev.ReviewMarked(
            commitment_id="r1",
            status="renegotiated",
            text="Submit in March",
            due="2026-03-01",
            note="the data came late",
        ),
        after_seconds=40,
    )
    d.goto("updates", after_seconds=20)
    d.act(ev.NoteAdded(note_id="n2", text="Tenure file", private=True), after_seconds=10)
    d.act(ev.Next(), after_seconds=200.25)
    d.act(ev.SpeakerPassed(), after_seconds=5)
    d.act(ev.Next(), after_seconds=100)
    assert d.meeting.phase.name == "asks"
    d.act(ev.AskAdded(ask_id="a1", member_id="cy", text="How do I negotiate?"))
    d.act(ev.AskAdded(ask_id="a2", member_id="ada", text="Later", private=True))
    d.act(ev.Next())
    d.act(ev.NoteAdded(note_id="n3", text="Anchor high"), after_seconds=30)
    d.act(ev.Next(), after_seconds=150)
    d.act(ev.ExtensionVoted(votes_for=3, voters=4), after_seconds=330)
    d.act(
        ev.AskEnded(outcome="I will ask for protected time", commitment_id="c1", helpers=("ada",)),
        after_seconds=100,
    )
    d.goto("commitments")
    d.act(ev.CommitmentAdded(commitment_id="c2", owner="ada", text="Finish chapter", private=True))
    d.act(ev.CommitmentAdded(commitment_id="c3", owner="bea", text="Draft", due="2026-02-10"))
    d.act(ev.PrivacyToggled(item_id="c3"))
    d.goto("close", after_seconds=120)
    for member_id, rating in (("ada", 8), ("bea", 9), ("cy", 7)):
        d.act(ev.RatingGiven(member_id=member_id, rating=rating))
    d.act(ev.NextMeetingSet(date="2026-01-29"))
    d.act(ev.SessionEnded(), after_seconds=60)
    return d


@pytest.fixture(scope="module")
def record() -> SessionRecord:
    return session_record(full_session().meeting)


def test_the_session_document_holds_the_meeting(record: SessionRecord) -> None:
    session = record.session
    assert session["id"] == "s1" and session["group_id"] == "g1"
    assert session["template"] == "full" and session["planned_minutes"] == 120
    assert session["started_at"] == START.isoformat()
    assert session["attendance"] == {
        "ada": "present",
        "bea": "present",
        "cy": "present",
        "dee": "absent",
    }
    assert session["order"] == ["ada", "bea", "cy"]
    assert session["ratings"] == {"ada": 8, "bea": 9, "cy": 7}
    assert session["next_meeting"] == "2026-01-29"
    assert session["commitment_ids"] == ["c1", "c2", "c3"]
    assert [n["id"] for n in session["notes"]] == ["n1"]


def test_seconds_come_from_the_clock(record: SessionRecord) -> None:
    session = record.session
    turns = [(t["member_id"], t["seconds"], t["passed"]) for t in session["turns"]]
    assert turns == [("ada", 210.25, False), ("bea", 5.0, True), ("cy", 100.0, False)]
    a1, a2 = session["asks"]
    assert (a1["question_seconds"], a1["advice_seconds"]) == (180.0, 430.0)
    assert (a2["question_seconds"], a2["advice_seconds"], a2["done"]) == (0.0, 0.0, False)
    ended = START.add(seconds=60 + 30 + 30 + 40 + 20 + 10 + 200.25 + 5 + 100)
    ended = ended.add(seconds=30 + 150 + 330 + 100 + 120 + 60)
    assert session["ended_at"] == ended.isoformat() == session["updated_at"]


def test_the_ask_keeps_its_parts_extension_outcome_and_helpers(record: SessionRecord) -> None:
    a1 = record.session["asks"][0]
    assert a1["done"] is True and a1["member_id"] == "cy"
    assert [
        (e["minutes"], e["votes_for"], e["voters"], e["granted"]) for e in a1["extensions"]
    ] == [(2.0, 3, 4, True)]
    assert (a1["outcome"], a1["commitment_id"], a1["helpers"]) == (
        "I will ask for protected time",
        "c1",
        ["ada"],
    )
    assert [n["text"] for n in a1["notes"]] == ["Anchor high"]


def test_private_flags_are_intact(record: SessionRecord) -> None:
    session = record.session
    assert session["notes"][0]["private"] is False  # toggled twice
    assert session["turns"][0]["notes"][0]["private"] is True
    assert [a["private"] for a in session["asks"]] == [False, True]
    assert session["wins"][0]["private"] is True
    assert {c.id: c.private for c in record.commitments} == {
        "c1": False,
        "c2": True,
        "c3": True,
    }


def test_commitments_are_owned_dated_and_linked(record: SessionRecord) -> None:
    by_id = {c.id: c for c in record.commitments}
    c1 = by_id["c1"]
    assert (c1.owner, c1.from_ask, c1.made_in, c1.group_id) == ("cy", "a1", "s1", "g1")
    assert c1.due == "2026-01-29"  # no date given: due at the next meeting
    assert by_id["c3"].due == "2026-02-10"
    assert all(c.reviews == [] for c in record.commitments)


def test_reviews_of_earlier_commitments_are_recorded(record: SessionRecord) -> None:
    review = record.reviews["r1"]
    assert stored(review) == record.session["reviews"]["r1"]
    assert {k: v for k, v in stored(review).items() if k != "at"} == {
        "status": "renegotiated",
        "source": "session",
        "source_id": "s1",
        "text": "Submit in March",
        "due": "2026-03-01",
        "note": "the data came late",
    }


def test_a_plain_review_has_no_empty_fields() -> None:
    d = MeetingDriver(make_group(2), open_commitments=[commitment_doc("r1", "ada")])
    d.act(ev.ReviewMarked(commitment_id="r1", status="done"))
    d.act(ev.SessionEnded())
    assert set(stored(session_record(d.meeting).reviews["r1"])) == {
        "at",
        "status",
        "source",
        "source_id",
    }


def test_the_record_is_json_and_the_same_after_a_replay() -> None:
    d = full_session()
    record = session_record(d.meeting)
    json.dumps(record.session)
    json.dumps([stored(c) for c in record.commitments])
    assert session_record(d.replayed()) == record


def test_a_turn_running_at_the_end_counts_up_to_the_end() -> None:
    d = MeetingDriver(make_group(3), template="quick")
    d.goto("updates")
    d.act(ev.SessionEnded(), after_seconds=42.5)
    d.advance(3600)  # recording later changes nothing
    turns = session_record(d.meeting).session["turns"]
    assert [(t["member_id"], t["seconds"]) for t in turns] == [("ada", 42.5)]


def test_only_an_ended_meeting_can_be_recorded() -> None:
    d = MeetingDriver(make_group(2))
    with pytest.raises(ValueError, match="only an ended meeting"):
        session_record(d.meeting)
