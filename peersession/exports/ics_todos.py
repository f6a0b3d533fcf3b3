"""A member's commitments as calendar to-dos (VTODO) that remind them before the due date.

peersession runs no server and sends no message: ``peersession export GROUP
--format ics --member NAME`` puts, beside the meeting series, one VTODO per
commitment of that member, and the calendar or task app they already use does
the reminding. Each to-do has:

* ``SUMMARY``: the commitment as it reads now (after any renegotiation), literally;
* ``DUE``: its due date as a date (no time: the member's own day), none when it has none;
* a ``VALARM`` at 09:00, :data:`DEFAULT_REMIND_DAYS` (``--remind-days``) days
  before that date (relative to ``DUE``, so it follows the date when it moves);
  none without a due date, nor once the commitment is closed;
* a ``UID`` derived from the group's and the commitment's ids, so every export,
  from any machine, names the same to-do, and ``SEQUENCE`` the number of
  reviews the commitment has had: every check-in or meeting review raises it,
  so a calendar importing a newer file replaces the to-do in place;
* ``STATUS``: ``NEEDS-ACTION`` (``IN-PROCESS`` once marked half done),
  ``COMPLETED`` (with ``COMPLETED``, when) or ``CANCELLED`` (dropped).

Closed commitments stay in the file for :data:`CLOSED_KEPT_DAYS` after they
closed, so a calendar that imported them open sees them done; older ones are
left out, or a first import would fill the list with years of finished work.

Privacy is the other exports': private commitments, and what private check-ins
said (the caller removes those reviews), only with ``--include-private``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from icalendar import Alarm, Calendar, Todo

from ..core.accountability import due_date, is_paused
from ..core.commitment_state import commitment_status, current_commitment_text
from ..core.model import Group, Member, parse_datetime_doc
from ..core.safe_text import shell_command
from ..core.words import plural
from .escape import one_line
from .ics import PRODID, EscapedText

if TYPE_CHECKING:
    from ..core.session_records import Commitment

#: ``--remind-days`` when not given: two days before, as Ninety's reminders do.
DEFAULT_REMIND_DAYS = 2
#: The range ``--remind-days`` accepts (0: on the day itself).
REMIND_DAYS_RANGE = range(0, 61)
#: The alarm's time of day on its day (the due date is a date, so floating: the
#: member's own morning, wherever they are).
REMIND_AT_HOUR = 9
#: How long a closed commitment stays in the file after it closed.
CLOSED_KEPT_DAYS = 90

_STATUS = {
    "open": "NEEDS-ACTION",
    "not_done": "NEEDS-ACTION",
    "renegotiated": "NEEDS-ACTION",
    "partial": "IN-PROCESS",
    "done": "COMPLETED",
    "dropped": "CANCELLED",
}


def parse_remind_days(text: str) -> int:
    """``--remind-days``: a whole number of days from 0 to 60 (ValueError otherwise)."""
    try:
        days = int(text.strip())
    except ValueError:
        days = -1
    if days not in REMIND_DAYS_RANGE:
        raise ValueError(
            f"--remind-days takes a whole number of days from {REMIND_DAYS_RANGE.start} "
            f"to {REMIND_DAYS_RANGE.stop - 1}, not {text!r}"
        )
    return days


def todo_uid(group_id: str, commitment_id: str) -> str:
    """The to-do's UID: from the ids alone, so it never changes and machines agree."""
    return f"{commitment_id}-todo-{group_id}@peersession"


def todo_sequence(commitment: Commitment) -> int:
    """Rises with every change: each review (a check-in, a meeting's review, a
    renegotiation of the text or the date) is one change."""
    return len(commitment.reviews)


def _closed_at(commitment: Commitment) -> datetime | None:
    if commitment_status(commitment) not in ("done", "dropped"):
        return None
    return parse_datetime_doc(commitment.reviews[-1].at)


def _listed(commitment: Commitment, today: date) -> bool:
    closed = _closed_at(commitment)
    if closed is None:
        return True
    return today.toordinal() - closed.date().toordinal() <= CLOSED_KEPT_DAYS


def _alarm(summary: str, remind_days: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    when = f"in {plural(remind_days, 'day')}" if remind_days else "today"
    alarm.add("description", EscapedText(f"Due {when}: {summary}"))
    # Relative to DUE (RELATED=END; a to-do has no start): the due date's
    # midnight, less the days, plus the morning hour.
    trigger = timedelta(days=-remind_days, hours=REMIND_AT_HOUR)
    alarm.add("trigger", trigger, parameters={"RELATED": "END"})
    return alarm


def member_todo(
    group: Group, member: Member, commitment: Commitment, *, remind_days: int, stamp: datetime
) -> Todo:
    """One commitment as a VTODO (see the module's docstring)."""
    summary = one_line(current_commitment_text(commitment))
    status = commitment_status(commitment)
    todo = Todo()
    todo.add("uid", todo_uid(group.id, commitment.id))
    todo.add("dtstamp", stamp)
    todo.add("sequence", todo_sequence(commitment))
    todo.add("summary", EscapedText(summary))
    todo.add(
        "description",
        EscapedText(
            f"A commitment {one_line(member.name)} made in {one_line(group.name)}. "
            f"Check in: {shell_command('checkin', group.name, '-m', member.name)}"
        ),
    )
    todo.add("created", parse_datetime_doc(commitment.made_at).astimezone(UTC))
    changed = commitment.reviews[-1].at if commitment.reviews else commitment.made_at
    todo.add("last-modified", parse_datetime_doc(changed).astimezone(UTC))
    todo.add("status", _STATUS.get(status, "NEEDS-ACTION"))
    if commitment.private:
        todo.add("class", "CONFIDENTIAL")
    due = due_date(commitment)
    if due is not None:
        todo.add("due", date(due.year, due.month, due.day))
    closed = _closed_at(commitment)
    if status == "done" and closed is not None:
        todo.add("completed", closed.astimezone(UTC))
        todo.add("percent-complete", 100)
    # Due while the member is on leave: paused, so nothing reminds them of it.
    if due is not None and closed is None and not is_paused(commitment, member):
        todo.add_component(_alarm(summary, remind_days))
    return todo


def member_todos(
    group: Group,
    member: Member,
    commitments: Sequence[Commitment],
    *,
    today: date,
    remind_days: int = DEFAULT_REMIND_DAYS,
    include_private: bool = False,
    now: datetime | None = None,
) -> list[Todo]:
    """The member's to-dos, oldest made first: open commitments, and those closed
    in the last :data:`CLOSED_KEPT_DAYS` days. ``commitments`` come with what
    private check-ins said already removed unless ``include_private``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    mine = sorted(
        (
            c
            for c in commitments
            if c.owner == member.id and (include_private or not c.private) and _listed(c, today)
        ),
        key=lambda c: c.made_at,
    )
    return [member_todo(group, member, c, remind_days=remind_days, stamp=stamp) for c in mine]


def render_todos(todos: Sequence[Todo]) -> bytes:
    """A calendar holding only the to-dos (for a group that has no meeting slot yet)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for todo in todos:
        calendar.add_component(todo)
    result: bytes = calendar.to_ical()
    return result
