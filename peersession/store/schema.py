"""Schema versions and numbered migrations of the data files.

Each file carries ``{"schema": N, "kind": ...}`` in its ``_meta`` table. A file
from an older version is backed up to ``backups/`` and migrated step by step
(``MIGRATIONS[n]`` turns version ``n`` into ``n + 1``) in one atomic write; a
file from a newer version is refused, untouched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__

# Declared with the records it describes; 2: groups have a meeting slot (``slot``),
# see :mod:`.slot_migration`; 3: members have a join date (``joined``), and may
# have leave and a day they left, see :mod:`.lifecycle_migration`.
from ..core.schema_version import SCHEMA_VERSION as SCHEMA_VERSION
from ..errors import UserError
from .atomic import DiskError, atomic_write_bytes, disk_errors, ensure_private_dir, reason
from .storage import CorruptFile, Tables, load_tables

META_TABLE = "_meta"
META_DOC_ID = "1"

Migration = Callable[[Tables], Tables]
#: A migration that reads other files of the data folder: (tables, path, kind).
FolderMigration = Callable[[Tables, Path, str], Tables]

#: ``MIGRATIONS[n]`` upgrades a file from schema ``n`` to ``n + 1``.
MIGRATIONS: dict[int, Migration] = {}


def _add_slots(tables: Tables, path: Path, kind: str) -> Tables:
    # Loaded by the migration that needs it (it builds groups, with pendulum),
    # not by every open of a current data folder.
    from .slot_migration import add_slots

    return add_slots(tables, path, kind)


def _add_join_dates(tables: Tables, path: Path, kind: str) -> Tables:
    from .lifecycle_migration import add_join_dates

    return add_join_dates(tables, path, kind)


#: Steps that need the file's place in the data folder (the index's slots and
#: join dates are inferred from the groups' own files); used instead of
#: ``MIGRATIONS[n]``.
FOLDER_MIGRATIONS: dict[int, FolderMigration] = {1: _add_slots, 2: _add_join_dates}


def meta_doc(kind: str) -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "kind": kind, "written_by": f"peersession {__version__}"}


def file_version(path: Path, tables: Tables, kind: str) -> int:
    meta = tables.get(META_TABLE, {}).get(META_DOC_ID)
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise CorruptFile(f"{path}: no schema version; not a peersession file, left untouched")
    if meta.get("kind") != kind:
        raise CorruptFile(
            f"{path}: holds {meta.get('kind')!r} data where {kind!r} was expected; left untouched"
        )
    version: int = meta["schema"]
    return version


def ensure_current(path: Path, kind: str, backups_dir: Path) -> None:
    """Refuse files from the future; back up and migrate files from the past."""
    tables = load_tables(path)
    if tables is None:
        return
    version = file_version(path, tables, kind)
    if version > SCHEMA_VERSION:
        raise UserError(
            f"{path}: written by a newer peersession (schema {version}; this version reads "
            f"up to {SCHEMA_VERSION}); upgrade peersession. The file was left untouched."
        )
    if version == SCHEMA_VERSION:
        return
    try:
        backup_file(path, backups_dir, f"schema{version}")
    except OSError as error:
        # Even a backup written but not confirmed is no reason to go on.
        raise DiskError(
            f"{path}: cannot migrate from schema {version}: the backup could not be saved "
            f"({reason(error)}); the file was left as it was",
            error,
        ) from None
    migrated: Tables = json.loads(json.dumps(tables))
    for step in range(version, SCHEMA_VERSION):
        if step in FOLDER_MIGRATIONS:
            migrated = FOLDER_MIGRATIONS[step](migrated, path, kind)
        elif step in MIGRATIONS:
            migrated = MIGRATIONS[step](migrated)
        else:
            raise UserError(f"{path}: no migration from schema {step}; left untouched")
        migrated.setdefault(META_TABLE, {})[META_DOC_ID] = {
            **meta_doc(kind),
            "schema": step + 1,
        }
    migrated[META_TABLE][META_DOC_ID] = meta_doc(kind)
    payload = json.dumps(migrated, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with disk_errors(path, f"cannot migrate from schema {version}"):
        atomic_write_bytes(path, payload)


def backup_file(path: Path, backups_dir: Path, reason: str) -> Path:
    """Copy a data file to ``backups/`` before anything rewrites it."""
    ensure_private_dir(backups_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = backups_dir / f"{path.stem}.{reason}.{stamp}{path.suffix}"
    counter = 1
    while target.exists():
        counter += 1
        target = backups_dir / f"{path.stem}.{reason}.{stamp}-{counter}{path.suffix}"
    atomic_write_bytes(target, path.read_bytes())
    return target
