"""What in a data folder is peersession's own: the rule ``doctor`` acts by.

``--data-dir`` can point anywhere, a project folder included. The doctor
must not take a folder of someone's files for damaged data: it checks and
repairs a folder only when it is recognisably a data folder
(:func:`recognise`), and inside one it looks only at the names peersession
itself writes (:func:`our_entries`, :func:`is_our_temp`). Anything else there
is not ours: not checked, not made private, never moved.

A folder is a data folder when it is empty (nothing saved yet), or when
something in it carries peersession's stamp: the index or a group file
whose ``_meta`` names its kind (read from the bytes, so a damaged file still
says whose it is), a backup of one, a session journal that starts a session,
or the doctor's own list of what it could not recover.
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..paths import DataLayout
from .atomic import read_regular_file, reason

#: What an id looks like (``core/record_types.Id``): group files and journals are named by one.
_ID = r"[A-Za-z0-9_-]{1,64}"

#: The doctor's list of records a repair could not bring back (``doctor_losses.py``).
LOSSES_NAME = "unrecovered.json"

#: Files of the data folder itself.
ROOT_FILES = frozenset(
    {
        "peersession.json",
        "write.lock",
        "search.sqlite3",
        "search.sqlite3-wal",
        "search.sqlite3-shm",
        "search.sqlite3-journal",
        LOSSES_NAME,
    }
)

#: Each folder of ours, and the names peersession writes in it.
FOLDER_NAMES: dict[str, re.Pattern[str]] = {
    "groups": re.compile(rf"{_ID}\.json"),
    "live": re.compile(rf"{_ID}\.(?:journal|lock)"),
    # ``<group id>-<session id>.journal``, and a session set aside (``.discarded``).
    "retired": re.compile(rf"{_ID}-{_ID}\.(?:journal|discarded)"),
    # ``<stem>.<why>.<YYYYMMDD-HHmmss>[-n].<suffix>`` (``schema.backup_file``, the doctor).
    "backups": re.compile(
        r"[A-Za-z0-9_-]{1,64}(?:\.[A-Za-z0-9_-]{1,80}){1,6}\.\d{8}-\d{6}(?:-\d+)?\.(?:json|tmp)"
    ),
    # ``2026-03-05-170000[-n].svg`` (``store/screenshots.screenshot_name``).
    "screenshots": re.compile(r"\d{4}-\d{2}-\d{2}-\d{6}(?:-\d+)?\.svg"),
}

#: ``.<name>.<pid>.tmp``, as :func:`~peersession.store.atomic.atomic_write_bytes` names them.
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp$")

#: The longest file read to recognise a data folder by (a group file of ten
#: thousand sessions is well under it).
STAMP_READ_LIMIT = 512 << 20

_STAMP = re.compile(rb'"_meta"\s*:\s*\{\s*"1"\s*:\s*\{[^{}]*"kind"\s*:\s*"(index|group)"')


class NotADataFolder(UserError):
    """``--data-dir`` names something that is not a peersession data folder."""


def is_ours(folder: str, name: str) -> bool:
    """Whether peersession writes a file called ``name`` in ``folder`` (``""``:
    the data folder itself; else ``groups``, ``live``, ``retired``, ``backups``)."""
    if not folder:
        return name in ROOT_FILES
    pattern = FOLDER_NAMES.get(folder)
    return pattern is not None and pattern.fullmatch(name) is not None


def is_our_temp(folder: str, name: str) -> bool:
    """A temporary file of one of our atomic writes (``.<our name>.<pid>.tmp``)."""
    match = TEMP_NAME.match(name)
    return match is not None and is_ours(folder, match.group("name"))


@dataclass(frozen=True)
class Entry:
    """A file or folder of ours, as found on disk (symbolic links are never ours)."""

    path: Path
    #: ``""`` for the data folder's own files, else the folder's name.
    folder: str
    is_dir: bool
    mode: int
    uid: int


def our_entries(layout: DataLayout) -> Iterator[Entry]:
    """The data folder, its folders of ours and every file of ours in them
    (temporary files included), in a stable order. Other names are skipped."""
    yield from _entry(layout.root, "", expect_dir=True)
    for path in _listing(layout.root):
        name = path.name
        if name in FOLDER_NAMES:
            entries = list(_entry(path, name, expect_dir=True))
            yield from entries
            if entries:
                for inner in _listing(path):
                    if is_ours(name, inner.name) or is_our_temp(name, inner.name):
                        yield from _entry(inner, name, expect_dir=False)
        elif is_ours("", name) or is_our_temp("", name):
            yield from _entry(path, "", expect_dir=False)


def our_files(layout: DataLayout, folder: str, suffix: str = "") -> tuple[list[Path], list[Path]]:
    """The files of ours in ``folder`` (ending in ``suffix``), sorted: the regular
    ones, and those at our names that are not (a link, a FIFO: never read, a
    FIFO would hang the reader)."""
    regular: list[Path] = []
    other: list[Path] = []
    for path in _listing(layout.root / folder):
        if not is_ours(folder, path.name) or not path.name.endswith(suffix):
            continue
        try:
            plain = stat.S_ISREG(path.lstat().st_mode)
        except OSError:
            continue
        (regular if plain else other).append(path)
    return regular, other


def _listing(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _entry(path: Path, folder: str, *, expect_dir: bool) -> Iterator[Entry]:
    try:
        st = path.lstat()
    except OSError:
        return
    is_dir = stat.S_ISDIR(st.st_mode)
    # A link, a FIFO or a device is not something peersession wrote: left alone
    # (the checks that read a file say so when it stands where a file of ours should).
    if is_dir != expect_dir or not (is_dir or stat.S_ISREG(st.st_mode)):
        return
    yield Entry(path, folder, is_dir, stat.S_IMODE(st.st_mode), st.st_uid)


def usable_folder(root: Path) -> None:
    """Refuse, with one line, a data folder that is missing, not a folder, or
    cannot be listed."""
    try:
        st = root.stat()
    except FileNotFoundError:
        raise UserError(f"{root}: no such data folder") from None
    except OSError as error:
        raise UserError(f"{root}: cannot use it as the data folder ({reason(error)})") from None
    if not stat.S_ISDIR(st.st_mode):
        raise UserError(f"{root}: not a folder; the data folder is a folder (`peersession locate`)")
    try:
        next(root.iterdir(), None)
    except OSError as error:
        raise UserError(f"{root}: cannot read the data folder ({reason(error)})") from None


def recognise(root: Path) -> bool:
    """Whether ``root`` is a peersession data folder; False when nothing is saved
    in it yet (empty, or only a lock and empty folders of ours). Raises
    :class:`NotADataFolder` (one line) when it is neither, and UserError when
    it cannot be used at all."""
    usable_folder(root)
    layout = DataLayout(root)
    if all(_holds_nothing(path) for path in _listing(root)):
        return False
    if _stamped(layout.index_file, "index") or _stamped(layout.root / LOSSES_NAME, "losses"):
        return True
    for name, kind in (("groups", "group"), ("backups", None)):
        for path in _listing(root / name):
            if is_ours(name, path.name) and path.suffix == ".json" and _stamped(path, kind):
                return True
    for name in ("live", "retired"):
        for path in _listing(root / name):
            if is_ours(name, path.name) and _starts_a_session(path):
                return True
    # A shared group's link (store/shared/local.py): the history can be rebuilt from it.
    if any((path / "link.json").is_file() for path in _listing(root / "shared")):
        return True
    raise NotADataFolder(
        f"{root}: not a peersession data folder (no peersession.json, group file or session "
        "journal of ours in it); nothing was checked or changed. `peersession locate` shows "
        "where the data folder is"
    )


def _holds_nothing(path: Path) -> bool:
    """A lock, or an empty folder of ours: what a first write leaves before it
    saves anything (a folder of only these is one where nothing is saved yet)."""
    if path.name == "write.lock":
        return path.is_file() and not path.is_symlink()
    if path.name in FOLDER_NAMES and path.is_dir() and not path.is_symlink():
        return not _listing(path)
    return False


def _stamped(path: Path, kind: str | None) -> bool:
    """The file carries peersession's ``_meta`` (of ``kind``; the doctor's list
    carries its own), even if the rest of it is damaged."""
    try:
        raw = read_regular_file(path, STAMP_READ_LIMIT)
    except OSError:
        return False
    if kind == "losses":
        return b'"kind":"peersession-unrecovered"' in raw.replace(b" ", b"")
    return any(kind in (None, found.decode()) for found in _STAMP.findall(raw))


def _starts_a_session(path: Path) -> bool:
    """The journal's first line is a session's start, as peersession writes it."""
    try:
        raw = read_regular_file(path, STAMP_READ_LIMIT)
    except OSError:
        return False
    try:
        first = json.loads(raw.split(b"\n", 1)[0])
    except ValueError:
        return False
    return (
        isinstance(first, dict)
        and first.get("type") == "session_started"
        and isinstance(first.get("data"), dict)
        and "setup" in first["data"]
    )


def folder_name(layout: DataLayout, path: Path) -> str:
    """Which folder of ours ``path`` is in (``""`` for the data folder itself)."""
    return "" if path.parent == layout.root else path.parent.name
