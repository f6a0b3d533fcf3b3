"""Pausing the cyclic garbage collector around bulk work on JSON documents."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many acyclic objects.

    Parsing a large history file, copying its documents, generating a demo
    archive or indexing every text for a search allocates hundreds of
    thousands of dicts and lists; each allocation burst triggers collections
    that rescan them all, which costs as much as the work itself. JSON data
    holds no cycles, so nothing is lost by collecting after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def to_oldest_generation() -> None:
    """Move everything the collector tracks into its oldest generation, without
    scanning it; call it inside :func:`gc_paused`, after building documents that
    will be kept (a history a screen shows).

    Otherwise the first young collections after the pause scan every one of the
    hundreds of thousands of new dicts and lists twice (about a third of a parse
    of the file) only to find them all alive and move them up: they reach the
    oldest generation either way, and are scanned there, like everything else,
    by the next full collection. ``gc.freeze()`` then ``gc.unfreeze()`` does
    that move directly (the documented behaviour of the pair). Left alone when
    something in the process has frozen objects on purpose, since unfreezing
    would undo it.
    """
    if gc.get_freeze_count():
        return
    gc.freeze()
    gc.unfreeze()
