"""The demo history: deterministic, realistic, and shaped exactly like real sessions."""

from __future__ import annotations

import itertools
import json
import os
import stat
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pendulum
import pytest
from pendulum import DateTime

from peersession.core import events as ev
from peersession.core.commitment_state import commitment_is_open, commitment_status
from peersession.core.engine import Meeting
from peersession.core.model import parse_date_doc, parse_datetime_doc
from peersession.core.record import SessionRecord, session_record
from peersession.core.record_types import stored
from peersession.core.session_records import Checkin, Review
from peersession.core.setup import plan_setup
from peersession.core.templates import FULL
from peersession.demo import HOSTILE_NAME, SEARCH_WORD, DemoHistory, demo_history
from peersession.errors import UserError
from peersession.store.demo import make_demo_dir, seed_demo
from peersession.store.history import HistoryStore

from engine_support import read_sessions

TODAY = pendulum.date(2026, 3, 10)


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY)


# --- a real meeting, to compare shapes with --------------------------------------


def real_next_session(demo: DemoHistory) -> SessionRecord:
    """Run the session after the demo through the real engine and record it."""
    group = demo.group
    setup = plan_setup(
        session_id="realsession01",
        group=group,
        template=FULL,
        today=TODAY,
        recent_sessions=read_sessions(demo.sessions),
        open_commitments=[c for c in demo.commitments() if commitment_is_open(c)],
        checkins=[c for c, _ in demo.checkins],
    )
    assert setup.review_items, "the demo leaves open commitments for the next review"
    at: DateTime = pendulum.datetime(TODAY.year, TODAY.month, TODAY.day, 16, tz="UTC")
    entries = [ev.Entry(1, at, ev.SessionStarted(setup=setup.to_doc()))]

    def do(action: ev.Action, seconds: float = 30.0) -> None:
        nonlocal at
        at = at.add(seconds=seconds)
        entries.append(ev.Entry(len(entries) + 1, at, action))

    members = [m.id for m in group.members]
    late = members[-1]
    do(ev.AttendanceMarked(member_id=late, status="late"))
    do(ev.NoteAdded(note_id="note1", text="Session note", private=False))
    do(ev.AskAdded(ask_id="ask1", member_id=members[0], text="How?", wanted_seconds=600.0))
    do(ev.Next())  # wins
    do(ev.WinAdded(win_id="win1", member_id=members[1], kind="grant", text="Funded"))
    do(ev.Next())  # review
    item = setup.review_items[0]
    do(
        ev.ReviewMarked(
            commitment_id=item.commitment_id,
            status="renegotiated",
            text="Less",
            due=TODAY.add(days=21).isoformat(),
            note="Busy",
        )
    )
    if len(setup.review_items) > 1:
        do(ev.ReviewMarked(commitment_id=setup.review_items[1].commitment_id, status="done"))
    do(ev.Next())  # updates: the first turn starts
    do(ev.NoteAdded(note_id="note2", text="Turn note", private=True))
    do(ev.MemberArrived(member_id=late))
    for _ in range(len(members)):
        do(ev.Next(), 200)
    meeting = Meeting.replay(entries)
    assert meeting.phase.name == "asks"
    do(ev.Next())  # the ask's clarifying questions
    do(ev.NoteAdded(note_id="note3", text="Ask note", private=False), 170)
    do(ev.ExtensionVoted(votes_for=5, voters=7))
    do(ev.Next(), 60)  # advice
    do(
        ev.AskEnded(outcome="I will try", commitment_id="commit1", helpers=(members[2],)),
        300,
    )
    do(ev.Next())  # commitments
    do(ev.CommitmentAdded(commitment_id="commit2", owner=members[3], text="Write"))
    do(ev.Next())  # close
    do(ev.RatingGiven(member_id=members[0], rating=8))
    do(ev.SessionEnded())
    meeting = Meeting.replay(entries)
    return session_record(meeting)


def same_shape(demo_doc: Any, real_doc: Any, where: str) -> None:
    """Same keys, and the same JSON type for every value both have."""
    assert isinstance(demo_doc, dict) and isinstance(real_doc, dict), where
    assert set(demo_doc) == set(real_doc), where
    for key, value in real_doc.items():
        mine = demo_doc[key]
        if value is None or mine is None:
            continue
        assert type(mine) is type(value), f"{where}.{key}: {type(mine)} vs {type(value)}"


