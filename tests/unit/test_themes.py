"""Themes: shipped files, user files, contrast promises, picking and remembering."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import zipfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.app import App
from textual.color import Color
from textual.theme import Theme

from peersession import paths
from peersession.settings import Settings, load_settings
from peersession.tui.theming import (
    APP_VARIABLES,
    THEME_FILE_KEYS,
    THEME_VARIABLE_DEFAULTS,
    THEME_VARIABLE_DEFAULTS_LIGHT,
    choose_theme,
    install_themes,
    load_theme_catalog,
    load_theme_file,
    theme_sources,
)

from contrast import (
    BACKGROUND_COLOUR_NAMES,
    TEXT_COLOUR_NAMES,
    WCAG_AA,
    contrast_pairs,
    contrast_ratio,
    relative_luminance,
    resolved_colours,
)

SHIPPED = ["colorblind", "mono", "peersession-dark", "peersession-light", "screenshare"]
OKABE_ITO = {
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
}
TIMER_STATES = ("timer-running", "timer-warning", "timer-overtime")
# Textual's own text colours, which its widgets (toasts, footers) draw in.
TEXTUAL_TEXT = (
    "text-primary",
    "text-warning",
    "text-error",
    "text-success",
    "text-accent",
    "foreground-muted",
)


@pytest.fixture(autouse=True)
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary config (and so user themes folder); no NO_COLOR from the shell."""
    path = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("PEERSESSION_CONFIG", str(path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return path


@pytest.fixture
def user_themes() -> Path:
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    return folder


def shipped_theme(name: str) -> Theme:
    return load_theme_file(paths.shipped_themes_dir() / f"{name}.toml")


def write_theme(folder: Path, filename: str, text: str) -> Path:
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


GOOD_THEME = 'name = "{name}"\nprimary = "#336699"\n'


class ThemedApp(App[None]):
    """The smallest app that installs themes the way peersession's app does."""

    def __init__(self, requested: str | None = None) -> None:
        super().__init__()
        self.notified: list[str] = []
        self.problems = install_themes(self, load_settings(), requested)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return THEME_VARIABLE_DEFAULTS

    def notify(self, message: Any, **kwargs: Any) -> None:
        self.notified.append(str(message))


# --- shipped themes --------------------------------------------------------


def test_exactly_the_promised_themes_ship_without_problems() -> None:
    catalog = load_theme_catalog()
    assert catalog.problems == []
    assert sorted(catalog.themes) == SHIPPED
    assert {source for source, _ in catalog.sources.values()} == {"shipped"}


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_theme_file_is_named_after_its_theme_and_sets_every_app_variable(
    name: str,
) -> None:
    theme = shipped_theme(name)
    assert theme.name == name
    missing = set(APP_VARIABLES) - set(theme.variables)
    assert not missing, f"{name} leaves {sorted(missing)} to the defaults"


@pytest.mark.parametrize("name", SHIPPED)
async def test_shipped_theme_registers_and_applies_on_a_bare_app(name: str) -> None:
    app: App[None] = App()
    app.register_theme(shipped_theme(name))
    async with app.run_test() as pilot:
        app.theme = name
        await pilot.pause()
        assert app.current_theme.name == name
        # A bare App has no variable defaults: the theme itself supplies them.
        assert (
            app.get_css_variables()["timer-running"]
            == shipped_theme(name).variables["timer-running"]
        )


def test_theme_file_keys_match_textuals_theme_fields() -> None:
    """A Textual upgrade that adds or renames a Theme field must be noticed here."""
    assert {field.name for field in fields(Theme)} == THEME_FILE_KEYS


# --- contrast --------------------------------------------------------------


def test_contrast_ratio_matches_published_wcag_values() -> None:
    black, white = Color.parse("#000000"), Color.parse("#FFFFFF")
    assert contrast_ratio(black, white) == pytest.approx(21.0)
    assert contrast_ratio(white, white) == pytest.approx(1.0)
    # #777777 on white is the textbook "just fails AA" grey: 4.48:1.
    assert contrast_ratio(Color.parse("#777777"), white) == pytest.approx(4.48, abs=0.01)
    assert relative_luminance(Color.parse("#808080")) == pytest.approx(0.2159, abs=1e-4)


def test_translucent_text_is_composited_on_its_background() -> None:
    half_white = Color(255, 255, 255, 0.5)
    black = Color.parse("#000000")
    assert contrast_ratio(half_white, black) == pytest.approx(
        contrast_ratio(Color.parse("#7F7F7F"), black), abs=0.05
    )


_channel = st.integers(0, 255)
_colours = st.tuples(_channel, _channel, _channel).map(lambda rgb: Color(*rgb))


@given(_colours, _colours)
def test_contrast_ratio_is_symmetric_and_between_1_and_21(a: Color, b: Color) -> None:
    assert 1.0 <= contrast_ratio(a, b) <= 21.0 + 1e-9
    assert contrast_ratio(a, b) == pytest.approx(contrast_ratio(b, a))


def failing_pairs(theme: Theme, foregrounds: tuple[str, ...]) -> list[str]:
    return [
        f"{fore} on {back}: {ratio:.2f}:1"
        for fore, back, ratio in contrast_pairs(theme, foregrounds)
        if ratio < WCAG_AA
    ]


def test_screenshare_text_meets_wcag_aa_on_every_background() -> None:
    theme = shipped_theme("screenshare")
    checked = (*TEXT_COLOUR_NAMES, *TEXTUAL_TEXT)
    assert len(contrast_pairs(theme, checked)) == len(checked) * len(BACKGROUND_COLOUR_NAMES)
    assert failing_pairs(theme, checked) == []


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_theme_keeps_app_text_at_wcag_aa(name: str) -> None:
    assert failing_pairs(shipped_theme(name), TEXT_COLOUR_NAMES) == []


def test_colorblind_state_colours_are_okabe_ito_or_neutral() -> None:
    theme = shipped_theme("colorblind")
    colours = {**theme.variables}
    colours.update({f: getattr(theme, f) for f in ("primary", "secondary", "warning")})
    colours.update({f: getattr(theme, f) for f in ("error", "success", "accent")})
    for name, value in colours.items():
        colour = Color.parse(value)
        neutral = colour.r == colour.g == colour.b
        assert neutral or colour.hex.upper() in OKABE_ITO, f"{name} = {value}"


def test_colorblind_states_differ_in_lightness_not_only_hue() -> None:
    """Running, warning and overtime (and success against error) stay apart in grey."""
    theme = shipped_theme("colorblind")
    colours = resolved_colours(theme)
    groups = [TIMER_STATES, ("success", "error")]
    for first, second in itertools.chain.from_iterable(
        itertools.combinations(group, 2) for group in groups
    ):
        ratio = contrast_ratio(Color.parse(colours[first]), Color.parse(colours[second]))
        assert ratio >= 1.5, f"{first} and {second} differ by hue alone ({ratio:.2f}:1)"


def test_mono_has_no_colour_anywhere() -> None:
    """Every colour the theme gives Textual, including derived shades, is grey."""
    theme = shipped_theme("mono")
    coloured = []
    for name, value in resolved_colours(theme).items():
        if value.startswith("auto") or value == "initial" or "style" in name:
            continue  # contrasting text, "inherit", and text styles hold no hue
        colour = Color.parse(value)
        if not colour.r == colour.g == colour.b:
            coloured.append(f"{name}={value}")
    assert coloured == []


# --- user themes -----------------------------------------------------------


def test_a_user_theme_loads_and_is_listed_as_user(user_themes: Path) -> None:
    path = write_theme(
        user_themes,
        "team.toml",
        GOOD_THEME.format(name="team")
        + 'dark = false\nluminosity_spread = 0.2\n[variables]\ntimer-running = "#112233"\n'
        'footer-key-foreground = "#ff0000"\nblock-cursor-text-style = "bold underline"\n'
        'input-selection-background = "#81a1c1 35%"\ntext-muted = "auto 70%"\n',
    )
    catalog = load_theme_catalog()
    assert catalog.problems == []
    assert catalog.themes["team"].variables["timer-running"] == "#112233"
    assert ("team", "user", path) in theme_sources()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD_THEME.format(name="x") + "colour = '#fff'\n", "unknown key(s) colour"),
        (GOOD_THEME.format(name="x") + "accent = 'brightish'\n", "accent: not a colour"),
        ('primary = "#336699"\n', "missing 'name'"),
        ('name = "x"\n', "missing 'primary'"),
        ('name = "my theme"\nprimary = "#336699"\n', "'name' must be a string"),
        ("name = 'x'\nprimary = \n", "not valid TOML"),
        (GOOD_THEME.format(name="x") + "dark = 'yes'\n", "dark: must be true or false"),
        (GOOD_THEME.format(name="x") + "text_alpha = 2\n", "text_alpha: must be a number"),
        (GOOD_THEME.format(name="x") + "variables = 3\n", "variables: must be a table"),
        (GOOD_THEME.format(name="x") + "[variables]\ntimer-runing = '#fff'\n", "unknown variable"),
        (GOOD_THEME.format(name="x") + "[variables]\ntimer-paused = 'grey-ish'\n", "not a colour"),
        (GOOD_THEME.format(name="x") + "[variables]\nborder = 'nope 50%'\n", "not a colour"),
        (GOOD_THEME.format(name="x") + "[variables]\nlink-style = 'shiny'\n", "not a text style"),
    ],
)
def test_a_bad_user_theme_is_one_message_naming_the_file_and_the_rest_load(
    user_themes: Path, text: str, expected: str
) -> None:
    bad = write_theme(user_themes, "bad.toml", text)
    write_theme(user_themes, "good.toml", GOOD_THEME.format(name="good"))
    catalog = load_theme_catalog()
    assert len(catalog.problems) == 1
    assert str(bad) in catalog.problems[0]
    assert expected in catalog.problems[0]
    assert "\n" not in catalog.problems[0]
    assert "good" in catalog.themes
    assert set(SHIPPED) <= set(catalog.themes)


