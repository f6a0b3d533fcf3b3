"""Every key of the screen underneath, with its binding id, grouped by where it applies.

Built from :attr:`textual.screen.Screen.active_bindings` (public API): the keys
in effect now, from the focused part (a phase of the meeting) up through the
screen (the whole meeting) to the app, with the user's ``[keymap]`` already
applied. The ids are what ``[keymap]`` in config.toml takes;
``peersession keys`` lists every one, on every screen.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from ..keymap import place_of


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

    def groups(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """``(where, [(keys, description, id)])``, nearest first: the focused
        part, the screen, the app. Each id once, its keys together."""
        by_node: dict[DOMNode, dict[str, tuple[list[str], str]]] = {}
        for active in self.underneath.active_bindings.values():
            binding = active.binding
            # Ours all carry an id; Textual's own scrolling and focus keys do not.
            if binding.id is None or not binding.description:
                continue
            ids = by_node.setdefault(active.node, {})
            keys, _ = ids.setdefault(binding.id, ([], binding.description))
            shown = self.app.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)
        shown_ids: set[str] = set()
        groups: list[tuple[str, list[tuple[str, str, str]]]] = []
        for node, ids in by_node.items():
            rows = [
                (" ".join(keys), description, binding_id)
                for binding_id, (keys, description) in ids.items()
                if binding_id not in shown_ids
            ]
            shown_ids.update(ids)
            if rows:
                groups.append((place_of(type(node)), rows))
        return groups

    def _keys(self) -> Content:
        lines: list[Content] = [
            Content.assemble(
                ("Keys here", "bold"),
                "  (esc closes; to change one, put its id under [keymap] in config.toml;"
                " `peersession keys` lists every screen's)",
            )
        ]
        for where, rows in self.groups():
            lines.append(Content.assemble("\n", (where, "bold underline")))
            for keys, description, binding_id in rows:
                lines.append(
                    Content.assemble(
                        (f"{keys:>12}", "bold"),
                        "  ",
                        f"{description:<22}",
                        " ",
                        (binding_id, "dim"),
                    )
                )
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
