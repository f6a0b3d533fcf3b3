"""The clock is injected: the engine never asks the system for the time.

Every time shown is derived from the clock, never from counting ticks, so a
meeting simulated for three hours on a :class:`FakeClock` has zero drift and a
resumed meeting counts the real time that passed while the app was down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    # pendulum loads at the first "now", not with the module: the home
    # screen's first frame asks no time.
    from pendulum import Date, DateTime


class Clock(Protocol):
    """Anything that can say what time it is now (UTC)."""

    def now(self) -> DateTime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> DateTime:
        import pendulum

        return pendulum.now("UTC")


class FakeClock:
    """A clock for tests and benchmarks that only moves when told to."""

    def __init__(self, start: DateTime | None = None) -> None:
        import pendulum

        self._now = start or pendulum.datetime(2026, 1, 6, 17, 0, 0, tz="UTC")

    def now(self) -> DateTime:
        return self._now

    def advance(self, seconds: float = 0.0, *, minutes: float = 0.0) -> DateTime:
        """Move time forward and return the new now."""
        self._now = self._now.add(seconds=seconds + minutes * 60)
        return self._now

    def set(self, moment: DateTime) -> None:
        self._now = moment


def local_date(moment: DateTime) -> Date:
    """The calendar date of ``moment`` where the user is."""
    from pendulum.tz import local_timezone

    return moment.in_timezone(local_timezone()).date()


def local_time(moment: DateTime) -> DateTime:
    from pendulum.tz import local_timezone

    return moment.in_timezone(local_timezone())
