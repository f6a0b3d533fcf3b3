"""Panels for the structural phases: opening, wins, review, commitments, close,
and the plain panel of a phase with no list of its own.

The talking phases (updates, asks) and the recap have their own modules.
"""

from __future__ import annotations

from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core import events as ev
from ...core.engine import Meeting, Review
from ...core.health import how_we_work_line
from ...core.slot_labels import close_choice_text, day_at_slot
from ...core.time_requests import asks_for_time
from ...core.words import plural
from ..text import literal, template
from .attendance import AttendanceList
from .commitments import CommitmentsPanel as CommitmentsPanel  # one import for the screen
from .health import HealthGrid, asked_now, health_summary, health_title
from .marklist import MARK_RULE, MarkList
from .panel import PhasePanel, refill
from .parts_line import PartsLine
from .rows import (
    ROLES_LEAD,
    away_block,
    notes_block,
    review_row,
    reviewed_count,
    role_parts,
    roles_note,
    win_row,
)
from .time_asked import requests_status


def how_we_work_item(meeting: Meeting) -> Content | None:
    """The agenda item a low health check left for this session (issue 25), or None."""
    line = how_we_work_line(meeting.setup.how_we_work)
    if line is None:
        return None
    return Content.assemble(Content.styled("On the agenda: ", "bold"), line)


def plain_phase(meeting: Meeting) -> Content:
    """A phase with no list of its own: what the group does in it, and (where it
    records notes) the session's notes, newest first."""
    kind = meeting.phase
    about = Content.styled(kind.about, "bold")
    if "notes" not in kind.records:
        return about
    notes = notes_block("Notes", list(meeting.session_notes), empty="t to take a note")
    return Content("\n\n").join([about, notes])


class PlainPanel(PhasePanel):
    """The panel of a phase that needs no list (see :func:`plain_phase`)."""

    def compose(self) -> ComposeResult:
        yield Static(id="plain-phase")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._records_notes = "notes" in meeting.phase.records
        self.query_one("#plain-phase", Static).update(plain_phase(meeting))

    def hint(self) -> Content:
        if getattr(self, "_records_notes", False):
            return self.keys(("t", "take a note"), ("!", "private on/off"), ("n", "move on"))
        return self.keys(("n", "move on"))


class OpeningPanel(PhasePanel):
    focus_target = "#attendance"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "give_role", "Give a role", id="opening.role"),
        Binding("m", "ask_time", "Time asked for", id="opening.time"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="ground-rules")
        yield Static(id="how-we-work")
        yield PartsLine(id="roles")
        yield Static(id="time-asked", markup=False)
        yield Static(id="away", markup=False)
        yield Static(
            Content.from_markup("[b]Attendance[/b]  [dim]($rule)[/dim]", rule=MARK_RULE),
            classes="section",
        )
        yield AttendanceList(id="attendance")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        rules = [Content.from_markup("[b]Ground rules[/b]")]
        rules += [
            Content.assemble("  • ", literal(rule)) for rule in meeting.setup.group.ground_rules
        ]
        self.query_one("#ground-rules", Static).update(Content("\n").join(rules))
        item = how_we_work_item(meeting)
        how = self.query_one("#how-we-work", Static)
        how.display = item is not None
        if item is not None:
            how.update(item)
        roles = self.query_one("#roles", PartsLine)
        roles.display = bool(meeting.roles)
        roles.show(ROLES_LEAD, role_parts(meeting), roles_note(meeting))
        asked = self.query_one("#time-asked", Static)
        self._asks_for_time = asks_for_time(meeting)
        asked.display = self._asks_for_time
        if self._asks_for_time:
            asked.update(
                Content.assemble(
                    ("Time asked for  ", "bold"),
                    requests_status(meeting, meeting.shares(), scale_key=False),
                    ("  (m: the round)", "dim"),
                )
            )
        away = self.query_one("#away", Static)
        notice = away_block(meeting)
        away.display = notice is not None
        if notice is not None:
            away.update(notice)
        self.query_one(AttendanceList).show(meeting)

    def action_give_role(self) -> None:
        self.want("role")

    def action_ask_time(self) -> None:
        if getattr(self, "_asks_for_time", False):
            self.want("requests")
        else:
            self.notify(
                "This group shares its talking time equally "
                "(group edit --talking-time requests to ask for time).",
                markup=False,
            )

    def on_attendance_list_marked(self, message: AttendanceList.Marked) -> None:
        message.stop()
        self.act(message.action)

    def hint(self) -> Content:
        keys = [("↑↓", "member"), ("y", "here"), ("x", "absent"), ("l", "late"), ("r", "roles")]
        if getattr(self, "_asks_for_time", False):
            keys.append(("m", "time asked"))
        return self.keys(*keys)


