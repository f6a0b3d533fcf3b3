"""A program in a real pseudo-terminal, its screen decoded by pyte, timed by arrival.

The program runs on the slave side of a pty, exactly as under a terminal
emulator: real clock, real timers, its frames written as bytes. A thread reads
the master side as fast as the bytes come and stamps each chunk on arrival;
the main thread decodes them with pyte (slow: about 1 MB/s) once the program
pauses (so the decoding does not compete with its writing), and asks whether
the screen shows what is awaited after each burst of output (chunks that came
less than a millisecond apart: one frame). A wait ends at the arrival of the
burst that made the screen show it, so decoding time is never counted.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

#: Chunks closer than this belong to one frame.
BURST_GAP = 0.001
#: Output is decoded once the program has written nothing for this long (or after
#: MAX_DEFER): arrival times are kept, so waiting costs nothing in accuracy.
QUIET, MAX_DEFER = 0.005, 0.1
QUIT = b"\x11"  # ctrl+q, Textual's quit


class NeverShown(RuntimeError):
    """What was awaited never came: the message says what the screen showed instead."""


Shown = Callable[[list[str]], bool]


class Terminal:
    """``argv`` started in a ``columns`` x ``lines`` pty; closed by :meth:`close`."""

    def __init__(
        self, argv: Sequence[str], env: dict[str, str], columns: int = 120, lines: int = 40
    ) -> None:
        self.argv = list(argv)
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self._master = master
        self._pending: list[tuple[float, bytes]] = []
        self._arrived = threading.Condition()
        self._ended = False
        self.last_arrival = 0.0
        self.began = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # the program exited and the pty closed
                chunk = b""
            at = time.perf_counter()
            with self._arrived:
                if chunk:
                    self._pending.append((at, chunk))
                else:
                    self._ended = True
                self._arrived.notify_all()
            if not chunk:
                return

    def lines(self) -> list[str]:
        return list(self.screen.display)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines())

    def _take(self, timeout: float) -> list[tuple[float, bytes]]:
        with self._arrived:
            if not self._pending and not self._ended:
                self._arrived.wait(timeout)
            taken, self._pending = self._pending, []
            return taken

    def catch_up(self) -> None:
        """Decode everything that has arrived, so the screen is current."""
        for at, chunk in self._take(0):
            self._stream.feed(chunk)
            self.last_arrival = at

    def wait_for(
        self,
        shown: Shown,
        timeout: float = 30.0,
        what: str = "the awaited screen",
        on_poll: Callable[[], object] | None = None,
        poll: float = 0.05,
    ) -> float:
        """The arrival time (``perf_counter``) of the output that made ``shown(lines)``
        true; if it already is, the arrival of the last output decoded. ``on_poll`` is
        called at least every ``poll`` seconds while waiting."""
        self.catch_up()
        if shown(self.lines()):
            return self.last_arrival
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if on_poll is not None:
                on_poll()
            chunks = self._take(poll)
            # Decode once the program has paused (a frame is written in one go), so
            # pyte's work does not compete with the program's while it writes.
            deadline_quiet = time.perf_counter() + MAX_DEFER
            while chunks and time.perf_counter() < deadline_quiet:
                more = self._take(QUIET)
                if not more:
                    break
                chunks += more
            for number, (at, chunk) in enumerate(chunks):
                self._stream.feed(chunk)
                self.last_arrival = at
                burst_ends = number + 1 == len(chunks) or chunks[number + 1][0] - at > BURST_GAP
                if burst_ends and shown(self.lines()):
                    self._keep(chunks[number + 1 :])
                    return at
            if self._ended and not self._pending:
                break
        raise NeverShown(self._describe(what))

    def _keep(self, chunks: list[tuple[float, bytes]]) -> None:
        with self._arrived:
            self._pending[:0] = chunks

    def _describe(self, what: str) -> str:
        state = "exited" if self.process.poll() is not None else "still running"
        return (
            f"{Path(self.argv[0]).name} never showed {what} ({state}); its screen:\n{self.text()}"
        )

    def settle(self, seconds: float) -> None:
        """Keep decoding for ``seconds``."""
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            for at, chunk in self._take(min(left, 0.05)):
                self._stream.feed(chunk)
                self.last_arrival = at

    def write(self, data: bytes) -> float:
        """Type ``data``; the time just before it was written."""
        at = time.perf_counter()
        os.write(self._master, data)
        return at

    def paste(self, text: str) -> float:
        """Paste ``text`` as a terminal does (bracketed paste: one event, not keys)."""
        return self.write(b"\x1b[200~" + text.encode("utf-8") + b"\x1b[201~")

    def close(self, quit_key: bytes | None = QUIT, grace: float = 5.0) -> None:
        """Ask the program to quit, then end it (and what it started) if it has not."""
        try:
            if quit_key is not None and self.process.poll() is None:
                with contextlib.suppress(OSError):
                    os.write(self._master, quit_key)
                deadline = time.perf_counter() + grace
                while self.process.poll() is None and time.perf_counter() < deadline:
                    self._take(0.05)
        finally:
            if self.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            with contextlib.suppress(OSError):
                os.close(self._master)
            self._reader.join(timeout=2)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of ``pid`` in kB: resident now, and the peak so far (Linux)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields["VmRSS"], fields["VmHWM"]


def responsive_reader() -> None:
    """Let the reader thread take the GIL back quickly from pyte's decoding, so
    arrival stamps are not late by a switch interval (5 ms by default)."""
    sys.setswitchinterval(0.0002)
