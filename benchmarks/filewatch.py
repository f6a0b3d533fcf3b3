"""When files change, stamped as it happens, without polling (Linux inotify).

Polling a file every half millisecond would take a share of a core from the
program being measured (on two cores, that shows: it doubled the key figures
of a first version of this benchmark). inotify wakes a thread blocked on its
descriptor at each change instead, and the thread stamps the moment. Only
what the kernel reports is seen: a write, a rename, not the end of an
fdatasync that follows a write.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import struct
import threading
import time
from pathlib import Path

#: A file written to.
IN_MODIFY = 0x00000002
#: A folder's entries renamed away, renamed in (an atomic replace), deleted.
IN_MOVED_FROM, IN_MOVED_TO, IN_DELETE = 0x00000040, 0x00000080, 0x00000200
ENTRIES = IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE
IN_CLOEXEC = 0o2000000
_EVENT = struct.Struct("iIII")


class WatchUnavailable(RuntimeError):
    """No inotify here (not Linux, or no more watches allowed)."""


def _libc() -> ctypes.CDLL:
    name = ctypes.util.find_library("c")
    if name is None:
        raise WatchUnavailable("no C library to ask for inotify")
    return ctypes.CDLL(name, use_errno=True)


class Watch:
    """Every change of ``mask`` to ``paths`` (which must exist) from now on, as
    ``perf_counter`` times; :meth:`wait` blocks until the next one."""

    def __init__(self, paths: list[Path], mask: int) -> None:
        libc = _libc()
        self._fd = libc.inotify_init1(IN_CLOEXEC)
        if self._fd < 0:
            raise WatchUnavailable(os.strerror(ctypes.get_errno()))
        for path in paths:
            if libc.inotify_add_watch(self._fd, os.fsencode(path), mask) < 0:
                os.close(self._fd)
                raise WatchUnavailable(f"{path}: {os.strerror(ctypes.get_errno())}")
        self.changes: list[float] = []
        self._changed = threading.Condition()
        self._closed = False
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._closed:
            try:
                ready, _, _ = select.select([self._fd], [], [], 0.2)
                data = os.read(self._fd, 65536) if ready else b""
            except OSError:
                return
            if data:
                at = time.perf_counter()
                with self._changed:
                    # Each event is 16 bytes and the name the kernel gives (if any).
                    self.changes.append(at)
                    self._changed.notify_all()

    def first_after(self, moment: float) -> float | None:
        return next((at for at in list(self.changes) if at >= moment), None)

    def wait(self, seen: int, timeout: float) -> None:
        """Until more than ``seen`` changes have been stamped, or ``timeout``."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.changes) > seen, timeout)

    def close(self) -> None:
        self._closed = True
        self._thread.join(timeout=1)
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
