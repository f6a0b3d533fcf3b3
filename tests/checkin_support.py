"""Helpers shared by the check-in tests (this module holds no tests).

Open commitments come from a real session, committed the way a facilitator's
meeting is (``LiveSession``), so the check-in reads exactly what users have.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.tui.app import PeersessionApp, create_app

#: Ana's two commitments share a prefix ("a1"), so "a1" is ambiguous and
#: "a1b" is not; Bo's starts with "b0".
ANA_FIRST = "a1b2c3d4e5f6"
ANA_SECOND = "a1f0e9d8c7b6"
BO_ONLY = "b0b0b0b0b0b0"


def seed_commitments(
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    specs: Sequence[tuple[int, str, str]] | None = None,
) -> list[str]:
    """Commit one session in which members made commitments, then let a day pass.

    ``specs`` are (member index, commitment id, text); by default Ana makes
    two and Bo one.
    """
    if specs is None:
        specs = [
            (0, ANA_FIRST, "Send the R01 draft to [b]Maria[/b]"),
            (0, ANA_SECOND, "Book a meeting with the chair"),
            (1, BO_ONLY, "Finish the [/] review"),
        ]
    live = LiveSession.start(store, group, clock)
    for index, commitment_id, text in specs:
        clock.advance(1)
        live.dispatch(
            ev.CommitmentAdded(
                commitment_id=commitment_id, owner=group.members[index].id, text=text
            )
        )
    live.end()
    clock.advance(minutes=24 * 60)
    return [commitment_id for _, commitment_id, _ in specs]


def checkin_app(
    data_dir: Path, clock: FakeClock, group: Group, member_id: str | None = None
) -> PeersessionApp:
    """The app as ``peersession checkin GROUP [--member NAME]`` opens it."""
    return create_app(
        data_dir=data_dir,
        clock=clock,
        settings=Settings(),
        mode="checkin",
        start_group=group.id,
        member=member_id,
    )


def history_bytes(store: HistoryStore, group: Group) -> bytes:
    return store.layout.group_history_file(group.id).read_bytes()
