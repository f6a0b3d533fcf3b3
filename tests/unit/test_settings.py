"""config.toml: strict reading, and saving the theme without disturbing the rest."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import itertools
import os
import stat
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peersession.errors import UserError
from peersession.settings import Settings, load_settings, save_theme, with_theme_line


@pytest.fixture(autouse=True)
def config_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test reads and writes a temporary config, never the user's."""
    path = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("PEERSESSION_CONFIG", str(path))
    return path


def write_config(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- reading ---------------------------------------------------------------


def test_missing_config_file_gives_the_defaults(config_path: Path) -> None:
    assert not config_path.exists()
    assert load_settings() == Settings()
    assert Settings().meeting_length == timedelta(minutes=120)
    assert Settings().bell is False


def test_every_setting_is_read(config_path: Path) -> None:
    write_config(
        config_path,
        """
        theme = "screenshare"
        meeting_length = "1h30m"
        turn_timebox = "5m"
        bell = true

        [keymap]
        "timer.pause" = "p"
        "turn.next" = ["n", "right"]
        """.replace("        ", ""),
    )
    loaded = load_settings()
    assert loaded.theme == "screenshare"
    assert loaded.meeting_length == timedelta(minutes=90)
    assert loaded.turn_timebox == timedelta(minutes=5)
    assert loaded.bell is True
    assert dict(loaded.keymap) == {"timer.pause": "p", "turn.next": "n,right"}


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("120m", 120), ("2h", 120), ("1h30m", 90), ("45", 45), (90, 90)],
)
def test_meeting_length_accepts_people_durations(
    config_path: Path, value: str | int, minutes: int
) -> None:
    rendered = f'"{value}"' if isinstance(value, str) else str(value)
    write_config(config_path, f"meeting_length = {rendered}\n")
    assert load_settings().meeting_length == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("colour = 'dark'\n", "colour"),
        ("bell = 'yes'\n", "bell"),
        ("bell = 1\n", "bell"),
        ("theme = 3\n", "theme"),
        ("theme = 'has spaces'\n", "theme"),
        ("meeting_length = '5x'\n", "meeting_length"),
        ("meeting_length = 0\n", "meeting_length"),
        ("meeting_length = true\n", "meeting_length"),
        ("meeting_length = 1.5\n", "meeting_length"),
        ("turn_timebox = '-5m'\n", "turn_timebox"),
        ("keymap = 'ctrl+p'\n", "keymap"),
        ("[keymap]\n'timer.pause' = 3\n", "keymap"),
        ("[keymap]\n'timer.pause' = []\n", "keymap"),
        ("[keymap]\n'' = 'p'\n", "keymap"),
    ],
)
def test_bad_setting_is_one_line_naming_file_and_key(
    config_path: Path, text: str, key: str
) -> None:
    write_config(config_path, text)
    with pytest.raises(UserError) as raised:
        load_settings()
    message = str(raised.value)
    assert str(config_path) in message
    assert key in message
    assert "\n" not in message


def test_invalid_toml_is_a_user_error_naming_the_file(config_path: Path) -> None:
    write_config(config_path, "theme = \n[[[")
    with pytest.raises(UserError, match="not valid TOML") as raised:
        load_settings()
    assert str(config_path) in str(raised.value)


def test_settings_are_frozen_and_the_keymap_is_read_only() -> None:
    loaded = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.bell = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        loaded.keymap["x"] = "y"  # type: ignore[index]


def test_every_settings_field_has_a_docstring() -> None:
    """The field docstrings are the settings reference; none may be missing."""
    tree = ast.parse(inspect.getsource(Settings))
    body = tree.body[0].body  # type: ignore[attr-defined]
    documented = {
        node.target.id
        for node, following in itertools.pairwise(body)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and isinstance(following, ast.Expr)
        and isinstance(following.value, ast.Constant)
        and isinstance(following.value.value, str)
    }
    assert documented == {field.name for field in dataclasses.fields(Settings)}


# --- saving the theme ------------------------------------------------------


