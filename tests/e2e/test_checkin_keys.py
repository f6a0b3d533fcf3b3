"""The check-in screen driven by keys, as a member would use it."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.screens.checkin import CheckinScreen
from peersession.tui.screens.confirm import ConfirmScreen
from peersession.tui.screens.home import HomeScreen

from checkin_support import (
    ANA_FIRST,
    ANA_SECOND,
    BO_ONLY,
    checkin_app,
    history_bytes,
    seed_commitments,
)
from pilot_support import Notice

MAX_PRESSES = 10


def screen_of(app: PeersessionApp) -> CheckinScreen:
    screen = app.screen
    assert isinstance(screen, CheckinScreen), f"expected the check-in screen, got {screen}"
    return screen


def text_of(screen: CheckinScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def names_listed(screen: CheckinScreen) -> list[str]:
    options = screen.query_one("#pick-members", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def press_counted(pilot: Pilot[int], keys: list[str]) -> int:
    for key in keys:
        await pilot.press(key)
    return len(keys)


# --- the ten-key promise ---------------------------------------------------------------------


async def test_two_commitments_take_four_presses_with_member_given(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group, member_id=group.members[0].id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        presses = await press_counted(pilot, ["d", "h", "4", "enter"])
        await pilot.pause()
        assert app.return_code is not None, (
            "enter should save and exit when started from the command line"
        )
    assert presses == 4 <= MAX_PRESSES
    [checkin] = store.checkins(group.id)
    assert checkin.statuses == {ANA_FIRST: "done", ANA_SECOND: "partial"}
    assert checkin.energy == 4 and checkin.at == clock.now().isoformat()


async def test_two_commitments_take_five_presses_picking_yourself(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # "a" names Ana alone: picked at once, no enter needed.
        presses = await press_counted(pilot, ["a", "d", "h", "4", "enter"])
        await pilot.pause()
    assert presses == 5 <= MAX_PRESSES
    [checkin] = store.checkins(group.id)
    assert checkin.member_id == group.members[0].id
    assert checkin.statuses == {ANA_FIRST: "done", ANA_SECOND: "partial"}


async def test_keys_typed_ahead_in_one_burst_apply_in_order(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    # A fast typist (or keys typed while the app starts): enter must not
    # overtake the answers typed before it.
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ["a", "n", "d", "n", "2", "enter"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
    [checkin] = store.checkins(group.id)
    # "n" right after "a" continues Ana's name; the second "n" answers.
    assert checkin.statuses == {ANA_FIRST: "done", ANA_SECOND: "not_done"}
    assert checkin.energy == 2


# --- picking yourself ----------------------------------------------------------------------------


async def test_typing_narrows_the_list_and_enter_picks(
    data_dir: Path, store: HistoryStore, clock: FakeClock
) -> None:
    group = new_group("Circle", ["Ann", "Anna", "Zoë", "Bo"])
    store.add_group(group)
    app = checkin_app(data_dir, clock, group)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert [n.split()[0] for n in names_listed(screen)] == ["Ann", "Anna", "Zoë", "Bo"]
        await pilot.press("a", "n")
        assert screen.stage == "pick"
        assert [n.split()[0] for n in names_listed(screen)] == ["Ann", "Anna"]
        assert "an" in text_of(screen, "#pick-typed")
        await pilot.press("q")  # no name starts "anq": refused, not added
        assert screen.typed == "an" and "No name starts" in text_of(screen, "#checkin-hint")
        await pilot.press("down", "enter")
        assert screen.member is not None and screen.member.name == "Anna"
        # Escape with nothing answered goes back to picking.
        await pilot.press("escape")
        assert screen.stage == "pick" and screen.typed == ""
        await pilot.press("z")  # accents ignored: "z" is Zoë alone
        assert screen.member is not None and screen.member.name == "Zoë"
        assert "nothing open" not in text_of(screen, "#answers-intro")
        assert "No open commitments" in text_of(screen, "#answers-intro")
        await pilot.press("escape", "b", "o", "backspace")
        # "b" picked Bo; "o" was the rest of his name; backspace cleared nothing.
        assert screen.member is not None and screen.member.name == "Bo"
        assert screen.answers == {}


async def test_a_member_not_in_the_group_is_asked_to_pick(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    app = checkin_app(data_dir, clock, group, member_id="not-a-member")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert screen_of(app).stage == "pick"


# --- answering ------------------------------------------------------------------------------


async def test_answers_move_on_and_can_be_changed_or_cleared(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group, member_id=group.members[0].id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        commitments = screen.query_one("#commitments", OptionList)
        assert commitments.highlighted == 0
        await pilot.press("x")
        assert screen.answers == {ANA_FIRST: "dropped"} and commitments.highlighted == 1
        await pilot.press("n")
        assert screen.answers[ANA_SECOND] == "not_done" and commitments.highlighted == 1
        await pilot.press("up", "d", "backspace")
        assert screen.answers == {ANA_FIRST: "done"}
        rows = [str(commitments.get_option_at_index(i).prompt) for i in range(2)]
        assert rows[0].startswith("✓ done") and "Send the R01 draft to [b]Maria[/b]" in rows[0]
        assert rows[1].startswith("  —")


async def test_the_update_takes_every_key_typed_into_it(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group, member_id=group.members[0].id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("u")
        for char in "dhnxp 12345 [/]":
            await pilot.press(char if char != " " else "space")
        await pilot.press("enter")  # ends the update, does not save
        assert screen.query_one("#note", Input).value == "dhnxp 12345 [/]"
        assert screen.answers == {} and screen.energy is None and not screen.private
        assert store.checkins(group.id) == []
        await pilot.press("u", "!", "escape")  # escape, too, only leaves the update
        assert screen.query_one("#note", Input).value == "dhnxp 12345 [/]!"
        await pilot.press("3", "0", "5", "enter")
        await pilot.pause()
    [checkin] = store.checkins(group.id)
    assert checkin.note == "dhnxp 12345 [/]!" and checkin.energy == 5
    assert checkin.statuses == {}


async def test_private_is_toggled_and_shown_in_words(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    app = checkin_app(data_dir, clock, group, member_id=group.members[1].id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert "Private  no" in text_of(screen, "#private")
        await pilot.press("p")
        assert "‹private›" in text_of(screen, "#checkin-title")
        assert "yes ‹private›" in text_of(screen, "#private")
        await pilot.press("p", "p", "d", "enter")
        await pilot.pause()
    [checkin] = store.checkins(group.id)
    assert checkin.private is True and checkin.statuses == {BO_ONLY: "done"}


async def test_an_empty_checkin_is_not_saved_and_the_screen_stays(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock, notices: list[Notice]
) -> None:
    seed_commitments(store, group, clock)
    before = history_bytes(store, group)
    app = checkin_app(data_dir, clock, group, member_id=group.members[0].id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen) and app.return_code is None
        assert any("nothing to check in" in str(n.message) for n in notices)
    assert history_bytes(store, group) == before


# --- nothing is lost by a stray key ---------------------------------------------------------


async def test_escape_asks_before_discarding_answers(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, group, clock)
    before = history_bytes(store, group)
    app = checkin_app(data_dir, clock, group)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("a", "d", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep answering
        screen = screen_of(app)
        assert screen.answers == {ANA_FIRST: "done"}
        await pilot.press("escape", "escape")  # esc on the question also keeps
        assert screen_of(app).answers == {ANA_FIRST: "done"}
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.return_code is not None
    assert history_bytes(store, group) == before


async def test_from_home_k_opens_the_checkin_and_saving_returns_home(
    data_dir: Path, store: HistoryStore, group: Group, clock: FakeClock, notices: list[Notice]
) -> None:
    seed_commitments(store, group, clock)
    app = create_app(data_dir=data_dir, clock=clock, settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        screen = screen_of(app)
        assert not screen.exit_after
        await pilot.press("b", "h", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.return_code is None
        assert any("Bo checked in" in str(n.message) for n in notices)
        # Escape with nothing typed also returns home.
        await pilot.press("k")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [checkin] = store.checkins(group.id)
    assert checkin.statuses == {BO_ONLY: "partial"}


# --- names are text, never markup -----------------------------------------------------------


async def test_hostile_names_are_shown_and_picked_literally(
    data_dir: Path, store: HistoryStore, hostile_group: Group, clock: FakeClock
) -> None:
    seed_commitments(store, hostile_group, clock, [(1, "c0ffee000000", "Close [link=x]it[/]")])
    app = checkin_app(data_dir, clock, hostile_group)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        listed = names_listed(screen)
        assert listed[0].startswith("[/]") and listed[1].startswith("[link=x]Zoë[/link]")
        assert listed[3].startswith("Cy�[31mred")
        assert "[b]Team[/b] [/]" in text_of(screen, "#checkin-title")
        await pilot.press("[", "l")
        assert screen.member is not None and screen.member.name == "[link=x]Zoë[/link]"
        assert "[link=x]Zoë[/link]" in text_of(screen, "#checkin-title")
        await pilot.press("escape", "[", "/", "]")  # "]" is the rest of the name
        assert screen.member is not None and screen.member.name == "[/]"
        assert "[/]" in text_of(screen, "#checkin-title")
        await pilot.press("4", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n", "enter")
        await pilot.pause()
        assert app.return_code is not None
    [checkin] = store.checkins(hostile_group.id)
    assert checkin.member_id == hostile_group.members[0].id and checkin.energy == 4
