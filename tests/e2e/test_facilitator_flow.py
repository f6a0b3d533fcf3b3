"""The facilitator's flow, driven by keys where it is keys: marking private,
votes to extend, renegotiating, setting aside, late arrivals, the recap.

Each test is named for the rule it guards (they came from issue #11's traps).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from msgspec.structs import replace
from textual.pilot import Pilot

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.phases import REVIEW, UPDATES
from peersession.core.templates import QUICK, AgendaDoesNotFit, fit_agenda
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession, restore, set_aside, set_aside_sessions
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.confirm import ConfirmScreen
from peersession.tui.screens.form import FormScreen, TickList
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.screens.resume import ResumeScreen
from peersession.tui.widgets.console import Console
from peersession.tui.widgets.marklist import MarkList

from engine_support import MeetingDriver, make_group
from pilot_support import Notice, keys, typed
from snapshot_support import MEETING_START, demo_store


def open_demo(data_dir: Path, template: str | None = None) -> tuple[PeersessionApp, FakeClock]:
    _, group_id = demo_store(data_dir)
    clock = FakeClock(MEETING_START)
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id, template=template
    )
    return app, clock


def screen_of(app: PeersessionApp) -> MeetingScreen:
    screen = app.screen
    assert isinstance(screen, MeetingScreen), screen
    return screen


def messages(app: PeersessionApp, notices: list[Notice]) -> list[str]:
    """Toasts, and the meeting console's one-line notice (where a meeting says things)."""
    said = [n.message for n in notices]
    for screen in app.screen_stack:
        if isinstance(screen, MeetingScreen):
            said.append(screen.query_one(Console).notice_text)
    return said


async def add_ask(pilot: Pilot[int], app: PeersessionApp, text: str) -> None:
    """``a``, the second member picked by typing, the ask, enter."""
    second = screen_of(app).live.meeting.setup.group.members[1].name
    await keys(pilot, "a", *second[:2].lower(), "tab")
    await typed(pilot, text)
    await keys(pilot, "enter")


async def goto(pilot: Pilot[int], app: PeersessionApp, phase: str) -> MeetingScreen:
    screen = screen_of(app)
    while screen.live.meeting.phase.name != phase:
        await keys(pilot, "greater_than_sign")
    return screen


async def test_bang_marks_review_and_commitment_items_private(
    data_dir: Path, notices: list[Notice]
) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await goto(pilot, app, "review")
        meeting = screen.live.meeting
        first = meeting.setup.review_items[0].commitment_id
        before = meeting.review_private(first)
        await keys(pilot, "exclamation_mark")
        assert screen.live.meeting.review_private(first) is not before
        screen = await goto(pilot, app, "commitments")
        await keys(pilot, "enter")
        await typed(pilot, "Send the draft")
        await keys(pilot, "enter")
        made = next(iter(screen.live.meeting.commitments.values()))
        assert not made.private
        await keys(pilot, "exclamation_mark")
        assert screen.live.meeting.commitments[made.id].private
        assert not any("nothing with that id" in m for m in messages(app, notices))
        group_id = screen.live.meeting.setup.group.id
        screen.live.end()
    stored = {c.id: c for c in HistoryStore(data_dir).commitments(group_id)}
    assert stored[first].private is not before
    assert stored[made.id].private is True


async def test_a_vote_to_extend_says_when_before_votes_are_typed(
    data_dir: Path, notices: list[Notice]
) -> None:
    app, clock = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await goto(pilot, app, "asks")
        await add_ask(pilot, app, "Which journal")
        await keys(pilot, "n")
        meeting = screen.live.meeting
        assert meeting.current_ask is not None
        await keys(pilot, "v")
        # Refused before any vote is typed, saying when it opens.
        assert isinstance(app.screen, MeetingScreen)
        assert any("opens in the last" in m for m in messages(app, notices))
        box = meeting.asks[meeting.current_ask].active_box
        assert box is not None
        clock.advance(box.remaining(clock.now()) - 5)
        await keys(pilot, "v")
        assert isinstance(app.screen, FormScreen)
        await typed(pilot, "5")
        await keys(pilot, "enter")
        ask = screen.live.meeting.asks[meeting.current_ask]
        assert ask.extensions and ask.extensions[0]["granted"]


async def test_renegotiate_tab_stops_at_the_date(data_dir: Path) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await goto(pilot, app, "review")
        item = screen.live.meeting.setup.review_items[0]
        # The trap: r, Tab, +3w put "+3w" at the end of the text.
        await keys(pilot, "r", "tab")
        await typed(pilot, "+3w")
        await keys(pilot, "enter")
        review = screen.live.meeting.reviews[item.commitment_id]
        assert review.status == "renegotiated"
        assert review.text is None
        assert review.due == MEETING_START.date().add(weeks=3).isoformat()


