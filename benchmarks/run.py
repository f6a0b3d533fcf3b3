"""``python -m benchmarks``: measure one or more installed peersessions against floors.

Every figure is a ratio against a floor measured in the same run, in
interleaved pairs, through the real ``peersession`` command (see the
modules: :mod:`.screens`, :mod:`.keys`, :mod:`.ending`, :mod:`.search`).
Give ``--peersession`` (or ``--venv``) twice to measure two commits in one
run: every pair takes turns between them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from . import ending, keys, report, screens, search, sharing
from .context import SIZES, Goal, Row, Run
from .datasets import Cache
from .install import Install, find
from .terminal import responsive_reader

# The goals of issue 27 (and, for ending a session and persisting, the README's).
FRAME = Goal("ratio", 1.3, "≤ 1.3x")
PAGE = Goal("ratio", 2.0, "≤ 2x")
KEY = Goal("value", 16.0, "p95 ≤ 16 ms")
WARM = Goal("value", 50.0, "≤ 50 ms")
ONE_HIT = Goal("value", 10.0, "≤ 10 ms")
FRESH = Goal("value", 250.0, "≤ 250 ms")
MEMORY = Goal("ratio", 1.3, "≤ 1.3x")
PEAK = Goal("ratio", 2.0, "≤ 2x")
SAVE = Goal("ratio", 1.3, "≤ 1.3x")
PERSIST = Goal("value", 5.0, "p99 < 5 ms")
# Issue 23: a shared group opens as fast as an unshared one; one new session in ≤ one rewrite.
SHARED_OPEN = Goal("ratio", 1.2, "≤ 1.2x")
TAKE_IN_ONE = Goal("ratio", 1.0, "≤ one rewrite")
MEMORY_SETTLE = 1.0


def _home(run: Run, _: frozenset[str]) -> None:
    screens.home(run, run.size.few_groups, FRAME)
    screens.home(run, run.size.department, FRAME)


def _history(run: Run, _: frozenset[str]) -> None:
    for dataset in run.size.groups:
        screens.group_screen(run, "history", dataset, PAGE)


def _start(run: Run, _: frozenset[str]) -> None:
    for dataset in run.size.groups:
        screens.group_screen(run, "start", dataset, PAGE)


def _memory(run: Run, _: frozenset[str]) -> None:
    screens.memory(run, run.size.big, MEMORY_SETTLE, (MEMORY, PEAK))


def _keys(run: Run, only: frozenset[str]) -> None:
    persist = not only or "persist" in only
    for number, (columns, lines) in enumerate(run.size.terminals):
        keys.keys(run, columns, lines, KEY, PERSIST if persist and number == 0 else None)


def _persist(run: Run, only: frozenset[str]) -> None:
    """Taken with the keys at the first terminal size (the same presses): keys.py."""
    if only and "keys" not in only:
        _keys(run, only)


def _end_session(run: Run, _: frozenset[str]) -> None:
    for dataset in run.size.groups:
        ending.end_session(run, dataset, SAVE)


def _search(run: Run, _: frozenset[str]) -> None:
    search.in_app(run, ONE_HIT, WARM)
    search.fresh(run, FRESH)


def _sharing(run: Run, _: frozenset[str]) -> None:
    sharing.open_shared(run, run.size.big, SHARED_OPEN)
    sharing.take_in_one(run, run.size.big, TAKE_IN_ONE)


def _index_build(run: Run, _: frozenset[str]) -> None:
    search.index_build(run)


MEASURES: dict[str, Callable[[Run, frozenset[str]], None]] = {
    "home": _home,
    "history": _history,
    "start": _start,
    "memory": _memory,
    "keys": _keys,
    "persist": _persist,
    "end_session": _end_session,
    "search": _search,
    "index_build": _index_build,
    "sharing": _sharing,
}


def _install(value: str, venv: bool) -> Install:
    label, _, path = value.rpartition("=") if "=" in value else ("", "", value)
    return find(None if venv else path, path if venv else None, label or None)


def default_cache() -> Path:
    """``$XDG_CACHE_HOME/peersession-benchmarks``: out of the source tree (and the sdist)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "peersession-benchmarks"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure installed peersessions through the `peersession` command, each "
        "figure against a floor measured in the same run (a one-line Textual app, an FTS5 "
        "query, one rewrite of a file), in interleaved pairs; print a Markdown table.",
    )
    p.add_argument(
        "--peersession",
        metavar="[LABEL=]COMMAND",
        action="append",
        default=[],
        help="a `peersession` command to measure (repeatable; default: the one beside this Python)",
    )
    p.add_argument(
        "--venv",
        metavar="[LABEL=]DIR",
        action="append",
        default=[],
        help="measure DIR/bin/peersession (repeatable)",
    )
    p.add_argument("--size", choices=sorted(SIZES), default="full")
    p.add_argument(
        "--only",
        metavar="MEASURE",
        action="append",
        choices=list(MEASURES),
        default=[],
        help="take only this measure (repeatable): " + ", ".join(MEASURES),
    )
    p.add_argument("--json", metavar="FILE", type=Path, help="also write the figures here")
    p.add_argument(
        "--cache",
        metavar="DIR",
        type=Path,
        default=default_cache(),
        help="where bundles and imported archives are kept between runs (default: %(default)s)",
    )
    p.add_argument(
        "--prepare",
        action="store_true",
        help="only build (or find) the data folders, and print where they are",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    began = time.monotonic()

    def say(text: str) -> None:
        if not args.quiet:
            print(f"… {time.monotonic() - began:5.0f} s  {text}", file=sys.stderr, flush=True)

    installs = [_install(v, False) for v in args.peersession]
    installs += [_install(v, True) for v in args.venv]
    installs = installs or [find(None, None, None)]
    if len({i.label for i in installs}) < len(installs):
        raise SystemExit("two installs have the same label: name them LABEL=PATH")
    responsive_reader()
    signal.signal(signal.SIGTERM, _interrupted)  # end the programs started, then stop
    info = report.machine()
    scratch = Path(tempfile.mkdtemp(prefix="peersession-bench-"))
    try:
        run = Run(SIZES[args.size], installs, Cache(args.cache, say), scratch, say)
        if args.prepare:
            return _prepare(run)
        only = frozenset(args.only)
        for name, measure in MEASURES.items():
            if only and name not in only:
                continue
            say(f"measuring {name}")
            try:
                measure(run, only)
            except Exception as error:  # a measure that fails says why in its row
                say(traceback.format_exc())
                run.add(Row(name, "", ", ".join(i.label for i in installs), "", error=str(error)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    info["load_after"] = [round(x, 2) for x in os.getloadavg()]
    seconds = time.monotonic() - began
    print(report.describe(installs, info, seconds, args.size))
    print()
    print(report.table(run.rows))
    print()
    print(report.legend(run.rows))
    if args.json:
        figures = report.as_json(run.rows, installs, info, size=args.size, seconds=seconds)
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 1 if any(row.error for row in run.rows) else 0


def _interrupted(*_: object) -> None:
    raise KeyboardInterrupt


def _prepare(run: Run) -> int:
    size = run.size
    for install in run.installs:
        for dataset in (size.few_groups, size.department, *size.groups, size.meeting):
            print(f"{install.label} {dataset.name}: {run.archive(install, dataset)}")
    return 0
