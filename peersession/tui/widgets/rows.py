"""How the meeting's items read on screen, written once for the console and the room.

The facilitator's console lists wins, reviews, asks and commitments to act
on them (mark, vote, make private); the follow window (`peersession view`)
shows the very same rows, read-only, beside the room view. Both build them
here, from the meeting alone, so the room never reads an item differently
from the facilitator. People's text is literal (``tui/text.py``) and private
items carry their tag wherever they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.content import Content

from ...core.commitment_state import REVIEW_LABELS, REVIEW_SHAPES
from ...core.durations import format_duration
from ...core.engine import Meeting
from ...core.items import Ask, Note, Win
from ...core.readout import part_of_two
from ...core.recap import note_label
from ...core.setup import ReviewItem
from ...core.words import noun, plural
from ..text import literal, one_line
from .panel import private_tag

#: A shape and a word per review status: readable without colour.
REVIEW_MARKS = {
    status: f"{REVIEW_SHAPES[status]} {REVIEW_LABELS[status]}" for status in REVIEW_SHAPES
}
ATTENDANCE_MARK = {"present": "✓ here", "absent": "✗ absent", "late": "… late"}


def attendance_mark(meeting: Meeting, member_id: str) -> str:
    """Where a member stands: here, absent, late, arrived late, or left."""
    status = meeting.attendance[member_id]
    if member_id in meeting.left:
        return "← left"
    if status == "late" and member_id in meeting.here:
        return "✓ arrived late"
    return ATTENDANCE_MARK[status]


def attendance_row(meeting: Meeting, member_id: str) -> Content:
    # A guest (issue 24.3) says so: this session only, never a member.
    guest = " (guest)" if member_id in meeting.setup.guest_ids else ""
    return Content.assemble(
        (f"{attendance_mark(meeting, member_id):<15}", "bold"),
        literal(meeting.name(member_id)),
        (guest, "dim"),
    )


def away_block(meeting: Meeting) -> Content | None:
    """Members not expected today (on leave, not joined yet), one a row with why:
    named so the room does not wonder where they are; in no count of who is here.
    None when everyone is expected."""
    if not meeting.setup.away:
        return None
    rows = [
        Content.assemble("  ", literal(name), (f" ({why})", "dim"))
        for name, why in meeting.setup.away
    ]
    return Content("\n").join([Content.styled("Not expected", "bold"), *rows])


def roles_block(meeting: Meeting) -> Content:
    """Who holds each role this session, in one line (wrapped where narrow), a
    holder marked absent saying so; and the line saying someone holds two when
    the group is smaller than its roles."""
    line = Content.assemble(ROLES_LEAD, Content(" · ").join(role_parts(meeting)))
    note = roles_note(meeting)
    return Content("\n").join([line, note]) if note else line


ROLES_LEAD = Content.styled("Roles  ", "bold")


def roles_note(meeting: Meeting) -> Content | None:
    """The line saying someone holds two roles, when the group is smaller than its roles."""
    note = meeting.roles_too_small
    return Content.styled(note, "dim") if note else None


def role_parts(meeting: Meeting) -> list[Content]:
    """``role: Name`` for each role this session, a holder marked absent saying so."""
    parts = []
    for role, member_id in meeting.roles.items():
        absent = meeting.attendance.get(member_id) == "absent"
        parts.append(
            Content.assemble(
                literal(role),
                ": ",
                literal(meeting.name(member_id)).stylize("bold"),
                (" (absent)", "$warning") if absent else "",
            )
        )
    return parts


def win_row(meeting: Meeting, win: Win) -> Content:
    return Content.assemble(
        ("★ ", "$win-highlight bold"),
        (win.kind.upper(), "bold"),
        "  ",
        literal(meeting.name(win.member_id)),
        ": ",
        literal(one_line(win.text)),
        private_tag(win.private),
    )


#: What shows instead of an earlier session's private text while a guest is in
#: the room (issue 24.3): a guest is never shown a private item they did not hear.
HIDDEN_FROM_GUESTS = "(private, from an earlier session: not shown while a guest is here)"


def hidden_from_guests(meeting: Meeting, commitment_id: str) -> bool:
    """An earlier commitment that is private, in a session with a guest."""
    return bool(meeting.setup.guest_ids) and meeting.review_private(commitment_id)


def review_row(meeting: Meeting, item: ReviewItem, *, keys: bool = True) -> Content:
    """A commitment under review: its mark, owner and due date, then its text (and
    what a check-in said, until it is marked; ``keys``: with the key that takes it)."""
    review = meeting.reviews.get(item.commitment_id)
    if review:
        mark = Content.styled(REVIEW_MARKS[review.status], "bold")
    else:
        mark = Content.styled("· open", "dim")
    text = review.text if review and review.text else item.text
    due = review.due if review and review.due else item.due
    head = Content.assemble(
        mark,
        "  ",
        Content.styled(one_line(meeting.name(item.owner), 40), "bold"),
        Content(f"  due {due}" if due else ""),
        private_tag(meeting.review_private(item.commitment_id)),
    )
    if hidden_from_guests(meeting, item.commitment_id):
        return Content("\n").join([head, Content.styled(f"   {HIDDEN_FROM_GUESTS}", "dim")])
    lines = [head, Content.assemble("   ", literal(one_line(text, 300)))]
    if item.prefill_status and not review:
        note = f": {one_line(item.prefill_note, 80)}" if item.prefill_note else ""
        accepts = " (enter accepts)" if keys else ""
        said = f"   check-in said {REVIEW_LABELS[item.prefill_status]}{note}{accepts}"
        lines.append(Content.styled(said, "italic"))
    return Content("\n").join(lines)


def reviewed_count(meeting: Meeting) -> tuple[int, int]:
    """(reviewed, to review) of last session's open commitments."""
    items = meeting.setup.review_items
    return sum(1 for item in items if item.commitment_id in meeting.reviews), len(items)


