"""This machine's history as change records: what it changed, told as changes.

The local history (TinyDB) stays each machine's history; the merge state
(:mod:`...core.convergence`) is what the group's machines agreed on so far.
After a local write, the records it touched are compared with their merged
version, and every difference becomes a change:

* a record the merge has not seen: ``put`` (the whole record);
* a new member of the group: a ``put`` of the group holding only the new ones;
* a member's or a nested item's changed field (a note's text, a private
  flag): a ``set`` of that item, so it merges with edits made elsewhere;
* a new review of a commitment: an ``add`` to its grow-only set;
* any other field that differs: a ``set`` of the whole field.

Nothing that is missing locally becomes a removal: a lost or damaged local
file must never erase the group's history on every machine. A removal is
said on purpose, with :func:`.sync.note_removal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import changes as ch
from ...core.changes import KINDS, Change
from ...core.hlc import HybridClock

#: Each kind of shared record and the table of a group's file that holds it
#: (the group itself lives in the index).
GROUP_FILE_TABLES: dict[str, str] = {
    "session": "sessions",
    "commitment": "commitments",
    "checkin": "checkins",
    "goal": "goals",
}
#: Index fields that are this machine's own view of the group, not shared.
LOCAL_GROUP_FIELDS = frozenset({"summary"})


def group_record(index_doc: Mapping[str, Any]) -> dict[str, Any]:
    """The group as it is shared: its index document without this machine's summary."""
    return {k: v for k, v in index_doc.items() if k not in LOCAL_GROUP_FIELDS}


def changes_for(
    kind: str, local: Mapping[str, Any], merged: Mapping[str, Any] | None, clock: HybridClock
) -> list[Change]:
    """The changes that bring ``merged`` (None: never shared) to ``local``."""
    if merged is None:
        return [ch.put(kind, local, clock.now())]
    rules = KINDS[kind]
    record_id = str(local["id"])
    out: list[Change] = []
    setting: dict[str, Any] = {}
    for name, value in local.items():
        if name == "id" or (name in merged and merged[name] == value):
            continue
        old = merged.get(name)
        if name in rules.keyed:
            out += _keyed_changes(kind, record_id, name, value, old, clock)
        elif name in rules.grow:
            known = {ch.element_key(e) for e in old or []}
            for element in value or []:
                if ch.element_key(element) not in known:
                    out.append(ch.add_element(kind, record_id, name, element, clock.now()))
        else:
            items = _item_changes(value, old) if name not in rules.id_maps else None
            if items is None:
                setting[name] = value
            else:
                out += [ch.set_fields(kind, record_id, i, v, clock.now()) for i, v in items]
    if setting:
        out.insert(0, ch.set_fields(kind, record_id, record_id, setting, clock.now()))
    return out


def _keyed_changes(
    kind: str, record_id: str, name: str, value: Any, old: Any, clock: HybridClock
) -> list[Change]:
    """New elements of a keyed list (a group's members) in a put; changed ones as sets."""
    before = {e["id"]: e for e in old or [] if isinstance(e, dict)}
    new = [e for e in value or [] if e["id"] not in before]
    out: list[Change] = []
    if new:
        out.append(ch.put(kind, {"id": record_id, name: new}, clock.now()))
    for element in value or []:
        previous = before.get(element["id"])
        if previous is None:
            continue
        changed = {k: v for k, v in element.items() if k != "id" and previous.get(k) != v}
        if changed:
            out.append(ch.set_fields(kind, record_id, element["id"], changed, clock.now()))
    return out


def _item_changes(value: Any, old: Any) -> list[tuple[str, dict[str, Any]]] | None:
    """Per-item edits when ``value`` and ``old`` are the same list of items with
    ids (a session's notes, asks, wins) and only their fields differ; None when
    the field must be set whole."""
    if not (_items(value) and _items(old)) or [e["id"] for e in value] != [e["id"] for e in old]:
        return None
    edits: list[tuple[str, dict[str, Any]]] = []
    for now, before in zip(value, old, strict=True):
        if set(before) - set(now):
            return None  # a field gone: only the whole field says so
        changed = {k: v for k, v in now.items() if k != "id" and before.get(k) != v}
        if changed:
            if not all(ch.FIELD_NAME.fullmatch(k) for k in changed):
                return None
            edits.append((now["id"], changed))
    return edits


def _items(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("id"), str)
            and ch.RECORD_ID.fullmatch(e["id"]) is not None
            for e in value
        )
        and len({e["id"] for e in value}) == len(value)
    )
