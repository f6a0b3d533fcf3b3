"""The merge rules, one by one: what two machines' changes become on every machine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from peersession.core import changes as ch
from peersession.core.changes import BadChange, Change, parse_change
from peersession.core.convergence import State
from peersession.core.hlc import Stamp

A = "a" * 32
B = "b" * 32


def at(ms: int, machine: str = A, counter: int = 0) -> Stamp:
    return Stamp(ms, counter, machine)


def merged(*changes: Change) -> State:
    state = State()
    state.apply_all(changes)
    return state


def both_orders(*changes: Change) -> State:
    """The state after the changes in this order, checked equal to the reverse."""
    forward, backward = merged(*changes), merged(*reversed(changes))
    assert forward.snapshot() == backward.snapshot()
    return forward


def session(session_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": session_id, "group_id": "g1", "notes": [], **fields}


def group(*members: tuple[str, str], **fields: Any) -> dict[str, Any]:
    return {
        "id": "g1",
        "name": "Circle",
        "members": [{"id": i, "name": n, "active": True} for i, n in members],
        **fields,
    }


def test_two_sessions_started_on_two_machines_at_once_are_both_kept() -> None:
    state = both_orders(
        ch.put("session", session("s-on-a"), at(1000, A)),
        ch.put("session", session("s-on-b"), at(1000, B)),
    )
    assert set(state.records("session")) == {"s-on-a", "s-on-b"}


def test_the_same_setting_changed_on_two_machines_takes_the_later_clock() -> None:
    state = both_orders(
        ch.put("group", group(("m1", "Ana"), length_minutes=120), at(1)),
        ch.set_fields("group", "g1", "g1", {"length_minutes": 90}, at(2000, A)),
        ch.set_fields("group", "g1", "g1", {"length_minutes": 100}, at(1999, B, counter=7)),
    )
    assert state.records("group")["g1"]["length_minutes"] == 90


def test_equal_wall_times_resolve_by_counter_then_machine_the_same_everywhere() -> None:
    state = both_orders(
        ch.set_fields("group", "g1", "g1", {"template": "quick"}, at(5, A)),
        ch.set_fields("group", "g1", "g1", {"template": "full"}, at(5, B)),
        ch.put("group", group(), at(1)),
    )
    assert state.records("group")["g1"]["template"] == "full"  # B sorts after A


def test_members_added_on_two_machines_are_both_kept_in_a_stable_order() -> None:
    state = both_orders(
        ch.put("group", group(("m1", "Ana"), ("m2", "Bo")), at(10, A)),
        ch.put("group", group(("m1", "Ana"), ("m3", "Cy")), at(20, B)),
    )
    members = state.records("group")["g1"]["members"]
    assert [m["id"] for m in members] == ["m1", "m2", "m3"]


def test_a_members_status_and_name_are_registers_of_their_own() -> None:
    state = both_orders(
        ch.put("group", group(("m1", "Ana"), ("m2", "Bo")), at(10, A)),
        ch.set_fields("group", "g1", "m2", {"active": False}, at(30, B)),
        ch.set_fields("group", "g1", "m1", {"name": "Ana María"}, at(31, A)),
    )
    members = {m["id"]: m for m in state.records("group")["g1"]["members"]}
    assert members["m2"] == {"id": "m2", "name": "Bo", "active": False}
    assert members["m1"]["name"] == "Ana María"


def review(status: str, at_text: str, source: str) -> dict[str, Any]:
    return {"at": at_text, "status": status, "source": source}


def test_a_commitments_status_from_a_checkin_and_from_the_review_resolves_by_the_clock() -> None:
    made = {"id": "c1", "text": "Send the draft", "private": False, "reviews": []}
    checkin_on_b = review("partial", "2026-03-10T09:00:00+00:00", "checkin")
    review_on_a = review("done", "2026-03-10T08:00:00+00:00", "session")  # A's wall is behind
    state = both_orders(
        ch.put("commitment", made, at(100, A)),
        ch.add_element("commitment", "c1", "reviews", checkin_on_b, at(500, B)),
        ch.add_element("commitment", "c1", "reviews", review_on_a, at(501, A)),
    )
    reviews = state.records("commitment")["c1"]["reviews"]
    assert reviews == [checkin_on_b, review_on_a]  # both kept, the later stamp last
    assert reviews[-1]["status"] == "done"


def test_a_review_taken_in_twice_is_one_review() -> None:
    made = {"id": "c1", "text": "x", "reviews": []}
    done = review("done", "2026-03-10T08:00:00+00:00", "session")
    state = merged(
        ch.put("commitment", made, at(1)),
        ch.add_element("commitment", "c1", "reviews", done, at(2, A)),
        ch.add_element("commitment", "c1", "reviews", done, at(3, B)),
    )
    assert state.records("commitment")["c1"]["reviews"] == [done]


def test_a_corrected_note_stays_corrected_when_the_session_is_sent_again() -> None:
    original = session("s1", notes=[{"id": "n1", "text": "Ana sent teh draft", "private": False}])
    fix = ch.set_fields("session", "s1", "n1", {"text": "Ana sent the draft"}, at(50))
    state = both_orders(
        ch.put("session", original, at(10)),
        fix,
        ch.put("session", original, at(90, B)),  # B commits the same session again later
    )
    assert state.records("session")["s1"]["notes"][0]["text"] == "Ana sent the draft"


def test_marking_an_item_private_after_the_meeting() -> None:
    original = session("s1", asks=[{"id": "k1", "text": "Should I apply?", "private": False}])
    state = both_orders(
        ch.put("session", original, at(10)),
        ch.set_fields("session", "s1", "k1", {"private": True}, at(20, B)),
    )
    assert state.records("session")["s1"]["asks"][0]["private"] is True


def test_a_removal_wins_over_a_concurrent_and_a_later_edit() -> None:
    original = session("s1", notes=[{"id": "n1", "text": "the secret", "private": False}])
    state = both_orders(
        ch.put("session", original, at(10)),
        ch.remove("session", "s1", "n1", at(20, A)),
        ch.set_fields("session", "s1", "n1", {"text": "the secret, edited"}, at(21, B)),
        ch.set_fields("session", "s1", "n1", {"private": True}, at(99, B)),
    )
    assert state.records("session")["s1"]["notes"] == []
    assert "secret" not in json.dumps(state.snapshot())


def test_a_removed_item_is_gone_from_the_state_not_hidden() -> None:
    secret = "Dee is leaving her job"
    s1 = session(
        "s1",
        turns=[{"member_id": "m1", "notes": [{"id": "n1", "text": secret}]}],
        reviews={"c1": {"status": "done", "note": secret}},
    )
    commitment = {"id": "c1", "text": secret, "reviews": []}
    state = both_orders(
        ch.put("session", s1, at(10)),
        ch.put("commitment", commitment, at(10)),
        ch.set_fields("session", "s1", "n1", {"text": secret + "!"}, at(11)),
        ch.remove("session", "s1", "n1", at(12)),
        ch.remove("session", "s1", "c1", at(12)),  # the review of c1 in that session
        ch.remove("commitment", "c1", "c1", at(12)),
    )
    assert secret not in json.dumps(state.snapshot())
    assert state.records("commitment") == {}
    assert state.records("session")["s1"]["reviews"] == {}
    assert state.removed()[("commitment", "c1")] == frozenset({"c1"})


def test_a_removed_review_element_is_gone() -> None:
    note = review("dropped", "2026-03-10T08:00:00+00:00", "checkin") | {"note": "private matter"}
    state = both_orders(
        ch.put("commitment", {"id": "c1", "text": "x", "reviews": []}, at(1)),
        ch.add_element("commitment", "c1", "reviews", note, at(2)),
        ch.remove("commitment", "c1", ch.element_key(note), at(3, B)),
    )
    assert state.records("commitment")["c1"]["reviews"] == []
    assert "private matter" not in json.dumps(state.snapshot())


def test_a_record_shows_only_once_its_put_has_arrived() -> None:
    state = merged(ch.set_fields("session", "s1", "s1", {"template": "quick"}, at(5)))
    assert state.records("session") == {}
    state.apply(ch.put("session", session("s1", template="full"), at(1)))
    assert state.records("session")["s1"]["template"] == "quick"


def test_a_state_kept_and_read_back_is_the_same_state() -> None:
    state = merged(
        ch.put("group", group(("m1", "Ana")), at(1)),
        ch.put("commitment", {"id": "c1", "text": "x", "reviews": []}, at(2)),
        ch.add_element("commitment", "c1", "reviews", review("done", "t", "session"), at(3)),
        ch.remove("session", "s9", "n1", at(4)),
    )
    again = State.from_bytes(state.to_bytes())
    assert again.snapshot() == state.snapshot()
    assert again.records("group") == state.records("group")
    assert again.to_bytes() == state.to_bytes()


def kept_lines(state: State) -> list[bytes]:
    return state.to_bytes().split(b"\n")


HEAD = b'{"version": 2, "latest": null, "removed": []}\n'


@pytest.mark.parametrize(
    "damaged",
    [
        b"",
        b"null\n",
        b'{"version": 1, "latest": null, "removed": []}\n',  # the old whole-JSON form
        b'{"version": 2, "latest": null, "removed": []}',  # cut before its line break
        HEAD + b'["nope","x"]\t{}\n',
        HEAD + b'["session","x"]{}\n',  # no tab
        HEAD + b'["session","x"]\t{}\n["session","x"]\t{}\n',  # one record twice
        HEAD + b"[" * 100_000 + b"\t{}\n",
        b"\xff\xfe\n",
    ],
)
def test_a_damaged_kept_state_is_refused(damaged: bytes) -> None:
    with pytest.raises(ValueError):
        State.from_bytes(damaged)


@pytest.mark.parametrize(
    "entry", [b'{"fields": {"notes": ["not", "a", "register"]}}', b"[" * 100_000, b"{cut"]
)
def test_a_record_damaged_in_a_kept_state_is_refused_when_it_is_touched(entry: bytes) -> None:
    state = merged(ch.put("session", session("s1"), at(1)), ch.put("session", session("s2"), at(1)))
    head, first, *rest = kept_lines(state)
    key, _ = first.split(b"\t")
    again = State.from_bytes(b"\n".join([head, key + b"\t" + entry, *rest]))
    again.apply(ch.set_fields("session", "s2", "s2", {"template": "quick"}, at(2)))
    with pytest.raises(ValueError):  # decoded only now, and refused as a ValueError
        again.apply(ch.set_fields("session", "s1", "s1", {"template": "quick"}, at(2)))


def test_a_kept_state_writes_back_what_it_did_not_touch_as_it_read_it() -> None:
    state = merged(*(ch.put("session", session(f"s{n}"), at(n)) for n in range(5)))
    kept = kept_lines(state)
    again = State.from_bytes(state.to_bytes())
    again.apply(ch.set_fields("session", "s3", "s3", {"template": "quick"}, at(9)))
    assert again.touched == {("session", "s3")}
    out = kept_lines(again)
    assert [json.loads(line.split(b"\t")[0])[1] for line in out[1:-1]] == [
        "s0",
        "s1",
        "s2",
        "s3",
        "s4",
    ]
    assert out[1:4] == kept[1:4] and out[5:] == kept[5:]  # the same bytes
    assert out[4] != kept[4]


# --- changes read from files ----------------------------------------------------------


def good_change() -> dict[str, Any]:
    return ch.put("session", session("s1"), at(1)).to_json()


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (lambda c: c.update(kind="meeting"), "kind"),
        (lambda c: c.update(id="../x"), "record id"),
        (lambda c: c.update(op="merge"), "op"),
        (lambda c: c.update(stamp=[1, 0, "me"]), "machine"),
        (lambda c: c.update(extra=1), "unknown fields"),
        (lambda c: c["values"].update(id="s2"), "id it names"),
        (lambda c: c.update(values=[]), "not an object"),
        (lambda c: c["values"].update({"Bad Field": 1}), "field name"),
    ],
)
def test_a_change_from_a_file_is_checked(edit: Any, why: str) -> None:
    raw = good_change()
    edit(raw)
    with pytest.raises(BadChange, match=why):
        parse_change(raw)


def test_sets_adds_and_removes_from_a_file_are_checked() -> None:
    with pytest.raises(BadChange):
        parse_change({"kind": "group", "id": "g1", "stamp": [1, 0, A], "op": "set", "item": "g1"})
    with pytest.raises(BadChange):  # members merge by element, never set whole
        ch.set_fields("group", "g1", "g1", {"members": []}, at(1))
    with pytest.raises(BadChange):  # only grow-only fields take an add
        ch.add_element("commitment", "c1", "text", "x", at(1))
    with pytest.raises(BadChange):
        parse_change({"kind": "session", "id": "s1", "stamp": [1, 0, A], "op": "remove"})


def test_a_change_reads_back_as_written() -> None:
    for change in [
        ch.put("group", group(("m1", "Ana")), at(1)),
        ch.set_fields("group", "g1", "m1", {"active": False}, at(2)),
        ch.add_element("commitment", "c1", "reviews", review("done", "t", "s"), at(3)),
        ch.remove("commitment", "c1", ch.element_key({"x": 1}), at(4)),
    ]:
        assert parse_change(json.loads(json.dumps(change.to_json()))) == change
