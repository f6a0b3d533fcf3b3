"""The compiled shape check answers exactly as the declared shapes do.

``core/shape_compiler.py`` writes each stored shape out as one function that
the load-time check runs first; a record it passes is not checked again, so
it must never pass a record the declared shape refuses (and, to name the
problem, it should refuse no record the declared shape passes). Here every
kind of damage, at any depth of every kind of record, gets the same answer
from both.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peersession.core import stored
from peersession.core.shape_compiler import compiled_check
from peersession.core.shapes import Document, Invalid, Rules
from peersession.demo import demo_history
from peersession.store import index_shapes
from peersession.store.shape_check import COMPILE_FROM, check_stored_shapes

TODAY = pendulum.date(2026, 3, 5)
HISTORY = demo_history(today=TODAY, sessions=6, seed=3)


def _group_doc() -> dict[str, Any]:
    doc = HISTORY.group.to_doc()
    doc["summary"] = {"sessions": 6, "last_session_at": None, "open_commitments": 2}
    doc["agenda"] = [{"phase": "opening", "minutes": 10}]
    doc["extensions_minutes"] = [5, 3]
    return doc


#: A real record of every stored kind, the richest of each.
RECORDS: list[tuple[Document, Any]] = [
    (stored.INDEX_GROUP, _group_doc()),
    *(
        (stored.SESSION, r.session)
        for r in sorted(HISTORY.records, key=lambda r: -len(str(r.session)))[:2]
    ),
    *(
        (stored.COMMITMENT, c)
        for c in sorted(HISTORY.commitments(), key=lambda c: -len(c["reviews"]))[:3]
    ),
    *((stored.CHECKIN, c) for c, _ in HISTORY.checkins[:2]),
]


def generic_passes(shape: Document, record: object) -> bool:
    try:
        shape.check(record, "", Rules.SHAPE)
    except Invalid:
        return False
    return True


def places(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """The path of every value inside ``value`` (dict keys and list indexes)."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += places(item, (*path, index))
    return found


#: Values that are right for one field and wrong for another.
SAMPLES: list[object] = [
    None,
    True,
    0,
    -3,
    7,
    2.5,
    float("inf"),
    float("nan"),
    "",
    " ",
    "ab12",
    "../x",
    "a" * 65,
    "present",
    "done",
    "full",
    "nonsense",
    "2026-03-05",
    "2026-02-30",
    "2026-03-05T16:00:00+00:00",
    "2026-03-05T16:00:00",
    "16:00",
    "Europe/London",
    "Nowhere/Atlantis",
    [],
    {},
    ["ab12", 3],
    {"ab12": "present"},
    {"bad key": 1},
]
JSON_VALUES = st.one_of(
    st.sampled_from(SAMPLES),
    st.integers(),
    st.floats(),
    st.text(max_size=4),
    st.lists(st.sampled_from(SAMPLES), max_size=3),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(min_value=0, max_value=len(RECORDS) - 1),
    pick=st.integers(min_value=0, max_value=100_000),
    value=JSON_VALUES,
    drop=st.booleans(),
)
def test_the_compiled_check_agrees_with_the_declared_shape_on_any_damage(
    which: int, pick: int, value: object, drop: bool
) -> None:
    shape, original = RECORDS[which]
    record: Any = copy.deepcopy(original)
    path = places(record)[pick % len(places(record))]
    if not path:
        record = value  # the whole record replaced
    else:
        parent: Any = record
        for step in path[:-1]:
            parent = parent[step]
        if drop and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = value
    expected = generic_passes(shape, record)
    assert compiled_check(shape)(record, set()) is expected, (
        f"{shape.title} at {path!r} set to {value!r} (dropped: {drop}): "
        f"the declared shape says {'good' if expected else 'wrong'}"
    )


@pytest.mark.parametrize(("shape", "original"), RECORDS, ids=lambda v: getattr(v, "title", ""))
def test_every_sample_value_at_every_place_gets_the_same_answer(
    shape: Document, original: dict[str, Any]
) -> None:
    record = copy.deepcopy(original)
    has_shape = compiled_check(shape)
    # As in a file: every good id of the records already checked is known.
    seen: set[str] = set()
    assert all(compiled_check(s)(r, seen) for s, r in RECORDS)
    for path, value in each_damage(record):
        expected = generic_passes(shape, record)
        assert has_shape(record, set()) is expected, (
            f"{shape.title} at {path!r} set to {value!r}: "
            f"the declared shape says {'good' if expected else 'wrong'}"
        )
        assert has_shape(record, seen) is expected, (
            f"{shape.title} at {path!r} set to {value!r}: "
            f"the declared shape says {'good' if expected else 'wrong'}"
        )


DROP = object()


def each_damage(record: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], object]]:
    """Damage ``record`` in place, one place and one sample value (or the field
    dropped, ``DROP``) at a time, yielding where and what; each place is put
    back before the next."""
    for path in places(record)[1:]:
        parent: Any = record
        for step in path[:-1]:
            parent = parent[step]
        kept = parent[path[-1]]
        for value in [*SAMPLES, DROP]:
            if value is DROP:
                if not isinstance(parent, dict):
                    continue
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            yield tuple(path), value
            parent[path[-1]] = kept


@pytest.mark.parametrize(("shape", "record"), RECORDS, ids=lambda v: getattr(v, "title", ""))
def test_every_real_record_passes_both_checks(shape: Document, record: dict[str, Any]) -> None:
    assert generic_passes(shape, record)
    assert compiled_check(shape)(record, set()) is True


def test_an_id_seen_before_in_the_file_does_not_let_a_bad_one_through() -> None:
    session = copy.deepcopy(RECORDS[1][1])
    ids: set[str] = set()
    assert compiled_check(stored.SESSION)(session, ids)
    assert session["id"] in ids
    session["order"].append("../etc")
    assert not compiled_check(stored.SESSION)(session, ids)


def test_a_record_the_compiled_check_refuses_is_named_by_the_declared_shape() -> None:
    many = COMPILE_FROM + 1  # enough records for the compiled check to be used
    sessions = {str(n): copy.deepcopy(RECORDS[1 + n % 2][1]) for n in range(1, many + 1)}
    for number, session in sessions.items():
        session["id"] = f"s{number}"  # records of a table are told apart by their ids
    tables: dict[str, dict[str, Any]] = {
        "_meta": {"1": {"schema": stored.SCHEMA, "kind": "group"}},
        "sessions": sessions,
    }
    assert check_stored_shapes(Path("g.json"), tables) is None
    sessions[str(many)]["turns"][0]["seconds"] = "long"
    problem = check_stored_shapes(Path("g.json"), tables)
    assert problem is not None
    assert f"sessions record {many}" in problem and "turns[0].seconds" in problem
    # A short table (the index, as the app starts) is checked by the declared shapes alone.
    few = dict(list(sessions.items())[-3:])
    problem = check_stored_shapes(Path("g.json"), {**tables, "sessions": few})
    assert problem is not None and f"sessions record {many}" in problem


def test_the_generated_index_check_answers_as_the_declared_shape_everywhere() -> None:
    """``store/index_shapes.py`` (the index's check as the app starts) is the
    compiled check written out as source: the same answer to every damage."""
    shape, original = RECORDS[0]
    assert shape is stored.INDEX_TABLES["groups"]
    record = copy.deepcopy(original)
    assert index_shapes.check_groups(record, set()) is True
    for path, value in each_damage(record):
        expected = generic_passes(shape, record)
        assert index_shapes.check_groups(record, set()) is expected, (
            f"{path!r} set to {value!r}: the declared shape says {'good' if expected else 'wrong'}"
        )
