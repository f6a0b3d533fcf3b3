"""Join dates, leave and guests survive every path they travel: the group file,
the journal (a session resumed after a kill), a bundle exported and imported,
the shared folder, and doctor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from msgspec.structs import replace

from peersession.cli import main
from peersession.core import changes as ch
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.core.ids import new_id
from peersession.core.lifecycle import Leave
from peersession.core.model import Group, Member
from peersession.core.record_types import stored
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.store.doctor import examine
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession
from peersession.store.merge import merge_bundle
from peersession.store.shared import exchange
from peersession.store.shared.folder import SharedFolder
from peersession.store.shared.key import GroupKey
from peersession.store.shared.local import LocalShare

from shared_support import Wall

LEAVE = Leave(date(2026, 3, 1), date(2026, 4, 30))


def a_group_with_dates(store: HistoryStore) -> Group:
    group = Group(
        id=new_id(), name="Circle", members=tuple(Member(new_id(), n) for n in ("Ana", "Bo", "Cy"))
    )
    ana, bo, cy = group.members
    members = (
        replace(ana, joined=date(2025, 9, 1)),
        replace(bo, joined=date(2026, 2, 1), leave=(LEAVE,)),
        replace(cy, active=False, joined=date(2025, 9, 1), left=date(2026, 1, 31)),
    )
    group = replace(group, members=members)
    store.add_group(group)
    return group


def test_the_dates_are_kept_in_the_group_file(store: HistoryStore, data_dir: Path) -> None:
    group = a_group_with_dates(store)
    again = HistoryStore(data_dir).find_group(group.id)
    assert again.members == group.members


def test_guests_survive_a_kill_and_are_saved_with_the_session(
    store: HistoryStore, clock: FakeClock
) -> None:
    group = a_group_with_dates(store)
    live = LiveSession.start(store, group, clock, guests=("Dr Lee",))
    (guest,) = live.meeting.setup.guest_ids
    live.suspend()  # as a killed terminal leaves it: only the journal
    resumed = LiveSession.resume(store, store.find_group(group.id), clock)
    assert resumed.meeting.setup.guest_ids == {guest}
    assert resumed.meeting.name(guest) == "Dr Lee"
    # Bo is on leave on 5 March 2026 (the clock's day): not expected.
    assert group.members[1].id not in resumed.meeting.attendance
    clock.advance(minutes=60)
    resumed.end()
    (session,) = store.sessions(group.id)
    assert stored(session)["guests"] == [{"id": guest, "name": "Dr Lee"}]
    assert guest in session.attendance
    # The guest is never written as a member.
    assert [m.name for m in store.find_group(group.id).members] == ["Ana", "Bo", "Cy"]


def test_a_bundle_carries_the_dates_and_the_guests(
    store: HistoryStore, clock: FakeClock, tmp_path: Path
) -> None:
    group = a_group_with_dates(store)
    live = LiveSession.start(store, group, clock, guests=("Dr Lee",))
    clock.advance(minutes=60)
    live.end()
    docs = store.group_documents(group.id)
    text = dumps_bundle(build_bundle(group, docs.sessions, docs.commitments))
    elsewhere = HistoryStore(tmp_path / "elsewhere")
    merge_bundle(elsewhere, parse_bundle(text))
    assert elsewhere.find_group(group.id).members == group.members
    (back,) = elsewhere.sessions(group.id)
    assert back.guests and back.guests[0].name == "Dr Lee"


def test_doctor_finds_nothing_wrong_with_them(
    store: HistoryStore, clock: FakeClock, data_dir: Path
) -> None:
    group = a_group_with_dates(store)
    live = LiveSession.start(store, group, clock, guests=("Dr Lee",))
    clock.advance(minutes=60)
    live.end()
    report = examine(data_dir)
    assert report.healthy, [f for f in report.problems]


def test_the_shared_folder_carries_the_dates(tmp_path: Path) -> None:
    folder = tmp_path / "Sync"
    ana, bo = LocalShare(tmp_path / "ana", "g1"), LocalShare(tmp_path / "bo", "g1")
    key = GroupKey.new()
    SharedFolder(folder, key).create(ana.start(folder, key).machine)
    SharedFolder(folder, key).add_machine(bo.start(folder, key).machine)
    member = {"id": "m1", "name": "Ana", "joined": "2025-09-01", "leave": [stored(LEAVE)]}
    group = {"id": "g1", "name": "Circle", "members": [member]}
    clock = exchange.clock_for(ana, Wall(), ana.state())
    session = {"id": "s1", "group_id": "g1", "guests": [{"id": "x1", "name": "Dr Lee"}]}
    exchange.publish(
        ana, [ch.put("group", group, clock.now()), ch.put("session", session, clock.now())]
    )
    exchange.take_in(bo)
    state = bo.state()
    assert state is not None
    assert state.records("group")["g1"]["members"] == [member]
    assert state.records("session")["s1"]["guests"] == [{"id": "x1", "name": "Dr Lee"}]


def test_a_guest_is_named_as_one_in_the_recap_never_as_a_former_member(
    store: HistoryStore, clock: FakeClock, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    group = a_group_with_dates(store)
    live = LiveSession.start(store, group, clock, guests=("Dr Lee",))
    live.dispatch(ev.PhaseJumped(phase="updates"))
    clock.advance(seconds=90)
    live.dispatch(ev.Next())  # Ana's turn ends
    clock.advance(seconds=60)
    live.dispatch(ev.Next())  # the guest's turn ends
    live.end()
    args = ["export", "Circle", "--format", "txt", "--data-dir", str(data_dir)]
    assert main(args) == 0
    recap = capsys.readouterr().out
    assert "Dr Lee (guest)" in recap and "(former member)" not in recap


@pytest.mark.parametrize(
    ("dates", "says"),
    [
        (
            {"leave": [stored(LEAVE), {"first": "2026-04-01", "last": "2026-05-31"}]},
            "overlaps",
        ),
        ({"leave": [{"first": "2026-05-01", "last": "2026-04-01"}]}, "ends before it begins"),
        ({"joined": "2026-05-01", "left": "2026-04-01"}, "left before they joined"),
        ({"joined": "26-05-01"}, "date"),
    ],
)
def test_a_bundle_with_impossible_dates_is_refused_in_one_line(
    store: HistoryStore, tmp_path: Path, dates: dict[str, object], says: str
) -> None:
    from peersession.errors import UserError
    from peersession.exports.bundle_import import import_bundle

    group = a_group_with_dates(HistoryStore(tmp_path / "source"))
    bundle = parse_bundle(dumps_bundle(build_bundle(group, [], [])))
    bundle["group"]["members"][0] = {**bundle["group"]["members"][0], **dates}
    with pytest.raises(UserError) as refused:
        import_bundle(store, bundle)
    message = str(refused.value)
    assert says in message and "\n" not in message and "nothing was imported" in message
    assert store.groups() == []
