"""What the meeting keeps: notes, wins, commitments, reviews, privacy, ratings, the next date.

A note belongs where it was taken (``MeetingState.note_target`` says where:
the speaker's update, the part of the ask in the hot seat, or the session).
Every rule is registered with
:func:`~peersession.core.handlers.handles`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendulum import DateTime

from . import events as ev
from .errors import InvalidAction
from .handlers import handles
from .items import Commitment, Note, Review, Win
from .record_values import REVIEW_STATUSES, WIN_KINDS
from .turns import leave_phase

if TYPE_CHECKING:
    from .state import MeetingState as Meeting


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@handles(ev.NoteAdded)
def note_added(meeting: Meeting, action: ev.NoteAdded, at: DateTime) -> None:
    text = meeting.clean(action.text, "a note")
    meeting.check_new_id(action.note_id)
    target = meeting.note_target()
    note = Note(action.note_id, text, action.private, at, target.part, target.member_id)
    if target.part == "update":
        assert meeting.speaker is not None
        meeting.turns[meeting.speaker].notes.append(note)
    elif target.part == "session":
        meeting.session_notes.append(note)
    else:
        assert meeting.current_ask is not None
        meeting.asks[meeting.current_ask].notes.append(note)


@handles(ev.WinAdded)
def win_added(meeting: Meeting, action: ev.WinAdded, at: DateTime) -> None:
    meeting.check_member(action.member_id)
    if action.kind not in WIN_KINDS:
        raise InvalidAction(f"a win is one of {', '.join(WIN_KINDS)}")
    text = meeting.clean(action.text, "a win")
    meeting.check_new_id(action.win_id)
    kind = action.kind
    meeting.wins.append(Win(action.win_id, action.member_id, kind, text, action.private, at))


@handles(ev.CommitmentAdded)
def commitment_added(meeting: Meeting, action: ev.CommitmentAdded, at: DateTime) -> None:
    meeting.check_member(action.owner)
    if action.owner in meeting.setup.guest_ids:
        # Nobody would review it: a guest is not at the next session.
        raise InvalidAction("a guest makes no commitment: no later session would review it")
    text = meeting.clean(action.text, "a commitment")
    meeting.check_new_id(action.commitment_id)
    due = meeting.check_date(action.due)
    goal_id = action.goal_id
    if goal_id is not None and all(
        g.goal_id != goal_id for g in meeting.setup.goals_of(action.owner)
    ):
        raise InvalidAction("a commitment serves one of its member's active goals, or none")
    meeting.commitments[action.commitment_id] = Commitment(
        action.commitment_id, action.owner, text, due, action.private, action.from_ask, at, goal_id
    )


@handles(ev.PrivacyToggled)
def privacy_toggled(meeting: Meeting, action: ev.PrivacyToggled, at: DateTime) -> None:
    for item in meeting.private_items():
        if item.id == action.item_id:
            item.private = not item.private
            return
    # An earlier commitment up for review: its privacy changes from now on.
    if any(i.commitment_id == action.item_id for i in meeting.setup.review_items):
        meeting.review_privacy[action.item_id] = not meeting.review_private(action.item_id)
        return
    raise InvalidAction("nothing with that id to mark private")


@handles(ev.ReviewMarked)
def review_marked(meeting: Meeting, action: ev.ReviewMarked, at: DateTime) -> None:
    meeting.review_item(action.commitment_id)
    if action.status not in REVIEW_STATUSES:
        raise InvalidAction(f"a review is one of {', '.join(REVIEW_STATUSES)}")
    text = meeting.clean(action.text, "new text") if action.text else None
    due = meeting.check_date(action.due)
    if action.status == "renegotiated" and not (text or due):
        raise InvalidAction("renegotiating needs a new text or a new date")
    note = meeting.clean(action.note, "a note") if action.note else None
    status = action.status
    meeting.reviews[action.commitment_id] = Review(status, at, text, due, note)


@handles(ev.RatingGiven)
def rating_given(meeting: Meeting, action: ev.RatingGiven, at: DateTime) -> None:
    meeting.check_member(action.member_id)
    if "ratings" not in meeting.phase.records:
        raise InvalidAction("ratings are given in the Close phase")
    if action.member_id not in meeting.attended:
        raise InvalidAction(f"{meeting.name(action.member_id)} was not at this session")
    if not _is_whole(action.rating) or not 1 <= action.rating <= 10:
        raise InvalidAction("a rating is a whole number from 1 to 10")
    meeting.ratings[action.member_id] = int(action.rating)


@handles(ev.NextMeetingSet)
def next_meeting_set(meeting: Meeting, action: ev.NextMeetingSet, at: DateTime) -> None:
    if not action.date:
        raise InvalidAction("the next meeting needs a date")
    meeting.next_meeting = meeting.check_date(
        action.date, not_before="the next meeting cannot be before this one"
    )


@handles(ev.SessionEnded)
def session_ended(meeting: Meeting, action: ev.SessionEnded, at: DateTime) -> None:
    leave_phase(meeting, at)
    meeting.ended_at = at
