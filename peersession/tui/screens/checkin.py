"""A member's quick check-in: pick yourself, one key per commitment, enter.

Two stages. *Pick*: type the first letters of your name; a unique match picks
at once, enter picks the highlighted one (skipped when the member is given).
*Answers*: your open commitments, one key each (``d`` done, ``h`` half,
``n`` not yet, ``x`` drop), moving on after each; ``u`` for a one-line update,
a digit for energy, ``p`` for private, ``enter`` saves. A member with two
open commitments is done in four or five key presses.

Only the update's input ever takes the focus. Every other key goes to the
screen itself, through one queue in the order it was typed: keys typed ahead
(``a d h 4 enter`` in one burst) are applied in order, never a save before
the answers. Nothing typed is lost by a stray key: escape asks before
discarding answers, and saving goes through
:func:`peersession.core.checkin.build_checkin`, which checks everything before
:meth:`HistoryStore.check_in` writes it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList, Static

from ...core.checkin import (
    CheckinAnswers,
    CheckinError,
    build_checkin,
    describe_checkin,
    fold,
    match_members,
)
from ...core.clock import local_date
from ...core.due_soon import DueOutlook, due_outlook
from ...core.ids import new_id
from ...core.model import Group, Member
from ...core.record_values import ReviewStatus
from ...core.slot import machine_zone
from ...core.slot_labels import next_meeting_text
from ...errors import UserError
from ..text import template
from ..widgets.panel import refill
from .checkin_keys import ANSWER_ACTIONS, CHECKIN_BINDINGS, PICK_ACTIONS
from .checkin_view import (
    Choices,
    answer_rows,
    answers_intro,
    checkin_layout,
    energy_line,
    member_rows,
    private_line,
    progress_line,
    title_line,
    typed_line,
)
from .confirm import ConfirmScreen

if TYPE_CHECKING:
    from ...core.session_records import Commitment
    from ..app import PeersessionApp


class CheckinScreen(Screen[None]):
    # The screen brings its own stylesheet (every rule scoped to CheckinScreen),
    # so the app's CSS_PATH need not list it.
    CSS_PATH = "../checkin.tcss"
    # Nothing is focused unless the update is being typed (see the docstring).
    AUTO_FOCUS = ""
    BINDINGS = CHECKIN_BINDINGS

    def __init__(self, group_id: str | None, member_id: str | None, *, exit_after: bool) -> None:
        super().__init__()
        self.group_id = group_id
        self.member_id = member_id
        #: Started by ``peersession checkin``: leaving the screen ends the app.
        self.exit_after = exit_after
        self.group: Group | None = None
        self.member: Member | None = None
        self.commitments: list[Commitment] = []
        self.typed = ""
        self.answers: dict[str, ReviewStatus] = {}
        self.energy: int | None = None
        self.private = False
        #: The rest of an auto-picked name (folded): typing "an" for Ana picks
        #: her at "a", and the "n" must not then answer "not yet".
        self._name_tail = ""
        #: When the group's last session started (the index's summary): that
        #: day's meeting was held, so the header names the one after it.
        self.last_session: str | None = None

    @property
    def peersession(self) -> PeersessionApp:
        return cast("PeersessionApp", self.app)

    @property
    def stage(self) -> str:
        return "answers" if self.member is not None else "pick"

    def compose(self) -> ComposeResult:
        yield from checkin_layout()

    def on_mount(self) -> None:
        store = self.peersession.store
        try:
            self.group = store.find_group(self.group_id) if self.group_id else store.only_group()
            self.commitments = store.commitments(self.group.id)
            summary = store.summaries().get(self.group.id)
            self.last_session = summary.last_session_at if summary else None
        except UserError as error:
            self.peersession.report(error)
            self._leave()
            return
        if self.member_id is not None:
            preset = next((m for m in self.group.active_members if m.id == self.member_id), None)
            if preset is not None:
                self._pick(preset)
                return
            self.notify("That member is not in this group: pick yourself.", markup=False)
        self._show_title()
        self._show_typed()

    # -- pick -------------------------------------------------------------------------

    def _show_title(self) -> None:
        assert self.group is not None
        when = None
        if self.group.slot is not None:
            # In the group's zone, with this machine's time when it is elsewhere.
            now = self.peersession.clock.now()
            when = next_meeting_text(self.group, now, machine_zone(), self.last_session)
        line = title_line(self.group, self.member, self.private, next_meeting=when)
        self.query_one("#checkin-title", Static).update(line)

    def _show_typed(self) -> None:
        """The letters typed so far, and the members whose names start with them."""
        assert self.group is not None
        self.query_one("#pick-typed", Static).update(typed_line(self.typed))
        members = match_members(self.group.active_members, self.typed)
        rows = member_rows(members, self.commitments, self.typed)
        refill(self.query_one("#pick-members", Choices), rows)

    def on_key(self, event: events.Key) -> None:
        """Typed letters: the name being picked, or the rest of an auto-picked one."""
        char = event.character
        if self.stage == "pick":
            if char and event.is_printable and self._type(char):
                event.stop()
                event.prevent_default()
            return
        if not self._name_tail or self._note_focused():
            return
        if char and fold(char) == self._name_tail[:1]:
            self._name_tail = self._name_tail[1:]
            self._hint(
                template(
                    "“$char” read as the rest of your name: press it again to answer.", char=char
                )
            )
            event.stop()
            event.prevent_default()
        else:
            self._name_tail = ""

    def on_paste(self, event: events.Paste) -> None:
        if self.stage == "pick" and not self._note_focused():
            for char in event.text:
                if self.stage != "pick" or not self._type(char):
                    break

    def _type(self, char: str) -> bool:
        """Add a letter to the name; False (and not added) if no name starts so."""
        assert self.group is not None
        typed = self.typed + char
        matches = match_members(self.group.active_members, typed)
        if not matches:
            self._hint(template("No name starts with “$typed”.", typed=typed))
            return False
        if len(matches) == 1:
            self._pick(matches[0], typed=typed)
            return True
        self.typed = typed
        self._hint(Content(""))
        self._show_typed()
        return True

    def action_erase(self) -> None:
        self.typed = self.typed[:-1]
        self._show_typed()

    def action_move(self, step: int) -> None:
        choices = self.query_one(
            "#commitments" if self.stage == "answers" else "#pick-members", Choices
        )
        if choices.option_count and choices.highlighted is not None:
            choices.highlighted = max(0, min(choices.option_count - 1, choices.highlighted + step))
        elif choices.option_count:
            choices.highlighted = 0

    def action_pick(self) -> None:
        assert self.group is not None
        option = self.query_one("#pick-members", Choices).highlighted_option
        if option is None or option.disabled or option.id is None:
            self._hint(Content("No one to pick: type the first letters of a name."))
            return
        self._pick(self.group.member(option.id))

    @on(OptionList.OptionSelected, "#pick-members")
    def _clicked_name(self, event: OptionList.OptionSelected) -> None:
        if self.group is not None and event.option.id is not None:
            self._pick(self.group.member(event.option.id))

    def _pick(self, member: Member, *, typed: str = "") -> None:
        self.member = member
        self.typed = ""
        self.answers = {}
        self.energy = None
        self.private = False
        self.query_one("#note", Input).value = ""
        self._name_tail = fold(member.name)[len(fold(typed)) :] if typed else ""
        self.query_one("#checkin-stage", ContentSwitcher).current = "answers"
        mine = self._mine()
        pressing = self._outlook().headline()
        self.query_one("#answers-intro", Static).update(answers_intro(bool(mine), pressing))
        self._show_title()
        self._show_answers()
        self._show_energy()
        self._show_private()
        self.query_one("#commitments", Choices).highlighted = 0 if mine else None
        self._hint(template("Checking in as [b]$name[/b].  enter saves.", name=member.name))
        self.refresh_bindings()

    def _unpick(self) -> None:
        self.member = None
        self._name_tail = ""
        self.typed = ""
        self.query_one("#checkin-stage", ContentSwitcher).current = "pick"
        self._show_title()
        self._show_typed()
        self._hint(Content(""))
        self.refresh_bindings()

    # -- answers -----------------------------------------------------------------------

    def _outlook(self) -> DueOutlook:
        assert self.member is not None
        return due_outlook(self.commitments, self.member.id, self._today(), owner=self.member)

    def _today(self) -> date:
        return local_date(self.peersession.clock.now())

    def _mine(self) -> list[Commitment]:
        """The member's open commitments, overdue and due soon first."""
        return self._outlook().in_order

    def _show_answers(self) -> None:
        refill(
            self.query_one("#commitments", Choices),
            answer_rows(self._mine(), self.answers, self._today(), self.member),
        )

    def _show_energy(self) -> None:
        self.query_one("#energy", Static).update(energy_line(self.energy))

    def _show_private(self) -> None:
        self.query_one("#private", Static).update(private_line(self.private))
        self._show_title()

    def _hint(self, content: Content) -> None:
        self.query_one("#checkin-hint", Static).update(content)

    def _progress(self) -> Content:
        return progress_line(len(self.answers), len(self._mine()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PICK_ACTIONS:
            return self.stage == "pick"
        if action in ANSWER_ACTIONS:
            # While the update is typed its input takes the keys; the footer says so.
            return self.stage == "answers" and not self._note_focused()
        return True

    def _note_focused(self) -> bool:
        return self.focused is not None and self.focused.id == "note"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.refresh_bindings()

    def _highlighted_commitment(self) -> str | None:
        option = self.query_one("#commitments", Choices).highlighted_option
        return option.id if option is not None and not option.disabled else None

    def action_answer(self, status: ReviewStatus) -> None:
        commitment_id = self._highlighted_commitment()
        if commitment_id is None:
            self._hint(Content("No open commitments to answer: u adds an update, 1-5 energy."))
            return
        self.answers[commitment_id] = status
        self._show_answers()
        options = self.query_one("#commitments", Choices)
        index = options.get_option_index(commitment_id)
        if index + 1 < options.option_count:
            options.highlighted = index + 1
        self._hint(self._progress())

    def action_clear_answer(self) -> None:
        commitment_id = self._highlighted_commitment()
        if commitment_id is not None and self.answers.pop(commitment_id, None) is not None:
            self._show_answers()
            self._hint(self._progress())

    def action_focus_note(self) -> None:
        # Now, not after a refresh as Widget.focus() does: the next key may
        # already be waiting, and it belongs in the update.
        self.set_focus(self.query_one("#note", Input))
        self._hint(Content("Type your update.  enter or esc: back to the answers (kept)."))

    @on(Input.Submitted, "#note")
    def _end_note(self) -> None:
        self.set_focus(None)
        self._hint(self._progress())

    def action_energy(self, energy: int) -> None:
        self.energy = energy or None
        self._show_energy()

    def action_toggle_private(self) -> None:
        self.private = not self.private
        self._show_private()

    # -- saving and leaving ---------------------------------------------------------

    def _has_answers(self) -> bool:
        note = self.query_one("#note", Input).value
        return bool(self.answers or note.strip() or self.energy is not None or self.private)

    def action_save(self) -> None:
        assert self.group is not None and self.member is not None
        store = self.peersession.store
        answers = CheckinAnswers(
            member_id=self.member.id,
            statuses=dict(self.answers),
            note=self.query_one("#note", Input).value,
            energy=self.energy,
            private=self.private,
        )
        try:
            # Fresh from disk, under the lock: another terminal may have closed a
            # commitment since.
            group, moment = self.group, self.peersession.clock.now()
            checkin = store.check_in(
                group.id,
                lambda commitments: build_checkin(
                    group, answers, commitments, checkin_id=new_id(), at=moment
                ),
            )
        except CheckinError as error:
            self.notify(str(error), severity="warning", markup=False, timeout=6)
            return
        except UserError as error:
            self.peersession.report(error)
            return
        if not self.exit_after:
            self.notify(describe_checkin(checkin, self.group), markup=False)
        self._leave()

    def action_back(self) -> None:
        if self.stage == "pick":
            if self.typed:
                self.typed = ""
                self._show_typed()
            else:
                self._leave()
            return
        if self._note_focused():
            self._end_note()
            return
        if not self._has_answers():
            if self.member_id is None:
                self._unpick()
            else:
                self._leave()
            return
        assert self.member is not None

        def answered(discard: bool | None) -> None:
            if discard:
                self._leave()

        question = template(
            "[b]Discard $name's check-in?[/b]\n\nNothing has been saved yet.",
            name=self.member.name,
        )
        self.app.push_screen(ConfirmScreen(question), answered)

    def _leave(self) -> None:
        if self.exit_after:
            self.app.exit()
        else:
            self.dismiss(None)
