"""The shared folder carried by a real sync engine: two and three Syncthing instances
on 127.0.0.1, each machine writing into its own copy of the folder and reading what
the others wrote from it. A campaign (it starts real processes and waits for them);
skipped, with the reason, where Syncthing is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from peersession.cli import checkin_cmd, main
from peersession.core import changes as ch
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.paths import DataLayout
from peersession.store.follow import JournalFollower
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.store.shared import exchange
from peersession.store.shared.folder import SharedFolder
from peersession.store.shared.key import GroupKey
from peersession.store.shared.local import LocalShare

from checkin_support import ANA_FIRST, ANA_SECOND, seed_commitments
from shared_support import SECRETS, Machine, Wall, confidential_group, demo_changes, shown
from syncthing_support import Cluster, running_cluster, syncthing_binary

pytestmark = [
    pytest.mark.campaign,
    pytest.mark.skipif(
        syncthing_binary() is None,
        reason="syncthing is not installed (Debian: apt-get install syncthing)",
    ),
]


class Laptop:
    """A member's machine: its data folder, and its Syncthing copy of the shared folder."""

    def __init__(self, data: Path, folder: Path) -> None:
        self.local = LocalShare(data, "g1")
        self.folder = folder
        self.wall = Wall()

    def share(self) -> GroupKey:
        key = GroupKey.new()
        link = self.local.start(self.folder, key)
        SharedFolder(self.folder, key).create(link.machine)
        return key

    def join(self, key: GroupKey) -> None:
        SharedFolder(self.folder, key).verify()
        link = self.local.start(self.folder, key)
        SharedFolder(self.folder, key).add_machine(link.machine)

    def machine(self) -> Machine:
        machine = Machine(id=self.local.link().machine, wall=self.wall)
        machine.clock = exchange.clock_for(self.local, self.wall, self.local.state())
        return machine

    def view(self) -> str:
        exchange.take_in(self.local)
        state = self.local.state()
        assert state is not None
        return shown(state)


def synced(cluster: Cluster, what: str) -> None:
    seconds = cluster.wait_in_sync()
    print(f"syncthing: {what} in sync after {seconds:.1f} s")


def test_segments_written_on_one_machine_are_read_merged_on_another(tmp_path: Path) -> None:
    with running_cluster(tmp_path, 2) as cluster:
        a, b = cluster.instances
        ana = Laptop(tmp_path / "data-a", a.folder)
        bo = Laptop(tmp_path / "data-b", b.folder)
        key = ana.share()
        author = ana.machine()
        for batch in demo_changes(12, [author]):
            exchange.publish(ana.local, batch)
        synced(cluster, "12 sessions from A")
        bo.join(key)
        assert bo.view() == ana.view()
        # A check-in on B reaches A: its review is the commitment's last.
        state = bo.local.state()
        assert state is not None
        commitment_id = sorted(state.records("commitment"))[0]
        on_b = bo.machine().clock
        review = {"status": "done", "source": "checkin", "source_id": "i-from-b"}
        exchange.publish(
            bo.local,
            [
                ch.put(
                    "checkin", {"id": "i-from-b", "statuses": {commitment_id: "done"}}, on_b.now()
                ),
                ch.add_element("commitment", commitment_id, "reviews", review, on_b.now()),
            ],
        )
        synced(cluster, "B's check-in")
        assert ana.view() == bo.view()
        reached = ana.local.state()
        assert reached is not None
        assert reached.records("commitment")[commitment_id]["reviews"][-1] == review
        intake = SharedFolder(a.folder, key).take_in({})
        assert intake.findings == []
        assert {s.path for s in intake.strays} == {".stfolder"}  # Syncthing's own marker


