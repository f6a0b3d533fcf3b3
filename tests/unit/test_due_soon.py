"""A check-in leads with what is overdue and what is due in the next days.

The clock of these tests stands at 2026-03-05 17:00 UTC; seeding lets a day
pass and two weeks more, so "today" is 2026-03-20 (the tests run with TZ=UTC).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import msgspec
import pytest
from textual.widgets import OptionList, Static

from peersession.cli import checkin_cmd, main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.due_soon import DUE_SOON_DAYS, due_label, due_outlook
from peersession.core.model import Group
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.screens.checkin import CheckinScreen

from checkin_support import checkin_app

TODAY = date(2026, 3, 20)

#: (id, text, due), made in this order.
ANA = [
    ("d0000000000a", "Later: write the teaching statement", "2026-06-01"),
    ("d0000000000b", "Later: submit the K award", "2026-05-14"),
    ("d0000000000c", "Soon: send the chapter", "2026-03-24"),
    ("d0000000000d", "Overdue: reply to the dean", "2026-03-15"),
    ("d0000000000e", "Due today: book the room", "2026-03-20"),
    ("d0000000000f", "Most overdue: file the IRB", "2026-03-06"),
]


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    monkeypatch.setattr(checkin_cmd, "CLOCK", clock)


@pytest.fixture
def dated(store: HistoryStore, group: Group, clock: FakeClock) -> Group:
    live = LiveSession.start(store, group, clock)
    for commitment_id, text, due in ANA:
        clock.advance(1)
        live.dispatch(
            ev.CommitmentAdded(
                commitment_id=commitment_id, owner=group.members[0].id, text=text, due=due
            )
        )
    live.end()
    clock.advance(minutes=15 * 24 * 60)
    return group


EXPECTED_ORDER = ["d0000000000f", "d0000000000d", "d0000000000e", "d0000000000c"]


def test_the_outlook_splits_overdue_soon_and_the_rest(
    store: HistoryStore, dated: Group, clock: FakeClock
) -> None:
    docs = store.commitments(dated.id)
    outlook = due_outlook(docs, dated.members[0].id, TODAY)
    assert [d.id for d in outlook.overdue] == ["d0000000000f", "d0000000000d"]
    assert [d.id for d in outlook.due_soon] == ["d0000000000e", "d0000000000c"]
    # The rest in the order they are asked about: oldest made first.
    assert [d.id for d in outlook.rest] == ["d0000000000a", "d0000000000b"]
    assert outlook.headline() == f"2 overdue, 2 due in the next {DUE_SOON_DAYS} days"
    assert due_outlook(docs, dated.members[1].id, TODAY).headline() is None


def test_due_labels_say_how_late_or_how_soon(store: HistoryStore, dated: Group) -> None:
    by_id = {d.id: d for d in store.commitments(dated.id)}
    assert due_label(by_id["d0000000000f"], TODAY) == "14 days overdue"
    assert due_label(by_id["d0000000000e"], TODAY) == "due today"
    assert due_label(by_id["d0000000000c"], TODAY) == "due in 4 days"
    assert due_label(by_id["d0000000000b"], TODAY) == "due 2026-05-14"
    undated = msgspec.structs.replace(by_id["d0000000000a"], due=None)
    assert due_label(undated, TODAY) is None
    assert due_outlook([undated], dated.members[0].id, TODAY).rest == [undated]


def test_what_falls_due_in_a_leave_is_paused_not_overdue_nor_due_soon(
    store: HistoryStore, dated: Group
) -> None:
    from msgspec.structs import replace

    from peersession.core.lifecycle import Leave

    docs = store.commitments(dated.id)
    ana = replace(dated.members[0], leave=(Leave(date(2026, 3, 10), date(2026, 3, 31)),))
    outlook = due_outlook(docs, ana.id, TODAY, owner=ana)
    # Due on the 15th, the 20th and the 24th (in the leave): paused. The 6th was before it.
    assert [d.id for d in outlook.overdue] == ["d0000000000f"]
    assert outlook.due_soon == []
    assert {"d0000000000d", "d0000000000e", "d0000000000c"} <= {d.id for d in outlook.rest}
    by_id = {d.id: d for d in docs}
    assert due_label(by_id["d0000000000d"], TODAY, ana) == "paused (due 2026-03-15, on leave)"
    assert due_label(by_id["d0000000000f"], TODAY, ana) == "14 days overdue"


def test_a_week_ahead_is_due_soon_and_a_day_more_is_not(store: HistoryStore, dated: Group) -> None:
    [doc] = [d for d in store.commitments(dated.id) if d.id == "d0000000000c"]
    member = dated.members[0].id
    edge = date(2026, 3, 24 - DUE_SOON_DAYS)
    assert doc in due_outlook([doc], member, edge).due_soon
    assert doc in due_outlook([doc], member, date(2026, 3, 23 - DUE_SOON_DAYS)).rest


def test_checkin_list_leads_with_overdue_then_due_soon(
    data_dir: Path, dated: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["checkin", "--data-dir", str(data_dir), "-m", "Ana", "--list"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == (
        "Ana's open commitments in Thursday Circle (2 overdue, 2 due in the next 7 days):"
    )
    assert out[1] == " overdue:"
    assert out[2] == "  d0000000000f  Most overdue: file the IRB  (14 days overdue)"
    assert out[3] == "  d0000000000d  Overdue: reply to the dean  (5 days overdue)"
    assert out[4] == " due soon:"
    assert out[5] == "  d0000000000e  Due today: book the room  (due today)"
    assert out[6] == "  d0000000000c  Soon: send the chapter  (due in 4 days)"
    assert out[7] == " later:"
    assert out[8:] == [
        "  d0000000000a  Later: write the teaching statement  (due 2026-06-01)",
        "  d0000000000b  Later: submit the K award  (due 2026-05-14)",
    ]


def test_checkin_list_json_carries_the_counts_and_the_same_order(
    data_dir: Path, dated: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["checkin", "--data-dir", str(data_dir), "-m", "Ana", "--list", "--json"])
    view = json.loads(capsys.readouterr().out)
    assert (view["overdue"], view["due_soon"]) == (2, 2)
    assert [c["id"] for c in view["commitments"]][:4] == EXPECTED_ORDER


async def test_the_checkin_screen_lists_overdue_and_due_soon_first(
    data_dir: Path, dated: Group, clock: FakeClock
) -> None:
    app = checkin_app(data_dir, clock, dated, dated.members[0].id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        intro = str(screen.query_one("#answers-intro", Static).render())
        assert intro.startswith("2 overdue, 2 due in the next 7 days (listed first)")
        options = screen.query_one("#commitments", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[:4] == EXPECTED_ORDER
        first = str(options.get_option_at_index(0).prompt)
        assert "file the IRB" in first and "14 days overdue" in first
        # The first key answers the most overdue one.
        await pilot.press("d")
        assert screen.answers == {"d0000000000f": "done"}