async def test_one_cursor_rule_in_attendance_and_review(data_dir: Path) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        members = [m.id for m in screen.live.meeting.setup.group.members]
        await keys(pilot, "down", "down", "down", "l", "down", "down", "down", "down", "x")
        attendance = screen.live.meeting.attendance
        assert attendance[members[3]] == "late"
        # ↓ stops at the last member instead of wrapping round to the first.
        assert attendance[members[7]] == "absent"
        assert attendance[members[0]] == "present"
        title = screen.query_one("#panel-opening .section").render()
        assert "a mark moves down one" in str(title)
        screen = await goto(pilot, app, "review")
        items = [i.commitment_id for i in screen.live.meeting.setup.review_items]
        await keys(pilot, "r")
        await typed(pilot, "+1w")
        await keys(pilot, "enter", "x")
        reviews = screen.live.meeting.reviews
        # r moved on like every other mark, so x did not undo the renegotiation.
        assert reviews[items[0]].status == "renegotiated"
        assert reviews[items[1]].status == "dropped"
        review_list = screen.query_one("#review", MarkList)
        assert review_list.highlighted == 2


async def test_setting_aside_asks_first_and_can_be_restored(
    data_dir: Path, capsys: pytest.CaptureFixture[str], a_terminal: None, notices: list[Notice]
) -> None:
    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    clock = FakeClock(MEETING_START)
    LiveSession.start(store, group, clock).suspend()
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await keys(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "--restore" in str(app.screen.question)
        assert "retired" in str(app.screen.question)
        await keys(pilot, "n")
        assert isinstance(app.screen, ResumeScreen)
        assert not set_aside_sessions(store, group)
        await keys(pilot, "d", "y")
        await pilot.pause()
        assert len(set_aside_sessions(store, group)) == 1
        assert any("--restore" in m for m in messages(app, notices))
        screen_of(app).live.end()  # the new session
    # Restoring brings the journal back to live/, to be resumed as it was.
    restored_from = restore(store, group)
    assert restored_from.suffix == ".discarded"
    assert store.layout.journal_file(group.id).exists()
    assert not set_aside_sessions(store, group)
    interrupted = LiveSession.interrupted(store, group)
    assert interrupted is not None
    # A second restore, with that session in progress, is one clear line and changes nothing.
    assert main(["start", group.name, "--restore", "--data-dir", str(data_dir)]) == 1
    assert "is in progress" in capsys.readouterr().err


def test_the_recap_is_never_in_overtime() -> None:
    d = MeetingDriver(make_group(3))
    d.act(ev.PhaseJumped(phase="recap"), after_seconds=10)
    d.advance(300)
    assert d.meeting.timer(d.now).state != "overtime"
    # The room's readout counts the recap up from zero instead of into the red.
    from peersession.core.readout import compute_readout

    readout = compute_readout(d.meeting, d.now)
    assert readout.state != "overtime" and readout.seconds == 300


async def test_commitments_show_absent_owners_and_carried_ones(data_dir: Path) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        meeting = screen.live.meeting
        members = [m.id for m in meeting.setup.group.members]
        await keys(pilot, "x")  # the first member is absent
        screen = await goto(pilot, app, "review")
        carried = meeting.setup.review_items[-1]
        await keys(pilot, *["down"] * (len(meeting.setup.review_items) - 1), "h")
        screen = await goto(pilot, app, "commitments")
        screen.act(ev.CommitmentAdded(commitment_id="c-absent", owner=members[0], text="Call"))
        await pilot.pause()
        rows = screen.query_one("#commitments", MarkList)
        ids = [rows.get_option_at_index(i).id for i in range(rows.option_count)]
        assert members[0] in ids and "c-absent" in ids
        assert carried.commitment_id in ids
        head = rows.get_option_at_index(rows.get_option_index(carried.owner)).prompt
        assert "no new one yet" in str(head) and "still open" in str(head)
        assert "none yet" not in str(head)


async def test_ending_early_says_what_is_not_done(data_dir: Path) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await goto(pilot, app, "commitments")
        await keys(pilot, "e")
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.question)
        assert "ratings not given" in question
        assert "next meeting's date is only proposed" in question
        assert "not reached: Close" in question


async def test_a_win_in_a_handful_of_keys(data_dir: Path) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await goto(pilot, app, "wins")
        member = screen.live.meeting.setup.group.members[4]
        # w, two letters of the name, tab, "g" for grant, tab, the text, enter.
        await keys(pilot, "w", *member.name[:2].lower(), "tab", "g", "tab")
        await typed(pilot, "R01")
        await keys(pilot, "enter")
        win = screen.live.meeting.wins[-1]
        assert (win.member_id, win.kind, win.text) == (member.id, "grant", "R01")


async def test_late_arrival_opens_on_who_is_not_here(data_dir: Path) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        late = screen.live.meeting.setup.group.members[5].id
        await keys(pilot, *["down"] * 5, "l", "n")
        await keys(pilot, "l")
        dialog = app.screen.query_one("#attendance-modal", MarkList)
        assert dialog.highlighted_option is not None
        assert dialog.highlighted_option.id == late
        await keys(pilot, "y", "escape")
        assert late in screen.live.meeting.here