def the_theme_line(before: str, after: str, theme: str) -> tuple[int, str]:
    """Check what saving the theme promises, and return where the theme's line is.

    The promise, not tomlkit's bytes: the file means what it meant with the new
    theme; every other line (comments, blank lines, other settings, tables,
    line endings) is kept byte for byte and in order; a theme line that was
    there keeps its key as the user wrote it, its place and its comment. How
    the new value is quoted is the TOML library's choice.
    """
    newline = "\r\n" if "\r\n" in before else "\n"
    if before and not before.endswith("\n"):
        before += newline  # the documented fix-up of a file without a final newline
    assert tomllib.loads(after) == {**tomllib.loads(before), "theme": theme}
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    theme_lines = [i for i, line in enumerate(new) if tomllib.loads(line) == {"theme": theme}]
    assert len(theme_lines) == 1, after
    index = theme_lines[0]
    line = new[index]
    assert line.endswith(newline)
    if len(new) == len(old):  # replaced in place
        assert new[:index] + new[index + 1 :] == old[:index] + old[index + 1 :]
        replaced = old[index]
        key = replaced.split("=", 1)[0]
        assert line.startswith(key), "the key is kept as written"
        if "#" in replaced:
            assert line.endswith(replaced[replaced.index("#") :]), "the comment is kept"
    else:  # added
        assert new[:index] + new[index + 1 :] == old
    return index, line


def test_save_theme_creates_folder_and_file_readable_by_owner_only(config_path: Path) -> None:
    assert not config_path.parent.exists()
    save_theme("screenshare")
    assert load_settings().theme == "screenshare"
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600


def test_save_theme_keeps_comments_and_other_settings(config_path: Path) -> None:
    original = (
        "# my peersession settings\n"
        'theme = "mono"   # for the projector\n'
        "meeting_length = 90  # minutes\n"
        "\n"
        "# keys I prefer\n"
        "[keymap]\n"
        'theme = "t"\n'
    )
    write_config(config_path, original)
    save_theme("colorblind")
    after = config_path.read_text(encoding="utf-8")
    assert the_theme_line(original, after, "colorblind")[0] == 1
    assert load_settings().keymap["theme"] == "t"
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600


def test_save_theme_inserts_after_the_top_level_settings(config_path: Path) -> None:
    original = "bell = true\n\n# keys\n[keymap]\n'timer.pause' = 'p'\n"
    write_config(config_path, original)
    save_theme("mono")
    after = config_path.read_text(encoding="utf-8")
    # After the last top-level setting, so "# keys" stays next to its table.
    assert the_theme_line(original, after, "mono")[0] == 1


def test_save_theme_appends_to_a_file_without_final_newline(config_path: Path) -> None:
    original = "# settings\nbell = true"
    write_config(config_path, original)
    save_theme("mono")
    after = config_path.read_text(encoding="utf-8")
    assert the_theme_line(original, after, "mono")[0] == 2


def test_save_theme_keeps_windows_line_endings(config_path: Path) -> None:
    original = 'theme = "mono"\r\nbell = true\r\n[keymap]\r\n'
    config_path.parent.mkdir(parents=True)
    config_path.write_bytes(original.encode("utf-8"))
    save_theme("screenshare")
    after = config_path.read_bytes().decode("utf-8")
    assert the_theme_line(original, after, "screenshare")[0] == 0
    assert after.count("\r\n") == after.count("\n") == 3


def test_save_theme_replaces_a_quoted_key(config_path: Path) -> None:
    original = "\"theme\" = 'mono'  # quoted by hand\n"
    write_config(config_path, original)
    save_theme("screenshare")
    after = config_path.read_text(encoding="utf-8")
    assert the_theme_line(original, after, "screenshare")[1].startswith('"theme" = ')
    assert load_settings().theme == "screenshare"


def test_save_theme_refuses_a_file_that_is_not_toml(config_path: Path) -> None:
    write_config(config_path, "theme = [oops\n")
    with pytest.raises(UserError, match="not valid TOML"):
        save_theme("mono")
    assert config_path.read_text(encoding="utf-8") == "theme = [oops\n"


def test_save_theme_refuses_a_name_it_could_not_read_back() -> None:
    with pytest.raises(UserError, match="theme name"):
        save_theme('evil"\nbell = true')


