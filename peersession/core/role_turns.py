"""Who held which role, as the index's summary keeps it and a proposal reads it.

Declared once, as the record the file holds (``core/roles.py`` computes it from
the saved sessions and proposes from it). Role names are people's text, so they
are values, never keys.
"""

# No ``from __future__ import annotations``: the fields' types are objects at once.
from collections.abc import Sequence
from typing import Annotated

from .names import name_key
from .record_types import Id, Name, Value, doc, whole


class RoleTurns(Value):
    """One role's holders."""

    role: Annotated[Name, doc("The role (compared ignoring case).")]
    member_ids: Annotated[tuple[Id, ...], doc("Who held it, least recently first.")]
    # How many of the last holders held it in the current round (a round ends
    # when someone holds it again): they are not due until everyone has had it.
    this_round: Annotated[int, whole(low=0), doc("How many of the last held it this round.")] = 0

    def due(self, members: Sequence[str]) -> list[str]:
        """Those of ``members`` who have not held it this round (all of them once
        every one has)."""
        done = set(self.member_ids[len(self.member_ids) - self.this_round :])
        waiting = [m for m in members if m not in done]
        return waiting or list(members)


class RolesHeld(Value):
    """Who held each role, least recently first (`core/roles.recency`)."""

    by_role: Annotated[tuple[RoleTurns, ...], doc("Each role's holders.")] = ()
    any_role: Annotated[tuple[Id, ...], doc("Who held any role, least recently first.")] = ()

    def turns(self, role: str) -> RoleTurns:
        """``role``'s holders (compared by :func:`name_key`; never held: none)."""
        key = name_key(role)
        found = next((turns for turns in self.by_role if turns.role == key), None)
        return found if found is not None else RoleTurns(role=key, member_ids=())
