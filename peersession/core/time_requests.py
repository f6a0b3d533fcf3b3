"""The meeting's rules for time asked for (a group whose talking time is ``requests``).

In the opening's round each member present asks for minutes, passes, or
takes the default (``TimeRequested``); the split itself is
:func:`~peersession.core.talking_time.split_talking`, recomputed from who is
here whenever it is read. Requests that do not fit are scaled in proportion
(``scale_to_fit``); the facilitator accepts that with one key
(``TimeRequestsScaled``) or changes a request, and until then the meeting does
not leave the opening. Both are journaled, so a meeting resumed after a crash
has the same requests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendulum import DateTime

from . import events as ev
from .errors import InvalidAction
from .handlers import handles
from .phases import OPENING
from .talking_time import CHOICES, MAX_REQUEST_SECONDS, Request, fit_line, length_text

if TYPE_CHECKING:
    from .state import MeetingState as Meeting


def asks_for_time(meeting: Meeting) -> bool:
    """Whether this session shares its talking time as asked for at the opening."""
    return meeting.setup.group.talking_time == "requests"


def unanswered(meeting: Meeting) -> list[str]:
    """Members here who have not said what time they need (they take the default)."""
    return [m for m in meeting.present if m not in meeting.requests]


def leaving_refusal(meeting: Meeting) -> str | None:
    """Why the meeting may not move on from the opening yet: requests that do not
    fit and whose scaling the facilitator has not accepted (None: it may)."""
    if not asks_for_time(meeting) or meeting.phase is not OPENING or meeting.updates_begun:
        return None
    shares = meeting.shares()
    if not shares.over or meeting.requests_scaled:
        return None
    return f"{fit_line(shares)}: m, then s scales it to fit"


def opening_question(meeting: Meeting) -> str | None:
    """What to ask before leaving the opening: members who have not asked for time."""
    if not asks_for_time(meeting) or meeting.updates_begun:
        return None
    waiting = unanswered(meeting)
    if not waiting:
        return None
    names = ", ".join(meeting.name(m) for m in waiting)
    verb = "has" if len(waiting) == 1 else "have"
    return f"{names} {verb} not asked for time (an equal share of what is left). Move on anyway?"


@handles(ev.TimeRequested)
def time_requested(meeting: Meeting, action: ev.TimeRequested, at: DateTime) -> None:
    if not asks_for_time(meeting):
        raise InvalidAction(
            "this group shares its talking time equally "
            "(group edit --talking-time requests to ask for time)"
        )
    member_id = action.member_id
    meeting.check_member(member_id)
    if member_id in meeting.turns:
        raise InvalidAction(f"{meeting.name(member_id)} has had the floor already")
    if action.choice not in CHOICES:
        raise InvalidAction("a request is minutes, a pass or the default")
    if action.choice == "minutes":
        seconds = action.seconds
        if seconds != int(seconds):
            raise InvalidAction("a request is in whole seconds")
        if not 1 <= seconds <= MAX_REQUEST_SECONDS:
            raise InvalidAction(f"a request is from 1 second to {length_text(MAX_REQUEST_SECONDS)}")
        meeting.requests[member_id] = Request("minutes", int(seconds))
    elif action.seconds:
        raise InvalidAction("only a request for minutes says how long")
    else:
        meeting.requests[member_id] = Request("pass" if action.choice == "pass" else "default")
    # A changed request is a new proposal: any scaling must be accepted again.
    meeting.requests_scaled = False


@handles(ev.TimeRequestsScaled)
def time_requests_scaled(meeting: Meeting, action: ev.TimeRequestsScaled, at: DateTime) -> None:
    if not asks_for_time(meeting):
        raise InvalidAction("this group shares its talking time equally")
    shares = meeting.shares()
    if not shares.over:
        raise InvalidAction(f"the time asked for fits ({fit_line(shares)}): nothing to scale")
    if meeting.requests_scaled:
        raise InvalidAction("the scaling is already accepted")
    meeting.requests_scaled = True
