"""Never two writers: a write lock per data folder, a live lock per group.

* Every change to the history (``peersession.json`` and the group files) is a
  short read-modify-write done while holding ``write.lock``; a second process
  waits a few seconds for it and is otherwise refused with a clear message.
  Readers need no lock: files are only ever replaced atomically.
* Settings are changed under a lock next to their file (:func:`one_settings_writer`).
* A live session holds ``live/<group>.lock`` for as long as it runs, so a
  second window cannot run (and journal) the same group's session. The OS
  drops the lock when the process dies, so ``kill -9`` never leaves it stuck.
* Neither is taken in a folder another user owns (:func:`~.atomic.refuse_foreign_folder`):
  every write goes through one of them, so no write replaces another user's
  files with copies they cannot read.
"""

from __future__ import annotations

import functools
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from .. import paths
from ..errors import UserError
from .atomic import FILE_MODE, ensure_private_dir, reason, refuse_foreign_folder

if TYPE_CHECKING:
    from filelock import FileLock

WRITE_TIMEOUT_SECONDS = 10.0


def _file_lock(path: Path, timeout: float) -> FileLock:
    """A filelock lock on ``path``, made when first taken: every command opens a
    store (and so makes a WriteLock), but only the ones that write take it, so
    the home screen's first frame does not wait for filelock's import."""
    from filelock import FileLock

    return FileLock(path, timeout=timeout, mode=FILE_MODE)


class WriteLock:
    """Re-entrant lock around a history write transaction."""

    def __init__(self, path: Path, timeout: float = WRITE_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.timeout = timeout
        self._lock: FileLock | None = None

    def __enter__(self) -> WriteLock:
        from filelock import Timeout

        refuse_foreign_folder(self.path.parent)
        if self._lock is None:
            self._lock = _file_lock(self.path, self.timeout)
        try:
            self._lock.acquire()
        except Timeout:
            raise UserError(
                f"another peersession is writing to {self.path.parent} and did not finish "
                f"within {self.timeout:.0f}s; try again"
            ) from None
        except OSError as error:
            # A read-only or full data folder: the lock file cannot be created.
            raise UserError(
                f"{self.path.parent}: cannot write to the data folder ({reason(error)}); "
                "nothing was changed"
            ) from None
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._lock is not None  # entered first
        self._lock.release()


class LiveLock:
    """Held by the one process running a group's live session."""

    def __init__(self, path: Path, group_name: str) -> None:
        # Refused before ``live/`` is made: the data folder, then ``live/`` itself.
        refuse_foreign_folder(path.parent.parent)
        refuse_foreign_folder(path.parent)
        self.path = path
        self.group_name = group_name
        self._lock = _file_lock(path, 0)

    def acquire(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise UserError(
                f"a live session of {self.group_name!r} is already open in another "
                "peersession; finish or quit it there first"
            ) from None
        except OSError as error:
            raise UserError(
                f"{self.path}: cannot lock the live session ({reason(error)}); nothing was changed"
            ) from None

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked


class SettingsWrite(Protocol):
    def __call__(self, name: str, path: Path | None = None) -> None: ...


def one_settings_writer(save: SettingsWrite) -> SettingsWrite:
    """Run a read-modify-write of the settings file under a lock next to it
    (``.config.toml.lock``), with the file read after taking it: two windows
    changing settings at once both keep their change."""

    @functools.wraps(save)
    def locked(name: str, path: Path | None = None) -> None:
        target = path or paths.config_file()
        try:
            ensure_private_dir(target.parent)
        except OSError as error:
            raise UserError(
                f"{target.parent}: cannot create the folder ({reason(error)})"
            ) from None
        with WriteLock(target.with_name(f".{target.name}.lock")):
            save(name, target)

    return locked
