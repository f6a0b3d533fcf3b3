"""Panels for the talking phases: the round of updates and the asks."""

from __future__ import annotations

import random
from typing import ClassVar

from pendulum import DateTime
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core import events as ev
from ...core.durations import format_clock
from ...core.engine import Meeting
from ...core.time_requests import asks_for_time
from ...core.words import plural
from ..text import literal, one_line
from .lines import Lines
from .panel import PhasePanel, refill
from .rows import ask_row, hot_seat_block, notes_block, queue_title


def round_summary(meeting: Meeting) -> Content:
    """How far the round is: turns done of all, who waits, asks queued meanwhile.

    No time here: the meeting's time left is on the room view, where it ticks
    (one readout, ``core/readout.py``).
    """
    waiting = meeting.up_next()
    done = [m for m in meeting.spoken if meeting.turns[m].finished]
    total = len(done) + len(waiting) + (1 if meeting.speaker else 0)
    line = f"{len(done)} of {total} done · {len(waiting)} waiting"
    if meeting.ask_queue:
        line += f" · {plural(len(meeting.ask_queue), 'ask')} queued"
    return Content.styled(line, "bold")


def up_next_block(meeting: Meeting) -> Content:
    """The order still to speak, numbered, then who has spoken."""
    waiting = meeting.up_next()
    lines = [Content.styled("Up next", "bold")]
    if not waiting:
        lines.append(Content.styled("  nobody: the round ends with this turn", "dim"))
    # Under the requests rule each member has their own turn: say it beside them.
    turns = meeting.shares().turns if asks_for_time(meeting) else {}
    for position, member_id in enumerate(waiting, start=1):
        own = f"  {format_clock(turns[member_id])}" if member_id in turns else ""
        lines.append(
            Content.assemble(
                f"  {position}. ", literal(meeting.name(member_id)), Content.styled(own, "dim")
            )
        )
    done = [m for m in meeting.spoken if meeting.turns[m].finished]
    if done:
        spoken = ", ".join(
            meeting.name(m) + (" (passed)" if meeting.turns[m].passed else "") for m in done
        )
        lines.append(
            Content.assemble(Content.styled("Done: ", "bold"), literal(one_line(spoken, 300)))
        )
    return Content("\n").join(lines)


def turn_notes(meeting: Meeting, *, keys: bool = True) -> Content:
    """The notes on the turn being taken, newest first (``keys``: with the keys
    that take one, or move on)."""
    if not meeting.speaker:
        return Content("Nobody is speaking" + (": n moves on." if keys else "."))
    notes = meeting.turns[meeting.speaker].notes
    title = f"Notes on {one_line(meeting.name(meeting.speaker), 40)}'s update"
    return notes_block(title, list(notes), empty="t to take a note" if keys else "")


class UpdatesPanel(PhasePanel):
    """The round robin: notes on the current turn (newest first, so the one just
    taken is in sight at 80x24 too), then who is next."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "shuffle", "Shuffle order", id="updates.shuffle"),
        Binding("x", "pass_turn", "Pass", id="updates.pass"),
        Binding("k", "skip", "Later", id="updates.skip"),
    ]

    def compose(self) -> ComposeResult:
        yield Lines(id="up-summary")
        yield Lines(id="turn-notes")
        yield Lines(id="up-next")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        self.query_one("#up-summary", Lines).content = round_summary(meeting)
        self.query_one("#turn-notes", Lines).content = turn_notes(meeting)
        self.query_one("#up-next", Lines).content = up_next_block(meeting)

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
                plural(d, "vote"),
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
        yield Lines(id="hot-seat")
        yield Lines(id="queue-title", classes="section")
        yield OptionList(id="ask-queue")

    def refresh_from(self, meeting: Meeting, now: DateTime) -> None:
        self._meeting = meeting
        self.query_one("#hot-seat", Lines).content = hot_seat_block(meeting)
        self.query_one("#queue-title", Lines).content = queue_title(meeting)
        rows = [Option(ask_row(meeting, meeting.asks[a]), id=a) for a in meeting.ask_queue]
        if not rows:
            rows = [Option(Content("No asks waiting: a adds one."), disabled=True)]
        refill(self.query_one("#ask-queue", OptionList), rows)

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
