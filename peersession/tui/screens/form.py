"""Small modal forms (an ask, a commitment, a note...) that never lose what was typed.

A form is described by a list of :class:`Field`. ``escape`` closes it but
keeps a draft, and opening the same form again restores it, with the cursor
in the field it was in; the draft is cleared only once the action it
produces has been saved. A value the form can check itself (a duration, a
date) is refused in the form, with the message under the fields, and the form
stays open; the message goes as soon as what was typed is right.

Docked in a short space (the console at 80x24), a form is laid out compact:
each label beside its field, no blank rows, so the whole form is in sight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any, ClassVar, Literal

from rich.segment import Segment
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Checkbox, Footer, Input, Label, Select, SelectionList, Static
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from ..text import literal, visible
from ..widgets.text_input import TextInput

FieldKind = Literal["text", "choice", "check", "multi"]
Values = dict[str, Any]
#: Where a draft keeps the field the cursor was in (no field's name starts with "_").
FOCUS_KEY = "_focus"
#: Checks the values; returns an error message, or None when they are fine.
Validator = Callable[[Values], str | None]


@dataclass
class Field:
    name: str
    label: str
    kind: FieldKind = "text"
    value: Any = None
    #: (label, value) pairs for ``choice`` and ``multi``; labels are user text.
    options: list[tuple[str, str]] = field(default_factory=list)
    placeholder: str = ""


class PrivacyCheckbox(Checkbox, inherit_bindings=False):
    """A checkbox whose state is a shape (✓ or blank), not only a colour:
    the stock one shows X either way, which monochrome screens cannot tell apart."""

    # Space ticks it; enter is left to the form, where it saves (as in the text fields).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_button", "Toggle", show=False, id="form.toggle"),
    ]

    def __init__(self, label: Content, value: bool, id: str) -> None:
        super().__init__(label, value, id=id)
        self._show_state()

    def watch_value(self) -> None:
        super().watch_value()
        self._show_state()

    def _show_state(self) -> None:
        # Textual reads the class constant BUTTON_INNER when it renders the
        # button; set it per instance to follow the value.
        self.BUTTON_INNER = "✓" if self.value else " "


class TypeSelect(Select[str]):
    """A choice that typing picks from without opening it: ``gr`` chooses Grace.

    Letters typed within a second of each other build one search; a name that
    starts with it wins over one that merely contains it.
    """

    SEARCH_PAUSE = 1.0

    def __init__(self, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__([(literal(label), value) for label, value in options], **kwargs)
        self._choices = [(visible(label).casefold(), value) for label, value in options]
        self._query = ""
        self._typed_at = 0.0

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if self.expanded or character is None or not event.is_printable:
            return
        if character == " " and not self._query:
            return  # space opens the list, as usual
        now = monotonic()
        if now - self._typed_at > self.SEARCH_PAUSE:
            self._query = ""
        self._typed_at = now
        self._query += character.casefold()
        starts = [v for label, v in self._choices if label.startswith(self._query)]
        contains = [v for label, v in self._choices if self._query in label]
        found = starts or contains
        if found:
            self.value = found[0]
        else:
            self.notify(f"No choice matches {self._query!r}.", markup=False, timeout=2)
        event.stop()
        event.prevent_default()


class TickList(SelectionList[str]):
    """A multiple choice whose ticks are a shape (✓ or blank), like PrivacyCheckbox:
    the stock list draws X on every row, ticked or not, which reads as ticked.

    Space ticks; enter saves the form, as in every other field (the stock list
    toggled the row on enter, so space then enter left nobody ticked).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "screen.submit", "Save", id="form.list_save", show=False),
    ]

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        # The stock row starts with the button: left side, inner mark, right side.
        if len(segments) < 3 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        mark = "✓" if selection.value in self.selected else " "
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)


