"""Small pickers: which group's history, which member's timeline."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from ...core.model import IndexedGroup
from ...core.words import plural
from ..text import literal
from .history_data import GroupHistory


class _Picker(ModalScreen[str | None]):
    """A list to choose one entry from; enter picks, escape cancels."""

    CSS_PATH = "../history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="history.picker.cancel"),
    ]

    def __init__(self, title: str, options: list[Option]) -> None:
        super().__init__()
        self.picker_title = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static(Content.styled(self.picker_title, "bold"))
            yield OptionList(*self.options, id="picker-options")
            yield Static(Content.styled("enter choose · esc cancel", "dim"))
        yield Footer(compact=True, show_command_palette=False)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class GroupPickerScreen(_Picker):
    """Which group's history to open, when there are several."""

    def __init__(self, groups: list[IndexedGroup]) -> None:
        options = []
        for group in groups:
            summary = group.summary
            facts = f"  {plural(summary.sessions, 'session')} · {summary.open_commitments} open"
            options.append(
                Option(Content.assemble(literal(group.name), (facts, "dim")), id=group.id)
            )
        super().__init__("Whose history?", options)


class MemberPickerScreen(_Picker):
    """Whose timeline to open, with each member's headline figure."""

    def __init__(self, data: GroupHistory) -> None:
        options = []
        for member in data.group.members:
            figures = data.member_figures(member.id)
            facts = (
                f"  done {figures.completion.label()} · "
                f"attended {figures.attendance.percent()} · open {figures.open_count}"
            )
            options.append(
                Option(Content.assemble(literal(member.name), (facts, "dim")), id=member.id)
            )
        super().__init__("Whose timeline?", options)
