"""Names and notes that are markup or escape codes: every history screen shows
them literally and none crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static

from peersession.demo import HOSTILE_NAME
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_commitments import CommitmentsScreen
from peersession.tui.screens.history_member import MemberScreen
from peersession.tui.screens.history_pickers import MemberPickerScreen
from peersession.tui.screens.history_search import SearchScreen
from peersession.tui.screens.history_session import SessionScreen
from peersession.tui.text import visible
from peersession.tui.widgets.history_blocks import Block

from history_support import (
    HOSTILE_MEMBER_NAMES,
    HOSTILE_NOTE,
    history_app,
    seed,
    seed_hostile,
    settle,
    type_text,
)

SHOWN_NOTE = visible(HOSTILE_NOTE)  # the escape shown as �, the brackets as typed


def page_text(screen: SessionScreen | MemberScreen) -> str:
    return "\n".join(block.content_shown.plain for block in screen.query(Block))


@pytest.mark.campaign
async def test_hostile_names_and_notes_on_every_history_screen(data_dir: Path) -> None:
    history = seed_hostile(data_dir)
    last = history.sessions[-1]
    app, _ = history_app(data_dir, history.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        title = str(screen.query_one("#history-title", Static).render())
        assert title.startswith("[b]Team[/b] [/]")
        table = screen.query_one("#history-rows", DataTable)
        cells = [c.plain for c in table.get_row(f"s-{last['id']}")]
        here = [m for m in history.group.members if last["attendance"][m.id] != "absent"]
        assert cells[-1].startswith(visible(here[0].name)[:10])
        detail = str(screen.query_one("#history-detail", Static).render())
        assert any(visible(name) in detail for name in HOSTILE_MEMBER_NAMES), detail

        # A session in full.
        table.move_cursor(row=table.get_row_index(f"s-{last['id']}"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SessionScreen)
        text = page_text(app.screen)
        assert SHOWN_NOTE in text
        assert "\x1b" not in text
        assert "[/] how do I [link=x]say no[/link]?" in text
        for name in HOSTILE_MEMBER_NAMES:
            assert visible(name) in text

        # Each member's timeline, through the picker.
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemberPickerScreen)
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert any(p.startswith("[/]") for p in prompts)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MemberScreen)
        title = str(app.screen.query_one("#page-title", Static).render())
        assert title.startswith("[/]")
        await pilot.press("n", "n")
        await settle(pilot)
        assert "�" in str(app.screen.query_one("#page-title", Static).render())
        await pilot.press("escape", "escape")
        await pilot.pause()

        # Open commitments, and updating one with a markup-looking text.
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, CommitmentsScreen)
        owners = {c.plain for c in app.screen.query_one(DataTable).get_column("owner")}
        assert owners <= {visible(n) for n in HOSTILE_MEMBER_NAMES}
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()

        # Search for markup: found and shown as typed.
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "[/]")
        await settle(pilot)
        assert app.screen.hits
        prompt = str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        assert "[/]" in prompt


async def test_the_demos_bracketed_name_is_shown_as_typed(data_dir: Path) -> None:
    demo = seed(data_dir)
    zoe = next(m for m in demo.group.members if m.name == HOSTILE_NAME)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen.data is not None
        app.push_screen(MemberScreen(screen.data, zoe.id))
        await settle(pilot)
        assert str(app.screen.query_one("#page-title", Static).render()).startswith(HOSTILE_NAME)
        app.push_screen(SessionScreen(screen.data, demo.sessions[-1]["id"]))
        await settle(pilot)
        assert HOSTILE_NAME in page_text(app.screen)  # type: ignore[arg-type]
