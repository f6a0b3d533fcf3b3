"""The group's key: 32 random bytes, and the one token people copy between them.

The key opens everything in the group's shared folder, so it never goes into
it: each machine keeps it in its own data folder, readable by its owner alone.
People pass it on as a token such as ``psk1_mfrgg...`` (the version, then the
key and a checksum in lowercase base32): a token mistyped or cut short is "not
a valid group key" at once, which is a different problem from a valid key
that does not open this folder (:mod:`.folder` tells that one by its key check).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from ...errors import UserError
from ..atomic import FILE_MODE, atomic_write_bytes, disk_errors, read_regular_file

KEY_BYTES = 32
CHECKSUM_BYTES = 4
PREFIX = "psk1_"
#: Any version's prefix: a token of a newer version is told apart from a typo.
ANY_PREFIX = re.compile(r"psk(\d+)_", re.IGNORECASE)
_BODY_CHARS = re.compile(r"[a-z2-7]+")


class InvalidKey(UserError):
    """Text that is not a group key (never quoted back: it may be most of one)."""


@dataclass(frozen=True)
class GroupKey:
    """The group's secret key. Its ``repr`` never shows the bytes."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != KEY_BYTES:
            raise ValueError("a group key is 32 bytes")

    def __repr__(self) -> str:
        return "GroupKey(<secret>)"

    @classmethod
    def new(cls) -> GroupKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    def token(self) -> str:
        """The key as people copy it: ``psk1_`` and 58 characters."""
        body = base64.b32encode(self.secret + _checksum(self.secret)).decode("ascii")
        return PREFIX + body.rstrip("=").lower()

    @classmethod
    def from_token(cls, text: str) -> GroupKey:
        """The key a person typed or pasted (spaces and line breaks in it are
        ignored, and case); :class:`InvalidKey` in one line if it is not one."""
        compact = "".join(text.split())
        version = ANY_PREFIX.match(compact)
        if version is None:
            raise InvalidKey(f"not a valid group key: a group key starts with {PREFIX}")
        if version.group(1) != "1":
            raise InvalidKey(
                "not a valid group key for this peersession: it is of a newer version "
                "(update peersession)"
            )
        body = compact[version.end() :].lower()
        raw = _decode(body)
        if raw is None or len(raw) != KEY_BYTES + CHECKSUM_BYTES:
            raise InvalidKey("not a valid group key: it is cut short or too long; copy it again")
        secret, checksum = raw[:KEY_BYTES], raw[KEY_BYTES:]
        # The last character carries two unused bits: only the one spelling counts.
        canonical = cls(secret).token()[len(PREFIX) :] == body
        if not hmac.compare_digest(checksum, _checksum(secret)) or not canonical:
            raise InvalidKey("not a valid group key: a character is wrong; copy it again")
        return cls(secret)


def _checksum(secret: bytes) -> bytes:
    return hashlib.sha256(b"peersession group key v1\x00" + secret).digest()[:CHECKSUM_BYTES]


def _decode(body: str) -> bytes | None:
    if not _BODY_CHARS.fullmatch(body):
        return None
    try:
        return base64.b32decode(body.upper() + "=" * (-len(body) % 8))
    except ValueError:
        return None


# --- kept on this machine ------------------------------------------------------------

#: A key file holds one token and a line break; anything much larger is not one.
KEY_FILE_LIMIT = 4096


def save_key(path: Path, key: GroupKey) -> None:
    """Keep the key in ``path``, readable by its owner alone (0600)."""
    with disk_errors(path, "cannot keep the group's key"):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write_bytes(path, (key.token() + "\n").encode("ascii"))


def load_key(path: Path) -> GroupKey:
    """The key kept in ``path`` (or a key file someone was given).

    A key file others can read is made private first, if it is ours.
    """
    try:
        data = read_regular_file(path, KEY_FILE_LIMIT)
    except FileNotFoundError:
        raise UserError(f"{path}: no such key file") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read the key file ({error.strerror or error})") from None
    _make_private(path)
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise InvalidKey(f"{path}: not a valid group key") from None
    try:
        return GroupKey.from_token(text)
    except InvalidKey as error:
        raise InvalidKey(f"{path}: {error}") from None


def _make_private(path: Path) -> None:
    try:
        st = path.stat()
        if stat.S_IMODE(st.st_mode) & 0o077 and st.st_uid == os.getuid():
            os.chmod(path, FILE_MODE)
    except OSError:
        pass  # reading worked; a mode we cannot change is the doctor's to report
