"""The same rules at every door: names normalised, journals from newer versions
kept untouched, private check-ins leaving no trace in a public bundle."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import msgspec
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peersession.cli import checkin_cmd, main
from peersession.core.checkin import find_member
from peersession.core.clock import FakeClock
from peersession.core.events import action_types
from peersession.core.free_text import MAX_NOTE
from peersession.core.names import MAX_NAME, clean_name, name_key
from peersession.core.record_types import read_as
from peersession.core.session_records import Commitment
from peersession.demo import demo_history
from peersession.errors import UserError
from peersession.exports.bundle import build_bundle
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.store.journal import NewerJournal, read_journal
from peersession.store.live import LiveSession

from engine_support import session_doc

NFC, NFD = "Zo\u00eb", "Zoe\u0308"


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main([*args, "--data-dir", str(root)])
    out, err = capsys.readouterr()
    return status, out, err


# -- 7: names equal to a reader are one member ----------------------------------------


def test_nfc_and_nfd_spellings_of_one_name_are_refused_as_two_members(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(data_dir, capsys, "group", "add", "G", "-m", NFC, "-m", NFD)
    assert status == 1 and "two members are called" in err
    assert run(data_dir, capsys, "group", "add", "G", "-m", NFD, "-m", "Bo")[0] == 0
    group = HistoryStore(data_dir).find_group("G")
    assert group.members[0].name == NFC, "stored in NFC"
    status, _, err = run(data_dir, capsys, "group", "edit", "G", "--add-member", "ZOE\u0308")
    assert status == 1 and "already a member" in err
    # Found in either form, by the CLI's lookups and the check-in's.
    assert group.member_by_name(NFD) == group.members[0]
    assert find_member(group, NFD) == group.members[0]
    assert run(data_dir, capsys, "group", "edit", "g", "--remove-member", NFD)[0] == 0
    assert not HistoryStore(data_dir).find_group("G").members[0].active


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_a_name_and_its_decomposed_form_are_one_name(text: str) -> None:
    try:
        clean = clean_name(text)
    except ValueError:
        return
    decomposed = unicodedata.normalize("NFD", text)
    assert clean_name(decomposed) == clean
    assert name_key(decomposed) == name_key(clean) == name_key(clean.casefold())
    with pytest.raises(UserError, match="two members"):
        new_group("G", [clean, decomposed])


def test_a_member_name_has_the_same_limit_as_a_group_name(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(data_dir, capsys, "group", "add", "G", "-m", "x" * 10_000)
    assert status == 1 and f"at most {MAX_NAME}" in err
    status, _, err = run(data_dir, capsys, "group", "add", "y" * (MAX_NAME + 1), "-m", "A")
    assert status == 1 and f"at most {MAX_NAME}" in err
    assert run(data_dir, capsys, "group", "add", "G", "-m", "x" * MAX_NAME)[0] == 0


def test_line_breaks_in_names_and_rules_are_flattened_at_the_cli(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, capsys, "group", "add", "Two\nlines", "-m", "A\r\nB")[0] == 0
    group = HistoryStore(data_dir).only_group()
    assert group.name == "Two lines" and group.members[0].name == "A B"
    assert run(data_dir, capsys, "group", "edit", group.id, "--rule", "one\ntwo")[0] == 0
    assert HistoryStore(data_dir).only_group().ground_rules == ("one two",)


# -- 9: check-in note limit ------------------------------------------------------------


@pytest.mark.parametrize("length", [MAX_NOTE + 1, 10_000, 10_001])
def test_the_checkin_note_limit_is_the_one_named(
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    length: int,
) -> None:
    monkeypatch.setattr(checkin_cmd, "CLOCK", FakeClock(pendulum.now("UTC")))
    run(data_dir, capsys, "group", "add", "G", "-m", "Ana")
    status, _, err = run(data_dir, capsys, "checkin", "G", "-m", "Ana", "--note", "n" * length)
    assert status == 1
    assert f"({length} characters, at most {MAX_NOTE})" in err


# -- 9: the app's forms keep U+200D ----------------------------------------------------


async def test_a_form_keeps_a_zero_width_joiner() -> None:
    from textual import events
    from textual.app import App

    from peersession.tui.screens.form import Field, FormScreen

    scientist = "👩🏽\u200d🔬"
    results: list[object] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            form = FormScreen("Note", [Field("text", "Text")], drafts={}, draft_key="k")
            self.push_screen(form, results.append)

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        focused = app.screen.focused
        assert focused is not None
        for character in scientist:
            focused.post_message(events.Key(character, character))
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert results == [{"text": scientist}]


# -- 5: journals from a newer version ----------------------------------------------------


def a_live_journal(root: Path) -> tuple[HistoryStore, Path]:
    store = HistoryStore(root)
    group = new_group("Circle", ["Ana", "Bo"])
    store.add_group(group)
    LiveSession.start(store, group, FakeClock(pendulum.now("UTC"))).suspend()
    return store, store.layout.journal_file(group.id)


def test_a_complete_line_of_an_unknown_action_is_refused_untouched(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, path = a_live_journal(data_dir)
    newer = {"seq": 2, "at": "2026-03-05T17:01:00+00:00", "type": "hologram_added", "data": {}}
    with path.open("a") as handle:
        handle.write(json.dumps(newer) + "\n")
    before = path.read_bytes()
    with pytest.raises(NewerJournal, match="newer peersession"):
        read_journal(path)
    group = store.only_group()
    with pytest.raises(UserError, match="newer peersession"):
        LiveSession.interrupted(store, group)
    status, out, _ = run(data_dir, capsys, "doctor", "--repair")
    assert status == 1 and "newer peersession" in out and "'hologram_added'" in out
    assert path.read_bytes() == before


def test_an_unknown_action_type_holding_words_is_not_repeated(data_dir: Path) -> None:
    _, path = a_live_journal(data_dir)
    words = "Bo is leaving the lab in June"
    newer = {"seq": 2, "at": "2026-03-05T17:01:00+00:00", "type": words, "data": {}}
    with path.open("a") as handle:
        handle.write(json.dumps(newer) + "\n")
    with pytest.raises(NewerJournal, match="newer peersession") as refused:
        read_journal(path)
    assert "June" not in str(refused.value) and "not named here" in str(refused.value)


@pytest.mark.campaign
@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=1, max_value=200))
def test_only_a_partial_last_line_is_torn(
    tmp_path_factory: pytest.TempPathFactory, cut: int
) -> None:
    _, path = a_live_journal(tmp_path_factory.mktemp("data"))
    whole = path.read_bytes()
    line = json.dumps({"seq": 2, "at": "2026-03-05T17:01:00+00:00", "type": "next", "data": {}})
    partial = line.encode()[: min(cut, len(line) - 1)]
    path.write_bytes(whole + partial)
    contents = read_journal(path)
    assert contents.torn_tail and contents.good_length == len(whole)


# -- 6: a private check-in leaves no trace in a public export -------------------------------


def test_a_private_checkin_leaves_no_status_source_or_time_in_a_public_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "data"
    history = demo_history(today=pendulum.date(2026, 3, 5), sessions=3)
    seed_demo(HistoryStore(root), history)
    store = HistoryStore(root)
    group = store.find_group(history.group.id)
    commitment = next(c for c in store.commitments(group.id) if not c.private and not c.reviews)
    owner = group.member(commitment.owner)
    moment = pendulum.datetime(2026, 3, 6, 9, 30, 7, tz="UTC")
    monkeypatch.setattr(checkin_cmd, "CLOCK", FakeClock(moment))
    args = ["checkin", group.id, "-m", owner.id, "--partial", commitment.id]
    status, _, err = run(root, capsys, *args, "--note", "secret", "--private")
    assert status == 0, err
    status, out, _ = run(root, capsys, "export", group.id, "--all", "--format", "json")
    assert status == 0
    assert "secret" not in out and "2026-03-06T09:30:07" not in out
    bundle = json.loads(out)
    (public,) = [c for c in bundle["commitments"] if c["id"] == commitment.id]
    assert public["reviews"] == [] and public["updated_at"] < "2026-03-06"
    # With --include-private, all of it.
    status, out, _ = run(root, capsys, "export", group.id, "--all", "--include-private")
    assert "2026-03-06T09:30:07" in out and "secret" in out


def test_a_private_checkin_stays_out_even_when_checkins_are_not_exported() -> None:
    group = new_group("G", ["Ana"])
    review = {
        "at": "2026-03-06T09:30:07+00:00",
        "status": "done",
        "source": "checkin",
        "source_id": "chk1",
    }
    commitment = {
        "id": "c1",
        "group_id": group.id,
        "owner": group.members[0].id,
        "text": "x",
        "due": None,
        "private": False,
        "made_at": "2026-03-01T09:00:00+00:00",
        "made_in": "s1",
        "from_ask": None,
        "reviews": [review],
        "updated_at": review["at"],
    }
    session = msgspec.structs.replace(session_doc("s1", []), commitment_ids=["c1"])
    typed = read_as(Commitment, commitment)
    bundle = build_bundle(group, [session], [typed], private_checkins={"chk1"})
    assert bundle["commitments"][0]["reviews"] == []
    assert bundle["commitments"][0]["updated_at"] == "2026-03-01T09:00:00+00:00"


@pytest.mark.campaign
@settings(max_examples=40, deadline=None)
@given(
    kind=st.text(min_size=1, max_size=20).filter(lambda k: k not in action_types()),
    data=st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)
def test_any_complete_line_of_an_unknown_action_is_refused_never_cut(
    tmp_path_factory: pytest.TempPathFactory, kind: str, data: dict[str, int]
) -> None:
    _, path = a_live_journal(tmp_path_factory.mktemp("data"))
    line = {"seq": 2, "at": "2026-03-05T17:01:00+00:00", "type": kind, "data": data}
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
    before = path.read_bytes()
    with pytest.raises(NewerJournal) as refused:
        read_journal(path)
    assert "\n" not in str(refused.value)
    assert path.read_bytes() == before


def test_a_note_of_several_lines_stays_inside_its_bullet() -> None:
    from peersession.core.record_types import read_as
    from peersession.core.session_records import Note
    from peersession.tui.widgets.history_blocks import note_lines

    note = {"id": "n1", "text": "first\nsecond\r\nthird", "private": False, "at": "x"}
    (line,) = note_lines([read_as(Note, note)], "  ")
    assert line.plain.split("\n") == ["  • first", "    second", "    third"]


# -- goals (issue 25): a title, a measure, a date held alike at the CLI and in a bundle ---


def _goal_doc(title: str, measure: str | None = None, by: str | None = None) -> dict[str, object]:
    return {
        "id": "g1",
        "group_id": "grp",
        "owner": "m1",
        "title": title,
        "by": by,
        "measure": measure,
        "status": "active",
        "private": False,
        "win_ids": [],
        "created_at": "2026-03-05T17:00:00+00:00",
        "updated_at": "2026-03-05T17:00:00+00:00",
    }


def _bundle_takes(goal: dict[str, object]) -> bool:
    """Whether a bundle's door takes the goal (core/records.py, at the door)."""
    import msgspec

    from peersession.core.records import Goal

    try:
        msgspec.convert(goal, Goal)
    except msgspec.ValidationError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=230), st.one_of(st.none(), st.text(max_size=320)))
