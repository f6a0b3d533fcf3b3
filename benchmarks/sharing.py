"""A shared group (issue 23): opened with nothing new, and one new session taken in.

The data folder of the 170-session group is shared into a folder written by
nine machines (its records spread over them in turn, a segment a session, as
a group rotating its facilitator writes them), then joined from a copy of
the data folder, so the measured folder holds the whole history and has
taken in every segment. Two rows of the measure ``sharing``:

* ``open``: ``peersession group show GROUP`` (it reads the group's
  file, so it opens the group, and with it the shared folder) spawned to
  exit; the floor is the same command on the same history, not shared.
* ``one new session``: a tenth machine publishes one new session; the time, in
  the install's Python, of the pass that takes it into the history
  (``store.shared.sync.take_in`` on a fresh store: the folder listed, one
  segment opened, merged, the group's file written, the merge state kept);
  the floor is one rewrite of the group's file (:func:`floors.rewrite`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from . import floors
from .context import Goal, Row, Run
from .datasets import Dataset, group_file
from .install import Install
from .search import spawned

MACHINES = 9

#: Run by the install's Python: ``prepare DATA SHARED JOINED`` builds the shared
#: folder and the joined data folder; ``publish SHARED KEYFILE`` adds one session
#: from a tenth machine; ``take DATA GROUP`` prints the seconds of one pass.
SCRIPT = r"""
import json, sys, time, copy
from pathlib import Path
from peersession.core import changes as ch
from peersession.core.hlc import HybridClock
from peersession.store.history import HistoryStore
from peersession.store.shared import joining, sync
from peersession.store.shared.folder import SharedFolder
from peersession.store.shared.key import GroupKey, load_key, save_key
from peersession.store.shared.layout import new_machine_id
from peersession.store.shared.records import group_record

def clock(machine, start):
    wall = [start]
    def now():
        wall[0] += 1
        return wall[0]
    return HybridClock(machine, now)

def stored(doc):
    # A record as its file keeps it: typed since issue 22, a dict before.
    if isinstance(doc, dict):
        return doc
    import msgspec
    return msgspec.to_builtins(doc)

mode = sys.argv[1]
if mode == "prepare":
    data, shared, joined = map(Path, sys.argv[2:5])
    machines = int(sys.argv[5])
    store = HistoryStore(data)
    [group] = store.groups()
    key = GroupKey.new()
    save_key(shared.parent / "key", key)
    folder = SharedFolder(shared, key)
    ids = [new_machine_id() for _ in range(machines)]
    folder.create(ids[0])
    clocks = [clock(m, 1_767_000_000_000 + 1000 * i) for i, m in enumerate(ids)]
    docs = store.group_documents(group.id)
    record = group_record(store.group_doc(group.id))
    folder.publish(ids[0], [ch.put("group", record, clocks[0].now())])
    # Published as the file keeps them (raw records, every key kept).
    raw = store.group_tables(group.id).get("commitments", {}).values()
    commitments = {c["id"]: c for c in sorted(raw, key=lambda c: c["made_at"])}
    counts = [0] * machines
    for n, session in enumerate(map(stored, docs.sessions)):
        m = n % machines
        batch = [ch.put("session", session, clocks[m].now())]
        batch += [ch.put("commitment", commitments.pop(c), clocks[m].now())
                  for c in session.get("commitment_ids", []) if c in commitments]
        counts[m] += 1
        folder.publish(ids[m], batch, after=counts[m] - 1)
    rest = [ch.put("commitment", c, clocks[0].now()) for c in commitments.values()]
    rest += [ch.put("checkin", c, clocks[0].now()) for c in map(stored, docs.checkins)]
    if rest:
        counts[0] += 1
        folder.publish(ids[0], rest, after=counts[0] - 1)
    joining.join(HistoryStore(joined), shared, key)
    print(json.dumps({"group": group.name, "id": group.id}))
elif mode == "publish":
    shared, key_file, group_id = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    key = load_key(key_file)
    machine = new_machine_id()
    folder = SharedFolder(shared, key)
    folder.add_machine(machine)
    c = clock(machine, 1_900_000_000_000)
    session = {"id": "benchnew" + machine[:8], "group_id": group_id, "notes": [],
               "started_at": "2030-01-01T10:00:00+00:00", "ended_at": "2030-01-01T12:00:00+00:00"}
    store = HistoryStore(Path(sys.argv[5]))
    last = stored(store.sessions(group_id)[-1])
    session = copy.deepcopy(last) | {k: v for k, v in session.items() if k != "notes"}
    session["commitment_ids"] = []
    folder.publish(machine, [ch.put("session", session, c.now())])
