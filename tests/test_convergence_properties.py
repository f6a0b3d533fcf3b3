"""One result on every machine, whatever the sync tool does: any order, any
duplication, any split of the same changes merges to the same state, and joining
states is idempotent, commutative and associative."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from peersession.core import changes as ch
from peersession.core.changes import Change
from peersession.core.convergence import State
from peersession.core.hlc import Stamp

MACHINES = ["a" * 32, "b" * 32, "c" * 32]
MEMBERS = ["m1", "m2", "m3"]
NOTES = ["n1", "n2", "n3"]
TEXTS = ["alpha", "beta", "gamma", "delta"]
STATUSES = ["done", "partial", "dropped"]

# Small ranges on purpose: equal stamps from different changes (a broken or
# hostile writer) must resolve the same everywhere too.
stamps = st.builds(
    Stamp,
    wall_ms=st.integers(0, 4),
    counter=st.integers(0, 2),
    machine=st.sampled_from(MACHINES),
)


def _group(members: list[str], name: str, length: int) -> dict[str, Any]:
    return {
        "id": "g1",
        "name": name,
        "length_minutes": length,
        "members": [{"id": m, "name": m.upper(), "active": True} for m in members],
    }


def _session(session_id: str, notes: list[str], text: str) -> dict[str, Any]:
    return {
        "id": session_id,
        "notes": [{"id": n, "text": f"{text}-{n}", "private": False} for n in notes],
        "reviews": {"c1": {"status": "done"}},
    }


def _review(status: str, text: str) -> dict[str, Any]:
    return {"status": status, "at": "2026-01-01T00:00:00+00:00", "note": text}


changes_strategy = st.one_of(
    st.builds(
        lambda members, name, length, stamp: ch.put("group", _group(members, name, length), stamp),
        st.lists(st.sampled_from(MEMBERS), unique=True, max_size=3),
        st.sampled_from(TEXTS),
        st.integers(10, 600),
        stamps,
    ),
    st.builds(
        lambda item, value, stamp: ch.set_fields("group", "g1", item, value, stamp),
        st.sampled_from(["g1", *MEMBERS]),
        st.one_of(
            st.fixed_dictionaries({"name": st.sampled_from(TEXTS)}),
            st.fixed_dictionaries({"active": st.booleans()}),
        ),
        stamps,
    ),
    st.builds(
        lambda sid, notes, text, stamp: ch.put("session", _session(sid, notes, text), stamp),
        st.sampled_from(["s1", "s2"]),
        st.lists(st.sampled_from(NOTES), unique=True, max_size=3),
        st.sampled_from(TEXTS),
        stamps,
    ),
    st.builds(
        lambda sid, note, text, private, stamp: ch.set_fields(
            "session", sid, note, {"text": text, "private": private}, stamp
        ),
        st.sampled_from(["s1", "s2"]),
        st.sampled_from(NOTES),
        st.sampled_from(TEXTS),
        st.booleans(),
        stamps,
    ),
    st.builds(
        lambda sid, item, stamp: ch.remove("session", sid, item, stamp),
        st.sampled_from(["s1", "s2"]),
        st.sampled_from([*NOTES, "c1", "s2"]),
        stamps,
    ),
    st.builds(
        lambda text, stamp: ch.put("commitment", {"id": "c1", "text": text, "reviews": []}, stamp),
        st.sampled_from(TEXTS),
        stamps,
    ),
    st.builds(
        lambda status, text, stamp: ch.add_element(
            "commitment", "c1", "reviews", _review(status, text), stamp
        ),
        st.sampled_from(STATUSES),
        st.sampled_from(TEXTS),
        stamps,
    ),
    st.builds(
        lambda status, text, stamp: ch.remove(
            "commitment", "c1", ch.element_key(_review(status, text)), stamp
        ),
        st.sampled_from(STATUSES),
        st.sampled_from(TEXTS),
        stamps,
    ),
)

change_lists = st.lists(changes_strategy, max_size=24)


def state_of(changes: list[Change]) -> State:
    state = State()
    state.apply_all(changes)
    return state


def result(state: State) -> str:
    """Everything a machine would show and keep, as one text."""
    shown = {kind: state.records(kind) for kind in ch.KINDS}
    removed = {f"{k}/{i}": sorted(items) for (k, i), items in state.removed().items()}
    return json.dumps([shown, removed, state.snapshot()], sort_keys=True)


@given(change_lists, st.randoms(use_true_random=False))
def test_any_order_gives_the_same_state(changes: list[Change], random: Any) -> None:
    shuffled = list(changes)
    random.shuffle(shuffled)
    assert result(state_of(shuffled)) == result(state_of(changes))


@given(change_lists, st.data())
def test_changes_taken_in_twice_change_nothing(changes: list[Change], data: st.DataObject) -> None:
    again = data.draw(st.lists(st.sampled_from(changes), max_size=10)) if changes else []
    position = data.draw(st.integers(0, len(changes)))
    duplicated = changes[:position] + again + changes[position:] + again
    assert result(state_of(duplicated)) == result(state_of(changes))


@given(change_lists, st.data())
def test_any_split_joined_in_any_order_gives_the_same_state(
    changes: list[Change], data: st.DataObject
) -> None:
    parts = data.draw(st.integers(1, 4))
    where = [data.draw(st.integers(0, parts - 1)) for _ in changes]
    pieces = [[c for c, p in zip(changes, where, strict=True) if p == i] for i in range(parts)]
    states = [state_of(piece) for piece in data.draw(st.permutations(pieces))]
    joined = states[0]
    for other in states[1:]:
        joined = joined.join(other)
    assert result(joined) == result(state_of(changes))


@given(change_lists, change_lists, change_lists)
def test_joining_is_commutative_associative_and_idempotent(
    first: list[Change], second: list[Change], third: list[Change]
) -> None:
    a, b, c = state_of(first), state_of(second), state_of(third)
    assert result(a.join(b)) == result(b.join(a))
    assert result(a.join(b).join(c)) == result(a.join(b.join(c)))
    assert result(a.join(a)) == result(a)
    assert result(a.join(b)) == result(state_of(first + second))


@given(change_lists, st.data())
def test_taking_in_more_after_a_join_is_the_same_as_taking_all_in(
    changes: list[Change], data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(changes)))
    kept = State.from_bytes(state_of(changes[:cut]).to_bytes())
    kept.apply_all(changes[cut:])
    assert result(kept) == result(state_of(changes))


@given(change_lists)
def test_a_removed_notes_text_is_nowhere_in_the_state(changes: list[Change]) -> None:
    state = state_of(changes)
    for (kind, record_id), items in state.removed().items():
        if kind != "session" or record_id in items:
            continue
        for note in items & set(NOTES):
            assert f'"id": "{note}"' not in json.dumps(state.records("session").get(record_id))
            assert f'"{note}"' not in json.dumps(
                [r for r in state.snapshot()["records"] if r["id"] == record_id]
            )
