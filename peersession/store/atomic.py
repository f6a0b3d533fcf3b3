"""Crash-safe file writes, and folders only the owner can read.

Every file peersession writes goes through :func:`atomic_write_bytes` (whole
files) or :func:`append_durably` (the journal). A whole file is written to a
temporary file in the same folder, fsynced, moved over the old one with
``os.replace`` (atomic on POSIX) and the folder is fsynced so the rename itself
survives a power cut. A kill at any moment leaves either the old file or the
new one, never a torn one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..errors import UserError

FILE_MODE = 0o600
DIR_MODE = 0o700


class UnconfirmedWrite(OSError):
    """The new file is in place, but syncing its folder failed: the rename may
    not survive a power cut. Raised by :func:`atomic_write_bytes`."""


class DiskError(UserError, OSError):
    """The disk refused a write (full, read-only, failing): one line naming the
    file. Still an ``OSError`` (with the original ``errno`` and ``strerror``)
    for callers that handle those."""

    def __init__(self, message: str, error: OSError) -> None:
        UserError.__init__(self, message)
        self.errno = error.errno
        self.strerror = error.strerror


def reason(error: OSError) -> str:
    """``No space left on device``, ``Read-only file system``... for a message."""
    return error.strerror or str(error)


@contextlib.contextmanager
def disk_errors(path: Path, doing: str, *, kept: str = "it was left as it was") -> Iterator[None]:
    """Turn an ``OSError`` into a :class:`DiskError` that says what happened to the file.

    ``doing`` is what failed ("cannot save"); ``kept`` what the user still has.
    """
    try:
        yield
    except DiskError:
        raise
    except UnconfirmedWrite as error:
        raise DiskError(
            f"{path}: saved, but the disk did not confirm it ({reason(error)}); "
            "check the disk, then run `peersession doctor`",
            error,
        ) from None
    except OSError as error:
        raise DiskError(f"{path}: {doing} ({reason(error)}); {kept}", error) from None


def ensure_private_dir(path: Path) -> None:
    """Create a folder (and parents) readable by the owner alone.

    Folders that already exist are left as they are here; the data folder
    itself is tightened when the history is first written (:func:`tighten_folder`).
    """
    if path.is_dir():
        return
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    # mkdir's mode is filtered by the umask; make sure of 0700.
    os.chmod(path, DIR_MODE)


def tighten_folder(path: Path) -> bool:
    """Make a folder of ours readable by its owner alone (0700), as the data
    folder must be before anything confidential is written into it. A folder
    someone else owns is left alone (``peersession doctor`` reports it).
    Returns whether the folder is private now."""
    try:
        st = path.stat()
        if not stat.S_IMODE(st.st_mode) & 0o077:
            return True
        if st.st_uid != os.getuid():
            return False
        os.chmod(path, DIR_MODE)
    except OSError:
        return False
    return True


def foreign_owner(folder: Path) -> int | None:
    """The owner's uid when ``folder`` exists and belongs to another user than
    the one running; None when it is ours, or absent (made by us, it will be
    ours), or cannot be looked at (the write itself will say why)."""
    try:
        owner = folder.stat().st_uid
    except OSError:
        return None
    return owner if owner != os.geteuid() else None


def refuse_foreign_folder(folder: Path) -> None:
    """Refuse to write into a folder another user owns, with one line.

    Root writing into ``nobody``'s data folder would replace its files with
    root-owned 0600 copies and lock the owner out of their own history; a
    file's owner cannot be kept by a rename without privileges, so the write
    is refused before anything is touched, whoever runs it.
    """
    owner = foreign_owner(folder)
    if owner is None:
        return
    raise UserError(
        f"{folder}: belongs to another user ({_user_name(owner)}); peersession writes only "
        "into folders of the user running it: run it as that user. Nothing was changed"
    )


def _user_name(uid: int) -> str:
    try:
        import pwd

        return f"{pwd.getpwuid(uid).pw_name}, uid {uid}"
    except (ImportError, KeyError):
        return f"uid {uid}"


#: The largest file :func:`read_regular_file` reads unless told otherwise.
READ_LIMIT = 1 << 30


class NotRegularFile(OSError):
    """Something other than a plain file (a FIFO, a device, a folder) where a
    file was expected: reading it could hang or never end."""


class TooLarge(OSError):
    """A file larger than the reader's limit."""


def read_regular_file(path: Path, limit: int = READ_LIMIT) -> bytes:
    """The bytes of ``path``, only if it is a regular file of at most ``limit`` bytes.

    Opened without blocking (a FIFO would otherwise wait forever for a
    writer) and checked on the open descriptor (no race with a swap), then
    read up to the limit only (``/dev/zero`` never ends). Raises
    ``FileNotFoundError``, :class:`NotRegularFile`, :class:`TooLarge` or
    another ``OSError``.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        if st.st_size > limit:
            raise TooLarge(errno.EFBIG, f"larger than {limit:,} bytes", str(path))
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise TooLarge(errno.EFBIG, f"larger than {limit:,} bytes", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (it may write less)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:
        fsync_dir(path.parent)
    except OSError as error:
        raise UnconfirmedWrite(error.errno, error.strerror, str(path)) from error


def append_durably(fd: int, data: bytes) -> None:
    """Append to an open ``O_APPEND`` file and wait until it is on disk."""
    write_all(fd, data)
    # fdatasync skips the metadata flush fsync would add; the size change
    # that makes the new line readable is still flushed.
    sync = getattr(os, "fdatasync", os.fsync)
    sync(fd)