class FormScreen(ModalScreen[Values | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Save", id="form.save", priority=True),
        Binding("enter", "submit", "Save", id="form.enter", show=False),
        Binding("escape", "cancel", "Close (keeps draft)", id="form.cancel"),
        # Tab moves down the fields and stops at the last one: wrapping round
        # put a due date typed after one Tab too many into the text above.
        Binding("tab", "field(1)", "Next field", id="form.next_field", show=False, priority=True),
        Binding(
            "shift+tab",
            "field(-1)",
            "Previous field",
            id="form.previous_field",
            show=False,
            priority=True,
        ),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        *,
        drafts: dict[str, Values],
        draft_key: str,
        validate: Validator | None = None,
        intro: str = "",
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.drafts = drafts
        self.draft_key = draft_key
        self.validate = validate
        self.intro = intro
        #: True while the form shows a message about what was typed.
        self.error_shown = False
        draft = drafts.get(draft_key, {})
        for spec in fields:
            if spec.name in draft:
                spec.value = draft[spec.name]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form", can_focus=False):
            # The title, and what the form is about on the same line (it wraps
            # when long; a compact form cuts it, to keep its fields in sight).
            intro = Content.styled(f"  {visible(self.intro)}", "dim") if self.intro else ""
            yield Static(Content.assemble((self.form_title, "bold"), intro), classes="form-heading")
            for spec in self.fields:
                yield from self._widgets_for(spec)
            error = Static("", id="form-error", classes="form-error")
            error.display = False  # no blank row while there is nothing to say
            yield error
            yield Static(
                Content.from_markup(
                    "[b]enter[/b] save   [b]tab[/b] next field, stops at the last   "
                    "[b]esc[/b] close (draft kept)"
                ),
                classes="form-keys",
            )
        yield Footer()

    def _widgets_for(self, spec: Field) -> ComposeResult:
        widget_id = f"field-{spec.name}"
        if spec.kind == "check":
            yield PrivacyCheckbox(Content(spec.label), value=bool(spec.value), id=widget_id)
            return
        # A choice picks by typing (see TypeSelect): say so where it is asked.
        hint = "  (type to pick)" if spec.kind == "choice" else ""
        with Vertical(classes="form-field"):
            yield Label(
                Content.assemble(spec.label, Content.styled(hint, "dim")), classes="form-label"
            )
            yield from self._input_for(spec, widget_id)

    def _input_for(self, spec: Field, widget_id: str) -> ComposeResult:
        if spec.kind == "text":
            yield TextInput(
                value=str(spec.value or ""),
                placeholder=spec.placeholder,
                id=widget_id,
                select_on_focus=False,
                compact=True,
            )
        elif spec.kind == "choice":
            yield TypeSelect(
                spec.options,
                value=spec.value if spec.value is not None else Select.NULL,
                allow_blank=spec.value is None,
                id=widget_id,
                compact=True,
            )
        elif spec.kind == "multi":
            chosen = set(spec.value or ())
            yield TickList(
                *(
                    Selection(literal(label), value, value in chosen)
                    for label, value in spec.options
                ),
                id=widget_id,
            )

    def on_mount(self) -> None:
        self.query_one(f"#field-{self._first_focus().name}").focus()

    def _first_focus(self) -> Field:
        """Where the cursor starts: the field it was in when the draft was kept,
        else the first one still needing an answer (a choice not made, an empty
        text), else the first field."""
        names = {spec.name: spec for spec in self.fields}
        was_in = self.drafts.get(self.draft_key, {}).get(FOCUS_KEY)
        if was_in in names:
            return names[was_in]
        return next(
            (f for f in self.fields if f.kind in ("text", "choice") and not f.value),
            self.fields[0],
        )

    def _focused_field(self) -> str | None:
        """The name of the field the cursor is in."""
        focused = self.focused
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if focused is not None and (focused is widget or widget in focused.ancestors):
                return spec.name
        return None

    def action_field(self, step: int) -> None:
        """Focus the next (or previous) field, stopping at the ends."""
        widgets = [self.query_one(f"#field-{spec.name}") for spec in self.fields]
        focused = self.focused
        current = next(
            (
                i
                for i, w in enumerate(widgets)
                if focused is not None and (focused is w or w in focused.ancestors)
            ),
            None,
        )
        if current is None:
            widgets[0].focus()
            return
        widgets[max(0, min(len(widgets) - 1, current + step))].focus()

    def values(self) -> Values:
        result: Values = {}
        for spec in self.fields:
            widget_id = f"#field-{spec.name}"
            if spec.kind == "text":
                result[spec.name] = self.query_one(widget_id, Input).value
            elif spec.kind == "check":
                result[spec.name] = self.query_one(widget_id, Checkbox).value
            elif spec.kind == "choice":
                value = self.query_one(widget_id, Select).value
                result[spec.name] = None if value is Select.NULL else value
            elif spec.kind == "multi":
                result[spec.name] = list(self.query_one(widget_id, SelectionList).selected)
        return result

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        """While a message is shown, check again as things change: it goes as
        soon as what was typed is right (or says what is wrong now), without
        waiting for the next enter. Nothing is said while typing otherwise."""
        if self.error_shown and self.validate is not None:
            self._show_error(self.validate(self.values()))

    def _show_error(self, problem: str | None) -> None:
        error = self.query_one("#form-error", Static)
        error.update(literal(problem) if problem else "")
        error.display = bool(problem)
        self.error_shown = bool(problem)

    def action_submit(self) -> None:
        values = self.values()
        problem = self.validate(values) if self.validate else None
        if problem:
            self._show_error(problem)
            return
        # The draft stays until the caller has saved the action (see keep_draft).
        self.drafts[self.draft_key] = values
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.drafts[self.draft_key] = {**self.values(), FOCUS_KEY: self._focused_field()}
        self.dismiss(None)


def member_options(members: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, id) pairs as form options, names shown literally."""
    return [(visible(name), member_id) for member_id, name in members]
