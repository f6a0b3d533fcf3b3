"""Measure what a shared group costs to open, against the same group unshared.

    .venv/bin/python scripts/measure_shared_open.py [--sessions 170] [--machines 9] [--runs 15]

Builds the demo group's history of ``--sessions`` sessions into a data folder
(the unshared group), and the same records as a shared folder written by
``--machines`` machines (each session a segment of the machine that ran it,
in turn, and each check-in a segment); a tenth machine takes it all in once.
Then, alternating runs so a busy machine slows both alike, it times:

* **unshared open**: reading the group's documents from its file, what opening
  a group's history does (``HistoryStore.group_documents``);
* **shared open, nothing new**: the same, plus a pass of the exchange that
  finds nothing new (``exchange.take_in``);
* **one new session**: a pass that takes in one new segment (decrypt, merge,
  keep the merge state), against one rewrite of the group's file.

Medians of ``--runs`` each (and the interquartile range), printed as a table.
Issue 23's goal: the shared open at most 1.2x the unshared one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum

from peersession.core import changes as ch
from peersession.core.changes import Change
from peersession.core.hlc import HybridClock
from peersession.demo.history import demo_history
from peersession.store.atomic import atomic_write_bytes
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.shared import exchange
from peersession.store.shared.folder import SharedFolder
from peersession.store.shared.key import GroupKey
from peersession.store.shared.layout import new_machine_id
from peersession.store.shared.local import LocalShare


def plain(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, ensure_ascii=False))
    import msgspec  # type: ignore[import-not-found, unused-ignore]

    return msgspec.to_builtins(value)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(samples: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(samples, n=4)
    return f"{statistics.median(samples):8.2f} ms (IQR {q1:.2f}–{q3:.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=170)
    parser.add_argument("--machines", type=int, default=9)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="peersession-shared-measure-"))
    history = demo_history(today=pendulum.date(2026, 12, 1), sessions=args.sessions, members=8)
    store = HistoryStore(root / "data")
    seed_demo(store, history)
    group_id = history.group.id

    wall = [1_767_000_000_000]

    def tick() -> int:
        wall[0] += 1
        return wall[0]

    machines = [new_machine_id() for _ in range(args.machines)]
    clocks = [HybridClock(m, tick) for m in machines]
    key = GroupKey.new()
    folder = SharedFolder(root / "shared", key)
    folder.create(machines[0])
    group = history.group
    members = [{"id": m.id, "name": m.name, "active": m.active} for m in group.members]
    batches: list[list[Change]] = [
        [ch.put("group", {"id": group.id, "name": group.name, "members": members}, clocks[0].now())]
    ]
    commitments = {c["id"]: plain(c) for c in history.commitments()}
    for number, session in enumerate(history.sessions):
        clock = clocks[number % len(clocks)]
        doc = plain(session)
        batch = [ch.put("session", doc, clock.now())]
        batch += [
            ch.put("commitment", commitments[c], clock.now())
            for c in doc["commitment_ids"]
            if c in commitments
        ]
        batches.append(batch)
    for number, (checkin, _) in enumerate(history.checkins):
        clock = clocks[number % len(clocks)]
        batches.append([ch.put("checkin", plain(checkin), clock.now())])
    for batch in batches:
        folder.publish(batch[0].machine, batch)
    reader = LocalShare(root / "reader", group_id)
    reader.start(folder.root, key)
    exchange.take_in(reader)  # the first pass: everything is new
    segments = sum(1 for _ in folder.root.rglob("*.segment"))
    group_file = store.layout.group_history_file(group_id)

    unshared: list[float] = []
    shared: list[float] = []
    for _ in range(args.runs):
        unshared.append(timed(lambda: store.group_documents(group_id)))
        shared.append(timed(lambda: (store.group_documents(group_id), exchange.take_in(reader))))
    new_session: list[float] = []
    rewrite: list[float] = []
    for run in range(args.runs):
        clock = clocks[run % len(clocks)]
        folder.publish(
            clock.machine, [ch.put("session", {"id": f"new{run}", "notes": []}, clock.now())]
        )
        new_session.append(timed(lambda: exchange.take_in(reader)))
        rewrite.append(
            timed(
                lambda: atomic_write_bytes(
                    group_file,
                    json.dumps(json.loads(group_file.read_bytes())).encode("utf-8"),
                )
            )
        )
    ratio = statistics.median(shared) / statistics.median(unshared)
    print(
        f"{args.sessions} sessions, {args.machines} machines, {segments} segments, "
        f"group file {group_file.stat().st_size:,} bytes, "
        f"merge state {reader.state_file.stat().st_size:,} bytes, {args.runs} runs"
    )
    print(f"unshared open              {summary(unshared)}")
    print(f"shared open, nothing new   {summary(shared)}   {ratio:.3f}x the unshared (goal ≤ 1.2x)")
    print(f"take in one new session    {summary(new_session)}")
    print(
        f"one group-file rewrite     {summary(rewrite)}   "
        f"{statistics.median(new_session) / statistics.median(rewrite):.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
