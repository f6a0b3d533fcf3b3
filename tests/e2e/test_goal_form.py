"""The meeting's commitment form offers the members' active goals (issue 25):
a typed choice of ``Member: title``; a goal of another member is refused in the
form; the commitment is saved serving the goal chosen. Pictured at 80x24 and
160x50, with what the picture must show asserted beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from peersession.core.goal_rules import check_status
from peersession.core.goals import new_goal
from peersession.store import goals as goal_store
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp
from peersession.tui.screens.form import FormScreen
from peersession.tui.screens.meeting import MeetingScreen

from pilot_support import keys, typed
from room_support import plain
from snapshot_support import drive, meeting_app

AT = "2026-01-08T18:00:00+00:00"


def with_goals(data_dir: Path) -> tuple[PeersessionApp, Any, dict[str, str]]:
    """The demo's next session, two members holding an active goal each (and one
    a dropped goal, which the form must not offer)."""
    app, clock = meeting_app(data_dir)
    store = HistoryStore(data_dir)
    group = store.groups()[0]
    first, second = group.members[0], group.members[1]
    ids = {}
    for goal_id, owner, title, status in (
        ("goal-first", first.id, "Promotion to [b]associate[/b] professor", "active"),
        ("goal-second", second.id, "R01 funded", "active"),
        ("goal-gone", first.id, "A dropped goal", "dropped"),
    ):
        goal = new_goal(
            goal_id=goal_id,
            group_id=group.id,
            owner=owner,
            title=title,
            by=None,
            measure=None,
            private=False,
            at=AT,
        )
        goal.status = check_status(status)
        goal_store.add_goal(store, goal)
        ids[goal_id] = owner
    return app, clock, ids


def meeting_of(app: Any) -> MeetingScreen:
    screen = next(s for s in app.screen_stack if isinstance(s, MeetingScreen))
    assert isinstance(screen, MeetingScreen)
    return screen


async def test_the_commitment_form_saves_the_goal_chosen_and_refuses_anothers(
    data_dir: Path,
) -> None:
    app, _clock, owners = with_goals(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "n", "n", "n", "c")
        form = app.screen
        assert isinstance(form, FormScreen)
        goal = form.query_one("#field-goal", Select)
        labels = [str(label) for label, _ in form.fields[3].options]
        assert labels[0] == "no goal" and len(labels) == 3, "active goals only"
        assert any(label.endswith(": Promotion to [b]associate[/b] professor") for label in labels)
        owner = form.query_one("#field-owner", Select)
        owner.value = owners["goal-first"]
        await typed(pilot, "Ask the chair about the dossier")
        # Typed, as every choice is picked: the other member's name picks their goal.
        second = HistoryStore(data_dir).groups()[0].member(owners["goal-second"]).name
        goal.focus()
        await typed(pilot, second[:4])
        assert goal.value == "goal-second"
        form.query_one("#field-text").focus()
        await keys(pilot, "enter")
        error = form.query_one("#form-error", Static)
        assert app.screen is form and error.display
        assert "another member's" in plain(error)
        goal.value = "goal-first"
        form.query_one("#field-text").focus()
        await keys(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        [made] = meeting_of(app).meeting.commitments.values()
        assert (made.owner, made.goal_id) == (owners["goal-first"], "goal-first")


async def test_without_active_goals_the_form_is_as_it_was(data_dir: Path) -> None:
    app, _clock = meeting_app(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "n", "n", "n", "c")
        form = app.screen
        assert isinstance(form, FormScreen)
        assert [f.name for f in form.fields] == ["owner", "text", "due", "private"]


async def test_the_ask_outcome_offers_the_askers_goals_and_saves_the_one_chosen(
    data_dir: Path,
) -> None:
    app, clock, owners = with_goals(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "n", "n", "n", "a")
        asker = owners["goal-first"]
        app.screen.query_one("#field-member", Select).value = asker
        app.screen.query_one("#field-text").focus()
        await typed(pilot, "Which journal first")
        await keys(pilot, "enter", ">", "n")
        clock.advance(200)
        await keys(pilot, "n", "f")
        form = app.screen
        assert isinstance(form, FormScreen) and form.form_title == "Finish the ask"
        meeting = meeting_of(app).meeting
        assert meeting.asks[meeting.current_ask or ""].member_id == asker
        spec = next(f for f in form.fields if f.name == "goal")
        assert [value for _, value in spec.options] == ["", "goal-first"], "the asker's only"
        # Every field in sight at 80x24, the goal among them.
        dialog = form.query_one(".dialog")
        for field in form.fields:
            region = form.query_one(f"#field-{field.name}").region
            assert dialog.region.contains_region(region), f"{field.name} out of sight"
        form.query_one("#field-goal", Select).value = "goal-first"
        form.query_one("#field-outcome").focus()
        await keys(pilot, "enter")
        error = form.query_one("#form-error", Static)
        assert app.screen is form and "write what they will do" in plain(error)
        await typed(pilot, "Send the chair my dossier")
        await keys(pilot, "enter")
        assert isinstance(app.screen, MeetingScreen)
        [made] = meeting_of(app).meeting.commitments.values()
        assert (made.owner, made.goal_id, made.text) == (
            asker,
            "goal-first",
            "Send the chair my dossier",
        )


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
def test_commitment_form_with_goals(
    snap_compare: Any, data_dir: Path, size: tuple[int, int]
) -> None:
    app, clock, _ = with_goals(data_dir)
    pressed = drive(clock, ["n", "n", "n", "c"])

    async def run_before(pilot: Pilot[Any]) -> None:
        await pressed(pilot)
        form = pilot.app.screen
        assert isinstance(form, FormScreen)
        # Every field in sight, the goal among them, and the room not covered.
        dialog = form.query_one(".dialog")
        for spec in form.fields:
            field = form.query_one(f"#field-{spec.name}")
            assert dialog.region.contains_region(field.region), f"{spec.name} out of sight"
        assert form.query_one("#field-goal", Select).value == ""
        # A blinking text cursor would make the picture depend on the moment.
        for text in form.query(Input):
            text.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
