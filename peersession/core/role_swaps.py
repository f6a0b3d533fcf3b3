"""The meeting's rule for roles: the facilitator gives a role to someone else.

The holders a session starts with are proposed from the history
(:mod:`.roles`) and written in its setup; a change at the opening is this
action, journaled like any other, so a meeting resumed after a crash has the
same holders, and the saved session keeps who really held which role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendulum import DateTime

from . import events as ev
from .errors import InvalidAction
from .handlers import handles
from .roles import find_role

if TYPE_CHECKING:
    from .state import MeetingState as Meeting


@handles(ev.RoleGiven)
def role_given(meeting: Meeting, action: ev.RoleGiven, at: DateTime) -> None:
    role = find_role(list(meeting.roles), action.role)
    if role is None:
        raise InvalidAction("this session has no such role")
    meeting.check_member(action.member_id)
    before = meeting.roles[role]
    if before == action.member_id:
        raise InvalidAction(f"{meeting.name(before)} already holds the role {role}")
    other = next(
        (r for r, holder in meeting.roles.items() if holder == action.member_id and r != role),
        None,
    )
    if other is not None:
        # A swap: no one ends up holding two roles by a change at the opening.
        meeting.roles[other] = before
    meeting.roles[role] = action.member_id