class WinsPanel(PhasePanel):
    focus_target = "#wins"

    def compose(self) -> ComposeResult:
        yield Static(id="wins-title", classes="section")
        yield MarkList(id="wins")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        count = len(meeting.wins)
        title = "Celebrate! " if count else ""
        self.query_one("#wins-title", Static).update(
            template("[b]$t$n[/b]", t=title, n=f"{plural(count, 'win')} logged")
        )
        rows = [Option(win_row(meeting, win), id=win.id) for win in reversed(meeting.wins)]
        if not rows:
            rows = [Option(Content("No wins yet: press w to log one."), disabled=True)]
        options = self.query_one("#wins", MarkList)
        refill(options, rows)
        # As with commitments, the cursor lands on a new win (so ! marks it).
        seen: set[str] | None = getattr(self, "_seen", None)
        added = [w.id for w in meeting.wins if seen is not None and w.id not in seen]
        if added:
            options.highlight_id(added[-1])
        self._seen = {w.id for w in meeting.wins}

    def hint(self) -> Content:
        return self.keys(("w", "log a win"), ("!", "private on/off"))


class ReviewPanel(PhasePanel):
    """Last session's commitments, marked one by one."""

    focus_target = "#review"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "mark('done')", "Done", id="review.done"),
        Binding("h", "mark('partial')", "Partial", id="review.partial"),
        # The same letters as a member's check-in (d, h, x) where they overlap.
        Binding("m", "mark('not_done')", "Not done", id="review.not_done"),
        Binding("r", "renegotiate", "Renegotiate", id="review.renegotiate"),
        Binding("x", "mark('dropped')", "Dropped", id="review.dropped"),
        Binding("enter", "accept", "Accept check-in", id="review.accept"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="review-title", classes="section")
        yield MarkList(id="review")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        done, count = reviewed_count(meeting)
        self.query_one("#review-title", Static).update(
            template(
                "[b]Open commitments[/b]  $d of $n reviewed  [dim]($rule)[/dim]",
                d=str(done),
                n=str(count),
                rule=MARK_RULE,
            )
        )
        rows = [
            Option(review_row(meeting, item), id=item.commitment_id)
            for item in meeting.setup.review_items
        ]
        if not rows:
            rows = [Option(Content("No open commitments to review."), disabled=True)]
        options = self.query_one("#review", MarkList)
        refill(options, rows)
        # A renegotiation is a mark too: once its form is saved, move on.
        pending: tuple[str, Review | None] | None = getattr(self, "_renegotiating", None)
        if pending is not None:
            commitment_id, before = pending
            if meeting.reviews.get(commitment_id) is not before:
                del self._renegotiating
                options.highlight_id(commitment_id)
                options.move_on()

    def _selected(self) -> str | None:
        option = self.query_one("#review", MarkList).highlighted_option
        return option.id if option is not None and not option.disabled else None

    def action_mark(self, status: str) -> None:
        commitment_id = self._selected()
        if commitment_id:
            self.act(ev.ReviewMarked(commitment_id=commitment_id, status=status))
            self.query_one("#review", MarkList).move_on()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # The focused list takes enter before the panel's binding sees it.
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        commitment_id = self._selected()
        meeting = getattr(self, "_meeting", None)
        if not commitment_id or meeting is None:
            return
        item = meeting.review_item(commitment_id)
        if item.prefill_status is None:
            self.notify("No check-in answer to accept: mark it with d, h, m, r or x.", markup=False)
            return
        if item.prefill_status == "renegotiated":
            self.action_renegotiate()
            return
        self.act(ev.ReviewMarked(commitment_id=commitment_id, status=item.prefill_status))
        self.query_one("#review", MarkList).move_on()

    def action_renegotiate(self) -> None:
        commitment_id = self._selected()
        meeting = getattr(self, "_meeting", None)
        if commitment_id and meeting is not None:
            self._renegotiating = (commitment_id, meeting.reviews.get(commitment_id))
            self.want("renegotiate", commitment_id)

    def private_help(self) -> str:
        return "Highlight a commitment (↑↓) to mark it private."

    def hint(self) -> Content:
        return self.keys(
            ("d", "done"),
            ("h", "partial"),
            ("m", "not done"),
            ("r", "renegotiate"),
            ("x", "dropped"),
            ("!", "private"),
            ("enter", "accept check-in"),
        )


