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
