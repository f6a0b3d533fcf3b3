"""The settings file, ``config.toml`` (see :func:`peersession.paths.config_file`).

Every key is optional; a missing file means the defaults. Example::

    theme = "screenshare"
    meeting_length = "2h"       # or "1h30m", "90m", or 90 (minutes)
    turn_timebox = "5m"
    bell = true

    [keymap]                    # binding id = key(s), see Textual's App.set_keymap
    "timer.pause" = "p"
    "turn.next" = ["n", "right"]

Reading is strict: an unknown key, a wrong type or a bad duration raises
:class:`~peersession.errors.UserError` with one line naming the file and key,
so a typo never silently does nothing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from peersession import paths
from peersession.core.durations import parse_duration
from peersession.errors import UserError
from peersession.store.atomic import (
    NotRegularFile,
    TooLarge,
    atomic_write_bytes,
    disk_errors,
    ensure_private_dir,
    read_regular_file,
)
from peersession.store.lock import one_settings_writer


def _empty_keymap() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Settings:
    """What ``config.toml`` holds. The field docstrings are the settings reference."""

    theme: str | None = None
    """Name of the colour theme (shipped, a user theme, or a Textual one).

    Unset: ``mono`` when the ``NO_COLOR`` variable is set, else
    ``peersession-dark``. ``--theme`` overrides it for one run; a theme picked
    from the command palette is saved here.
    """

    meeting_length: timedelta = timedelta(minutes=120)
    """Length of a session, split between the members present.

    A duration such as ``"2h"``, ``"1h30m"``, ``"90m"``, or a whole number of minutes.
    """

    turn_timebox: timedelta | None = None
    """Default timebox for one speaker's turn (``"5m"``); unset = share of the meeting."""

    bell: bool = False
    """Ring the terminal bell when a timebox runs out."""

    keymap: Mapping[str, str] = field(default_factory=_empty_keymap)
    """Key overrides, binding id → key (``"ctrl+p"``) or list of keys, for ``App.set_keymap``.

    A list is stored joined with commas, the form Textual takes.
    """


SETTING_NAMES: Final = tuple(f.name for f in fields(Settings))
# Textual puts the theme name in a CSS class; keep it to a safe alphabet.
THEME_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
THEME_NAME_RULE: Final = "letters, digits, '-' and '_', starting with a letter or digit, at most 40"


