"""A TinyDB storage that is crash-safe, private and knows its schema version.

TinyDB's stock ``JSONStorage`` rewrites its file in place, so a kill during a
write leaves invalid JSON or silently drops documents. This storage:

* writes through :func:`~peersession.store.atomic.atomic_write_bytes` (temp
  file, fsync, ``os.replace``, fsync the folder), files 0600;
* batches: inside :meth:`AtomicJSONStorage.batch` TinyDB's writes only touch
  memory and the whole batch lands in one atomic write at the end;
* caches the parsed file and re-reads it only when the file on disk changed
  (a new inode after another process's ``os.replace``), so the many reads
  TinyDB makes per query cost nothing;
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

from tinydb import TinyDB
from tinydb.storages import Storage

from ..core.gc_pause import gc_paused as gc_paused  # re-exported for the store
from ..errors import UserError
from .atomic import atomic_write_bytes, disk_errors, ensure_private_dir, reason
from .shape_check import check_stored_shapes

Tables = dict[str, dict[str, Any]]

# Parsed files shared by every storage object in this process, keyed by path
# and validated by (inode, size, mtime): a TinyDB object is cheap to create,
# parsing a large history file is not.
_CACHE: dict[Path, tuple[tuple[int, int, int], Tables]] = {}


class CorruptFile(UserError):
    """A data file that is not valid peersession data; it is left untouched."""


class MisshapenFile(CorruptFile):
    """Valid JSON, but a record has the wrong shape (``store/shape_check.py``)."""


def _stat_key(path: Path) -> tuple[int, int, int] | None:
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


def load_tables(path: Path) -> Tables | None:
    """Parse a data file (``None`` if it does not exist), or raise CorruptFile."""
    key = _stat_key(path)
    if key is None:
        _CACHE.pop(path, None)
        return None
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UserError(f"{path}: cannot read ({reason(error)})") from None
    if not raw.strip():
        raise CorruptFile(f"{path}: the file is empty; it was left untouched")
    try:
        with gc_paused():
            data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CorruptFile(
            f"{path}: not valid JSON ({error}); it may be truncated or damaged and was "
            "left untouched (try `peersession doctor`)"
        ) from None
    if not _is_tables(data):
        raise CorruptFile(f"{path}: not a peersession data file; it was left untouched")
    # Once per parse (not per read: the parsed copy is cached below).
    problem = check_stored_shapes(path, data)
    if problem:
        raise MisshapenFile(problem)
    _CACHE[path] = (key, data)
    return data


def forget(path: Path) -> None:
    """Drop the cached copy (after a failed write, memory may be ahead of disk)."""
    _CACHE.pop(path, None)


def forget_under(root: Path) -> None:
    """Drop the cached copies of every file in a data folder.

    A write transaction starts with this: its read-modify-write must read the
    file as it is, and the (inode, size, mtime) key can be fooled where
    timestamps are coarse and a freed inode is reused by the next write.
    """
    for path in [p for p in _CACHE if p.is_relative_to(root)]:
        del _CACHE[path]


class AtomicJSONStorage(Storage):
    """TinyDB storage over :func:`load_tables` and atomic writes."""

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._batch_depth = 0
        self._pending: Tables | None = None

    def read(self) -> Tables | None:
        if self._pending is not None:
            return self._pending
        return load_tables(self.path)

    def write(self, data: Tables) -> None:
        if self.read_only:
            raise UserError(f"{self.path}: opened read-only")
        if self._batch_depth:
            self._pending = data
            return
        self._flush(data)

    def _flush(self, data: Tables) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            with disk_errors(self.path, "cannot save", kept="the file was left as it was"):
                ensure_private_dir(self.path.parent)
                atomic_write_bytes(self.path, payload)
        except BaseException:
            forget(self.path)
            raise
        key = _stat_key(self.path)
        if key is not None:
            _CACHE[self.path] = (key, data)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Collect every write inside the block into one atomic write."""
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._pending = None
                forget(self.path)
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._pending is not None:
            pending, self._pending = self._pending, None
            self._flush(pending)

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
