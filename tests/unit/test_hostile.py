"""Whatever people type: it is kept exactly, shown literally, and never crashes anything.

Arbitrary text (markup, ``$variables``, terminal escapes, NUL, right-to-left
overrides, zero-width and combining characters, emoji, 10,000-character lines,
lone surrogates) goes through every text field of the engine, the journal, a
replay, the commit and the history read back; through the home and meeting
screens; and through the JSON export. Durations and dates typed on the command
line are accepted or refused with one clear line.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import msgspec
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.geometry import Region

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.engine import InvalidAction, Meeting
from peersession.core.free_text import MAX_TEXT
from peersession.core.ids import new_id
from peersession.core.model import Group, Member
from peersession.core.names import check_name, name_key, normal_name
from peersession.errors import UserError
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.store.journal import read_journal
from peersession.store.live import LiveSession
from peersession.tui.text import visible

from torture_driver import BASE_START

FRAGMENTS = (
    "[/]",
    "[link=x]",
    "[link=https://evil.example]click[/link]",
    "[b]",
    "[/b]",
    "[@click=app.quit]",
    "$var",
    "${name}",
    "$$",
    "\x1b[31m",
    "\x1b]0;title\x07",
    "\x1b[2J",
    "\x00",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "🎉",
    "👩🏽‍⚕️",
    "e\u0301\u0301",
    "Zoë",
    "\\",
    '"',
    "\n",
    "\r\n",
    "\t",
    "{}",
    "%s",
    "漢字",
)

hostile_text = st.one_of(
    st.text(min_size=1, max_size=60),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map("".join),
    st.tuples(st.sampled_from(FRAGMENTS), st.text(max_size=20), st.sampled_from(FRAGMENTS)).map(
        "".join
    ),
)
# Text the engine accepts: something left after trimming.
kept_text = hostile_text.filter(lambda t: bool(t.strip()))
# Names the doors accept (one visible line, no control characters or bidi overrides).
names = kept_text.map(lambda t: t[:60]).filter(lambda t: check_name(normal_name(t)) is None)
member_names = st.lists(names, min_size=3, max_size=5, unique_by=lambda n: name_key(normal_name(n)))
lone_surrogate = st.characters(categories=["Cs"])


def stored_group(name: str, member_names: list[str]) -> Group:
    """A group with exactly these names, as a file from an older version could hold
    them: the doors refuse control characters in names, the screens must cope."""
    return Group(id=new_id(), name=name, members=tuple(Member(new_id(), n) for n in member_names))


def start_meeting(root: Path, group: Group) -> tuple[HistoryStore, LiveSession, FakeClock]:
    store = HistoryStore(root)
    store.add_group(group)
    clock = FakeClock(BASE_START)
    return store, LiveSession.start(store, group, clock), clock


def act(live: LiveSession, clock: FakeClock, action: ev.Action, seconds: float = 30) -> None:
    clock.advance(seconds)
    live.dispatch(action)


@pytest.mark.campaign
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    group_name=names,
    members=member_names,
    rules=st.lists(kept_text, min_size=1, max_size=3),
    texts=st.lists(kept_text, min_size=7, max_size=7),
)
def test_any_text_survives_engine_journal_replay_commit_and_history(
    group_name: str, members: list[str], rules: list[str], texts: list[str]
) -> None:
    note, turn_note, win, ask, ask_note, outcome, commitment = texts
    with tempfile.TemporaryDirectory() as folder:
        group = msgspec.structs.replace(
            new_group(group_name, members), ground_rules=tuple(r.strip() for r in rules)
        )
        store, live, clock = start_meeting(Path(folder), group)
        first, second = (m.id for m in group.members[:2])
        act(live, clock, ev.NoteAdded(note_id="n1", text=note))
        act(live, clock, ev.Next())
        act(live, clock, ev.WinAdded(win_id="w1", member_id=first, kind="award", text=win))
        act(live, clock, ev.PhaseJumped(phase="updates"))
        act(live, clock, ev.NoteAdded(note_id="n2", text=turn_note, private=True))
        act(live, clock, ev.AskAdded(ask_id="a1", member_id=first, text=ask))
        act(live, clock, ev.PhaseJumped(phase="asks"))
        act(live, clock, ev.Next())
        act(live, clock, ev.NoteAdded(note_id="n3", text=ask_note))
        act(live, clock, ev.AskEnded(outcome=outcome, commitment_id="c1", helpers=(second,)))
        act(live, clock, ev.PhaseJumped(phase="commitments"))
        act(live, clock, ev.CommitmentAdded(commitment_id="c2", owner=second, text=commitment))
        # The journal replays to the very same meeting.
        journal = read_journal(store.layout.journal_file(group.id))
        replayed = Meeting.replay(journal.entries)
        assert [e.to_doc() for e in replayed.entries] == [e.to_doc() for e in live.meeting.entries]
        session_id = live.end()

        history = HistoryStore(Path(folder))
        back = history.find_group(group.id)
        assert back.name == normal_name(group_name)
        assert [m.name for m in back.members] == [normal_name(m) for m in members]
        assert list(back.ground_rules) == [r.strip() for r in rules]
        session = history.session(group.id, session_id)
        assert [n.text for n in session.notes] == [note.strip()]
        assert [w.text for w in session.wins] == [win.strip()]
        turn = next(t for t in session.turns if t.member_id == first)
        assert [(n.text, n.private) for n in turn.notes] == [(turn_note.strip(), True)]
        (saved_ask,) = session.asks
        assert saved_ask.text == ask.strip()
        assert saved_ask.outcome == outcome.strip()
        assert [n.text for n in saved_ask.notes] == [ask_note.strip()]
        texts_back = {c.id: c.text for c in history.commitments(group.id)}
        assert texts_back == {"c1": outcome.strip(), "c2": commitment.strip()}


@pytest.mark.campaign
@settings(max_examples=30, deadline=None)
@given(
    before=st.text(max_size=10),
    surrogate=lone_surrogate,
    after=st.text(max_size=10),
    blank=st.text(alphabet=" \t\n\r\u3000\u2003", max_size=5),
)
def test_text_that_cannot_be_kept_is_refused_and_changes_nothing(
    before: str, surrogate: str, after: str, blank: str
) -> None:
    """Half a surrogate pair (a broken paste) and blank text: refused with one line,
    the meeting and its journal exactly as they were."""
    with tempfile.TemporaryDirectory() as folder:
        group = new_group("Circle", ["Ana", "Bo", "Cy"])
        store, live, _ = start_meeting(Path(folder), group)
        path = store.layout.journal_file(group.id)
        journal_before = path.read_bytes()
        entries_before = list(live.meeting.entries)
        for text in (before + surrogate + after, blank):
            for action in (
                ev.NoteAdded(note_id="n1", text=text),
                ev.WinAdded(win_id="w1", member_id=group.members[0].id, text=text),
                ev.AskAdded(ask_id="a1", member_id=group.members[0].id, text=text),
                ev.CommitmentAdded(commitment_id="c1", owner=group.members[0].id, text=text),
            ):
                with pytest.raises(InvalidAction) as caught:
                    live.dispatch(action)
                assert "\n" not in str(caught.value)
        assert live.meeting.entries == entries_before
        assert path.read_bytes() == journal_before
        live.suspend()
    with pytest.raises(UserError, match="control characters"):
        new_group("Circle" + surrogate, ["Ana"])


def test_a_surrogate_in_an_id_rolls_the_meeting_back_instead_of_splitting_it(
    tmp_path: Path,
) -> None:
    """Ids come from the app, not from people, but if one could not be encoded, the
    meeting on screen must still match its journal."""
    group = new_group("Circle", ["Ana", "Bo"])
    store, live, _ = start_meeting(tmp_path / "data", group)
    before = list(live.meeting.entries)
    with pytest.raises(UnicodeEncodeError):
        live.dispatch(ev.NoteAdded(note_id="\ud800", text="fine"))
    assert live.meeting.entries == before
    live.dispatch(ev.NoteAdded(note_id="n1", text="fine"))
    journal = read_journal(store.layout.journal_file(group.id))
    assert [e.to_doc() for e in journal.entries] == [e.to_doc() for e in live.meeting.entries]
    live.suspend()


def test_ten_thousand_characters_are_kept_and_one_more_is_refused(tmp_path: Path) -> None:
    group = new_group("Circle", ["Ana", "Bo"])
    _, live, clock = start_meeting(tmp_path / "data", group)
    longest = ("[b]$x\x1b " * MAX_TEXT)[: MAX_TEXT - 1] + "!"
    assert len(longest) == MAX_TEXT
    act(live, clock, ev.NoteAdded(note_id="n1", text=longest))
    with pytest.raises(InvalidAction, match="too long"):
        live.dispatch(ev.NoteAdded(note_id="n2", text=longest + "!"))
    session_id = live.end()
    session = HistoryStore(tmp_path / "data").session(group.id, session_id)
    assert session.notes[0].text == longest


# ---------------------------------------------------------------------------
# The screens
# ---------------------------------------------------------------------------

SCREEN_NAMES = ["[/]", "[link=x]Zoë[/link]", "Bo $var", "Cy\x1b[31mred", "Nul\x00l", "[b]x"]
SCREEN_NOTES = ["[/b]", "[@click=app.quit]q", "$name", "\x1b]0;t\x07x", "e\u0301 🎉"]


def screen_text(app: Any) -> str:
    """What the terminal would show: the lines every widget of the current screen
    draws (its own cells, border included), as text."""
    lines = []
    for widget in app.screen.walk_children(with_self=True):
        if widget.display and widget.region:
            drawn = widget.render_lines(Region(0, 0, *widget.region.size))
            lines += [strip.text for strip in drawn]
    return "\n".join(lines)


async def test_the_home_screen_shows_hostile_group_names_literally(tmp_path: Path) -> None:
    from peersession.tui.app import create_app
    from peersession.tui.screens.home import HomeScreen

    store = HistoryStore(tmp_path / "data")
    for name in SCREEN_NAMES:
        store.add_group(stored_group(name, ["[/]", "\x1b[1mA"]))
    app = create_app(data_dir=tmp_path / "data", clock=FakeClock(pendulum.now("UTC")))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        shown = screen_text(app)
        for name in SCREEN_NAMES:
            assert visible(name) in shown, f"{name!r} is not shown literally"
        assert "\x1b" not in shown and "\x00" not in shown
        await pilot.press("down", "down", "up")
        assert app.is_running


async def test_the_meeting_screen_shows_hostile_names_and_notes_literally(
    tmp_path: Path,
) -> None:
    from peersession.tui.app import create_app
    from peersession.tui.screens.meeting import MeetingScreen

    store = HistoryStore(tmp_path / "data")
    group = stored_group("[b]Circle[/b] $x", SCREEN_NAMES[:5])
    store.add_group(group)
    clock = FakeClock(pendulum.now("UTC"))
    app = create_app(data_dir=tmp_path / "data", clock=clock, start_group=group.id)
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        assert visible(group.name) in screen_text(app)
        await pilot.press("n", "n", "n")
        assert screen.live.meeting.phase.name == "updates"
        speaker = screen.live.meeting.speaker
        assert speaker is not None
        for number, note in enumerate(SCREEN_NOTES):
            screen.live.dispatch(ev.NoteAdded(note_id=f"n{number}", text=note))
        screen.refresh_all()
        await pilot.pause()
        shown = screen_text(app)
        assert visible(group.name_of(speaker)) in shown
        for note in SCREEN_NOTES:
            assert " ".join(visible(note).split()) in shown, f"{note!r} not shown literally"
        assert "\x1b" not in shown and "\x07" not in shown
        # A note typed with markup characters is kept as typed.
        await pilot.press("t")
        for char in "[b]x[/b] $y":
            await pilot.press(char if char != " " else "space")
        await pilot.press("enter")
        await pilot.pause()
        notes = screen.live.meeting.turns[speaker].notes
        assert notes[-1].text == "[b]x[/b] $y"
        # Every member's turn, each with their name as the timer's label.
        for _ in group.members:
            await pilot.press("n")
            await pilot.pause()
            assert app.is_running
        assert isinstance(app.screen, MeetingScreen)


# ---------------------------------------------------------------------------
# The JSON export
# ---------------------------------------------------------------------------


def test_the_json_export_is_valid_escapes_terminals_and_keeps_private_items_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    # Names the doors take (a name with a control character is refused by the
    # export: tests/unit/test_values_no_import_takes.py); the texts carry the escapes.
    group = stored_group("[b]Red[/b] circle $x", ["[/]", "$var", "[link=x]Cy"])
    _, live, clock = start_meeting(root, group)
    public_note, private_note = "public \x1b]0;pwned\x07 [/]", "secret \x1b[2J stays"
    act(live, clock, ev.NoteAdded(note_id="n1", text=public_note))
    act(live, clock, ev.NoteAdded(note_id="n2", text=private_note, private=True))
    act(live, clock, ev.PhaseJumped(phase="commitments"))
    act(live, clock, ev.CommitmentAdded(commitment_id="c1", owner=group.members[0].id, text="x"))
    act(
        live,
        clock,
        ev.CommitmentAdded(
            commitment_id="c2", owner=group.members[1].id, text="hidden \x00 plan", private=True
        ),
    )
    live.end()
    for include_private in (False, True):
        flags = ["--include-private"] if include_private else []
        status = main(["export", group.id, "--all", "--data-dir", str(root), *flags])
        raw = capsys.readouterr().out
        assert status == 0
        assert "\x1b" not in raw and "\x00" not in raw and "\x07" not in raw
        bundle = json.loads(raw)
        notes = [n["text"] for s in bundle["sessions"] for n in s["notes"]]
        commitments = {c["id"] for c in bundle["commitments"]}
        assert bundle["group"]["name"] == group.name
        assert public_note in notes
        assert (private_note in notes) == include_private
        assert ("c2" in commitments) == include_private
        assert ("hidden" in raw) == include_private
        assert ("secret" in raw) == include_private


# ---------------------------------------------------------------------------
# Durations and dates typed by people
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("length", "minutes"),
    [("90m", 90), ("1h30m", 90), ("PT2H", 120), ("2h", 120), ("45", 45), ("600m", 600)],
)
def test_meeting_lengths_people_type_are_accepted(
    length: str, minutes: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    status = main(
        ["group", "add", "Circle", "-m", "Ana", "--length", length, "--data-dir", str(root)]
    )
    assert status == 0, capsys.readouterr().err
    assert HistoryStore(root).only_group().length_minutes == minutes


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--length", "5m", "between 10 minutes and 10 hours"),
        ("--length", "PT90S", "between 10 minutes and 10 hours"),
        ("--length", "-5m", "negative"),
        ("--length", "abc", "not a duration"),
        ("--length", "999h", "too long"),
        ("--length", "99999999999999999999", "too long"),
        ("--length", "1h\x1b[31m", "not a duration"),
        ("--every", "0w", "between 1 day and a year"),
        ("--every", "60w", "between 1 day and a year"),
        ("--every", "-3w", "not a cadence"),
        ("--every", "2026-01-01", "not a cadence"),
        ("--every", "abc", "not a cadence"),
    ],
)
def test_bad_durations_are_refused_in_one_line_and_change_nothing(
    option: str, value: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "data"
    # ``--length=-5m``: a value starting with "-" needs the = form (argparse).
    status = main(
        ["group", "add", "Circle", "-m", "Ana", f"{option}={value}", "--data-dir", str(root)]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("peersession: ") and err.count("\n") == 1, err
    assert says in err
    assert "\x1b" not in err
    assert not (root / "peersession.json").exists()


def test_a_past_date_is_refused_by_the_meeting_with_a_clear_message(tmp_path: Path) -> None:
    group = new_group("Circle", ["Ana", "Bo"])
    _, live, _ = start_meeting(tmp_path / "data", group)
    yesterday = BASE_START.subtract(days=1).date().isoformat()
    live.dispatch(ev.PhaseJumped(phase="close"))
    for action, says in (
        (ev.NextMeetingSet(date=yesterday), "cannot be before this one"),
        (ev.NextMeetingSet(date="someday"), "not a date"),
        (
            ev.CommitmentAdded(
                commitment_id="c", owner=group.members[0].id, text="x", due=yesterday
            ),
            "before this session",
        ),
    ):
        with pytest.raises(InvalidAction, match=says):
            live.dispatch(action)
    live.dispatch(ev.NextMeetingSet(date=BASE_START.add(days=21).date().isoformat()))
    assert live.meeting.next_meeting == BASE_START.add(days=21).date().isoformat()
    live.suspend()


def test_screens_and_exports_neutralise_the_same_characters() -> None:
    from peersession.exports.escape import neutralise as export_neutralise
    from peersession.tui.text import visible

    trojan = "Ana\u202egnp.exe\u2066x\u2069 \x1b[31mred\x07 done"
    shown = visible(trojan)
    assert "\u202e" not in shown and "\u2066" not in shown and "\x1b" not in shown
    assert shown == export_neutralise(trojan)
    assert visible("two\nlines\tand a tab") == "two\nlines\tand a tab"
