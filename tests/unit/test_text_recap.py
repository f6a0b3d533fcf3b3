"""The plain-text recap reads right in an email: lines of at most 78 columns.

Widths are measured with an independent reference (rich's cell widths), not
the code under test: a CJK character or an emoji takes two columns, a combining
accent none. Titles are underlined exactly as wide as they are; no line is cut
inside what a reader sees as one character.
"""

from __future__ import annotations

import copy
import unicodedata

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st
from msgspec.structs import replace
from rich.cells import cell_len

from peersession.core.model import Group
from peersession.core.session_records import Commitment, Session
from peersession.demo import demo_history
from peersession.exports import text as text_export
from peersession.exports.text import render_text
from peersession.exports.wrap import wrap

from engine_support import read_sessions

#: The longest line a mail reader should get (RFC 5322's recommendation).
MOST = 78

LONG_NOTE = (
    "Talked through the whole promotion timeline with the division chief, who said the dossier "
    "needs two more external letters and a teaching statement before the committee meets in "
    "the autumn, and that the clinical load will not be reduced before then"
)
CJK = "来月の学会で発表する予定ですが、原稿がまだ半分しかできていません。指導教官にも相談しました。"
EMOJI = "Grant funded 🎉🎉 at last 👩\u200d🔬👩🏽\u200d💻 and 🇯🇵 trip booked ❤\ufe0f"
COMBINING = "Zoe\u0301 and Sio\u0301bha\u0301n re\u0301sume\u0301 reviewed, na\u0308ive no more"
URL = "https://example.org/" + "very-long-path-segment/" * 5 + "x" * 40
LONG_NAMES = [
    "Professor Maria-Josefina Álvarez-García de la Fuente y Hernández-Villanueva",
    "山田太郎",
    "Zoë [Dr.] O'Neil 👩\u200d⚕️",
    "Nguye\u0302\u0303n Thi\u0323 Minh Khai",
]

# What may never begin a line's text: a mark, a joiner or a modifier belongs to
# the character before it.
DEPENDENT = {"\u200d", "\ufe0f", "\ufe0e", *map(chr, range(0x1F3FB, 0x1F400))}


def dependent(char: str) -> bool:
    return char in DEPENDENT or unicodedata.category(char) in ("Mn", "Me", "Mc")


def hostile_demo() -> tuple[Group, list[Session], list[Commitment]]:
    """The demo group, renamed, with long, wide and combining text in its last sessions."""
    demo = demo_history(today=pendulum.date(2026, 3, 10))
    members = tuple(
        replace(m, name=LONG_NAMES[i]) if i < len(LONG_NAMES) else m
        for i, m in enumerate(demo.group.members)
    )
    group = replace(
        demo.group,
        name="The Thursday Circle of the Department of Medicine 木曜会 🌟 " + "x" * 30,
        members=members,
    )
    sessions = copy.deepcopy(demo.sessions)
    texts = [LONG_NOTE, CJK * 3, EMOJI, COMBINING, URL, f"{LONG_NOTE} {CJK} {EMOJI}"]
    for index, session in enumerate(sessions[-4:]):
        for t, turn in enumerate(session["turns"]):
            for n, note in enumerate(turn["notes"]):
                note["text"] = texts[(index + t + n) % len(texts)]
        for a, ask in enumerate(session["asks"]):
            ask["text"] = texts[(index + a + 1) % len(texts)]
            for n, note in enumerate(ask["notes"]):
                note["text"] = texts[(index + a + n + 2) % len(texts)]
        for w, win in enumerate(session["wins"]):
            win["text"] = texts[(index + w + 3) % len(texts)]
        session["notes"].append(
            {
                "id": f"long-{index}",
                "text": texts[index],
                "private": False,
                "at": session["ended_at"],
            }
        )
    commitments = demo.commitments()
    for c, commitment in enumerate(commitments[-12:]):
        commitment.text = texts[c % len(texts)]
    # Changed as the file keeps them, then read as the history reads them.
    return group, read_sessions(sessions), commitments


@pytest.fixture(scope="module")
def hostile() -> tuple[Group, list[Session], list[Commitment]]:
    return hostile_demo()


def test_every_line_of_the_demos_recap_fits_in_78_columns(
    hostile: tuple[Group, list[Session], list[Commitment]],
) -> None:
    group, sessions, commitments = hostile
    lines = render_text(group, sessions, commitments, include_private=True).splitlines()
    assert len(lines) > 300
    wide = [line for line in lines if cell_len(line) > MOST]
    # Only a token with no place to break may be wider, alone on its line.
    for line in wide:
        token = line.strip().removeprefix("- ")
        assert " " not in token, f"wider than {MOST} with a place to break: {line!r}"
        assert token.startswith("https://example.org/"), line
    assert len(wide) >= 1, "the fixture holds an unbreakable address"
    assert any(CJK[:5] in line for line in lines), "the CJK text is there, cut into lines"


