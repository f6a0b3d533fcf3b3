"""A whole session by keyboard, as Pilot tests on the demo group (8 members).

The full walk is the suite's one end-to-end session by keyboard: every phase,
a late arrival, a pass, a private and a markup-looking note, two asks (one
overtime and extended), a member left without a commitment (confirmed), the
ratings, the end, and the export.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peersession.cli import main
from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.marklist import MarkList

from pilot_support import keys, typed
from snapshot_support import MEETING_START, demo_store


def meeting_of(app: PeersessionApp) -> MeetingScreen:
    screen = app.screen
    assert isinstance(screen, MeetingScreen), screen
    return screen


def phase_of(screen: MeetingScreen) -> str:
    # A function, not the attribute, so mypy does not narrow the phase
    # between one assertion and the next as if it could not change.
    return screen.live.meeting.phase.name


async def test_a_full_session_for_eight_by_keyboard(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    assert len(group.members) == 8
    clock = FakeClock(MEETING_START)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = meeting_of(app)
        late = screen.live.meeting.setup.order[3]
        late_row = [m.id for m in group.members].index(late)
        # Opening: the fourth speaker is late.
        await keys(pilot, *["down"] * late_row, "l")
        assert late not in screen.live.meeting.here
        # Wins: one grant (the form starts at "whose win").
        await keys(pilot, "n", "w", "enter", "down", "enter")  # the first member
        await keys(pilot, "tab", "enter", "down", "down", "enter")  # other → promotion → grant
        await keys(pilot, "tab")
        await typed(pilot, "R01 funded")
        await keys(pilot, "enter")
        assert [w.kind for w in screen.live.meeting.wins] == ["grant"]
        # Review: mark the first two.
        await keys(pilot, "n", "d", "h")
        assert len(screen.live.meeting.reviews) == 2
        # Updates: first speaker, with a private note.
        await keys(pilot, "n")
        first = screen.live.meeting.speaker
        assert first is not None
        clock.advance(200)
        await keys(pilot, "t")
        await typed(pilot, "confidential detail")
        await keys(pilot, "tab", "space", "enter")
        assert screen.live.meeting.turns[first].notes[0].private is True
        # Two asks queued during the updates.
        for text in ("Which journal", "How to say no"):
            await keys(pilot, "a")
            await typed(pilot, text)
            await keys(pilot, "enter")
        assert len(screen.live.meeting.ask_queue) == 2
        await keys(pilot, "n")  # second speaker, with a note that looks like markup
        second = screen.live.meeting.speaker
        await keys(pilot, "t")
        await typed(pilot, "Grant [b]resubmitted[/b]")
        await keys(pilot, "enter")
        assert second is not None
        assert [n.text for n in screen.live.meeting.turns[second].notes] == [
            "Grant [b]resubmitted[/b]"
        ]
        clock.advance(240)
        await keys(pilot, "x")  # third speaker passes
        # The late member arrives and joins the queue.
        # (The dialog opens on the first member not here yet: the late one.)
        await keys(pilot, "l", "y", "escape")
        assert late in screen.live.meeting.queue
        while phase_of(screen) == "updates":
            clock.advance(230)
            await keys(pilot, "n")
        assert phase_of(screen) == "asks"
        # Ask one: questions, advice, overtime, one extension, outcome.
        await keys(pilot, "n")
        clock.advance(200)
        await keys(pilot, "n")
        clock.advance(480)
        assert screen.live.meeting.timer(clock.now()).state == "overtime"
        await keys(pilot, "v")
        await typed(pilot, "6")
        await keys(pilot, "enter")
        clock.advance(100)
        await keys(pilot, "n")
        await typed(pilot, "I will submit to JAMA")
        await keys(pilot, "enter")
        # Ask two: no outcome.
        await keys(pilot, "n")
        clock.advance(180)
        await keys(pilot, "n")
        clock.advance(300)
        await keys(pilot, "n", "enter")
        asks = list(screen.live.meeting.asks.values())
        assert [a.part for a in asks] == ["done", "done"]
        assert [e["granted"] for e in asks[0].extensions] == [True]
        # Commitments: all but one get one (the asker already has one) ...
        await keys(pilot, "n")
        while len(missing := screen.live.meeting.members_without_commitment()) > 1:
            rows = screen.query_one("#commitments", MarkList)
            row = rows.get_option_index(missing[0])  # members' rows, then their commitments
            await keys(pilot, "home", *["down"] * row, "enter")
            await typed(pilot, "One step")
            await keys(pilot, "enter")
            assert screen.live.meeting.members_without_commitment() != missing
        # ... and moving on without the last one's asks for a confirmation.
        without = screen.live.meeting.members_without_commitment()
        await keys(pilot, "n")
        assert phase_of(screen) == "commitments"
        await keys(pilot, "y")
        assert phase_of(screen) == "close"
        ratings = "98079878"[: len(screen.live.meeting.attended)]
        await keys(pilot, *ratings)
        assert sorted(screen.live.meeting.ratings.values()) == sorted(int(r) or 10 for r in ratings)
        await keys(pilot, "n")
        assert phase_of(screen) == "recap"
        recap = str(screen.query_one("#recap").render())
        assert "R01 funded" in recap and "I will submit to JAMA" in recap
        await keys(pilot, "e", "y")
        assert not isinstance(app.screen, MeetingScreen)
    history = HistoryStore(data_dir)
    assert not history.layout.journal_file(group_id).exists()
    session = history.sessions(group_id)[-1]
    made = {c.owner for c in history.commitments(group_id) if c.made_in == session.id}
    assert without and without[0] not in made
    assert any(n.text == "Grant [b]resubmitted[/b]" for t in session.turns for n in t.notes)
    assert session.attendance[late] == "late"
    assert any(t.passed for t in session.turns)
    assert len(session.asks) == 2 and session.asks[0].extensions[0].granted
    assert any(n.private for t in session.turns for n in t.notes)
    code = main(["export", group_id, "--last", "--format", "json", "--data-dir", str(data_dir)])
    out = capsys.readouterr().out
    assert code == 0
    exported = json.loads(out)["sessions"][0]
    assert "confidential detail" not in out
    assert len(exported["asks"]) == 2 and exported["wins"][0]["text"] == "R01 funded"


async def test_the_quick_template_fits_eight_in_ten_minutes(data_dir: Path) -> None:
    store, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id, template="quick"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = meeting_of(app)
        meeting = screen.live.meeting
        assert meeting.setup.template.name == "quick"
        assert [p.kind.name for p in meeting.phases] == [
            "opening",
            "review",
            "updates",
            "commitments",
            "recap",
        ]
        clock.advance(50)
        await keys(pilot, "n")  # → a brief review of last time's commitments
        assert phase_of(screen) == "review"
        clock.advance(50)
        await keys(pilot, "n")
        while phase_of(screen) == "updates":
            assert 45 <= screen.live.meeting.turn_seconds() <= 90
            clock.advance(screen.live.meeting.turn_seconds())
            await keys(pilot, "n")
        clock.advance(40)
        await keys(pilot, "n", "y")
        assert phase_of(screen) == "recap"
        elapsed = (clock.now() - MEETING_START).total_seconds()
        assert elapsed <= 600
        await keys(pilot, "e", "y")
    assert len(store.sessions(group_id)) == 10
