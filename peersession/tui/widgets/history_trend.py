"""A labelled trend: ``Rating ▃▅▆▇▆ 8.5 last``, drawn with Textual's Sparkline.

The bars carry the shape of the trend and the numbers beside them carry the
value, so the figure reads on a monochrome screen share as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Sparkline


class Trend(Horizontal):
    """A one-line label, sparkline and value."""

    DEFAULT_CSS = """
    Trend {
        height: 1;
        width: auto;
        margin-right: 2;
    }
    Trend > Label {
        width: auto;
    }
    Trend > .trend-label {
        color: $text-muted;
        margin-right: 1;
    }
    Trend > Sparkline {
        width: 16;
        margin-right: 1;
    }
    """

    def __init__(self, label: str, *, id: str | None = None, width: int = 16) -> None:
        super().__init__(id=id)
        self.label = label
        self.bar_width = width

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="trend-label", markup=False)
        # Averaging keeps a long history's buckets honest (Sparkline's default
        # shows each bucket's maximum).
        sparkline = Sparkline([], summary_function=fmean)
        sparkline.styles.width = self.bar_width
        yield sparkline
        yield Label("", classes="trend-value", markup=False)

    def show(self, values: Sequence[float], value_text: str) -> None:
        """Draw ``values`` (oldest first) and the number that sums them up."""
        sparkline = self.query_one(Sparkline)
        # One bar per value while they fit: a short history is not stretched
        # into wide blocks that look like more data than there is.
        sparkline.styles.width = max(1, min(len(values), self.bar_width))
        sparkline.data = list(values)
        sparkline.display = bool(values)
        # Sparkline scales from the lowest value to the highest: equal values
        # draw as a flat floor, which must not read as "all low".
        steady = len(values) > 1 and min(values) == max(values)
        self.query_one(".trend-value", Label).update(
            f"{value_text} (steady)" if steady else value_text
        )