elif mode == "take":
    data, group_id = Path(sys.argv[2]), sys.argv[3]
    # What the pass imports on first use, imported first: the pass is measured.
    import cryptography.hazmat.primitives.ciphers.aead, peersession.store.shape_check
    import peersession.store.search_index, peersession.core.records
    store = HistoryStore(data)
    began = time.perf_counter()
    with store.syncing():
        result = sync.take_in(store, group_id, strict=True)
    took = time.perf_counter() - began
    assert result.files_read == 1 and result.records_written >= 1, result
    print(took)
"""


def _script(run: Run, install: Install) -> Path:
    return install.script(run.scratch, "sharing", SCRIPT)


def _python(run: Run, install: Install, *args: str) -> str:
    done = subprocess.run(
        [str(_script(run, install)), *args],
        env=run.env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{install.label}: {' '.join(args[:1])}: {done.stderr.strip()[-600:]}")
    return done.stdout


def _prepared(run: Run, install: Install, dataset: Dataset) -> tuple[Path, Path, dict[str, str]]:
    """(the joined data folder, the shared folder, the group's facts), made once a run."""
    base = run.scratch / f"{install.slug}-shared-{dataset.name}"
    facts_file = base / "facts.json"
    if not facts_file.exists():
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        source = base / "source"
        shutil.copytree(run.archive(install, dataset), source, symlinks=True)
        out = _python(
            run,
            install,
            "prepare",
            str(source),
            str(base / "folder" / "circle"),
            str(base / "joined"),
            str(MACHINES),
        )
        # As the folder was before any sample added a session to it.
        shutil.copytree(base / "folder" / "circle", base / "pristine", symlinks=True)
        facts_file.write_text(out)
    facts: dict[str, str] = json.loads(facts_file.read_text())
    return base / "joined", base / "folder" / "circle", facts


def _restore(shared: Path) -> None:
    """The shared folder as it was prepared (a sample may have added a session)."""
    shutil.rmtree(shared, ignore_errors=True)
    shutil.copytree(shared.parent.parent / "pristine", shared, symlinks=True)


def open_shared(run: Run, dataset: Dataset, goal: Goal) -> None:
    def sample(install: Install, side: str, _: int) -> float:
        joined, shared, facts = _prepared(run, install, dataset)
        _restore(shared)
        data = joined
        if side == "floor":
            data = run.scratch / f"{install.slug}-unshared-{dataset.name}"
            if not data.exists():
                shutil.copytree(joined, data, symlinks=True)
                shutil.rmtree(data / "shared")
        return spawned(install.argv(data, "group", "show", facts["group"]), run.env(data))

    sessions = dataset.groups[0].sessions
    what = (
        f"`group show` of a group shared by {MACHINES} machines, nothing new "
        f"({sessions} sessions): spawn to exit"
    )
    row = Row("sharing", f"open, {sessions} sessions", "", what, goal=goal)
    row.floor_what = "the same command on the same history, not shared"
    run.add_pairs(run.pairs(run.size.pairs, sample), row)


def take_in_one(run: Run, dataset: Dataset, goal: Goal) -> None:
    def sample(install: Install, side: str, _: int) -> float:
        joined, shared, facts = _prepared(run, install, dataset)
        if side == "floor":
            target = run.scratch / f"{install.slug}-take-floor" / "group.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(group_file(joined, facts["id"]), target)
            began = time.perf_counter()
            floors.rewrite(target)
            return time.perf_counter() - began
        # A fresh copy of the joined folder (its link names the shared folder's path,
        # put back as prepared), then a session from a tenth machine.
        data = run.scratch / f"{install.slug}-take-{dataset.name}"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(joined, data, symlinks=True)
        _restore(shared)
        key = shared.parent / "key"
        _python(run, install, "publish", str(shared), str(key), facts["id"], str(data))
        return float(_python(run, install, "take", str(data), facts["id"]).strip())

    sessions = dataset.groups[0].sessions
    what = (
        f"one new session from a tenth machine taken into a shared group of {sessions} "
        "sessions: list, open one segment, merge, write the group's file, keep the state "
        "(in a Python that has imported what the pass uses)"
    )
    row = Row("sharing", f"one new session, {sessions} sessions", "", what, goal=goal)
    row.floor_what = "one rewrite of the group's file (read, parse, dump, atomic write)"
    run.add_pairs(run.pairs(run.size.pairs, sample), row)
