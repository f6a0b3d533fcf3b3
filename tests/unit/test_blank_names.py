"""Names that render blank are no names (issue #26, point 12).

HANGUL FILLER (U+3164), BRAILLE PATTERN BLANK (U+2800), the Hangul choseong and
jungseong fillers (U+115F, U+1160), HALFWIDTH HANGUL FILLER (U+FFA0) are letters
or symbols to Unicode but draw as a blank: a group or member called by them
reads as no name. Every door (the CLI, an imported bundle; the app types no
names) refuses a name made only of such characters, spaces and characters that
draw nothing, as it refuses zero-width ones. Inside a name with something
visible, a blank filler counts as a space (one space inside, trimmed at the
ends), and characters that draw nothing are left out when names are compared,
so two members who look the same cannot both be added.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peersession.cli import main
from peersession.core.names import clean_name, name_key
from peersession.errors import UserError
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group

#: Draw as a blank cell though not spaces to Unicode.
FILLERS = ["\u3164", "\u2800", "\u115f", "\u1160", "\uffa0", "\U0001d159"]
#: Draw as nothing at all (refused alone before this issue too).
NOTHING = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\ufe0f"]
#: Spaces a person may type around them.
SPACES = [" ", "\u00a0", "\u3000", "\u2003", "\t"]

blankish = st.text(
    alphabet=st.sampled_from(FILLERS + NOTHING + SPACES), min_size=1, max_size=12
).filter(lambda text: any(ch in FILLERS for ch in text))


@settings(max_examples=300)
@given(blankish)
def test_a_name_made_of_blank_characters_and_spaces_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="empty or only invisible"):
        clean_name(name)


@pytest.mark.parametrize("filler", FILLERS)
def test_each_filler_alone_is_refused(filler: str) -> None:
    with pytest.raises(ValueError):
        clean_name(filler)
    with pytest.raises(ValueError):
        clean_name(filler * 3)


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from(FILLERS + SPACES), max_size=4).map("".join),
    st.sampled_from(["Ana", "Zoë", "李", "O'Neil", "👩🏽‍⚕️"]),
    st.lists(st.sampled_from(FILLERS + SPACES), max_size=4).map("".join),
)
def test_fillers_around_a_visible_name_are_trimmed_like_spaces(
    before: str, visible: str, after: str
) -> None:
    assert clean_name(before + visible + after) == visible


def test_a_filler_inside_a_name_is_one_space() -> None:
    assert clean_name("Ana\u3164\u3164Bo") == "Ana Bo"
    assert clean_name("Ana \u2800 Bo") == "Ana Bo"


def test_names_differing_only_by_what_draws_nothing_are_one_name() -> None:
    assert name_key("Ana\u200b") == name_key("Ana") == name_key("\u2060A\u200dna")
    # Combining marks draw something: in many scripts they tell two names apart.
    assert name_key("हिंदी") != name_key("हिदी")


# -- at the doors --------------------------------------------------------------------------


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main([*args, "--data-dir", str(root)])
    out, err = capsys.readouterr()
    return status, out + err


@pytest.mark.parametrize("blank", ["\u3164", "\u2800", "\u115f\u1160", "\uffa0 \u3164"])
def test_the_command_line_refuses_blank_group_and_member_names(
    blank: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, said = run(data_dir, capsys, "group", "add", blank, "-m", "Ana", "-m", "Bo")
    assert status == 1 and "a group name cannot be empty" in said, said
    status, said = run(data_dir, capsys, "group", "add", "Circle", "-m", "Ana", "-m", blank)
    assert status == 1 and "a member name cannot be empty" in said, said
    assert run(data_dir, capsys, "group", "add", "Circle", "-m", "Ana", "-m", "Bo")[0] == 0
    before = HistoryStore(data_dir).find_group("Circle")
    status, said = run(data_dir, capsys, "group", "edit", "Circle", "--add-member", blank)
    assert status == 1 and "a member name cannot be empty" in said, said
    status, said = run(data_dir, capsys, "group", "edit", "Circle", "--name", blank)
    assert status == 1 and "a group name cannot be empty" in said, said
    assert HistoryStore(data_dir).find_group("Circle") == before


def test_a_member_who_looks_like_another_is_refused(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, said = run(data_dir, capsys, "group", "add", "G", "-m", "Ana", "-m", "\u3164Ana")
    assert status == 1 and "two members are called" in said, said
    status, said = run(data_dir, capsys, "group", "add", "G", "-m", "Ana", "-m", "Ana\u200b")
    assert status == 1 and "two members are called" in said, said


@pytest.mark.parametrize("where", ["group", "member"])
def test_an_imported_bundle_with_a_blank_name_is_refused(
    where: str, store: HistoryStore, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    group = new_group("Circle", ["Ana", "Bo"])
    bundle = json.loads(dumps_bundle(build_bundle(group, [], [], include_private=True)))
    if where == "group":
        bundle["group"]["name"] = "\u3164"
    else:
        bundle["group"]["members"][1]["name"] = "\u2800\u3164"
    raw = json.dumps(bundle)
    with pytest.raises(UserError, match="cannot be empty or only invisible"):
        parse_bundle(raw)
    path = tmp_path / "bundle.json"
    path.write_text(raw, encoding="utf-8")
    status, said = run(store.root, capsys, "import", str(path))
    assert status == 1 and "cannot be empty or only invisible" in said, said
    assert store.groups() == []
