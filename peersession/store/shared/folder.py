"""A group's shared folder: made, joined, published to and taken in from.

Every machine writes only into its own folder (``<machine>/``), and only new
files: a key check once, then numbered segments, each written whole and never
changed, and the journals of the sessions it runs. So a sync tool never sees
two machines change one file, and never has to resolve a conflict.

Taking in reads every segment not taken in before, remembered by name, size
and modification time (:class:`Intake`'s ``taken``): opening a group with
nothing new lists the folders and decrypts nothing. What cannot be taken in
(a segment still arriving, damaged, sealed with another key, of a newer
format) is reported in one line each and left as it is: it is taken in on a
later pass if it becomes whole, and a newer peersession reads it. What other
programs left in the folder is reported and ignored (:mod:`.layout`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...core.changes import Change
from ...core.safe_text import neutralise
from ...errors import UserError
from ..atomic import atomic_write_bytes, ensure_private_dir, read_regular_file
from .key import GroupKey
from .layout import (
    FORMAT,
    JOURNAL_NAME,
    KEY_CHECK_NAME,
    MARKER_LIMIT,
    MARKER_NAME,
    MARKER_PATTERN,
    MARKER_TEXT,
    SEGMENT_NAME,
    Stray,
    classify,
)
from .segments import CHANGES_PER_SEGMENT, Unreadable, key_opens, read_segment, write_key_check
from .segments import write_segment as write_one_segment

#: What identifies a file's version already taken in: its size and mtime (ns).
FileStamp = tuple[int, int]


class NotShared(UserError):
    """The folder is not (or not yet) a peersession shared folder."""


class WrongKey(UserError):
    """A valid key that does not open this folder."""


@dataclass(frozen=True)
class Finding:
    """A file of ours that was not taken in, and why (one line)."""

    path: str
    problem: str

    def line(self) -> str:
        return f"{neutralise(self.path)}: {self.problem}"


@dataclass
class Intake:
    """What one pass over the folder took in."""

    changes: list[Change] = field(default_factory=list)
    #: Every file taken in, now or before, that is still there: keep it for the next pass.
    taken: dict[str, FileStamp] = field(default_factory=dict)
    #: The files read on this pass (nothing new: empty).
    read: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    strays: list[Stray] = field(default_factory=list)
    #: Live journals: (machine, journal id, path).
    journals: list[tuple[str, str, Path]] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    relative: str
    item: os.DirEntry[str]
    kind: str
    machine: str

    @property
    def path(self) -> Path:
        return Path(self.item.path)


class SharedFolder:
    """One group's shared folder, opened with the group's key."""

    def __init__(self, root: Path, key: GroupKey) -> None:
        self.root = root
        self.key = key

    # --- making and joining ----------------------------------------------------------

    def create(self, machine: str) -> None:
        """Make ``root`` a shared folder (the marker, if missing) and this machine's
        folder with its key check. A folder holding another group's files is refused."""
        self.root.mkdir(parents=True, exist_ok=True)
        marker = self.marker_format()
        if marker is None:
            if self._has_machine_folders():
                raise NotShared(f"{self.root}: holds peersession files but no marker; not used")
            atomic_write_bytes(self.root / MARKER_NAME, MARKER_TEXT.encode("ascii"))
        else:
            self.verify()
        self.add_machine(machine)

    def add_machine(self, machine: str) -> Path:
        """This machine's folder, with its key check (written once)."""
        machine_dir = self.root / machine
        ensure_private_dir(machine_dir)
        if not (machine_dir / KEY_CHECK_NAME).exists():
            write_key_check(machine_dir, self.key, machine)
        return machine_dir

    def marker_format(self) -> int | None:
        """The format the marker names; None if there is no marker.
        :class:`NotShared` if the file of that name is not a marker."""
        try:
            data = read_regular_file(self.root / MARKER_NAME, MARKER_LIMIT)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise NotShared(f"{self.root}: its marker cannot be read ({error.strerror})") from None
        match = MARKER_PATTERN.fullmatch(data)
        if match is None:
            raise NotShared(f"{self.root}: its marker is damaged; not a peersession shared folder")
        return int(match.group(1))

    def verify(self) -> None:
        """Check, before joining or reading, that this is a shared folder this
        peersession reads and that the key opens it; one line if not."""
        marker = self.marker_format()
        if marker is None:
            raise NotShared(f"{self.root}: not a peersession shared folder (no {MARKER_NAME})")
        if marker > FORMAT:
            raise NotShared(
                f"{self.root}: a shared folder of format {marker}, written by a newer "
                "peersession; update peersession to read it. Nothing was changed"
            )
        checks = [e for e in self._entries() if e.kind == "key-check"]
        if not checks:
            raise NotShared(f"{self.root}: no machine has written its key check here yet")
        opened = False
        for entry in checks:
            try:
                opened = opened or key_opens(entry.path, self.key, entry.machine)
            except Unreadable:
                continue
        if not opened:
            raise WrongKey(
                f"{self.root}: this key does not open this shared folder (it is another "
                "group's key, or the folder is another group's). Nothing was changed"
            )

    # --- publishing ------------------------------------------------------------------

    def publish(
        self, machine: str, changes: list[Change], *, after: int = 0
    ) -> dict[str, FileStamp]:
        """Write ``changes`` as new segments of this machine, numbered after both
        ``after`` (the last number this machine remembers writing) and any of its
        segments in the folder. Returns the files written, to count as taken in."""
        machine_dir = self.add_machine(machine)
        number = max(after, self.last_segment(machine))
        written: dict[str, FileStamp] = {}
        for start in range(0, len(changes), CHANGES_PER_SEGMENT):
            number += 1
            path = write_one_segment(
                machine_dir,
                self.key,
                machine,
                number,
                changes[start : start + CHANGES_PER_SEGMENT],
            )
            written[f"{machine}/{path.name}"] = _file_stamp(path.stat())
        return written

    def last_segment(self, machine: str) -> int:
        """The highest segment number of ``machine`` in the folder (0: none)."""
        try:
            names = os.listdir(self.root / machine)
        except FileNotFoundError:
            return 0
        numbers = [int(m.group(1)) for m in map(SEGMENT_NAME.fullmatch, names) if m]
        return max(numbers, default=0)

    # --- taking in -------------------------------------------------------------------

    def take_in(self, taken: Mapping[str, FileStamp]) -> Intake:
        """Read every segment not taken in before; report the rest.

        Raises :class:`NotShared` if the folder is not one this peersession reads
        (no marker, a damaged one, a newer format): nothing is taken in then.
        """
        marker = self.marker_format()
        if marker is None or marker > FORMAT:
            self.verify()  # says which, in one line
        intake = Intake()
        for entry in self._entries(intake.strays):
            if entry.kind == "journal":
                match = JOURNAL_NAME.fullmatch(entry.item.name)
                assert match is not None
                intake.journals.append((entry.machine, match.group(1), entry.path))
            if entry.kind != "segment":
                continue
            try:
                stamp = _file_stamp(entry.item.stat(follow_symlinks=False))
            except OSError:
                continue  # gone since it was listed: a sync tool at work
            if taken.get(entry.relative) == stamp:
                intake.taken[entry.relative] = stamp
                continue
            self._take_segment(entry, stamp, intake)
        return intake

    def _take_segment(self, entry: _Entry, stamp: FileStamp, intake: Intake) -> None:
        match = SEGMENT_NAME.fullmatch(entry.item.name)
        assert match is not None
        try:
            segment = read_segment(entry.path, self.key, entry.machine, int(match.group(1)))
        except Unreadable as error:
            intake.findings.append(Finding(entry.relative, f"{error.detail}; not taken in"))
            return
        intake.changes.extend(segment.changes)
        intake.read.append(entry.relative)
        if segment.unknown:
            # Kept out of `taken`: a newer peersession here reads it again, whole.
            intake.findings.append(
                Finding(
                    entry.relative,
                    f"{segment.unknown} change(s) of a newer peersession left out; kept",
                )
            )
        else:
            intake.taken[entry.relative] = stamp

    def _has_machine_folders(self) -> bool:
        return any(entry.kind == "machine" for entry in self._top())

    def _top(self, strays: list[Stray] | None = None) -> Iterator[_Entry]:
        with os.scandir(self.root) as listing:
            found = sorted(listing, key=lambda e: e.name)
        for item in found:
            kind = _kind_of(item, item.name, top=True)
            if isinstance(kind, Stray):
                if strays is not None:
                    strays.append(kind)
                continue
            yield _Entry(item.name, item, kind, item.name)

    def _entries(self, strays: list[Stray] | None = None) -> Iterator[_Entry]:
        """Every file of ours, machine by machine, name by name; strays noted."""
        for machine in self._top(strays):
            if machine.kind != "machine":
                continue
            with os.scandir(machine.item.path) as listing:
                found = sorted(listing, key=lambda e: e.name)
            for item in found:
                relative = f"{machine.machine}/{item.name}"
                kind = _kind_of(item, relative, top=False)
                if isinstance(kind, Stray):
                    if strays is not None:
                        strays.append(kind)
                    continue
                yield _Entry(relative, item, kind, machine.machine)


def _kind_of(item: os.DirEntry[str], relative: str, *, top: bool) -> str | Stray:
    if item.is_symlink():
        return Stray(relative, "a link (peersession writes none; not followed)")
    return classify(relative, item.name, top=top, is_dir=item.is_dir(follow_symlinks=False))


def _file_stamp(st: os.stat_result) -> FileStamp:
    return (st.st_size, st.st_mtime_ns)
