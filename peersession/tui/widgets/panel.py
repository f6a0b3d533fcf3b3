"""The base of every phase panel on the meeting screen.

A panel shows one phase of the meeting and turns its own keys into
facilitator actions. It never changes the meeting itself: it posts
:class:`PhasePanel.Acted` (an action to journal) or :class:`PhasePanel.Wants`
(a form to open), and the meeting screen does the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal, get_args

from pendulum import DateTime
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core import events as ev
from ...core.engine import Meeting
from ..private_marker import PRIVATE_TAG as PRIVATE_TAG  # kept here for the meeting's widgets
from ..private_marker import private_tag as private_tag
from ..text import template

#: The facilitator's forms a key or a panel can ask for (the meeting screen's
#: ``MeetingForms.open_form`` opens each: mypy checks it handles every one).
FormName = Literal[
    "ask",
    "commitment",
    "note",
    "win",
    "renegotiate",
    "outcome",
    "extension",
    "next_date",
    "role",
    "requests",
    "goal_note",
]
FORMS: tuple[FormName, ...] = get_args(FormName)


def form_name(what: str) -> FormName:
    """``what`` (a key's action argument, a string to Textual) as a form's name."""
    for name in FORMS:
        if name == what:
            return name
    raise ValueError(f"no form called {what!r}")


def refill(options: OptionList, rows: Iterable[Option]) -> None:
    """Replace the rows of a list, keeping the highlight on the same id."""
    highlighted = options.highlighted_option
    keep = highlighted.id if highlighted is not None else None
    options.set_options(list(rows))
    if keep is not None:
        try:
            options.highlighted = options.get_option_index(keep)
            return
        except Exception:  # the highlighted row is gone: fall through to the first
            pass
    if options.option_count:
        options.highlighted = 0


class PhasePanel(Vertical):
    """One phase's part of the meeting screen."""

    can_focus = True

    class Acted(Message):
        """The facilitator did something in this panel."""

        def __init__(self, action: ev.Action) -> None:
            super().__init__()
            self.action = action

    class Wants(Message):
        """A form should open (``what``: ask, commitment, win, renegotiate, ...)."""

        def __init__(self, what: FormName, target: str | None = None) -> None:
            super().__init__()
            self.what = what
            self.target = target

    #: The widget that should have focus while this panel is shown.
    focus_target: str | None = None

    class HintChanged(Message):
        """The panel's keys changed with no action (a view inside it toggled)."""

        def __init__(self, hint: Content) -> None:
            super().__init__()
            self.hint = hint

    def act(self, action: ev.Action) -> None:
        self.post_message(self.Acted(action))

    def hint_changed(self) -> None:
        """Say the keys again: the screen sets its hint line after actions only."""
        self.post_message(self.HintChanged(self.hint()))

    def want(self, what: FormName, target: str | None = None) -> None:
        self.post_message(self.Wants(what, target))

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        """Show the meeting's current state (called after every action)."""

    def private_item(self, meeting: Meeting) -> str | None:
        """The id of the item ``!`` marks private here: the highlighted row, else what
        is being spoken about (the speaker's last note, the ask in the hot seat), else
        the last session note."""
        members = {m.id for m in meeting.setup.group.members}
        for options in self.query(OptionList):
            option = options.highlighted_option
            # A member's row (attendance, ratings) is not an item to mark.
            if (
                option is not None
                and option.id
                and not option.disabled
                and option.id not in members
            ):
                return option.id
        if meeting.speaker and meeting.turns[meeting.speaker].notes:
            return meeting.turns[meeting.speaker].notes[-1].id
        if meeting.current_ask:
            return meeting.current_ask
        # Else the note just taken on the session at large.
        return meeting.session_notes[-1].id if meeting.session_notes else None

    def private_help(self) -> str:
        """What to do when ``!`` has nothing to act on."""
        return "Highlight a note, ask, win or commitment to mark it private."

    def hint(self) -> Content:
        """One line of the keys that matter in this phase."""
        return Content("")

    @staticmethod
    @cache
    def keys(*pairs: tuple[str, str]) -> Content:
        """The pairs as one line (kept: the same few lines are asked for after every key)."""
        parts = [template("[b]$k[/b] $d", k=key, d=desc) for key, desc in pairs]
        return Content("   ").join(parts)
