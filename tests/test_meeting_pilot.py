"""A whole meeting driven by keys alone, as a facilitator would run it."""

from __future__ import annotations

from pathlib import Path

from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.meeting import MeetingScreen


def make_app(data_dir: Path, clock: FakeClock, group: Group | None = None) -> PeersessionApp:
    return create_app(
        data_dir=data_dir,
        clock=clock,
        settings=Settings(),
        start_group=group.id if group else None,
    )


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press(char if char != " " else "space")


async def test_whole_meeting_by_keyboard(
    data_dir: Path, clock: FakeClock, group: Group, store: HistoryStore
) -> None:
    app = make_app(data_dir, clock, group)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        meeting = screen.live.meeting
        assert meeting.phase == "opening"
        # Opening: Cy is late.
        await pilot.press("down", "down", "l")
        assert screen.live.meeting.attendance[group.members[2].id] == "late"
        # On to updates (opening → wins → review → updates).
        await pilot.press("n", "n", "n")
        assert screen.live.meeting.phase == "updates"
        assert screen.live.meeting.speaker == group.members[0].id
        clock.advance(minutes=3)
        # A note on Ana's turn.
        await pilot.press("t")
        await type_text(pilot, "Grant [b]resubmitted[/b]")
        await pilot.press("enter")
        await pilot.pause()
        notes = screen.live.meeting.turns[group.members[0].id].notes
        assert [n.text for n in notes] == ["Grant [b]resubmitted[/b]"]
        # Cy arrives late: added to the queue.
        await pilot.press("l")
        await pilot.press("y", "escape")  # the dialog opens on Cy, not here yet
        assert group.members[2].id in screen.live.meeting.queue
        # Ana asks for help (the form defaults to the speaker).
        await pilot.press("a")
        await type_text(pilot, "Which journal?")
        await pilot.press("enter")
        await pilot.pause()
        assert len(screen.live.meeting.ask_queue) == 1
        await pilot.press("n")  # Bo
        clock.advance(minutes=2)
        await pilot.press("n")  # Cy
        clock.advance(minutes=2)
        await pilot.press("n")  # → asks
        assert screen.live.meeting.phase == "asks"
        await pilot.press("n")  # hot seat: questions
        clock.advance(minutes=4)
        await pilot.press("n")  # advice
        clock.advance(minutes=7)
        assert screen.live.meeting.timer(clock.now()).state == "overtime"
        await pilot.press("v")
        await type_text(pilot, "2")
        await pilot.press("enter")
        await pilot.pause()
        ask = next(iter(screen.live.meeting.asks.values()))
        assert ask.extensions and ask.extensions[0]["granted"]
        await pilot.press("n")  # advice done → outcome form
        await type_text(pilot, "I will send it to JAMA")
        await pilot.press("enter")
        await pilot.pause()
        assert ask.part == "done" or screen.live.meeting.asks[ask.id].part == "done"
        commitments = list(screen.live.meeting.commitments.values())
        assert [c.text for c in commitments] == ["I will send it to JAMA"]
        await pilot.press("n")  # → commitments
        assert screen.live.meeting.phase == "commitments"
        # Bo gets a commitment through the commitments list.
        # (Ana's row, then her commitment from the ask, then Bo's row.)
        await pilot.press("down", "down", "enter")
        await type_text(pilot, "Draft the abstract")
        await pilot.press("enter")
        await pilot.pause()
        owners = {c.owner for c in screen.live.meeting.commitments.values()}
        assert group.members[1].id in owners
        await pilot.press("n")  # Cy has none: confirm
        await pilot.press("y")
        assert screen.live.meeting.phase == "close"
        await pilot.press("8", "9", "0")
        assert sorted(screen.live.meeting.ratings.values()) == [8, 9, 10]
        await pilot.press("n")
        assert screen.live.meeting.phase == "recap"
        await pilot.press("e", "y")
        await pilot.pause()
        assert not isinstance(app.screen, MeetingScreen)
    sessions = store.sessions(group.id)
    assert len(sessions) == 1
    session = sessions[0]
    assert session["turns"][0]["notes"][0]["text"] == "Grant [b]resubmitted[/b]"
    assert session["asks"][0]["outcome"] == "I will send it to JAMA"
    assert session["attendance"][group.members[2].id] == "late"
    assert len(store.commitments(group.id)) == 2
    assert not store.layout.journal_file(group.id).exists()
