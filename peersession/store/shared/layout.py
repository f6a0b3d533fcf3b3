"""The names in a shared folder: what peersession writes, and everything else.

```
<shared>/peersession-shared-folder.txt   the marker, in plain text: format N
<shared>/<machine>/key-check             proves a key opens this folder
<shared>/<machine>/<number>.segment      changes, immutable once written
<shared>/<machine>/<journal>.journal     a live session, appended record by record
```

``<machine>`` is 32 random hex digits, ``<number>`` eight digits, ``<journal>``
32 random hex digits: no name says anything about the group. Every other name
is somebody else's (a sync tool's conflict copy or temporary file, git's, the
operating system's) or a copy of one of ours: :func:`classify` says which, and
the folder reader ignores it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Literal

from ...core.hlc import MACHINE_ID
from ...core.safe_text import neutralise

#: The folder's format: written in the marker and at the head of every file.
FORMAT = 1

MARKER_NAME = "peersession-shared-folder.txt"
MARKER_TEXT = f"peersession shared folder, format {FORMAT}\n"
MARKER_PATTERN = re.compile(rb"peersession shared folder, format (\d{1,6})\n?")
#: The marker is one short line; a larger file of that name is not ours.
MARKER_LIMIT = 256

KEY_CHECK_NAME = "key-check"
SEGMENT_NAME = re.compile(r"(\d{8})\.segment")
JOURNAL_NAME = re.compile(r"([0-9a-f]{32})\.journal")
#: Our own interrupted writes (store.atomic's temporary files).
OWN_TEMPORARY = re.compile(r"\..+\.\d+\.tmp")
MAX_SEGMENT_NUMBER = 99_999_999

Kind = Literal["marker", "machine", "key-check", "segment", "journal", "stray"]


def new_machine_id() -> str:
    """A machine's id in one group's folder: random, so it says nothing."""
    return secrets.token_hex(16)


def is_machine_id(name: str) -> bool:
    return MACHINE_ID.fullmatch(name) is not None


def segment_name(number: int) -> str:
    return f"{number:08d}.segment"


def journal_name(journal_id: str) -> str:
    return f"{journal_id}.journal"


@dataclass(frozen=True)
class Stray:
    """A name in the shared folder that peersession did not write there."""

    path: str  # relative to the shared folder
    what: str
    #: True for the bookkeeping of a sync tool or git, always harmless.
    expected: bool = False

    def line(self) -> str:
        """One line for ``doctor``: the name shown safely, what it is, what we do."""
        return f"{neutralise(self.path)}: {self.what}; ignored, nothing in it is read"


# (pattern, what it is, expected): checked in order, the first that matches.
_LEFTOVERS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r".*\.sync-conflict-.*"), "a conflict copy made by Syncthing", False),
    (
        re.compile(r".*\(.*conflicted copy.*\).*", re.I),
        "a conflict copy made by a cloud drive",
        False,
    ),
    (re.compile(r"\.syncthing\..*\.tmp"), "a file Syncthing is still receiving", False),
    (re.compile(r"~syncthing~.*\.tmp"), "a file Syncthing is still receiving", False),
    (re.compile(r"\.st(folder|ignore|versions)"), "Syncthing's own", True),
    (re.compile(r"\.git(ignore|attributes|keep|modules)?"), "git's own", True),
    (re.compile(r"~\$.*"), "an office program's lock file", False),
    (re.compile(r"\.~.*"), "a sync tool's or editor's temporary file", False),
    (
        re.compile(r"\.(dropbox.*|DS_Store|directory)|desktop\.ini|Thumbs\.db|Icon\r"),
        "the system's or a sync tool's own",
        True,
    ),
)


def classify(path: str, name: str, *, top: bool, is_dir: bool) -> Kind | Stray:
    """What ``name`` (at ``path``) is: one of ours, or a :class:`Stray` saying whose.

    ``top``: it lies in the shared folder itself, not in a machine's folder.
    """
    # Ours first: a pass over a folder of hundreds of segments decides each at once.
    if top:
        if name == MARKER_NAME and not is_dir:
            return "marker"
        if is_dir and is_machine_id(name):
            return "machine"
    elif not is_dir:
        if SEGMENT_NAME.fullmatch(name):
            return "segment"
        if JOURNAL_NAME.fullmatch(name):
            return "journal"
        if name == KEY_CHECK_NAME:
            return "key-check"
    for pattern, what, expected in _LEFTOVERS:
        if pattern.fullmatch(name):
            return Stray(path, what, expected)
    if OWN_TEMPORARY.fullmatch(name):
        return Stray(path, "a write that was interrupted (a machine stopped mid-write)")
    if is_dir and not top and (SEGMENT_NAME.fullmatch(name) or JOURNAL_NAME.fullmatch(name)):
        return Stray(path, "a folder where peersession writes a file")
    if _looks_like_a_copy(name):
        return Stray(path, "a copy of one of peersession's files under another name")
    return Stray(path, "not a name peersession writes here")


def _looks_like_a_copy(name: str) -> bool:
    stem = name.split(" ", 1)[0].split(".")[0]
    return bool(
        re.fullmatch(r"\d{8}|[0-9a-f]{32}|key-check|peersession-shared-folder", stem)
        or re.search(r"\.(segment|journal)\b", name)
    )
