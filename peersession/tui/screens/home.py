"""The home screen: the groups, when each meets next, start or resume a session.

The first frame is the group rows, read from the index (without pendulum and
the dateutil parser behind it); the "Next meeting" column, the one figure that
needs the slots' arithmetic, is filled right after that frame is drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ...errors import UserError
from ..text import literal, template, visible
from ..widgets.parts_line import PartsLine

if TYPE_CHECKING:
    from pendulum import DateTime

    from ...core.model import Group, IndexedGroup
    from ..app import PeersessionApp


#: The columns the first frame draws (key, label); the next meeting's is added
#: with its values, after that frame.
COLUMNS = (
    ("name", "Group"),
    ("members", "Members"),
    ("sessions", "Sessions"),
    ("open", "Open"),
    ("live", ""),
)
NEXT_MEETING = "next"


class HomeScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "start", "Start", id="home.start", priority=True, tooltip="Start or resume"
        ),
        Binding("q", "quick", "Quick round", id="home.quick"),
        Binding("h", "history", "History", id="home.history"),
        Binding("k", "checkin", "Check in", id="home.checkin"),
        Binding("f5", "reload", "Reload", id="home.reload", show=False),
    ]

    @property
    def peersession(self) -> PeersessionApp:
        return cast("PeersessionApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="home-intro")
        yield DataTable(id="groups", cursor_type="row", zebra_stripes=True)
        yield PartsLine(id="home-roles")
        yield Footer()

    def on_mount(self) -> None:
        #: Each group's next roles, in words (filled with the next meetings).
        self._roles: dict[str, tuple[Content, list[Content]]] = {}
        #: The rows below the first screenful, added right after the first frame.
        self._later: list[tuple[str, tuple[Text, ...]]] = []
        # Filled here, before the first frame is drawn, so it shows the rows.
        self.reload()
        self._shown = False

    def on_screen_resume(self) -> None:
        # Resumed when first shown too: the rows were just read in on_mount.
        if self._shown:
            self.reload()
        self._shown = True

    def reload(self) -> None:
        table = self.query_one("#groups", DataTable)
        intro = self.query_one("#home-intro", Static)
        try:
            groups = self.peersession.store.indexed_groups()
        except UserError as error:
            self.peersession.report(error)
            groups = []
        rows = [(group.id, self._cells(group)) for group in groups]
        drawn_before = NEXT_MEETING in table.columns
        self._set_columns(table, [cells for _, cells in rows])
        if drawn_before:
            self._add_next_column(table)  # kept in place on a reload (blank until filled)
        # The first frame draws a screenful of rows (each row a table must measure
        # and lay out costs it time); the others follow right after that frame.
        screenful = max(self.app.size.height, 1)
        for key, cells in rows[:screenful]:
            table.add_row(*cells, key=key)
        self._later = rows[screenful:]
        table.display = bool(groups)
        if groups:
            self.call_after_refresh(self._add_later_rows)
            self.call_after_refresh(self._fill_next)
            intro.update(
                template(
                    "[b]Your groups[/b]  [dim]enter[/] start or resume · [dim]q[/] quick round"
                    " · [dim]h[/] history · [dim]k[/] check in"
                )
            )
            table.focus()
        else:
            intro.update(
                template(
                    "[b]No groups yet.[/b]\n\nCreate one from the shell:\n\n"
                    "  peersession group add $example --member Ana --member Bo --member Cy\n\n"
                    "or try the demo: peersession demo",
                    example="'Thursday Circle'",
                )
            )

    def _cells(self, group: IndexedGroup) -> tuple[Text, ...]:
        live = self.peersession.store.layout.journal_file(group.id).exists()
        return (
            Text(visible(group.name)),
            Text(str(len(group.active_members)), justify="right"),
            Text(str(group.summary.sessions), justify="right"),
            Text(str(group.summary.open_commitments), justify="right"),
            Text("● live: resume", style="bold") if live else Text(""),
        )

    @staticmethod
    def _set_columns(table: DataTable[Text], rows: list[tuple[Text, ...]]) -> None:
        """The columns, each as wide as its widest cell among every row (those
        drawn later too, so nothing moves when they arrive). Text, not str: a str
        label is parsed as markup, and the first markup parse imports rich's
        emoji table for nothing."""
        table.clear(columns=True)
        for column, (key, label) in enumerate(COLUMNS):
            width = max((cell_len(row[column].plain) for row in rows), default=0)
            table.add_column(Text(label), key=key, width=max(width, cell_len(label)))

    def _add_later_rows(self) -> None:
        """The rows below the first screenful, and the next meetings' column (its
        values come with _fill_next, after this)."""
        table = self.query_one("#groups", DataTable)
        later, self._later = self._later, []
        for key, cells in later:
            table.add_row(*cells, key=key)
        self._add_next_column(table)

    @staticmethod
    def _add_next_column(table: DataTable[Text]) -> None:
        if NEXT_MEETING not in table.columns:
            # Last, so at 80 columns it is the one cut: the next meeting's label is
            # the long one (it adds the viewer's own time when they are elsewhere).
            table.add_column(Text("Next meeting"), key=NEXT_MEETING)

    def _fill_next(self) -> None:
        """The "Next meeting" column, once the rows are on screen."""
        if not self.is_current:
            return  # another screen opened over this one; its resume reloads
        table = self.query_one("#groups", DataTable)
        try:
            groups = self.peersession.store.indexed_groups()
        except UserError as error:
            self.peersession.report(error)
            return
        now = self.peersession.clock.now()
        shown = {str(key.value) for key in table.rows}
        for group in groups:
            if group.id not in shown:
                continue  # added since the rows were read: the next reload lists it
            label = self._next_label(group, now, group.summary.last_session_at)
            table.update_cell(group.id, "next", Text(label), update_width=True)
            self._roles[group.id] = self._roles_line(group, now)
        self._show_roles()

    @staticmethod
    def _roles_line(group: IndexedGroup, now: DateTime) -> tuple[Content, list[Content]]:
        """``Next session: host Ana · facilitator Bo``: the rota's proposal from the
        index's summary (no group file read), the group's own choice included;
        members away at the next meeting (on leave, not joined yet) skipped."""
        from ...core.roles import next_session
        from ...core.upcoming import next_meeting

        last = group.summary.last_session_at
        day = None
        today = now.date()
        if any(m.leave or (m.joined and m.joined > today) for m in group.members):
            found = next_meeting(group, now, last)  # only when someone may be away
            day = found.day if found is not None else None
        proposal = next_session(group, group.summary.held, day)
        holders = [
            Content.assemble(literal(role), " ", (visible(group.name_of(member)), "bold"))
            for role, member in proposal.holders
        ]
        if proposal.too_small:
            holders.append(Content.styled(f"({proposal.too_small})", "dim"))
        return Content.styled("Next session  ", "dim"), holders

    def _show_roles(self) -> None:
        group_id = self._selected_group()
        lead, holders = self._roles.get(group_id or "", (Content(""), []))
        self.query_one("#home-roles", PartsLine).show(lead, holders)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_roles()

    @staticmethod
    def _next_label(group: Group, now: DateTime, last_session: str | None) -> str:
        """The next meeting (the engine's answer, after the group's last session) in
        the group's zone, with the viewer's time when elsewhere."""
        from ...core.slot import machine_zone, short_day
        from ...core.slot_labels import short_meeting_label
        from ...core.upcoming import next_meeting

        viewer = machine_zone()
        found = next_meeting(group, now, last_session)
        zone = group.slot.zone if group.slot is not None else viewer
        if found is None:
            return "not set" if group.slot is None else "none ahead"
        if found.occurrence is None:
            when = short_day(found.day, year=True)
        else:
            today = now.in_timezone(viewer).date()
            when = short_meeting_label(found.occurrence, zone, viewer, today)
        days = (found.day - now.in_timezone(zone).date()).days
        if days == 0:
            return f"{when} · today"
        if days > 0:
            return f"{when} · in {days} d"
        return f"{when} · {-days} d ago"

    def selected_group(self) -> str | None:
        """The id of the highlighted group (the palette offers its commands first)."""
        return self._selected_group()

    def _selected_group(self) -> str | None:
        table = self.query_one("#groups", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    def action_start(self) -> None:
        group_id = self._selected_group()
        if group_id:
            self.peersession.open_session(group_id)

    def action_quick(self) -> None:
        group_id = self._selected_group()
        if group_id:
            self.peersession.open_session(group_id, "quick")

    def action_history(self) -> None:
        self.peersession.open_history(self._selected_group())

    def action_checkin(self) -> None:
        group_id = self._selected_group()
        if group_id:
            self.peersession.open_checkin(group_id)

    def action_reload(self) -> None:
        self.reload()
