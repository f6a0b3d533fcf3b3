"""A group's history: its figures, then its sessions and check-ins, newest first.

The first frame shows the screen's frame and a loading table; the group's
file is read in a worker (a long history takes a moment) and only that
group's file: the index says which groups exist, nothing else is opened.
The page people look at comes first: the newest rows that fit on screen,
then the older rows and the group's figures and trends, then (while the
user reads) each member's figures and the search's texts.
Every other history screen starts from here and shares what was loaded.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static

from ...core.accountability import Rate, session_done
from ...core.win_counts import wins_summary
from ...core.words import plural
from ...errors import UserError
from ..text import literal
from ..widgets.history_trend import RATING, SHARE, Trend, health_trend_line
from .history_base import HistoryBase
from .history_data import GroupHistory, load_group_history
from .history_pickers import GroupPickerScreen, MemberPickerScreen
from .history_rows import Row, build_rows, detail_of

_COLUMNS = (
    ("Date", "date"),
    ("Kind", "kind"),
    ("Here", "here"),
    ("Asks", "asks"),
    ("Made", "made"),
    ("Done", "done"),
    ("Rating", "rating"),
    ("Who / note", "who"),
)
#: Room taken by every column but the last (cells and their padding).
_FIXED_WIDTH = 62
#: Rows added to the table per step.
_BATCH = 400


class HistoryScreen(HistoryBase):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="history.open", priority=True),
        Binding("m", "member", "Member", id="history.member"),
        Binding("o", "commitments", "Commitments", id="history.commitments"),
        Binding("slash", "search", "Search", id="history.search"),
        Binding("escape", "back", "Back", id="history.back"),
        Binding("f5", "reload", "Reload", id="history.reload", show=False),
    ]

    def __init__(self, group_id: str | None, viewer: str | None = None) -> None:
        super().__init__()
        self.group_id = group_id
        #: The member (id) the history is shown to (``history GROUP --for NAME``):
        #: no private item of a session before they joined.
        self.viewer = viewer
        #: What was loaded (None until the worker is done).
        self.data: GroupHistory | None = None
        self._rows: dict[str, Row] = {}
        self._pending: list[Row] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(literal("History"), id="history-title", classes="page-title")
        yield Static(id="history-figures", classes="figures")
        with Horizontal(id="history-trends", classes="trends"):
            yield Trend("Rating", scale=RATING, id="trend-rating")
            yield Trend("Done per session", scale=SHARE, id="trend-done")
        yield Static(id="history-health", classes="figures")
        yield Static(id="history-wins", classes="figures")
        yield DataTable(id="history-rows", cursor_type="row", zebra_stripes=True)
        yield Static(id="history-detail", classes="detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#history-rows", DataTable)
        for label, key in _COLUMNS:
            table.add_column(label, key=key)
        table.loading = True
        # No trends to draw before the history is read.
        self.query_one("#history-trends").display = False
        if self.group_id is not None:
            self.load(self.group_id)
            return
        try:
            groups = self.peersession.store.indexed_groups()
        except UserError as error:
            self.peersession.report(error)
            groups = []
        if len(groups) == 1:
            self.load(groups[0].id)
        elif not groups:
            table.loading = False
            self.query_one("#history-title", Static).update(
                literal("No groups yet: create one with `peersession group add`.")
            )
        else:

            def picked(group_id: str | None) -> None:
                if group_id is None:
                    self.dismiss(None)
                else:
                    self.load(group_id)

            self.app.push_screen(GroupPickerScreen(groups), picked)

    def load(self, group_id: str) -> None:
        self.group_id = group_id
        self.query_one("#history-rows", DataTable).loading = True
        # Start reading once the first frame is on screen: parsing a large
        # file holds the interpreter for a while, even in a thread.
        self.call_after_refresh(self._load, group_id)

    @work(thread=True, exclusive=True, group="history-load")
    def _load(self, group_id: str) -> None:
        try:
            data = load_group_history(self.peersession.store, group_id, self.today(), self.viewer)
        except UserError as error:
            self.app.call_from_thread(self._failed, error)
            return
        who_width = max(16, self.app.size.width - _FIXED_WIDTH)
        # The first page: no more rows than the screen has lines.
        page = build_rows(data, who_width, newest=max(1, self.app.size.height))
        self.app.call_from_thread(self._show, data, page)
        rows = build_rows(data, who_width)
        data.figures  # noqa: B018 (worked out here, not on the screen's thread)
        self.app.call_from_thread(self._show_rest, data, rows)
        # Ready each member's figures while the user reads: on a
        # long history they take a moment, better spent now than after a keystroke.
        data.ready_member_figures()

    def _failed(self, error: UserError) -> None:
        """The history could not be read: say why, literally, and stop loading."""
        self.query_one("#history-rows", DataTable).loading = False
        self.query_one("#history-title", Static).update(literal(f"History: {error}"))
        self.peersession.report(error)

    def _show(self, data: GroupHistory, page: list[Row]) -> None:
        """The first page of rows and the title; the rest follows (_show_rest)."""
        self.data = data
        table = self.query_one("#history-rows", DataTable)
        table.loading = False
        table.clear()
        self._rows = {row.key: row for row in page}
        self._pending = list(page)
        self._add_rows()
        self.query_one("#history-title", Static).update(literal(self._title(data)))
        table.focus()
        self._show_detail()

    def _show_rest(self, data: GroupHistory, rows: list[Row]) -> None:
        """The older rows under the first page, and the figures above it."""
        if data is not self.data:
            return  # reloaded since: the newer load shows its own
        rest = [row for row in rows if row.key not in self._rows]
        self._rows.update((row.key, row) for row in rest)
        self._pending += rest
        if self._pending:
            self._add_rows()
        self.refresh_figures()

    def _add_rows(self) -> None:
        """Fill the table a batch at a time, so thousands of rows never hold
        up the keys: the newest rows are there at once, older ones follow."""
        table = self.query_one("#history-rows", DataTable)
        batch, self._pending = self._pending[:_BATCH], self._pending[_BATCH:]
        for row in batch:
            table.add_row(*row.cells, key=row.key)
        if self._pending:
            self.set_timer(0.02, self._add_rows)

    @property
    def rows_pending(self) -> int:
        """Rows not yet added to the table (a long history fills in batches)."""
        return len(self._pending)

    def refresh_figures(self) -> None:
        """The summary area: the group's accountability figures and trends."""
        data = self.data
        if data is None:
            return
        figures = data.figures
        self.query_one("#history-title", Static).update(literal(self._title(data)))
        self.query_one("#history-trends").display = True
        self.query_one("#history-figures", Static).update(
            literal(
                f"{done_phrase(figures.completion)} · "
                f"carried over {figures.carried.percent()} · "
                f"attendance {figures.attendance.percent()}"
                f"{f' (on leave for {figures.away})' if figures.away else ''} · "
                f"open {figures.open_count}, {figures.overdue_count} overdue"
            )
        )
        last_rating = f"{figures.ratings[-1]:.1f} last" if figures.ratings else "none yet"
        self.query_one("#trend-rating", Trend).show(figures.ratings, last_rating)
        last_done = next(
            (session_done(s) for s in reversed(data.sessions) if session_done(s).whole), None
        )
        self.query_one("#trend-done", Trend).show(
            figures.completion_trend,
            f"{last_done.part}/{last_done.whole} last" if last_done else "none yet",
        )
        health = health_trend_line(data.sessions)
        shown = self.query_one("#history-health", Static)
        shown.display = health is not None
        if health is not None:
            shown.update(health)
        self.query_one("#history-wins", Static).update(
            literal("Wins " + wins_summary(figures.wins, data.today))
        )

    @staticmethod
    def _title(data: GroupHistory) -> str:
        return (
            f"{data.group.name} · {plural(len(data.sessions), 'session')}, "
            f"{plural(len(data.checkins), 'check-in')}"
        )

    def on_screen_resume(self) -> None:
        # A status updated on the commitments screen changes the figures.
        self.refresh_figures()

    # -- the highlighted row ----------------------------------------------------------

    def _current(self) -> Row | None:
        table = self.query_one("#history-rows", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self._rows.get(str(row_key.value))

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        row = self._current()
        detail = self.query_one("#history-detail", Static)
        if row is None or self.data is None:
            detail.update("")
            return
        detail.update(detail_of(self.data, row))

    # -- actions ------------------------------------------------------------------------

    def action_open(self) -> None:
        from .history_member import MemberScreen
        from .history_session import SessionScreen

        row = self._current()
        if row is None or self.data is None:
            return
        if row.kind == "session":
            self.app.push_screen(SessionScreen(self.data, row.record_id))
        elif row.member_id is not None:
            self.app.push_screen(MemberScreen(self.data, row.member_id, focus=row.record_id))

    def action_member(self) -> None:
        from .history_member import MemberScreen

        data = self.data
        if data is None:
            return

        def picked(member_id: str | None) -> None:
            if member_id is not None:
                self.app.push_screen(MemberScreen(data, member_id))

        self.app.push_screen(MemberPickerScreen(data), picked)

    def action_commitments(self) -> None:
        from .history_commitments import CommitmentsScreen

        if self.data is not None:
            self.app.push_screen(CommitmentsScreen(self.data))

    def action_search(self) -> None:
        from .history_search import SearchScreen

        if self.data is not None:
            screen = SearchScreen(self.data)

            def closed(_: None) -> None:
                if screen.corrected:  # a saved item changed: read the group again
                    self.action_reload()

            self.app.push_screen(screen, closed)

    def action_reload(self) -> None:
        if self.group_id is not None:
            self.load(self.group_id)


def done_phrase(rate: Rate) -> str:
    """Completion in words that say what was counted: commitments whose date has
    come or that were reviewed already (a review counts before the due date)."""
    if not rate.whole:
        return "Done: nothing due or reviewed yet"
    return f"Done {rate.label()} of commitments due or reviewed"
