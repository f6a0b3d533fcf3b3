"""One pass of the exchange: take in what others wrote, publish what this machine made.

The history's side of it (this machine's records told as changes, merged
records written back) is :mod:`.sync`; the tests and the Syncthing campaign
also drive these directly.
Taking in with nothing new reads no segment and no merge state: it lists the
folder, compares names, sizes and times with ``taken.json``, and stops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...core.changes import Change
from ...core.convergence import State
from ...core.hlc import HybridClock
from .folder import Intake, SharedFolder
from .local import LocalShare


@dataclass
class Pass:
    """What a pass took in. ``state`` is None when nothing was new (not loaded)."""

    intake: Intake
    state: State | None

    @property
    def changed(self) -> bool:
        return self.state is not None


def take_in(local: LocalShare, apply: Callable[[State], None] | None = None) -> Pass:
    """Take in every segment not taken in before; the merge state after them.

    ``apply`` gets the new state before it is kept: if it fails (the history
    could not be written), nothing is kept, and the next pass reads those
    segments again.
    """
    link = local.link()
    folder = SharedFolder(link.folder, local.key())
    kept_state = local.state_file.exists()
    taken = local.taken() if kept_state else {}
    intake = folder.take_in(taken)
    if not intake.read:
        if intake.taken != taken:
            local.save_taken(intake.taken)  # files gone from the folder are forgotten
        return Pass(intake, None)
    state = local.state() if kept_state else None
    rebuilt = state is None
    if state is not None:
        try:
            state.apply_all(intake.changes)
        except ValueError:  # a record damaged in the kept state
            state, rebuilt = None, True
    if state is None:
        # The state was lost or damaged since: read the whole folder again.
        intake = folder.take_in({}) if taken else intake
        state = State()
        state.apply_all(intake.changes)
    if apply is not None:
        apply(state)
    # The state first: taken without its state would skip those segments for good.
    if rebuilt:
        local.save_state(state)
    else:
        local.add_to_state(state, intake.changes)
    local.save_taken(intake.taken)
    return Pass(intake, state)


def clock_for(
    local: LocalShare, wall_ms: Callable[[], int], state: State | None = None
) -> HybridClock:
    """This machine's clock, past every stamp it gave and every one it took in."""
    link = local.link()
    clock = HybridClock(link.machine, wall_ms, last=link.clock)
    if state is not None and state.latest is not None:
        clock.receive(state.latest)
    return clock


def publish(local: LocalShare, changes: list[Change], state: State | None = None) -> None:
    """Write this machine's new changes as segments, and count them as taken in
    (they are in ``state``, if given, and in the kept merge state)."""
    if not changes:
        return
    link = local.link()
    folder = SharedFolder(link.folder, local.key())
    written = folder.publish(link.machine, changes, after=link.last_segment)
    kept = state if state is not None else local.state()
    # Without its state, what was taken in counts for nothing: read it all again.
    taken = local.taken() if kept is not None else {}
    if kept is None:
        kept = State()
        kept.apply_all(changes)
        local.save_state(kept)
    else:
        kept.apply_all(changes)
        local.add_to_state(kept, changes)
    taken |= written
    local.save_taken(taken)
    link.last_segment = max(int(name.split("/")[1].split(".")[0]) for name in written)
    link.clock = max([c.stamp for c in changes] + ([link.clock] if link.clock else []))
    local.save_link(link)
