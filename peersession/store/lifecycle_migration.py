"""Schema 2 → 3: every member gets a join date, from the sessions they were in.

Schema 3 keeps when each member joined (and, once set, their leave and the day a
former member left: see :mod:`peersession.core.lifecycle`). A member's join date
is the day of the first session whose roll held them (present, late or absent:
the roll holds everyone who was a member then); a member no session held yet
joined on the group's first session's day, or the day the group was created.
Days are this machine's, as the history shows them.

Only ``joined`` is added: roles keep whatever history they have, and the
talking time stays the equal rule by having nothing stored (the field of time
requests is optional, and absent means equal). Group files are unchanged by
this step (only their version goes up); the index's members gain ``joined``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.local_days import local_day
from ..paths import DataLayout
from .storage import CorruptFile, Tables, load_tables

#: Ids that name a group file (anything else is not read: it could point elsewhere).
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def add_join_dates(tables: Tables, path: Path, kind: str) -> Tables:
    """Give every member of every group in an index a join date (other files pass through)."""
    if kind != "index":
        return tables
    layout = DataLayout(path.parent)
    for doc in tables.get("groups", {}).values():
        if isinstance(doc, dict):
            add_member_join_dates(doc, _group_sessions(layout, doc.get("id")))
    return tables


def add_member_join_dates(group: dict[str, Any], sessions: Iterable[Any]) -> None:
    """Set ``joined`` on each member of a group document that has none, from
    ``sessions`` (stored session documents, any order): also what an import
    of a schema 2 bundle does with the bundle's sessions."""
    if not isinstance(group.get("members"), list):
        return
    firsts = _first_days(sessions)
    fallback = firsts.get("") or _created_day(group.get("created_at"))
    for member in group["members"]:
        if not isinstance(member, dict) or "joined" in member:
            continue
        day = firsts.get(str(member.get("id")), fallback)
        if day is not None:
            member["joined"] = day.isoformat()


def _created_day(created: object) -> date | None:
    if not isinstance(created, str):
        return None
    try:
        return local_day(created)
    except (ValueError, TypeError, OverflowError):
        # A damaged date: the member keeps no join date (from the start), and
        # reading the group reports what is wrong with it.
        return None


def _group_sessions(layout: DataLayout, group_id: object) -> list[Any]:
    """The group's stored sessions, read straight from its file (any schema); a
    damaged file gives none here, and doctor reports it."""
    if not isinstance(group_id, str) or not _ID.fullmatch(group_id):
        return []
    try:
        tables = load_tables(layout.group_history_file(group_id))
    except CorruptFile:
        return []
    sessions = (tables or {}).get("sessions")
    return list(sessions.values()) if isinstance(sessions, dict) else []


def _first_days(sessions: Iterable[Any]) -> dict[str, date]:
    """Member id → the day of the first session whose roll held them; ``""`` →
    the group's first session's day."""
    dated: list[tuple[datetime, dict[str, Any]]] = []
    for session in sessions:
        if not isinstance(session, dict):
            continue
        try:
            dated.append((datetime.fromisoformat(session["started_at"]), session))
        except (KeyError, TypeError, ValueError):
            continue
    firsts: dict[str, date] = {}
    for started, session in sorted(dated, key=lambda pair: pair[0]):
        day = local_day(started.isoformat())
        firsts.setdefault("", day)
        attendance = session.get("attendance")
        for member_id in attendance if isinstance(attendance, dict) else ():
            firsts.setdefault(str(member_id), day)
    return firsts
