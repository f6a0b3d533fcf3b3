"""A realistic, deterministic history of a peer-mentoring group.

``demo_history`` simulates the documents that months (or centuries, for
benchmarks) of real meetings would have left: attendance with the odd absence
and late arrival, a speaking order rotated from last time, update turns with
notes, asks in the hot seat whose "I will ..." becomes a commitment, reviews of
the previous session's commitments (so every member's completion rate is
different), wins, ratings and check-ins between sessions. Every document has
exactly the shape :func:`peersession.core.record.session_record` produces.

It is pure, like the core it builds on (no disk, no clock, no randomness but
the seeded generator), so the same arguments always give the same history;
``peersession.store.demo`` writes one into a data folder. It is not part of
the core because no meeting needs it: it is a data simulator for the demo,
the tests and the benchmark.

The parts: ``vocabulary`` (names and words), ``state`` (what carries from one
session to the next), ``session`` (one session, phase by phase), ``hot_seat``
(the asks), ``follow_up`` (reviews and check-ins) and ``history`` (the run).
"""

from __future__ import annotations

from .history import CADENCE_DAYS, DemoHistory, apply_reviews, demo_archive, demo_history
from .session import LENGTH_MINUTES
from .vocabulary import GROUP_NAMES, HOSTILE_NAME, SEARCH_WORD

__all__ = [
    "CADENCE_DAYS",
    "GROUP_NAMES",
    "HOSTILE_NAME",
    "LENGTH_MINUTES",
    "SEARCH_WORD",
    "DemoHistory",
    "apply_reviews",
    "demo_archive",
    "demo_history",
]
