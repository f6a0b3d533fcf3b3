"""Each kind of phase on screen: its console panel and its board, registered once.

The core's table of phase kinds (``core/phases.py``) cannot name a widget, so
the screen keeps this one beside it, keyed by the same objects; it is checked
complete when imported, and a kind registered later comes with its screens
through :func:`register_screens` (a phase with nothing of its own to show uses
``PlainPanel`` and ``plain_board``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pendulum import DateTime
from textual.content import Content

from ...core import phases as kinds
from ...core.engine import Meeting
from ...core.phases import PhaseKind
from . import board
from .commitments import CommitmentsPanel
from .goals_review import GoalsPanel, goals_board
from .panel import PhasePanel
from .phases import ClosePanel, OpeningPanel, ReviewPanel, WinsPanel
from .recap import RecapPanel
from .talking import AsksPanel, UpdatesPanel

Board = Callable[[Meeting, DateTime], Content]


@dataclass(frozen=True)
class PhaseScreens:
    """A kind of phase's panel (the facilitator's console) and board (the room's view)."""

    panel: type[PhasePanel]
    board: Board


SCREENS: dict[PhaseKind, PhaseScreens] = {
    kinds.OPENING: PhaseScreens(OpeningPanel, board.opening_board),
    kinds.WINS: PhaseScreens(WinsPanel, board.wins_board),
    kinds.REVIEW: PhaseScreens(ReviewPanel, board.review_board),
    kinds.GOALS: PhaseScreens(GoalsPanel, goals_board),
    kinds.UPDATES: PhaseScreens(UpdatesPanel, board.updates_board),
    kinds.ASKS: PhaseScreens(AsksPanel, board.asks_board),
    kinds.COMMITMENTS: PhaseScreens(CommitmentsPanel, board.commitments_board),
    kinds.CLOSE: PhaseScreens(ClosePanel, board.close_board),
    kinds.RECAP: PhaseScreens(RecapPanel, board.recap_board),
}

_MISSING = kinds.missing_from(SCREENS)
if _MISSING:  # pragma: no cover - a programming error, caught by any test run
    raise RuntimeError(f"phase kinds without a panel: {_MISSING}")


def register_screens(kind: PhaseKind, screens: PhaseScreens) -> None:
    """Give a kind registered after this module's import its panel and board."""
    SCREENS[kind] = screens


def screens_of(kind: PhaseKind) -> PhaseScreens:
    """The panel and board of ``kind`` (a kind registered without them is a bug)."""
    try:
        return SCREENS[kind]
    except KeyError:
        raise LookupError(f"phase {kind.name!r} has no panel: register_screens it") from None


def board_of(meeting: Meeting, now: DateTime) -> Content:
    """The board of ``meeting``'s current phase."""
    return screens_of(meeting.phase).board(meeting, now)
