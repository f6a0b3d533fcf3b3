"""The history's correction keys (issue 23, item 5): on a search result, `e`
corrects its text or private flag and `delete` removes it after a question,
through the same rules and write as ``peersession edit``; the keys are in the
footer while the results have focus; people's text is shown literally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Input, OptionList, Static

from peersession.core.corrections import Correction
from peersession.core.record_types import stored
from peersession.store.corrections import correct
from peersession.store.history import HistoryStore
from peersession.tui.screens.confirm import ConfirmScreen
from peersession.tui.screens.form import FormScreen
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_search import SearchScreen

from history_support import NOW, history_app, seed, settle, type_text

MARKUP_TEXT = "Quokka [b]not bold[/b] [/] said in the room"


def marked_note(data_dir: Path) -> tuple[str, str]:
    """A note whose text is found nowhere else, and looks like markup."""
    store = HistoryStore(data_dir)
    (group,) = store.groups()
    session = store.sessions(group.id)[-1]
    note = next(n for t in session.turns for n in t.notes)
    correct(store, group.id, note.id, Correction(text=MARKUP_TEXT), NOW.isoformat())
    return group.id, note.id


def saved_note(data_dir: Path, note_id: str) -> dict[str, Any] | None:
    store = HistoryStore(data_dir)
    (group,) = store.groups()
    for session in store.sessions(group.id):
        for turn in session.turns:
            for note in turn.notes:
                if note.id == note_id:
                    return stored(note)
    return None


def footer_keys(app: Any) -> set[str]:
    return {
        binding.action
        for (_, binding, enabled, _) in app.screen.active_bindings.values()
        if enabled and binding.show and app.screen.check_action(binding.action, ()) is not False
    }


async def open_result(pilot: Any) -> SearchScreen:
    await settle(pilot)
    await pilot.press("slash")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await type_text(pilot, "Quokka")
    await settle(pilot)
    assert len(screen.hits) == 1
    assert "correct" not in footer_keys(pilot.app), "not while typing in the search box"
    await pilot.press("down")
    await pilot.pause()
    assert isinstance(screen.focused, OptionList)
    assert {"correct", "remove"} <= footer_keys(pilot.app)
    return screen


async def test_e_corrects_a_texts_words_and_private_flag(data_dir: Path) -> None:
    seed(data_dir)
    group_id, note_id = marked_note(data_dir)
    app, _ = history_app(data_dir, group_id)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await open_result(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-text", Input).value == MARKUP_TEXT, "shown as typed"
        form.query_one("#field-text", Input).value = "Quokka corrected after the meeting"
        form.query_one("#field-private", Checkbox).value = True
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is search
        saved = saved_note(data_dir, note_id)
        assert saved is not None
        assert saved["text"] == "Quokka corrected after the meeting" and saved["private"] is True
        assert search.corrected and search.hits[0].item.private
        assert search.hits[0].item.text == "Quokka corrected after the meeting"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)


async def test_delete_asks_then_removes_the_text_for_good(data_dir: Path) -> None:
    seed(data_dir)
    group_id, note_id = marked_note(data_dir)
    app, _ = history_app(data_dir, group_id)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await open_result(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one(Static).render())
        assert MARKUP_TEXT in question, "people's text is shown literally, markup and all"
        await pilot.press("n")
        await settle(pilot)
        assert saved_note(data_dir, note_id) is not None, "no: nothing removed"
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        after: object = app.screen
        assert after is search
        assert saved_note(data_dir, note_id) is None
        assert not search.hits, "the search no longer finds it"
        (path,) = (data_dir / "groups").glob("*.json")
        assert b"Quokka" not in path.read_bytes()