def test_the_quick_round_reviews_last_commitments() -> None:
    assert REVIEW in QUICK.kinds
    assert QUICK.kinds.index(REVIEW) < QUICK.kinds.index(UPDATES)
    # ... and still fits eight in its ten minutes without starting behind.
    assert fit_agenda(QUICK, 10, 8) == QUICK
    d = MeetingDriver(make_group(8), template="quick")
    assert d.meeting.budget(d.now).behind_seconds <= 0


async def test_unticked_helpers_do_not_draw_an_x(data_dir: Path) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await goto(pilot, app, "asks")
        await add_ask(pilot, app, "Help")
        await keys(pilot, "n", "n", "n")  # start, advice, finish
        assert isinstance(app.screen, FormScreen)
        helpers = app.screen.query_one(TickList)
        first = "".join(s.text for s in helpers.render_line(0))
        assert "X" not in first[:4] and "✓" not in first[:4]
        helpers.select(helpers.get_option_at_index(0))
        await pilot.pause()
        assert "✓" in "".join(s.text for s in helpers.render_line(0))[:4]


def test_completion_says_what_it_counts() -> None:
    from peersession.core.accountability import Rate
    from peersession.tui.screens.history import done_phrase

    assert done_phrase(Rate(0, 0)) == "Done: nothing due or reviewed yet"
    assert "due or reviewed" in done_phrase(Rate(4, 9))
    assert "of due commitments" not in done_phrase(Rate(4, 9))


async def test_question_and_advice_notes_are_labelled_in_the_recap(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app, _ = open_demo(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await goto(pilot, app, "asks")
        await add_ask(pilot, app, "Which journal")
        await keys(pilot, "n", "t")
        await typed(pilot, "what is the impact factor")
        await keys(pilot, "enter", "n", "t")
        await typed(pilot, "try JAMA first")
        await keys(pilot, "enter")
        ask = next(iter(screen.live.meeting.asks.values()))
        assert [(n.part, n.member_id) for n in ask.notes] == [
            ("questions", ask.member_id),
            ("advice", ask.member_id),
        ]
        group = screen.live.meeting.setup.group
        screen.live.end()
    assert main(["export", group.name, "--format", "md", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    asker = group.name_of(ask.member_id)
    assert "Question: what is the impact factor" in out
    assert "Advice: try JAMA first" in out
    assert asker.split()[0] in out


def test_an_agenda_fits_its_meeting_or_says_by_how_much(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path / "d")]
    members = [a for name in "ABCDEFGH" for a in ("--member", name)]
    assert main(["group", "add", "G", *members, "--length", "10m", *d]) == 1
    err = capsys.readouterr().err
    assert "needs at least 25 minutes" in err and "15 more than 10" in err
    assert main(["group", "add", "G", *members, "--length", "40m", *d]) == 0
    assert "shortened to fit 40 minutes" in capsys.readouterr().out
    group = make_group(8)

    short = MeetingDriver(replace(group, length_minutes=40))
    budget = short.meeting.budget(short.now)
    assert budget.behind_seconds <= 0
    assert budget.turn_seconds >= short.setup.template.turn_min_seconds
    with pytest.raises(AgendaDoesNotFit):
        MeetingDriver(replace(group, length_minutes=10))


def test_export_takes_the_only_group_and_plurals_read_right(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_store(data_dir)
    out_file = data_dir.parent / "recap.md"
    assert main(["export", "--format", "md", "-o", str(out_file), "--data-dir", str(data_dir)]) == 0
    said = capsys.readouterr()
    assert "1 session of" in said.out + said.err
    assert "session(s)" not in said.out + said.err
    assert out_file.read_text().startswith("# ")
    demo_dir = data_dir.parent / "demo-here"
    # demo --data-dir writes the demo there (it used to be ignored); the app is not run here.
    from peersession.store.demo import make_demo_dir

    assert make_demo_dir(root=demo_dir) == demo_dir
    assert HistoryStore(demo_dir).groups()


async def test_a_session_set_aside_comes_back_from_the_resume_dialog(
    data_dir: Path,
) -> None:
    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    clock = FakeClock(MEETING_START)
    first = LiveSession.start(store, group, clock)
    first_id = first.meeting.session_id
    first.suspend()
    # Set aside by mistake; the new session is then interrupted too.
    set_aside(store, group)
    second = LiveSession.start(store, group, clock)
    second_id = second.meeting.session_id
    second.suspend()
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=group_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await keys(pilot, "o")
        assert isinstance(app.screen, ConfirmScreen)
        await keys(pilot, "y")
        await pilot.pause()
        assert screen_of(app).live.meeting.session_id == first_id
        screen_of(app).live.suspend()
        app.live = None
    kept = set_aside_sessions(store, group)
    assert [p.name.removeprefix(f"{group.id}-") for p in kept] == [f"{second_id}.discarded"]


def test_every_action_has_exactly_one_rule() -> None:
    from peersession.core import handlers
    from peersession.core.events import Action

    kinds = [k for k in Action.__subclasses__() if k.TYPE not in ("session_started", "undo")]
    assert kinds and handlers.unhandled(kinds) == []
    with pytest.raises(RuntimeError, match="two handlers"):
        handlers.handles(ev.Next)(lambda meeting, action, at: None)
