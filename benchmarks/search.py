"""Search: warm in the app, in a fresh process, a one-hit word, and the first index build.

Against the least a search can cost: an SQLite FTS5 table (trigram) holding the
same texts, built in the same run by a fresh Python from the same bundles.

- **warm**: the history's search screen of the department archive, scope "All
  groups", a search already made (the index caught up); the word is pasted
  (one event, as a terminal pastes) and the clock stops when the screen shows
  the results as they settle (learnt by pasting it once before: every row
  equal, so no earlier state can pass for it). Floor: the FTS query for every
  hit, ranked by bm25, asked in this process.
- **one-hit word**: the same, scope "This group", in the big group that holds
  the word once. Floor: the FTS query with the group's id.
- **fresh**: ``peersession search WORD --json`` from spawn to exit. Floor: a
  fresh Python asking the FTS table for the best 50 hits and printing them.
- **first index build**: the same command on a fresh copy of the archive as
  the import left it. Floor: a fresh Python building the FTS table from the
  bundles, then asking it.
- **restored copy**: the same command on a copy of a folder whose index was
  built (new inodes, the same bytes: a backup restored, a folder copied to a
  new machine). Floor: the fresh FTS query, as for **fresh**: an index that
  survives a copy costs no more than a warm one.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from . import floors
from . import vocabulary as words
from .context import Goal, Row, Run
from .datasets import Dataset, fresh_copy
from .install import Install
from .screens import days_shown
from .terminal import Terminal

TAB, ENTER, DOWN, CLEAR, SEARCH_BOX = b"\t", b"\r", b"\x1b[B", b"\x15", b"\x0c"
#: Tab from the query to the scope (after member, kind, from, to), open it, pick "All groups".
ALL_GROUPS = (TAB, TAB, TAB, TAB, TAB, ENTER, DOWN, ENTER, SEARCH_BOX)
CLI_LIMIT = 50
#: What the search screen says while a search is still running: never its results.
BUSY = "searching…"


def spawned(argv: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=True, timeout=600)
    return time.perf_counter() - began


def build_floor_db(run: Run, install: Install, dataset: Dataset) -> tuple[float, Path]:
    """A fresh Python building the FTS table of ``dataset``; (seconds, the table's file)."""
    db = run.scratch / f"{install.slug}-fts.sqlite3"
    db.unlink(missing_ok=True)
    script = install.script(run.scratch, "fts-build", floors.FTS_BUILD)
    bundles = [str(run.cache.bundle(spec)) for spec in dataset.groups]
    argv = [str(script), str(db), words.MANY_HIT_WORD, str(CLI_LIMIT), *bundles]
    return spawned(argv, run.env()), db


class SearchScreen:
    """``history GROUP`` in a pty, on its search screen, a word pasted and cleared."""

    def __init__(self, run: Run, install: Install, data: Path, group: str, days: object) -> None:
        self.term = Terminal(install.argv(data, "history", group), run.env(data))
        self.term.wait_for(days_shown(days), what="the history")  # type: ignore[arg-type]
        self.term.settle(0.5)
        self.term.write(b"/")
        self.term.settle(1.0)
        self.empty: list[str] = []
        self.results: list[str] = []

    def everywhere(self) -> None:
        for key in ALL_GROUPS:
            self.term.write(key)
            self.term.settle(0.15)

    def learn(self, word: str) -> None:
        """Paste until two pastes in a row show the same, uncounted: what the
        screen shows with no word and with it. (On a loaded machine a search
        can outlast the quiet spell that ends a wait, and the first paste's
        picture is then a moment before its results.)"""
        seen: list[list[str]] = []
        for _ in range(8):
            # Into the search box first: on a loaded machine the scope's list can
            # close after the key that left it, and take the focus back.
            self.term.write(SEARCH_BOX)
            self.term.settle(0.15)
            self.term.write(CLEAR)
            self.empty = self._still()
            self.term.paste(word)
            seen.append(self._still())
            if (
                len(seen) >= 2
                and seen[-1] == seen[-2]
                and seen[-1] != self.empty
                and not any(BUSY in line for line in seen[-1])
            ):
                self.results = seen[-1]
                return
        raise RuntimeError(f"pasting {word!r} shows no steady results:\n{self.term.text()}")

    def _still(self, quiet: float = 0.5, timeout: float = 120.0) -> list[str]:
        """The screen once it has not changed for ``quiet`` seconds."""
        deadline = time.perf_counter() + timeout
        lines = self.term.lines()
        while time.perf_counter() < deadline:
            self.term.settle(quiet)
            now = self.term.lines()
            if now == lines:
                return now
            lines = now
        raise RuntimeError(f"the search screen never settled:\n{self.term.text()}")

    def search(self, word: str) -> float:
        self.term.write(CLEAR)
        self.term.wait_for(lambda lines: lines == self.empty, timeout=20, what="the cleared search")
        began = self.term.paste(word)
        shown = self.term.wait_for(
            lambda lines: lines == self.results, timeout=20, what="the results"
        )
        return shown - began


def in_app(run: Run, one_hit_goal: Goal, warm_goal: Goal) -> None:
    """The one-hit word in its group, then the many-hit word in every group, on
    one search screen per install (all alive, pasted in turn)."""
    dataset = run.size.department
    spec = next(g for g in dataset.groups if g.one_hit)
    facts = run.cache.facts(spec)
    screens: dict[str, SearchScreen] = {}
    fts: dict[str, floors.FtsFloor] = {}
    try:
        for install in run.installs:
            data = run.copy(install, dataset, "search-in-app")
            # Warm: the index exists (a first search after a copy is the index build's).
            spawned(install.argv(data, "search", words.MANY_HIT_WORD, "--json"), run.env(data))
            fts[install.label] = floors.FtsFloor(build_floor_db(run, install, dataset)[1])
            screens[install.label] = SearchScreen(run, install, data, facts.name, facts.days)
        cases = (
            ("one-hit word", words.ONE_HIT_WORD, facts.id, one_hit_goal),
            ("warm", words.MANY_HIT_WORD, None, warm_goal),
        )
        for case, word, group_id, goal in cases:
            for screen in screens.values():
                if group_id is None:
                    screen.everywhere()
                screen.learn(word)
                _check_results(screen, word)

            def sample(
                install: Install, side: str, _: int, word: str = word, group: str | None = group_id
            ) -> float:
                if side == "real":
                    return screens[install.label].search(word)
                began = time.perf_counter()
                fts[install.label].hits(word, group)
                return time.perf_counter() - began

            scope = f"one group of {spec.sessions} sessions" if group_id else "every group"
            what = f"the history's search, {word!r} pasted, {scope}: to the results shown"
            row = Row("search", case, "", what, goal=goal)
            row.floor_what = (
                f"the FTS5 query for the best {floors.LISTED} (bm25, highlight), warm process"
            )
            run.add_pairs(run.pairs(run.size.pairs, sample), row)
    finally:
        for screen in screens.values():
            screen.term.close()


def _check_results(screen: SearchScreen, word: str) -> None:
    text = "\n".join(screen.results)
    if word == words.ONE_HIT_WORD and words.ONE_HIT_SHOWN not in text:
        raise RuntimeError(f"the one-hit note is not among the results:\n{screen.term.text()}")
    if word == words.MANY_HIT_WORD and sum(word in ln.lower() for ln in screen.results) < 4:
        raise RuntimeError(f"no results for {word!r}:\n{screen.term.text()}")


def fresh(run: Run, goal: Goal) -> None:
    dataset = run.size.department
    argvs: dict[str, tuple[list[str], list[str], dict[str, str]]] = {}
    for install in run.installs:
        data = run.copy(install, dataset, "search-fresh")
        cli = install.argv(data, "search", words.MANY_HIT_WORD, "--json")
        spawned(cli, run.env(data))  # builds the index: what "fresh" is not about
        db = build_floor_db(run, install, dataset)[1]
        script = install.script(run.scratch, "fts-query", floors.FTS_QUERY)
        query = [str(script), str(db), words.MANY_HIT_WORD, str(CLI_LIMIT)]
        argvs[install.label] = (cli, query, run.env(data))
        spawned(query, run.env(data))

    def sample(install: Install, side: str, _: int) -> float:
        cli, query, env = argvs[install.label]
        return spawned(query if side == "floor" else cli, env)

    what = f"`peersession search {words.MANY_HIT_WORD} --json`, {len(dataset.groups)} groups"
    row = Row("search", "fresh", "", f"{what}: spawn to exit", goal=goal)
    row.floor_what = f"a fresh Python asking the FTS5 table for the best {CLI_LIMIT}"
    run.add_pairs(run.pairs(run.size.pairs, sample), row)


def index_build(run: Run) -> None:
    dataset = run.size.department

    def sample(install: Install, side: str, _: int) -> float:
        if side == "floor":
            return build_floor_db(run, install, dataset)[0]
        data = run.copy(install, dataset, "index-build")
        return spawned(install.argv(data, "search", words.MANY_HIT_WORD, "--json"), run.env(data))

    case = f"{len(dataset.groups)}x{dataset.groups[0].sessions}"
    what = "first search on a fresh copy of the archive (no index yet): spawn to exit"
    row = Row("index_build", case, "", what)
    row.floor_what = "a fresh Python building the FTS5 table from the bundles, then asking"
    row.extra["note"] = "Goal: progress shown (a line on stderr), incremental after"
    run.add_pairs(run.pairs(run.size.builds, sample), row)
    restored(run, dataset)


def restored(run: Run, dataset: Dataset) -> None:
    """The first search in a copy of a folder whose index was built."""
    built: dict[str, tuple[Path, list[str], dict[str, str]]] = {}
    for install in run.installs:
        data = run.copy(install, dataset, "index-built")
        spawned(install.argv(data, "search", words.MANY_HIT_WORD, "--json"), run.env(data))
        db = build_floor_db(run, install, dataset)[1]
        script = install.script(run.scratch, "fts-query", floors.FTS_QUERY)
        query = [str(script), str(db), words.MANY_HIT_WORD, str(CLI_LIMIT)]
        built[install.label] = (data, query, run.env(data))

    def sample(install: Install, side: str, number: int) -> float:
        data, query, env = built[install.label]
        if side == "floor":
            return spawned(query, env)
        copy = fresh_copy(data, run.scratch, f"{install.slug}-restored")
        argv = install.argv(copy, "search", words.MANY_HIT_WORD, "--json")
        return spawned(argv, run.env(copy))

    case = f"restored copy, {len(dataset.groups)}x{dataset.groups[0].sessions}"
    what = "first search in a copy of a folder whose index was built: spawn to exit"
    row = Row("index_build", case, "", what)
    row.floor_what = f"a fresh Python asking the FTS5 table for the best {CLI_LIMIT}"
    run.add_pairs(run.pairs(run.size.builds, sample), row)
