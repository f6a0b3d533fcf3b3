"""The room's board: what the phase has produced so far, read-only, beside the clock.

The follow window (`peersession view`, and `--serve`) shows it next to the
room view, so the group sees the meeting and not only its timer: the wins as
they are logged, the review list with each status, the ask queue with its
votes, the commitments as they are recorded. It is drawn from the journal
alone (``store/follow.py``), so it shows only what was saved: never a form
being typed. Its rows are the console's own (``rows.py``), so the room reads
every item as the facilitator does; it takes no keys and has no cursor, so
where a list is longer than the board it shows the part the meeting is at.
"""

from __future__ import annotations

from pendulum import DateTime
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive

from ...core.engine import Meeting
from ...core.slot_labels import day_at_slot
from ...core.time_requests import asks_for_time
from ...core.words import plural
from ..text import literal
from .health import health_questions, health_summary
from .lines import Lines
from .phases import how_we_work_item, plain_phase
from .recap import meeting_recap, render_recap
from .rows import (
    ask_row,
    attendance_row,
    away_block,
    commitment_rows,
    commitments_title,
    hot_seat_block,
    queue_title,
    review_row,
    reviewed_count,
    roles_block,
    win_row,
)
from .talking import round_summary, turn_notes, up_next_block
from .time_asked import requests_block

#: Reviewed items kept in sight above the first one still open.
REVIEWED_ABOVE = 2


def opening_board(meeting: Meeting, now: DateTime) -> Content:
    lines = [Content.styled("Ground rules", "bold")]
    lines += [Content.assemble("  • ", literal(r)) for r in meeting.setup.group.ground_rules]
    item = how_we_work_item(meeting)
    if item is not None:
        lines += [Content(""), item]
    if meeting.roles:
        lines += [Content(""), roles_block(meeting)]
    if asks_for_time(meeting):
        lines += [Content(""), requests_block(meeting)]
    here = len(meeting.here)
    lines += [Content(""), Content.styled(f"Attendance · {here} here", "bold")]
    lines += [attendance_row(meeting, m.id) for m in meeting.setup.group.members]
    away = away_block(meeting)
    if away is not None:
        lines += [Content(""), away]
    return Content("\n").join(lines)


def wins_board(meeting: Meeting, now: DateTime) -> Content:
    count = len(meeting.wins)
    title = f"Celebrate! {plural(count, 'win')} logged" if count else "No wins logged yet"
    # Newest first: the win just logged is the one the room is cheering.
    return Content("\n").join(
        [Content.styled(title, "bold"), *(win_row(meeting, w) for w in reversed(meeting.wins))]
    )


def review_board(meeting: Meeting, now: DateTime) -> Content:
    done, count = reviewed_count(meeting)
    items = list(meeting.setup.review_items)
    lines = [Content.styled(f"Last session's commitments · {done} of {count} reviewed", "bold")]
    if not items:
        lines.append(Content.styled("  none to review", "dim"))
    # The facilitator goes down the list: start just above the first one still open.
    first_open = next(
        (i for i, item in enumerate(items) if item.commitment_id not in meeting.reviews),
        len(items),
    )
    start = max(0, first_open - REVIEWED_ABOVE)
    if start:
        lines.append(Content.styled(f"  ({plural(start, 'earlier one')} reviewed above)", "dim"))
    lines += [review_row(meeting, item, keys=False) for item in items[start:]]
    return Content("\n").join(lines)


def updates_board(meeting: Meeting, now: DateTime) -> Content:
    return Content("\n\n").join(
        [round_summary(meeting), turn_notes(meeting, keys=False), up_next_block(meeting)]
    )


def asks_board(meeting: Meeting, now: DateTime) -> Content:
    rows = [ask_row(meeting, meeting.asks[a]) for a in meeting.ask_queue]
    if not rows:
        rows = [Content.styled("  no asks waiting", "dim")]
    queue = Content("\n").join([queue_title(meeting), *rows])
    # The queue first: the room votes on it, and it stays in sight at 80x24
    # however many notes the hot seat gathers.
    return Content("\n\n").join([queue, hot_seat_block(meeting, keys=False)])


def commitments_board(meeting: Meeting, now: DateTime) -> Content:
    # The newest first, then the round member by member.
    newest = sorted(meeting.commitments.values(), key=lambda c: c.at, reverse=True)[:1]
    lines = [commitments_title(meeting)]
    for c in newest:
        lines.append(
            Content.assemble(
                Content.styled("Just recorded: ", "bold"),
                literal(meeting.name(c.owner)),
                ": ",
                literal(c.text),
            )
        )
    lines.append(Content(""))
    # The round as the room follows it: who has a new one and what it is (the
    # earlier ones still open are counted on each member's row, not listed).
    lines += [row.content for row in commitment_rows(meeting, with_carried=False)]
    return Content("\n").join(lines)


def close_board(meeting: Meeting, now: DateTime) -> Content:
    date = (
        day_at_slot(meeting.setup.group.slot, meeting.next_meeting)
        if meeting.next_meeting
        else "not set yet"
    )
    rated = sum(1 for m in meeting.attended if m in meeting.ratings)
    lines = [
        Content.assemble(("Next meeting: ", "bold"), date),
        Content(""),
        Content.styled(f"Rating this session: {rated} of {len(meeting.attended)} given", "bold"),
    ]
    if meeting.has_health_check:
        # Progress only: who gave which score is not for the shared screen.
        lines += [Content(""), health_summary(meeting), health_questions()]
    return Content("\n").join(lines)


def recap_board(meeting: Meeting, now: DateTime) -> Content:
    return render_recap(meeting_recap(meeting, now))


def plain_board(meeting: Meeting, now: DateTime) -> Content:
    return plain_phase(meeting)


class PhaseBoard(Vertical):
    """The current phase's items, read-only (see the module's docstring)."""

    phase_title: reactive[str] = reactive("", init=False)

    def compose(self) -> ComposeResult:
        yield Lines(id="board-text")

    def watch_phase_title(self, title: str) -> None:
        self.border_title = title

    def show(self, meeting: Meeting, content: Content) -> None:
        """Show ``content``, the board of ``meeting``'s phase (``phase_screens.board_of``)."""
        self.phase_title = meeting.phase.title
        self.query_one("#board-text", Lines).content = content
