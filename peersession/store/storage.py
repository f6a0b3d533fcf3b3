"""A TinyDB storage that is crash-safe, private and knows its schema version.

TinyDB's stock ``JSONStorage`` rewrites its file in place, so a kill during a
write leaves invalid JSON or silently drops documents. This storage:

* writes through :func:`~peersession.store.atomic.atomic_write_bytes` (temp
  file, fsync, ``os.replace``, fsync the folder), files 0600;
* batches: inside :meth:`AtomicJSONStorage.batch` TinyDB's writes only touch
  memory and the whole batch lands in one atomic write at the end;
* parses the file afresh on every read outside a transaction, so a document
  handed out belongs to its caller alone (changing it cannot reach the file
  or another caller) and no process keeps whole group files for its
  lifetime; inside a transaction the file is parsed once and the many reads
  TinyDB makes per query share that parse;
* refuses a corrupt, truncated or non-peersession file, or one with a record
  of the wrong shape, with one line naming it, and never writes over it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeGuard

import msgspec
from tinydb import TinyDB
from tinydb.storages import Storage

from ..errors import UserError
from .atomic import atomic_write_bytes, disk_errors, ensure_private_dir, reason
from .checked_files import checked_before, remember_checked

Tables = dict[str, dict[str, Any]]


#: The version (:func:`file_stamp`) of each file whose shapes this process has
#: checked: stamps only, never documents (each read still parses afresh).
_SHAPES_CHECKED: dict[Path, tuple[int, int, int]] = {}


class CorruptFile(UserError):
    """A data file that is not valid peersession data; it is left untouched."""


class MisshapenFile(CorruptFile):
    """Valid JSON, but a record has the wrong shape (``store/shape_check.py``)."""


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime in ns) of a data file, ``None`` if there is none: an atomic
    write always makes a new inode, so a changed stamp means a changed file."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({reason(error)})") from None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _is_tables(data: object) -> TypeGuard[Tables]:
    """TinyDB's shape: tables of documents keyed by whole-number ids."""
    return isinstance(data, dict) and all(
        isinstance(table, dict)
        and all(isinstance(doc, dict) and key.isdigit() for key, doc in table.items())
        for table in data.values()
    )


def _as_utf8(raw: bytes) -> bytes:
    """A file's bytes as UTF-8 without a byte-order mark: an editor may save a
    hand edit with one, or in UTF-16 or 32 (JSON's own detection tells), and the
    next save writes it back as UTF-8."""
    encoding = json.detect_encoding(raw)
    return raw if encoding == "utf-8" else raw.decode(encoding).encode("utf-8")


def load_tables(path: Path) -> Tables | None:
    """Parse a data file (``None`` if it does not exist), or raise CorruptFile.

    Every call parses: the result is the caller's own, to keep or to change.
    """
    before = file_stamp(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise UserError(f"{path}: cannot read ({reason(error)})") from None
    # Unchanged between the two looks: ``raw`` is the version ``before`` names.
    version = before if before is not None and file_stamp(path) == before else None
    if not raw.strip():
        raise CorruptFile(f"{path}: the file is empty; it was left untouched")
    try:
        data = msgspec.json.decode(_as_utf8(raw))
    except (msgspec.DecodeError, RecursionError, UnicodeError) as error:
        # msgspec refuses what is not strict JSON (NaN) or not text (a lone
        # surrogate, which no save could write back), and says where the bytes
        # break, never what they hold.
        raise CorruptFile(
            f"{path}: not valid JSON ({error}); it may be truncated or damaged and was "
            "left untouched (try `peersession doctor`)"
        ) from None
    if not _is_tables(data):
        raise CorruptFile(f"{path}: not a peersession data file; it was left untouched")
    # Every version of a file is checked once (the check costs about as much as the
    # parse): what a reader gets has the shapes the code expects. Once per process
    # by its stamp, and once for good by its bytes' digest (store/checked_files.py).
    if version is None or _SHAPES_CHECKED.get(path) != version:
        if not checked_before(raw):
            # Imported only when a check is due: the records and zoneinfo are
            # off the start of a process whose files were checked before.
            from .shape_check import check_stored_shapes

            problem = check_stored_shapes(path, data, raw)
            if problem:
                raise MisshapenFile(problem)
            remember_checked(raw)
        if version is not None:
            _SHAPES_CHECKED[path] = version
    return data


def checked_bytes(path: Path) -> bytes | None:
    """A data file's bytes if this code checked exactly this version of it before
    (in this process by its stamp, in another by its digest); None otherwise, or
    for no file: the caller reads it the long way (:func:`load_tables`)."""
    before = file_stamp(path)
    if before is None:
        return None
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if file_stamp(path) != before:
        return None  # changed while read: the long way says what it is now
    if _SHAPES_CHECKED.get(path) == before or checked_before(raw):
        return raw
    return None


class AtomicJSONStorage(Storage):
    """TinyDB storage over :func:`load_tables` and atomic writes.

    Inside :meth:`batch` the first read parses the file and every later read
    (TinyDB reads the whole file for each query) and write works on that one
    parse, which lands on disk when the batch ends. Outside a batch every read
    parses afresh.
    """

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._batch_depth = 0
        #: The batch's parse of the file, with its changes so far.
        self._pending: Tables | None = None
        self._changed = False

    def read(self) -> Tables | None:
        if self._pending is not None:
            return self._pending
        tables = load_tables(self.path)
        if self._batch_depth:
            self._pending = tables
        return tables

    def write(self, data: Tables) -> None:
        if self.read_only:
            raise UserError(f"{self.path}: opened read-only")
        if self._batch_depth:
            self._pending = data
            self._changed = True
            return
        self._flush(data)

    def _flush(self, data: Tables) -> None:
        payload = msgspec.json.encode(data)
        with disk_errors(self.path, "cannot save", kept="the file was left as it was"):
            ensure_private_dir(self.path.parent)
            atomic_write_bytes(self.path, payload)
        # What this process wrote came from a checked parse and the store's own
        # documents: the next read need not check this version again.
        stamp = file_stamp(self.path)
        if stamp is not None:
            _SHAPES_CHECKED[self.path] = stamp

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Collect every write inside the block into one atomic write."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._pending, self._changed = None, False
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0:
            pending, changed = self._pending, self._changed
            self._pending, self._changed = None, False
            if pending is not None and changed:
                self._flush(pending)

    @property
    def batch_tables(self) -> Tables | None:
        """The batch's parse of the file (with its changes so far), once read."""
        return self._pending

    def close(self) -> None:
        pass


def open_db(path: Path, *, read_only: bool = False) -> TinyDB:
    """A TinyDB over the atomic storage. Tables have no query cache: another
    process may change the file between two queries."""
    db = TinyDB(path, storage=AtomicJSONStorage, read_only=read_only)
    db.default_table_name = "_default"
    return db


def storage_of(db: TinyDB) -> AtomicJSONStorage:
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage
