"""The live meeting: a big countdown, who is speaking, the phase at hand.

The screen only shows the meeting and turns keys into actions. Every action
goes through ``LiveSession.dispatch``, which returns once it is journaled on
disk; only then is the screen refreshed. Time shown is computed from the
clock on every refresh, never counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import ClassVar

from pendulum import DateTime
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static

from ...core import events as ev
from ...core.budget import Budget
from ...core.clock import local_date, local_time
from ...core.durations import format_clock, format_duration, parse_date, parse_duration
from ...core.engine import InvalidAction, Meeting
from ...core.ids import new_id
from ...core.model import WIN_KINDS
from ...core.templates import PHASE_TITLES
from ...errors import UserError
from ...store.live import LiveSession
from ..host import Host, host_of
from ..text import one_line, template
from ..widgets.panel import PhasePanel
from ..widgets.phases import ClosePanel, CommitmentsPanel, OpeningPanel, ReviewPanel, WinsPanel
from ..widgets.recap import RecapPanel
from ..widgets.talking import AsksPanel, UpdatesPanel
from ..widgets.timer import TimerPanel
from .confirm import ConfirmScreen
from .form import Field, FormScreen, Validator, Values

PANELS: dict[str, type[PhasePanel]] = {
    "opening": OpeningPanel,
    "wins": WinsPanel,
    "review": ReviewPanel,
    "updates": UpdatesPanel,
    "asks": AsksPanel,
    "commitments": CommitmentsPanel,
    "close": ClosePanel,
    "recap": RecapPanel,
}

TICK_SECONDS = 0.25


class MeetingScreen(Screen[None]):
    CSS_PATH = "../meeting.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-normal"), (140, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "pause", "Pause", id="meeting.pause"),
        Binding("n", "next", "Next", id="meeting.next"),
        Binding("p", "back", "Back", id="meeting.back"),
        Binding("plus,equals_sign", "adjust(60)", "+1m", id="meeting.more"),
        Binding("minus", "adjust(-60)", "-1m", id="meeting.less"),
        Binding("a", "form('ask')", "Ask", id="meeting.ask"),
        Binding("c", "form('commitment')", "Commit", id="meeting.commitment"),
        Binding("t", "form('note')", "Note", id="meeting.note"),
        Binding("w", "form('win')", "Win", id="meeting.win", show=False),
        Binding("l", "attendance", "Attendance", id="meeting.attendance", show=False),
        Binding(
            "exclamation_mark", "toggle_private", "Private on/off", id="meeting.private", show=False
        ),
        Binding("u,ctrl+z", "undo", "Undo", id="meeting.undo"),
        Binding(
            "greater_than_sign", "next_phase", "Next phase", id="meeting.next_phase", show=False
        ),
        Binding(
            "less_than_sign",
            "previous_phase",
            "Previous phase",
            id="meeting.previous_phase",
            show=False,
        ),
        Binding("e", "end", "End session", id="meeting.end", show=False),
    ]

    def __init__(self, live: LiveSession) -> None:
        super().__init__()
        self.live = live
        #: Unsaved form contents, by form: an accidental escape loses nothing.
        self.drafts: dict[str, Values] = {}
        self._last_state = ""
        self._shown_phase = ""

    @property
    def peersession(self) -> Host:
        return host_of(self.app)

    @property
    def meeting(self) -> Meeting:
        return self.live.meeting

    def now(self) -> DateTime:
        return self.live.clock.now()

    # -- layout -----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="topbar", markup=False)
        yield Static(id="phasebar", markup=False)
        with Horizontal(id="meeting-main"):
            yield TimerPanel(id="timer")
            with ContentSwitcher(id="panels"):
                for kind in self.meeting.setup.template.kinds:
                    yield PANELS[kind](id=f"panel-{kind}", classes="phase-panel")
        yield Static(id="hint", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_all()
        self.set_interval(TICK_SECONDS, self.tick)

    # -- refreshing ---------------------------------------------------------------

    def refresh_all(self) -> None:
        meeting = self.meeting
        now = self.now()
        switcher = self.query_one("#panels", ContentSwitcher)
        panel_id = f"panel-{meeting.phase}"
        panel = self.query_one(f"#{panel_id}", PhasePanel)
        panel.border_title = PHASE_TITLES[meeting.phase]
        panel.refresh_from(meeting, now)
        if switcher.current != panel_id:
            switcher.current = panel_id
        if self._shown_phase != meeting.phase:
            self._shown_phase = meeting.phase
            target = panel.query_one(panel.focus_target) if panel.focus_target else panel
            target.focus()
        self.query_one("#phasebar", Static).update(self._phasebar())
        self.tick()

    def tick(self) -> None:
        """Redraw what time changes: the countdown and the budget line."""
        meeting = self.meeting
        now = self.now()
        view = meeting.timer(now)
        budget = meeting.budget(now)
        timer = self.query_one(TimerPanel)
        timer.show(view, self._timer_title(), self._timer_detail(budget))
        if (
            view.state == "overtime"
            and self._last_state != "overtime"
            and self.peersession.settings.bell
        ):
            self.app.bell()
        self._last_state = view.state
        self.query_one("#topbar", Static).update(self._topbar(budget, now))
        hint = self.query_one("#hint", Static)
        if budget.hard_stop_warning:
            left = budget.until_hard_stop
            end = local_time(budget.planned_end).format("HH:mm")
            text = (
                f"▲ {format_clock(left)} to the planned end ({end})"
                if left > 0
                else f"■ past the planned end ({end}) by {format_clock(-left).lstrip('-')}"
            )
            hint.update(Content.styled(text, "bold $timer-warning"))
            hint.add_class("-warning")
        else:
            panel = self.query_one(f"#panel-{meeting.phase}", PhasePanel)
            hint.update(panel.hint())
            hint.remove_class("-warning")

    def _timer_title(self) -> str:
        meeting = self.meeting
        if meeting.phase == "updates" and meeting.speaker:
            done = sum(1 for t in meeting.turns.values() if t.finished)
            total = done + len(meeting.queue) + 1
            return f"Speaking · turn {done + 1} of {total}"
        if meeting.phase == "asks" and meeting.current_ask:
            return "Hot seat"
        return f"{PHASE_TITLES[meeting.phase]} timebox"

    def _timer_detail(self, budget: Budget) -> Content:
        meeting = self.meeting
        here = len(meeting.here)
        lines = [
            f"Turn {format_clock(budget.turn_seconds)} · {here} here",
            f"Talking {format_clock(budget.talk_per_member)} each",
        ]
        if meeting.phase == "updates" and meeting.speaker:
            notes = len(meeting.turns[meeting.speaker].notes)
            lines.append(f"{notes} note{'s' if notes != 1 else ''} on this turn")
        return Content("\n".join(lines))

    def _topbar(self, budget: Budget, now: DateTime) -> Content:
        meeting = self.meeting
        index = meeting.phase_index + 1
        total = len(meeting.phases)
        clock = local_time(now).format("HH:mm")
        behind = budget.behind_seconds
        if abs(behind) < 60:
            pace = "on time"
        elif behind > 0:
            pace = f"▼ {format_duration(round(behind / 60) * 60)} behind"
        else:
            pace = f"▲ {format_duration(round(-behind / 60) * 60)} ahead"
        end = local_time(budget.planned_end).format("HH:mm")
        return template(
            "[b]$group[/b] · $phase ($i/$n) · $clock · $pace · ends $end",
            group=one_line(meeting.setup.group.name, 40),
            phase=PHASE_TITLES[meeting.phase],
            i=str(index),
            n=str(total),
            clock=clock,
            pace=pace,
            end=end,
        )

    def _phasebar(self) -> Content:
        meeting = self.meeting
        parts: list[Content] = []
        for index, plan in enumerate(meeting.phases):
            title = PHASE_TITLES[plan.kind]
            if index == meeting.phase_index:
                parts.append(Content.styled(f"[{title}]", "bold reverse"))
            elif index in meeting.phase_boxes:
                parts.append(Content.styled(f"✓{title}", "dim"))
            else:
                parts.append(Content(title))
        return Content(" › ").join(parts)

    # -- acting ---------------------------------------------------------------------

    def act(self, action: ev.Action) -> bool:
        """Journal an action, then refresh. False (and a message) if it was refused."""
        try:
            self.live.dispatch(action)
        except (InvalidAction, UserError) as error:
            self.peersession.report(error)
            return False
        self.refresh_all()
        if isinstance(action, ev.WinAdded):
            self._celebrate(action)
        return True

    def _celebrate(self, win: ev.WinAdded) -> None:
        name = self.meeting.name(win.member_id)
        self.notify(
            f"★ Congratulations, {name}! {win.kind.title()}: {one_line(win.text, 120)}",
            title="A win!",
            markup=False,
            timeout=8,
        )

    @on(PhasePanel.Acted)
    def _panel_acted(self, message: PhasePanel.Acted) -> None:
        self.act(message.action)

    @on(PhasePanel.Wants)
    def _panel_wants(self, message: PhasePanel.Wants) -> None:
        self.action_form(message.what, message.target)

    def action_pause(self) -> None:
        self.act(ev.TimerToggled())

    def action_next(self) -> None:
        meeting = self.meeting
        if meeting.phase == "asks" and meeting.current_ask:
            ask = meeting.asks[meeting.current_ask]
            if ask.part == "advice":
                self.action_form("outcome")
                return
        if meeting.phase == "recap":
            self.action_end()
            return
        if meeting.phase == "commitments" and meeting.members_without_commitment():
            names = ", ".join(meeting.name(m) for m in meeting.members_without_commitment())
            self._confirm(
                template("[b]$names[/b] have no commitment yet. Move on anyway?", names=names),
                lambda: self.act(ev.Next()),
            )
            return
        self.act(ev.Next())

    def action_back(self) -> None:
        self.act(ev.Back())

    def action_adjust(self, seconds: int) -> None:
        self.act(ev.TimeAdjusted(seconds=float(seconds)))

    def action_next_phase(self) -> None:
        meeting = self.meeting
        if meeting.phase_index + 1 < len(meeting.phases):
            self.act(ev.PhaseJumped(phase=meeting.phases[meeting.phase_index + 1].kind))

    def action_previous_phase(self) -> None:
        meeting = self.meeting
        if meeting.phase_index > 0:
            self.act(ev.PhaseJumped(phase=meeting.phases[meeting.phase_index - 1].kind))

    def action_undo(self) -> None:
        try:
            self.live.undo()
        except (InvalidAction, UserError) as error:
            self.peersession.report(error)
            return
        self.notify("Undone.", markup=False)
        self.refresh_all()

    def action_toggle_private(self) -> None:
        panel = self.query_one(f"#panel-{self.meeting.phase}", PhasePanel)
        item_id = panel.private_item(self.meeting)
        if item_id is None:
            self.notify(panel.private_help(), markup=False)
            return
        self.act(ev.PrivacyToggled(item_id=item_id))

    def action_attendance(self) -> None:
        from .attendance import AttendanceScreen

        self.app.push_screen(AttendanceScreen(self))

    def action_end(self) -> None:
        left = self.meeting.unfinished_business()
        question = Content.from_markup("[b]End the session and save it to the history?[/b]")
        if left:
            lines = [Content("Not done yet:"), *(Content(f"  • {item}") for item in left)]
            question = Content("\n").join([question, *lines])
        self._confirm(question, self._end)

    def _end(self) -> None:
        try:
            self.live.end()
        except (InvalidAction, UserError) as error:
            self.peersession.report(error)
            return
        group = self.meeting.setup.group.name
        self.peersession.live = None
        self.app.pop_screen()
        self.notify(f"Session of {group} saved to the history.", markup=False)

    def _confirm(self, question: Content, then: Callable[[], object]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmScreen(question), answered)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Meeting commands for the command palette (titles hold no user text)."""
        meeting = self.meeting
        for plan in meeting.phases:
            if plan.kind != meeting.phase:
                title = PHASE_TITLES[plan.kind]
                yield SystemCommand(
                    f"Go to phase: {title}",
                    f"Skip straight to {title} (n and p move one step)",
                    partial(self.act, ev.PhaseJumped(phase=plan.kind)),
                )
        yield SystemCommand(
            "Attendance", "Mark a late arrival or someone leaving", self.action_attendance
        )
        yield SystemCommand("Undo", "Take back the last action", self.action_undo)
        yield SystemCommand(
            "Log a win", "A promotion, grant, paper...", partial(self.action_form, "win")
        )
        yield SystemCommand("End session", "Save the session to the history", self.action_end)

    # -- forms ------------------------------------------------------------------------

    def _members(self, only_here: bool = False) -> list[tuple[str, str]]:
        meeting = self.meeting
        members = meeting.setup.group.members
        ids = set(meeting.attended) if only_here else {m.id for m in members}
        return [(m.name, m.id) for m in members if m.id in ids]

    def _default_member(self, target: str | None = None) -> str | None:
        meeting = self.meeting
        if target:
            return target
        if meeting.speaker:
            return meeting.speaker
        if meeting.current_ask:
            return meeting.asks[meeting.current_ask].member_id
        return None

    def action_form(self, what: str, target: str | None = None) -> None:
        builder = getattr(self, f"_form_{what}")
        builder(target)

    def _open(
        self,
        key: str,
        title: str,
        fields: list[Field],
        make_action: Callable[[Values], ev.Action],
        *,
        intro: str = "",
        validate: Validator | None = None,
    ) -> None:
        def submitted(values: Values | None) -> None:
            if values is None:
                return
            try:
                action = make_action(values)
            except ValueError as error:
                self.peersession.report(error)
                return
            if self.act(action):
                self.drafts.pop(key, None)

        self.app.push_screen(
            FormScreen(
                title, fields, drafts=self.drafts, draft_key=key, intro=intro, validate=validate
            ),
            submitted,
        )

    def _form_ask(self, target: str | None) -> None:
        template_ = self.meeting.setup.template
        default = format_duration(template_.ask_default_minutes * 60)

        def check(values: Values) -> str | None:
            if not values["member"]:
                return "Who is asking?"
            try:
                parse_duration(values["wanted"] or default, maximum=_TWO_HOURS)
            except ValueError as error:
                return str(error)
            return None

        self._open(
            "ask",
            "Add an ask",
            [
                Field(
                    "member", "Who asks", "choice", self._default_member(target), self._members()
                ),
                Field("text", "What do you need help with?", placeholder="one line"),
                Field("wanted", "Time wanted", value=default, placeholder="10m"),
                Field("private", "Private (stays in the room)", "check", False),
            ],
            lambda v: ev.AskAdded(
                ask_id=new_id(),
                member_id=v["member"],
                text=v["text"],
                wanted_seconds=parse_duration(
                    v["wanted"] or default, maximum=_TWO_HOURS
                ).total_seconds(),
                private=v["private"],
            ),
            validate=check,
        )

    def _check_due(self, values: Values, key: str = "due") -> str | None:
        if values.get(key):
            try:
                parse_date(values[key], today=local_date(self.now()))
            except ValueError as error:
                return str(error)
        return None

    def _due(self, text: str | None) -> str | None:
        if not text:
            return None
        return parse_date(text, today=local_date(self.now())).isoformat()

    def _form_commitment(self, target: str | None) -> None:
        def check(values: Values) -> str | None:
            if not values["owner"]:
                return "Whose commitment is it?"
            return self._check_due(values)

        self._open(
            "commitment",
            "Add a commitment",
            [
                Field(
                    "owner", "Who commits", "choice", self._default_member(target), self._members()
                ),
                Field("text", "I will ...", placeholder="one concrete thing, by next time"),
                Field(
                    "due", "Due (empty: next meeting)", value="", placeholder="YYYY-MM-DD or +2w"
                ),
                Field("private", "Private (stays in the room)", "check", False),
            ],
            lambda v: ev.CommitmentAdded(
                commitment_id=new_id(),
                owner=v["owner"],
                text=v["text"],
                due=self._due(v["due"]),
                private=v["private"],
            ),
            validate=check,
        )

    def _form_note(self, target: str | None) -> None:
        meeting = self.meeting
        if meeting.phase == "updates" and meeting.speaker:
            where = f"On {meeting.name(meeting.speaker)}'s update"
        elif meeting.phase == "asks" and meeting.current_ask:
            ask = meeting.asks[meeting.current_ask]
            part = "a question" if ask.part == "questions" else "advice"
            where = f"On {meeting.name(ask.member_id)}'s ask: {part} (labelled so in the recap)"
        else:
            where = "On the session"
        self._open(
            "note",
            "Take a note",
            [
                Field("text", "Note", placeholder="what was said or decided"),
                Field("private", "Private (stays in the room)", "check", False),
            ],
            lambda v: ev.NoteAdded(note_id=new_id(), text=v["text"], private=v["private"]),
            intro=where,
        )

    def _form_win(self, target: str | None) -> None:
        self._open(
            "win",
            "Log a win",
            [
                Field(
                    "member", "Whose win", "choice", self._default_member(target), self._members()
                ),
                Field("kind", "Kind", "choice", "other", [(k, k) for k in WIN_KINDS]),
                Field("text", "What happened", placeholder="one line to celebrate"),
                Field("private", "Private (stays in the room)", "check", False),
            ],
            lambda v: ev.WinAdded(
                win_id=new_id(),
                member_id=v["member"],
                kind=v["kind"] or "other",
                text=v["text"],
                private=v["private"],
            ),
            validate=lambda v: None if v["member"] else "Whose win is it?",
        )

    def _form_renegotiate(self, target: str | None) -> None:
        if target is None:
            return
        item = self.meeting.review_item(target)
        self._open(
            f"renegotiate-{target}",
            "Renegotiate a commitment",
            [
                Field("text", "New text (empty: unchanged)", value=item.text),
                Field(
                    "due",
                    "New due date (empty: unchanged)",
                    value="",
                    placeholder="YYYY-MM-DD or +3w",
                ),
            ],
            lambda v: ev.ReviewMarked(
                commitment_id=target,
                status="renegotiated",
                text=v["text"] if v["text"].strip() != item.text else None,
                due=self._due(v["due"]),
            ),
            intro=f"{self.meeting.name(item.owner)}: {item.text}",
            validate=self._check_due,
        )

    def _form_outcome(self, target: str | None) -> None:
        meeting = self.meeting
        if meeting.current_ask is None:
            self.notify("No ask is in the hot seat.", markup=False)
            return
        ask = meeting.asks[meeting.current_ask]
        helpers = [(n, i) for n, i in self._members(only_here=True) if i != ask.member_id]
        self._open(
            f"outcome-{ask.id}",
            "Finish the ask",
            [
                Field("outcome", "I will ... (becomes their commitment; empty: none)"),
                Field("helpers", "Who offered help", "multi", [], helpers),
                Field(
                    "due", "Due (empty: next meeting)", value="", placeholder="YYYY-MM-DD or +2w"
                ),
                Field("private", "Private (stays in the room)", "check", ask.private),
            ],
            lambda v: ev.AskEnded(
                outcome=v["outcome"] or None,
                commitment_id=new_id() if v["outcome"].strip() else None,
                due=self._due(v["due"]),
                helpers=tuple(v["helpers"]),
                private=v["private"],
            ),
            intro=f"{meeting.name(ask.member_id)}: {ask.text}",
            validate=self._check_due,
        )

    def _form_extension(self, target: str | None) -> None:
        meeting = self.meeting
        # Say when a vote can be taken before anyone types the votes.
        refusal = meeting.extension_refusal(self.now())
        if refusal:
            self.notify(refusal[0].upper() + refusal[1:] + ".", markup=False)
            return
        voters = str(len(meeting.here))

        def check(values: Values) -> str | None:
            for key in ("votes_for", "voters"):
                if not values[key].strip().isdigit():
                    return "Type the counts as whole numbers."
            return None

        self._open(
            "extension",
            "Vote to extend",
            [
                Field("votes_for", "Thumbs up", value="", placeholder="how many want more time"),
                Field("voters", "Voting", value=voters),
            ],
            lambda v: ev.ExtensionVoted(votes_for=int(v["votes_for"]), voters=int(v["voters"])),
            intro="A majority extends the timebox; each extension is shorter than the last.",
            validate=check,
        )

    def _form_next_date(self, target: str | None) -> None:
        self._open(
            "next_date",
            "Next meeting",
            [
                Field(
                    "date",
                    "Date",
                    value=self.meeting.next_meeting or "",
                    placeholder="YYYY-MM-DD or +3w",
                )
            ],
            lambda v: ev.NextMeetingSet(date=self._due(v["date"]) or ""),
            validate=lambda v: (
                self._check_due(v, "date") or (None if v["date"] else "A date, please.")
            ),
        )


_TWO_HOURS = parse_duration("2h")
