"""The references: what the least a program could do costs, measured in the same run.

Each is started exactly as peersession is (an executable script run by the
same Python, in the same pty, with the same environment) so the ratio between
the two is what peersession adds:

- :data:`APP`: a one-line Textual app: what any Textual app pays to show a frame
  (with the collector set as peersession's start sets it);
- :data:`KEYS`: a one-line Textual app whose label changes on the keys the
  meeting is driven with (``n``, ``p``, ``space``), as the meeting's state does;
- :data:`FTS_QUERY`: a fresh Python asking an SQLite FTS5 table (trigram, the
  texts of the same groups) for a word, ranked by bm25, and printing the hits;
- :data:`FTS_BUILD`: a fresh Python reading the same groups' bundles and
  building that table, then asking it: the first search with no index;
- :func:`rewrite`: one rewrite of a group's file (read, parse, serialise,
  atomic write with fsyncs), the least a save into a JSON file costs.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import msgspec

APP_TEXT = "peersession floor"
APP = f'''"""The floor: a Textual app that shows one line."""
import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static({APP_TEXT!r})


if __name__ == "__main__":
    # The collector left as it is, as peersession leaves it.
    sys.exit(Floor().run())
'''

KEYS = '''"""The key floor: one label, changed by n, p and space as a meeting's state is;
with a file named, each key first appends a line to it and fdatasyncs it."""
import os
import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class KeyFloor(App[None]):
    BINDINGS = [("n", "turn(1)", "Next"), ("p", "turn(-1)", "Back"), ("space", "pause", "Pause")]

    def __init__(self, journal: str | None) -> None:
        super().__init__()
        self.turn_number, self.paused = 1, False
        self.journal = open(journal, "ab") if journal else None

    def compose(self) -> ComposeResult:
        yield Static(self.label())

    def label(self) -> str:
        # Names, not numbers: the benchmark masks digits (they are the clock's).
        speaker = ("Ada", "Bo", "Cy", "Dee")[self.turn_number % 4]
        return f"speaker {speaker} " + ("PAUSED" if self.paused else "RUNNING")

    def record(self, action: str) -> None:
        if self.journal is not None:
            self.journal.write(action.encode() + b"\\n")
            self.journal.flush()
            os.fdatasync(self.journal.fileno())

    def action_turn(self, step: int) -> None:
        self.record(f"turn {step}")
        self.turn_number += step
        self.query_one(Static).update(self.label())

    def action_pause(self) -> None:
        self.record("pause")
        self.paused = not self.paused
        self.query_one(Static).update(self.label())


if __name__ == "__main__":
    sys.exit(KeyFloor(sys.argv[1] if len(sys.argv) > 1 else None).run())
'''

#: FTS5's trigram tokenizer finds words inside words, as peersession's search does.
TABLE = (
    "CREATE VIRTUAL TABLE texts USING fts5("
    "body, group_id UNINDEXED, private UNINDEXED, tokenize='trigram')"
)
#: The best hits, ranked and marked, as a results list shows them.
QUERY_ALL = (
    "SELECT rowid, group_id, highlight(texts, 0, '[', ']') FROM texts "
    "WHERE texts MATCH ? ORDER BY rank"
)
QUERY_GROUP = (
    "SELECT rowid, group_id, highlight(texts, 0, '[', ']') FROM texts "
    "WHERE texts MATCH ? AND group_id = ? ORDER BY rank"
)
#: How many results the history's search lists at first (a page; more are listed
#: when the cursor reaches the end): the product's ``history_search.PAGE``.
LISTED = 50

FTS_QUERY = f'''"""A fresh Python asking the FTS5 table: DB WORD LIMIT [GROUP]."""
import json, sqlite3, sys

db, word, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
connection = sqlite3.connect(db)
if len(sys.argv) > 4:
    rows = connection.execute({QUERY_GROUP!r} + " LIMIT ?", (json.dumps(word), sys.argv[4], limit))
else:
    rows = connection.execute({QUERY_ALL!r} + " LIMIT ?", (json.dumps(word), limit))
print(json.dumps(rows.fetchall()))
'''

FTS_BUILD = f'''"""A fresh Python building the FTS5 table from bundles, then asking it:
DB WORD LIMIT BUNDLE..."""
import json, sqlite3, sys

db, word, limit, bundles = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]


def texts(bundle):
    group = bundle["group"]["id"]
    for session in bundle["sessions"]:
        for note in session["notes"]:
            yield note["text"], group, note["private"]
        for turn in session["turns"]:
            for note in turn["notes"]:
                yield note["text"], group, note["private"]
        for ask in session["asks"]:
            yield ask["text"], group, ask["private"]
            if ask["outcome"]:
                yield ask["outcome"], group, ask["private"]
            for note in ask["notes"]:
                yield note["text"], group, note["private"] or ask["private"]
        for win in session["wins"]:
            yield win["text"], group, win["private"]
    for commitment in bundle["commitments"]:
        yield commitment["text"], group, commitment["private"]
        for review in commitment["reviews"]:
            if review.get("text"):
                yield review["text"], group, commitment["private"]
    for checkin in bundle["checkins"]:
        if checkin["note"]:
            yield checkin["note"], group, checkin["private"]


connection = sqlite3.connect(db)
connection.execute({TABLE!r})
with connection:
    for path in bundles:
        with open(path, "rb") as file:
            bundle = json.load(file)
        connection.executemany("INSERT INTO texts VALUES (?, ?, ?)", texts(bundle))
rows = connection.execute({QUERY_ALL!r} + " LIMIT ?", (json.dumps(word), limit))
print(json.dumps(rows.fetchall()))
'''


class FtsFloor:
    """The FTS5 table a :data:`FTS_BUILD` run left, asked from this process (warm)."""

    def __init__(self, db: Path) -> None:
        self.connection = sqlite3.connect(db)
        self.connection.execute("SELECT count(*) FROM texts").fetchone()

    def hits(self, word: str, group_id: str | None = None) -> list[Any]:
        """The best :data:`LISTED` hits of ``word`` (in one group, or in all)."""
        values: tuple[str | int, ...] = (json.dumps(word), LISTED)
        query = QUERY_ALL
        if group_id is not None:
            query, values = QUERY_GROUP, (json.dumps(word), group_id, LISTED)
        return self.connection.execute(query + " LIMIT ?", values).fetchall()


def rewrite(path: Path) -> None:
    """Read, parse, serialise and atomically write ``path`` (temp file, fsync,
    rename, fsync the folder), with the collector as the product leaves it: the
    fastest honest rewrite (msgspec's parser and encoder, several times
    quicker than the standard library's)."""
    payload = msgspec.json.encode(msgspec.json.decode(path.read_bytes()))
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as file:
        file.write(payload)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
