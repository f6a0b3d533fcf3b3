"""``group edit GROUP --share-wins NAME=yes|no``: who agreed to their wins in the report.

A win is a member's news, told in the room. The outcomes report
(``peersession report``) is what a group shows its department, so a win goes
in only once its member has said yes (``Member.shares_wins``, off until then);
private wins never do. The options are read before the group's lock is taken
(a typo costs nothing), applied to the group as it is on disk, and said back
in one line a change.
"""

from __future__ import annotations

import argparse

from msgspec.structs import replace

from ..core.checkin import CheckinError, find_member
from ..core.model import Group, Member
from ..errors import UserError
from .output import field

_ANSWERS = {"yes": True, "no": False}


def add_share_wins_argument(edit: argparse.ArgumentParser) -> None:
    edit.add_argument(
        "--share-wins",
        action="append",
        default=[],
        metavar="NAME=yes|no",
        help="whether NAME's wins (never the private ones) appear in `peersession report` "
        "(no until they say yes; repeat for several members)",
    )


def parse_share_wins(given: list[str]) -> list[tuple[str, bool]]:
    """``Ana=yes`` → ``("Ana", True)``; anything else is one line of UserError."""
    parsed: list[tuple[str, bool]] = []
    for text in given:
        name, equals, answer = text.rpartition("=")
        choice = _ANSWERS.get(answer.strip().casefold())
        if not equals or not name.strip() or choice is None:
            raise UserError(f"--share-wins takes NAME=yes or NAME=no, not {field(text)!r}")
        parsed.append((name.strip(), choice))
    return parsed


def with_consents(
    group: Group, members: tuple[Member, ...], consents: list[tuple[str, bool]]
) -> tuple[Member, ...]:
    """``members`` with each named member's consent set (any member, former ones
    too: their wins are in the history). An unknown name refuses the edit."""
    updated = list(members)
    for name, choice in consents:
        # A whole name (a former member's too), else a unique start of an active one's.
        found = group.member_by_name(name)
        if found is None:
            try:
                found = find_member(group, name)
            except CheckinError as error:
                raise UserError(field(str(error))) from None
        updated = [replace(m, shares_wins=choice) if m.id == found.id else m for m in updated]
    return tuple(updated)


def consent_lines(before: Group, after: Group) -> list[str]:
    """One line per member whose consent changed."""
    was = {m.id: m.shares_wins for m in before.members}
    lines = []
    for member in after.members:
        if member.id in was and was[member.id] != member.shares_wins:
            where = "in the report" if member.shares_wins else "left out of the report"
            lines.append(f'wins of "{field(member.name)}": {where}')
    return lines
