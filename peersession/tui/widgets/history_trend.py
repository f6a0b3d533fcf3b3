"""A labelled trend: ``Rating ▃▅▆▇▆ 8.5 last``, bars on the figure's own scale.

The bars carry the shape of the trend and the numbers beside them carry the
value, so the figure reads on a monochrome screen share as well. Textual's
Sparkline stretches whatever it is given from its lowest value to its
highest, so a steady 100% (or any steady series) drew as a row of the lowest
bars and read as zero. :class:`ScaledBars` draws each value against the
scale the figure has (a share from 0 to 1, a rating from 1 to 10): 100% is a
full bar, 0% the lowest, 50% half way, whatever the other values are.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from statistics import fmean
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from ...core.health import SHORT, checks, trend
from ...core.words import plural

if TYPE_CHECKING:
    from ...core.session_records import Session

#: Eight heights, lowest first.
BARS = "▁▂▃▄▅▆▇█"

#: A share done: 0 (nothing) to 1 (everything).
SHARE = (0.0, 1.0)
#: A session's rating.
RATING = (1.0, 10.0)
#: A health question's mean score (core/health.py).
HEALTH = (1.0, 5.0)
#: Bars per question in the health line: the last few checks, so five fit at 80 columns.
HEALTH_BARS = 4


def buckets(values: Sequence[float], width: int) -> list[float]:
    """``values`` in at most ``width`` bars: one bar per value while they fit,
    else each bar the mean of its share of them (oldest first). A mean, not a
    maximum, keeps a long history's bars honest."""
    if len(values) <= width:
        return list(values)
    step = Fraction(len(values), width)
    return [fmean(values[int(step * i) : int(step * (i + 1))]) for i in range(width)]


def bar_for(value: float, scale: tuple[float, float]) -> str:
    """The bar whose height is ``value``'s place on ``scale`` (clamped to it)."""
    low, high = scale
    share = min(1.0, max(0.0, (value - low) / (high - low)))
    return BARS[round(share * (len(BARS) - 1))]


def draw_bars(values: Sequence[float], width: int, scale: tuple[float, float]) -> str:
    """The bars for ``values`` in ``width`` cells, each on ``scale``."""
    return "".join(bar_for(value, scale) for value in buckets(values, max(1, width)))


def health_trend_line(sessions: Sequence[Session]) -> Content | None:
    """The health checks' trend, one figure a question: ``Safe ▅▆ 4.2↑`` (the
    mean at each of the last checks, the last mean and where it went; a low one
    in bold), or None before the first check."""
    points = checks(sessions)
    if not points:
        return None
    parts: list[Content] = []
    for line in trend(points):
        bars = draw_bars(line.means[-HEALTH_BARS:], HEALTH_BARS, HEALTH)
        figure = Content.assemble(f"{SHORT[line.question]} ", (bars, "$primary"), " ")
        value = line.figure()
        low = line.last is not None and line.last < 3
        parts.append(Content.assemble(figure, (value, "bold reverse") if low else value))
    title = Content.styled(f"Health ({plural(len(points), 'check')})", "")
    return Content.assemble(title, " · ", Content("  ").join(parts))


class ScaledBars(Widget):
    """One line of bars, each value drawn at its height on a fixed scale, its
    colour from faint (the bottom of the scale) to strong (the top)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"scaled-bars--low", "scaled-bars--high"}
    DEFAULT_CSS = """
    ScaledBars {
        height: 1;
    }
    ScaledBars > .scaled-bars--high {
        color: $primary;
    }
    ScaledBars > .scaled-bars--low {
        color: $primary 40%;
    }
    """

    data: reactive[tuple[float, ...]] = reactive(())

    def __init__(self, scale: tuple[float, float], *, id: str | None = None) -> None:
        super().__init__(id=id)
        low, high = scale
        if not high > low:
            raise ValueError(f"a scale runs from low to high, not {scale}")
        self.scale = scale

    def render(self) -> RenderResult:
        bars = draw_bars(self.data, self.size.width, self.scale)
        _, base = self.background_colors
        low = base + self.get_component_styles("scaled-bars--low").color
        high = base + self.get_component_styles("scaled-bars--high").color
        drawn = Text()
        for bar in bars:
            height = BARS.index(bar) / (len(BARS) - 1)
            drawn.append(bar, Style(color=low.blend(high, height).rich_color))
        return drawn


class Trend(Horizontal):
    """A one-line label, bars and value."""

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
    Trend > ScaledBars {
        width: 16;
        margin-right: 1;
    }
    """

    def __init__(
        self,
        label: str,
        *,
        scale: tuple[float, float],
        id: str | None = None,
        width: int = 16,
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.scale = scale
        self.bar_width = width

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="trend-label", markup=False)
        bars = ScaledBars(self.scale)
        bars.styles.width = self.bar_width
        yield bars
        yield Label("", classes="trend-value", markup=False)

    def show(self, values: Sequence[float], value_text: str) -> None:
        """Draw ``values`` (oldest first) and the number that sums them up."""
        bars = self.query_one(ScaledBars)
        # One bar per value while they fit: a short history is not stretched
        # into wide blocks that look like more data than there is.
        bars.styles.width = max(1, min(len(values), self.bar_width))
        bars.data = tuple(values)
        bars.display = bool(values)
        self.query_one(".trend-value", Label).update(value_text)
