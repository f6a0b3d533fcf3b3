"""Schema 1 → 2: every group gets a meeting slot, inferred from its sessions.

Schema 1 kept only a next date; schema 2 keeps a slot (first date, time of
day, time zone, skips and moves: see :mod:`peersession.core.slot`). A group's
slot is its sessions' most common weekday and start time in this machine's
zone; the agreed next date, if any, anchors the series. Group files are
unchanged by this step (only their version goes up); the index's group
documents gain a ``slot`` key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pendulum
from msgspec.structs import replace

from ..core.model import Group, parse_date_doc, parse_datetime_doc
from ..core.record_types import stored
from ..core.slot import Slot, machine_zone, pendulum_day
from ..core.slot_changes import inferred_slot
from ..paths import DataLayout
from .storage import CorruptFile, Tables, load_tables

#: Ids that name a group file (anything else is not read: it could point elsewhere).
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def add_slots(tables: Tables, path: Path, kind: str) -> Tables:
    """Give every group in an index a slot (other files pass through unchanged)."""
    if kind != "index":
        return tables
    layout = DataLayout(path.parent)
    zone = machine_zone()
    for doc in tables.get("groups", {}).values():
        if not isinstance(doc, dict) or doc.get("slot") is not None:
            continue
        try:
            doc["slot"] = stored(_inferred(doc, layout, zone))
        except (ValueError, TypeError, AssertionError):
            # A group document damaged by hand keeps no slot here; reading the
            # group reports what is wrong with it, and `group edit` sets a slot.
            continue
    return tables


def _inferred(doc: dict[str, Any], layout: DataLayout, zone: str) -> Slot:
    group_id = doc.get("id")
    if not isinstance(group_id, str) or not _ID.fullmatch(group_id):
        raise ValueError("a group without a usable id")
    starts = [parse_datetime_doc(s) for s in _session_starts(layout, group_id)]
    next_meeting = doc.get("next_meeting")
    created = doc.get("created_at")
    created_day = (
        parse_datetime_doc(created).in_timezone(zone).date()
        if isinstance(created, str)
        else pendulum.now(zone).date()
    )
    return inferred_slot(
        starts,
        zone,
        next_meeting=parse_date_doc(next_meeting) if isinstance(next_meeting, str) else None,
        fallback_anchor=created_day.add(days=int(doc.get("cadence_days", 21))),
    )


def with_inferred_slot(group: Group, started_at: list[str]) -> Group:
    """``group`` with a slot inferred from its sessions' starts, if it had none
    (a group from a bundle written before slots existed)."""
    if group.slot is not None:
        return group
    zone = machine_zone()
    slot = inferred_slot(
        [parse_datetime_doc(s) for s in started_at],
        zone,
        next_meeting=pendulum_day(group.next_meeting) if group.next_meeting else None,
        fallback_anchor=group.created.in_timezone(zone).date().add(days=group.cadence_days),
    )
    return replace(group, slot=slot)


def newer_slot(local: Group, incoming: Group) -> Slot | None:
    """The slot a merge keeps: the local one unless the bundle's was changed more
    often (a higher sequence is a later edit of the same series)."""
    if local.slot is None or (
        incoming.slot is not None and incoming.slot.sequence > local.slot.sequence
    ):
        return incoming.slot
    return local.slot


def _session_starts(layout: DataLayout, group_id: str) -> list[str]:
    """When the group's sessions started, read straight from its file (any schema).

    A damaged group file gives no sessions here rather than stopping the index's
    migration: the group then gets the default time, and `peersession doctor`
    reports the damaged file on its own.
    """
    try:
        tables = load_tables(layout.group_history_file(group_id))
    except CorruptFile:
        return []
    sessions: dict[str, Any] = (tables or {}).get("sessions", {})
    return [
        s["started_at"]
        for s in sessions.values()
        if isinstance(s, dict) and isinstance(s.get("started_at"), str)
    ]
