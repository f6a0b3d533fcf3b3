"""What this machine keeps about a shared group, in its own data folder.

```
<data>/shared/<group>/key          the group's key (0600): never in the shared folder
<data>/shared/<group>/link.json    the shared folder, this machine's id in it, the
                                   last segment it wrote and its clock's last stamp
<data>/shared/<group>/taken.json   the segments taken in (name, size, mtime)
<data>/shared/<group>/state.json   the merge state after them
<data>/shared/<group>/state.log    changes taken in since state.json was written, a
                                   line each pass: taking in one session appends a
                                   line instead of writing the whole state again
<data>/shared/<group>/pending.json the records changed here and not published yet
<data>/shared/<group>/synced.json  when the group last synced, and what came from whom
<data>/shared/<group>/removals.json removals said here and not yet published
<data>/shared/<group>/compacted.json how many removed items this machine's segments
                                   were last compacted for (store/shared/compaction.py)
```

``pending.json`` is written before a change is published and emptied after:
a change that could not be published (the folder gone, the disk full) is
published by the next pass. ``taken.json`` and ``state.json`` are derived: lost or damaged, they are
rebuilt by reading the whole folder again (nothing is lost, it only costs
time), so they are read leniently. ``link.json`` and the key are not derived:
a damaged one is one line, and nothing is written.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.changes import Change, parse_change
from ...core.convergence import State
from ...core.hlc import BadStamp, Stamp
from ...errors import UserError
from ..atomic import (
    FILE_MODE,
    append_durably,
    atomic_write_bytes,
    disk_errors,
    ensure_private_dir,
    read_regular_file,
)
from .folder import FileStamp
from .key import GroupKey, load_key, save_key
from .layout import is_machine_id, new_machine_id

#: Derived files beyond this are not ours (a history's state is a few megabytes).
DERIVED_LIMIT = 256 << 20
#: The state's log is folded into the snapshot past a quarter of it, or this.
LOG_FLOOR = 256 << 10


@dataclass
class Link:
    """Where a group's shared folder is, and who this machine is in it."""

    folder: Path
    machine: str
    last_segment: int = 0
    clock: Stamp | None = None


