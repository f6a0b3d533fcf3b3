"""Starting a program in a pseudo-terminal and timing its first useful frame.

The first frame counts when the bytes that show it have been written to the
terminal: the program runs on the slave side of a pty sized 120x40, exactly
as a terminal emulator would run it, and the time is taken when the master
side has read the text that only that frame holds (the group rows of the home
screen, the one line of the floor app). A frame that was composed but never
written, or written without its rows, does not count.

Checked against a real terminal: :mod:`.tmux_check` runs the same two
programs in tmux and polls the pane; its ratios agree with these (see the
README's Performance section).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

COLUMNS, LINES = 120, 40
#: Textual's quit key for both apps (ctrl+q).
QUIT = b"\x11"

FLOOR_TEXT = "peersession floor"
FLOOR_SCRIPT = f'''#!{{python}}
"""The floor: a minimal Textual app that shows one line (started like `peersession`)."""
import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class Floor(App[None]):
    def compose(self) -> ComposeResult:
        yield Static({FLOOR_TEXT!r})


if __name__ == "__main__":
    sys.exit(Floor().run())
'''


@dataclass(frozen=True)
class Shown:
    #: Seconds from spawning the process to reading the marker's last byte.
    seconds: float
    #: Everything the program wrote up to then.
    output: bytes


def console_script() -> Path:
    """The installed ``peersession`` command beside this Python (a venv's bin/)."""
    beside = Path(sys.executable).parent / "peersession"
    if beside.exists():
        return beside
    raise RuntimeError(f"no `peersession` command beside {sys.executable}: pip install -e .")


def compile_package() -> None:
    """Byte-compile peersession's modules, as ``pip install`` does for the command a
    user runs (and as Textual's were when it was installed). Without it a start in an
    editable install with ``PYTHONDONTWRITEBYTECODE`` set compiles every one of
    peersession's modules from source, each time, and the floor none of Textual's:
    about 30 ms on peersession's side alone that no installed copy ever spends."""
    import compileall

    import peersession

    compileall.compile_dir(Path(peersession.__file__).parent, quiet=1)


def write_script(folder: Path, name: str, text: str) -> Path:
    """An executable script run by this Python, as a console script is."""
    path = folder / name
    path.write_text(text.format(python=sys.executable))
    path.chmod(0o700)
    return path


def floor_script(folder: Path) -> Path:
    return write_script(folder, "peersession-floor", FLOOR_SCRIPT)


def environment(data_dir: Path | None, config: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TERM="xterm-256color", COLORTERM="truecolor", PEERSESSION_CONFIG=str(config))
    for name in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DRIVER"):
        env.pop(name, None)
    if data_dir is not None:
        env["PEERSESSION_DATA_DIR"] = str(data_dir)
    return env


def first_frame(
    command: list[str], marker: str, env: dict[str, str], *, timeout: float = 60.0
) -> Shown:
    """Run ``command`` in a 120x40 pty until ``marker`` has been written; then quit it."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    wanted = marker.encode("utf-8")
    output = bytearray()
    began = time.monotonic()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        seconds = _read_until(master, output, wanted, began, timeout)
        os.write(master, QUIT)
        _drain_until_exit(master, process)
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
    if seconds is None:
        tail = output[-2000:].decode("utf-8", "replace")
        raise RuntimeError(
            f"{command[0]} never showed {marker!r} (exit {process.returncode}):\n{tail}"
        )
    return Shown(seconds, bytes(output))


def _read_until(
    master: int, output: bytearray, wanted: bytes, began: float, timeout: float
) -> float | None:
    while time.monotonic() - began < timeout:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the program exited and closed the terminal
            return None
        if not chunk:
            return None
        at = time.monotonic()
        # Only the tail can complete a marker split across two reads.
        start = max(0, len(output) - len(wanted))
        output += chunk
        if output.find(wanted, start) >= 0:
            return at - began
    return None


def _drain_until_exit(master: int, process: subprocess.Popen[bytes]) -> None:
    """Keep reading (a full pty would block the program's exit) for up to 10 s."""
    deadline = time.monotonic() + 10
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=max(0.1, deadline - time.monotonic()))