class ClosePanel(PhasePanel):
    """Ratings typed one digit each (0 means 10), the next meeting's date, and,
    every few sessions, the health check (``h`` switches to its grid)."""

    focus_target = "#ratings"

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(d), f"rate({d or 10})", f"Rate {d or 10}", id=f"close.rate{d}", show=False)
            for d in range(10)
        ],
        Binding("d", "date", "Next date", id="close.date"),
        Binding("h", "health", "Health check", id="close.health"),
    ]

    #: Whether the health check's grid is shown (instead of the ratings).
    health_shown: reactive[bool] = reactive(False, init=False)

    def compose(self) -> ComposeResult:
        yield Static(id="next-date", classes="section")
        yield Static(
            Content.from_markup(
                "[b]Rate this session 1–10[/b]  (a digit each, 0 = 10; ↑ to change one)"
            ),
            id="ratings-title",
        )
        yield OptionList(id="ratings")
        yield Static(id="health-line")
        yield Static(id="health-title")
        yield Static(id="health-asked")
        yield HealthGrid(id="health")

    def on_mount(self) -> None:
        self._show_health(False)

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        date = (
            day_at_slot(meeting.setup.group.slot, meeting.next_meeting)
            if meeting.next_meeting
            else "not set"
        )
        # What a changed date does to the series, worded by the core from the rule
        # the commit applies, so the facilitator sees it before the session ends.
        note = close_choice_text(
            meeting.setup.group, meeting.setup.proposed_next, meeting.next_meeting
        )
        self.query_one("#next-date", Static).update(
            template("[b]Next meeting:[/b] $d   (d to change)", d=date)
            if note is None
            else template("[b]Next meeting:[/b] $d   (d to change)\n[dim]$n[/]", d=date, n=note)
        )
        upcoming = meeting.next_to_rate()
        rows = []
        for member_id in meeting.attended:
            rating = meeting.ratings.get(member_id)
            marker = "▶ " if member_id == upcoming else "  "
            value = f"{rating:>2}" if rating is not None else " ·"
            rows.append(
                Option(
                    Content.assemble(
                        marker, (value, "bold"), "  ", literal(meeting.name(member_id))
                    ),
                    id=member_id,
                )
            )
        ratings = self.query_one("#ratings", OptionList)
        refill(ratings, rows)
        if upcoming is not None:
            ratings.highlighted = ratings.get_option_index(upcoming)
        self._show_health_state(meeting)

    def _show_health_state(self, meeting: Meeting) -> None:
        line = self.query_one("#health-line", Static)
        if not meeting.has_health_check:
            line.display = False
            if self.health_shown:
                self.health_shown = False
            return
        line.update(Content.assemble(health_summary(meeting), "   (h to give it)"))
        self.query_one("#health-title", Static).update(health_title(meeting))
        grid = self.query_one(HealthGrid)
        grid.show(meeting)
        self.query_one("#health-asked", Static).update(asked_now(meeting, grid.cursor))
        self._show_health(self.health_shown)

    def on_health_grid_moved(self, message: HealthGrid.Moved) -> None:
        meeting = getattr(self, "_meeting", None)
        if meeting is not None and meeting.has_health_check:
            grid = self.query_one(HealthGrid)
            self.query_one("#health-asked", Static).update(asked_now(meeting, grid.cursor))

    def _show_health(self, shown: bool) -> None:
        meeting = getattr(self, "_meeting", None)
        due = meeting is not None and meeting.has_health_check
        # The check takes the ratings' place (and the date's: the console is
        # short at 80x24, and the grid needs the rows).
        for selector in ("#next-date", "#ratings-title", "#ratings"):
            self.query_one(selector).display = not shown
        self.query_one("#health-line").display = due and not shown
        for selector in ("#health-title", "#health-asked", "#health"):
            self.query_one(selector).display = shown

    def watch_health_shown(self, shown: bool) -> None:
        self._show_health(shown)
        self.query_one("#health" if shown else "#ratings").focus()
        self.hint_changed()

    def action_health(self) -> None:
        meeting = getattr(self, "_meeting", None)
        if meeting is None or not meeting.has_health_check:
            self.notify("This session has no health check.", markup=False)
            return
        self.health_shown = not self.health_shown

    def action_rate(self, value: int) -> None:
        """Rate the highlighted member; the highlight then moves to the next unrated."""
        option = self.query_one("#ratings", OptionList).highlighted_option
        if option is None or option.id is None:
            return
        self.act(ev.RatingGiven(member_id=option.id, rating=value))

    def action_date(self) -> None:
        self.want("next_date")

    def hint(self) -> Content:
        meeting = getattr(self, "_meeting", None)
        if self.health_shown and meeting is not None and meeting.health_anonymous:
            return self.keys(
                ("0–9", "count"), ("+", "one more"), ("←→↑↓", "cell"), ("h", "ratings")
            )
        if self.health_shown:
            return self.keys(("1–5", "score"), ("←→↑↓", "cell"), ("h", "ratings"))
        if meeting is not None and meeting.has_health_check:
            return self.keys(("1–9, 0", "rate (0 = 10)"), ("d", "next date"), ("h", "health"))
        return self.keys(("1–9, 0", "rate (0 = 10)"), ("d", "next date"))
