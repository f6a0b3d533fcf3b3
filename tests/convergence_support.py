"""Drawn change records for the merge's properties (tests/unit/test_convergence_properties.py,
tests/unit/test_compaction.py): three machines, a group, two sessions with notes, a
commitment with reviews, and removals of each."""

from __future__ import annotations

import json
from typing import Any

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
