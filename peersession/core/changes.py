"""Change records: what one machine tells the others about the group's history.

A change names a record (its kind and id) and says one of four things about
it, stamped by the machine's hybrid logical clock (:mod:`.hlc`):

* ``put``: the whole record, as it is stored (a new session, commitment,
  check-in, or the group). Put a record once, when it is new; change it after
  with ``set``, ``add`` or ``remove``.
* ``set``: new values for fields of one item: the record itself
  (``item`` is the record's id) or anything inside it that has an ``id`` (a
  member of the group, a note, an ask or a win of a session). This is how a
  group setting, a member's status, an item's text or its private flag change.
* ``add``: one element added to a grow-only set of the record (a review of a
  commitment, which is how its status changes).
* ``remove``: a tombstone for an item (the record, or anything in it with an
  ``id``, or one element of a grow-only set, named by :func:`element_key`):
  its text is dropped wherever it is merged, and nothing can bring it back.

Changes are JSON-ready dicts of JSON values, so the store converts its own
records at the boundary; :func:`parse_change` checks one read from another
machine's file and refuses anything that is not a change of this version.
How changes merge is :mod:`.convergence`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from .hlc import BadStamp, Stamp

Op = Literal["put", "set", "add", "remove"]
OPS: tuple[Op, ...] = get_args(Op)

#: Ids as stored (docs/data.md): 1 to 64 letters, digits, ``-`` or ``_``.
RECORD_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: A grow-only set's element is named by the digest of its canonical JSON.
ELEMENT_KEY = re.compile(r"e-[0-9a-f]{32}")
#: A field name: what a stored record's field may be called.
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class KindRules:
    """How one kind of record merges, beyond one value per field."""

    keyed: frozenset[str] = frozenset()
    grow: frozenset[str] = frozenset()
    #: Maps keyed by an item's id (a session's reviews by commitment): the
    #: entry goes with the item when it is removed.
    id_maps: frozenset[str] = frozenset()


#: Record kinds, and per kind the fields merged otherwise than as one value.
#: ``keyed``: a list of objects with an ``id``, merged element by element (two
#: members added on two machines are both kept); ``grow``: a grow-only set
#: (two reviews made on two machines are both kept, ordered by their stamps).
KINDS: dict[str, KindRules] = {
    "group": KindRules(keyed=frozenset({"members"})),
    "session": KindRules(id_maps=frozenset({"attendance", "reviews", "ratings"})),
    "commitment": KindRules(grow=frozenset({"reviews"})),
    "checkin": KindRules(id_maps=frozenset({"statuses"})),
    # A member's goal (issue 25): each field one value, the later stamp wins.
    "goal": KindRules(),
}


class BadChange(ValueError):
    """A change that is not one of this version (the message says what, never
    the contents: they may be anyone's confidences)."""


@dataclass(frozen=True)
class Change:
    """One change to one record, stamped by the machine that made it."""

    kind: str
    id: str
    stamp: Stamp
    op: Op
    #: ``set`` and ``remove``: the item changed (the record's own id for the
    #: record; an element key for a grow-only set's element).
    item: str | None = None
    #: ``put``: the record; ``set``: field → new value; ``add``: field → element.
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def machine(self) -> str:
        return self.stamp.machine

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "stamp": self.stamp.to_json(),
            "op": self.op,
        }
        if self.item is not None:
            out["item"] = self.item
        if self.values:
            out["values"] = dict(self.values)
        return out

    def canonical(self) -> str:
        """The change as one deterministic text: equal changes, equal texts."""
        return canonical_json(self.to_json())


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def element_key(element: object) -> str:
    """The name of a grow-only set's element: the same element, the same key."""
    digest = hashlib.sha256(canonical_json(element).encode("utf-8")).hexdigest()
    return f"e-{digest[:32]}"


# --- making changes ------------------------------------------------------------------


def put(kind: str, record: Mapping[str, Any], stamp: Stamp) -> Change:
    """The whole of a new record."""
    return _checked(Change(kind, str(record.get("id")), stamp, "put", None, dict(record)))


