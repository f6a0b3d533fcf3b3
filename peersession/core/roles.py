"""Roles that rotate: who holds each of the group's roles at the next session.

A group names its roles (a host and a facilitator unless it says otherwise:
the study the product follows tells groups to "define roles for each meeting"
and share them). Every saved session keeps who held which role, and the next
session's holders are proposed from that history, here, purely:

* for each role, whoever held it least recently goes first (never held: before
  anyone who has; ties in the group's member order), former members skipped;
* no one holds two roles unless the group has fewer members than roles, and
  then :attr:`Proposal.too_small` says so in one line, wherever holders are shown;
* a pending override (``group edit GROUP --role facilitator=Bo``) wins for one
  session; the session clears it when it is saved.

The holders are chosen together, as one assignment of the least cost
(:func:`_cheapest_assignment`), not role by role: taken one at a time, the
first role can take the only member the second has never had, and the rota
stops being fair. Roles are compared by :func:`~.names.name_key`, so a role
renamed only in case keeps its history.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .names import clean_name, name_key
from .role_turns import RolesHeld as RolesHeld
from .role_turns import RoleTurns

if TYPE_CHECKING:
    from datetime import date

    from msgspec import UnsetType

    from .model import Group
    from .session_records import Holder, Session

#: A group's roles until it names its own.
DEFAULT_ROLES: tuple[str, ...] = ("host", "facilitator")
#: Longest role name: it is one word or two on every screen.
MAX_ROLE = 40
#: Most roles a group may name (each is a line at the opening).
MAX_ROLES = 12

#: Who holds what: ``(role, member id)`` pairs, in the group's role order.
Holders = tuple[tuple[str, str], ...]


def clean_roles(texts: Iterable[str]) -> tuple[str, ...]:
    """Roles typed by a person, each checked like a name (one visible line),
    at most :data:`MAX_ROLE` characters, none twice ignoring case. Raises
    ValueError with a one-line reason."""
    roles: list[str] = []
    seen: set[str] = set()
    for text in texts:
        role = clean_name(text, what="a role")
        if len(role) > MAX_ROLE:
            raise ValueError(f"a role is at most {MAX_ROLE} characters (this one has {len(role)})")
        if name_key(role) in seen:
            raise ValueError(f"role {role!r} is named twice")
        seen.add(name_key(role))
        roles.append(role)
    if not roles:
        raise ValueError("a group needs at least one role")
    if len(roles) > MAX_ROLES:
        raise ValueError(f"a group has at most {MAX_ROLES} roles (this list has {len(roles)})")
    return tuple(roles)


def parse_roles(text: str) -> tuple[str, ...]:
    """``host,facilitator,timekeeper`` → the roles, checked (:func:`clean_roles`)."""
    return clean_roles(text.split(","))


def find_role(roles: Sequence[str], typed: str) -> str | None:
    """The group's role ``typed`` names (ignoring case), or None."""
    wanted = name_key(typed)
    return next((role for role in roles if name_key(role) == wanted), None)


# --- the history --------------------------------------------------------------------------


def holders_from_doc(doc: Iterable[Mapping[str, Any]] | None) -> Holders:
    """A session's ``roles`` as its file holds them (the raw parse a save summarizes)."""
    return tuple((str(h["role"]), str(h["member_id"])) for h in doc or ())


def holders_of(roles: list[Holder] | UnsetType) -> Holders:
    """A stored session's holders (``Session.roles``; unset: none)."""
    return tuple((h.role, h.member_id) for h in roles or ())


def recency(sessions: Iterable[Session]) -> RolesHeld:
    """:class:`RolesHeld` of stored sessions, oldest first (a session saved
    before roles existed holds none)."""
    return held_recency(holders_of(session.roles) for session in sessions)


def held_recency(held: Iterable[Holders]) -> RolesHeld:
    """:class:`RolesHeld` of each session's holders, oldest first."""
    last: dict[str, dict[str, int]] = {}
    rounds: dict[str, list[str]] = {}
    anyone: dict[str, int] = {}
    keys: dict[str, str] = {}  # a role's name_key, worked out once per spelling
    for number, holders in enumerate(held):
        for role, member_id in holders:
            key = keys.get(role) or keys.setdefault(role, name_key(role))
            last.setdefault(key, {})[member_id] = number
            anyone[member_id] = number
            this_round = rounds.setdefault(key, [])
            if member_id in this_round:
                this_round.clear()  # held again: a new round begins
            this_round.append(member_id)
    return RolesHeld(
        by_role=tuple(
            RoleTurns(role=role, member_ids=_oldest_first(held), this_round=len(rounds[role]))
            for role, held in last.items()
        ),
        any_role=_oldest_first(anyone),
    )


