"""The group's own review on screen (issue 25): the goals review phase and the
health check at the Close, driven by keys with Pilot, and the history's health
trend. Pictured at 80x24 and 160x50, with what each picture must show
asserted beside it (read back from the screen, not from the picture)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace
from textual.pilot import Pilot
from textual.widgets import Static

from peersession.core import events as ev
from peersession.core.goals import new_goal
from peersession.core.health import QUESTIONS
from peersession.store import goals as goal_store
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp
from peersession.tui.screens.meeting import MeetingScreen
from peersession.tui.widgets.goals_review import GoalsPanel
from peersession.tui.widgets.health import HealthGrid
from peersession.tui.widgets.marklist import MarkList

from history_support import history_app, keys_then_settle, seed
from pilot_support import keys
from room_support import plain
from snapshot_support import drive, meeting_app

AT = "2026-01-08T18:00:00+00:00"
#: The demo's next session is its tenth.
NEXT = 10


def review_app(data_dir: Path, *, anonymous: bool = False) -> tuple[PeersessionApp, Any]:
    """The demo's next session with a health check and a goals review due, and
    three active goals (one of them markup, shown literally)."""
    app, clock = meeting_app(data_dir)
    store = HistoryStore(data_dir)
    group = store.groups()[0]
    store.save_group(
        replace(group, health_every=NEXT, health_anonymous=anonymous, goals_review_every=NEXT)
    )
    members = group.members
    for i, title in enumerate(("Associate professor by 2027", "R01 funded", "[b]Lead[/b] a panel")):
        goal = new_goal(
            goal_id=f"goal-{i}", group_id=group.id, owner=members[i].id, title=title,
            by=None, measure=None, private=False, at=AT,
        )  # fmt: skip
        goal_store.add_goal(store, goal)
    return app, clock


def meeting_of(app: Any) -> MeetingScreen:
    screen = next(s for s in app.screen_stack if isinstance(s, MeetingScreen))
    assert isinstance(screen, MeetingScreen)
    return screen


def console_text(app: Any) -> str:
    return "\n".join(plain(s) for s in meeting_of(app).query(Static) if s.display)


async def test_the_goals_review_is_marked_one_key_a_goal(data_dir: Path) -> None:
    app, _ = review_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        meeting = meeting_of(app).meeting
        names = [p.kind.name for p in meeting.phases]
        assert names[names.index("review") + 1] == "goals"
        await keys(pilot, ">", ">", ">")
        assert meeting_of(app).meeting.phase.name == "goals"
        await keys(pilot, "o", "b", "r")
        meeting = meeting_of(app).meeting
        said = meeting.goal_reviews
        # In the order shown (the speaking order), one key each, the cursor moving on.
        statuses = [said[g.goal_id].status for g in meeting.goals_to_review()]
        assert statuses == ["on_track", "behind", "reached"]
        journal = [e.action for e in meeting_of(app).meeting.entries]
        assert sum(isinstance(a, ev.GoalReviewed) for a in journal) == 3


async def test_the_health_check_is_typed_a_digit_a_cell_and_says_how_far(data_dir: Path) -> None:
    app, _ = review_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, *[">"] * 7)
        screen = meeting_of(app)
        assert screen.meeting.phase.name == "close" and screen.meeting.has_health_check
        assert "Health check this session: 0 of" in console_text(app)
        await keys(pilot, "h")
        assert screen.query_one(HealthGrid).has_focus
        # The keys line says the grid's keys at once, before any answer.
        assert "1–5 score" in str(screen.query_one("#hint").render())
        await keys(pilot, "5", "4", "3", "2", "1", "9", "4")
        meeting = screen.meeting
        first, second = meeting.attended[:2]
        assert meeting.health_scores[first] == dict(zip(QUESTIONS, (5, 4, 3, 2, 1), strict=True))
        # 9 is refused (one line) and the cursor stays; 4 then scores the cell.
        assert meeting.health_scores[second] == {"safe": 4}
        assert f"1 of {len(meeting.attended)} members answered" in console_text(app)
        # h goes back to the ratings: digits rate again.
        await keys(pilot, "h")
        assert "rate (0 = 10)" in str(screen.query_one("#hint").render())
        await keys(pilot, "8")
        assert screen.meeting.ratings[first] == 8


async def test_an_anonymous_check_takes_counts_and_names_no_one(data_dir: Path) -> None:
    app, _ = review_app(data_dir, anonymous=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, *[">"] * 7, "h", "0", "0", "1", "3", "2", "plus")
        meeting = meeting_of(app).meeting
        assert meeting.health_counts == {"safe": [0, 0, 1, 3, 2], "focus": [1, 0, 0, 0, 0]}
        shown = plain(meeting_of(app).query_one(HealthGrid))
        assert not any(m.name in shown for m in meeting.setup.group.members)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_goals_review_phase(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    app, clock = review_app(data_dir)
    pressed = drive(clock, [">", ">", ">", "o", "b"])

    async def run_before(pilot: Pilot[Any]) -> None:
        await pressed(pilot)
        panel = meeting_of(pilot.app).query_one(GoalsPanel)
        text = "\n".join(plain(s) for s in panel.query(Static))
        # Every goal in sight with where it stands; markup in a title shown literally.
        assert "2 of 3 said" in text
        listing = panel.query_one("#goals", MarkList)
        rows = [str(getattr(listing.get_option_at_index(i).prompt, "plain", "")) for i in range(3)]
        assert [r.split()[0] for r in rows] == ["on", "behind", "·"]
        assert any("[b]Lead[/b] a panel" in r for r in rows)
        assert listing.region.height >= 3

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_health_check_at_the_close(
    snap_compare: Any, data_dir: Path, size: tuple[int, int]
) -> None:
    app, clock = review_app(data_dir)
    pressed = drive(clock, [*[">"] * 7, "h", "5", "4", "3", "2", "5", "4", "4"])

    async def run_before(pilot: Pilot[Any]) -> None:
        await pressed(pilot)
        screen = meeting_of(pilot.app)
        grid = screen.query_one(HealthGrid)
        drawn = plain(grid)
        # Every member present has a row in sight, and the question under the cursor is named.
        for member_id in screen.meeting.attended:
            name = screen.meeting.name(member_id)
            assert name[:10] in drawn, f"{name} not in sight"
        assert grid.region.bottom <= screen.region.bottom
        assert "Balance: The balance of personal and professional is right" in console_text(
            pilot.app
        )

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def with_checks(data_dir: Path) -> str:
    """The demo history with a check at sessions 3, 6 and 9 (the schedule falling)."""
    history = seed(data_dir)
    store = HistoryStore(data_dir)
    group_id = history.group.id

    def add_checks(db: Any) -> set[str]:
        table = db.table("sessions", cache_size=0)
        docs = sorted(table.all(), key=lambda d: d["started_at"])
        changed = set()
        for number, doc in enumerate(docs, 1):
            if number % 3:
                continue
            schedule = {3: 4, 6: 3, 9: 2}[number]
            here = [m for m, s in doc["attendance"].items() if s != "absent"]
            scores = {m: {q: schedule if q == "schedule" else 4 for q in QUESTIONS} for m in here}
            table.update({"health": {"anonymous": False, "scores": scores}}, doc_ids=[doc.doc_id])
            changed.add(doc["id"])
        return changed

    store.change_records(group_id, add_checks)
    return group_id


async def test_the_history_shows_each_questions_trend(data_dir: Path) -> None:
    group_id = with_checks(data_dir)
    app, _ = history_app(data_dir, group_id)
    async with app.run_test(size=(160, 50)) as pilot:
        await keys_then_settle()(pilot)
        line = plain(app.screen.query_one("#history-health", Static))
        assert line.startswith("Health (3 checks)")
        assert "Schedule ▆▄▁ 2.0↓" in line or ("Schedule" in line and "2.0↓" in line)
        assert "Safe" in line and "4.0→" in line


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_history_with_health_trend(
    snap_compare: Any, data_dir: Path, size: tuple[int, int]
) -> None:
    group_id = with_checks(data_dir)
    app, _ = history_app(data_dir, group_id)
    settle = keys_then_settle()

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        shown = pilot.app.screen.query_one("#history-health", Static)
        # The trend sits right under the ratings, whole, at both sizes.
        assert (
            shown.display
            and shown.region.y == pilot.app.screen.query_one("#history-trends").region.bottom
        )
        assert "2.0↓" in plain(shown)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_a_goals_block_on_the_member_page_says_what_the_reviews_said(
    data_dir: Path,
) -> None:
    from test_history_goals import SERVING, member_keys, page_blocks, seed_goals

    demo, _, _, _ = seed_goals(data_dir)
    store = HistoryStore(data_dir)

    def said(db: Any) -> set[str]:
        table = db.table("sessions", cache_size=0)
        docs = sorted(table.all(), key=lambda d: d["started_at"])
        for doc, status, note in (
            (docs[-2], "behind", None),
            (docs[-1], "on_track", "[b]Dossier[/b] in"),
        ):
            review = {"status": status, "at": doc["ended_at"], **({"note": note} if note else {})}
            table.update({"goal_reviews": {SERVING: review}}, doc_ids=[doc.doc_id])
        return {docs[-2]["id"], docs[-1]["id"]}

    store.change_records(demo.group.id, said)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await keys_then_settle(*member_keys(demo))(pilot)
        serving = next(b.content_shown.plain for b in page_blocks(pilot) if b.targets == {SERVING})
        # Both standings, oldest first, each dated by its session.
        assert "said: behind 12 Feb 2026 · on track 5 Mar 2026" in serving
        assert "[b]Dossier[/b] in" in serving, "the note, literally"
