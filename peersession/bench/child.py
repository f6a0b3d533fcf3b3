"""One measured start, in a fresh process: ``python -m peersession.bench.child KIND [DATA GROUP]``.

``KIND`` is ``floor`` (a minimal Textual app showing one line), ``home`` (the
real app from ``create_app`` on ``DATA``) or ``meeting`` (the real app opening
a session of ``GROUP``). When the first frame of the screen that matters has
been composed and rendered to terminal codes, the process prints one JSON line:
when that was (``time.monotonic()``, comparable with the parent's) and its
resident memory, then exits.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def resident_kb() -> int:
    """VmRSS from /proc (Linux); 0 where there is none."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    kind = argv[0]
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import Static

    app: App[Any]
    wanted: type[Screen[Any]] | None = None
    if kind == "floor":

        class Floor(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("peersession")

        app = Floor()
    else:
        from ..core.clock import FakeClock
        from ..tui.app import create_app

        if kind == "home":
            from ..tui.screens.home import HomeScreen

            wanted = HomeScreen
            app = create_app(data_dir=Path(argv[1]))
        else:
            from ..tui.screens.meeting import MeetingScreen

            wanted = MeetingScreen
            app = create_app(data_dir=Path(argv[1]), clock=FakeClock(), start_group=argv[2])

    display = app._display

    def first_frame(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is None or (wanted is not None and not isinstance(screen, wanted)):
            return
        # Include turning the frame into terminal codes, as a real terminal needs.
        renderable.render_segments(app.console)
        at = time.monotonic()
        print(json.dumps({"at": at, "rss_kb": resident_kb()}), flush=True)
        app._display = display  # type: ignore[method-assign]
        app.exit()

    app._display = first_frame  # type: ignore[method-assign]
    app.run(headless=True, size=(120, 40))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
