"""Every key of the screen underneath, generated from its bindings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
    ]

    def __init__(self, underneath: Screen[object]) -> None:
        super().__init__()
        self.underneath = underneath

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-dialog"):
            yield Static(self._keys())
        yield Footer()

    def _keys(self) -> Content:
        lines: list[Content] = [Content.from_markup("[b]Keys[/b]  (esc closes)\n")]
        seen: set[str] = set()
        for binding in self._all_bindings():
            # Our bindings all carry an id; Textual's own scrolling keys do not.
            if binding.id is None or not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            key = self.app.get_key_display(binding)
            lines.append(Content.assemble((f"{key:>12}", "bold"), "  ", binding.description))
        return Content("\n").join(lines)

    def _all_bindings(self) -> list[Binding]:
        """The bindings of every widget on the screen underneath (each phase's
        panel has its own), then the screen's and the app's."""
        screen = self.underneath
        nodes = [*screen.walk_children(with_self=False), screen, self.app]
        found: list[Binding] = []
        for node in nodes:
            for bindings in node._bindings.key_to_bindings.values():
                found.extend(bindings)
        return found

    def action_close(self) -> None:
        self.dismiss(None)
