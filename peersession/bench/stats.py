"""Percentiles and a timer, with no dependency beyond the standard library."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def milliseconds(seconds: float) -> float:
    return round(seconds * 1000, 3)


def timed(action: Callable[[], Any]) -> float:
    """Seconds ``action()`` took."""
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def spread(values: Sequence[float]) -> dict[str, float]:
    """p50, p95 and p99 of seconds, in milliseconds."""
    return {
        "p50_ms": milliseconds(percentile(values, 0.50)),
        "p95_ms": milliseconds(percentile(values, 0.95)),
        "p99_ms": milliseconds(percentile(values, 0.99)),
        "n": len(values),
    }