class LocalShare:
    """One shared group's files in this machine's data folder."""

    def __init__(self, data_dir: Path, group_id: str) -> None:
        self.dir = data_dir / "shared" / group_id
        self.key_file = self.dir / "key"
        self.link_file = self.dir / "link.json"
        self.taken_file = self.dir / "taken.json"
        self.state_file = self.dir / "state.json"
        self.state_log = self.dir / "state.log"
        self.pending_file = self.dir / "pending.json"
        self.synced_file = self.dir / "synced.json"
        self.removals_file = self.dir / "removals.json"
        self.compacted_file = self.dir / "compacted.json"

    @property
    def shared(self) -> bool:
        """Whether this group is shared from this machine (one stat, no read)."""
        return self.link_file.is_file()

    def start(self, folder: Path, key: GroupKey) -> Link:
        """Keep the key and a new link (a fresh machine id for this group here)."""
        ensure_private_dir(self.dir.parent)  # <data>/shared itself: 0700 too
        ensure_private_dir(self.dir)
        save_key(self.key_file, key)
        link = Link(folder=folder, machine=new_machine_id())
        self.save_link(link)
        return link

    def key(self) -> GroupKey:
        return load_key(self.key_file)

    def link(self) -> Link:
        try:
            raw = json.loads(read_regular_file(self.link_file, 1 << 16))
            folder, machine = raw["folder"], raw["machine"]
            last, clock = raw.get("last_segment", 0), raw.get("clock")
            if not isinstance(folder, str) or not is_machine_id(machine):
                raise ValueError
            if not isinstance(last, int) or isinstance(last, bool) or last < 0:
                raise ValueError
            stamp = None if clock is None else Stamp.from_json(clock)
            return Link(Path(folder), machine, last, stamp)
        except FileNotFoundError:
            raise UserError(f"{self.link_file}: this group is not shared from here") from None
        except (OSError, ValueError, TypeError, KeyError, BadStamp):
            raise UserError(
                f"{self.link_file}: damaged; share or join the group again to mend it"
            ) from None

    def save_link(self, link: Link) -> None:
        data: dict[str, Any] = {
            "folder": str(link.folder),
            "machine": link.machine,
            "last_segment": link.last_segment,
            "clock": link.clock.to_json() if link.clock else None,
        }
        self._write(self.link_file, data)

    def taken(self) -> dict[str, FileStamp]:
        """The segments taken in before; empty (read everything again) if damaged."""
        raw = self._read_derived(self.taken_file)
        if not isinstance(raw, dict):
            return {}
        taken: dict[str, FileStamp] = {}
        for name, stamp in raw.items():
            if (
                isinstance(stamp, list)
                and len(stamp) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) for n in stamp)
            ):
                taken[name] = (stamp[0], stamp[1])
        return taken

    def save_taken(self, taken: dict[str, FileStamp]) -> None:
        self._write(self.taken_file, {name: list(stamp) for name, stamp in sorted(taken.items())})

    def state(self) -> State | None:
        """The merge state kept after the last pass (the snapshot, then the changes
        logged since); None if missing or damaged."""
        try:
            state = State.from_bytes(read_regular_file(self.state_file, DERIVED_LIMIT))
            for line in self._log_lines():
                state.apply_all(parse_change(entry) for entry in json.loads(line))
        except (OSError, ValueError, TypeError, RecursionError):  # BadChange is a ValueError
            return None
        state.touched = set()  # what was kept is not new
        return state

    def _log_lines(self) -> list[bytes]:
        try:
            data = read_regular_file(self.state_log, DERIVED_LIMIT)
        except FileNotFoundError:
            return []
        except OSError:
            raise ValueError("the state's log cannot be read") from None
        # A last line without its line break was cut by a crash: never acknowledged
        # (``taken.json`` is written after it), so its segments are read again.
        return data.split(b"\n")[:-1]

    def save_state(self, state: State) -> None:
        """Write the whole state, and start its log afresh."""
        with disk_errors(self.state_file, "cannot save"):
            ensure_private_dir(self.dir)
            atomic_write_bytes(self.state_file, state.to_bytes())
        with disk_errors(self.state_log, "cannot remove"):
            self.state_log.unlink(missing_ok=True)

    def add_to_state(self, state: State, changes: list[Change]) -> None:
        """Keep ``state``, which is the kept state with ``changes`` taken in: the
        changes are appended to the log, unless there is no kept snapshot or the
        log has grown to a quarter of it (then the whole state is written)."""
        try:
            snapshot = self.state_file.stat().st_size
            logged = self.state_log.stat().st_size if self.state_log.exists() else 0
        except OSError:
            snapshot, logged = 0, 0
        if not snapshot or logged > max(LOG_FLOOR, snapshot // 4):
            self.save_state(state)
            return
        line = json.dumps(
            [change.to_json() for change in changes], ensure_ascii=False, separators=(",", ":")
        )
        with disk_errors(self.state_log, "cannot save"):
            fd = os.open(self.state_log, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
            try:
                kept = os.pread(fd, logged, 0) if logged else b""
                if kept and not kept.endswith(b"\n"):
                    # A line cut by a crash: never acknowledged, so cut it off.
                    os.ftruncate(fd, kept.rfind(b"\n") + 1)
                append_durably(fd, line.encode("utf-8") + b"\n")
            finally:
                os.close(fd)

    def pending(self) -> set[tuple[str, str]] | None:
        """The records changed here since the last publish; None means every
        record of the group (an import, a repair, or a damaged list)."""
        raw = self._read_derived(self.pending_file)
        if raw is None:
            return set() if not self.pending_file.exists() else None
        if raw == "all" or not isinstance(raw, list):
            return None
        keys = {(k, i) for k, i in (e for e in raw if _is_key(e))}
        return keys if len(keys) == len(raw) else None

    def save_pending(self, keys: set[tuple[str, str]] | None) -> None:
        if keys is not None and not keys:
            with disk_errors(self.pending_file, "cannot remove"):
                self.pending_file.unlink(missing_ok=True)
            return
        self._write(self.pending_file, "all" if keys is None else sorted(map(list, keys)))

    def removals(self) -> list[tuple[str, str, str]]:
        """Removals (kind, record id, item) said here and not yet published."""
        raw = self._read_derived(self.removals_file)
        if not isinstance(raw, list):
            return []
        return [
            (e[0], e[1], e[2])
            for e in raw
            if isinstance(e, list) and len(e) == 3 and all(isinstance(p, str) for p in e)
        ]

    def save_removals(self, removals: list[tuple[str, str, str]]) -> None:
        if not removals:
            with disk_errors(self.removals_file, "cannot remove"):
                self.removals_file.unlink(missing_ok=True)
            return
        self._write(self.removals_file, [list(r) for r in removals])

    def compacted(self) -> int:
        """How many removed items the last compaction of this machine's segments
        knew of (0 if never, or the file is damaged: compacting again is harmless)."""
        raw = self._read_derived(self.compacted_file)
        count = raw.get("tombstones") if isinstance(raw, dict) else None
        return count if isinstance(count, int) and not isinstance(count, bool) else 0

    def save_compacted(self, tombstones: int) -> None:
        self._write(self.compacted_file, {"tombstones": tombstones})

    def synced(self) -> dict[str, Any]:
        """When the group last synced and, by machine, how many changes came from it."""
        raw = self._read_derived(self.synced_file)
        if not isinstance(raw, dict):
            return {}
        return raw

    def save_synced(self, info: dict[str, Any]) -> None:
        self._write(self.synced_file, info)

    def forget_derived(self) -> None:
        """Drop what was taken in, so the next pass reads the whole folder."""
        for path in (self.taken_file, self.state_file, self.state_log):
            with disk_errors(path, "cannot remove"):
                path.unlink(missing_ok=True)

    def _read_derived(self, path: Path) -> Any:
        try:
            return json.loads(read_regular_file(path, DERIVED_LIMIT))
        except (OSError, ValueError):
            return None

    def _write(self, path: Path, data: object) -> None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        with disk_errors(path, "cannot save"):
            ensure_private_dir(self.dir)
            atomic_write_bytes(path, text.encode("utf-8"))


def _is_key(entry: object) -> bool:
    return (
        isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)
    )
