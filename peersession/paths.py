"""Every file location peersession uses, in one place.

Resolution order for the data folder: an explicit ``--data-dir``, then the
``PEERSESSION_DATA_DIR`` variable, then the platform's user data folder.
The config file is ``PEERSESSION_CONFIG`` or ``config.toml`` in the platform's
user config folder; user themes live in a ``themes/`` folder beside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "peersession"
DATA_DIR_ENV = "PEERSESSION_DATA_DIR"
CONFIG_ENV = "PEERSESSION_CONFIG"


def default_data_dir() -> Path:
    """The platform's user data folder for peersession."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, honouring ``--data-dir`` and the environment."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def config_file() -> Path:
    """The settings file: ``PEERSESSION_CONFIG`` or the platform default."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def cache_dir() -> Path:
    """The user's cache folder for peersession: what can be worked out again
    (which file versions passed their check), never data."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_themes_dir() -> Path:
    """Where users drop their own theme files: ``themes/`` beside the config file."""
    return config_file().parent / "themes"


def shipped_themes_dir() -> Path:
    """The themes that ship with peersession.

    In a wheel they are packaged as ``peersession/_themes``; in a source
    checkout (and an editable install) they are the top-level ``themes/``.
    """
    package_dir = Path(__file__).resolve().parent
    packaged = package_dir / "_themes"
    if packaged.is_dir():
        return packaged
    return package_dir.parent / "themes"


@dataclass(frozen=True)
class DataLayout:
    """The files inside one data folder (see docs/architecture.md)."""

    root: Path

    @property
    def index_file(self) -> Path:
        """Groups and their summaries: small, read by the home screen."""
        return self.root / "peersession.json"

    @property
    def groups_dir(self) -> Path:
        return self.root / "groups"

    def group_history_file(self, group_id: str) -> Path:
        """One group's sessions, commitments and check-ins."""
        return self.groups_dir / f"{group_id}.json"

    @property
    def live_dir(self) -> Path:
        return self.root / "live"

    def journal_file(self, group_id: str) -> Path:
        """The append-only journal of a group's live session."""
        return self.live_dir / f"{group_id}.journal"

    def live_lock_file(self, group_id: str) -> Path:
        return self.live_dir / f"{group_id}.lock"

    @property
    def retired_dir(self) -> Path:
        """Journals of sessions already committed to the history, kept for repair."""
        return self.root / "retired"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def screenshots_dir(self) -> Path:
        """Pictures of the screen taken from the palette: they can show private
        items, so they stay in the data folder, as private as the rest."""
        return self.root / "screenshots"

    @property
    def write_lock_file(self) -> Path:
        return self.root / "write.lock"

    @property
    def search_index_file(self) -> Path:
        """The search index: derived data, built by the first search
        (``store/search_file.py``)."""
        return self.root / "search.sqlite3"
