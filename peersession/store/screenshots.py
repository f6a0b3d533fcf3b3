"""Screenshots, kept as private as the meeting they show.

Textual's own Screenshot writes an SVG into ``~/Downloads`` (readable by
anyone the umask lets in, 0644 usually) and fails without a reason when that
folder is missing; yet a picture of a meeting can hold a private ask. Here a
screenshot goes into the data folder's own ``screenshots/`` (made 0700), as
a 0600 file written like every other file of ours (:mod:`store.atomic`), and
what is said about it names the file relative to the data folder: a shared
screen shows no home folder's path.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..errors import UserError
from ..paths import DataLayout
from .atomic import atomic_write_bytes, ensure_private_dir, reason, tighten_folder


def screenshot_name(taken: datetime, attempt: int = 0) -> str:
    """``2026-03-05-170000.svg`` (``-2``, ``-3``... if taken twice in a second):
    short, so the notice that names it fits the meeting's console line."""
    stamp = taken.strftime("%Y-%m-%d-%H%M%S")
    return f"{stamp}{f'-{attempt + 1}' if attempt else ''}.svg"


def save_screenshot(layout: DataLayout, svg: str, taken: datetime) -> str:
    """Write ``svg`` into ``screenshots/`` and return its path relative to the
    data folder (``screenshots/2026-03-05-170000.svg``), or raise one UserError
    line saying why not, with no path outside the data folder in it."""
    folder = layout.screenshots_dir
    relative = folder.relative_to(layout.root)
    try:
        ensure_private_dir(folder)
        tighten_folder(folder)  # made by hand, or by an older version: 0700 now
        target = _free_name(folder, taken)
        atomic_write_bytes(target, svg.encode("utf-8"))
    except OSError as error:
        raise UserError(
            f"cannot save into {relative}/ in the data folder ({reason(error)})"
        ) from None
    return str(target.relative_to(layout.root))


def _free_name(folder: Path, taken: datetime) -> Path:
    """A name no screenshot has yet: a second one never replaces the first."""
    attempt = 0
    while (folder / screenshot_name(taken, attempt)).exists():
        attempt += 1
    return folder / screenshot_name(taken, attempt)