def set_fields(
    kind: str, record_id: str, item: str, values: Mapping[str, Any], stamp: Stamp
) -> Change:
    """New values for fields of ``item`` (the record's id, or an item's in it)."""
    return _checked(Change(kind, record_id, stamp, "set", item, dict(values)))


def add_element(kind: str, record_id: str, field_name: str, element: Any, stamp: Stamp) -> Change:
    """One element added to a grow-only set (a review of a commitment)."""
    return _checked(Change(kind, record_id, stamp, "add", None, {field_name: element}))


def remove(kind: str, record_id: str, item: str, stamp: Stamp) -> Change:
    """A tombstone: ``item`` (the record's id, an item's, or an element key) is gone."""
    return _checked(Change(kind, record_id, stamp, "remove", item, {}))


# --- reading changes -------------------------------------------------------------------


def parse_change(raw: object) -> Change:
    """A change read from a file, checked field by field; :class:`BadChange` if not."""
    if not isinstance(raw, dict):
        raise BadChange("a change is an object")
    unknown = set(raw) - {"kind", "id", "stamp", "op", "item", "values"}
    if unknown:
        raise BadChange(f"a change has unknown fields ({len(unknown)})")
    try:
        stamp = Stamp.from_json(raw.get("stamp"))
    except BadStamp as error:
        raise BadChange(str(error)) from None
    op = raw.get("op")
    if op not in OPS:
        raise BadChange("a change's op is not one of put, set, add, remove")
    values = raw.get("values", {})
    if not isinstance(values, dict):
        raise BadChange("a change's values are not an object")
    item = raw.get("item")
    return _checked(Change(raw.get("kind"), raw.get("id"), stamp, op, item, values))  # type: ignore[arg-type]


def _checked(change: Change) -> Change:
    rules = KINDS.get(change.kind) if isinstance(change.kind, str) else None
    if rules is None:
        raise BadChange("a change's kind is not a known kind of record")
    if not isinstance(change.id, str) or not RECORD_ID.fullmatch(change.id):
        raise BadChange("a change's record id is not an id")
    if change.op == "put":
        _check_put(change, rules)
    elif change.op == "set":
        _check_item(change.item, allow_element=False)
        if not change.values or not all(_settable(name, rules) for name in change.values):
            raise BadChange("a set names no field, or one that cannot be set")
    elif change.op == "add":
        if len(change.values) != 1 or next(iter(change.values)) not in rules.grow:
            raise BadChange("an add names one grow-only field")
        if change.item is not None:
            raise BadChange("an add names no item")
    else:
        _check_item(change.item, allow_element=True)
        if change.values:
            raise BadChange("a remove carries no values")
    return change


def _check_put(change: Change, rules: KindRules) -> None:
    record = change.values
    if change.item is not None or record.get("id") != change.id:
        raise BadChange("a put carries the record whose id it names")
    if not all(isinstance(name, str) and FIELD_NAME.fullmatch(name) for name in record):
        raise BadChange("a put's record has a field that is not a field name")
    for name in rules.keyed:
        elements = record.get(name, [])
        if not isinstance(elements, list) or not all(_has_id(e) for e in elements):
            raise BadChange("a keyed field is not a list of objects with ids")
    for name in rules.grow:
        if not isinstance(record.get(name, []), list):
            raise BadChange("a grow-only field is not a list")


def _settable(name: object, rules: KindRules) -> bool:
    return (
        isinstance(name, str)
        and bool(FIELD_NAME.fullmatch(name))
        and name != "id"
        and name not in rules.keyed
        and name not in rules.grow
    )


def _check_item(item: object, *, allow_element: bool) -> None:
    if isinstance(item, str) and RECORD_ID.fullmatch(item):
        return
    if allow_element and isinstance(item, str) and ELEMENT_KEY.fullmatch(item):
        return
    raise BadChange("a change's item is not an id")


def _has_id(element: object) -> bool:
    return (
        isinstance(element, dict)
        and isinstance(element.get("id"), str)
        and bool(RECORD_ID.fullmatch(element["id"]))
    )