def test_text_people_typed_wraps_under_a_hanging_indent(
    hostile: tuple[Group, list[Session], list[Commitment]],
) -> None:
    group, sessions, commitments = hostile
    lines = render_text(group, sessions, commitments).splitlines()
    start = next(i for i, line in enumerate(lines) if LONG_NOTE[:40] in line)
    bullet = lines[start].index("- ")
    hanging = " " * (bullet + 2)
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith(hanging) or line.strip().startswith("- "):
            break  # the next item, or a note under this one
        block.append(line)
    assert len(block) >= 3
    for line in block[1:]:
        assert line[len(hanging)] != " ", f"the text starts under the text: {line!r}"
    words = " ".join(line.strip().removeprefix("- ") for line in block)
    assert LONG_NOTE in words, "nothing lost or changed at the breaks"


def test_no_line_is_cut_inside_a_character(
    hostile: tuple[Group, list[Session], list[Commitment]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    group, sessions, commitments = hostile
    wrapped = render_text(group, sessions, commitments, include_private=True)
    for line in wrapped.splitlines():
        body = line.lstrip(" ")
        assert not body or not dependent(body[0]), f"starts inside a character: {line!r}"
        assert not line.endswith("\u200d"), f"ends inside a character: {line!r}"
    monkeypatch.setattr(text_export, "WIDTH", 100_000)
    unwrapped = render_text(group, sessions, commitments, include_private=True)
    clusters = (
        "👩\u200d🔬",
        "👩🏽\u200d💻",
        "🇯🇵",
        "❤\ufe0f",
        "e\u0301",
        "e\u0302\u0303",
        "👩\u200d⚕️",
    )
    for cluster in clusters:
        assert wrapped.count(cluster) == unwrapped.count(cluster) > 0, cluster


def test_every_underline_is_as_wide_as_its_title(
    hostile: tuple[Group, list[Session], list[Commitment]],
) -> None:
    group, sessions, commitments = hostile
    for chosen in (sessions, sessions[-1:]):
        lines = render_text(group, chosen, commitments).splitlines()
        underlines = [i for i, line in enumerate(lines) if line and set(line) in ({"="}, {"-"})]
        assert len(underlines) == (len(chosen) + 1 if len(chosen) > 1 else 1)
        for index in underlines:
            title = []
            for line in reversed(lines[:index]):
                if not line:
                    break
                title.append(line)
            assert title, "an underline has a title above it"
            assert cell_len(lines[index]) == max(cell_len(t) for t in title), title
            assert all(cell_len(t) <= MOST for t in title)


def test_a_short_title_gets_a_short_underline() -> None:
    demo = demo_history(today=pendulum.date(2026, 3, 10))
    group = replace(demo.group, name="漢字")
    lines = render_text(group, read_sessions(demo.sessions[-1:]), demo.commitments()).splitlines()
    assert lines[0] == "漢字: session of Thursday 5 March 2026"
    assert lines[1] == "=" * (4 + len(": session of Thursday 5 March 2026"))


# --- the wrapper on its own ----------------------------------------------------------------

WORDS = st.sampled_from(
    ["a", "word", "hyphen-ated", "漢字仮名", "です。", "「引用」です", "👩\u200d🔬", "🎉",
     "e\u0301te\u0301", "x" * 90, "O'Neil", "👍🏽", "🇯🇵🇫🇷", "Zoë", "-", "--"]
)  # fmt: skip


@given(st.lists(WORDS, min_size=1, max_size=60), st.integers(min_value=20, max_value=78))
def test_wrapped_lines_fit_and_lose_nothing(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = wrap(text, width, "  - ", "    ")
    assert lines[0].startswith("  - ") and all(line.startswith("    ") for line in lines[1:])
    for line in lines:
        if cell_len(line) > width:
            assert " " not in line.strip().removeprefix("- "), line
    body = "".join(line[4:] for line in lines)
    assert body.replace(" ", "") == text.replace(" ", "")
    for line in lines:
        stripped = line[4:]
        assert stripped and not dependent(stripped[0]) and stripped[0] != " "
        assert not stripped.startswith(("。", "」")), "no line opens on closing punctuation"
        assert not stripped.endswith("「"), "none ends on an opening one"
