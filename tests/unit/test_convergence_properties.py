"""One result on every machine, whatever the sync tool does: any order, any
duplication, any split of the same changes merges to the same state, and joining
states is idempotent, commutative and associative."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from peersession.core.changes import Change
from peersession.core.convergence import State

from convergence_support import NOTES, change_lists, result, state_of


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
