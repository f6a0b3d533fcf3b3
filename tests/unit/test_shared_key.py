"""The group's key: a token people can copy, that tells a typo from a wrong key,
kept on each machine for its owner's eyes only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from peersession.errors import UserError
from peersession.store.shared.key import GroupKey, InvalidKey, load_key, save_key
from peersession.store.shared.sealing import Unopened, bound_to, open_sealed, seal


def test_a_token_reads_back_as_the_same_key() -> None:
    key = GroupKey.new()
    token = key.token()
    assert token.startswith("psk1_") and len(token) == 5 + 58
    assert GroupKey.from_token(token) == key


def test_a_token_pasted_with_line_breaks_spaces_or_in_capitals_still_reads() -> None:
    key = GroupKey.new()
    token = key.token()
    assert GroupKey.from_token(f"  {token[:30]}\n  {token[30:]}  ") == key
    assert GroupKey.from_token(token.upper()) == key


def test_every_single_mistyped_character_is_caught() -> None:
    token = GroupKey.new().token()
    body_start = len("psk1_")
    for place in range(body_start, len(token)):
        wrong = "a" if token[place] != "a" else "b"
        typo = token[:place] + wrong + token[place + 1 :]
        with pytest.raises(InvalidKey, match="not a valid group key"):
            GroupKey.from_token(typo)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "starts with psk1_"),
        ("hunter2", "starts with psk1_"),
        ("psk1_", "cut short"),
        ("psk1_abc", "cut short"),
        ("psk1_" + "a" * 70, "cut short or too long"),
        ("psk1_" + "0" * 58, "cut short"),  # 0 and 1 are not base32
        ("psk2_" + "a" * 58, "newer version"),
    ],
)
def test_text_that_is_not_a_key_is_one_line_that_does_not_quote_it(text: str, says: str) -> None:
    with pytest.raises(InvalidKey, match=says) as raised:
        GroupKey.from_token(text)
    message = str(raised.value)
    assert "\n" not in message
    if len(text) > 8:
        assert text[5:] not in message


def test_a_key_never_shows_itself() -> None:
    key = GroupKey.new()
    assert key.token()[5:] not in repr(key) and key.secret.hex() not in repr(key)


def test_the_key_is_kept_readable_by_its_owner_alone(tmp_path: Path) -> None:
    os.umask(0o022)
    path = tmp_path / "data" / "shared" / "g1" / "key"
    key = GroupKey.new()
    save_key(path, key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_key(path) == key


def test_a_key_file_others_can_read_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "given.key"
    key = GroupKey.new()
    path.write_text(key.token() + "\n")
    path.chmod(0o644)
    assert load_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe", b"psk1_abc\n", b"x" * 10_000],
    ids=["empty", "binary", "short", "big"],
)
def test_a_key_file_that_is_not_one_is_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(UserError) as raised:
        load_key(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_a_missing_key_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such key file"):
        load_key(tmp_path / "nope.key")


# --- sealing ---------------------------------------------------------------------------


def test_a_sealed_record_opens_only_with_its_key_where_it_belongs() -> None:
    key = GroupKey.new()
    here = bound_to("peersession", "segment", 1, "a" * 32, 3)
    sealed = seal(key, b"the record", here)
    assert open_sealed(key, sealed, here) == b"the record"
    for elsewhere in (
        bound_to("peersession", "segment", 1, "a" * 32, 4),
        bound_to("peersession", "segment", 1, "b" * 32, 3),
        bound_to("peersession", "segment", 2, "a" * 32, 3),
        bound_to("peersession", "journal", 1, "a" * 32, 3),
    ):
        with pytest.raises(Unopened):
            open_sealed(key, sealed, elsewhere)
    with pytest.raises(Unopened):
        open_sealed(GroupKey.new(), sealed, here)
    flipped = bytearray(sealed)
    flipped[20] ^= 1
    with pytest.raises(Unopened):
        open_sealed(key, bytes(flipped), here)
    with pytest.raises(Unopened):
        open_sealed(key, sealed[:20], here)


def test_the_same_record_sealed_twice_differs() -> None:
    key = GroupKey.new()
    bound = bound_to("x")
    assert seal(key, b"same", bound) != seal(key, b"same", bound)  # fresh nonces


def test_bound_parts_cannot_run_into_each_other() -> None:
    assert bound_to("ab", "c") != bound_to("a", "bc")
    assert bound_to(1, 23) != bound_to(12, 3)


def test_the_last_character_has_one_spelling() -> None:
    token = GroupKey.new().token()
    alphabet = "abcdefghijklmnopqrstuvwxyz234567"
    for other in alphabet.replace(token[-1], ""):
        with pytest.raises(InvalidKey, match="a character is wrong"):
            GroupKey.from_token(token[:-1] + other)
