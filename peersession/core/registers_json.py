"""A merge state as JSON, to keep between runs (:meth:`.convergence.State.to_bytes`).

Kept, the state lets a machine take in one new segment without reading
every old one again. On disk (:func:`dump_lines`) it is a line of the state's
own fields, then a line per record, ``["kind","id"]`` and a tab before the
record's JSON: read back, only the keys are parsed, and a record's JSON only
when a change touches it, so taking in one new session does not parse the
whole history. It is read back strictly: a damaged or hand-edited copy is a
``ValueError`` (the caller rebuilds the state from the folder), never a
half-read state. :func:`dump` is the same state as one JSON-ready value, to
compare and inspect.
"""

from __future__ import annotations

import json
from typing import Any

from .changes import KINDS, RECORD_ID
from .hlc import BadStamp, Stamp
from .registers import Order, RecordState, Register

#: The version of :func:`dump_lines`'s form (a file of another is rebuilt).
LINES_VERSION = 2

RecordKey = tuple[str, str]
#: A record's JSON as :func:`load_lines` left it: not decoded yet.
RawRecord = bytes


def dump(
    records: dict[RecordKey, RecordState],
    raw: dict[RecordKey, RawRecord],
    removed: dict[RecordKey, set[str]],
    latest: Stamp | None,
) -> dict[str, Any]:
    """The whole state as one JSON-ready value; ``raw`` holds records still as
    :func:`load_lines` found them."""
    entries = {key: _dump_record(*key, record) for key, record in records.items()}
    entries.update((key, _entry(value)) for key, value in raw.items())
    return {
        "version": LINES_VERSION,
        "latest": latest.to_json() if latest else None,
        "records": [entries[key] for key in sorted(entries)],
        "removed": _dump_removed(removed),
    }


def dump_lines(
    records: dict[RecordKey, RecordState],
    raw: dict[RecordKey, RawRecord],
    removed: dict[RecordKey, set[str]],
    latest: Stamp | None,
) -> bytes:
    """The whole state as :func:`load_lines` reads it; records never decoded are
    written back as the bytes they were read as."""
    head = {
        "version": LINES_VERSION,
        "latest": latest.to_json() if latest else None,
        "removed": _dump_removed(removed),
    }
    lines = {key: _json(_dump_record(*key, record)) for key, record in records.items()}
    lines.update(raw)
    out = [_json(head)]
    out += [_json(list(key)) + b"\t" + lines[key] for key in sorted(lines)]
    return b"\n".join(out) + b"\n"


def load_lines(
    data: bytes,
) -> tuple[dict[RecordKey, RawRecord], dict[RecordKey, set[str]], Stamp | None]:
    """What :func:`dump_lines` wrote, each record left as its bytes; ``ValueError``
    for anything else (a record's own bytes are checked when it is decoded)."""
    lines = data.split(b"\n")
    if len(lines) < 2 or lines.pop() != b"":
        raise ValueError("not a merge state: cut short")
    try:
        head = _object(json.loads(lines[0]))
        if head.get("version") != LINES_VERSION:
            raise ValueError("a merge state of another version")
        removed, latest = _load_removed(head)
        records: dict[RecordKey, RawRecord] = {}
        for line in lines[1:]:
            name, tab, entry = line.partition(b"\t")
            kind, record_id = _list(json.loads(name))
            if not tab or kind not in KINDS or not isinstance(record_id, str):
                raise ValueError("not a merge state: a record of no known kind")
            if (kind, record_id) in records:
                raise ValueError("not a merge state: a record twice")
            records[kind, record_id] = entry
    except (BadStamp, TypeError, KeyError, RecursionError) as error:
        raise ValueError(f"not a merge state ({error})") from None
    return records, removed, latest


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _entry(value: RawRecord) -> dict[str, Any]:
    try:
        return _object(json.loads(value))
    except RecursionError:
        raise ValueError("not a merge state: nested too deep") from None


def _dump_removed(removed: dict[RecordKey, set[str]]) -> list[list[Any]]:
    return [[kind, rid, sorted(removed[kind, rid])] for kind, rid in sorted(removed)]


def _load_removed(top: dict[str, Any]) -> tuple[dict[RecordKey, set[str]], Stamp | None]:
    latest = None if top.get("latest") is None else Stamp.from_json(top["latest"])
    removed: dict[RecordKey, set[str]] = {}
    for raw in _list(top.get("removed")):
        kind, record_id, items = _list(raw)
        if kind not in KINDS or not isinstance(record_id, str):
            raise ValueError("a tombstone of no known kind")
        removed[kind, record_id] = {_text(item) for item in _list(items)}
    return removed, latest


def _dump_record(kind: str, record_id: str, record: RecordState) -> dict[str, Any]:
    # Registers point into one table of the record's orders: a record put once
    # has one order for all its fields, written once rather than once per field.
    orders: list[list[Any]] = []
    places: dict[Order, int] = {}

    def ref(order: Order) -> int:
        if order not in places:
            places[order] = len(orders)
            orders.append([*order[0].to_json(), order[1]])
        return places[order]

    def registers(held: dict[str, Register]) -> dict[str, Any]:
        return {name: [ref(r.order), r.value] for name, r in sorted(held.items())}

    return {
        "kind": kind,
        "id": record_id,
        "created": record.created.to_json() if record.created else None,
        "fields": registers(record.fields),
        "elements": {
            name: {eid: [first[0].to_json(), first[1]] for eid, first in sorted(elements.items())}
            for name, elements in sorted(record.elements.items())
        },
        "items": {item: registers(held) for item, held in sorted(record.items.items())},
        "grown": {
            name: {key: [ref(order), item] for key, (order, item) in sorted(g.items())}
            for name, g in sorted(record.grown.items())
        },
        "orders": orders,
    }


def load_record(entry: RawRecord) -> RecordState:
    """One record's entry, decoded; ``ValueError`` if it is damaged."""
    try:
        return _load_record(_entry(entry))
    except (BadStamp, TypeError, KeyError) as error:
        raise ValueError(f"not a merge state ({error})") from None


def _load_record(entry: dict[str, Any]) -> RecordState:
    orders: list[Order] = []
    for raw in _list(entry.get("orders")):
        wall, counter, machine, digest = _list(raw)
        orders.append((Stamp.from_json([wall, counter, machine]), _text(digest)))

    def order(index: object) -> Order:
        if not isinstance(index, int) or not 0 <= index < len(orders):
            raise ValueError("not a merge state: no such order")
        return orders[index]

    def registers(raw: object) -> dict[str, Register]:
        out: dict[str, Register] = {}
        for name, value in _object(raw).items():
            index, held = _list(value)
            out[name] = Register(order(index), held)
        return out

    record = RecordState()
    created = entry.get("created")
    record.created = None if created is None else Stamp.from_json(created)
    record.fields = registers(entry.get("fields"))
    for name, elements in _object(entry.get("elements")).items():
        record.elements[name] = {
            eid: (Stamp.from_json(first), _whole(place))
            for eid, (first, place) in ((e, _list(v)) for e, v in _object(elements).items())
        }
    record.items = {
        _text(item): registers(held) for item, held in _object(entry.get("items")).items()
    }
    for name, grown in _object(entry.get("grown")).items():
        record.grown[name] = {}
        for key, raw in _object(grown).items():
            index, element = _list(raw)
            record.grown[name][key] = (order(index), element)
    return record


def _object(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("not a merge state: an object expected")
    return value


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a merge state: a list expected")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str) or not (RECORD_ID.fullmatch(value) or len(value) <= 64):
        raise ValueError("not a merge state: an id expected")
    return value


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not a merge state: a whole number expected")
    return value
