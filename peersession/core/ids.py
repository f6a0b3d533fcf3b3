"""Identifiers for records that travel between machines (bundles merge by id)."""

from __future__ import annotations

import re
import unicodedata


def new_id() -> str:
    """A random 12-hex-digit id: short enough to type, unique enough to merge."""
    # Imported here: ``secrets`` loads hashlib and OpenSSL, and the home
    # screen imports this module but makes no id before its first frame.
    import secrets

    return secrets.token_hex(6)


def slugify(name: str) -> str:
    """A folder- and shell-safe slug of a group name (``Women in Med`` → ``women-in-med``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:40] or "group"
