"""The shared folder examined for ``doctor``: one line for each thing worth saying.

Unlike a pass of the exchange, the check reads everything (every segment,
key check and journal, taken in before or not), and changes nothing: not the
folder, not this machine's data folder. What other programs left there is
named with whose it is; sync tools' and git's own bookkeeping only when
``everything`` is asked for, since it is expected there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.safe_text import neutralise
from ...errors import UserError
from .folder import SharedFolder
from .key import GroupKey
from .live_journal import JournalFollower
from .segments import Unreadable, key_opens


@dataclass(frozen=True)
class Report:
    """What the check found: lines about problems, and about harmless leftovers."""

    problems: list[str]
    notes: list[str]
    segments: int
    changes: int

    @property
    def healthy(self) -> bool:
        return not self.problems


def check_folder(root: Path, key: GroupKey, *, everything: bool = False) -> Report:
    folder = SharedFolder(root, key)
    try:
        folder.verify()
    except UserError as error:
        return Report([str(error)], [], 0, 0)
    intake = folder.take_in({})
    problems = [finding.line() for finding in intake.findings]
    notes = [stray.line() for stray in intake.strays if everything or not stray.expected]
    for machine_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink()):
        check = machine_dir / "key-check"
        if not check.is_file() or check.is_symlink():
            continue
        relative = f"{machine_dir.name}/key-check"
        try:
            if not key_opens(check, key, machine_dir.name):
                problems.append(f"{relative}: does not open with this group's key")
        except Unreadable as error:
            problems.append(f"{relative}: {error.detail}")
    for machine, journal_id, path in intake.journals:
        follower = JournalFollower(path, key, machine, journal_id)
        while follower.poll():
            pass
        if follower.stopped is not None:
            relative = neutralise(f"{machine}/{path.name}")
            problems.append(
                f"{relative}: {follower.stopped}; followed to entry {follower.position}"
            )
    return Report(problems, notes, len(intake.read), len(intake.changes))