def ask_row(meeting: Meeting, ask: Ask) -> Content:
    """An ask in the queue: its votes, who asks, what, and the time wanted."""
    return Content.assemble(
        (f"{ask.votes:>2} {noun(ask.votes, 'vote'):<5}  ", "bold"),
        literal(meeting.name(ask.member_id)),
        ": ",
        literal(one_line(ask.text, 120)),
        f"  ({format_duration(ask.wanted)})",
        private_tag(ask.private),
    )


def queue_title(meeting: Meeting) -> Content:
    """The ask queue's heading, with every count of asks the screen shows."""
    waiting = len(meeting.ask_queue)
    done = meeting.asks_done()
    return Content.assemble(("Ask queue", "bold"), f" · {waiting} waiting · {done} done")


def note_lines(notes: list[Note], *, labelled: bool = False) -> list[Content]:
    """Notes, newest first (the one just taken is always in sight), one bullet each."""
    lines = []
    for note in reversed(notes):
        # As the recap labels them (core/recap.note_label): none when typed.
        label_text = note_label(note.text, note.part) if labelled else None
        label = Content.styled(f"{label_text}: ", "bold") if label_text else Content("")
        lines.append(
            Content.assemble(
                "  • ", label, literal(one_line(note.text, 300)), private_tag(note.private)
            )
        )
    return lines


def notes_block(title: str, notes: list[Note], *, empty: str = "") -> Content:
    """A titled list of notes, newest first."""
    lines = [Content.styled(title, "bold")]
    if not notes and empty:
        lines.append(Content.styled(f"  ({empty})", "dim"))
    lines += note_lines(notes)
    return Content("\n").join(lines)