def test_a_theme_file_that_is_not_utf8_is_reported(user_themes: Path) -> None:
    bad = user_themes / "latin1.toml"
    bad.write_bytes(b'name = "caf\xe9"\n')
    [problem] = load_theme_catalog().problems
    assert str(bad) in problem


def test_a_user_theme_cannot_replace_a_shipped_one(user_themes: Path) -> None:
    """screenshare promises AA contrast; a same-named file must not quietly break that."""
    impostor = write_theme(user_themes, "mine.toml", GOOD_THEME.format(name="screenshare"))
    catalog = load_theme_catalog()
    [problem] = catalog.problems
    assert str(impostor) in problem
    assert "already a shipped theme" in problem
    assert "my-screenshare" in problem
    assert catalog.sources["screenshare"][0] == "shipped"


def test_a_user_theme_cannot_take_a_textual_builtin_name(user_themes: Path) -> None:
    write_theme(user_themes, "nord.toml", GOOD_THEME.format(name="nord"))
    [problem] = load_theme_catalog().problems
    assert "Textual built-in" in problem


def test_of_two_user_themes_with_one_name_the_first_file_wins(user_themes: Path) -> None:
    first = write_theme(user_themes, "a.toml", GOOD_THEME.format(name="team"))
    second = write_theme(user_themes, "b.toml", GOOD_THEME.format(name="team"))
    catalog = load_theme_catalog()
    assert catalog.sources["team"] == ("user", first)
    [problem] = catalog.problems
    assert str(second) in problem
    assert str(first) in problem


