"""Members' goals in a group's file: the ``goals`` table, and the link from a
commitment to the goal it serves.

Every write is one transaction of :class:`~.history.HistoryStore` (the write
lock, one atomic write of the file, the search index and the shared folder
told of the records changed), and each change is built from the file as it
is on disk after taking the lock: two terminals editing goals at once both
keep their edit. The rules are the core's (``core/goals.py``); this module
only finds, puts and changes records. Goals are read as their declaration
(``core/records.py``'s ``Goal``); a change is written over the goal as its
file keeps it, so keys a newer peersession wrote stay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from tinydb import Query, TinyDB

from ..core.goal_rules import GoalError
from ..core.goals import resolve_commitment, resolve_goal
from ..core.record_types import stored
from ..errors import UserError
from .history import HistoryStore

if TYPE_CHECKING:
    from ..core.records import Goal
    from ..core.session_records import Commitment

TABLE = "goals"

T = TypeVar("T")


def goals(store: HistoryStore, group_id: str) -> list[Goal]:
    """The group's goals, oldest first (one read of the group's file, as every
    read of its records: ``HistoryStore.group_documents``)."""
    return store.group_documents(group_id).goals


def add_goal(store: HistoryStore, goal: Goal) -> None:
    """A new goal, written once (adding it again after an error changes nothing)."""

    def change(db: TinyDB) -> set[str]:
        table = db.table(TABLE, cache_size=0)
        if not table.contains(Query().id == goal.id):
            table.insert(stored(goal))
        return {goal.id}

    store.change_records(goal.group_id, change)


def change_goal(
    store: HistoryStore,
    group_id: str,
    ref: str,
    edit: Callable[[Goal], dict[str, Any]],
    owner: str | None = None,
) -> Goal:
    """Set the fields ``edit(goal)`` gives on the goal ``ref`` names (an id or
    its start; with ``owner``, one of theirs), read and written in one hold of
    the lock; the goal as it is now."""
    with store.locked():
        goal = _found(lambda: resolve_goal(ref, goals(store, group_id), owner))
        edits = _found(lambda: edit(goal))

        def change(db: TinyDB) -> set[str]:
            # On the goal as its file keeps it: any key this version does not know stays.
            db.table(TABLE, cache_size=0).update(edits, Query().id == goal.id)
            return {goal.id}

        store.change_records(group_id, change)
    return msgspec.structs.replace(goal, **edits)


def link_commitment(
    store: HistoryStore,
    group_id: str,
    *,
    commitment_ref: str,
    goal_ref: str | None,
    at: str,
) -> tuple[Commitment, Goal | None]:
    """Tie a commitment to one of its member's goals (``goal_ref`` None: to
    none), read and written in one hold of the lock; the commitment and its goal."""
    with store.locked():
        commitment = _found(lambda: resolve_commitment(commitment_ref, store.commitments(group_id)))
        goal = None
        if goal_ref is not None:
            goal = _found(lambda: resolve_goal(goal_ref, goals(store, group_id)))
            if goal.owner != commitment.owner:
                raise UserError(
                    f"goal {goal.id} is another member's: a commitment serves a goal "
                    "of the member who made it"
                )
        goal_id = goal.id if goal is not None else None
        if (commitment.goal_id or None) == goal_id:
            what = f"goal {goal_id}" if goal_id else "no goal"
            raise UserError(f"commitment {commitment.id} already serves {what}")
        updated_at = max(commitment.updated_at, at)

        def change(db: TinyDB) -> set[str]:
            # On the stored record itself: keys a newer peersession wrote are kept.
            def link(stored: Any) -> None:
                stored["goal_id"] = goal_id
                stored["updated_at"] = updated_at

            db.table("commitments", cache_size=0).update(link, Query().id == commitment.id)
            return {commitment.id}

        store.change_records(group_id, change)
        changed = msgspec.structs.replace(commitment, goal_id=goal_id, updated_at=updated_at)
    return changed, goal


def _found(find: Callable[[], T]) -> T:
    try:
        return find()
    except GoalError as error:
        raise UserError(str(error)) from None
