"""Compaction: a machine's changes rewritten without what the tombstones removed
merge to exactly what the originals merge to, and hold none of the removed text."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from peersession.core import changes as ch
from peersession.core.changes import Change
from peersession.core.compaction import compacted
from peersession.core.hlc import Stamp

from convergence_support import MACHINES, change_lists, state_of


def honest(changes: list[Change]) -> list[Change]:
    """The same changes with the stamps an honest machine gives: each one unique."""
    return [
        replace(c, stamp=Stamp(wall_ms=n, counter=0, machine=c.stamp.machine))
        for n, c in enumerate(changes)
    ]


def shown(changes: list[Change]) -> str:
    state = state_of(changes)
    records = {kind: state.records(kind) for kind in ch.KINDS}
    removed = {f"{kind}/{rid}": sorted(items) for (kind, rid), items in state.removed().items()}
    return json.dumps([records, removed], sort_keys=True)


@given(change_lists, st.sampled_from(MACHINES))
def test_a_machines_compacted_changes_merge_to_the_same_records(
    drawn: list[Change], machine: str
) -> None:
    changes = honest(drawn)
    removed = state_of(changes).removed()
    mine = [c for c in changes if c.machine == machine]
    others = [c for c in changes if c.machine != machine]
    assert shown(others + compacted(mine, removed)) == shown(changes)
    # Taken in after the originals (a machine that read them before), the same too.
    assert shown(changes + compacted(mine, removed)) == shown(changes)


@given(change_lists)
def test_compacted_changes_hold_no_removed_note_or_review(drawn: list[Change]) -> None:
    changes = honest(drawn)
    removed = state_of(changes).removed()
    kept = json.dumps([c.to_json() for c in compacted(changes, removed)])
    for (kind, record_id), items in removed.items():
        for change in compacted(changes, removed):
            if (change.kind, change.id) != (kind, record_id) or change.op == "remove":
                continue
            assert record_id not in items  # a removed record keeps only its tombstones
            text = json.dumps(change.to_json())
            for item in items:
                assert f'"id": "{item}"' not in text
            if kind == "commitment" and change.op == "add":
                assert ch.element_key(change.values["reviews"]) not in items
    tombstones = [c for c in changes if c.op == "remove"]
    assert all(t.canonical() in kept or json.dumps(t.to_json()) in kept for t in tombstones)


def test_nothing_removed_compacts_to_the_same_changes() -> None:
    stamp = Stamp(wall_ms=1, counter=0, machine=MACHINES[0])
    changes = [ch.put("session", {"id": "s1", "notes": []}, stamp)]
    assert compacted(changes, {}) == changes
    assert compacted(changes + changes, {}) == changes  # a repeated change kept once
