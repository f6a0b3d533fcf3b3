"""Helpers for the shared-folder tests: machines, their changes, and folders to copy."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pendulum

from peersession.core import changes as ch
from peersession.core.changes import Change
from peersession.core.convergence import State
from peersession.core.hlc import HybridClock
from peersession.demo.history import DemoHistory, demo_history
from peersession.store.shared.folder import FileStamp, Intake, SharedFolder
from peersession.store.shared.key import GroupKey
from peersession.store.shared.layout import new_machine_id

#: Names and texts long enough that finding one in random ciphertext by chance
#: is out of the question (a 3-letter name would be, in megabytes).
GROUP_NAME = "Kestrel Peer Circle"
MEMBER_NAMES = [
    "Zoë Quintanilla-Öberg",
    "Bartholomew Ngata",
    "Ximena Hlaváčková",
    "李秀英 Lǐ Xiùyīng",
]
NOTE_TEXT = "Bartholomew is leaving the Ferncastle lab in June"
ASK_TEXT = "Should Zoë apply for the Harwick fellowship?"
COMMITMENT_TEXT = "Send the Orrington grant draft to Ximena"
CHECKIN_NOTE = "Ferncastle draft sent, waiting on Ximena"
SECRETS = [GROUP_NAME, *MEMBER_NAMES, NOTE_TEXT, ASK_TEXT, COMMITMENT_TEXT, CHECKIN_NOTE]


class Wall:
    def __init__(self, ms: int = 1_767_000_000_000) -> None:
        self.ms = ms

    def __call__(self) -> int:
        self.ms += 1
        return self.ms


@dataclass
class Machine:
    """One member's machine: its id in the folder and its clock."""

    id: str = field(default_factory=new_machine_id)
    wall: Wall = field(default_factory=Wall)

    def __post_init__(self) -> None:
        self.clock = HybridClock(self.id, self.wall)


def plain(value: Any) -> Any:
    """A stored record (or a list of them) as JSON-ready data, whatever type holds it."""
    import msgspec  # type: ignore[import-not-found, unused-ignore]

    if isinstance(value, dict | list):
        # A list of typed records (as the store hands them) too.
        return json.loads(json.dumps(value, ensure_ascii=False, default=msgspec.to_builtins))
    return msgspec.to_builtins(value)


def group_record(history: DemoHistory) -> dict[str, Any]:
    group = history.group
    return {
        "id": group.id,
        "name": group.name,
        "members": [{"id": m.id, "name": m.name, "active": m.active} for m in group.members],
        "length_minutes": group.length_minutes,
    }


def confidential_group(machine: Machine) -> list[Change]:
    """A small group whose every name and text is in :data:`SECRETS`."""
    members = [{"id": f"m{i}", "name": n, "active": True} for i, n in enumerate(MEMBER_NAMES)]
    group = {"id": "g1", "name": GROUP_NAME, "members": members}
    session = {
        "id": "s1",
        "group_id": "g1",
        "notes": [{"id": "n1", "text": NOTE_TEXT, "private": False}],
        "asks": [{"id": "k1", "member_id": "m0", "text": ASK_TEXT, "private": True}],
    }
    commitment = {"id": "c1", "group_id": "g1", "owner": "m2", "text": COMMITMENT_TEXT}
    checkin = {"id": "i1", "group_id": "g1", "member_id": "m2", "note": CHECKIN_NOTE}
    clock = machine.clock
    return [
        ch.put("group", group, clock.now()),
        ch.put("session", session, clock.now()),
        ch.put("commitment", commitment | {"reviews": []}, clock.now()),
        ch.put("checkin", checkin, clock.now()),
        ch.add_element(
            "commitment", "c1", "reviews", {"status": "done", "note": CHECKIN_NOTE}, clock.now()
        ),
    ]


def demo_changes(sessions: int, machines: list[Machine]) -> list[list[Change]]:
    """A demo group's whole history as changes, its sessions spread over the
    machines in turn (as a group rotating its facilitator would); one list of
    changes per session (and one for the group, first)."""
    history = demo_history(today=pendulum.date(2026, 12, 1), sessions=sessions, members=8)
    first = machines[0].clock
    batches = [[ch.put("group", group_record(history), first.now())]]
    commitments = {c.id: plain(c) for c in history.commitments()}
    for number, session in enumerate(history.sessions):
        clock = machines[number % len(machines)].clock
        doc = plain(session)
        batch = [ch.put("session", doc, clock.now())]
        for commitment_id in doc["commitment_ids"]:
            if commitment_id in commitments:
                batch.append(ch.put("commitment", commitments[commitment_id], clock.now()))
        batches.append(batch)
    for checkin, _ in history.checkins:
        clock = machines[len(batches) % len(machines)].clock
        batches.append([ch.put("checkin", plain(checkin), clock.now())])
    return batches


def merged(changes: list[Change]) -> State:
    state = State()
    state.apply_all(changes)
    return state


def shown(state: State) -> str:
    """What a machine would hold after merging, as one comparable text."""
    return json.dumps({kind: state.records(kind) for kind in ch.KINDS}, sort_keys=True)


def take_all(folder: SharedFolder, taken: dict[str, FileStamp] | None = None) -> Intake:
    return folder.take_in(taken or {})


def files_of(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def folder_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative name: to prove nothing was changed."""
    return {str(p.relative_to(root)): p.read_bytes() for p in files_of(root)}


def copy_file(source_root: Path, relative: str, target_root: Path) -> Path:
    target = target_root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source_root / relative, target)
    return target


def new_folder(root: Path, machine: Machine, key: GroupKey | None = None) -> SharedFolder:
    folder = SharedFolder(root, key or GroupKey.new())
    folder.create(machine.id)
    return folder
