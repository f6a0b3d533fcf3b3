"""WCAG contrast maths, for the tests that hold the themes to their promises.

The app never computes contrast: a theme's colours are checked when the theme
is shipped (``test_themes.py``), so this lives with the tests, not in
``peersession.tui.theming``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from textual.color import Color
from textual.theme import Theme

from peersession.tui.theming import (
    APP_VARIABLES,
    THEME_VARIABLE_DEFAULTS,
    THEME_VARIABLE_DEFAULTS_LIGHT,
)

# The colours the app draws text in and what it draws them on: the pairs the
# contrast checks (and the screenshare promise) are about.
TEXT_COLOUR_NAMES: Final = ("foreground", *APP_VARIABLES)
BACKGROUND_COLOUR_NAMES: Final = ("background", "surface", "panel")
#: WCAG 2 level AA for normal text.
WCAG_AA: Final = 4.5


def relative_luminance(colour: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour, from 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        # sRGB transfer function (0.04045 is the sRGB standard's threshold;
        # WCAG's older 0.03928 gives the same result for 8-bit channels).
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour.rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(a: Color, b: Color) -> float:
    """WCAG contrast ratio of ``a`` on ``b``: 1 (none) to 21 (black on white).

    A translucent ``a`` is first composited over ``b``, as a terminal would
    show it; ``b`` is taken as opaque (composite it onto its own backdrop first).
    """
    if a.a < 1:
        a = b + a
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def resolved_colours(theme: Theme) -> dict[str, str]:
    """The CSS variables a theme gives the app, resolved the way App does it."""
    defaults = THEME_VARIABLE_DEFAULTS_LIGHT if not theme.dark else THEME_VARIABLE_DEFAULTS
    return {**defaults, **theme.to_color_system().generate(), **theme.variables}


def contrast_pairs(
    theme: Theme,
    foregrounds: Iterable[str] = TEXT_COLOUR_NAMES,
    backgrounds: Iterable[str] = BACKGROUND_COLOUR_NAMES,
) -> list[tuple[str, str, float]]:
    """(text variable, background variable, contrast ratio) for every pairing."""
    colours = resolved_colours(theme)
    backdrop = Color.parse(colours["background"])
    pairs = []
    for back_name in backgrounds:
        # surface and panel may be translucent; they sit on the background.
        back = backdrop + Color.parse(colours[back_name])
        for fore_name in foregrounds:
            ratio = contrast_ratio(Color.parse(colours[fore_name]), back)
            pairs.append((fore_name, back_name, ratio))
    return pairs
