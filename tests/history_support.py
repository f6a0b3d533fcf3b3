"""Shared set-up for the history tests: the demo seeded on a fixed day, a fixed clock.

(No tests here: a helper module of the suite, not collected by pytest.)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pendulum
from msgspec.structs import replace
from textual.pilot import Pilot

from peersession.core.clock import FakeClock
from peersession.core.model import Member
from peersession.demo import DemoHistory, demo_history
from peersession.settings import Settings
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp, create_app

#: The demo's "today": its last session was Thu 5 Mar 2026, the next is 26 Mar.
TODAY = pendulum.date(2026, 3, 10)
NOW = pendulum.datetime(2026, 3, 10, 17, 0, 0, tz="UTC")

HOSTILE_MEMBER_NAMES = ("[/]", "[link=x]", "Cy\x1b[31mred")
HOSTILE_NOTE = "Grant \x1b[31mresubmitted[/] [b]really[/b]"


def seed(data_dir: Path, *, group_name: str = "Thursday Circle", seed: int = 7) -> DemoHistory:
    """The demo history (9 sessions to 5 Mar 2026) written into ``data_dir``."""
    history = demo_history(today=TODAY, group_name=group_name, seed=seed)
    seed_demo(HistoryStore(data_dir), history)
    return history


def seed_hostile(data_dir: Path) -> DemoHistory:
    """A small group whose names and texts are markup and escape codes."""
    base = demo_history(today=TODAY, members=3, group_name="[b]Team[/b] [/]", seed=3)
    members = tuple(
        Member(m.id, name) for m, name in zip(base.group.members, HOSTILE_MEMBER_NAMES, strict=True)
    )
    group = replace(base.group, members=members)
    last = base.records[-1].session
    for turn in last["turns"]:
        turn["notes"].append(
            {
                "id": f"hostile-{turn['member_id']}",
                "text": HOSTILE_NOTE,
                "private": False,
                "at": last["ended_at"],
            }
        )
    for ask in last["asks"]:
        ask["text"] = "[/] how do I [link=x]say no[/link]?"
    history = DemoHistory(group=group, records=base.records, checkins=base.checkins)
    seed_demo(HistoryStore(data_dir), history)
    return history


def history_app(
    data_dir: Path, group_id: str | None = None, *, mode: str = "history"
) -> tuple[PeersessionApp, FakeClock]:
    clock = FakeClock(NOW)
    app = create_app(
        data_dir=data_dir, clock=clock, settings=Settings(), mode=mode, start_group=group_id
    )
    return app, clock


async def settle(pilot: Pilot[Any]) -> None:
    """Let every worker finish and the screen catch up (never a sleep)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type as a person would, one key at a time."""
    for char in text:
        await pilot.press(char if char != " " else "space")


def keys_then_settle(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A snapshot's ``run_before``: wait for the workers, then each key, settling after each."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before
