"""Compacting this machine's segments once a removal is known.

A removed item's text is dropped from every merge state at once, but the
segments that carried it still hold it, sealed. So when a pass learns of a
tombstone it had not compacted for, this machine rewrites its own segments
(only its own: it is the one writer of its folder) without any removed text
(:mod:`...core.compaction`), the new segments written whole before the old
ones are deleted: a crash in between leaves both, which merge to the same
records, and the next pass finishes. The other machines read the new
segments once, as new, and forget the deleted ones. A machine that is
offline keeps the text in its own segments until it next syncs.
"""

from __future__ import annotations

import os

from ...core.compaction import compacted
from ...core.convergence import State
from ..atomic import fsync_dir
from .folder import SharedFolder
from .layout import SEGMENT_NAME, segment_name
from .local import LocalShare
from .segments import Unreadable, read_segment


def tombstones(state: State) -> int:
    """How many items the state knows removed (it only ever grows)."""
    return sum(len(items) for items in state.removed().values())


def compact_own(local: LocalShare, state: State) -> int:
    """Rewrite this machine's segments without the removed items' text, when a
    tombstone arrived since the last compaction; how many segments it replaced.
    ``OSError`` if the folder cannot be written (nothing is lost: the next pass
    tries again)."""
    known = tombstones(state)
    if known <= local.compacted():
        return 0
    link, key = local.link(), local.key()
    machine_dir = link.folder / link.machine
    numbers = sorted(
        int(m.group(1)) for m in map(SEGMENT_NAME.fullmatch, os.listdir(machine_dir)) if m
    )
    changes = []
    for number in numbers:
        try:
            segment = read_segment(machine_dir / segment_name(number), key, link.machine, number)
        except Unreadable:
            return 0  # damaged: the doctor names it; left as it is
        if segment.unknown:
            return 0  # a newer peersession's changes: only it can rewrite them
        changes += segment.changes
    rewritten = compacted(changes, state.removed())
    if rewritten == changes:
        local.save_compacted(known)  # nothing of ours held removed text
        return 0
    folder = SharedFolder(link.folder, key)
    written = folder.publish(link.machine, rewritten, after=max([link.last_segment, *numbers]))
    for number in numbers:
        (machine_dir / segment_name(number)).unlink(missing_ok=True)
    fsync_dir(machine_dir)
    gone = {f"{link.machine}/{segment_name(number)}" for number in numbers}
    taken = {name: stamp for name, stamp in local.taken().items() if name not in gone}
    local.save_taken(taken | written)
    # Numbers are never used twice, even when nothing of ours was left to write.
    link.last_segment = max([link.last_segment, *numbers, *map(_number, written)])
    local.save_link(link)
    local.save_compacted(known)
    return len(numbers)


def _number(relative: str) -> int:
    return int(relative.split("/")[1].split(".")[0])
