"""What the check-in screen shows, built from its state without a running app."""

from __future__ import annotations

from textual.content import Content

from peersession.core.model import Member
from peersession.core.record_types import read_as
from peersession.core.session_records import Commitment
from peersession.store.history_docs import new_group
from peersession.tui.screens.checkin_view import (
    ANSWER_MARKS,
    UNANSWERED,
    answer_rows,
    energy_line,
    member_rows,
    progress_line,
    title_line,
    typed_line,
)

HOSTILE = "[b]Zoë[/b] [/] $x"


def commitment(cid: str, owner: str, text: str) -> Commitment:
    return read_as(
        Commitment,
        {
            "id": cid,
            "group_id": "g",
            "owner": owner,
            "text": text,
            "due": "2026-03-26",
            "private": False,
            "made_at": "2026-03-05T17:00:00+00:00",
            "made_in": "s1",
            "from_ask": None,
            "reviews": [],
            "updated_at": "2026-03-05T17:00:00+00:00",
        },
    )


def plain(content: object) -> str:
    assert isinstance(content, Content), content
    return content.plain


def test_names_and_commitments_are_shown_exactly_as_typed() -> None:
    group = new_group("[i]Team[/i]", [HOSTILE, "Bo"])
    zoe = group.members[0]
    assert HOSTILE in plain(title_line(group, zoe, private=False))
    assert "[i]Team[/i]" in plain(title_line(group, None, private=False))
    assert HOSTILE in plain(typed_line(HOSTILE))
    rows = member_rows(group.members, [commitment("c1", zoe.id, "x")], typed="")
    assert HOSTILE in plain(rows[0].prompt) and "1 open" in plain(rows[0].prompt)
    assert "nothing open" in plain(rows[1].prompt)
    (row,) = answer_rows([commitment("c1", zoe.id, "Send [/] the $draft")], {})
    assert "Send [/] the $draft" in plain(row.prompt)


def test_each_answer_has_a_shape_and_a_word_and_no_answer_a_dash() -> None:
    docs = [commitment("c1", "m", "one"), commitment("c2", "m", "two")]
    rows = answer_rows(docs, {"c1": "partial"})
    assert plain(rows[0].prompt).startswith(ANSWER_MARKS["partial"])
    assert "half" in ANSWER_MARKS["partial"]
    assert plain(rows[1].prompt).startswith(UNANSWERED)
    assert len(set(ANSWER_MARKS.values())) == 4, "every answer looks different"


def test_nothing_to_pick_or_answer_is_said_not_left_blank() -> None:
    (row,) = member_rows([], [], typed="Q")
    assert row.disabled and "No name starts with “Q”" in plain(row.prompt)
    (empty,) = answer_rows([], {})
    assert empty.disabled and plain(empty.prompt) == "Nothing to answer."


def test_energy_and_progress_lines() -> None:
    assert "●●●○○" in plain(energy_line(3)) and "3 of 5" in plain(energy_line(3))
    assert "○○○○○" in plain(energy_line(None))
    assert plain(progress_line(1, 2)).startswith("1 of 2 answered")
    assert plain(progress_line(2, 2)).startswith("All 2 answered")


def test_a_member_row_pads_names_to_one_column() -> None:
    members = [Member("a", "Al"), Member("b", "Bartholomew")]
    rows = [plain(r.prompt) for r in member_rows(members, [], typed="")]
    assert rows[0].index("nothing") == rows[1].index("nothing")
