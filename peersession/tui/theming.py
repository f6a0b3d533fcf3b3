"""Colour themes: TOML files loaded into Textual's theme system.

A theme file holds the fields of :class:`textual.theme.Theme` at the top level
and a ``[variables]`` table::

    name = "screenshare"          # letters, digits, "-" and "_"; at most 40
    dark = true
    primary = "#4FC3F7"           # required; every colour must parse with
    foreground = "#FFFFFF"        # textual.color.Color.parse
    background = "#000000"
    [variables]
    timer-running = "#7FDBFF"     # the six app colours, see THEME_VARIABLE_DEFAULTS

Validation is strict so a typo never silently does nothing:

* top-level keys: only the Theme fields (``name``, ``primary``, ``secondary``,
  ``warning``, ``error``, ``success``, ``accent``, ``foreground``,
  ``background``, ``surface``, ``panel``, ``boost``, ``dark``,
  ``luminosity_spread``, ``text_alpha``, ``ansi``) and ``[variables]``;
* ``[variables]``: the six app variables (colours) and any variable Textual's
  own colour system defines (``footer-key-foreground``, ``border``, ...).
  Those ending in ``text-style`` (and ``link-style*``) take text-style words
  (``bold underline``); the rest take a colour, optionally followed by an
  opacity such as ``35%`` (and ``auto 87%``, Textual's contrasting text).

Shipped themes live in ``paths.shipped_themes_dir()``; user themes in
``paths.user_themes_dir()``. A user theme may not reuse the name of a shipped
theme or of a Textual built-in theme: the shipped ones carry promises
(``screenshare`` is WCAG AA, ``mono`` has no colour) that a same-named file
would silently break, so the file is refused with a message suggesting
another name. Of two user files with the same name, the first in file-name
order wins and the other is reported.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.design import ColorSystem
from textual.theme import BUILTIN_THEMES, Theme

from peersession import paths
from peersession.errors import UserError
from peersession.settings import THEME_NAME, THEME_NAME_RULE, Settings, save_theme

if TYPE_CHECKING:
    from textual.app import App

DEFAULT_DARK_THEME: Final = "peersession-dark"
DEFAULT_LIGHT_THEME: Final = "peersession-light"
NO_COLOR_THEME: Final = "mono"
# Used only if the shipped themes are missing (a broken install): the app
# still starts, in a theme Textual always has.
LAST_RESORT_THEME: Final = "textual-dark"

THEME_VARIABLE_DEFAULTS: Final[dict[str, str]] = {
    # Text colours (used as ``color: $timer-running``), drawn on $background,
    # $surface or $panel. These defaults suit dark themes; light ones get
    # THEME_VARIABLE_DEFAULTS_LIGHT through install_themes().
    "timer-running": "#6CC4F0",
    "timer-warning": "#F2D45C",
    "timer-overtime": "#FF8A80",
    "timer-paused": "#B0B0B0",
    "private-marker": "#E29BD0",
    "win-highlight": "#FFB74D",
}
"""The app-specific theme variables and their values for themes that omit them."""

THEME_VARIABLE_DEFAULTS_LIGHT: Final[dict[str, str]] = {
    "timer-running": "#005A9C",
    "timer-warning": "#7A5200",
    "timer-overtime": "#B3261E",
    "timer-paused": "#555555",
    "private-marker": "#7B2D8E",
    "win-highlight": "#8A4B00",
}
"""The same variables for light themes (dark text on a light background)."""

APP_VARIABLES: Final = tuple(THEME_VARIABLE_DEFAULTS)

_COLOUR_FIELDS: Final = frozenset(
    {
        "primary",
        "secondary",
        "warning",
        "error",
        "success",
        "accent",
        "foreground",
        "background",
        "surface",
        "panel",
        "boost",
    }
)
_BOOL_FIELDS: Final = frozenset({"dark", "ansi"})
_FRACTION_FIELDS: Final = frozenset({"luminosity_spread", "text_alpha"})
# Spelled out rather than read from dataclasses.fields(Theme) so each key has
# a known type; a test checks this still matches Theme after a Textual upgrade.
THEME_FILE_KEYS: Final = frozenset(
    {"name", "variables"} | _COLOUR_FIELDS | _BOOL_FIELDS | _FRACTION_FIELDS
)

_OPACITY = re.compile(r"(?P<colour>.+?)\s+(?P<percent>\d{1,3}(?:\.\d+)?)%")

Source = Literal["shipped", "user"]


@dataclass
class ThemeCatalog:
    """Every theme that loaded, where each came from, and every file that did not."""

    themes: dict[str, Theme] = field(default_factory=dict)
    sources: dict[str, tuple[Source, Path]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message names the file and every problem."""


