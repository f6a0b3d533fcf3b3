"""The facilitator's console: the phase's panel, one notice line, the hint line.

It sits beside the room view on wide screens and below it on narrow ones;
forms, votes and confirmations open over it (see ``screens/form_host.py``),
never over the room view. Notices take one line at its top: a new one
replaces the last, and it clears itself, so notices never stack over
content.
"""

from __future__ import annotations

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Static

from ...core.engine import Meeting
from ...core.phases import PhaseKind
from ..text import literal, one_line
from .panel import PhasePanel
from .phase_screens import screens_of

SEVERITY_SIGNS = {"information": "●", "warning": "▲", "error": "■"}


class Console(Vertical):
    """What only the facilitator needs: the phase's list and its keys."""

    def __init__(self, kinds: tuple[PhaseKind, ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kinds = kinds
        self._clear_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="notice", markup=False)
        with ContentSwitcher(id="panels"):
            for kind in self.kinds:
                panel = screens_of(kind).panel(id=f"panel-{kind.name}", classes="phase-panel")
                panel.border_title = kind.title
                yield panel

    def on_mount(self) -> None:
        self.query_one("#notice", Static).display = False

    def panel(self, kind: PhaseKind) -> PhasePanel:
        return self.query_one(f"#panel-{kind.name}", PhasePanel)

    def show(self, meeting: Meeting, now: DateTime) -> PhasePanel:
        """Show the current phase's panel, refreshed; returns it."""
        panel = self.panel(meeting.phase)
        panel.refresh_from(meeting, now)
        switcher = self.query_one("#panels", ContentSwitcher)
        if switcher.current != panel.id:
            switcher.current = panel.id
        return panel

    def notice(self, text: str, severity: str = "information", timeout: float = 5.0) -> None:
        """One line at the top of the console; replaces the last, clears after ``timeout``."""
        line = self.query_one("#notice", Static)
        sign = SEVERITY_SIGNS.get(severity, "●")
        line.update(Content.assemble((f"{sign} ", "bold"), literal(one_line(text, 300))))
        line.set_classes(f"-{severity}")
        line.display = True
        if self._clear_timer is not None:
            self._clear_timer.stop()
        self._clear_timer = self.set_timer(timeout, self.clear_notice)

    def clear_notice(self) -> None:
        self.query_one("#notice", Static).display = False

    @property
    def notice_text(self) -> str:
        line = self.query_one("#notice", Static)
        if not line.display:
            return ""
        content = line.render()
        return content.plain if isinstance(content, Content) else str(content)


class KeyFooter(Static):
    """The essential keys, fitted to one line: pause, next, help, end, quit.

    Textual's footer lists every key of the focused panel too, and at 80
    columns cuts the line mid-word. This one shows a fixed, short list, read
    from the bindings by id (so a remapped key shows as remapped) and shortened
    to the width rather than cut.
    """

    DEFAULT_CSS = """
    KeyFooter { height: 1; padding: 0 1; background: $footer-background; }
    """

    def __init__(self, binding_ids: tuple[str, ...], *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.binding_ids = binding_ids

    def on_mount(self) -> None:
        self.update(self.keys_line())

    def on_resize(self) -> None:
        self.update(self.keys_line())

    def _bindings_by_id(self) -> dict[str, Binding]:
        found: dict[str, Binding] = {}
        for node in (self.screen, self.app):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if binding.id and binding.id not in found:
                        found[binding.id] = binding
        return found

    def keys_line(self) -> Content:
        bindings = self._bindings_by_id()
        pairs = [
            (self.app.get_key_display(bindings[i]), bindings[i].description)
            for i in self.binding_ids
            if i in bindings
        ]
        pairs.append(("^p", "more keys"))

        def line(short: bool) -> Content:
            parts = [
                Content.assemble((key, "bold"), " ", desc.split(" ")[0] if short else desc)
                for key, desc in pairs
            ]
            return Content("  ").join(parts)

        full = line(short=False)
        width = self.size.width - 2 if self.size.width else 78
        return full if full.cell_length <= width else line(short=True)
