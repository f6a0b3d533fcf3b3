"""First frames: the home, a group's history and a meeting, each from a fresh process.

Each sample spawns the ``peersession`` command in a 120x40 pty and stops the
clock when the bytes that make pyte's screen show the page people came for
have arrived: the group rows (the home), the newest sessions (``history
GROUP``), the meeting with its members (``start GROUP``). The floor is the
one-line Textual app started the same way, in interleaved pairs. Every
sample of a group opens a fresh copy of the folder the import left, so the
user's whole first read (parse, checks, figures) is paid every time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from . import floors
from .context import Goal, Row, Run
from .datasets import Dataset, Facts
from .install import Install
from .terminal import Shown, Terminal, memory_kb

FLOOR_WHAT = "a one-line Textual app's first frame"


def names_shown(names: list[str], wanted: int) -> Shown:
    def shown(lines: list[str]) -> bool:
        screen = "\n".join(lines)
        return sum(name in screen for name in names) >= wanted

    return shown


def days_shown(days: tuple[date, ...]) -> Shown:
    """The newest two sessions' dates, however the screen writes a date."""
    patterns = [
        re.compile(
            rf"(?<!\d){day.day} {day:%b}|{day:%b} {day.day}(?!\d)|{day.isoformat()}"
            rf"|(?<!\d){day.day:02d}/{day.month:02d}|(?<!\d){day.month:02d}/{day.day:02d}"
        )
        for day in days[:2]
    ]
    return lambda lines: all(p.search("\n".join(lines)) for p in patterns)


def meeting_shown(facts: Facts) -> Shown:
    """The group's name and at least three members' (the attendance) on screen."""
    members = names_shown(list(facts.members), min(3, len(facts.members)))
    return lambda lines: facts.name in "\n".join(lines) and members(lines)


def first_frame(argv: list[str], env: dict[str, str], shown: Shown, what: str) -> float:
    with Terminal(argv, env) as terminal:
        return terminal.wait_for(shown, what=what) - terminal.began


def floor_frame(run: Run, install: Install) -> float:
    script = install.script(run.scratch, "floor-app", floors.APP)
    return first_frame([str(script)], run.env(), names_shown([floors.APP_TEXT], 1), "its line")


Opener = Callable[[Install, int], tuple[list[str], Path]]


def compare(run: Run, row: Row, opener: Opener, shown: Shown, what: str) -> None:
    """Interleaved pairs of (peersession, floor) first frames; one row per install."""
    for install in run.installs if run.size.warm_up else ():
        argv, data = opener(install, -1)  # warm the OS's caches for both sides, uncounted
        first_frame(argv, run.env(data), shown, what)
        floor_frame(run, install)

    def sample(install: Install, side: str, number: int) -> float:
        if side == "floor":
            return floor_frame(run, install)
        argv, data = opener(install, number)
        return first_frame(argv, run.env(data), shown, what)

    run.add_pairs(run.pairs(run.size.pairs, sample), row)


def home(run: Run, dataset: Dataset, goal: Goal) -> None:
    names = [run.cache.facts(spec).name for spec in dataset.groups]
    copies = {i.label: run.copy(i, dataset, f"home-{dataset.name}") for i in run.installs}

    def opener(install: Install, _: int) -> tuple[list[str], Path]:
        data = copies[install.label]
        return install.argv(data), data

    case = f"{len(dataset.groups)} groups"
    what = f"`peersession`: spawn to the home's group rows on screen ({case})"
    row = Row("home", case, "", what, floor_what=FLOOR_WHAT, goal=goal)
    compare(run, row, opener, names_shown(names, min(5, len(names))), "the group rows")


def group_screen(run: Run, command: str, dataset: Dataset, goal: Goal) -> None:
    """``history GROUP`` or ``start GROUP`` on a fresh copy for every sample."""
    facts = run.cache.facts(dataset.groups[0])

    def opener(install: Install, number: int) -> tuple[list[str], Path]:
        data = run.copy(install, dataset, f"{command}-{dataset.name}")
        return install.argv(data, command, facts.name), data

    sessions = dataset.groups[0].sessions
    if command == "history":
        shown, page = days_shown(facts.days), "the newest sessions' rows"
    else:
        shown, page = meeting_shown(facts), "the meeting with its members"
    what = f"`peersession {command} GROUP`, {sessions} sessions: spawn to {page}"
    row = Row(command, f"{sessions} sessions", "", what, floor_what=FLOOR_WHAT, goal=goal)
    compare(run, row, opener, shown, page)


def memory(run: Run, dataset: Dataset, settle: float, goals: tuple[Goal, Goal]) -> None:
    """Resident memory ``settle`` seconds after the meeting screen (and the floor's
    line) showed, and the peak so far (VmHWM), in interleaved pairs."""
    facts = run.cache.facts(dataset.groups[0])
    peaks: dict[tuple[str, str], list[float]] = {}

    def sample(install: Install, side: str, _: int) -> float:
        if side == "floor":
            script = install.script(run.scratch, "floor-app", floors.APP)
            argv, env, shown = [str(script)], run.env(), names_shown([floors.APP_TEXT], 1)
        else:
            data = run.copy(install, dataset, "memory")
            argv, env = install.argv(data, "start", facts.name), run.env(data)
            shown = meeting_shown(facts)
        with Terminal(argv, env) as terminal:
            terminal.wait_for(shown, what="the first frame")
            terminal.settle(settle)
            rss, peak = memory_kb(terminal.pid)
        peaks.setdefault((install.label, side), []).append(peak / 1024)
        return rss / 1024

    resident = run.pairs(run.size.pairs, sample)
    sessions = dataset.groups[0].sessions
    for taken, goal, said in ((resident, goals[0], "resident"), (peaks, goals[1], "peak")):
        kind = "(VmRSS)" if said == "resident" else "so far (VmHWM)"
        what = f"`start GROUP`: {said} memory {kind} {settle:g} s after the meeting showed"
        row = Row("memory", f"{said}, {sessions} sessions", "", what, unit="MB", goal=goal)
        row.floor_what = f"the one-line app's, {settle:g} s after its frame"
        run.add_pairs(taken, row, scale=1)
