"""Figures of a set of samples: median, p95, the spread, and the ratio of two sets."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1)."""
    if not values:
        raise ValueError("no samples")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def figures(values: Sequence[float], scale: float = 1000.0) -> dict[str, Any]:
    """median, p95, p99, the interquartile range and the extremes, in ``scale``
    units (milliseconds for seconds by default), and every sample."""

    def of(value: float) -> float:
        return round(value * scale, 3)

    return {
        "n": len(values),
        "median": of(statistics.median(values)),
        "p95": of(percentile(values, 0.95)),
        "p99": of(percentile(values, 0.99)),
        "p25": of(percentile(values, 0.25)),
        "p75": of(percentile(values, 0.75)),
        "min": of(min(values)),
        "max": of(max(values)),
        "samples": [of(v) for v in values],
    }


def ratio(real: dict[str, Any], floor: dict[str, Any], stat: str = "median") -> float:
    return round(real[stat] / floor[stat], 3) if floor[stat] else math.inf
