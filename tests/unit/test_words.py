"""The one rule of English plurals every count on screen and in the shell goes through."""

from __future__ import annotations

import pytest

from peersession.core.lifecycle import counted_line
from peersession.core.words import noun, plural


@pytest.mark.parametrize(
    ("count", "said"), [(0, "0 sessions"), (1, "1 session"), (2, "2 sessions")]
)
def test_a_count_takes_its_noun(count: int, said: str) -> None:
    assert plural(count, "session") == said
    assert noun(count, "session") == said.split(" ")[1]


def test_an_attendance_line_counts_sessions_in_words() -> None:
    assert counted_line(1, 1, 0) == "1 of 1 session"
    assert counted_line(0, 3, 0).startswith("0 of 3 sessions")
