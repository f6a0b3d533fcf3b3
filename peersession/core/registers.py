"""One record's merge state: its registers, keyed lists and grow-only sets.

The parts :mod:`.convergence` is made of, each a join: taking a change into
a :class:`RecordState` (:func:`take`), dropping what a tombstone removed
(:func:`scrub`), joining two (:func:`join_records`) and reading the record out
(:func:`materialize`). The rules themselves are stated in
:mod:`.convergence`'s docstring.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

from .changes import KINDS, Change, KindRules, element_key
from .hlc import Stamp

#: A register's place in the order: the change's stamp, then its digest.
Order = tuple[Stamp, str]


@dataclass
class Register:
    order: Order
    value: Any


@dataclass
class RecordState:
    """What is known of one record: its registers and its sets."""

    #: The earliest stamp of a ``put`` of it (None until one arrives).
    created: Stamp | None = None
    fields: dict[str, Register] = field(default_factory=dict)
    #: Keyed field → element id → (stamp, place) of the first put holding it.
    elements: dict[str, dict[str, tuple[Stamp, int]]] = field(default_factory=dict)
    #: Item id → field → register (keyed elements, and edits of nested items).
    items: dict[str, dict[str, Register]] = field(default_factory=dict)
    #: Grow-only field → element key → (first order, element).
    grown: dict[str, dict[str, tuple[Order, Any]]] = field(default_factory=dict)


def change_order(change: Change) -> Order:
    """Where a change's values stand: its stamp, then a digest of the whole change."""
    digest = hashlib.sha256(change.canonical().encode("utf-8")).hexdigest()[:32]
    return (change.stamp, digest)


def take(record: RecordState, change: Change, gone: set[str]) -> None:
    """Take a ``put``, ``set`` or ``add`` into the record (``gone``: its tombstones)."""
    rules = KINDS[change.kind]
    order = change_order(change)
    if change.op == "put":
        _take_put(record, rules, change, order, gone)
    elif change.op == "set":
        assert change.item is not None
        if change.item in gone:
            return
        own = change.item == change.id
        target = record.fields if own else record.items.setdefault(change.item, {})
        for name, value in change.values.items():
            by_key = own and name in rules.id_maps
            _offer(target, name, Register(order, scrubbed(value, gone, by_key=by_key)))
    elif change.op == "add":
        ((name, element),) = change.values.items()
        _grow(record, name, element, order, gone)


def _take_put(
    record: RecordState, rules: KindRules, change: Change, order: Order, gone: set[str]
) -> None:
    if record.created is None or change.stamp < record.created:
        record.created = change.stamp
    for name, value in change.values.items():
        if name == "id":
            continue
        if name in rules.keyed:
            elements = record.elements.setdefault(name, {})
            for place, element in enumerate(value):
                element_id = element["id"]
                if element_id in gone:
                    continue
                first = elements.get(element_id)
                if first is None or (change.stamp, place) < first:
                    elements[element_id] = (change.stamp, place)
                registers = record.items.setdefault(element_id, {})
                for part, part_value in element.items():
                    if part != "id":
                        _offer(registers, part, Register(order, scrubbed(part_value, gone)))
        elif name in rules.grow:
            record.grown.setdefault(name, {})
            for element in value:
                _grow(record, name, element, order, gone)
        else:
            by_key = name in rules.id_maps
            _offer(record.fields, name, Register(order, scrubbed(value, gone, by_key=by_key)))


def _offer(registers: dict[str, Register], name: str, candidate: Register) -> None:
    current = registers.get(name)
    if current is None or candidate.order > current.order:
        registers[name] = candidate


def _grow(record: RecordState, name: str, element: Any, order: Order, gone: set[str]) -> None:
    grown = record.grown.setdefault(name, {})  # the field shows, even emptied
    key = element_key(element)
    if key in gone:
        return
    current = grown.get(key)
    if current is None or order < current[0]:
        grown[key] = (order, element)


