"""Where a line about sharing goes: standard error, or whoever asked for it.

Publishing and taking in happen behind the store, in every command and in
the app; what went wrong there (a folder not mounted, a record that does not
fit) is one line the user should see. The commands print it on standard
error, as their warnings; the app asks for it as a notification. Kept apart
from :mod:`.sync` so the app can ask without importing the exchange.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from ...core.safe_text import neutralise

_reporter: list[Callable[[str], None]] = []
#: The problems already told in this process: a folder that is not there is
#: said once, not at every read and write of the group.
_told: set[str] = set()


def set_reporter(report: Callable[[str], None] | None) -> None:
    """Send the lines about sharing to ``report`` (None: back to standard error)."""
    _reporter[:] = [report] if report is not None else []


def report(line: str, *, about: str | None = None) -> None:
    """Tell one line; with ``about`` (the problem), only the first time."""
    if about is not None:
        if about in _told:
            return
        _told.add(about)
    if _reporter:
        _reporter[0](line)
    else:
        print(f"peersession: {neutralise(line)}", file=sys.stderr)
