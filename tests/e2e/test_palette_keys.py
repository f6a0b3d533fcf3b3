"""The palette's group commands, ``peersession keys`` and the ids in ``?``."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from peersession.cli import main
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.tui.app import PeersessionApp, create_app
from peersession.tui.commands import GroupCommands
from peersession.tui.keymap import binding_classes, key_rows, unnamed_bindings
from peersession.tui.screens.home import HomeScreen


async def palette_prompts(app: PeersessionApp, pilot: object, query: str) -> list[str]:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    for char in query:
        await pilot.press("space" if char == " " else char)
    await pilot.pause(0.4)
    commands = app.screen.query_one(CommandList)
    prompts = (commands.get_option_at_index(i).prompt for i in range(commands.option_count))
    return [str(prompt).splitlines()[0] for prompt in prompts]


async def test_the_home_palette_offers_each_groups_commands(
    store: HistoryStore,
    data_dir: Path,
    clock: FakeClock,
    group: Group,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.add_group(new_group("[b]Zoë[/b] [/]", ["Ana"]))
    opened: list[tuple[str, str | None]] = []
    monkeypatch.setattr(
        PeersessionApp,
        "open_session",
        lambda self, group_id, template=None: opened.append((group_id, template)),
    )
    app = create_app(data_dir=data_dir, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        prompts = await palette_prompts(app, pilot, "quick thurs")
        assert prompts[0] == "Quick round: Thursday Circle", prompts
        await pilot.press("enter")
        await pilot.pause()
    assert opened == [(group.id, "quick")]


async def test_palette_group_names_are_literal_and_discovered_first(
    store: HistoryStore, data_dir: Path, clock: FakeClock
) -> None:
    hostile = new_group("[b]Zoë[/b] [/]", ["Ana"])
    store.add_group(hostile)
    app = create_app(data_dir=data_dir, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        provider = GroupCommands(app.screen)
        found = [hit.text async for hit in provider.discover()]
        assert found[:5] == [
            f"{what}: [b]Zoë[/b] [/]"
            for what in ("Start a session", "Quick round", "History", "Check in", "Export a recap")
        ]
        hits = [hit async for hit in provider.search("history zo")]
        assert hits and all("[b]Zoë[/b]" in str(hit.prompt) for hit in hits)


async def test_the_palette_exports_the_last_recap_into_the_current_folder(
    data_dir: Path, clock: FakeClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from history_support import seed

    seeded = seed(data_dir)
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    app = create_app(data_dir=data_dir, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        prompts = await palette_prompts(app, pilot, "export")
        assert prompts[0].startswith("Export a recap: ")
        await pilot.press("enter")
        await pilot.pause()
    written = list(folder.iterdir())
    assert len(written) == 1 and written[0].suffix == ".md"
    assert written[0].read_text(encoding="utf-8").startswith(f"# {seeded.group.name}: session of")


def test_every_binding_has_an_id_and_a_place() -> None:
    assert unnamed_bindings() == []
    rows = key_rows()
    ids = [row.id for row in rows]
    assert len(ids) == len(set(ids))
    assert {"app.help", "app.palette", "meeting.pause", "review.renegotiate", "home.quick"} <= set(
        ids
    )
    names = {cls.__name__ for cls in binding_classes()}
    assert {"HomeScreen", "MeetingScreen", "ReviewPanel", "CheckinScreen"} <= names


def test_keys_lists_every_id_with_its_key_and_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = Path(os.environ["PEERSESSION_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keymap]\n"meeting.pause" = ["p", "f9"]\n', encoding="utf-8")
    assert main(["keys"]) == 0
    text = capsys.readouterr().out
    assert main(["keys", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [r.id for r in key_rows()]
    for row in rows:
        assert row["id"] in text and row["where"] in text
    pause = next(r for r in rows if r["id"] == "meeting.pause")
    assert pause["keys"] == ["p", "f9"] and pause["default_keys"] == ["space"]
    line = next(line for line in text.splitlines() if "meeting.pause" in line)
    assert "p, f9" in line and "(yours)" in line
    assert text.index("everywhere") < text.index("meeting: every phase")
    assert "question_mark (?)" in text


async def test_the_history_palette_offers_that_groups_commands(
    data_dir: Path, clock: FakeClock
) -> None:
    from peersession.tui.screens.history import HistoryScreen

    from history_support import seed

    seeded = seed(data_dir)
    HistoryStore(data_dir).add_group(new_group("Other", ["Di"]))
    app = create_app(data_dir=data_dir, clock=clock, mode="history", start_group=seeded.group.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        provider = GroupCommands(app.screen)
        found = [hit.text async for hit in provider.discover()]
        assert found[0] == f"Start a session: {seeded.group.name}"
        assert not any("Other" in (text or "") for text in found)


def test_the_readme_keymap_names_real_ids_with_their_keys() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("[keymap]") : readme.index("`peersession keys` has the other")]
    named = set(re.findall(r"`([a-z_]+\.[a-z_.0-9]+)`|\"([a-z_]+\.[a-z_.0-9]+)\"", section))
    ids = {a or b for a, b in named}
    rows = {row.id: row for row in key_rows()}
    assert len(ids) > 15 and ids <= set(rows), ids - set(rows)
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            names = re.findall(r"`([^`]+)`", cells[0])
            keys = [k.replace("?", "question_mark") for k in re.findall(r"`([^`]+)`", cells[1])]
            assert [rows[n].default_keys[0] for n in names] == keys, line


async def test_help_shows_the_users_keys_from_the_keymap(
    data_dir: Path, clock: FakeClock, group: Group
) -> None:
    from peersession.settings import Settings
    from peersession.tui.screens.help import HelpScreen

    settings = Settings(keymap={"meeting.pause": "f9", "app.help": "f1"})
    app = create_app(data_dir=data_dir, clock=clock, settings=settings, start_group=group.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        groups = dict(app.screen.groups())
        meeting = {binding_id: keys for keys, _, binding_id in groups["meeting: every phase"]}
        assert meeting["meeting.pause"] == "f9"
        everywhere = {binding_id: keys for keys, _, binding_id in groups["everywhere"]}
        assert everywhere["app.help"] == "f1"
        shown = [binding_id for rows in groups.values() for _, _, binding_id in rows]
        assert len(shown) == len(set(shown)), "each id once"
