"""One session's recap, written as a Markdown file next to the user.

The history screen's export key lands here: the screen decides nothing about
files. The name is ``thursday-circle-2026-03-05.md`` in the folder the user
ran peersession from, never over an existing file and never inside the data
folder (a recap there would look like data). The write is atomic, like every
other file peersession writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.ids import slugify
from ..core.model import Group
from ..errors import UserError
from ..store.atomic import atomic_write_bytes
from .markdown import render_markdown

if TYPE_CHECKING:
    from ..core.records import Goal
    from ..core.session_records import Commitment, Session


def write_session_recap(
    folder: Path,
    data_dir: Path,
    group: Group,
    session: Session,
    commitments: Sequence[Commitment],
    day: date | None,
    goals: Sequence[Goal] = (),
) -> Path:
    """Write ``session``'s recap, private items left out, and return its path.

    Raises UserError (nothing written) when ``folder`` is inside the data
    folder or the disk refuses the write.
    """
    target = free_recap_path(folder, data_dir, group, session, day)
    text = render_markdown(group, [session], commitments, goals=goals)
    try:
        atomic_write_bytes(target, text.encode("utf-8"))
    except OSError as error:
        raise UserError(f"cannot write the recap: {error.strerror}") from None
    return target


def free_recap_path(
    folder: Path, data_dir: Path, group: Group, session: Session, day: date | None
) -> Path:
    """``<group-slug>-<day>.md`` in ``folder``, numbered when that name is taken."""
    try:
        inside = folder.resolve().is_relative_to(data_dir.resolve())
    except OSError:
        inside = False
    if inside:
        raise UserError(f"{folder}: is inside the data folder; run peersession from elsewhere")
    stem = f"{slugify(group.name)}-{day.isoformat() if day else session.id}"
    target = folder / f"{stem}.md"
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}.md"
        number += 1
    return target
