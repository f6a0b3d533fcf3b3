"""Three machines, three data folders, one shared folder: share, join, publish, take in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peersession.core import changes as ch
from peersession.core.hlc import HybridClock
from peersession.store.shared import compaction, exchange
from peersession.store.shared.folder import SharedFolder, WrongKey
from peersession.store.shared.key import GroupKey
from peersession.store.shared.local import LocalShare
from peersession.store.shared.segments import read_segment

from shared_support import Machine, Wall, confidential_group, demo_changes, folder_bytes, shown


class Member:
    """One member's machine: its data folder's share of the group, and its clock."""

    def __init__(self, data: Path, group_id: str = "g1") -> None:
        self.local = LocalShare(data, group_id)
        self.wall = Wall()

    def share(self, folder: Path) -> GroupKey:
        key = GroupKey.new()
        link = self.local.start(folder, key)
        SharedFolder(folder, key).create(link.machine)
        return key

    def join(self, folder: Path, key: GroupKey) -> None:
        SharedFolder(folder, key).verify()  # before anything is kept here
        link = self.local.start(folder, key)
        SharedFolder(folder, key).add_machine(link.machine)

    def clock(self) -> HybridClock:
        return exchange.clock_for(self.local, self.wall, self.local.state())

    def sync(self) -> str:
        exchange.take_in(self.local)
        state = self.local.state()
        assert state is not None
        return shown(state)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync" / "circle"


def test_two_machines_edit_the_group_offline_and_converge(tmp_path: Path, folder: Path) -> None:
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    clock = ana.clock()
    group = {"id": "g1", "name": "Circle", "members": [{"id": "m1", "name": "Ana"}]}
    exchange.publish(ana.local, [ch.put("group", group | {"length_minutes": 120}, clock.now())])
    bo.join(folder, key)
    bo.sync()
    # Both offline: each edits the group.
    on_a = ana.clock()
    exchange.publish(
        ana.local, [ch.set_fields("group", "g1", "g1", {"length_minutes": 90}, on_a.now())]
    )
    on_b = bo.clock()
    bo.wall.ms += 60_000  # Bo edits a minute later
    exchange.publish(
        bo.local,
        [
            ch.set_fields("group", "g1", "g1", {"length_minutes": 100}, on_b.now()),
            ch.put("group", group | {"members": [{"id": "m2", "name": "Bo"}]}, on_b.now()),
        ],
    )
    assert ana.sync() == bo.sync()
    record = ana.local.state().records("group")["g1"]  # type: ignore[union-attr]
    assert record["length_minutes"] == 100
    assert [m["id"] for m in record["members"]] == ["m1", "m2"]


def test_a_checkin_on_one_machine_reaches_the_others_review(tmp_path: Path, folder: Path) -> None:
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    clock = ana.clock()
    commitment = {"id": "c1", "owner": "m2", "text": "Send the draft", "reviews": []}
    exchange.publish(ana.local, [ch.put("commitment", commitment, clock.now())])
    bo.join(folder, key)
    bo.sync()
    on_b = bo.clock()
    checkin = {"id": "i1", "member_id": "m2", "statuses": {"c1": "done"}}
    review = {"status": "done", "source": "checkin", "source_id": "i1"}
    exchange.publish(
        bo.local,
        [
            ch.put("checkin", checkin, on_b.now()),
            ch.add_element("commitment", "c1", "reviews", review, on_b.now()),
        ],
    )
    ana.sync()
    state = ana.local.state()
    assert state is not None
    assert state.records("commitment")["c1"]["reviews"][-1] == review
    assert state.records("checkin")["i1"]["statuses"] == {"c1": "done"}


def test_a_third_machine_joining_later_gets_the_same_history(tmp_path: Path, folder: Path) -> None:
    ana, bo, cy = Member(tmp_path / "ana"), Member(tmp_path / "bo"), Member(tmp_path / "cy")
    key = ana.share(folder)
    bo.join(folder, key)
    for member in (ana, bo):
        link = member.local.link()
        machine = Machine(id=link.machine)
        exchange.publish(member.local, confidential_group(machine))
    ana_view, bo_view = ana.sync(), bo.sync()
    cy.join(folder, key)
    assert cy.sync() == ana_view == bo_view


def test_a_wrong_key_changes_nothing_here_or_there(tmp_path: Path, folder: Path) -> None:
    ana, eve = Member(tmp_path / "ana"), Member(tmp_path / "eve")
    ana.share(folder)
    clock = ana.clock()
    exchange.publish(ana.local, [ch.put("session", {"id": "s1", "notes": []}, clock.now())])
    before = folder_bytes(folder)
    with pytest.raises(WrongKey):
        eve.join(folder, GroupKey.new())
    assert not (tmp_path / "eve").exists()
    assert folder_bytes(folder) == before


def test_nothing_new_loads_no_merge_state(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    clock = ana.clock()
    exchange.publish(ana.local, [ch.put("session", {"id": "s1", "notes": []}, clock.now())])
    bo.join(folder, key)
    assert exchange.take_in(bo.local).changed

    def refuse() -> None:
        raise AssertionError("the merge state was read with nothing new")

    monkeypatch.setattr(bo.local, "state", refuse)
    again = exchange.take_in(bo.local)
    assert not again.changed and again.intake.read == []


def test_a_lost_merge_state_is_rebuilt_from_the_folder(tmp_path: Path, folder: Path) -> None:
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    exchange.publish(ana.local, confidential_group(Machine(id=ana.local.link().machine)))
    bo.join(folder, key)
    whole = bo.sync()
    bo.local.state_file.unlink()
    assert bo.sync() == whole
    bo.local.state_file.write_text("{damaged")
    exchange.take_in(bo.local)  # nothing new: the damage is not even read
    on_b = bo.clock()
    exchange.publish(bo.local, [ch.put("session", {"id": "s2", "notes": []}, on_b.now())])
    # Publishing over a damaged state forgets what was taken in: the next pass reads it all.
    assert set(bo.local.taken()) == {f"{bo.local.link().machine}/00000001.segment"}
    bo.sync()
    state = bo.local.state()
    assert state is not None and set(state.records("session")) == {"s1", "s2"}


def test_a_record_damaged_in_the_kept_state_is_rebuilt_from_the_folder(
    tmp_path: Path, folder: Path
) -> None:
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    exchange.publish(ana.local, confidential_group(Machine(id=ana.local.link().machine)))
    bo.join(folder, key)
    whole = bo.sync()
    head, *records = bo.local.state_file.read_bytes().splitlines()
    damaged = []
    for line in records:  # each record is a line: its key, a tab, its JSON
        name, entry = line.split(b"\t")
        record = json.loads(entry)
        record["fields"] = {"name": "damaged"}  # registers that are not registers
        damaged.append(name + b"\t" + json.dumps(record).encode())
    bo.local.state_file.write_bytes(b"\n".join([head, *damaged]) + b"\n")
    clock = ana.clock()
    exchange.publish(
        ana.local, [ch.set_fields("group", "g1", "g1", {"template": "quick"}, clock.now())]
    )
    after = bo.sync()
    state = bo.local.state()
    assert state is not None and state.records("group")["g1"]["template"] == "quick"
    assert after != whole and json.loads(after)["session"] == json.loads(whole)["session"]


def test_the_clock_moves_past_what_was_taken_in(tmp_path: Path, folder: Path) -> None:
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    ana.wall.ms += 3_600_000  # Ana's laptop is an hour fast
    clock = ana.clock()
    theirs = clock.now()
    exchange.publish(ana.local, [ch.put("session", {"id": "s1", "notes": []}, theirs)])
    bo.join(folder, key)
    bo.sync()
    assert bo.clock().now() > theirs


def test_taking_in_one_session_appends_to_the_state_log_and_a_torn_line_is_read_again(
    tmp_path: Path, folder: Path
) -> None:
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    exchange.publish(ana.local, confidential_group(Machine(id=ana.local.link().machine)))
    bo.join(folder, key)
    bo.sync()
    snapshot = bo.local.state_file.read_bytes()
    clock = ana.clock()
    exchange.publish(ana.local, [ch.put("session", {"id": "s2", "notes": []}, clock.now())])
    after = bo.sync()
    assert bo.local.state_file.read_bytes() == snapshot  # not written again: logged
    assert bo.local.state_log.read_bytes().count(b"\n") == 1
    # A crash mid-append: the line is cut, and taken.json never heard of it.
    log = bo.local.state_log.read_bytes()
    bo.local.state_log.write_bytes(log[: len(log) // 2])
    bo.local.save_taken({k: v for k, v in bo.local.taken().items() if "00000002" not in k})
    assert bo.sync() == after


def test_the_publisher_and_a_reader_see_one_history_whatever_their_state_went_through(
    tmp_path: Path, folder: Path
) -> None:
    """The publisher's state is its snapshot and a log replayed; the reader's, one
    pass: reviews carried by one put come out in one order on both."""
    ana, bo = Member(tmp_path / "ana"), Member(tmp_path / "bo")
    key = ana.share(folder)
    machine = Machine(id=ana.local.link().machine, wall=ana.wall)
    machine.clock = ana.clock()
    for batch in demo_changes(12, [machine]):
        exchange.publish(ana.local, batch)
    assert ana.local.state_log.exists()
    bo.join(folder, key)
    assert bo.sync() == ana.sync()


def test_a_compaction_cut_short_is_finished_by_the_next_pass(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = Member(tmp_path / "ana")
    key = ana.share(folder)
    clock = ana.clock()
    note = {"id": "n1", "text": "Ferncastle closes in June", "private": True}
    exchange.publish(ana.local, [ch.put("session", {"id": "s1", "notes": [note]}, clock.now())])
    exchange.publish(ana.local, [ch.remove("session", "s1", "n1", clock.now())])
    state = ana.local.state()
    assert state is not None
    machine_dir = folder / ana.local.link().machine
    original = publish = SharedFolder.publish

    def publish_then_crash(self: SharedFolder, *args: object, **kwargs: object) -> object:
        publish(self, *args, **kwargs)  # type: ignore[arg-type]
        raise OSError(5, "Input/output error")  # killed before the old ones are deleted

    monkeypatch.setattr(SharedFolder, "publish", publish_then_crash)
    with pytest.raises(OSError):
        compaction.compact_own(ana.local, state)
    assert len(list(machine_dir.glob("*.segment"))) == 3  # both sets: they merge the same
    monkeypatch.setattr(SharedFolder, "publish", original)
    assert compaction.compact_own(ana.local, state) == 3
    [left] = machine_dir.glob("*.segment")
    assert left.name == "00000004.segment"  # numbers are never used twice
    assert b"Ferncastle" not in left.read_bytes()
    opened = json.dumps([c.to_json() for c in read_segment(left, key, left.parent.name, 4).changes])
    assert "Ferncastle" not in opened and '"op": "remove"' in opened
    assert compaction.compact_own(ana.local, state) == 0  # done: nothing new removed
    bo = Member(tmp_path / "bo")
    bo.join(folder, key)
    assert bo.sync() == ana.sync()