def test_a_goal_the_cli_would_store_is_one_a_bundle_may_carry(
    title: str, measure: str | None
) -> None:
    """What ``goal add`` stores passes a bundle's check; a bundle's goal passes
    only when it is exactly what ``goal add`` would have stored."""
    from peersession.core.goal_rules import GoalError, clean_measure, clean_title

    stored_title: str | None
    stored_measure: str | None
    try:
        stored_title, stored_measure = clean_title(title), clean_measure(measure)
    except GoalError:
        stored_title = stored_measure = None
    if stored_title is not None:
        assert _bundle_takes(_goal_doc(stored_title, stored_measure))
    raw_ok = stored_title == title and stored_measure == measure
    assert _bundle_takes(_goal_doc(title, measure)) == raw_ok


@pytest.mark.parametrize("by", ["1969-12-31", "2201-01-01", "2026-02-30"])
def test_a_goal_date_refused_at_the_cli_is_refused_in_a_bundle(
    data_dir: Path, capsys: pytest.CaptureFixture[str], by: str
) -> None:
    assert run(data_dir, capsys, "group", "add", "G", "-m", "Ana")[0] == 0
    status, _, err = run(data_dir, capsys, "goal", "add", "G", "-m", "Ana", "Goal", "--by", by)
    assert status == 1 and err.count("\n") == 1
    assert not _bundle_takes(_goal_doc("Goal", by=by))
    assert _bundle_takes(_goal_doc("Goal", by="2200-12-31"))
