"""``group edit GROUP --joined NAME=DATE --leave NAME=FIRST..LAST --cancel-leave
NAME=FIRST..LAST --left NAME[=DATE]``: members who join, pause and leave.

The options are parsed before the group's lock is taken (a typo costs
nothing), applied to the group as it is on disk, and said back in one line a
change. Every refusal is one line and saves nothing: a date that is not one, a
leave that ends before it begins or overlaps another, a name the group does
not have (names are matched as every door matches them: NFC, case folded).
The rules themselves are :mod:`peersession.core.lifecycle`'s.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date

from msgspec.structs import replace

from ..core.lifecycle import Leave, checked_leaves
from ..core.lifecycle_parse import parse_day, parse_leave
from ..core.model import Group, Member
from ..errors import UserError
from .group_changes import quoted
from .output import field


def add_member_date_arguments(edit: argparse.ArgumentParser) -> None:
    edit.add_argument(
        "--joined",
        action="append",
        default=[],
        metavar="NAME=DATE",
        help="the day NAME joined (private items of earlier sessions are never shown or "
        "sent to them; repeat)",
    )
    edit.add_argument(
        "--leave",
        action="append",
        default=[],
        metavar="NAME=FIRST..LAST",
        help="NAME is on leave from FIRST to LAST, both included: not expected, no talking "
        "time, no role, nothing due, not counted in attendance or completion (repeat)",
    )
    edit.add_argument(
        "--cancel-leave",
        action="append",
        default=[],
        metavar="NAME=FIRST..LAST",
        help="take back a leave given with --leave (repeat)",
    )
    edit.add_argument(
        "--left",
        action="append",
        default=[],
        metavar="NAME[=DATE]",
        help="NAME left the group on DATE (today if left out): kept in the history and its "
        "figures, gone from meetings and the rota (repeat)",
    )


@dataclass(frozen=True)
class MemberDates:
    """What the options asked, parsed: ``(name, value)`` pairs in the order typed."""

    joined: tuple[tuple[str, date], ...] = ()
    leave: tuple[tuple[str, Leave], ...] = ()
    cancel: tuple[tuple[str, Leave], ...] = ()
    left: tuple[tuple[str, date | None], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.joined or self.leave or self.cancel or self.left)


def _split(option: str, text: str, *, value_needed: bool = True) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not name.strip() or (value_needed and not (equals and value.strip())):
        shape = "NAME[=DATE]" if not value_needed else "NAME=VALUE"
        raise UserError(f"{option} takes {shape}, not {quoted(text)}")
    return name.strip(), value.strip()


def parse_member_dates(args: argparse.Namespace) -> MemberDates:
    """The options, checked (UserError, one line, for anything that is not a date)."""
    try:
        joined = tuple(
            (name, parse_day(value, what=f"--joined {quoted(name)}"))
            for name, value in (_split("--joined", t) for t in args.joined)
        )
        leave = tuple((n, parse_leave(v)) for n, v in (_split("--leave", t) for t in args.leave))
        cancel = tuple(
            (n, parse_leave(v)) for n, v in (_split("--cancel-leave", t) for t in args.cancel_leave)
        )
        left = tuple(
            (name, parse_day(value, what=f"--left {quoted(name)}") if value else None)
            for name, value in (_split("--left", t, value_needed=False) for t in args.left)
        )
    except ValueError as error:
        raise UserError(field(str(error))) from None
    return MemberDates(joined, leave, cancel, left)


def _member(group: Group, members: list[Member], name: str, option: str) -> Member:
    found = group.member_by_name(name)
    if found is None:
        raise UserError(f"{option}: {field(group.name)} has no member named {quoted(name)}")
    return next(m for m in members if m.id == found.id)


def with_member_dates(
    group: Group, members: tuple[Member, ...], asked: MemberDates, today: date
) -> tuple[Member, ...]:
    """``members`` with the dates ``asked`` applied; UserError (nothing saved) for
    an unknown name, a leave that overlaps another or that is not there to
    cancel, a member who would leave before they joined."""
    updated = list(members)

    def put(member: Member) -> None:
        updated[:] = [member if m.id == member.id else m for m in updated]

    for name, day in asked.joined:
        put(replace(_member(group, updated, name, "--joined"), joined=day))
    for name, period in asked.cancel:
        member = _member(group, updated, name, "--cancel-leave")
        if period not in member.leave:
            raise UserError(
                f"--cancel-leave: {quoted(member.name)} has no leave {period.label()}"
                f" (see `group show`)"
            )
        put(replace(member, leave=tuple(p for p in member.leave if p != period)))
    for name, period in asked.leave:
        member = _member(group, updated, name, "--leave")
        if not member.active:
            raise UserError(f"--leave: {quoted(member.name)} has left the group")
        try:
            put(replace(member, leave=checked_leaves((*member.leave, period))))
        except ValueError as error:
            raise UserError(f"--leave {quoted(member.name)}: {field(str(error))}") from None
    for name, maybe_day in asked.left:
        member = _member(group, updated, name, "--left")
        day = maybe_day or today
        put(replace(member, active=False, left=day))
    for member in updated:
        if member.joined is not None and member.left is not None and member.left < member.joined:
            raise UserError(
                f"{quoted(member.name)} would leave ({member.left.isoformat()}) before they "
                f"joined ({member.joined.isoformat()})"
            )
    if not any(m.active for m in updated):
        raise UserError("a group needs at least one member")
    return tuple(updated)