# --- choosing and installing ----------------------------------------------

AVAILABLE = ["mono", "peersession-dark", "screenshare", "textual-dark"]


@pytest.mark.parametrize(
    ("requested", "remembered", "no_color", "expected"),
    [
        (None, None, False, "peersession-dark"),
        (None, None, True, "mono"),
        (None, "screenshare", True, "screenshare"),
        ("screenshare", "mono", False, "screenshare"),
        ("screenshare", None, True, "screenshare"),
    ],
)
def test_choose_theme_order(
    requested: str | None, remembered: str | None, no_color: bool, expected: str
) -> None:
    assert choose_theme(AVAILABLE, requested, remembered, no_color) == (expected, [])


def test_an_unknown_requested_theme_falls_back_and_lists_the_names() -> None:
    chosen, [problem] = choose_theme(AVAILABLE, "screenshar", None, False)
    assert chosen == "peersession-dark"
    assert "'screenshar'" in problem
    assert "--theme" in problem
    assert ", ".join(AVAILABLE) in problem


def test_an_unknown_requested_theme_yields_to_the_remembered_one() -> None:
    chosen, problems = choose_theme(AVAILABLE, "nope", "mono", False)
    assert chosen == "mono"
    assert len(problems) == 1


async def test_install_picks_the_default_dark_theme_without_problems(config_path: Path) -> None:
    app = ThemedApp()
    assert app.problems == []
    assert app.theme == "peersession-dark"
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.get_css_variables()["timer-overtime"] == "#FF8A80"
    assert not config_path.exists(), "the startup choice is not a user choice to save"


def test_no_color_picks_mono(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert ThemedApp().theme == "mono"


def test_an_empty_no_color_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "")
    assert ThemedApp().theme == "peersession-dark"


