"""Notes taken in the meeting reach every recap, and no label is doubled.

An absent member reads the emailed recap: the notes of the updates round must
be there, under the update they were taken on (private ones only with
``--include-private``), in the Recap phase, the follow window's end, and the
Markdown and plain-text exports alike. A note a person labelled ("Q: ...")
gets no second label from the recap.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pendulum
import pytest

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.model import Group, Member
from peersession.core.recap import RecapLine, RecapSection, build_recap, labelled_note
from peersession.core.record_types import read_as
from peersession.core.session_records import Ask, Note, Session, Turn
from peersession.demo import demo_history
from peersession.demo.vocabulary import ADVICE_NOTES, QUESTION_NOTES
from peersession.exports.text import render_text
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.view import ViewScreen
from peersession.tui.widgets.panel import PRIVATE_TAG

from engine_support import read_sessions
from pilot_support import keys, typed
from room_support import plain
from snapshot_support import MEETING_START, demo_store

AT = "2026-03-05T16:30:00+00:00"
PUBLIC_NOTE = "Grant resubmitted on Friday"
SECOND_NOTE = "New RA starts in May"
PRIVATE_NOTE = "Interviewing elsewhere"


def stored_group(name: str, member_names: list[str]) -> Group:
    return Group(
        id="g1",
        name=name,
        members=tuple(Member(f"m{i}", n) for i, n in enumerate(member_names)),
    )


def note(text: str, *, private: bool = False, part: str | None = None) -> Note:
    doc: dict[str, Any] = {"id": text[:8], "text": text, "private": private, "at": AT}
    if part is not None:
        doc["part"] = part
    return read_as(Note, doc)


def turn(member_id: str, seconds: float, notes: list[Note], passed: bool = False) -> Turn:
    return Turn(member_id=member_id, seconds=seconds, passed=passed, notes=notes)


def ask_with_notes(member_id: str, notes: list[Note], *, private: bool = False) -> Ask:
    return read_as(
        Ask,
        {
            "id": "a1",
            "member_id": member_id,
            "text": "Which journal next",
            "wanted_seconds": 600.0,
            "private": private,
            "votes": 2,
            "question_seconds": 120.0,
            "advice_seconds": 240.0,
            "extensions": [],
            "outcome": None,
            "commitment_id": None,
            "helpers": [],
            "notes": notes,
            "done": True,
        },
    )


def session_of(turns: list[Turn], asks: Sequence[Ask] = ()) -> Session:
    return Session(
        id="s1",
        group_id="g1",
        template="full",
        started_at="2026-03-05T16:00:00+00:00",
        ended_at="2026-03-05T18:00:00+00:00",
        planned_minutes=120,
        attendance={},
        order=[t.member_id for t in turns],
        turns=turns,
        asks=list(asks),
        wins=[],
        commitment_ids=[],
        reviews={},
        ratings={},
        notes=[],
        next_meeting=None,
        updated_at="2026-03-05T18:00:00+00:00",
    )


def section(sections: list[RecapSection], title: str) -> RecapSection:
    return next(s for s in sections if s.title == title)


# --- the outline every recap builds on ----------------------------------------------------


def test_update_notes_sit_under_each_members_update_private_only_when_asked() -> None:
    group = stored_group("G", ["Ana", "Bo", "Cy"])
    ana, bo, cy = (m.id for m in group.members)
    session = session_of(
        [
            turn(bo, 312.4, [note(PUBLIC_NOTE), note(PRIVATE_NOTE, private=True)]),
            turn(ana, 20, [], passed=True),
            turn(cy, 240, [note(SECOND_NOTE)]),
        ]
    )
    everything = section(build_recap(group, session, [], {}), "Updates")
    assert everything.lines == [
        RecapLine(
            "spoke 5m12s",
            who="Bo",
            details=(RecapLine(PUBLIC_NOTE), RecapLine(PRIVATE_NOTE, private=True)),
        ),
        RecapLine("passed", who="Ana"),
        RecapLine("spoke 4m", who="Cy", details=(RecapLine(SECOND_NOTE),)),
    ]
    public = section(build_recap(group, session, [], {}, include_private=False), "Updates")
    assert public.lines[0].details == (RecapLine(PUBLIC_NOTE),)
    assert [line.who for line in public.lines] == ["Bo", "Ana", "Cy"], "the turns stay"


def test_notes_of_a_private_ask_leave_with_it() -> None:
    group = stored_group("G", ["Ana"])
    ask = ask_with_notes(group.members[0].id, [note("try JAMA", part="advice")], private=True)
    session = session_of([], [ask])
    shown = section(build_recap(group, session, [], {}), "Asks").lines[0]
    assert shown.details == (RecapLine("Advice: try JAMA", private=True),)
    assert section(build_recap(group, session, [], {}, include_private=False), "Asks").lines == []


# --- double labels ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed_text", "part", "shown"),
    [
        ("Q: is there a deadline?", "questions", "Q: is there a deadline?"),
        ("q:is there a deadline?", "questions", "q:is there a deadline?"),
        ("Question: who signs off?", "questions", "Question: who signs off?"),
        ("Advice: get it in writing", "advice", "Advice: get it in writing"),
        ("ADVICE : ask early", "advice", "ADVICE : ask early"),
        ("get it in writing", "advice", "Advice: get it in writing"),
        ("who signs off?", "questions", "Question: who signs off?"),
        ("Quarterly report due", "questions", "Question: Quarterly report due"),
        ("Note: older note", None, "Note: older note"),
        ("an older note", None, "Note: an older note"),
    ],
)
def test_a_note_gets_one_label(typed_text: str, part: str | None, shown: str) -> None:
    assert labelled_note(typed_text, part) == shown


def test_recaps_never_double_a_label_the_person_typed() -> None:
    """``Advice: Advice: ...`` and ``Question: Q: ...`` were in every recap of the demo."""
    group = stored_group("G", ["Ana"])
    notes = [note("Q: is there a deadline?", part="questions"), note("Advice: ask", part="advice")]
    session = session_of([], [ask_with_notes(group.members[0].id, notes)])
    details = section(build_recap(group, session, [], {}), "Asks").lines[0].details
    assert [d.text for d in details] == ["Q: is there a deadline?", "Advice: ask"]
    text = render_text(group, [session], [])
    assert "Question: Q:" not in text and "Advice: Advice:" not in text


def test_the_demos_ask_notes_carry_no_label_of_their_own() -> None:
    """The demo predates stored parts: its notes said "Q: ..." and "Advice: ...",
    and a "Q:" note taken in the advice part read "Advice: Q: ..."."""
    for said in (*QUESTION_NOTES, *ADVICE_NOTES):
        assert labelled_note(said, "advice") == f"Advice: {said}", said
    demo = demo_history(today=pendulum.date(2026, 3, 10))
    sessions = read_sessions(demo.sessions)
    text = render_text(demo.group, sessions, demo.commitments(), include_private=True)
    shown = [line.strip() for line in text.splitlines()]
    questions = [s for s in shown if s.startswith("- Question: ")]
    advice = [s for s in shown if s.startswith("- Advice: ")]
    assert questions and advice
    for line in questions + advice:
        assert not any(line.split(": ", 1)[1].startswith(w) for w in ("Q:", "Advice:")), line


# --- a real session, through the store, to every recap -----------------------------------


def held_session(data_dir: Path) -> tuple[str, str]:
    """The demo group's next session by the engine: two updates with notes (one
    private), then ended and saved. Returns the group's id and name."""
    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    clock = FakeClock(MEETING_START)
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.PhaseJumped(phase="updates"))
    clock.advance(60)
    live.dispatch(ev.NoteAdded(note_id="n1", text=PUBLIC_NOTE))
    live.dispatch(ev.NoteAdded(note_id="n2", text=PRIVATE_NOTE, private=True))
    clock.advance(200)
    live.dispatch(ev.Next())
    clock.advance(30)
    live.dispatch(ev.NoteAdded(note_id="n3", text=SECOND_NOTE))
    live.dispatch(ev.PhaseJumped(phase="recap"))
    live.end()
    return group_id, group.name


