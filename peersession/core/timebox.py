"""A timebox: a budget of seconds that runs, pauses and can be adjusted.

It stores moments, not ticks: ``remaining(now)`` is computed from when it
started running, so it never drifts and keeps counting across a crash.
Banked time is summed in whole microseconds (the clock's resolution), so a
turn paused and resumed thousands of times still adds up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from pendulum import DateTime

TimerState = Literal["ready", "running", "warning", "overtime", "paused"]

_US = 1_000_000


def _microseconds(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * _US + delta.microseconds


@dataclass
class Timebox:
    budget: float
    #: Seconds used while not running (before pauses and stops).
    banked: float = 0.0
    running_since: DateTime | None = None
    paused: bool = False

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def elapsed(self, now: DateTime) -> float:
        if self.running_since is None:
            return self.banked
        # Integer microseconds: adding floats would drift after many pauses.
        running = max(0, _microseconds(now - self.running_since))
        return (round(self.banked * _US) + running) / _US

    def remaining(self, now: DateTime) -> float:
        return self.budget - self.elapsed(now)

    def start(self, at: DateTime) -> None:
        """Run (or keep running) from ``at``; clears a pause."""
        if self.running_since is None:
            self.running_since = at
        self.paused = False

    def stop(self, at: DateTime) -> None:
        """Stop running and bank the time used so far."""
        if self.running_since is not None:
            self.banked = self.elapsed(at)
            self.running_since = None

    def pause(self, at: DateTime) -> None:
        self.stop(at)
        self.paused = True

    def toggle_pause(self, at: DateTime) -> None:
        if self.paused:
            self.start(at)
        else:
            self.pause(at)

    def adjust(self, seconds: float) -> None:
        """More or less time; the budget never goes below zero."""
        self.budget = max(0.0, self.budget + seconds)

    def warn_threshold(self, share: float, cap: float) -> float:
        return min(self.budget * share, cap)

    def state(self, now: DateTime, *, warn_share: float, warn_cap: float) -> TimerState:
        if self.paused:
            return "paused"
        if self.running_since is None and self.banked == 0:
            return "ready"
        remaining = self.remaining(now)
        if remaining < 0:
            return "overtime"
        if remaining <= self.warn_threshold(warn_share, warn_cap):
            return "warning"
        return "running"
