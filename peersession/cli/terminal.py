"""Whether the app can open here: a terminal on both ends, one that can draw.

A command that opens the app refuses with one line when it cannot work: input
from a file or /dev/null would leave it waiting for keys forever, output to a
file would fill it with escape codes, and ``TERM=dumb`` (an editor's shell, a
CI log) cannot draw a screen. The line names the command that does the job
without a screen.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, TextIO

from ..errors import UserError

if TYPE_CHECKING:
    from ..tui.app import PeersessionApp


def _is_terminal(stream: TextIO | None) -> bool:
    return stream is not None and stream.isatty()


#: Set by textual-serve (``view --serve``) for the app it runs per browser: the
#: app draws through that driver, not on a terminal.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def terminal_problem() -> str | None:
    """Why the app cannot open here, or None when it can."""
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return None
    if os.environ.get("TERM") == "dumb":
        return "TERM is dumb"
    if not _is_terminal(sys.stdin):
        return "standard input is not a terminal"
    if not _is_terminal(sys.stdout):
        return "standard output is not a terminal"
    return None


def require_terminal(what: str, instead: str) -> None:
    """Raise a one-line UserError when ``what`` cannot open here; ``instead``
    is the non-interactive command to use (``peersession group list``)."""
    problem = terminal_problem()
    if problem is not None:
        raise UserError(f"{what} needs a terminal ({problem}); without one, use: {instead}")


def freeze_start_up() -> None:
    """Leave what is alive now out of the collector's full passes, for good.

    The one collector setting in peersession (docs/internals.md, "The garbage
    collector"), called once, before the first screen: the modules, the app,
    its settings and its store live as long as the process anyway, and the
    collector's full passes would otherwise walk all of them (Textual's
    classes and functions, most of the heap) in the middle of a key's frame.
    Every screen is made after this call: none is frozen, and a closed one is
    freed as usual (``tests/e2e/test_meeting_memory.py``).
    """
    gc.freeze()


def run_app(app: PeersessionApp) -> int:
    """Run the app in this terminal until it quits; its exit code."""
    freeze_start_up()
    app.run()
    return app.return_code or 0
