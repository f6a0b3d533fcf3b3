"""Search every text of a group (or of every group), as you type.

The search is ``store.finder.find``, the same as ``peersession search``:
SQLite's FTS5 finds, ranks (bm25) and marks the texts; the marks are shown
as styled spans over literal text (:mod:`..widgets.history_match`). Each
keystroke starts a thread worker that cancels the previous one, so typing
never waits; a first search that has to build the index says how far it is.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

import pendulum
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...core.durations import parse_date
from ...core.model import Group
from ...core.search import SEARCH_KINDS, Hit, SearchFilter, SearchItem
from ...core.words import plural
from ...errors import UserError
from ...store.finder import find
from ...store.storage import file_stamp
from ..text import literal
from ..widgets.history_match import marked_line
from ..widgets.panel import private_tag
from .form import Values
from .history_base import HistoryBase
from .history_corrections import edit_item, remove_item
from .history_data import GroupHistory, load_group_history, short_day

SCOPE_GROUP = "group"
SCOPE_ALL = "all"
#: How many results the list holds at first, and how many more each time the
#: cursor reaches its end: a screenful or two, so the results show at once.
PAGE = 50
#: Seconds a search runs before the status says it is searching.
BUSY_AFTER = 0.15


class SearchScreen(HistoryBase):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.search.back"),
        Binding("down", "results", "Results", id="history.search.results", show=False),
        Binding("ctrl+l", "query", "Search box", id="history.search.query"),
        Binding("ctrl+r", "clear", "Clear filters", id="history.search.clear"),
        Binding("e", "correct", "Correct", id="history.search.correct"),
        Binding("delete", "remove", "Remove", id="history.search.remove"),
    ]

    def __init__(self, data: GroupHistory, query: str = "") -> None:
        super().__init__()
        self.data = data
        self.initial_query = query
        self.hits: list[Hit] = []
        self._names: dict[str, str] = {data.group.id: data.group.name}
        #: A saved item was corrected here: the screens below read the group again.
        self.corrected = False
        self.drafts: dict[str, Values] = {}
        #: How many results are asked for (a page more each time the end is reached).
        self.listed = PAGE
        #: Says "searching…" when a search takes a while (stopped when it answers).
        self._busy: Timer | None = None
        #: Every group (for "All groups"), kept while the groups' file is unchanged.
        self._every: tuple[object, list[Group]] | None = None
        #: What the last search started asked for (:meth:`_asked`).
        self._last_asked: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        members = [(literal(m.name), m.id) for m in self.data.group.members]
        kinds = [(Content(kind), kind) for kind in SEARCH_KINDS]
        scopes = [(Content("This group"), SCOPE_GROUP), (Content("All groups"), SCOPE_ALL)]
        yield Header()
        yield Input(
            self.initial_query,
            placeholder="Search notes, asks, commitments, wins…  (↓ or enter: to the results)",
            id="search-query",
        )
        with Horizontal(id="search-filters"):
            yield Select(members, prompt="Anyone", id="search-member", compact=True)
            yield Select(kinds, prompt="Any kind", id="search-kind", compact=True)
            yield Input(placeholder="from date", id="search-since", compact=True)
            yield Input(placeholder="to date", id="search-until", compact=True)
            yield Select(
                scopes, value=SCOPE_GROUP, allow_blank=False, id="search-scope", compact=True
            )
        yield Static(id="search-status", classes="detail")
        yield OptionList(id="search-results")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()
        self.start_search()

    # -- running the search --------------------------------------------------------

    def _filter(self) -> SearchFilter | str:
        """The filters chosen, or a message saying which one is not understood."""
        member = self.query_one("#search-member", Select).value
        kind = self.query_one("#search-kind", Select).value
        today = pendulum.date(self.data.today.year, self.data.today.month, self.data.today.day)
        dates: list[date | None] = []
        for widget_id, what in (("#search-since", "from"), ("#search-until", "to")):
            text = self.query_one(widget_id, Input).value.strip()
            if not text:
                dates.append(None)
                continue
            try:
                dates.append(parse_date(text, today=today, allow_past=True))
            except ValueError as error:
                return f"{what} date: {error}"
        viewer = self.data.viewer
        return SearchFilter(
            member_id=member if isinstance(member, str) else None,
            since=dates[0],
            until=dates[1],
            kinds=frozenset({kind}) if isinstance(kind, str) else None,
            # Shown to a member who joined later: nothing private from before.
            viewer=self.data.group.member(viewer) if viewer else None,
        )

    def _asked(self) -> tuple[object, ...]:
        """What the box and the filters ask for now."""
        fields = self.query("#search-query, #search-filters > *")
        return tuple(w.value for w in fields if isinstance(w, (Input, Select)))

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        # A widget says it changed as it is first given its value, too: the search
        # the screen opened with is not started twice (the first cancelled mid-way).
        if self._asked() != self._last_asked:
            self.start_search()

    def start_search(self) -> None:
        self._last_asked = self._asked()
        self.listed = PAGE
        self._run_search()

    def _run_search(self, keep: int | None = None) -> None:
        """Search as the box and filters say, for :attr:`listed` results (the
        cursor left at ``keep`` when more of the same are listed)."""
        where = self._filter()
        if isinstance(where, str):
            self._status(literal(where))
            return
        query = self.query_one("#search-query", Input).value
        scope = self.query_one("#search-scope", Select).value
        # Said only if the search takes a while: a quick one goes from the old
        # results to the new in one frame, with no "searching…" frame between.
        self._stop_busy()
        self._busy = self.set_timer(BUSY_AFTER, self._say_busy)
        # Shown to one member: their group's history only.
        self._search(
            query, where, scope == SCOPE_ALL and self.data.viewer is None, self.listed, keep
        )

    def _every_group(self) -> list[Group]:
        """Every group, read again only when the groups' file changed."""
        store = self.peersession.store
        stamp = file_stamp(store.layout.index_file)
        every = self._every
        if every is None or stamp is None or every[0] != stamp:
            every = self._every = (stamp, store.groups())
        return every[1]

    @work(thread=True, exclusive=True, group="history-search")
    def _search(
        self, query: str, where: SearchFilter, everywhere: bool, listed: int, keep: int | None
    ) -> None:
        worker = get_current_worker()
        store = self.peersession.store
        groups = self._every_group() if everywhere else [self.data.group]
        self._names.update((group.id, group.name) for group in groups)

        def progress(done: int, total: int) -> None:
            if done < total and not worker.is_cancelled:
                status = f"building the search index: {done} of {plural(total, 'group')} read…"
                self.app.call_from_thread(self._status, Content.styled(status, "dim"))

        scope = None if everywhere else [self.data.group.id]
        try:
            hits = find(
                store, query, where, group_ids=scope, limit=listed, progress=progress, groups=groups
            )
        except UserError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._status, literal(str(error)))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, query, hits, everywhere, keep)

    def _say_busy(self) -> None:
        self.query_one("#search-status", Static).update(Content.styled("searching…", "dim"))

    def _stop_busy(self) -> None:
        if self._busy is not None:
            self._busy.stop()
            self._busy = None

    def _status(self, status: Content) -> None:
        self._stop_busy()
        self.query_one("#search-status", Static).update(status)

    def _show(self, query: str, hits: list[Hit], everywhere: bool, keep: int | None) -> None:
        self._stop_busy()
        self.hits = hits
        results = self.query_one("#search-results", OptionList)
        results.set_options(
            Option(self._prompt(hit, everywhere), id=str(index)) for index, hit in enumerate(hits)
        )
        if hits:
            results.highlighted = min(keep or 0, len(hits) - 1)
        where = "every group" if everywhere else self.data.group.name
        if not query.strip():
            status = f"newest {len(hits)} texts in {where}: type to search"
        else:
            status = f"{plural(len(hits), 'result')} for “{query.strip()}” in {where}"
            if len(hits) == self.listed:
                status += f" (the best {len(hits)}; more at the end of the list)"
        self.query_one("#search-status", Static).update(literal(status))

    def _prompt(self, hit: Hit, everywhere: bool) -> Content:
        item = hit.item
        names = self.data.group.name_of if item.group_id == self.data.group.id else None
        who = names(item.member_id) if names and item.member_id else ""
        facts = [short_day(item.day), item.label]
        if who:
            facts.append(who)
        if everywhere:
            facts.append(self._names.get(item.group_id, "another group"))
        first = Content.assemble(
            (literal(" · ".join(facts))).stylize("bold"), private_tag(item.private)
        )
        return Content("\n").join([first, Content("  ") + marked_line(item.text, hit.marks)])

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Correcting acts on the selected result: shown while the results have focus.
        if action in ("correct", "remove"):
            return isinstance(self.focused, OptionList) and self._selected_item() is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def _selected_item(self) -> SearchItem | None:
        results = self.query_one("#search-results", OptionList)
        index = results.highlighted
        if index is None or not 0 <= index < len(self.hits):
            return None
        return self.hits[index].item

    def action_correct(self) -> None:
        item = self._selected_item()
        if item is not None:
            edit_item(self, item, self.drafts, self._reload)

    def action_remove(self) -> None:
        item = self._selected_item()
        if item is not None:
            remove_item(self, item, self._reload)

    def _reload(self) -> None:
        """After a correction: this group read again, and the search run again."""
        self.corrected = True
        try:
            self.data = load_group_history(
                self.peersession.store, self.data.group.id, self.today(), self.data.viewer
            )
        except UserError as error:
            self.peersession.report(error)
            return
        self.start_search()

    @on(OptionList.OptionHighlighted, "#search-results")
    def _more_at_the_end(self, event: OptionList.OptionHighlighted) -> None:
        """The cursor on the last result of a full page: the next page listed."""
        if event.option_index == len(self.hits) - 1 and len(self.hits) == self.listed:
            self.listed += PAGE
            self._run_search(keep=event.option_index)

    def action_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()

    def action_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_clear(self) -> None:
        self.query_one("#search-member", Select).clear()
        self.query_one("#search-kind", Select).clear()
        self.query_one("#search-since", Input).value = ""
        self.query_one("#search-until", Input).value = ""

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_results()

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        if hit.item.group_id == self.data.group.id:
            self.land(self.data, hit.item)
        else:
            self._load_and_land(hit.item)

    @work(thread=True, exclusive=True, group="history-search-land")
    def _load_and_land(self, item: SearchItem) -> None:
        try:
            data = load_group_history(self.peersession.store, item.group_id, self.today())
        except UserError as error:
            self.app.call_from_thread(self.peersession.report, error)
            return
        self.app.call_from_thread(self.land, data, item)

    def land(self, data: GroupHistory, item: SearchItem) -> None:
        """Open the session (or the member's timeline) with the item in view."""
        from .history_member import MemberScreen
        from .history_session import SessionScreen

        if item.session_id is not None:
            self.app.push_screen(SessionScreen(data, item.session_id, focus=item.target_id))
        elif item.member_id is not None:
            self.app.push_screen(MemberScreen(data, item.member_id, focus=item.target_id))
