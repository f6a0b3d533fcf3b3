"""A hybrid logical clock: one order of events that every machine agrees on.

Wall clocks disagree between laptops (one is a minute fast, another was set by
hand), so "the later change wins" cannot read them alone. A hybrid logical
clock (Kulkarni et al., 2014) stamps each change with the wall time in
milliseconds, a counter and the machine's id:

* a machine's stamps only ever grow, even when its wall clock steps back;
* a machine that takes in a stamp from another moves its own clock past it, so
  a change made after reading another machine's change is always stamped
  later than it, whatever the two wall clocks say;
* stamps are compared as ``(wall, counter, machine)``: a total order, the
  same on every machine, with no two machines ever tied (their ids differ).

The clock is pure: it is handed a function giving the wall time, so tests
drive it with any sequence of times.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: A machine's id: 32 lowercase hex digits, random, meaning nothing.
MACHINE_ID = re.compile(r"[0-9a-f]{32}")

#: The largest wall time a stamp may carry (year 2286 in milliseconds): a
#: stamp past it is not from any clock, and would freeze every clock at it.
MAX_WALL_MS = 10**13
#: The largest counter: more changes than this in one millisecond is not a clock.
MAX_COUNTER = 2**32


class BadStamp(ValueError):
    """A stamp that is not one (wrong shape, out of range, not a machine id)."""


@dataclass(frozen=True, order=True, slots=True)
class Stamp:
    """One instant of a hybrid logical clock; compares in the total order."""

    wall_ms: int
    counter: int
    machine: str

    def to_json(self) -> list[Any]:
        """``[wall_ms, counter, machine]``: short, and ordered as it reads."""
        return [self.wall_ms, self.counter, self.machine]

    @classmethod
    def from_json(cls, value: object) -> Stamp:
        """A stamp read from another machine's file: checked, never trusted."""
        if not isinstance(value, list) or len(value) != 3:
            raise BadStamp("a stamp is [wall_ms, counter, machine]")
        wall, counter, machine = value
        if not _whole(wall) or not 0 <= wall <= MAX_WALL_MS:
            raise BadStamp("a stamp's wall time is out of range")
        if not _whole(counter) or not 0 <= counter <= MAX_COUNTER:
            raise BadStamp("a stamp's counter is out of range")
        if not isinstance(machine, str) or not MACHINE_ID.fullmatch(machine):
            raise BadStamp("a stamp's machine is not a machine id")
        return cls(wall, counter, machine)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class HybridClock:
    """One machine's clock: :meth:`now` stamps a change made here,
    :meth:`receive` moves the clock past a stamp read from elsewhere."""

    def __init__(self, machine: str, wall_ms: Callable[[], int], last: Stamp | None = None) -> None:
        if not MACHINE_ID.fullmatch(machine):
            raise BadStamp("not a machine id")
        self.machine = machine
        self._wall_ms = wall_ms
        # Resuming from the last stamp this machine gave keeps its stamps
        # growing across runs even if the wall clock was set back meanwhile.
        self._wall = last.wall_ms if last else 0
        self._counter = last.counter if last else 0

    @property
    def last(self) -> Stamp:
        """The latest stamp given or taken in (to be kept for the next run)."""
        return Stamp(self._wall, self._counter, self.machine)

    def now(self) -> Stamp:
        """A new stamp, later than every stamp this clock has given or taken in."""
        wall = min(max(self._wall_ms(), 0), MAX_WALL_MS)
        if wall > self._wall:
            self._wall, self._counter = wall, 0
        else:
            self._advance_counter()
        return self.last

    def receive(self, stamp: Stamp) -> None:
        """Take in another machine's stamp: every later :meth:`now` is after it."""
        if stamp.wall_ms > self._wall:
            self._wall, self._counter = stamp.wall_ms, stamp.counter
        elif stamp.wall_ms == self._wall and stamp.counter > self._counter:
            self._counter = stamp.counter

    def _advance_counter(self) -> None:
        if self._counter >= MAX_COUNTER:
            # A counter run out within one millisecond: borrow the next one.
            self._wall, self._counter = self._wall + 1, 0
        else:
            self._counter += 1
