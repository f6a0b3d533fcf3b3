"""One member's page: their goals first (history_goals.py), then their timeline:
updates, asks, commitments (with every dated review),
wins, check-ins and airtime, under their accountability figures and trends."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from ...core.durations import format_duration
from ..text import literal
from ..widgets.history_blocks import Block, heading, land
from ..widgets.history_trend import RATING, SHARE, Trend
from .history_base import HistoryBase
from .history_data import GroupHistory
from .history_goals import goal_blocks
from .history_pages import TimelineEntry, member_timeline


class MemberScreen(HistoryBase):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.member.back"),
        Binding("p", "step(-1)", "Previous member", id="history.member.previous"),
        Binding("n", "step(1)", "Next member", id="history.member.next"),
        Binding("l", "older", "Show older", id="history.member.older"),
    ]

    #: Timeline entries shown at first, and added by each "show older".
    PAGE = 40

    def __init__(self, data: GroupHistory, member_id: str, *, focus: str | None = None) -> None:
        super().__init__()
        self.data = data
        self.member_id = member_id
        self.focus_id = focus
        self.entries: list[TimelineEntry] = []
        self.shown = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="page-title", classes="page-title")
        yield Static(id="member-figures", classes="figures")
        with Horizontal(id="member-trends", classes="trends"):
            yield Trend("Done per session", scale=SHARE, id="trend-member-done")
            yield Trend("Their rating", scale=RATING, id="trend-member-rating")
        yield VerticalScroll(id="page", classes="page")
        yield Footer(compact=True, show_command_palette=False)

    async def on_mount(self) -> None:
        await self._fill()

    async def _fill(self) -> None:
        data = self.data
        name = data.group.name_of(self.member_id)
        self.query_one("#page-title", Static).update(
            Content.assemble((literal(name)), (f" · {data.group.name}", "dim"))
        )
        figures = data.member_figures(self.member_id)
        airtime = format_duration(figures.airtime_seconds)
        average = format_duration(figures.average_airtime)
        paused = f", {figures.paused_count} paused (on leave)" if figures.paused_count else ""
        self.query_one("#member-figures", Static).update(
            literal(
                f"Done {figures.completion.label()} of due · "
                f"carried over {figures.carried.label()} · "
                f"attended {figures.attendance_line}, late {figures.late}× · "
                f"airtime {airtime} ({average} a session) · "
                f"open {figures.open_count}, {figures.overdue_count} overdue"
                f"{paused} · "
                f"roles: {data.role_turns(self.member_id)}"
            )
        )
        trend = figures.completion_trend
        self.query_one("#trend-member-done", Trend).show(
            trend, f"{round(100 * trend[-1])}% last" if trend else "nothing reviewed yet"
        )
        ratings = figures.ratings
        self.query_one("#trend-member-rating", Trend).show(
            [float(r) for r in ratings],
            f"{ratings[-1]} last, {sum(ratings) / len(ratings):.1f} avg" if ratings else "none",
        )
        self.entries = member_timeline(data, self.member_id)
        wanted = self.PAGE
        if self.focus_id is not None:
            # Show far enough back to hold the record a search result points at.
            target = self.focus_id
            at = next((i for i, e in enumerate(self.entries) if target in e.targets), 0)
            wanted = max(wanted, at + 1)
        page = self.query_one("#page", VerticalScroll)
        await page.remove_children()
        self.shown = 0
        # Their goals first (what the commitments below serve), then the timeline.
        goals = goal_blocks(data, self.member_id)
        if goals:
            await page.mount_all([*goals, heading("Timeline")])
        await self._show_more(wanted)
        page.scroll_home(animate=False)
        page.focus()
        if self.focus_id is not None:
            self.call_after_refresh(land, page, self.focus_id)

    async def _show_more(self, count: int) -> None:
        page = self.query_one("#page", VerticalScroll)
        more = page.query("#timeline-more")
        await more.remove()
        upto = min(len(self.entries), self.shown + count)
        blocks = [b for entry in self.entries[self.shown : upto] for b in entry.build()]
        self.shown = upto
        left = len(self.entries) - upto
        if left:
            hint = Content.styled(f"… {left} older entries: press l to show more", "dim")
            blocks.append(Block(hint, id="timeline-more"))
        await page.mount_all(blocks)

    async def action_older(self) -> None:
        if self.shown < len(self.entries):
            await self._show_more(self.PAGE)

    async def action_step(self, step: int) -> None:
        members = [m.id for m in self.data.group.members]
        if self.member_id not in members:
            return
        index = (members.index(self.member_id) + step) % len(members)
        self.member_id = members[index]
        self.focus_id = None
        await self._fill()
