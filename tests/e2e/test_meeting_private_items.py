"""A whole meeting of eight by keys, every kind of item marked private once.

Exports leave all of them out, and show them (labelled) with ``--include-private``,
the notes of the turns and of the session included; the notes of an ask come out
labelled Question and Advice.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peersession.cli import main
from peersession.core.clock import FakeClock
from peersession.settings import Settings
from peersession.store.live import LiveSession
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen

from pilot_support import keys, typed
from snapshot_support import MEETING_START, demo_store

SECRETS = {
    "session note": "SECRET-opening-note",
    "win": "SECRET-win",
    "turn note": "SECRET-turn-note",
    "ask": "SECRET-ask",
    "question note": "SECRET-question",
    "commitment": "SECRET-commitment",
}
PUBLIC = {
    "advice note": "try the smaller journal first",
    "win": "Paper accepted",
    "ask": "Which journal next",
}


def phase_of(live: LiveSession) -> str:
    """The phase now (a call, so a type checker does not carry one assert to the next)."""
    return live.meeting.phase.name


async def test_a_meeting_of_eight_with_every_kind_of_item_private_once(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    clock = FakeClock(MEETING_START)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        live = screen.live
        names = [m.name for m in group.members]
        assert len(names) == 8

        # Opening: a note on the session, then ! marks it (not an attendance row).
        await keys(pilot, "t")
        await typed(pilot, SECRETS["session note"])
        await keys(pilot, "enter", "exclamation_mark")
        assert live.meeting.session_notes[-1].private
        clock.advance(240)

        # Wins: one public, one private (! on the new win, highlighted first).
        await keys(pilot, "n", "w", *names[1][:2].lower(), "tab", "p", "tab")
        await typed(pilot, PUBLIC["win"])
        await keys(pilot, "enter", "w", *names[2][:2].lower(), "tab", "g", "tab")
        await typed(pilot, SECRETS["win"])
        await keys(pilot, "enter", "exclamation_mark")
        assert [w.private for w in live.meeting.wins] == [False, True]
        clock.advance(240)

        # Review: a public earlier commitment is marked private, then done.
        await keys(pilot, "n")
        items = live.meeting.setup.review_items
        index = next(i for i, item in enumerate(items) if not item.private)
        reviewed = items[index]
        await keys(pilot, *["down"] * index, "exclamation_mark", "d")
        assert live.meeting.review_private(reviewed.commitment_id)
        clock.advance(300)

        # Updates: a note on the first speaker's turn, marked private with !.
        await keys(pilot, "n")
        assert phase_of(live) == "updates"
        await keys(pilot, "t")
        await typed(pilot, SECRETS["turn note"])
        await keys(pilot, "enter", "exclamation_mark")
        speaker = live.meeting.speaker
        assert speaker is not None and live.meeting.turns[speaker].notes[-1].private
        for _ in range(8):
            clock.advance(150)
            await keys(pilot, "n")
        assert phase_of(live) == "asks"

        # Asks: ! marks the ask in the hot seat private; a private question note
        # (the form's switch), a public advice note.
        await keys(pilot, "a", *names[3][:2].lower(), "tab")
        await typed(pilot, PUBLIC["ask"])
        await keys(pilot, "enter", "n", "exclamation_mark")
        ask_id = live.meeting.current_ask
        assert ask_id is not None and live.meeting.asks[ask_id].private
        await keys(pilot, "t")
        await typed(pilot, SECRETS["question note"])
        await keys(pilot, "tab", "space", "enter")
        clock.advance(200)
        await keys(pilot, "n", "t")
        await typed(pilot, PUBLIC["advice note"])
        await keys(pilot, "enter")
        notes = live.meeting.asks[ask_id].notes
        assert [(n.part, n.private) for n in notes] == [("questions", True), ("advice", False)]
        # The ask is private, which keeps its notes in the room too; make it
        # public again so the advice note can show what labelled notes look like.
        await keys(pilot, "exclamation_mark")
        assert not live.meeting.asks[ask_id].private
        clock.advance(400)
        await keys(pilot, "n", "enter")  # finish the ask: no outcome
        # The private ask of this walk is the next one.
        await keys(pilot, "a", *names[4][:2].lower(), "tab")
        await typed(pilot, SECRETS["ask"])
        # enter adds it, n: questions, ! marks it, n: advice, n + enter: finished.
        await keys(pilot, "enter", "n", "exclamation_mark", "n", "n", "enter")
        private_ask = [a for a in live.meeting.asks.values() if a.private]
        assert len(private_ask) == 1

        # Commitments: one added with enter, marked private with !.
        await keys(pilot, "n")
        assert phase_of(live) == "commitments"
        await keys(pilot, "enter")
        await typed(pilot, SECRETS["commitment"])
        await keys(pilot, "enter", "exclamation_mark")
        assert [c.private for c in live.meeting.commitments.values()] == [True]
        await keys(pilot, "n", "y")  # the others have none yet: move on anyway

        # Close: eight ratings, then the recap, then end.
        assert phase_of(live) == "close"
        await keys(pilot, *"87989789")
        assert len(live.meeting.ratings) == 8
        await keys(pilot, "n", "e", "y")
        await pilot.pause()
        assert not isinstance(app.screen, MeetingScreen)

    def export(*extra: str) -> str:
        assert main(["export", "--data-dir", str(data_dir), *extra]) == 0
        return capsys.readouterr().out

    secrets = [*SECRETS.values(), reviewed.text]
    for fmt in ("json", "md"):
        public = export("--format", fmt)
        assert [s for s in secrets if s in public] == []
        assert PUBLIC["win"] in public
        everything = export("--format", fmt, "--include-private")
        # The recap holds the notes too (of the turns and of the session), as
        # the bundle does: an absent member reading it misses none of them.
        assert [s for s in secrets if s not in everything] == []
    markdown = export("--format", "md")
    assert f"Advice: {PUBLIC['advice note']}" in markdown
    with_private = export("--format", "md", "--include-private")
    assert f"Question: {SECRETS['question note']} _(private)_" in with_private
    bundle = json.loads(export("--format", "json", "--include-private"))
    ask_notes = [n for a in bundle["sessions"][0]["asks"] for n in a["notes"]]
    assert {(n["part"], n["member_id"]) for n in ask_notes} == {
        ("questions", group.members[3].id),
        ("advice", group.members[3].id),
    }
