"""What the time budget reads from a live meeting, and nothing more.

``budget.compute_budget`` is called by the engine's ``Meeting`` and reads the
meeting back. Typing that parameter as ``Meeting`` made ``budget`` and
``engine`` import each other; these protocols name the few readings the
budget needs instead, so the arrow points one way: engine → budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from pendulum import DateTime

from .setup import MeetingSetup
from .templates import PhasePlan
from .timebox import Timebox


class TurnReading(Protocol):
    """A member's update turn, as the budget sees it."""

    @property
    def box(self) -> Timebox: ...


class AskReading(Protocol):
    """An ask, as the budget sees it."""

    @property
    def wanted(self) -> float: ...
    @property
    def part(self) -> str: ...
    @property
    def advice(self) -> Timebox | None: ...
    @property
    def active_box(self) -> Timebox | None: ...
    def seconds_used(self, now: DateTime) -> float: ...


class MeetingReading(Protocol):
    """The state of a live meeting that the time budget depends on."""

    @property
    def setup(self) -> MeetingSetup: ...
    @property
    def started_at(self) -> DateTime: ...
    @property
    def ended(self) -> bool: ...
    @property
    def here(self) -> set[str]: ...
    @property
    def phases(self) -> tuple[PhasePlan, ...]: ...
    @property
    def phase_index(self) -> int: ...
    @property
    def phase_boxes(self) -> Mapping[int, Timebox]: ...
    @property
    def updates_begun(self) -> bool: ...
    @property
    def queue(self) -> Sequence[str]: ...
    @property
    def speaker(self) -> str | None: ...
    @property
    def turns(self) -> Mapping[str, TurnReading]: ...
    @property
    def asks(self) -> Mapping[str, AskReading]: ...
    @property
    def ask_queue(self) -> Sequence[str]: ...
    @property
    def current_ask(self) -> str | None: ...
    def up_next(self) -> list[str]: ...