def scrubbed(value: Any, gone: set[str], *, by_key: bool = False) -> Any:
    """``value`` without the removed items in it: objects with a removed ``id``
    in any list or map, and with ``by_key`` (an id-keyed map) the entries
    under a removed id."""
    if not gone:
        return value
    if isinstance(value, list):
        return [scrubbed(v, gone) for v in value if not _is_gone(v, gone)]
    if isinstance(value, dict):
        return {
            k: scrubbed(v, gone)
            for k, v in value.items()
            if not _is_gone(v, gone) and not (by_key and k in gone)
        }
    return value


def _is_gone(value: Any, gone: set[str]) -> bool:
    return isinstance(value, dict) and value.get("id") in gone


def scrub(record: RecordState, kind: str, gone: set[str]) -> None:
    """Drop from the record every text of what ``gone`` names."""
    rules = KINDS[kind]
    for name, register in record.fields.items():
        register.value = scrubbed(register.value, gone, by_key=name in rules.id_maps)
    for elements in record.elements.values():
        for element_id in gone & elements.keys():
            del elements[element_id]
    for item_id in gone & record.items.keys():
        del record.items[item_id]
    for registers in record.items.values():
        for register in registers.values():
            register.value = scrubbed(register.value, gone)
    for grown in record.grown.values():
        for element in gone & grown.keys():
            del grown[element]


def join_records(mine: RecordState | None, theirs: RecordState | None) -> RecordState:
    """A record state holding what either holds (tombstones are scrubbed after)."""
    out = RecordState()
    for source in (mine, theirs):
        if source is None:
            continue
        if source.created is not None and (out.created is None or source.created < out.created):
            out.created = source.created
        for name, register in source.fields.items():
            _offer(out.fields, name, copy.deepcopy(register))
        for name, elements in source.elements.items():
            target = out.elements.setdefault(name, {})
            for element_id, first in elements.items():
                if element_id not in target or first < target[element_id]:
                    target[element_id] = first
        for item_id, registers in source.items.items():
            item = out.items.setdefault(item_id, {})
            for name, register in registers.items():
                _offer(item, name, copy.deepcopy(register))
        for name, grown in source.grown.items():
            target_set = out.grown.setdefault(name, {})
            for key, (order, element) in grown.items():
                if key not in target_set or order < target_set[key][0]:
                    target_set[key] = (order, copy.deepcopy(element))
    return out


def materialize(record_id: str, record: RecordState) -> dict[str, Any]:
    """The record as stored: its fields in name order, sets and lists ordered."""
    out: dict[str, Any] = {"id": record_id}
    names = sorted(record.fields.keys() | record.elements.keys() | record.grown.keys())
    for name in names:
        if name in record.elements:
            ordered = sorted(record.elements[name].items(), key=lambda kv: (kv[1], kv[0]))
            out[name] = [_item(element_id, record) for element_id, _ in ordered]
        elif name in record.grown:
            # Elements of one change (a record put whole) share its order: their own
            # time settles it (a commitment's reviews stay in the order they were
            # made, the last one its status), then their keys, the same everywhere.
            ordered_set = sorted(
                record.grown[name].items(), key=lambda kv: (kv[1][0], _when(kv[1][1]), kv[0])
            )
            out[name] = [copy.deepcopy(element) for _, (_, element) in ordered_set]
        else:
            out[name] = copy.deepcopy(record.fields[name].value)
    edited = {item for item in record.items if item != record_id}
    if edited:
        _overlay(out, record, edited)
    return out


def _item(element_id: str, record: RecordState) -> dict[str, Any]:
    registers = record.items.get(element_id, {})
    return {"id": element_id} | {
        name: copy.deepcopy(registers[name].value) for name in sorted(registers)
    }


def _overlay(value: Any, record: RecordState, edited: set[str]) -> None:
    """Lay the edits of nested items over the values that hold them."""
    if isinstance(value, list):
        for element in value:
            _overlay(element, record, edited)
    elif isinstance(value, dict):
        item_id = value.get("id")
        if isinstance(item_id, str) and item_id in edited:
            registers = record.items[item_id]
            for name in sorted(registers):
                value[name] = copy.deepcopy(registers[name].value)
        for inner in value.values():
            _overlay(inner, record, edited)


def _when(element: Any) -> str:
    """A grown element's own time (a review's ``at``), if it says one."""
    at = element.get("at") if isinstance(element, dict) else None
    return at if isinstance(at, str) else ""
