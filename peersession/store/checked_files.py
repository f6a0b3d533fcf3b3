"""Which versions of a data file have already passed the shape check.

Every freshly read data file is checked against its declarations
(``store/shape_check.py``) before anyone reads it. That check costs about as
much as the parse, and it needs every record declaration and the
standard library's ``zoneinfo`` (a stored slot's zone is looked up): the home
screen would pay all of it before its first frame, every time it opens, for an
index that has not changed since the last look.

So a file's exact bytes that passed the check are remembered by their digest,
in the user's cache folder (never in the data folder: reading writes nothing
there). The digest is keyed by the code that checked (peersession's version,
the Python, and the size and time of every module that declares or checks a
record, and of msgspec's): a new or edited peersession checks everything once
again. Any change to a file, a hand edit or a damaged copy, changes its digest:
it is checked in full before it is read, as ever.

Nothing that travels with the data (a copy, a restore, a synced or shared
folder) carries the claim, and only a record the user owns and no one else can
write is believed. A missing, unreadable or hostile record is an empty one
(checks are paid again, nothing else); one that cannot be written is left as
it was.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import os
import stat
import sys
from pathlib import Path

from .. import __version__, paths

#: The record: one hexadecimal digest a line, the newest last.
RECORD_NAME = "checked-files"
#: Digests kept: a data folder's index and its group files, several folders over.
KEPT = 512
_DIGEST_BYTES = 16
_LINE = _DIGEST_BYTES * 2 + 1
_PACKAGE = Path(__file__).resolve().parent.parent


def record_file() -> Path:
    return paths.cache_dir() / RECORD_NAME


@functools.cache
def _code_key() -> bytes:
    """What the check depends on besides the bytes: a change of any of it is a new key."""
    key = hashlib.blake2b(digest_size=_DIGEST_BYTES)
    key.update(f"{__version__}\0{sys.version}\0".encode())
    rules = [*sorted((_PACKAGE / "core").glob("*.py")), _PACKAGE / "store" / "shape_check.py"]
    spec = importlib.util.find_spec("msgspec")
    if spec is not None and spec.origin:
        rules.append(Path(spec.origin))
    for path in rules:
        try:
            st = path.stat()
        except OSError:
            continue
        key.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return key.digest()


def digest(raw: bytes) -> str:
    """The digest a file's bytes are remembered by (keyed by the checking code)."""
    return hashlib.blake2b(raw, digest_size=_DIGEST_BYTES, key=_code_key()).hexdigest()


def _remembered() -> list[str]:
    try:
        with record_file().open("rb") as stream:
            st = os.fstat(stream.fileno())
            if not trusted(st.st_uid, st.st_mode):
                return []
            text = stream.read(KEPT * _LINE).decode("ascii", "replace")
    except OSError:
        return []  # none yet, or unreadable: every file is checked
    return [line for line in text.split("\n") if len(line) == _DIGEST_BYTES * 2]


def trusted(owner: int, mode: int) -> bool:
    """Only a record of the user's own that no one else can write is believed:
    another account must not be able to wave a file past its check."""
    return owner == os.geteuid() and not mode & 0o022 and stat.S_ISREG(mode)


def checked_before(raw: bytes) -> bool:
    """Whether exactly these bytes passed the shape check of this code before."""
    return digest(raw) in _remembered()


def remember_checked(raw: bytes) -> None:
    """Remember that these bytes passed the check (the oldest are forgotten)."""
    wanted = digest(raw)
    kept = [line for line in _remembered() if line != wanted][-(KEPT - 1) :]
    target = record_file()
    part = target.with_name(f"{RECORD_NAME}.{os.getpid()}.part")
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # No fsync: a record lost in a power cut only means one more check.
        # Never through a link or into a file already there: a cache folder others
        # can write (a misset XDG_CACHE_HOME) must not let them aim this write.
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as stream:
            stream.write("".join(f"{line}\n" for line in [*kept, wanted]))
        os.replace(part, target)
    except OSError:
        # A read-only or full cache folder: the file is still read (checked each time).
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
