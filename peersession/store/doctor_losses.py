"""What a repair could not bring back, kept on disk until it is recovered or acknowledged.

``doctor --repair`` rebuilds a damaged file from every record still readable
and says what it could not recover (exit 1). That report must survive the
repair itself being killed: the rebuilt file, once written, looks healthy,
and a rerun would have nothing left to compare it with. So before a rebuilt
file replaces a damaged one, what the repair expects of it is written to
``unrecovered.json`` in the data folder (atomically, 0600): how many records
of each table the damaged file named or the index counted, where the damaged
copy is kept, what of it could not be read. Every later ``doctor`` (checking
or repairing) reads that list and reports what is still missing, in the same
words as the repair that wrote it, so a killed repair's rerun exits 1 with the
same report as an uninterrupted one.

An entry goes when a later repair finds every expected record there (a count
it can check), or when the user accepts the loss with ``doctor --acknowledge``,
which sets the list aside in ``backups/`` (nothing is deleted). What cannot
be counted (records of the wrong shape, a file that could not be read to its
end) stays until acknowledged. The file is as hostile as any other: it is
read with a strict shape, and a damaged one is reported, never believed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.words import plural
from ..errors import UserError
from ..paths import DataLayout
from .atomic import atomic_write_bytes, disk_errors, read_regular_file
from .data_folder import LOSSES_NAME, is_ours

KIND = "peersession-unrecovered"
SCHEMA = 1
#: The largest list read (a real one is a few hundred bytes).
MAX_BYTES = 1 << 20
_LARGEST_COUNT = 10**9

#: Who says how many records a rebuilt file must hold (stored as the key).
WITNESSES = {
    "damaged": "the damaged file named",
    "summary": "the index's summary counted",
}
#: The tables whose records are counted, and how one record of each is called.
TABLES = {
    "groups": "group",
    "sessions": "session",
    "commitments": "commitment",
    "checkins": "check-in",
    "removals": "removal",
    "goals": "goal",
}


class DamagedList(UserError):
    """``unrecovered.json`` is not a list peersession wrote."""


@dataclass
class Damage:
    """One damaged copy set aside, and what of it could not be used."""

    #: Where the copy is, relative to the data folder (``backups/…``).
    kept_as: str
    #: Records of the wrong shape, by table.
    wrong_shape: dict[str, int] = field(default_factory=dict)
    #: The file could not be read to its end: how much was after the damage is unknown.
    cut_short: bool = False


@dataclass
class Loss:
    """What one rebuilt file must hold, and what was lost in its damage."""

    #: The rebuilt file, relative to the data folder (``groups/<id>.json``).
    file: str
    #: table → (how many records, which witness says so).
    expected: dict[str, tuple[int, str]] = field(default_factory=dict)
    damages: list[Damage] = field(default_factory=list)
    #: Groups brought back under a placeholder name (a rebuilt index only).
    placeholders: list[str] = field(default_factory=list)

    def merge(self, other: Loss) -> None:
        """Add what a later repair of the same file found. The same damaged copy
        (a rerun after a killed repair) replaces its earlier record."""
        for table, (count, witness) in other.expected.items():
            if count > self.expected.get(table, (-1, ""))[0]:
                self.expected[table] = (count, witness)
        for damage in other.damages:
            self.damages = [d for d in self.damages if d.kept_as != damage.kept_as]
            self.damages.append(damage)
        for group_id in other.placeholders:
            if group_id not in self.placeholders:
                self.placeholders.append(group_id)


def list_path(layout: DataLayout) -> Path:
    return layout.root / LOSSES_NAME


def load(layout: DataLayout) -> list[Loss]:
    """The losses still open; none when there is no list. Raises
    :class:`DamagedList` (one line, none of its contents) for a list that is not ours."""
    path = list_path(layout)
    if path.is_symlink():
        raise DamagedList("a symbolic link, not a list peersession wrote")
    try:
        raw = read_regular_file(path, MAX_BYTES)
    except FileNotFoundError:
        return []
    except OSError as error:
        raise DamagedList(f"cannot be read ({error.strerror or error})") from None
    try:
        return _losses_of(json.loads(raw))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        problem = str(error) if isinstance(error, _Refused) else "not valid JSON"
        raise DamagedList(problem) from None


def save(layout: DataLayout, losses: list[Loss]) -> None:
    """Write the list (atomically, 0600); with nothing open, the list goes:
    it held only this bookkeeping, and each of its losses was recovered."""
    path = list_path(layout)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UserError(f"{path}: not a regular file; move it away, then repair again")
    if not losses:
        with disk_errors(path, "cannot remove the list of what was recovered"):
            path.unlink(missing_ok=True)
        return
    document = {
        "_meta": {"kind": KIND, "schema": SCHEMA, "written_by": f"peersession {__version__}"},
        "losses": [_doc_of(loss) for loss in losses],
    }
    payload = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    with disk_errors(path, "cannot record what the repair could not recover"):
        atomic_write_bytes(path, payload)


def record(layout: DataLayout, losses: list[Loss], loss: Loss) -> None:
    """Add ``loss`` (merged with an open one of the same file) and save, before
    the rebuilt file is written: a repair killed after it still says what it lost."""
    for open_loss in losses:
        if open_loss.file == loss.file:
            open_loss.merge(loss)
            break
    else:
        losses.append(loss)
    save(layout, losses)


# -- what the list says, in the report's words ---------------------------------------------


def missing(loss: Loss, table: str, held: int) -> str:
    before, witness = loss.expected[table]
    return (
        f"{table}: {before} before ({WITNESSES[witness]}), {held} after: "
        f"{before - held} could not be recovered from any file or journal; "
        "the damaged file is kept in backups/ "
        "(`peersession doctor --restore FILE` puts it back)"
    )


def accounted(loss: Loss, table: str, held: int) -> str:
    before, witness = loss.expected[table]
    return f"{table}: {before} before ({WITNESSES[witness]}), {held} after"


def wrong_shape(damage: Damage, table: str) -> str:
    count = damage.wrong_shape[table]
    return (
        f"{table}: {plural(count, 'record')} of the damaged file had the wrong shape and "
        f"could not be used (the file is kept as {damage.kept_as})"
    )


def cut_short(loss: Loss, damage: Damage) -> str:
    if loss.file == LOSSES_NAME:
        return (
            "the list of what earlier repairs could not recover was damaged, so what it "
            f"said is unknown; it is kept as {damage.kept_as}"
        )
    elsewhere = (
        "a backup, a journal or a group's own file held them (a group that never met, "
        "and changes to a group's settings, are in no journal)"
        if loss.file == "peersession.json"
        else "a backup or a journal held them (check-ins and changes made outside a "
        "session are in no journal)"
    )
    return (
        "the damaged file could not be read to its end: records stored after the "
        f"damage are missing unless {elsewhere}; the file is kept as {damage.kept_as}"
    )


def placeholder(group_id: str) -> str:
    return (
        f"the group of groups/{group_id}.json was brought back as "
        f"'recovered group {group_id}': its name and its members' names were in no file "
        f"left; rename it with `peersession group edit {group_id} --name NAME`"
    )


ACKNOWLEDGE_HINT = (
    "what a repair could not recover stays listed (in unrecovered.json) until a repair "
    "brings it back or you accept the loss with `peersession doctor --acknowledge`"
)


# -- the stored shape ----------------------------------------------------------------------


class _Refused(ValueError):
    pass


def _doc_of(loss: Loss) -> dict[str, Any]:
    return {
        "file": loss.file,
        "expected": {t: {"count": c, "witness": w} for t, (c, w) in loss.expected.items()},
        "damages": [
            {"kept_as": d.kept_as, "wrong_shape": d.wrong_shape, "cut_short": d.cut_short}
            for d in loss.damages
        ],
        "placeholders": loss.placeholders,
    }


def _count(value: object) -> int:
    if type(value) is not int or not 0 <= value <= _LARGEST_COUNT:
        raise _Refused("a count that is not a whole number of records")
    return value


def _our_path(value: object, *, backups: bool = False) -> str:
    """A path of ours relative to the data folder: never printed unless it is one."""
    if not isinstance(value, str):
        raise _Refused("a file name that is not text")
    folder, _, name = value.rpartition("/")
    if value != LOSSES_NAME and not (is_ours(folder, name) and (folder == "backups") == backups):
        raise _Refused("a file name peersession does not write")
    return value


def _losses_of(document: Any) -> list[Loss]:
    meta = document["_meta"]
    if meta.get("kind") != KIND or meta.get("schema") != SCHEMA:
        raise _Refused("not a list this peersession wrote")
    losses = []
    for doc in document["losses"]:
        loss = Loss(_our_path(doc["file"]))
        for table, expected in doc["expected"].items():
            if table not in TABLES or expected["witness"] not in WITNESSES:
                raise _Refused("an unknown table or witness")
            loss.expected[table] = (_count(expected["count"]), expected["witness"])
        for damage in doc["damages"]:
            shapes = {t: _count(c) for t, c in damage["wrong_shape"].items() if t in TABLES}
            if len(shapes) != len(damage["wrong_shape"]) or type(damage["cut_short"]) is not bool:
                raise _Refused("a damaged copy described wrongly")
            kept_as = _our_path(damage["kept_as"], backups=True)
            loss.damages.append(Damage(kept_as, shapes, damage["cut_short"]))
        for group_id in doc["placeholders"]:
            if not is_ours("groups", f"{group_id}.json"):
                raise _Refused("a group id that is not one")
            loss.placeholders.append(group_id)
        losses.append(loss)
    return losses
