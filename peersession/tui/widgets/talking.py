"""Panels for the talking phases: the round of updates and the asks."""

from __future__ import annotations

import random
from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core import events as ev
from ...core.durations import format_clock, format_duration
from ...core.engine import Meeting
from ...core.items import Note
from ...core.recap import NOTE_PART_LABELS
from ..text import literal, one_line, template
from .changes import show_content
from .panel import PhasePanel, private_tag, refill


def notes_block(title: str, notes: list[Note]) -> Content:
    lines = [Content.from_markup("[b]$t[/b]", t=title)]
    if not notes:
        lines.append(Content.styled("  (t to take a note)", "dim"))
    for note in notes[-6:]:
        lines.append(
            Content.assemble("  • ", literal(one_line(note.text, 300)), private_tag(note.private))
        )
    return Content("\n").join(lines)


class UpdatesPanel(PhasePanel):
    """The round robin: who is next, and notes on the current turn."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "shuffle", "Shuffle order", id="updates.shuffle"),
        Binding("x", "pass_turn", "Pass", id="updates.pass"),
        Binding("k", "skip", "Later", id="updates.skip"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="up-next")
        yield Static(id="turn-notes")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        waiting = meeting.up_next()
        done = [m for m in meeting.spoken if meeting.turns[m].finished]
        total = len(done) + len(waiting) + (1 if meeting.speaker else 0)
        left = meeting.budget(now).until_hard_stop
        progress = (
            f"{format_clock(left)} left in the meeting"
            if left >= 0
            else f"{format_clock(-left).lstrip('-')} past the planned end"
        )
        queued_asks = len(meeting.ask_queue)
        asks = (
            f" · {queued_asks} ask{'s' if queued_asks != 1 else ''} queued" if queued_asks else ""
        )
        lines = [
            template(
                "[b]$done of $total done[/b] · $progress$asks",
                done=str(len(done)),
                total=str(total),
                progress=progress,
                asks=asks,
            ),
            template("[b]Up next[/b]  ($n waiting)", n=str(len(waiting))),
        ]
        for position, member_id in enumerate(waiting[:8], start=1):
            lines.append(Content.assemble(f"  {position}. ", literal(meeting.name(member_id))))
        if len(waiting) > 8:
            lines.append(Content(f"  … and {len(waiting) - 8} more"))
        if done:
            spoken = ", ".join(
                meeting.name(m) + (" (passed)" if meeting.turns[m].passed else "") for m in done
            )
            lines.append(
                Content.assemble(Content.styled("Done: ", "bold"), literal(one_line(spoken, 300)))
            )
        show_content(self.query_one("#up-next", Static), Content("\n").join(lines))
        if meeting.speaker:
            notes = meeting.turns[meeting.speaker].notes
            title = f"Notes on {one_line(meeting.name(meeting.speaker), 40)}'s update"
            show_content(self.query_one("#turn-notes", Static), notes_block(title, list(notes)))
        else:
            show_content(
                self.query_one("#turn-notes", Static), Content("Nobody is speaking: n moves on.")
            )

    def action_shuffle(self) -> None:
        meeting = getattr(self, "_meeting", None)
        if meeting is None:
            return
        order = meeting.up_next()
        if len(order) < 2:
            self.notify("Nobody left to shuffle.", markup=False)
            return
        shuffled = random.sample(order, len(order))
        self.act(ev.OrderShuffled(order=tuple(shuffled)))

    def action_pass_turn(self) -> None:
        self.act(ev.SpeakerPassed())

    def action_skip(self) -> None:
        self.act(ev.SpeakerSkipped())

    def hint(self) -> Content:
        return self.keys(
            ("n", "next speaker"), ("x", "pass"), ("k", "later"), ("s", "shuffle"), ("t", "note")
        )


SORTS = ("votes", "airtime", "asks")
SORT_LABELS = {"votes": "most votes", "airtime": "least airtime", "asks": "fewest asks lately"}


class AsksPanel(PhasePanel):
    """The hot seat and the queue of asks."""

    focus_target = "#ask-queue"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Hot seat", id="asks.start"),
        *[
            Binding(
                str(d),
                f"vote({d})",
                f"{d} vote{'' if d == 1 else 's'}",
                id=f"asks.vote{d}",
                show=False,
            )
            for d in range(10)
        ],
        Binding("left_square_bracket", "move(-1)", "Move up", id="asks.up", show=False),
        Binding("right_square_bracket", "move(1)", "Move down", id="asks.down", show=False),
        Binding("o", "sort", "Sort", id="asks.sort"),
        Binding("v", "extend", "Vote to extend", id="asks.extend"),
        Binding("f", "finish", "Finish ask", id="asks.finish"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="hot-seat")
        yield Static(id="queue-title", classes="section")
        yield OptionList(id="ask-queue")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        show_content(self.query_one("#hot-seat", Static), self._hot_seat(meeting, now))
        show_content(
            self.query_one("#queue-title", Static),
            template("[b]Queue[/b]  $n waiting", n=str(len(meeting.ask_queue))),
        )
        rows = []
        for ask_id in meeting.ask_queue:
            ask = meeting.asks[ask_id]
            rows.append(
                Option(
                    Content.assemble(
                        (f"{ask.votes:>2} vote{' ' if ask.votes == 1 else 's'}  ", "bold"),
                        literal(meeting.name(ask.member_id)),
                        ": ",
                        literal(one_line(ask.text, 120)),
                        f"  ({format_duration(ask.wanted)})",
                        private_tag(ask.private),
                    ),
                    id=ask_id,
                )
            )
        if not rows:
            rows = [Option(Content("No asks waiting: a adds one."), disabled=True)]
        refill(self.query_one("#ask-queue", OptionList), rows)

    def _hot_seat(self, meeting: Meeting, now: DateTime) -> Content:
        if meeting.current_ask is None:
            done = [a for a in meeting.asks.values() if a.part == "done"]
            return template(
                "[b]Hot seat:[/b] empty. enter starts the highlighted ask; n takes the top one.  "
                "($n done)",
                n=str(len(done)),
            )
        ask = meeting.asks[meeting.current_ask]
        part = (
            "1/2 clarifying questions (no advice yet)" if ask.part == "questions" else "2/2 advice"
        )
        lines = [
            Content.assemble(
                Content.styled("Hot seat: ", "bold"),
                literal(meeting.name(ask.member_id)),
                private_tag(ask.private),
            ),
            Content.assemble("  ", literal(one_line(ask.text, 300))),
            Content(f"  Part {part}"),
        ]
        if ask.extensions:
            votes = ", ".join(
                f"+{e['minutes']:g} min {'granted' if e['granted'] else 'refused'} "
                f"({e['votes_for']}/{e['voters']})"
                for e in ask.extensions
            )
            lines.append(Content(f"  Extensions: {votes}"))
        # Time used and left is on the room view, where it ticks (core/readout.py).
        for note in ask.notes[-3:]:
            lines.append(
                Content.assemble(
                    "  • ",
                    Content.styled(f"{NOTE_PART_LABELS.get(note.part, 'Note')}: ", "bold"),
                    literal(one_line(note.text, 200)),
                    private_tag(note.private),
                )
            )
        return Content("\n").join(lines)

    def _selected(self) -> str | None:
        option = self.query_one("#ask-queue", OptionList).highlighted_option
        return option.id if option is not None and not option.disabled else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        # The focused list takes enter before the panel's binding sees it.
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        ask_id = self._selected()
        if ask_id:
            self.act(ev.AskStarted(ask_id=ask_id))

    def action_vote(self, votes: int) -> None:
        ask_id = self._selected()
        if ask_id:
            self.act(ev.AskVoted(ask_id=ask_id, votes=votes))

    def action_move(self, delta: int) -> None:
        ask_id = self._selected()
        if ask_id:
            self.act(ev.AskMoved(ask_id=ask_id, delta=delta))

    def action_sort(self) -> None:
        self._sort_index = (getattr(self, "_sort_index", -1) + 1) % len(SORTS)
        by = SORTS[self._sort_index]
        self.act(ev.AsksSorted(by=by))
        self.notify(f"Asks sorted: {SORT_LABELS[by]} first", markup=False)

    def action_extend(self) -> None:
        self.want("extension")

    def action_finish(self) -> None:
        self.want("outcome")

    def hint(self) -> Content:
        return self.keys(
            ("enter", "hot seat"),
            ("0–9", "votes"),
            ("[ ]", "move"),
            ("o", "sort"),
            ("v", "extend"),
            ("f", "finish"),
        )
