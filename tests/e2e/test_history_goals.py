"""A member's page shows their goals first (issue 25 item 1): each goal with the
commitments that serve it, how many are done, and the wins that reached it;
read back from the screen with Pilot, and pictured at 80x24 and 160x50."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pendulum
import pytest
from textual.pilot import Pilot

from peersession.core.commitment_state import commitment_status
from peersession.core.goals import new_goal
from peersession.core.session_records import Commitment
from peersession.demo import DemoHistory
from peersession.store import goals as goal_store
from peersession.store.history import HistoryStore
from peersession.tui.screens.history_member import MemberScreen
from peersession.tui.widgets.history_blocks import Block

from history_support import history_app, keys_then_settle, seed

AT = "2026-01-08T18:00:00+00:00"
#: A member of the demo with wins and commitments, named with accents.
MEMBER = "José Álvarez-García"
#: A title that is markup to Textual and wider than 80 columns.
TITLE = "Full professor [by] 2027: the dossier, the letters and the teaching portfolio"
SERVING = "g0a100000001"
DROPPED = "g0a100000002"
SECRET = "g0a100000003"


def seed_goals(data_dir: Path) -> tuple[DemoHistory, str, list[Commitment], str]:
    """The demo, and three goals of one member: one served by two
    of their commitments and reached by a win, one dropped, one private."""
    demo = seed(data_dir)
    store = HistoryStore(data_dir)
    member = next(m for m in demo.group.members if m.name == MEMBER)
    mine = [c for c in store.commitments(demo.group.id) if c.owner == member.id]
    served = mine[-2:]
    win = next(w for s in demo.sessions for w in s["wins"] if w["member_id"] == member.id)
    for goal_id, title, by, private in (
        (SERVING, TITLE, "2027-06-30", False),
        (DROPPED, "Move to the Harwick lab", None, False),
        (SECRET, "Leave academia", None, True),
    ):
        goal = new_goal(
            goal_id=goal_id,
            group_id=demo.group.id,
            owner=member.id,
            title=title,
            by=pendulum.Date.fromisoformat(by) if by else None,
            measure="promoted by the committee" if goal_id == SERVING else None,
            private=private,
            at=AT,
        )
        if goal_id == DROPPED:
            goal.status = "dropped"
        if goal_id == SERVING:
            goal.win_ids = [win["id"]]
        goal_store.add_goal(store, goal)
    for commitment in served:
        goal_store.link_commitment(
            store, demo.group.id, commitment_ref=commitment.id, goal_ref=SERVING, at=AT
        )
    served = [c for c in store.commitments(demo.group.id) if c.goal_id == SERVING]
    return demo, member.id, served, win["text"]


def page_blocks(pilot: Pilot[Any]) -> list[Block]:
    screen = pilot.app.screen
    assert isinstance(screen, MemberScreen)
    return list(screen.query("#page Block").results(Block))


def member_keys(demo: DemoHistory) -> list[str]:
    index = [m.name for m in demo.group.members].index(MEMBER)
    return ["m", *["down"] * index, "enter"]


def check_goals_first(member_id: str, served: list[Commitment], win_text: str) -> Any:
    """What the page must show: the goals heading first, the active goal before
    the dropped one, its title whole and literal, its commitments with their
    status, how many are done, the win that reached it; then the timeline."""

    def check(pilot: Pilot[Any]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, MemberScreen) and screen.member_id == member_id
        blocks = page_blocks(pilot)
        texts = [b.content_shown.plain for b in blocks]
        assert texts[0] == "Goals (2 active, 0 reached)"
        serving, private, dropped = texts[1:4]
        assert serving.startswith("◇ " + TITLE), "the title, brackets and all"
        done = sum(commitment_status(c) == "done" for c in served)
        assert f"{done} of 2 commitments done" in serving
        assert "by 30 Jun 2027" in serving
        assert "measure: promoted by the committee" in serving
        for commitment in served:
            assert commitment.text.split()[0] in serving
        assert f"★ won: {win_text}" in serving
        assert private.startswith("◇ Leave academia") and "private" in private
        assert dropped.startswith("⌫ Move to the Harwick lab") and "dropped" in dropped
        assert "no commitment serves it yet" in dropped
        assert texts[4] == "Timeline"
        assert blocks[1].targets == {SERVING}
        # In the timeline, a commitment made for the goal says which it serves.
        latest = served[-1]
        made = next(t for t in texts[5:] if t.startswith("committed: " + latest.text))
        assert "\n  serves: " + TITLE in made

    return check


async def test_a_member_page_shows_goals_first_with_commitments_and_wins(
    data_dir: Path,
) -> None:
    demo, member_id, served, win_text = seed_goals(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await keys_then_settle(*member_keys(demo))(pilot)
        check_goals_first(member_id, served, win_text)(pilot)


async def test_a_member_without_goals_has_no_goals_heading(data_dir: Path) -> None:
    demo = seed(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await keys_then_settle(*member_keys(demo))(pilot)
        texts = [b.content_shown.plain for b in page_blocks(pilot)]
        assert "Timeline" not in texts and not texts[0].startswith("Goals")


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_member_page_with_goals(snap_compare: Any, data_dir: Path, size: tuple[int, int]) -> None:
    demo, member_id, served, win_text = seed_goals(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    settle = keys_then_settle(*member_keys(demo))
    check = check_goals_first(member_id, served, win_text)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        check(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
