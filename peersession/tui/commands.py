"""peersession's own commands in the command palette (ctrl+p) on the home and
history screens: start a session, a quick round, the history, a check-in, and
a recap exported to a file, for each group.

A :class:`textual.command.Provider`, listed in the app's ``COMMANDS``. On the
home screen the highlighted group's commands are offered before anything is
typed; typing searches every group's. On a group's history, that group's.
Group names are people's text: they are shown as :class:`Content` (never
markup) with the matched letters highlighted here, because Textual's
``Matcher.highlight`` parses its argument as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from ..core.model import Group
from ..errors import UserError
from .text import visible

if TYPE_CHECKING:
    from .app import PeersessionApp


@dataclass(frozen=True)
class GroupCommand:
    """One palette entry: ``Start a session: Thursday Circle``."""

    title: str
    help: str
    run: Callable[[], None]


def group_commands(app: App[Any], group: Group) -> list[GroupCommand]:
    """What the palette offers for ``group``, in the order it lists them."""
    host = cast("PeersessionApp", app)
    name = visible(" ".join(group.name.split()))
    return [
        GroupCommand(
            f"Start a session: {name}",
            "Start (or resume) this group's session",
            partial(host.open_session, group.id),
        ),
        GroupCommand(
            f"Quick round: {name}",
            "Attendance, short updates, commitments",
            partial(host.open_session, group.id, "quick"),
        ),
        GroupCommand(
            f"History: {name}",
            "Past sessions, members, figures",
            partial(host.open_history, group.id),
        ),
        GroupCommand(
            f"Check in: {name}",
            "A member's check-in on their open commitments",
            partial(host.open_checkin, group.id),
        ),
        GroupCommand(
            f"Export a recap: {name}",
            "The last session's recap as Markdown, in the current folder (private items left out)",
            partial(export_last_recap, app, group.id),
        ),
    ]


def export_last_recap(app: App[Any], group_id: str) -> None:
    """Write the group's last session's recap as Markdown into the current
    folder, as ``x`` does on a session in the history (private items left out)."""
    host = cast("PeersessionApp", app)
    from pathlib import Path

    from ..core.model import parse_datetime_doc
    from ..core.slot import machine_zone
    from ..exports.recap_file import write_session_recap
    from ..store.goals import goals

    try:
        group = host.store.find_group(group_id)
        sessions = host.store.sessions(group.id)
        if not sessions:
            raise UserError(f"{group.name} has no finished session yet")
        session = sessions[-1]
        # The day where the group meets, as the history names the same file.
        zone = group.slot.zone if group.slot is not None else machine_zone()
        day = parse_datetime_doc(session.started_at).in_timezone(zone).date()
        target = write_session_recap(
            Path.cwd(),
            host.store.root,
            group,
            session,
            host.store.commitments(group.id),
            day,
            goals(host.store, group.id),
        )
    except UserError as error:
        host.report(error)
        return
    app.notify(f"Wrote {target} (private items left out)", title="Exported", markup=False)


class GroupCommands(Provider):
    """The commands of the home screen's and the history's groups."""

    @property
    def peersession(self) -> PeersessionApp:
        return cast("PeersessionApp", self.app)

    def _groups(self) -> tuple[list[Group], str | None]:
        """The groups to offer, and the one the screen is about (shown first)."""
        from .screens.history import HistoryScreen
        from .screens.home import HomeScreen

        screen = self.screen
        try:
            if isinstance(screen, HomeScreen):
                return self.peersession.store.groups(), screen.selected_group()
            if isinstance(screen, HistoryScreen) and screen.data is not None:
                return [screen.data.group], screen.data.group.id
        except UserError:
            # The home screen already reported an unreadable index.
            return [], None
        return [], None

    def _commands(self) -> tuple[list[GroupCommand], list[GroupCommand]]:
        groups, current = self._groups()
        here = [c for g in groups if g.id == current for c in group_commands(self.app, g)]
        others = [c for g in groups if g.id != current for c in group_commands(self.app, g)]
        return here, others

    async def discover(self) -> Hits:
        here, _ = self._commands()
        for command in here:
            yield DiscoveryHit(Content(command.title), command.run, command.title, command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        here, others = self._commands()
        for command in [*here, *others]:
            score, offsets = matcher.fuzzy_search.match(matcher.query, command.title)
            if score > 0:
                shown = Content(command.title)
                for offset in offsets:
                    shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, command.run, command.title, command.help)
