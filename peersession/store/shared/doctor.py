"""``doctor`` on the shared groups: the folder's state, one line each, and repairs.

For each group shared from this data folder (``<data>/shared/<group>/``):
whether its link and key read, whether the shared folder is there and opens
with the key, what in it could not be taken in (:mod:`.check`), and whether
changes made here wait to be published. With ``--repair``, the shared folder
is a source: a group lost from this history (missing from the index, its file
rebuilt short) is rebuilt by taking the whole folder in again, and what waits
here is published. Nothing is removed from the history by a repair: only
records the folder holds are written, each replacing the local one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...core.words import plural
from ...errors import UserError
from ..doctor_report import Status
from .check import check_folder
from .layout import MARKER_NAME
from .local import LocalShare

if TYPE_CHECKING:
    from ..history import HistoryStore

#: (status, where, one line), as the doctor's findings take them.
Line = tuple[Status, Path, str]


def shared_group_ids(root: Path) -> list[str]:
    """The groups with a folder under ``<data>/shared/`` (a link or not)."""
    base = root / "shared"
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.is_symlink())


def examine_shared(
    root: Path,
    names: dict[str, str],
    *,
    repair: bool,
    store: Callable[[], HistoryStore],
) -> list[Line]:
    """One or more lines for each shared group; ``names``: the history's groups by id."""
    lines: list[Line] = []
    for group_id in shared_group_ids(root):
        lines += _examine_one(root, group_id, names.get(group_id), repair=repair, store=store)
    return lines


def _examine_one(
    root: Path,
    group_id: str,
    name: str | None,
    *,
    repair: bool,
    store: Callable[[], HistoryStore],
) -> list[Line]:
    local = LocalShare(root, group_id)
    where = local.dir
    if not local.shared:
        return [("note", where, "not a shared group's files (no link.json); left alone")]
    try:
        link = local.link()
        key = local.key()
    except UserError as error:
        return [("problem", where, str(error))]
    label = repr(name) if name is not None else f"group {group_id}"
    folder = link.folder
    if not (folder / MARKER_NAME).is_file():
        return [
            (
                "problem",
                where,
                f"{label}: its shared folder {folder} is not there (a drive not mounted, a "
                "folder moved?); changes made here are published when it is back",
            )
        ]
    found = check_folder(folder, key)
    lines: list[Line] = [("problem", folder, line) for line in found.problems]
    lines += [("note", folder, line) for line in found.notes]
    if name is None or _short(root, local, group_id):
        lines.append(_rebuild(local, group_id, label, repair=repair, store=store))
    pending = local.pending()
    if pending is None or pending:
        if repair:
            from .sync import publish_pending

            with store().syncing():
                published = publish_pending(store(), group_id, strict=True)
            lines.append(("fixed", where, f"{label}: {plural(published, 'change')} published"))
        else:
            lines.append(
                ("note", where, f"{label}: changes made here wait to be published (`sync`)")
            )
    lines.append(
        (
            "ok",
            where,
            f"{label}: shared through {folder}; {plural(found.segments, 'segment')}, "
            f"{plural(found.changes, 'change')}",
        )
    )
    return lines


def _short(root: Path, local: LocalShare, group_id: str) -> bool:
    """Whether this history lacks records the merge holds (a file rebuilt short)."""
    from ..storage import load_tables
    from .records import GROUP_FILE_TABLES

    state = local.state()
    if state is None:
        return False
    try:
        tables = load_tables(root / "groups" / f"{group_id}.json") or {}
    except UserError:
        return True
    for kind, table in GROUP_FILE_TABLES.items():
        have = {doc.get("id") for doc in tables.get(table, {}).values()}
        if set(state.records(kind)) - have:
            return True
    return False


def _rebuild(
    local: LocalShare,
    group_id: str,
    label: str,
    *,
    repair: bool,
    store: Callable[[], HistoryStore],
) -> Line:
    if not repair:
        return (
            "problem",
            local.dir,
            f"{label}: this history lacks records its shared folder holds "
            "(--repair: take the whole folder in again)",
        )
    from .sync import take_in

    local.forget_derived()  # the next pass reads every segment again
    with store().syncing():
        result = take_in(store(), group_id, strict=True)
    return (
        "fixed",
        local.dir,
        f"{label}: rebuilt from its shared folder ({plural(result.records_written, 'record')} "
        "written)",
    )