def test_no_color_yields_to_a_chosen_theme(
    monkeypatch: pytest.MonkeyPatch, config_path: Path
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    config_path.parent.mkdir(parents=True)
    config_path.write_text('theme = "colorblind"\n', encoding="utf-8")
    assert ThemedApp().theme == "colorblind"
    assert ThemedApp(requested="screenshare").theme == "screenshare"


def test_install_reports_bad_theme_files_and_unknown_names(user_themes: Path) -> None:
    write_theme(user_themes, "broken.toml", "name = ")
    app = ThemedApp(requested="no-such-theme")
    assert app.theme == "peersession-dark"
    assert len(app.problems) == 2
    assert "broken.toml" in app.problems[0]
    assert "'no-such-theme'" in app.problems[1]
    assert "screenshare" in app.problems[1]


def test_install_gives_textual_themes_the_app_variables() -> None:
    app = ThemedApp()
    light = app.get_theme("textual-light")
    assert light is not None
    assert light.variables["timer-running"] == THEME_VARIABLE_DEFAULTS_LIGHT["timer-running"]
    nord = app.get_theme("nord")
    assert nord is not None
    assert nord.variables["timer-running"] == THEME_VARIABLE_DEFAULTS["timer-running"]
    assert nord.variables["footer-key-foreground"] == "#88C0D0", "its own variables are kept"


async def test_a_theme_picked_while_running_is_saved(config_path: Path) -> None:
    app = ThemedApp(requested="mono")
    async with app.run_test() as pilot:
        app.theme = "screenshare"  # what the command palette's theme picker does
        await pilot.pause()
    assert load_settings().theme == "screenshare"
    assert ThemedApp().theme == "screenshare"


async def test_a_theme_that_cannot_be_saved_is_notified(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    app = ThemedApp()
    async with app.run_test() as pilot:
        app.theme = "mono"
        await pilot.pause()
        assert app.theme == "mono"
    assert len(app.notified) == 1
    assert "No space left on device" in app.notified[0]
    assert not config_path.exists()


def test_every_test_saves_settings_only_to_its_own_temporary_config(tmp_path: Path) -> None:
    """The app saves a theme picked from the palette; tests must never reach the real
    config file, so conftest points PEERSESSION_CONFIG into each test's folder."""
    assert paths.config_file().is_relative_to(tmp_path)


def test_install_works_with_explicit_settings() -> None:
    app: App[None] = App()
    assert install_themes(app, Settings(theme="colorblind"), None) == []
    assert app.theme == "colorblind"


# --- peersession themes ----------------------------------------------------


def run_themes_command() -> int:
    from peersession.cli import main

    return main(["themes"])


def test_themes_command_lists_every_theme_with_its_source(
    capsys: pytest.CaptureFixture[str], user_themes: Path
) -> None:
    mine = write_theme(user_themes, "team.toml", GOOD_THEME.format(name="team"))
    broken = write_theme(user_themes, "broken.toml", "name = ")
    assert run_themes_command() == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    for name in SHIPPED:
        path = paths.shipped_themes_dir() / f"{name}.toml"
        assert any(name in line and "shipped" in line and str(path) in line for line in lines)
    assert any("team" in line and "user" in line and str(mine) in line for line in lines)
    assert any("nord" in line and "textual" in line for line in lines)
    assert [line.split()[1] for line in lines if line.startswith("*")] == ["peersession-dark"]
    assert str(broken) in err


def test_themes_command_marks_the_remembered_theme(
    capsys: pytest.CaptureFixture[str], config_path: Path
) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text('theme = "colorblind"\n', encoding="utf-8")
    assert run_themes_command() == 0
    out, err = capsys.readouterr()
    assert [line.split()[1] for line in out.splitlines() if line.startswith("*")] == ["colorblind"]
    assert str(config_path) in out
    assert err == ""


def test_themes_command_survives_a_bad_config(
    capsys: pytest.CaptureFixture[str], config_path: Path
) -> None:
    config_path.parent.mkdir(parents=True)
    config_path.write_text("bell = 'loud'\n", encoding="utf-8")
    assert run_themes_command() == 0
    out, err = capsys.readouterr()
    assert "screenshare" in out
    assert "bell" in err


# --- packaging -------------------------------------------------------------


def test_the_wheel_ships_every_theme_and_not_the_benchmark(tmp_path: Path) -> None:
    """Installed from a wheel, peersession finds its themes in peersession/_themes;
    the benchmark, which measures the app's insides, stays in the source tree."""
    repo = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(repo)],
        check=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("peersession-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    packaged = {name for name in names if name.startswith("peersession/_themes/")}
    assert packaged == {f"peersession/_themes/{name}.toml" for name in SHIPPED}
    assert not [name for name in names if name.startswith(("benchmarks/", "peersession/bench/"))]