def all_of(demo: DemoHistory, path: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for record in demo.records:
        session: Any = record.session
        if path == "turn_notes":
            found += [n for t in session["turns"] for n in t["notes"]]
        elif path == "ask_notes":
            found += [n for a in session["asks"] for n in a["notes"]]
        elif path == "extensions":
            found += [e for a in session["asks"] for e in a["extensions"]]
        else:
            found += session[path]
    return found


# --- tests ------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_history(demo: DemoHistory) -> None:
    again = demo_history(today=TODAY)
    assert again == demo
    assert again.commitments() == demo.commitments()
    other = demo_history(today=TODAY, seed=8)
    assert other.group.id != demo.group.id
    assert other.records[0].session["id"] != demo.records[0].session["id"]


def test_docs_have_exactly_the_shape_a_real_session_records(demo: DemoHistory) -> None:
    real = real_next_session(demo)
    real_session: Any = real.session
    for record in demo.records:
        session: Any = record.session
        same_shape(session, real_session, "session")
        for commitment in record.commitments:
            same_shape(stored(commitment), stored(real.commitments[0]), "commitment")
        for review in record.reviews.values():
            assert set(stored(review)) <= set(Review.__struct_fields__)
            assert {"at", "status", "source", "source_id"} <= set(stored(review))
            assert review.source == "session"
            assert review.source_id == session["id"]
    for kind in ("turns", "asks", "wins", "notes", "turn_notes", "ask_notes", "extensions"):
        reals = all_of_real(real_session, kind)
        assert reals, kind
        mine = all_of(demo, kind)
        assert mine, kind
        for doc in mine:
            same_shape(doc, reals[0], kind)
    for checkin, reviews in demo.checkins:
        assert isinstance(checkin, Checkin)
        assert set(stored(checkin)) == set(Checkin.__struct_fields__), "every field given"
        for review in reviews.values():
            assert review.source == "checkin"
            assert review.source_id == checkin.id
            assert review.at == checkin.at


def all_of_real(session: Any, kind: str) -> list[dict[str, Any]]:
    if kind == "turn_notes":
        return [n for t in session["turns"] for n in t["notes"]]
    if kind == "ask_notes":
        return [n for a in session["asks"] for n in a["notes"]]
    if kind == "extensions":
        return [e for a in session["asks"] for e in a["extensions"]]
    return list(session[kind])


def test_group_and_calendar(demo: DemoHistory) -> None:
    group = demo.group
    assert len(group.members) == 8
    assert len({m.name.casefold() for m in group.members}) == 8
    assert group.member_by_name(HOSTILE_NAME) is not None
    assert HOSTILE_NAME == "Zoë [Dr.] O'Neil"
    assert group.cadence_days == 21
    assert group.length_minutes == 120
    starts = [parse_datetime_doc(s["started_at"]) for s in demo.sessions]
    assert 8 <= len(starts) <= 10
    assert starts == sorted(starts)
    assert all((b.date() - a.date()).days == 21 for a, b in itertools.pairwise(starts))
    assert starts[-1].date() < TODAY
    assert starts[0].date() >= TODAY.subtract(months=6)
    assert group.next_meeting is not None and group.next_meeting > TODAY
    assert group.next_meeting == starts[-1].date().add(days=21)
    for record, following in zip(demo.records, demo.records[1:], strict=False):
        assert record.session["next_meeting"] == following.session["started_at"][:10]
    assert demo.sessions[-1]["next_meeting"] == group.next_meeting.isoformat()
    assert group.created < starts[0]


def test_every_reference_resolves(demo: DemoHistory) -> None:
    commitments = {c.id: c for c in demo.commitments()}
    member_ids = {m.id for m in demo.group.members}
    made_before: set[str] = set()
    for record in demo.records:
        session = record.session
        ids = {c.id for c in record.commitments}
        assert set(session["commitment_ids"]) == ids
        assert ids <= set(commitments)
        assert set(session["reviews"]) == set(record.reviews)
        # Reviews are of commitments made in earlier sessions.
        assert set(record.reviews) <= made_before
        for cid in record.reviews:
            assert commitments[cid].made_at < record.reviews[cid].at
        made_before |= ids
        for ask in session["asks"]:
            if ask["outcome"]:
                commitment = commitments[ask["commitment_id"] or ""]
                assert commitment.from_ask == ask["id"]
                assert commitment.owner == ask["member_id"]
                assert commitment.text == ask["outcome"]
                assert ask["outcome"].startswith("I will ")
            else:
                assert ask["commitment_id"] is None
            assert set(ask["helpers"]) <= member_ids - {ask["member_id"]}
        assert set(session["attendance"]) == member_ids
        assert set(session["order"]) <= member_ids
        assert [t["member_id"] for t in session["turns"]] == session["order"]
    for checkin, reviews in demo.checkins:
        assert set(checkin.statuses) == set(reviews)
        for cid, status in checkin.statuses.items():
            assert commitments[cid].owner == checkin.member_id
            assert reviews[cid].status == status


def test_sessions_look_like_real_meetings(demo: DemoHistory) -> None:
    statuses: Counter[str] = Counter()
    for previous, record in zip([None, *demo.records], demo.records, strict=False):
        session = record.session
        attendance = session["attendance"]
        statuses.update(attendance.values())
        attended = {m for m, s in attendance.items() if s != "absent"}
        assert set(session["order"]) == attended
        assert set(session["ratings"]) == attended
        assert all(6 <= r <= 10 for r in session["ratings"].values())
        assert 1 <= len(session["asks"]) <= 3
        owners = {c.owner for c in record.commitments}
        assert owners == attended, "everyone who came leaves with a commitment"
        assert all(c.due == session["next_meeting"] for c in record.commitments)
        if previous is not None:
            # Who went first last time does not go first this time.
            assert session["order"][0] != previous.session["order"][0]
    assert statuses["absent"] > 0
    assert statuses["late"] > 0
    assert statuses["present"] > 5 * statuses["absent"]
    kinds = {w["kind"] for w in all_of(demo, "wins")}
    assert len(kinds) >= 4
    extensions = all_of(demo, "extensions")
    assert any(e["granted"] for e in extensions)
    assert all(e["granted"] == (e["votes_for"] * 2 > e["voters"]) for e in extensions)
    review_statuses = Counter(r.status for rec in demo.records for r in rec.reviews.values())
    assert review_statuses["done"] > sum(review_statuses.values()) / 2
    for status in ("partial", "not_done", "renegotiated", "dropped"):
        assert review_statuses[status] > 0, status
    renegotiated = [
        r for rec in demo.records for r in rec.reviews.values() if r.status == "renegotiated"
    ]
    assert all(r.due for r in renegotiated)
    assert any(r.text for r in renegotiated)
    texts = [c.text for c in demo.commitments()]
    assert len(set(texts)) > len(texts) / 2, "texts vary"


def test_completion_rates_differ_between_members(demo: DemoHistory) -> None:
    done: Counter[str] = Counter()
    reviewed: Counter[str] = Counter()
    for commitment in demo.commitments():
        if commitment.reviews:
            reviewed[commitment.owner] += 1
            done[commitment.owner] += commitment_status(commitment) == "done"
    rates = {m: done[m] / reviewed[m] for m in reviewed}
    assert len(rates) == 8
    assert len({round(r, 2) for r in rates.values()}) >= 4
    assert max(rates.values()) - min(rates.values()) >= 0.2


def test_private_items_exist(demo: DemoHistory) -> None:
    assert any(n["private"] for n in all_of(demo, "turn_notes"))
    assert any(w["private"] for w in all_of(demo, "wins"))
    assert any(a["private"] for a in all_of(demo, "asks"))
    assert any(c.private for c in demo.commitments())
    assert not all(c.private for c in demo.commitments())


def test_review_phase_has_work_and_check_ins_are_dated(demo: DemoHistory) -> None:
    last = demo.records[-1]
    open_from_last = [
        c for c in demo.commitments() if c.made_in == last.session["id"] and commitment_is_open(c)
    ]
    assert len(open_from_last) >= 3
    assert len(demo.checkins) >= 2
    ended = [s["ended_at"] for s in demo.sessions]
    for checkin, _ in demo.checkins:
        assert checkin.at not in ended
        assert parse_datetime_doc(checkin.at).date() < TODAY
    # One check-in came after the last session: the next review is pre-filled.
    assert demo.checkins[-1][0].at > last.session["ended_at"]


def test_the_search_word_is_in_an_ask_three_sessions_ago(demo: DemoHistory) -> None:
    hits = [
        i
        for i, s in enumerate(demo.sessions)
        if SEARCH_WORD in json.dumps(s, ensure_ascii=False).casefold()
    ]
    assert hits == [len(demo.sessions) - 3]
    ask = demo.sessions[-3]["asks"][0]
    assert SEARCH_WORD in ask["text"] and not ask["private"]
    assert not any(SEARCH_WORD in c.text for c in demo.commitments())


def test_seed_demo_reads_back(tmp_path: Path, demo: DemoHistory) -> None:
    store = HistoryStore(tmp_path / "data")
    seed_demo(store, demo)
    group = store.only_group()
    assert group == demo.group
    sessions = store.sessions(group.id)
    assert sessions == read_sessions(demo.sessions)
    assert [stored(s) for s in sessions] == demo.sessions, "as written"
    commitments = store.commitments(group.id)
    assert len(commitments) == sum(len(r.commitments) for r in demo.records)
    assert sorted(commitments, key=lambda c: c.id) == sorted(demo.commitments(), key=lambda c: c.id)
    assert len(store.checkins(group.id)) == len(demo.checkins)
    summary = store.summaries()[group.id]
    assert summary.sessions == len(demo.records)
    assert summary.last_session_at == demo.sessions[-1]["started_at"]
    assert summary.open_commitments == sum(1 for c in commitments if commitment_is_open(c))
    assert summary.open_commitments > 0
    with pytest.raises(UserError):
        seed_demo(store, demo)


def test_seeding_equals_committing_one_by_one(tmp_path: Path) -> None:
    demo = demo_history(today=TODAY, seed=3, months=3)
    slow = HistoryStore(tmp_path / "slow")
    slow.add_group(demo.group)
    events: list[tuple[str, SessionRecord | tuple[Checkin, dict[str, Review]]]] = [
        (r.session["ended_at"], r) for r in demo.records
    ]
    events += [(c.at, (c, reviews)) for c, reviews in demo.checkins]
    for _, item in sorted(events, key=lambda e: e[0]):
        if isinstance(item, SessionRecord):
            slow.commit_session(item)
        else:
            slow.add_checkin(*item)
    fast = HistoryStore(tmp_path / "fast")
    seed_demo(fast, demo)
    gid = demo.group.id
    assert fast.sessions(gid) == slow.sessions(gid)
    assert fast.commitments(gid) == slow.commitments(gid)
    assert fast.checkins(gid) == slow.checkins(gid)
    assert fast.summaries() == slow.summaries()


def test_benchmark_sizes_generate(tmp_path: Path) -> None:
    big = demo_history(today=TODAY, sessions=500, seed=11, group_name="Benchmark")
    assert len(big.records) == 500
    days = [parse_date_doc(s["started_at"][:10]) for s in big.sessions]
    assert days[-1] < TODAY
    assert all((b - a).days == 21 for a, b in itertools.pairwise(days))
    assert SEARCH_WORD in big.sessions[-3]["asks"][0]["text"]
    store = HistoryStore(tmp_path / "data")
    seed_demo(store, big)
    assert len(store.sessions(big.group.id)) == 500
    assert demo_history(today=TODAY, sessions=0).records == []


def test_a_demo_longer_than_the_readable_years_is_refused() -> None:
    """Every date of a demo falls in the years a history file may hold (from
    1970): a demo too long to fit is refused in one line, not written to be
    refused by the next read."""
    today = pendulum.date(1972, 3, 10)
    with pytest.raises(ValueError, match=r"^60 sessions every 21 days do not fit between 1970"):
        demo_history(today=today, sessions=60)
    longest = next(
        history
        for count in range(60, 0, -1)
        if (history := _demo_or_none(today, count)) is not None
    )
    assert len(longest.records) > 30  # about two years of sessions every 21 days
    assert longest.group.created.year == 1970
    assert min(s["started_at"] for s in longest.sessions) >= "1970-01-15"


def _demo_or_none(today: pendulum.Date, sessions: int) -> DemoHistory | None:
    try:
        return demo_history(today=today, sessions=sessions)
    except ValueError:
        return None


def test_make_demo_dir_is_private_and_throwaway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tmp_path / "real-data"
    monkeypatch.setenv("PEERSESSION_DATA_DIR", str(real))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    path = make_demo_dir(today=TODAY)
    assert path.parent == tmp_path / "tmp"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o700
    assert not real.exists()
    store = HistoryStore(path, create=False)
    group = store.only_group()
    assert group.name == "Thursday Circle"
    assert len(store.sessions(group.id)) == len(demo_history(today=TODAY).records)
    second = make_demo_dir(today=TODAY)
    assert second != path