# --- loading ---------------------------------------------------------------


@cache
def textual_variable_names() -> frozenset[str]:
    """The variable names Textual's colour system defines (and a theme may override)."""
    return frozenset(ColorSystem(primary="#000000").generate())


def theme_from_mapping(data: Mapping[str, Any]) -> Theme:
    """Build a Theme from parsed TOML, raising ValueError listing every problem."""
    problems: list[str] = []
    unknown = sorted(set(data) - THEME_FILE_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}")
    name = data.get("name")
    if name is None:
        problems.append("missing 'name'")
    elif not isinstance(name, str) or not THEME_NAME.fullmatch(name):
        problems.append(f"'name' must be a string of {THEME_NAME_RULE}, not {name!r}")
    if "primary" not in data:
        problems.append("missing 'primary' (a colour)")
    for key in sorted(THEME_FILE_KEYS & set(data)):
        problem = _field_problem(key, data[key])
        if problem:
            problems.append(problem)
    if problems:
        raise ValueError("; ".join(problems))
    options = {key: value for key, value in data.items() if key != "variables"}
    return Theme(**options, variables=dict(data.get("variables", {})))


def load_theme_file(path: Path) -> Theme:
    """Read and validate one theme file.

    Raises ThemeFileError with a one-line message naming the file.
    """
    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except OSError as error:
        raise ThemeFileError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"{path}: not valid TOML: {error}") from None
    try:
        return theme_from_mapping(data)
    except ValueError as error:
        raise ThemeFileError(f"{path}: {error}") from None


def load_theme_catalog(
    shipped_dir: Path | None = None, user_dir: Path | None = None
) -> ThemeCatalog:
    """Load shipped then user themes; bad files become problems, the rest load."""
    catalog = ThemeCatalog()
    reserved = set(BUILTIN_THEMES)
    folders: tuple[tuple[Source, Path], ...] = (
        ("shipped", shipped_dir or paths.shipped_themes_dir()),
        ("user", user_dir or paths.user_themes_dir()),
    )
    for source, folder in folders:
        for path in _theme_files(folder, catalog.problems):
            try:
                theme = load_theme_file(path)
            except ThemeFileError as error:
                catalog.problems.append(str(error))
                continue
            clash = _name_clash(theme.name, source, catalog, reserved)
            if clash:
                catalog.problems.append(f"{path}: {clash}")
                continue
            catalog.themes[theme.name] = theme
            catalog.sources[theme.name] = (source, path)
    return catalog


def theme_sources() -> list[tuple[str, str, Path]]:
    """Every loadable shipped and user theme as (name, "shipped" or "user", file)."""
    catalog = load_theme_catalog()
    return [(name, source, path) for name, (source, path) in catalog.sources.items()]