def _oldest_first(held: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(sorted(held, key=lambda member: held[member]))


def turns_at_roles(sessions: Iterable[Session]) -> dict[str, dict[str, int]]:
    """Member id → role (as last named) → how many sessions they held it."""
    turns: dict[str, dict[str, int]] = {}
    for session in sessions:
        for role, member_id in holders_of(session.roles):
            counts = turns.setdefault(member_id, {})
            counts[role] = counts.get(role, 0) + 1
    return turns


def settled_override(pending: Holders, used: Holders) -> Holders:
    """A group's pending override once a session that started with ``used`` is
    saved: what it used is gone; a choice made since (for the next one) stays."""
    return tuple(holder for holder in pending if holder not in used)


# --- the proposal ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """The next session's holders, and the one line to show when the group is too small."""

    holders: Holders
    too_small: str | None = None


def too_small_line(roles: int, members: int) -> str | None:
    """``3 members for 4 roles: someone holds two`` when there are fewer members than roles."""
    if members >= roles or members == 0:
        return None
    most = math.ceil(roles / members)
    many = "two" if most == 2 else str(most)
    people = "member" if members == 1 else "members"
    return f"{members} {people} for {roles} roles: someone holds {many}"


def propose(
    roles: Sequence[str],
    members: Sequence[str],
    history: RolesHeld,
    override: Holders = (),
) -> Proposal:
    """Who holds each role next.

    ``members``: the active members' ids in the group's order; ``history``:
    :func:`recency`; ``override``: holders chosen for this session (a role or a
    member no longer in the group is ignored). Deterministic: the same inputs
    always give the same holders."""
    if not members or not roles:
        return Proposal((), None)
    chosen: dict[str, str] = {}
    for role, member_id in override:
        found = find_role(roles, role)
        if found is not None and member_id in members and found not in chosen:
            chosen[found] = member_id
    open_roles = [role for role in roles if role not in chosen]
    small = len(members) < len(roles)
    pool = list(members) if small else [m for m in members if m not in chosen.values()]
    held = [chosen[role] for role in chosen]
    picked = _pick(open_roles, pool, history, held) if open_roles and pool else {}
    holders = tuple((role, chosen.get(role) or picked[role]) for role in roles)
    return Proposal(holders, too_small_line(len(roles), len(members)))


def next_session(group: Group, history: RolesHeld, day: date | None = None) -> Proposal:
    """The holders the group's next session starts with: the rota's proposal
    over the members expected that ``day`` (default: the group's next meeting;
    members on leave or not joined yet are skipped), with the group's pending
    override (a member away that day is ignored in it)."""
    expected = group.expected_members(day or group.next_meeting)
    return propose(group.roles, [m.id for m in expected], history, group.next_holders)


def _rank(role: str, members: Sequence[str], history: RolesHeld) -> list[str]:
    """The members in the order they are due to hold ``role``: never held first,
    then by how long ago they last held it; among those who never held it,
    whoever held no role for longest (never: first), then the member order.
    (Spreading the roles over everyone keeps the members due for one role
    from being the same few due for every role.)"""
    held = [m for m in history.turns(role).member_ids if m in members]
    rested = [m for m in members if m not in history.any_role]
    rested += [m for m in history.any_role if m in members]
    return [m for m in rested if m not in held] + held


def _pick(
    roles: Sequence[str], members: Sequence[str], history: RolesHeld, held: Sequence[str] = ()
) -> dict[str, str]:
    """One holder per role; a member's second role (``held``: roles they hold
    already, by an override) only when everyone has one.

    The cheapest assignment gives as few roles as it can to someone not due for
    them (:meth:`RoleTurns.due`: who held it this round waits for the others);
    then it keeps the worst place any role goes down its list as high as it
    can, then the next worst, and so on (the cost of place ``k`` is
    ``base ** k``, ``base`` above the number of roles: one role given further
    down costs more than every other role given one place further); a
    member's second role costs more than all that; ties go to the earlier
    role, then the earlier member."""
    copies = math.ceil((len(roles) + len(held)) / len(members))
    base = len(roles) + 1
    ranks = [_rank(role, members, history) for role in roles]
    due = [set(history.turns(role).due(members)) for role in roles]
    not_due = base ** len(members) * len(roles)  # above every due holder's cost
    second = not_due * (len(roles) + 1)  # above every first role's cost
    # Weights that keep each level of ties below one step of the level above.
    by_member = len(roles) * len(members) + 1
    by_role = len(roles) * len(roles) * len(members) * by_member + by_member
    columns = [
        (member, copy) for copy in range(copies) for member in members if copy >= held.count(member)
    ]
    cost = [
        [
            (
                base ** ranks[row].index(member)
                + (0 if member in due[row] else not_due)
                + copy * second
            )
            * by_role
            + (len(roles) - row) * ranks[row].index(member) * by_member
            + members.index(member)
            for member, copy in columns
        ]
        for row in range(len(roles))
    ]
    assignment = _cheapest_assignment(cost)
    return {roles[row]: columns[column][0] for row, column in enumerate(assignment)}


def _cheapest_assignment(cost: list[list[int]]) -> list[int]:
    """The columns, one per row and no column twice, of least total cost (the
    Hungarian method; rows ≤ columns). Whole numbers, so no rounding decides."""
    rows, cols = len(cost), len(cost[0])
    u = [0] * (rows + 1)
    v = [0] * (cols + 1)
    owner = [0] * (cols + 1)
    way = [0] * (cols + 1)
    for row in range(1, rows + 1):
        owner[0] = row
        col0 = 0
        least: list[float] = [math.inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[col0] = True
            row0, delta, col1 = owner[col0], math.inf, 0
            for col in range(1, cols + 1):
                if used[col]:
                    continue
                reduced = cost[row0 - 1][col - 1] - u[row0] - v[col]
                if reduced < least[col]:
                    least[col], way[col] = reduced, col0
                if least[col] < delta:
                    delta, col1 = least[col], col
            step = int(delta)
            for col in range(cols + 1):
                if used[col]:
                    u[owner[col]] += step
                    v[col] -= step
                else:
                    least[col] -= step
            col0 = col1
            if owner[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            owner[col0] = owner[col1]
            col0 = col1
    chosen = [0] * rows
    for col in range(1, cols + 1):
        if owner[col]:
            chosen[owner[col] - 1] = col - 1
    return chosen
