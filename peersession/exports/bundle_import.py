"""Bringing a bundle into a history: check it whole, then merge it.

The store merges documents (``store.merge``) and may not reach up to the
bundle format, which lives here in ``exports``; so the one call that takes a
bundle from anywhere, checks it and merges it is on this floor.
``parse_bundle`` already checks what it reads; :func:`import_bundle` checks
again, so a bundle built in memory (or changed after parsing) is held to the
same rules before anything is written.
"""

from __future__ import annotations

from typing import Any

from ..store.history import HistoryStore
from ..store.merge import MergeReport, merge_bundle
from .bundle import validate_bundle


def import_bundle(store: HistoryStore, bundle: dict[str, Any]) -> MergeReport:
    """Merge ``bundle`` into ``store`` if it is a bundle this version can merge whole.

    Raises UserError, with the history untouched, when it is not, or when its
    group clashes with a different local group.
    """
    validate_bundle(bundle)
    return merge_bundle(store, bundle)
