"""Immutable numbered segments: a machine's changes, written whole, sealed.

A segment is one file, ``<machine>/<number>.segment``, written once (a
temporary file, fsynced, renamed: it appears whole or not at all) and never
changed after. It starts with one plain line, ``peersession-segment <format>
<length>``, then ``length`` bytes: the sealed JSON ``{"changes": [...]}``,
bound to the format, the machine and the number. So a reader tells apart,
without the key, a segment still arriving (shorter than it says), one of a
newer format (kept untouched for a newer peersession), and one that is
damaged or sealed with another key (it does not open). The key check,
``<machine>/key-check``, is a sealed file of the same shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ...core.changes import BadChange, Change, parse_change
from ..atomic import atomic_write_bytes, read_regular_file
from .key import GroupKey
from .layout import FORMAT, KEY_CHECK_NAME, segment_name
from .sealing import Unopened, bound_to, open_sealed, seal

#: The largest segment read: a whole history of years is a few megabytes.
SEGMENT_LIMIT = 64 << 20
#: A first publish of a long history is cut into segments of this many changes.
CHANGES_PER_SEGMENT = 1000
HEADER = re.compile(rb"peersession-(segment|key-check) (\d{1,6}) (\d{1,12})\n")
HEADER_LIMIT = 64
KEY_CHECK_TEXT = b"peersession group key check"

FileKind = Literal["segment", "key-check"]
Problem = Literal["incomplete", "newer", "damaged", "unopened", "too-large", "unreadable"]


@dataclass(frozen=True)
class Unreadable(Exception):
    """Why a sealed file was not taken in: one line's worth, never its contents."""

    problem: Problem
    detail: str

    def __str__(self) -> str:
        return self.detail


def _bound(kind: FileKind, version: int, machine: str, number: int | None) -> bytes:
    return bound_to("peersession", kind, version, machine, "" if number is None else number)


def pack(kind: FileKind, sealed: bytes) -> bytes:
    return f"peersession-{kind} {FORMAT} {len(sealed)}\n".encode("ascii") + sealed


def unpack(data: bytes, kind: FileKind) -> tuple[int, bytes]:
    """The format and the sealed bytes of a file, or :class:`Unreadable`."""
    line_end = data.find(b"\n", 0, HEADER_LIMIT)
    header = HEADER.fullmatch(data[: line_end + 1]) if line_end >= 0 else None
    if header is None or header.group(1).decode() != kind:
        if len(data) < HEADER_LIMIT and b"\n" not in data:
            raise Unreadable("incomplete", "incomplete (still arriving, or cut short)")
        raise Unreadable("damaged", f"not a peersession {kind} (damaged)")
    version, length = int(header.group(2)), int(header.group(3))
    if version > FORMAT:
        raise Unreadable("newer", f"written in format {version} by a newer peersession; kept")
    if version < 1:
        raise Unreadable("damaged", f"not a peersession {kind} (damaged)")
    body = data[line_end + 1 :]
    if len(body) < length:
        raise Unreadable("incomplete", "incomplete (still arriving, or cut short)")
    if len(body) > length:
        raise Unreadable("damaged", "longer than it says (damaged)")
    return version, body


def read_bounded(path: Path, limit: int = SEGMENT_LIMIT) -> bytes:
    """A file's bytes, at most ``limit`` (:class:`Unreadable` beyond, or if unreadable)."""
    from ..atomic import TooLarge

    try:
        return read_regular_file(path, limit)
    except TooLarge:
        raise Unreadable("too-large", f"larger than {limit:,} bytes, not read") from None
    except OSError as error:
        raise Unreadable("unreadable", f"cannot be read ({error.strerror or error})") from None


# --- segments ------------------------------------------------------------------------


def encode_segment(key: GroupKey, machine: str, number: int, changes: list[Change]) -> bytes:
    plaintext = json.dumps(
        {"changes": [change.to_json() for change in changes]},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    return pack("segment", seal(key, plaintext, _bound("segment", FORMAT, machine, number)))


def write_segment(
    machine_dir: Path, key: GroupKey, machine: str, number: int, changes: list[Change]
) -> Path:
    """Write segment ``number`` whole; it must not exist (segments are never changed)."""
    path = machine_dir / segment_name(number)
    if path.exists():
        raise FileExistsError(f"{path}: a segment is never written twice")
    atomic_write_bytes(path, encode_segment(key, machine, number, changes))
    return path


@dataclass(frozen=True)
class Segment:
    changes: list[Change]
    #: Changes this peersession does not know (a newer one wrote them): left out.
    unknown: int


def decode_segment(data: bytes, key: GroupKey, machine: str, number: int) -> Segment:
    version, sealed = unpack(data, "segment")
    try:
        plaintext = open_sealed(key, sealed, _bound("segment", version, machine, number))
    except Unopened:
        raise Unreadable(
            "unopened", "does not open with this group's key (another key, or damaged)"
        ) from None
    try:
        raw = json.loads(plaintext)
        entries = raw["changes"]
        if not isinstance(entries, list):
            raise TypeError
    except (ValueError, TypeError, KeyError, RecursionError):
        # Sealed with our key yet not a segment: a writer's bug, not a sync tool's.
        raise Unreadable("damaged", "opens, but holds no list of changes") from None
    changes: list[Change] = []
    unknown = 0
    for entry in entries:
        try:
            changes.append(parse_change(entry))
        except BadChange:
            unknown += 1
    return Segment(changes, unknown)


def read_segment(path: Path, key: GroupKey, machine: str, number: int) -> Segment:
    return decode_segment(read_bounded(path), key, machine, number)


# --- the key check ---------------------------------------------------------------------


def write_key_check(machine_dir: Path, key: GroupKey, machine: str) -> Path:
    path = machine_dir / KEY_CHECK_NAME
    bound = _bound("key-check", FORMAT, machine, None)
    atomic_write_bytes(path, pack("key-check", seal(key, KEY_CHECK_TEXT, bound)))
    return path


def key_opens(path: Path, key: GroupKey, machine: str) -> bool:
    """Whether the key check at ``path`` opens with ``key`` (:class:`Unreadable`
    if it cannot tell: incomplete, newer, damaged)."""
    version, sealed = unpack(read_bounded(path, 4096), "key-check")
    try:
        return open_sealed(key, sealed, _bound("key-check", version, machine, None)) == (
            KEY_CHECK_TEXT
        )
    except Unopened:
        return False