#: The largest settings file read: a real one is a few hundred bytes.
MAX_SETTINGS_BYTES: Final = 1 << 20


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (default: ``paths.config_file()``); missing = defaults."""
    path = path or paths.config_file()
    raw = settings_bytes(path)
    if raw is None:
        return Settings()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: not valid TOML: {error}") from None
    return settings_from_mapping(data, path)


def settings_bytes(path: Path) -> bytes | None:
    """The settings file's bytes, None when there is none.

    Only a regular file of at most ``MAX_SETTINGS_BYTES`` is read: a FIFO or a
    device (``PEERSESSION_CONFIG=/dev/zero``) would otherwise hang or fill the
    memory before any value is checked. Raises UserError (one line) otherwise.
    """
    try:
        return read_regular_file(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return None
    except NotRegularFile:
        raise UserError(f"{path}: not a regular file; settings are read from a TOML file") from None
    except TooLarge:
        raise UserError(
            f"{path}: larger than {MAX_SETTINGS_BYTES:,} bytes, too large for a settings file"
        ) from None
    except OSError as error:
        raise UserError(f"{path}: cannot read: {error.strerror or error}") from None


def settings_from_mapping(data: Mapping[str, Any], path: Path) -> Settings:
    """Validate parsed TOML into Settings; ``path`` only names the file in errors."""
    unknown = sorted(set(data) - set(SETTING_NAMES))
    if unknown:
        known = ", ".join(SETTING_NAMES)
        raise UserError(f"{path}: unknown setting {unknown[0]!r} (known: {known})")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        try:
            values[key] = _PARSERS[key](raw)
        except ValueError as error:
            raise UserError(f"{path}: {key}: {error}") from None
    return Settings(**values)


def _parse_theme(raw: Any) -> str:
    if not isinstance(raw, str) or not THEME_NAME.fullmatch(raw):
        raise ValueError(f'must be a theme name such as "screenshare", not {raw!r}')
    return raw


def _parse_length(raw: Any) -> timedelta:
    if isinstance(raw, int) and not isinstance(raw, bool):
        if raw <= 0:
            raise ValueError(f"must be more than zero minutes, not {raw}")
        return parse_duration(f"{raw}m")
    if isinstance(raw, str):
        return parse_duration(raw)
    raise ValueError(f'must be a duration such as "90m" or "1h30m", not {raw!r}')


def _parse_bell(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(f"must be true or false, not {raw!r}")
    return raw


def _parse_keymap(raw: Any) -> Mapping[str, str]:
    if not isinstance(raw, dict):
        raise ValueError('must be a table: [keymap] with lines like "binding.id" = "ctrl+p"')
    keymap: dict[str, str] = {}
    for binding_id, keys in raw.items():
        if not binding_id.strip():
            raise ValueError("a binding id cannot be empty")
        key_list = keys if isinstance(keys, list) else [keys]
        if not key_list or not all(isinstance(k, str) and k.strip() for k in key_list):
            raise ValueError(f'{binding_id}: must be a key such as "ctrl+p" or a list of keys')
        keymap[binding_id] = ",".join(k.strip() for k in key_list)
    return MappingProxyType(keymap)


_PARSERS: Final = {
    "theme": _parse_theme,
    "meeting_length": _parse_length,
    "turn_timebox": _parse_length,
    "bell": _parse_bell,
    "keymap": _parse_keymap,
}


# --- saving the theme ------------------------------------------------------


@one_settings_writer
def save_theme(name: str, path: Path | None = None) -> None:
    """Remember ``name`` as the theme in the settings file.

    The file is edited with tomlkit, which keeps what the user wrote: only the
    top-level ``theme`` value changes (or is added), every comment, blank line,
    key order and quoting style stays. The file and its folder are created if
    needed; the write is atomic (temporary file in the same folder, fsync,
    rename) and the file is readable by its owner only. Raises UserError if the
    file cannot be read, parsed or written.
    """
    path = path or paths.config_file()
    try:
        _parse_theme(name)  # a name we could not read back must never be written
    except ValueError as error:
        raise UserError(f"{path}: theme not saved: {error}") from None
    try:
        # Bytes, then decode: keeps the file's own line endings (\r\n stays \r\n).
        text = (settings_bytes(path) or b"").decode("utf-8")
        original = tomllib.loads(text)
    except OSError as error:
        raise UserError(f"{path}: cannot read: {error.strerror or error}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: theme not saved, the file is not valid TOML: {error}") from None
    updated = with_theme_line(text, name)
    # The file must mean exactly what it meant, with the new theme.
    if tomllib.loads(updated) != {**original, "theme": name}:
        raise UserError(f"{path}: theme not saved: could not find where to write it safely")
    _write_atomically(path.resolve() if path.is_symlink() else path, updated)


def with_theme_line(text: str, name: str) -> str:
    """``text`` with its top-level ``theme`` set to ``name``, everything else kept."""
    import tomlkit  # only when saving: reading uses the standard library's tomllib
    from tomlkit.items import AoT, Table

    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    document = tomlkit.parse(text)
    if "theme" in document:
        document["theme"] = name
        return document.as_string()
    # A new line goes after the last top-level setting, before the first table,
    # so the comments that introduce a table stay next to it (tomlkit's own
    # add() would put it between them). save_theme checks the result parses
    # to exactly the old settings plus the theme.
    body = document.body
    first_table = next(
        (i for i, (_, item) in enumerate(body) if isinstance(item, (Table, AoT))), len(body)
    )
    settings = [i for i, (key, _) in enumerate(body[:first_table]) if key is not None]
    item = tomlkit.item(name)
    item.trivia.trail = newline
    body.insert(settings[-1] + 1 if settings else 0, (tomlkit.key("theme"), item))
    return document.as_string()


def _write_atomically(path: Path, text: str) -> None:
    # The same crash-safe, owner-only write as the history's data files.
    with disk_errors(path, "theme not saved", kept="the settings were left as they were"):
        ensure_private_dir(path.parent)
        atomic_write_bytes(path, text.encode("utf-8"))
