"""AES-GCM, composed once: every sealed record in the shared folder goes through here.

A record is sealed with the group's key under a fresh random 96-bit nonce
(``nonce || ciphertext || tag``), and authenticated together with associated
data naming where it belongs: the format version, the kind of file, the
machine that wrote it and its place (a segment's number, a journal's id and a
record's position). A record moved to another file or place, replayed into
another journal, or written with another group's key does not open; neither
does one with a single bit changed. Nothing here is invented: AESGCM from
``cryptography`` does the work, and random nonces stay far inside its limit
for the few thousand records a group writes with one key.
"""

from __future__ import annotations

import os

from .key import GroupKey

# ``cryptography`` is imported by the functions that seal and open: a pass over
# the folder with nothing new opens nothing, and a command pays for the
# library only when it reads or writes a record.

NONCE_BYTES = 12
TAG_BYTES = 16


class Unopened(ValueError):
    """A sealed record that does not open with this key where it lies: another
    group's key, a record moved from elsewhere, or damaged bytes."""


def bound_to(*parts: str | int) -> bytes:
    """Associated data: the parts, each length-prefixed so no two lists of parts
    give the same bytes (``("ab", "c")`` is not ``("a", "bc")``)."""
    out = bytearray()
    for part in parts:
        data = str(part).encode("utf-8")
        out += len(data).to_bytes(4, "big") + data
    return bytes(out)


def seal(key: GroupKey, plaintext: bytes, associated: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key.secret).encrypt(nonce, plaintext, associated)


def open_sealed(key: GroupKey, sealed: bytes, associated: bytes) -> bytes:
    """The plaintext, or :class:`Unopened`."""
    if len(sealed) < NONCE_BYTES + TAG_BYTES:
        raise Unopened("too short to be a sealed record")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        return AESGCM(key.secret).decrypt(nonce, body, associated)
    except InvalidTag:
        raise Unopened("does not open with this group's key here") from None