def hot_seat_block(meeting: Meeting, *, keys: bool = True) -> Content:
    """The ask in the hot seat: who, which part, what, extensions and notes (newest
    first); ``keys``: when it is empty, with the keys that fill it."""
    if meeting.current_ask is None:
        how = " · enter starts the highlighted ask, n the top one" if keys else ""
        return Content.assemble(("Hot seat:", "bold"), f" empty{how}")
    ask = meeting.asks[meeting.current_ask]
    part = part_of_two(ask.part)
    lines = [
        Content.assemble(
            ("Hot seat:", "bold"),
            " ",
            literal(meeting.name(ask.member_id)),
            private_tag(ask.private),
            Content.styled(f" · {part}", "bold"),
        ),
        Content.assemble("  ", literal(one_line(ask.text, 300))),
    ]
    if ask.extensions:
        votes = ", ".join(
            f"+{e['minutes']:g} min {'granted' if e['granted'] else 'refused'} "
            f"({e['votes_for']}/{e['voters']})"
            for e in ask.extensions
        )
        lines.append(Content(f"  Extensions: {votes}"))
    # Time used and left is on the room view, where it ticks (core/readout.py).
    lines += note_lines(list(ask.notes), labelled=True)
    return Content("\n").join(lines)


def carried_label(meeting: Meeting, commitment_id: str) -> str:
    """Why an earlier commitment is still open: how it was reviewed, or that it was not."""
    review = meeting.reviews.get(commitment_id)
    if review is None:
        return "open, not reviewed today"
    return f"carried over: {REVIEW_LABELS[review.status]}"


@dataclass(frozen=True)
class CommitmentRow:
    """One row of the commitments round: a member, or one of their commitments."""

    id: str
    owner: str
    content: Content


def commitment_members(meeting: Meeting) -> list[str]:
    """Who the round is about: those at the session, and anyone given a commitment."""
    owners = {c.owner for c in meeting.commitments.values()}
    return [m.id for m in meeting.setup.group.members if m.id in meeting.attended or m.id in owners]


def commitment_rows(meeting: Meeting, *, with_carried: bool = True) -> list[CommitmentRow]:
    """Each member (with ✓, ↻ or ▲), then their new commitments and (``with_carried``)
    the earlier ones still open; without them a member's row still counts them."""
    rows: list[CommitmentRow] = []
    for member_id in commitment_members(meeting):
        own = meeting.commitments_of(member_id)
        carried = meeting.carried_of(member_id)
        away = Content.styled(
            "" if member_id in meeting.attended else "  (not at this session)", "dim"
        )
        name = literal(meeting.name(member_id))
        if own:
            head = Content.assemble(("✓ ", "bold"), name, away)
        elif carried:
            still = f"  — no new one yet, {len(carried)} still open"
            head = Content.assemble(("↻ ", "bold"), name, still, away)
        else:
            head = Content.assemble(("▲ ", "bold"), name, "  — none yet")
        rows.append(CommitmentRow(member_id, member_id, head))
        for c in own:
            line = Content.assemble(
                "    • ",
                literal(one_line(c.text, 90)),
                Content(f"  due {c.due}" if c.due else ""),
                private_tag(c.private),
                Content.styled("  (from an ask)", "dim") if c.from_ask else Content(""),
            )
            rows.append(CommitmentRow(c.id, member_id, line))
        for item in carried if with_carried else []:
            hidden = hidden_from_guests(meeting, item.commitment_id)
            line = Content.assemble(
                "    ↻ ",
                Content.styled(HIDDEN_FROM_GUESTS, "dim")
                if hidden
                else literal(one_line(item.text, 90)),
                private_tag(meeting.review_private(item.commitment_id)),
                Content.styled(f"  ({carried_label(meeting, item.commitment_id)})", "dim"),
            )
            rows.append(CommitmentRow(item.commitment_id, member_id, line))
    return rows


def commitments_title(meeting: Meeting) -> Content:
    missing = meeting.members_without_commitment()
    if not missing:
        return Content.from_markup("[b]Commitments[/b]  ✓ everyone has a new one")
    return Content.assemble(
        ("Commitments", "bold"), f"  ▲ {plural(len(missing), 'member')} without a new one yet"
    )
