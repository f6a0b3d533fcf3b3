"""Goals are found by search (issue 25): a goal's title and measure, and what a
goals review said of it, private with the goal; the index follows a goal's edits
and lands a hit on the member's goal or the session that reviewed it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.goals import new_goal
from peersession.core.model import Group
from peersession.store import goals as goal_store
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.screens.history_member import MemberScreen
from peersession.tui.screens.history_search import SearchScreen
from peersession.tui.screens.history_session import SessionScreen
from peersession.tui.widgets.history_blocks import Block

from history_support import history_app, settle, type_text
from pilot_support import recorded_notices


def search(capsys: pytest.CaptureFixture[str], data_dir: Path, *words: str) -> list[Any]:
    assert main(["search", *words, "--json", "--data-dir", str(data_dir)]) == 0
    found: list[Any] = json.loads(capsys.readouterr().out)
    return found


@pytest.fixture
def reviewed(store: HistoryStore, group: Group, clock: FakeClock) -> Group:
    """Ana's public goal (with a measure) and her private one, both spoken of
    at a goals review."""
    ana = group.members[0].id
    for goal_id, title, measure, private in (
        ("g-r01", "Submit the R01 resubmission", "Scored in the tenth percentile", False),
        ("g-job", "Leave for industry", None, True),
    ):
        goal_store.add_goal(store, new_goal(
            goal_id=goal_id, group_id=group.id, owner=ana, title=title, by=None,
            measure=measure, private=private, at="2026-01-01T00:00:00+00:00",
        ))  # fmt: skip
    group = replace(group, agenda=({"phase": "opening"}, {"phase": "goals", "minutes": 10}))
    store.save_group(group)
    live = LiveSession.start(store, group, clock)
    live.dispatch(ev.Next())
    live.dispatch(ev.GoalReviewed(goal_id="g-r01", status="behind", note="Aims page rewritten"))
    live.dispatch(ev.GoalReviewed(goal_id="g-job", status="on_track", note="Aims an offer"))
    live.end()
    return group


def test_a_goal_and_what_its_review_said_are_found(
    reviewed: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [title] = search(capsys, data_dir, "R01")
    assert (title["kind"], title["target_id"], title["member"]) == ("goal", "g-r01", "Ana")
    assert title["session_id"] is None, "lands on Ana's page, where her goals are"
    [measure] = search(capsys, data_dir, "percentile")
    assert (measure["kind"], measure["target_id"]) == ("goal", "g-r01")
    [said] = search(capsys, data_dir, "rewritten")
    assert (said["kind"], said["target_id"], said["member"]) == ("note", "g-r01", "Ana")
    assert said["session_id"] is not None
    # The private goal, and what was said of it, only with --private.
    assert search(capsys, data_dir, "industry") == []
    assert [h["text"] for h in search(capsys, data_dir, "Aims")] == ["Aims page rewritten"]
    both = search(capsys, data_dir, "Aims", "--private")
    assert sorted(h["text"] for h in both) == ["Aims an offer", "Aims page rewritten"]
    assert {h["member"] for h in both} == {"Ana"}
    [job] = search(capsys, data_dir, "industry", "--private")
    assert job["private"] is True


def test_the_index_follows_a_goals_new_title(
    reviewed: Group, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert len(search(capsys, data_dir, "resubmission")) == 1  # the index is built
    edit = ["goal", "edit", reviewed.name, "g-r01", "--title", "Fund the pilot study"]
    assert main([*edit, "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert search(capsys, data_dir, "resubmission") == []
    [found] = search(capsys, data_dir, "pilot study")
    assert found["target_id"] == "g-r01"


@pytest.mark.parametrize(
    ("word", "page", "shown"),
    [
        ("resubmission", "member", "Submit the R01 resubmission"),
        ("rewritten", "session", "Behind: Submit the R01 resubmission"),
    ],
)
async def test_a_goal_hit_lands_on_the_goal_or_the_session_that_reviewed_it(
    reviewed: Group, data_dir: Path, word: str, page: str, shown: str
) -> None:

    app, _ = history_app(data_dir, reviewed.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        await type_text(pilot, word)
        await settle(pilot)
        assert [h.item.target_id for h in search.hits] == ["g-r01"]
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MemberScreen if page == "member" else SessionScreen)
        landed = [b for b in screen.query(Block) if b.has_class("-landed")]
        assert len(landed) == 1 and "g-r01" in landed[0].targets
        assert shown in landed[0].content_shown.plain


async def test_correcting_a_goal_from_search_points_to_goal_edit_and_changes_nothing(
    reviewed: Group, data_dir: Path, store: HistoryStore
) -> None:
    before = store.layout.group_history_file(reviewed.id).read_bytes()
    app, _ = history_app(data_dir, reviewed.id)
    async with app.run_test(size=(80, 24)) as pilot:
        shown = recorded_notices(app)
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        await type_text(pilot, "resubmission")
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen), "no form opened"
        assert [n.message for n in shown] == [
            "A goal is changed with `peersession goal edit` (its title, date or status)."
        ]
    assert store.layout.group_history_file(reviewed.id).read_bytes() == before
