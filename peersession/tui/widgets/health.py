"""The health check at the Close: a grid typed one digit a cell.

Named: a row per member at the session, a column per question; a digit from 1
to 5 scores the cell under the cursor and moves on (along the row, then to
the next member), so a member's five answers are five keys. Anonymous: a row
per question, a column per score; a digit is how many gave that score (``+``
adds one, for a group of ten or more). Each key is one journaled action
(``core/group_review.py``), so a killed terminal resumes with every answer.
The grid shows state; the rules are the engine's.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ...core import events as ev
from ...core.engine import Meeting
from ...core.health import ASKED, HIGHEST, LOWEST, QUESTIONS, SHORT
from ..text import literal
from .panel import PhasePanel

#: Width of a question's column in the named grid.
_CELL = 9
#: Width of the member (or question) column.
_NAME = 16


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class HealthGrid(Widget, can_focus=True):
    """The check's cells; the cursor is ``(row, column)``."""

    DEFAULT_CSS = """
    HealthGrid { height: 1fr; min-height: 3; }
    HealthGrid:focus { background-tint: $foreground 4%; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(d), f"digit({d})", f"Give {d}", show=False, id=f"health.digit{d}")
            for d in range(10)
        ],
        Binding("plus", "add_one", "One more", show=False, id="health.add_one"),
        Binding("left", "move(0, -1)", "Left", show=False, id="health.left"),
        Binding("right", "move(0, 1)", "Right", show=False, id="health.right"),
        Binding("up", "move(-1, 0)", "Up", show=False, id="health.up"),
        Binding("down", "move(1, 0)", "Down", show=False, id="health.down"),
    ]

    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._meeting: Meeting | None = None

    # -- the shape of the grid ------------------------------------------------------------

    def _rows(self) -> list[str]:
        meeting = self._meeting
        if meeting is None:
            return []
        return list(QUESTIONS) if meeting.health_anonymous else list(meeting.health_raters)

    def _columns(self) -> int:
        return HIGHEST - LOWEST + 1 if self._meeting and self._meeting.health_anonymous else 5

    def show(self, meeting: Meeting) -> None:
        self._meeting = meeting
        rows = len(self._rows())
        row, column = self.cursor
        self.cursor = (min(row, max(0, rows - 1)), min(column, self._columns() - 1))
        self.refresh(layout=True)

    # -- keys ---------------------------------------------------------------------------------

    def action_move(self, rows: int, columns: int) -> None:
        row, column = self.cursor
        last_row = max(0, len(self._rows()) - 1)
        self.cursor = (
            min(max(0, row + rows), last_row),
            min(max(0, column + columns), self._columns() - 1),
        )

    def _advance(self) -> None:
        row, column = self.cursor
        if column + 1 < self._columns():
            self.cursor = (row, column + 1)
        elif row + 1 < len(self._rows()):
            self.cursor = (row + 1, 0)

    def action_digit(self, digit: int) -> None:
        meeting = self._meeting
        rows = self._rows()
        if meeting is None or not rows:
            return
        row, column = self.cursor
        if meeting.health_anonymous:
            action: ev.Action = ev.HealthCounted(
                question=rows[row], score=column + LOWEST, count=digit
            )
        else:
            action = ev.HealthScored(member_id=rows[row], question=QUESTIONS[column], score=digit)
        self.post_message(PhasePanel.Acted(action))
        # Moving on is the grid's; the engine refuses a 0 or a 9 with a message.
        if meeting.health_anonymous or LOWEST <= digit <= HIGHEST:
            self._advance()

    def action_add_one(self) -> None:
        meeting = self._meeting
        if meeting is None or not meeting.health_anonymous:
            return
        row, column = self.cursor
        question = QUESTIONS[row]
        counts = meeting.health_counts.get(question, [0] * self._columns())
        self.post_message(
            PhasePanel.Acted(
                ev.HealthCounted(question=question, score=column + LOWEST, count=counts[column] + 1)
            )
        )

    class Moved(Message):
        """The cursor moved: the panel shows the question under it."""

    def watch_cursor(self) -> None:
        self.refresh()
        self.post_message(self.Moved())

    # -- drawing ------------------------------------------------------------------------------

    def render(self) -> Content:
        meeting = self._meeting
        if meeting is None:
            return Content("")
        cursor = self.cursor if self.has_focus else None
        lines = health_grid(meeting, cursor, self.size.width)
        # Rows below the header that fit: the window keeps the cursor's row in sight.
        room = max(1, self.size.height - 1)
        row = self.cursor[0]
        start = max(0, min(row - room + 1, len(lines) - 1 - room)) if row >= room else 0
        return Content("\n").join([lines[0], *lines[1 + start : 1 + start + room]])


def health_grid(meeting: Meeting, cursor: tuple[int, int] | None, width: int = 80) -> list[Content]:
    """The grid as lines, fitted to ``width``: a header row and one row per
    member (or question)."""
    cell = min(_CELL, max(4, (width - 12) // 5))
    name_width = min(_NAME, max(6, width - 2 - 5 * cell))
    lines: list[Content] = []
    if meeting.health_anonymous:
        header = " " * (name_width + 2) + "".join(f"{score:^{cell}}" for score in range(1, 6))
        lines.append(Content.styled(header, "dim"))
        for row, question in enumerate(QUESTIONS):
            counts = meeting.health_counts.get(question, [0] * 5)
            cells = [
                _cell(str(n) if n else "·", cursor == (row, column), cell)
                for column, n in enumerate(counts)
            ]
            marker = "▶ " if cursor is not None and cursor[0] == row else "  "
            label = _fit(SHORT[question], name_width)
            lines.append(Content.assemble(marker, f"{label:<{name_width}}", *cells))
        return lines
    header = " " * (name_width + 2) + "".join(
        f"{_fit(SHORT[q], cell - 1):^{cell}}" for q in QUESTIONS
    )
    lines.append(Content.styled(header, "dim"))
    for row, member_id in enumerate(meeting.health_raters):
        given = meeting.health_scores.get(member_id, {})
        cells = [
            _cell(str(given[q]) if q in given else "·", cursor == (row, column), cell)
            for column, q in enumerate(QUESTIONS)
        ]
        marker = "▶ " if cursor is not None and cursor[0] == row else "  "
        name = _fit(meeting.name(member_id), name_width)
        lines.append(Content.assemble(marker, literal(f"{name:<{name_width}}"), *cells))
    return lines


def _cell(text: str, here: bool, width: int = _CELL) -> Content:
    cell = f"{text:^{width}}"
    return Content.styled(cell, "reverse bold") if here else Content(cell)


def health_title(meeting: Meeting) -> Content:
    """The check's heading: how far it is (the hint line says the keys)."""
    left = meeting.health_left() or "health check: complete"
    form = " · anonymous" if meeting.health_anonymous else ""
    return Content.assemble(
        Content.styled("Health check", "bold"), f"  {left.removeprefix('health check: ')}{form}"
    )


def asked_now(meeting: Meeting, cursor: tuple[int, int]) -> Content:
    """The question under the cursor in full (the columns name it in a word)."""
    row, column = cursor
    if meeting.health_anonymous:
        question = QUESTIONS[min(row, len(QUESTIONS) - 1)]
        return Content.assemble(
            Content.styled(f"{SHORT[question]}: ", "bold"),
            f"{ASKED[question]} · how many gave {column + LOWEST}",
        )
    question = QUESTIONS[column]
    raters = meeting.health_raters
    who = meeting.name(raters[min(row, len(raters) - 1)]) if raters else ""
    return Content.assemble(
        literal(who), " · ", Content.styled(f"{SHORT[question]}: ", "bold"), ASKED[question]
    )


def health_questions() -> Content:
    """The five questions in full, for the room (the grid's columns name them shortly)."""
    return Content.styled("  ".join(f"{SHORT[q]}: {ASKED[q].lower()}." for q in QUESTIONS), "dim")


def health_summary(meeting: Meeting) -> Content:
    """One line for the ratings view and the room: the check is due, and how far."""
    left = meeting.health_left()
    state = left.removeprefix("health check: ") if left else "complete"
    return Content.assemble(Content.styled("Health check this session", "bold"), f": {state}")
