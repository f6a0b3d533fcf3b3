"""Check the pty measure of the first frame in a real terminal: tmux.

``python -m peersession.bench.tmux_check DIR [RUNS [SESSION]]`` starts the ``peersession``
command on the archive in DIR (built by ``python -m peersession.bench --archive
DIR``) and the one-line floor app, each in a fresh 120x40 tmux session,
alternating, and polls the pane every 5 ms until the group rows (the floor's
line) are on screen. Polling adds up to 5 ms and tmux's own redraw to both
alike; the ratio is what to compare with the benchmark's.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..store.history import HistoryStore
from . import terminal
from .stats import median


def _tmux(*args: str) -> str:
    result = subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0 and args[0] == "new-session":
        raise RuntimeError(f"tmux new-session: {result.stderr.strip()}")
    return result.stdout


def shown_after(command: list[str], marker: str, env: dict[str, str], session: str) -> float:
    """Seconds from starting ``command`` in a new tmux session to ``marker`` on screen."""
    line = " ".join(shlex.quote(part) for part in command)
    exports = " ".join(
        f"{name}={shlex.quote(env[name])}"
        for name in ("PEERSESSION_DATA_DIR", "PEERSESSION_CONFIG")
        if name in env
    )
    began = time.monotonic()
    _tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", f"env {exports} {line}")
    try:
        while time.monotonic() - began < 60:
            if marker in _tmux("capture-pane", "-p", "-t", session):
                return time.monotonic() - began
            time.sleep(0.005)
        screen = _tmux("capture-pane", "-p", "-t", session)
        raise RuntimeError(f"{marker!r} never appeared; the pane shows:\n{screen}")
    finally:
        _tmux("kill-session", "-t", session)


def main(argv: list[str]) -> int:
    archive = Path(argv[0]) / "archive"
    runs = int(argv[1]) if len(argv) > 1 else 7
    session = argv[2] if len(argv) > 2 else "peersession-bench-check"
    first_group = HistoryStore(archive).groups()[0].name
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        env = terminal.environment(archive, scratch / "no-config.toml")
        os.environ.update(env)
        real = [str(terminal.console_script())]
        floor = [str(terminal.floor_script(scratch))]
        reals, floors = [], []
        for _ in range(runs):
            floors.append(shown_after(floor, terminal.FLOOR_TEXT, env, session))
            reals.append(shown_after(real, first_group, env, session))
    ratio = median(reals) / median(floors)
    print(
        f"tmux: peersession {median(reals) * 1000:.0f} ms, floor {median(floors) * 1000:.0f} ms, "
        f"ratio {ratio:.2f} ({runs} runs each)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