def _theme_files(folder: Path, problems: list[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    try:
        return sorted(path for path in folder.iterdir() if path.suffix == ".toml")
    except OSError as error:
        problems.append(f"{folder}: cannot list themes: {error.strerror or error}")
        return []


def _name_clash(name: str, source: str, catalog: ThemeCatalog, reserved: set[str]) -> str | None:
    if name in reserved:
        return f"name {name!r} is a Textual built-in theme; choose another name"
    if name not in catalog.themes:
        return None
    other_source, other_path = catalog.sources[name]
    if source == "user" and other_source == "shipped":
        return (
            f"name {name!r} is already a shipped theme; "
            f"rename it (for example 'my-{name}') to use it"
        )
    return f"name {name!r} is already used by {other_path}"


def _field_problem(key: str, value: Any) -> str | None:
    if key == "name":
        return None  # checked with its own message
    if key in _COLOUR_FIELDS:
        return None if _is_colour(value) else f"{key}: not a colour: {value!r}"
    if key in _BOOL_FIELDS:
        return None if isinstance(value, bool) else f"{key}: must be true or false"
    if key in _FRACTION_FIELDS:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1
        return None if ok else f"{key}: must be a number from 0 to 1"
    if key == "variables":
        if not isinstance(value, dict):
            return "variables: must be a table ([variables])"
        problems = [p for name, v in value.items() if (p := _variable_problem(name, v))]
        return "; ".join(problems) or None
    raise AssertionError(f"theme key {key!r} has no validator")  # THEME_FILE_KEYS drifted


def _variable_problem(name: str, value: Any) -> str | None:
    if name in APP_VARIABLES:
        return None if _is_colour(value) else f"variables.{name}: not a colour: {value!r}"
    if name not in textual_variable_names():
        known = ", ".join(APP_VARIABLES)
        return f"variables.{name}: unknown variable (app variables: {known}; or a Textual one)"
    if not isinstance(value, str):
        return f"variables.{name}: must be a string"
    if name.endswith("text-style") or name.startswith("link-style"):
        words = value.split()
        if words and all(word in VALID_STYLE_FLAGS for word in words):
            return None
        return f"variables.{name}: not a text style: {value!r} (e.g. 'bold underline')"
    match = _OPACITY.fullmatch(value.strip())
    colour = match.group("colour") if match else value
    if (match and colour == "auto") or _is_colour(colour):
        return None
    return f"variables.{name}: not a colour: {value!r}"


def _is_colour(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True


# --- the app ---------------------------------------------------------------


def choose_theme(
    available: Iterable[str],
    requested: str | None,
    remembered: str | None,
    no_color: bool,
) -> tuple[str, list[str]]:
    """Pick the theme: requested > remembered > NO_COLOR → mono > default dark.

    An unknown name is skipped with a problem message and the next choice
    applies. Returns the name and the problems.
    """
    names = set(available)
    listing = ", ".join(sorted(names))
    problems: list[str] = []
    for name, origin in ((requested, "--theme"), (remembered, "the config file")):
        if name is None:
            continue
        if name in names:
            return name, problems
        problems.append(f"Unknown theme {name!r} (from {origin}). Available: {listing}")
    fallbacks = [NO_COLOR_THEME] if no_color else []
    fallbacks += [DEFAULT_DARK_THEME, LAST_RESORT_THEME]
    chosen = next(name for name in fallbacks if name in names)
    if problems:
        problems[-1] += f". Using {chosen!r}."
    return chosen, problems


def install_themes(
    app: App[Any], settings: Settings, requested: str | None, *, persist: bool = True
) -> list[str]:
    """Register shipped + user themes, pick the theme, and remember palette choices.

    Call from the app's ``__init__`` after ``super().__init__()``. The theme
    is ``requested`` (``--theme``) > ``settings.theme`` > ``mono`` when
    ``NO_COLOR`` is set > ``peersession-dark``. Any later change of
    ``app.theme`` while the app runs (the command palette's theme picker) is
    taken as the user's choice and saved with :func:`save_theme`, so set the
    theme only through this function. With ``persist=False`` (the read-only
    view, which writes nothing) a choice lasts as long as the app. Textual's
    built-in themes are re-registered with the app variables filled in for
    their lightness.

    Returns the problems (bad theme files, unknown theme names) for the app
    to show as notifications with ``markup=False``; a save that fails later
    is notified directly.
    """
    catalog = load_theme_catalog()
    for theme in catalog.themes.values():
        app.register_theme(theme)
    # Textual's built-in themes know nothing of the app's variables; give
    # them the defaults that suit their lightness so they stay readable.
    for theme in list(app.available_themes.values()):
        if not set(APP_VARIABLES) <= set(theme.variables):
            defaults = THEME_VARIABLE_DEFAULTS if theme.dark else THEME_VARIABLE_DEFAULTS_LIGHT
            app.register_theme(replace(theme, variables={**defaults, **theme.variables}))
    no_color = bool(os.environ.get("NO_COLOR"))
    chosen, problems = choose_theme(app.available_themes, requested, settings.theme, no_color)
    app.theme = chosen

    def remember(old: str, new: str) -> None:
        # Changes made before the app runs are the app setting itself up, not
        # the user choosing; only a running app's changes are choices.
        if not persist or not app.is_running or old == new:
            return
        try:
            save_theme(new)
        except UserError as error:
            app.notify(str(error), title="Theme not saved", severity="error", markup=False)

    app.watch(app, "theme", remember, init=False)
    return catalog.problems + problems
