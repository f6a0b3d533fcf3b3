"""The issues' "done when" walks, as Pilot tests on the demo group (8 members)."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot

from peersession.cli import main
from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.meeting import MeetingScreen

from snapshot_support import MEETING_START, demo_store


async def keys(pilot: Pilot[int], *presses: str) -> None:
    for press in presses:
        await pilot.press(press)
    await pilot.pause()


async def typed(pilot: Pilot[int], text: str) -> None:
    await keys(pilot, *[c if c != " " else "space" for c in text])


def meeting_of(app: PeersessionApp) -> MeetingScreen:
    screen = app.screen
    assert isinstance(screen, MeetingScreen), screen
    return screen


async def test_a_full_session_for_eight_by_keyboard(data_dir: Path, capsys: object) -> None:
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
        await keys(pilot, "n")  # second speaker
        clock.advance(240)
        await keys(pilot, "x")  # third speaker passes
        # The late member arrives and joins the queue.
        await keys(pilot, "l", *["down"] * late_row, "y", "escape")
        assert late in screen.live.meeting.queue
        while screen.live.meeting.phase == "updates":
            clock.advance(230)
            await keys(pilot, "n")
        assert screen.live.meeting.phase == "asks"
        # Ask one: questions, advice, overtime, one extension, outcome.
        await keys(pilot, "n")
        clock.advance(200)
        await keys(pilot, "n")
        clock.advance(420)
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
        # Commitments: everyone gets one (the asker already has one).
        await keys(pilot, "n")
        while missing := screen.live.meeting.members_without_commitment():
            row = screen.live.meeting.attended.index(missing[0])
            await keys(pilot, "home", *["down"] * row, "enter")
            await typed(pilot, "One step")
            await keys(pilot, "enter")
            assert screen.live.meeting.members_without_commitment() != missing
        assert screen.live.meeting.members_without_commitment() == []
        await keys(pilot, "n")
        assert screen.live.meeting.phase == "close"
        await keys(pilot, *"98079878"[: len(screen.live.meeting.attended)])
        await keys(pilot, "n")
        assert screen.live.meeting.phase == "recap"
        recap = str(screen.query_one("#recap").render())
        assert "R01 funded" in recap and "I will submit to JAMA" in recap
        await keys(pilot, "e", "y")
    history = HistoryStore(data_dir)
    session = history.sessions(group_id)[-1]
    assert session["attendance"][late] == "late"
    assert any(t["passed"] for t in session["turns"])
    assert len(session["asks"]) == 2 and session["asks"][0]["extensions"][0]["granted"]
    assert any(n["private"] for t in session["turns"] for n in t["notes"])
    code = main(["export", group_id, "--last", "--format", "json", "--data-dir", str(data_dir)])
    out = capsys.readouterr().out  # type: ignore[attr-defined]
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
        assert [p.kind for p in meeting.phases] == [
            "opening",
            "review",
            "updates",
            "commitments",
            "recap",
        ]
        clock.advance(50)
        await keys(pilot, "n")  # → a brief review of last time's commitments
        assert screen.live.meeting.phase == "review"
        clock.advance(50)
        await keys(pilot, "n")
        while screen.live.meeting.phase == "updates":
            assert 45 <= screen.live.meeting.turn_seconds() <= 90
            clock.advance(screen.live.meeting.turn_seconds())
            await keys(pilot, "n")
        clock.advance(40)
        await keys(pilot, "n", "y")
        assert screen.live.meeting.phase == "recap"
        elapsed = (clock.now() - MEETING_START).total_seconds()
        assert elapsed <= 600
        await keys(pilot, "e", "y")
    assert len(store.sessions(group_id)) == 10