def exported(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["export", "--data-dir", str(data_dir), *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_the_exports_show_update_notes_under_the_speaker_private_only_when_asked(
    data_dir: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    group_id, _ = held_session(data_dir)
    session = HistoryStore(data_dir).sessions(group_id)[-1]
    first, second = (HistoryStore(data_dir).find_group(group_id).name_of(t.member_id)
                     for t in session.turns[:2])  # fmt: skip
    public = exported(data_dir, capsys, group_id, "--format", fmt)
    lines = public.splitlines()
    heading = "## Updates" if fmt == "md" else "Updates"
    start = lines.index(heading)
    updates = "\n".join(lines[start : lines.index("", start + 2)])
    assert PUBLIC_NOTE in updates and SECOND_NOTE in updates
    assert PRIVATE_NOTE not in public
    # Each note under its speaker's update, one level in.
    speaker_mark = f"- **{first}**:" if fmt == "md" else f"  - {first}:"
    assert updates.index(speaker_mark) < updates.index(PUBLIC_NOTE)
    assert updates.index(PUBLIC_NOTE) < updates.index(second) < updates.index(SECOND_NOTE)
    note_line = next(line for line in lines if PUBLIC_NOTE in line)
    assert note_line.startswith("  - " if fmt == "md" else "    - ")

    everything = exported(data_dir, capsys, group_id, "--format", fmt, "--include-private")
    private_line = next(line for line in everything.splitlines() if PRIVATE_NOTE in line)
    assert private_line.endswith("_(private)_" if fmt == "md" else "(private)")


async def test_the_recap_phase_shows_update_notes_private_ones_tagged(data_dir: Path) -> None:
    """The Recap phase is shown in the room, where private items stay: tagged."""
    _, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await keys(pilot, "n", "n", "n")
        assert screen.live.meeting.phase.name == "updates"
        speaker = screen.live.meeting.speaker
        assert speaker is not None
        await keys(pilot, "t")
        await typed(pilot, PUBLIC_NOTE)
        await keys(pilot, "enter", "t")
        await typed(pilot, PRIVATE_NOTE)
        await keys(pilot, "enter", "exclamation_mark")
        assert [n.private for n in screen.live.meeting.turns[speaker].notes] == [False, True]
        screen.live.dispatch(ev.PhaseJumped(phase="recap"))
        screen.refresh_all()
        await pilot.pause()
        recap = plain(screen.query_one("#recap"))
        name = screen.live.meeting.setup.group.name_of(speaker)
        lines = recap.splitlines()
        updates = lines.index("Updates")
        speaker_line = next(i for i, line in enumerate(lines) if i > updates and name in line)
        assert lines[speaker_line + 1].strip() == f"◦ {PUBLIC_NOTE}"
        assert lines[speaker_line + 2].strip() == f"◦ {PRIVATE_NOTE} {PRIVATE_TAG}"
        screen.live.suspend()


async def wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, "not within the time allowed"
        await asyncio.sleep(0.05)


async def test_the_follow_windows_end_recap_shows_update_notes(data_dir: Path) -> None:
    _, group_id = demo_store(data_dir)
    app = create_app(data_dir=data_dir, settings=Settings(), start_group=group_id, mode="view")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ViewScreen)
        store = HistoryStore(data_dir)
        clock = FakeClock(MEETING_START)
        live = LiveSession.start(store, store.find_group(group_id), clock)
        live.dispatch(ev.PhaseJumped(phase="updates"))
        live.dispatch(ev.NoteAdded(note_id="n1", text=PUBLIC_NOTE))
        live.dispatch(ev.NoteAdded(note_id="n2", text=PRIVATE_NOTE, private=True))
        await wait_for(lambda: screen.last is not None and screen.last.status == "live")
        live.end()
        await wait_for(lambda: screen.last is not None and screen.last.status == "ended")
        await pilot.pause()
        recap = plain(screen.query_one("#view-recap-text"))
        assert "Updates" in recap
        assert f"◦ {PUBLIC_NOTE}" in recap
        assert f"◦ {PRIVATE_NOTE} {PRIVATE_TAG}" in recap, "as in the room: private, tagged"


def test_the_history_page_never_doubles_a_label_the_person_typed() -> None:
    """The session page labels an ask's notes as the recap does: "Question: Q: ..." was
    drawn there after the recaps stopped doing it."""
    from peersession.tui.widgets.history_blocks import note_lines

    typed, plain = note("Q: is there a deadline?", part="questions"), note("ask", part="advice")
    lines = [line.plain.strip() for line in note_lines([typed, plain])]
    assert lines == ["• Q: is there a deadline?", "• Advice: ask"]
