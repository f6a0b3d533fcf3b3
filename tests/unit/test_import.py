"""Import: bundles merge by id, idempotently; newer edits win; private items survive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
import pytest

from peersession.core.model import Group, Member
from peersession.core.record_types import read_as, stored
from peersession.core.session_records import Checkin, Review
from peersession.demo import DemoHistory, demo_history
from peersession.errors import UserError
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.exports.bundle_import import import_bundle
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.merge import merge_bundle

TODAY = pendulum.date(2026, 3, 10)
LATER = "2026-03-09T09:00:00+00:00"
EARLIER = "2000-01-01T09:00:00+00:00"


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY)


@pytest.fixture
def source(tmp_path: Path, demo: DemoHistory) -> HistoryStore:
    """A history holding the demo group, private items and all."""
    store = HistoryStore(tmp_path / "source")
    seed_demo(store, demo)
    return store


def export(store: HistoryStore, *, include_private: bool) -> dict[str, Any]:
    """The whole group as a bundle, exactly as ``export --all --format json``."""
    group = store.groups()[0]
    bundle = build_bundle(
        group,
        store.sessions(group.id),
        store.commitments(group.id),
        store.checkins(group.id),
        include_private=include_private,
    )
    # Through text, as a file would carry it.
    return parse_bundle(dumps_bundle(bundle))


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def without_stamp(bundle: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in bundle.items() if k != "exported_at"}


def session_with_private_items(store: HistoryStore) -> dict[str, Any]:
    group = store.groups()[0]
    for session in store.sessions(group.id):
        if any(a.private for a in session.asks) and any(
            n.private for t in session.turns for n in t.notes
        ):
            return stored(session)
    raise AssertionError("the demo has a session with a private ask and a private note")


def add_private_checkin(store: HistoryStore) -> None:
    """A private check-in, and a public one reporting on a private commitment."""
    group_id = store.groups()[0].id
    commitments = store.commitments(group_id)
    hidden = next(c for c in commitments if c.private)
    shown = next(c for c in commitments if not c.private and c.owner == hidden.owner)
    for checkin_id, private in (("privatecheck", True), ("publiccheck", False)):
        store.add_checkin(
            Checkin(id=checkin_id, group_id=group_id, member_id=hidden.owner,
                    at="2026-03-08T10:00:00+00:00",
                    statuses={hidden.id: "partial", shown.id: "partial"},
                    note="SECRET" if private else None, energy=3, private=private,
                    updated_at="2026-03-08T10:00:00+00:00"),
            {},
        )  # fmt: skip


@pytest.mark.parametrize("include_private", [False, True])
def test_a_bundle_round_trips_through_an_empty_history(
    tmp_path: Path, source: HistoryStore, include_private: bool
) -> None:
    bundle = export(source, include_private=include_private)
    target = HistoryStore(tmp_path / "target")
    report = merge_bundle(target, bundle)
    assert report.group_created and report.sessions.added == len(bundle["sessions"]) == 9
    assert report.commitments.added == len(bundle["commitments"])
    assert report.checkins.added == len(bundle["checkins"])
    again = export(target, include_private=True)
    assert without_stamp(again) == without_stamp(bundle) | {"includes_private": True}
    summary = target.summaries()[bundle["group"]["id"]]
    assert summary.sessions == 9, "the home screen's summary is refreshed"


def test_importing_twice_changes_nothing(tmp_path: Path, source: HistoryStore) -> None:
    bundle = export(source, include_private=True)
    target = HistoryStore(tmp_path / "target")
    merge_bundle(target, bundle)
    before = files(target.root)
    report = merge_bundle(target, bundle)
    assert not report.changed
    assert report.sessions.unchanged == 9 and report.sessions.added == 0
    assert "nothing new" in report.describe()[0]
    assert files(target.root) == before


def test_importing_into_the_history_it_came_from_changes_nothing(source: HistoryStore) -> None:
    before = files(source.root)
    for include_private in (False, True):
        assert not merge_bundle(source, export(source, include_private=include_private)).changed
    assert files(source.root) == before


def test_a_newer_edit_wins_and_an_older_one_loses(source: HistoryStore) -> None:
    bundle = export(source, include_private=True)
    newer, older = bundle["sessions"][0], bundle["sessions"][1]
    newer["wins"].append(
        {"id": "newwin", "member_id": newer["order"][0], "kind": "grant", "text": "Funded!",
         "private": False, "at": newer["started_at"]}
    )  # fmt: skip
    newer["updated_at"] = LATER
    older["ratings"] = {}
    older["updated_at"] = EARLIER
    # The same edit time with other content: the same version, the local copy stays.
    same = bundle["sessions"][2]
    same["ratings"] = {}
    report = merge_bundle(source, bundle)
    assert (report.sessions.updated, report.sessions.unchanged) == (1, 8)
    group_id = bundle["group"]["id"]
    assert source.session(group_id, newer["id"]).wins[-1].text == "Funded!"
    assert source.session(group_id, older["id"]).ratings, "the older edit lost"
    assert source.session(group_id, same["id"]).ratings, "a tie keeps the local copy"


def test_commitments_keep_the_reviews_of_both_sides(source: HistoryStore) -> None:
    bundle = export(source, include_private=True)
    group_id = bundle["group"]["id"]
    theirs = next(c for c in bundle["commitments"] if c["reviews"])
    mine = next(c for c in source.commitments(group_id) if c.id == theirs["id"])
    # Their copy: an older edit of the text, and one more review made elsewhere.
    theirs["text"] = "an old wording"
    theirs["updated_at"] = EARLIER
    extra = {"at": "2026-01-02T10:00:00+00:00", "status": "partial", "source": "history"}
    theirs["reviews"].append(extra)
    theirs["reviews"][0] = {**theirs["reviews"][0], "note": "an older note"}
    merge_bundle(source, bundle)
    merged = next(c for c in source.commitments(group_id) if c.id == theirs["id"])
    assert merged.text == mine.text, "the local edit was newer"
    assert mine.reviews[0] in merged.reviews, "the same review: the newer side's"
    assert read_as(Review, extra) in merged.reviews and len(merged.reviews) == len(mine.reviews) + 1
    keys = [(r.at, r.source_id or "") for r in merged.reviews]
    assert keys == sorted(keys)
    assert not merge_bundle(source, bundle).changed, "the union is stable"


def test_a_bundle_without_private_items_deletes_no_private_item(source: HistoryStore) -> None:
    group_id = source.groups()[0].id
    add_private_checkin(source)
    session = session_with_private_items(source)
    private_commitments = {c.id for c in source.commitments(group_id) if c.private}
    private_checkins = {c.id for c in source.checkins(group_id) if c.private}
    assert private_commitments and private_checkins
    statuses_before = {c.id: c.statuses for c in source.checkins(group_id)}
    bundle = export(source, include_private=False)
    edited = next(s for s in bundle["sessions"] if s["id"] == session["id"])
    edited["turns"][0]["notes"].append(
        {"id": "newnote", "text": "a newer public note", "private": False, "at": LATER}
    )
    edited["updated_at"] = LATER
    for checkin in bundle["checkins"]:
        checkin["updated_at"] = LATER
    report = merge_bundle(source, bundle)
    assert report.sessions.updated == 1
    merged = stored(source.session(group_id, session["id"]))
    assert any(n["text"] == "a newer public note" for n in merged["turns"][0]["notes"])
    expected = {**session, "updated_at": LATER}
    expected["turns"] = merged["turns"]
    assert merged == expected, "every private ask, win, note, review and outcome is still there"
    assert private_commitments <= {c.id for c in source.commitments(group_id)}
    assert private_checkins <= {c.id for c in source.checkins(group_id)}
    assert report.checkins.updated == len(bundle["checkins"]) > 0
    statuses_after = {c.id: c.statuses for c in source.checkins(group_id)}
    assert statuses_after == statuses_before, "statuses of private commitments kept"


def test_the_complete_bundle_fills_in_what_the_redacted_one_left_out(
    tmp_path: Path, source: HistoryStore
) -> None:
    target = HistoryStore(tmp_path / "target")
    merge_bundle(target, export(source, include_private=False))
    complete = export(source, include_private=True)
    report = merge_bundle(target, complete)
    assert report.sessions.updated > 0 and report.commitments.added > 0
    assert without_stamp(export(target, include_private=True)) == without_stamp(complete)


def test_a_different_group_with_the_same_name_is_refused(
    tmp_path: Path, source: HistoryStore
) -> None:
    target = HistoryStore(tmp_path / "target")
    target.add_group(
        Group(id="other0000000", name="thursday circle", members=(Member("m1", "Ana"),))
    )
    before = files(target.root)
    with pytest.raises(UserError, match="a different group named 'thursday circle'"):
        merge_bundle(target, export(source, include_private=False))
    assert files(target.root) == before


def test_members_merge_by_id_and_a_name_clash_is_refused(source: HistoryStore) -> None:
    bundle = export(source, include_private=False)
    local = source.groups()[0]
    bundle["group"]["members"].append({"id": "newmember01", "name": "Newcomer", "active": True})
    bundle["group"]["next_meeting"] = "2026-04-16"
    report = merge_bundle(source, bundle)
    assert report.group_updated and report.members_added == 1
    merged = source.groups()[0]
    assert merged.members[:-1] == local.members and merged.members[-1].name == "Newcomer"
    assert merged.next_meeting == pendulum.date(2026, 4, 16), "the later date is kept"

    # Another member who happens to have a local member's name: not the same person.
    bundle["group"]["members"] = [{"id": "impostor001", "name": local.members[0].name}]
    before = files(source.root)
    with pytest.raises(UserError, match="two members cannot share a name"):
        merge_bundle(source, bundle)
    assert files(source.root) == before


BAD_BUNDLES = {
    "not JSON": b"hello",
    "empty": b"",
    "not a bundle": b'{"sessions": []}',
    "a list": b"[1, 2]",
    "future version": None,
    "future schema": None,
    "a path as group id": None,
    "a session of another group": None,
    "an id twice": None,
    "a bad date": None,
    "a NaN": None,
    "a lone surrogate": None,
}


def bad_bundle(kind: str, good: dict[str, Any]) -> bytes:
    raw = BAD_BUNDLES[kind]
    if raw is not None:
        return raw
    bundle = json.loads(json.dumps(good))
    if kind == "future version":
        bundle["version"] = 99
    elif kind == "future schema":
        bundle["schema"] = 99
    elif kind == "a path as group id":
        bundle["group"]["id"] = "../../escape"
    elif kind == "a session of another group":
        bundle["sessions"][3]["group_id"] = "someoneelse"
    elif kind == "an id twice":
        bundle["commitments"].append(bundle["commitments"][0])
    elif kind == "a bad date":
        bundle["sessions"][-1]["started_at"] = "last Thursday"
    elif kind == "a NaN":
        return dumps_bundle(bundle).replace('"votes": 1,', '"votes": NaN,', 1).encode()
    elif kind == "a lone surrogate":
        return dumps_bundle(bundle).replace('"Thursday Circle"', '"\\ud800"', 1).encode()
    return dumps_bundle(bundle).encode()


@pytest.mark.parametrize("kind", [*BAD_BUNDLES, "truncated"])
def test_a_bad_bundle_is_refused_in_one_line(kind: str, source: HistoryStore) -> None:
    good = export(source, include_private=True)
    text = dumps_bundle(good).encode()
    raw = text[: len(text) // 2] if kind == "truncated" else bad_bundle(kind, good)
    with pytest.raises(UserError) as refused:
        parse_bundle(raw)
    message = str(refused.value)
    assert "\n" not in message and ("bundle" in message or "peersession" in message)
    if kind.startswith("future"):
        assert "newer peersession" in message


def test_importing_checks_a_bundle_it_did_not_parse(source: HistoryStore) -> None:
    bundle = export(source, include_private=True)
    bundle["sessions"][0]["asks"] = "oops"
    before = files(source.root)
    with pytest.raises(UserError, match=r"sessions\[0\]\.asks"):
        import_bundle(source, bundle)
    assert files(source.root) == before
