"""Sharing a group and joining one: the two doors of the shared folder, and what
``group show`` tells of a shared group. Everything after the door is
:mod:`.sync`'s: publishing and taking in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ...core.convergence import State
from ...errors import UserError
from .folder import SharedFolder
from .key import GroupKey, save_key
from .local import LocalShare
from .sync import SyncResult, publish_pending, take_in

if TYPE_CHECKING:
    from ..history import HistoryStore


def share(store: HistoryStore, group_id: str, folder: Path, key_file: Path | None) -> GroupKey:
    """Make ``folder`` the group's shared folder and write its whole history in it."""
    local = LocalShare(store.root, group_id)
    if local.shared:
        raise UserError(
            f"this group is already shared through {local.link().folder}; "
            "`peersession sync` publishes what is new"
        )
    if key_file is not None and key_file.exists():
        raise UserError(f"{key_file}: already exists; name a new key file (nothing was changed)")
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: not a folder")
    key = GroupKey.new()
    probe = SharedFolder(folder, key)
    if folder.is_dir() and probe.marker_format() is not None:
        raise UserError(
            f"{folder}: already a shared folder (another group's, or this one's: "
            "`peersession join` it instead). Nothing was changed"
        )
    if key_file is not None:
        save_key(key_file, key)
    with store.syncing(), store.locked():
        link = local.start(folder, key)
        try:
            probe.create(link.machine)
        except (UserError, OSError):
            _forget(local)
            raise
        local.save_pending(None)  # every record: the whole history goes in
        publish_pending(store, group_id, strict=True)
    return key


def join(store: HistoryStore, folder: Path, key: GroupKey) -> tuple[str, SyncResult]:
    """Add the group shared in ``folder`` to this history; its id and the pass.

    Everything is checked before anything is written: a wrong key, a folder
    that is not a shared one or holds no group yet changes nothing here.
    """
    shared = SharedFolder(folder, key)
    shared.verify()
    intake = shared.take_in({})
    state = State()
    state.apply_all(intake.changes)
    groups = state.records("group")
    if len(groups) != 1:
        what = "no group's history yet" if not groups else "more than one group"
        raise UserError(f"{folder}: holds {what}; nothing was changed")
    ((group_id, doc),) = groups.items()
    local = LocalShare(store.root, group_id)
    with store.syncing(), store.locked():
        if local.shared:
            raise UserError(
                f"this machine already shares this group (through {local.link().folder}); "
                "`peersession sync` takes in what is new"
            )
        known = {g.id: g for g in store.groups()}
        name = doc.get("name")
        clash = [g for g in known.values() if g.id != group_id and _same_name(g.name, name)]
        if clash:
            raise UserError(
                f"a different group named {clash[0].name!r} is already in this history; "
                "rename it first (`peersession group edit`). Nothing was changed"
            )
        link = local.start(folder, key)
        try:
            shared.add_machine(link.machine)
        except (UserError, OSError):
            _forget(local)
            raise
        # A group this history already had (from a bundle): what it holds and the
        # folder lacks is published; nothing of it is taken away.
        local.save_pending(None if group_id in known else set())
        result = take_in(store, group_id, strict=True)
    return group_id, result


def _same_name(a: str, b: object) -> bool:
    from ...core.names import name_key

    return isinstance(b, str) and name_key(a) == name_key(b)


def _forget(local: LocalShare) -> None:
    """Undo a start that could not make its folder: the group is not shared."""
    for path in (local.link_file, local.key_file, local.pending_file):
        path.unlink(missing_ok=True)


# --- what this machine knows of the exchange ------------------------------------------------


@dataclass(frozen=True)
class Status:
    """A shared group as ``group show`` tells it."""

    folder: str
    machine: str
    last_synced: str | None
    #: Machine id → changes taken in from it (this machine's own included).
    machines: dict[str, int]
    pending: bool


def status(root: Path, group_id: str) -> Status | None:
    """How a group is shared from here; None if it is not."""
    local = LocalShare(root, group_id)
    if not local.shared:
        return None
    link = local.link()
    info = local.synced()
    raw = info.get("machines")
    machines = (
        {str(k): int(v) for k, v in raw.items() if isinstance(v, int)}
        if isinstance(raw, dict)
        else {}
    )
    last: str | None = None
    if local.synced_file.is_file() and "machines" in info:
        mtime = local.synced_file.stat().st_mtime
        last = datetime.fromtimestamp(mtime, UTC).isoformat(timespec="seconds")
    pending = local.pending()
    return Status(
        folder=str(link.folder),
        machine=link.machine,
        last_synced=last,
        machines=machines,
        pending=pending is None or bool(pending),
    )
