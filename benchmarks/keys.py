"""A key in the meeting: from its bytes written to the pty to the screen showing the change.

The meeting of a 12-member group runs in a real pty with the real clock, so
its 0.25 s tick and its timers compete with the keys as they do on a call. It
is driven to the updates phase (``>`` three times) and then pressed ``n``,
``space``, ``p``, ``space`` over and over (next speaker, pause, back, resume)
at random moments, so presses fall anywhere between two ticks. The floor is
a one-line Textual app whose label changes on the same keys.

What "the change" looks like is learnt, not written in: the screen is watched
idle (rows that change by themselves, the timers, are left out), then each key
is pressed twice round and the rows it changed both times, with digits
masked, are what must appear. A press counts when the first of those rows
shows its new text.

Persisting an action is timed in the same presses: from the key's bytes to the
kernel reporting a write to the journal (inotify: nothing polls, so nothing
takes a core from the meeting), against a one-line app that appends and
fdatasyncs a line per key. The end of the fdatasync itself
cannot be seen from outside without tracing the process (which slows every
system call); peersession promises it comes before the screen moves on, so
the key-to-screen figure bounds it.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import floors
from .context import Goal, Row, Run
from .datasets import live_journals
from .filewatch import IN_MODIFY, Watch
from .install import Install
from .screens import meeting_shown
from .stats import figures
from .terminal import Terminal

CYCLE = (b"n", b" ", b"p", b" ")
TO_UPDATES = (b">", b">", b">")
IDLE_SECONDS = 2.2
SETTLE_SECONDS = 0.5


#: Box-drawing characters: the room view's border changes its line with the
#: timer's state (a turn that reaches its wrap-up on a slow machine), which is
#: not what a key changes.
BORDER = re.compile("[\u2500-\u257f]")


def masked(lines: list[str]) -> list[str]:
    """The lines with digits and border lines masked (the clock's and the state's)."""
    return [BORDER.sub("|", re.sub(r"\d", "#", line)) for line in lines]


class Calibration(RuntimeError):
    """A key changed nothing that the clock does not also change."""


@dataclass
class Driven:
    """One program under the keys: its terminal, what each key must show, its file."""

    name: str
    install: Install
    terminal: Terminal
    journal: Path | None
    targets: list[dict[int, str]] = field(default_factory=list)
    screen: list[float] = field(default_factory=list)
    written: list[float] = field(default_factory=list)
    journal_quiet: bool = True
    watch: Watch | None = None

    def __post_init__(self) -> None:
        if self.journal is not None:
            self.watch = Watch([self.journal], IN_MODIFY)

    def writes(self) -> int:
        return 0 if self.watch is None else len(self.watch.changes)

    def press(self, number: int) -> None:
        term = self.terminal
        term.catch_up()
        target = self.targets[number % len(CYCLE)]
        now = masked(term.lines())
        pending = {row: text for row, text in target.items() if now[row] != text}
        if not pending:
            raise Calibration(f"{self.name}: the screen already shows what the key would show")
        key = CYCLE[number % len(CYCLE)]
        began = term.write(key)
        shown = term.wait_for(
            lambda lines: any(masked([lines[r]])[0] == t for r, t in pending.items()),
            timeout=5,
            what=f"the change of key {key!r}",
        )
        self.screen.append(shown - began)
        if self.watch is not None:
            deadline = time.perf_counter() + 1
            while (written := self.watch.first_after(began)) is None:
                if time.perf_counter() > deadline:
                    return
                time.sleep(0.001)
            self.written.append(written - began)

    def close(self) -> None:
        self.terminal.close()
        if self.watch is not None:
            self.watch.close()


def calibrate(programs: list[Driven]) -> None:
    """Learn, for every program at once, the rows its clock changes (watched idle)
    and what each key of the cycle changes besides (pressed twice round)."""
    for program in programs:
        program.terminal.settle(SETTLE_SECONDS / len(programs))
    ticking: list[set[int]] = [set() for _ in programs]
    last = [masked(p.terminal.lines()) for p in programs]
    writes = [p.writes() for p in programs]
    deadline = time.perf_counter() + IDLE_SECONDS
    while time.perf_counter() < deadline:
        for number, program in enumerate(programs):
            program.terminal.settle(0.02)
            now = masked(program.terminal.lines())
            ticking[number] |= {row for row, text in enumerate(now) if text != last[number][row]}
            last[number] = now
    for program, idle_writes in zip(programs, writes, strict=True):
        program.journal_quiet = program.writes() == idle_writes
    rounds: list[list[list[dict[int, str]]]] = [[] for _ in programs]
    for _ in range(2):
        changes: list[list[dict[int, str]]] = [[] for _ in programs]
        for key in CYCLE:
            before = [masked(p.terminal.lines()) for p in programs]
            for program in programs:
                program.terminal.write(key)
            for program in programs:
                program.terminal.settle(SETTLE_SECONDS / len(programs))
            for number, program in enumerate(programs):
                program.terminal.catch_up()
                after = masked(program.terminal.lines())
                changes[number].append(
                    {
                        row: text
                        for row, text in enumerate(after)
                        if text != before[number][row] and row not in ticking[number]
                    }
                )
        for number in range(len(programs)):
            rounds[number].append(changes[number])
    for number, program in enumerate(programs):
        for step, key in enumerate(CYCLE):
            first, second = rounds[number][0][step], rounds[number][1][step]
            common = {row: text for row, text in first.items() if second.get(row) == text}
            if not common:
                raise Calibration(
                    f"{program.name}: {key!r} changed no row the clock leaves alone; screen:\n"
                    + program.terminal.text()
                )
            program.targets.append(common)


def _meeting(run: Run, install: Install, columns: int, lines: int) -> Driven:
    facts = run.cache.facts(run.size.meeting.groups[0])
    data = run.copy(install, run.size.meeting, f"keys-{columns}")
    argv = install.argv(data, "start", facts.name)
    term = Terminal(argv, run.env(data), columns, lines)
    term.wait_for(meeting_shown(facts), what="the meeting")
    for key in TO_UPDATES:
        term.write(key)
        term.settle(0.4)
    journals = live_journals(data)
    return Driven(f"{install.label} meeting", install, term, journals[0] if journals else None)


def _floor(run: Run, install: Install, columns: int, lines: int, journal: bool) -> Driven:
    script = install.script(run.scratch, "key-floor", floors.KEYS)
    path = run.scratch / f"{install.slug}-floor-{columns}.journal" if journal else None
    if path is not None:
        path.write_bytes(b"")  # watched from the start, as the meeting's journal is
    argv = [str(script), *([str(path)] if path else [])]
    term = Terminal(argv, run.env(), columns, lines)
    term.wait_for(lambda shown: "RUNNING" in "\n".join(shown), what="its label")
    name = "journalling floor" if journal else "floor"
    return Driven(f"{install.label} {name}", install, term, path)


def keys(run: Run, columns: int, lines: int, screen_goal: Goal, persist_goal: Goal | None) -> None:
    """Every install's meeting and floors alive at once, pressed in turn."""
    driven: list[Driven] = []
    try:
        for install in run.installs:
            driven.append(_meeting(run, install, columns, lines))
            driven.append(_floor(run, install, columns, lines, journal=False))
            if persist_goal is not None:
                driven.append(_floor(run, install, columns, lines, journal=True))
        calibrate(driven)
        pauses = random.Random(f"keys {columns}x{lines}")
        for number in range(run.size.presses):
            turn = number % len(driven)
            for program in driven[turn:] + driven[:turn]:
                time.sleep(pauses.uniform(0.12, 0.42))
                program.press(number)
    finally:
        for program in driven:
            program.close()
    size = f"{columns}x{lines}"
    for install in run.installs:
        mine = [p for p in driven if p.install is install]
        meeting, floor = mine[0], mine[1]
        run.add(
            Row(
                "keys",
                f"p95, {size}",
                install.label,
                f"key to screen in the meeting, 12 members, {size}, real clock",
                stat="p95",
                real=figures(meeting.screen),
                floor=figures(floor.screen),
                floor_what="a one-line app's label changed by the same key",
                goal=screen_goal,
            )
        )
        if persist_goal is not None:
            _persist_row(run, install, meeting, mine[2], persist_goal)


def _persist_row(run: Run, install: Install, meeting: Driven, floor: Driven, goal: Goal) -> None:
    row = Row(
        "persist",
        "p99, key to journal",
        install.label,
        "key to the journal line in the file (fdatasync's end is not visible from outside)",
        stat="p99",
        floor_what="a one-line app appending and fdatasyncing a line per key",
        goal=goal,
    )
    if not meeting.journal_quiet:
        row.error = "the journal changes with no key pressed: a key's line cannot be told apart"
    elif len(meeting.written) < len(meeting.screen):
        row.error = f"only {len(meeting.written)} of {len(meeting.screen)} keys changed the journal"
    else:
        row.real, row.floor = figures(meeting.written), figures(floor.written)
    run.add(row)