def test_save_theme_is_atomic_when_the_rename_fails(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(config_path, 'theme = "mono"\n')

    def failing_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(UserError, match="No space left") as raised:
        save_theme("screenshare")
    assert str(config_path) in str(raised.value)
    assert config_path.read_text(encoding="utf-8") == 'theme = "mono"\n'
    # No temporary file left (the settings lock stays: it holds nothing).
    left = sorted(p.name for p in config_path.parent.iterdir() if p.name != ".config.toml.lock")
    assert left == ["config.toml"]


def test_save_theme_syncs_the_data_before_renaming(
    config_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def spy_fsync(fd: int) -> None:
        calls.append("fsync")
        real_fsync(fd)

    def spy_replace(source: str, target: Path) -> None:
        calls.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", spy_fsync)
    monkeypatch.setattr(os, "replace", spy_replace)
    save_theme("mono")
    assert calls[:2] == ["fsync", "replace"]


def test_save_theme_writes_through_a_symlinked_config(config_path: Path, tmp_path: Path) -> None:
    dotfiles = write_config(tmp_path / "dotfiles" / "peersession.toml", "bell = true\n")
    config_path.parent.mkdir(parents=True)
    config_path.symlink_to(dotfiles)
    save_theme("mono")
    assert config_path.is_symlink()
    assert tomllib.loads(dotfiles.read_text(encoding="utf-8")) == {"bell": True, "theme": "mono"}


# Small configs as people write them: a theme line or not, comments, a table.
_theme_names = st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True)
_top_lines = st.lists(
    st.sampled_from(
        [
            "# a comment\n",
            "\n",
            "bell = true\n",
            'meeting_length = "2h"  # long\n',
            'theme = "old"\n',
            "theme='old' # was\n",
            "turn_timebox = 5\n",
        ]
    ),
    max_size=6,
    # TOML allows each key once; comments and blank lines are unique by text.
    unique_by=lambda line: line.split("=")[0].strip(),
)
_tables = st.sampled_from(
    ["", "[keymap]\n", "# keys\n[keymap]\ntheme = 'x'\n", "[keymap]\n'a.b' = ['x', 'y']"]
)


@given(_top_lines, _tables, _theme_names)
def test_with_theme_line_changes_only_the_theme(
    top_lines: list[str], table: str, name: str
) -> None:
    text = "".join(top_lines) + table
    original = tomllib.loads(text)
    updated = with_theme_line(text, name)
    assert tomllib.loads(updated) == {**original, "theme": name}
    # Every original line survives except a replaced theme line.
    kept = [line for line in text.splitlines() if not line.lstrip().startswith("theme")]
    assert all(line in updated.splitlines() for line in kept)


COMMENTED_CONFIG = """\
# peersession settings, kept in my dotfiles
#   (comments like this one must survive the app)

meeting_length = "1h30m"   # we run long
bell   =   true            # odd spacing stays too

# the theme goes above, the keymap below
[keymap]
# pause with p, my fingers know it
"meeting.pause" = "p"
'meeting.next' = ["n", "right"]   # literal key, list value
"""


async def test_a_theme_picked_in_the_app_keeps_a_commented_file_as_written(
    config_path: Path, tmp_path: Path
) -> None:
    from peersession.tui.app import create_app

    write_config(config_path, COMMENTED_CONFIG)
    app = create_app(data_dir=tmp_path / "data", settings=load_settings())
    async with app.run_test() as pilot:
        app.theme = "screenshare"  # what the palette's theme picker does
        await pilot.pause()
    written = config_path.read_text(encoding="utf-8")
    assert written == COMMENTED_CONFIG.replace(
        "bell   =   true            # odd spacing stays too\n",
        'bell   =   true            # odd spacing stays too\ntheme = "screenshare"\n',
    )
    app = create_app(data_dir=tmp_path / "data", settings=load_settings())
    async with app.run_test() as pilot:
        app.theme = "mono"
        await pilot.pause()
    assert config_path.read_text(encoding="utf-8") == written.replace("screenshare", "mono")
    assert load_settings().keymap == {"meeting.pause": "p", "meeting.next": "n,right"}
