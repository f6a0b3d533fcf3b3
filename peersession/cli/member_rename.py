"""``group edit GROUP --rename-member OLD=NEW``: a member's name corrected.

A member is known everywhere by their id (sessions, commitments, check-ins,
goals, the search index), and by name only in the group: a misspelt name, or
one the member changes, is put right here and every past session shows the
new one. Removing and adding them again would make a new member without a
history. The options are parsed before the group's lock is taken and applied
to the group as it is on disk, before the command's other options (which name
members by their new names); a name is held to the rules of ``--add-member``
and must stay unique in the group, ignoring case.
"""

from __future__ import annotations

import argparse

from msgspec.structs import replace

from ..core.model import Group
from ..core.names import clean_name, name_key
from ..errors import UserError
from .output import field


def add_rename_argument(edit: argparse.ArgumentParser) -> None:
    edit.add_argument(
        "--rename-member",
        action="append",
        default=[],
        metavar="OLD=NEW",
        help="correct a member's name (a former member's too); their history keeps them "
        "(repeat for several members)",
    )


def parse_renames(given: list[str]) -> list[tuple[str, str]]:
    """``Dee=Dee Anne`` → ``("Dee", "Dee Anne")``, the new name cleaned as a member
    name; anything else is one line of UserError."""
    parsed: list[tuple[str, str]] = []
    for text in given:
        old, equals, new = text.partition("=")
        if not equals or not old.strip() or not new.strip():
            raise UserError(f"--rename-member takes OLD=NEW, not {field(text)!r}")
        try:
            parsed.append((old.strip(), clean_name(new, what="a member name")))
        except ValueError as error:
            raise UserError(f"--rename-member: {error}") from None
    return parsed


def with_renames(group: Group, renames: list[tuple[str, str]]) -> Group:
    """``group`` with each renamed member's new name, in the order given (a name
    given earlier is found by its new name)."""
    updated = list(group.members)
    for old, new in renames:
        wanted = name_key(old)
        found = next((m for m in updated if name_key(m.name) == wanted), None)
        if found is None:
            raise UserError(f"no member named {field(old)!r} in {field(group.name)!r}")
        taken = next(
            (m for m in updated if m.id != found.id and name_key(m.name) == name_key(new)), None
        )
        if taken is not None:
            raise UserError(f"{field(new)!r} is already the name of a member of the group")
        updated = [replace(m, name=new) if m.id == found.id else m for m in updated]
    return replace(group, members=tuple(updated))


def rename_lines(before: Group, after: Group) -> list[str]:
    """One line per member whose name changed."""
    was = {m.id: m.name for m in before.members}
    return [
        f'"{field(was[m.id])}" is now "{field(m.name)}"'
        for m in after.members
        if m.id in was and was[m.id] != m.name
    ]
