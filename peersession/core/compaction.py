"""A machine's changes again, without what the tombstones removed.

A removal is a tombstone (:mod:`.changes`): every machine drops the item's
text from its merge state, but the segments that carried the text still hold
it. Compacting rewrites one machine's own changes so that none carries a
removed item any more, and merging them gives what merging the originals
gives: the same stamps, each change scrubbed exactly as
:func:`.registers.take` scrubs it when it is taken in, the tombstones
themselves kept (they carry no text, and a machine that has not heard of a
removal yet must still hear of it). Pure: the store writes the result
(``store/shared/compaction.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from .changes import KINDS, Change, KindRules, element_key
from .registers import scrubbed

RecordKey = tuple[str, str]


def compacted(
    changes: Iterable[Change], removed: Mapping[RecordKey, frozenset[str]]
) -> list[Change]:
    """``changes`` (one machine's, in their order) without the removed items'
    text; a change left with nothing to say is dropped, a repeated one kept once."""
    out: dict[str, Change] = {}
    for change in changes:
        kept = _compacted(change, removed.get((change.kind, change.id), frozenset()))
        if kept is not None:
            out.setdefault(kept.canonical(), kept)
    return list(out.values())


def _compacted(change: Change, gone: frozenset[str]) -> Change | None:
    if change.op == "remove":
        return change
    if change.id in gone:
        return None
    if not gone:
        return change
    rules = KINDS[change.kind]
    if change.op == "set":
        assert change.item is not None
        if change.item in gone:
            return None
        own = change.item == change.id
        values = {
            name: scrubbed(value, set(gone), by_key=own and name in rules.id_maps)
            for name, value in change.values.items()
        }
    elif change.op == "add":
        ((_, element),) = change.values.items()
        if element_key(element) in gone:
            return None
        values = dict(change.values)
    else:
        values = {
            name: _put_field(rules, name, value, gone) for name, value in change.values.items()
        }
    return change if values == change.values else replace(change, values=values)


def _put_field(rules: KindRules, name: str, value: Any, gone: frozenset[str]) -> Any:
    """One field of a put, scrubbed as :func:`.registers.take` scrubs it."""
    if name == "id":
        return value
    if name in rules.keyed:
        return [
            {part: v if part == "id" else scrubbed(v, set(gone)) for part, v in element.items()}
            for element in value
            if element["id"] not in gone
        ]
    if name in rules.grow:
        return [element for element in value if element_key(element) not in gone]
    return scrubbed(value, set(gone), by_key=name in rules.id_maps)
