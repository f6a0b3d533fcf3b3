"""Paragraphs of the history pages (a session in full, a member's timeline).

A page is a column of :class:`Block` widgets rather than one long text, so a
search result can land on the very note, ask, win or commitment it found:
each block knows the ids of the records it shows, and :func:`land` scrolls
the first one holding an id into view and marks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from pendulum.tz import local_timezone
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.widgets import Static

from ...core.commitment_state import REVIEW_LABELS, commitment_status
from ...core.local_days import local_day
from ...core.recap import NOTE_PART_LABELS, note_label
from ..text import hanging, literal
from .panel import private_tag

if TYPE_CHECKING:
    from ...core.session_records import Commitment, Note, Review

#: Marks the block a search landed on with a shape, not only a colour.
LANDED_MARK = "▶ "

_SOURCES = {"session": "", "checkin": " (check-in)", "history": " (updated later)"}


class Block(Static):
    """A paragraph of a history page that a search result can land on."""

    def __init__(
        self,
        content: Content,
        targets: Iterable[str] = (),
        *,
        classes: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(content, classes=f"block {classes}".strip(), id=id)
        self.targets = frozenset(targets)
        self.content_shown = content

    def mark_landed(self) -> None:
        self.add_class("-landed")
        self.update(Content.assemble((LANDED_MARK, "bold"), self.content_shown))


def heading(title: str, targets: Iterable[str] = ()) -> Block:
    return Block(Content.styled(title, "bold underline"), targets, classes="heading")


def land(page: ScrollableContainer, target_id: str) -> Block | None:
    """Bring the first block showing ``target_id`` into view and mark it."""
    for block in page.query(Block):
        if target_id in block.targets:
            block.mark_landed()
            # After the mark is laid out, or the scroll uses the old geometry.
            page.call_after_refresh(page.scroll_to_widget, block, animate=False, top=True)
            return block
    return None


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def review_day(review: Review) -> date:
    return local_day(review.at, local_timezone())


def note_lines(notes: list[Note], indent: str = "  ") -> list[Content]:
    """Notes as bullet lines, literal, private ones tagged; an ask's labelled by part."""
    return [
        Content.assemble(
            f"{indent}• ",
            Content.styled(f"{label}: ", "bold") if label else "",
            hanging(n.text, indent + "  "),
            private_tag(n.private),
        )
        for n in notes
        # As every recap labels them: none when the person typed one ("Q: ...").
        for label in [note_label(n.text, n.part or None) if n.part in NOTE_PART_LABELS else None]
    ]


def review_line(review: Review) -> Content:
    """``5 Mar 2026 partial (check-in): note``, renegotiated text and date included."""
    parts: list[Content | str] = [
        f"{short_date(review_day(review))} ",
        Content.styled(REVIEW_LABELS.get(review.status, review.status), "bold"),
        _SOURCES.get(review.source, f" ({review.source})"),
    ]
    if review.text:
        parts += [" → now: ", literal(review.text)]
    if review.due:
        parts.append(f", due {review.due}")
    if review.note:
        parts += [": ", literal(review.note)]
    return Content.assemble(*parts)


def commitment_trail(doc: Commitment, indent: str = "  ") -> list[Content]:
    """The commitment's status now, then every dated review, oldest first."""
    status = commitment_status(doc)
    lines = [
        Content.assemble(
            f"{indent}status now: ", Content.styled(REVIEW_LABELS.get(status, status), "bold")
        )
    ]
    lines += [Content.assemble(f"{indent}  ", review_line(r)) for r in doc.reviews]
    return lines


def commitment_block(
    doc: Commitment, owner: str | None, *, prefix: str = "", serves: str | None = None
) -> Block:
    """A commitment with its due date, the goal it ``serves`` (its title), and
    its status over time."""
    due = f" (due {doc.due})" if doc.due else ""
    source = " [from an ask]" if doc.from_ask else ""
    who = Content.assemble(literal(owner), ": ") if owner else Content("")
    first = Content.assemble(
        prefix, who, hanging(doc.text, "  "), due, source, private_tag(doc.private)
    )
    goal = [Content.assemble("  serves: ", hanging(serves, "    "))] if serves else []
    return Block(Content("\n").join([first, *goal, *commitment_trail(doc)]), [doc.id])
