"""Where check-ins go: the next session's Review starts from them, and the
facilitator confirms or corrects each answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from peersession.cli import checkin_cmd, main
from peersession.core.clock import FakeClock
from peersession.core.commitment_state import commitment_status
from peersession.core.model import Group
from peersession.core.record_types import stored
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.app import create_app
from peersession.tui.screens.meeting import MeetingScreen

from checkin_support import ANA_FIRST, ANA_SECOND, BO_ONLY, checkin_app, seed_commitments


@pytest.fixture
def checked_in(
    data_dir: Path,
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> Group:
    """Ana checks in from the command line: half done, not yet, with an update."""
    seed_commitments(store, group, clock)
    monkeypatch.setattr(checkin_cmd, "CLOCK", clock)
    answers = ["--partial", ANA_FIRST, "--not-done", ANA_SECOND, "--note", "Halfway [b]there[/b]"]
    code = main(["checkin", "--data-dir", str(data_dir), "--member", "Ana", *answers])
    assert code == 0
    clock.advance(minutes=60)
    return group


def test_the_next_review_is_prefilled_with_the_answers(
    store: HistoryStore, checked_in: Group, clock: FakeClock
) -> None:
    [checkin] = store.checkins(checked_in.id)
    live = LiveSession.start(store, checked_in, clock)
    try:
        items = {item.commitment_id: item for item in live.meeting.setup.review_items}
    finally:
        live.suspend()
    first, second = items[ANA_FIRST], items[ANA_SECOND]
    assert (first.prefill_status, first.prefill_note) == ("partial", "Halfway [b]there[/b]")
    assert first.prefill_at == checkin.at
    assert second.prefill_status == "not_done"
    assert items[BO_ONLY].prefill_status is None  # Bo did not check in


async def test_the_screen_checkin_prefills_the_review_too(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("b", "h", "enter")
        await pilot.pause()
    live = LiveSession.start(store, group, clock)
    try:
        item = live.meeting.review_item(BO_ONLY)
    finally:
        live.suspend()
    assert item.prefill_status == "partial"


def test_a_done_answer_is_a_dated_review_not_a_silent_change(
    data_dir: Path,
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_commitments(store, group, clock)
    monkeypatch.setattr(checkin_cmd, "CLOCK", clock)
    assert main(["checkin", "--data-dir", str(data_dir), "-m", "Bo", "--done", "b0"]) == 0
    [checkin] = store.checkins(group.id)
    bo = next(c for c in store.commitments(group.id) if c.id == BO_ONLY)
    assert commitment_status(bo) == "done"
    assert [stored(r) for r in bo.reviews] == [
        {"at": checkin.at, "status": "done", "source": "checkin", "source_id": checkin.id}
    ]


async def test_the_facilitator_confirms_one_answer_and_corrects_another(
    data_dir: Path, store: HistoryStore, checked_in: Group, clock: FakeClock
) -> None:
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings(), start_group=checked_in.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        await pilot.press("n", "n")  # opening → wins → review
        assert screen.live.meeting.phase.name == "review"
        order = [item.commitment_id for item in screen.live.meeting.setup.review_items]
        assert order == [ANA_FIRST, ANA_SECOND, BO_ONLY]  # by member, the first highlighted
        await pilot.press("enter")  # accept the check-in's "partial"
        await pilot.press("d")  # "not yet" said the check-in; it is in fact done
        reviews = screen.live.meeting.reviews
        assert reviews[ANA_FIRST].status == "partial"
        assert reviews[ANA_SECOND].status == "done"
        # End here (the rest of the meeting is another test's): commit the
        # session as the recap's "end" would, so the app has nothing to suspend.
        screen.live.end()
        app.live = None
    by_id = {c.id: c for c in store.commitments(checked_in.id)}
    assert [(r.status, r.source) for r in by_id[ANA_FIRST].reviews] == [
        ("partial", "checkin"),
        ("partial", "session"),
    ]
    assert [(r.status, r.source) for r in by_id[ANA_SECOND].reviews] == [
        ("not_done", "checkin"),
        ("done", "session"),
    ]