def test_three_machines_converge_and_a_late_joiner_gets_it_all(tmp_path: Path) -> None:
    with running_cluster(tmp_path, 3) as cluster:
        laptops = [Laptop(tmp_path / f"data-{i.name}", i.folder) for i in cluster.instances]
        ana, bo, cy = laptops
        key = ana.share()
        exchange.publish(ana.local, confidential_group(ana.machine()))
        synced(cluster, "A's group")
        bo.join(key)
        bo.view()
        # Offline at once: A and B both change the group's length; B adds a session.
        exchange.publish(
            ana.local,
            [ch.set_fields("group", "g1", "g1", {"length_minutes": 90}, ana.machine().clock.now())],
        )
        bo.wall.ms += 60_000
        on_b = bo.machine().clock
        exchange.publish(
            bo.local,
            [
                ch.set_fields("group", "g1", "g1", {"length_minutes": 100}, on_b.now()),
                ch.put("session", {"id": "s-on-b", "notes": []}, on_b.now()),
            ],
        )
        synced(cluster, "A's and B's edits")
        cy.join(key)
        views = {laptop.view() for laptop in laptops}
        assert len(views) == 1
        state = cy.local.state()
        assert state is not None
        assert state.records("group")["g1"]["length_minutes"] == 100
        assert set(state.records("session")) == {"s1", "s-on-b"}
        for instance in cluster.instances:
            data = b"".join(p.read_bytes() for p in instance.folder.rglob("*") if p.is_file())
            for secret in SECRETS:
                assert secret.encode() not in data


def test_a_checkin_on_b_reaches_the_review_on_a_through_syncthing(
    tmp_path: Path,
    store: HistoryStore,
    group: Group,
    clock: FakeClock,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The whole promise through the command line and a real sync engine: share on A,
    join on B, a check-in on B, and A's next session starts with it pre-filled."""
    seed_commitments(store, group, clock)
    monkeypatch.setattr(checkin_cmd, "CLOCK", clock)
    key = tmp_path / "circle.key"
    with running_cluster(tmp_path, 2) as cluster:
        a, b = cluster.instances
        bo = tmp_path / "data-bo"
        assert (
            main(
                [
                    "share",
                    group.name,
                    str(a.folder),
                    "--key-file",
                    str(key),
                    "--data-dir",
                    str(data_dir),
                ]
            )
            == 0
        )
        took = [cluster.wait_in_sync()]
        assert main(["join", str(b.folder), "--key-file", str(key), "--data-dir", str(bo)]) == 0
        answers = ["--partial", ANA_FIRST, "--not-done", ANA_SECOND, "--note", "Halfway there"]
        code = main(["checkin", "--member", "Ana", *answers, "--data-dir", str(bo)])
        assert code == 0, capsys.readouterr().err
        took.append(cluster.wait_in_sync())
        clock.advance(minutes=60)
        live = LiveSession.start(HistoryStore(data_dir), group, clock)
        try:
            items = {item.commitment_id: item for item in live.meeting.setup.review_items}
            live.dispatch(ev.Next())
            live.dispatch(ev.NoteAdded(note_id="n1", text="Ana starts", private=False))
            took.append(cluster.wait_in_sync())
            # B follows A's meeting from its own copy of the folder, as `view` does.
            followed = JournalFollower(DataLayout(bo), group.id).poll()
            assert followed.shared and followed.status == "live", followed.problem
            assert followed.meeting is not None
            assert followed.meeting.last_seq == live.meeting.last_seq == 3
        finally:
            live.suspend()
        assert (items[ANA_FIRST].prefill_status, items[ANA_FIRST].prefill_note) == (
            "partial",
            "Halfway there",
        )
        assert items[ANA_SECOND].prefill_status == "not_done"
        capsys.readouterr()
        assert main(["doctor", "--data-dir", str(data_dir)]) == 0, capsys.readouterr().out
        with capsys.disabled():
            print(f"syncthing: A's shared history in sync after {took[0]:.1f} s")
            print(f"syncthing: B's check-in (the CLI) in sync after {took[1]:.1f} s")
            print(f"syncthing: A's live meeting followed on B after {took[2]:.1f} s")
