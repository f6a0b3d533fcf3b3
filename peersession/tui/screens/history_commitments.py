"""A group's open commitments, overdue first, each updatable with one key.

Every update is a dated review with source ``history``, written to the
group's file before the screen changes (never a silent edit of the
commitment): the commitment's trail shows it, and so does the owner's
timeline.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar

import pendulum
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from ...core.accountability import OpenCommitment, open_commitments
from ...core.commitment_state import REVIEW_LABELS, current_commitment_text
from ...core.durations import parse_date
from ...core.free_text import clean_text
from ...core.record_values import ReviewStatus
from ...core.session_records import Review
from ...errors import UserError
from ..text import literal, one_line, visible
from ..widgets.history_blocks import commitment_trail
from ..widgets.panel import PRIVATE_TAG, private_tag
from .form import Field, FormScreen, Values
from .history_base import HistoryBase
from .history_data import GroupHistory, day_label, short_day

_COLUMNS = (("When", "when"), ("Owner", "owner"), ("Status", "status"), ("Commitment", "text"))
#: Room around the table's cells: margins, the text cell's padding, the scrollbar.
_CHROME = 7


def when_label(item: OpenCommitment, today: date) -> str:
    """``5 d overdue``, ``due today``, ``in 3 d``, or ``no date``: words, not only colour."""
    if item.due is None:
        return "no date"
    if item.overdue:
        return f"{item.overdue_days} d overdue"
    days = item.due.toordinal() - today.toordinal()
    return "due today" if days == 0 else f"in {days} d"


class CommitmentsScreen(HistoryBase):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "mark('done')", "Done", id="history.commitments.done"),
        Binding("h", "mark('partial')", "Partial", id="history.commitments.partial"),
        # The same letters as the meeting's Review and a check-in.
        Binding("m", "mark('not_done')", "Not done", id="history.commitments.not_done"),
        Binding("x", "mark('dropped')", "Dropped", id="history.commitments.dropped"),
        Binding("r", "renegotiate", "Renegotiate", id="history.commitments.renegotiate"),
        Binding("escape", "back", "Back", id="history.commitments.back"),
    ]

    def __init__(self, data: GroupHistory) -> None:
        super().__init__()
        self.data = data
        self.items: list[OpenCommitment] = []
        #: Unsaved renegotiation forms, by commitment: an escape loses nothing.
        self.drafts: dict[str, Values] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="page-title", classes="page-title")
        yield DataTable(id="commitments", cursor_type="row", zebra_stripes=True)
        yield Static(id="commitment-detail", classes="detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#commitments", DataTable)
        for label, key in _COLUMNS:
            table.add_column(label, key=key)
        self.reload()
        table.focus()

    def reload(self, keep_row: int | None = None) -> None:
        data = self.data
        self.items = open_commitments(data.commitments, data.today)
        overdue = sum(1 for item in self.items if item.overdue)
        self.query_one("#page-title", Static).update(
            Content.assemble(
                ("Open commitments", "bold"),
                " · ",
                literal(data.group.name),
                f" · {len(self.items)} open, {overdue} overdue · today {day_label(data.today)}",
            )
        )
        table = self.query_one("#commitments", DataTable)
        table.clear()
        rows = [
            (
                Text(when_label(item, data.today), style="bold" if item.overdue else ""),
                Text(visible(data.group.name_of(item.doc.owner))),
                Text(REVIEW_LABELS.get(item.status, item.status)),
            )
            for item in self.items
        ]
        # The text takes what the other columns leave, so the table never needs
        # a horizontal scroll at 80 columns; the detail below shows it whole.
        widths = [
            max([len(label)] + [row[i].cell_len for row in rows])
            for i, (label, _) in enumerate(_COLUMNS[:3])
        ]
        width = max(16, self.app.size.width - sum(w + 2 for w in widths) - _CHROME)
        for item, cells in zip(self.items, rows, strict=True):
            doc = item.doc
            text = current_commitment_text(doc)
            if doc.private:
                text = f"{text} {PRIVATE_TAG}"
            table.add_row(*cells, Text(one_line(text, width)), key=doc.id)
        if keep_row is not None and self.items:
            table.move_cursor(row=min(keep_row, len(self.items) - 1))
        self._show_detail()

    def _current(self) -> OpenCommitment | None:
        table = self.query_one("#commitments", DataTable)
        if not self.items or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#commitment-detail", Static)
        item = self._current()
        if item is None:
            detail.update(Content.styled("No open commitments.", "dim"))
            return
        doc = item.doc
        due = f" · due {short_day(item.due)}" if item.due else ""
        first = Content.assemble(
            literal(self.data.group.name_of(doc.owner)).stylize("bold"),
            ": ",
            literal(current_commitment_text(doc)),
            due,
            private_tag(doc.private),
        )
        detail.update(Content("\n").join([first, *commitment_trail(doc)]))

    # -- updating --------------------------------------------------------------------

    def _record(self, item: OpenCommitment, review: Review) -> bool:
        """Write the review, mirror it here, and say so; False if it was refused."""
        commitment_id = item.doc.id
        # The store treats two reviews at the same instant as one (a replay):
        # keep this commitment's review times distinct.
        latest = max((r.at for r in item.doc.reviews), default="")
        at = pendulum.parse(review.at)
        while isinstance(at, pendulum.DateTime) and at.isoformat() <= latest:
            at = at + timedelta(milliseconds=1)
            review.at = at.isoformat()
        try:
            self.peersession.store.add_review(self.data.group.id, commitment_id, review)
        except UserError as error:
            self.peersession.report(error)
            return False
        self.data.record_review(commitment_id, review)
        status = REVIEW_LABELS.get(review.status, review.status)
        self.notify(
            visible(f"{status}: {current_commitment_text(item.doc)}"),
            title="Status updated",
            markup=False,
            timeout=4,
        )
        return True

    def _review(self, status: ReviewStatus) -> Review:
        at = self.peersession.clock.now().isoformat()
        return Review(at=at, status=status, source="history", source_id=None)

    def action_mark(self, status: ReviewStatus) -> None:
        item = self._current()
        if item is None:
            return
        row = self.query_one("#commitments", DataTable).cursor_row
        if self._record(item, self._review(status)):
            self.reload(keep_row=row)

    def action_renegotiate(self) -> None:
        item = self._current()
        if item is None:
            return
        doc = item.doc
        key = f"renegotiate-{doc.id}"
        text_now = current_commitment_text(doc)
        day = self.data.today
        today = pendulum.date(day.year, day.month, day.day)

        def check(values: Values) -> str | None:
            text, due = values["text"].strip(), values["due"].strip()
            if (not text or text == text_now) and not due:
                return "Change the text, give a new due date, or both."
            try:
                if text:
                    clean_text(text, what="the new text")
                if due:
                    parse_date(due, today=today)
            except ValueError as error:
                return str(error)
            return None

        def submitted(values: Values | None) -> None:
            if values is None:
                return
            review = self._review("renegotiated")
            text = values["text"].strip()
            if text and text != text_now:
                review.text = text
            if values["due"].strip():
                due = parse_date(values["due"], today=today)
                review.due = due.isoformat()
            if values["note"].strip():
                review.note = values["note"].strip()
            row = self.query_one("#commitments", DataTable).cursor_row
            if self._record(item, review):
                self.drafts.pop(key, None)
                self.reload(keep_row=row)

        self.app.push_screen(
            FormScreen(
                "Renegotiate a commitment",
                [
                    Field("text", "New text (empty: unchanged)", value=text_now),
                    Field(
                        "due", "New due date (empty: unchanged)", placeholder="YYYY-MM-DD or +3w"
                    ),
                    Field("note", "Note (optional)"),
                ],
                drafts=self.drafts,
                draft_key=key,
                intro=f"{self.data.group.name_of(doc.owner)}: {text_now}",
                validate=check,
            ),
            submitted,
        )
