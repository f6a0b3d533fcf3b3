"""The shared folder's format: what one machine writes, another takes in, whatever
the sync tool delivers, and what no one without the key can read."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from peersession.core.changes import Change
from peersession.store.shared.folder import NotShared, SharedFolder, WrongKey
from peersession.store.shared.key import GroupKey
from peersession.store.shared.layout import MARKER_NAME, MARKER_TEXT
from peersession.store.shared.segments import SEGMENT_LIMIT

from shared_support import (
    SECRETS,
    Machine,
    confidential_group,
    copy_file,
    demo_changes,
    files_of,
    folder_bytes,
    merged,
    new_folder,
    shown,
)


@pytest.fixture
def key() -> GroupKey:
    return GroupKey.new()


def written_by_three(root: Path, key: GroupKey) -> tuple[SharedFolder, list[Change]]:
    """Three machines' segments in one folder: a demo group's 12 sessions."""
    machines = [Machine(), Machine(), Machine()]
    folder = new_folder(root, machines[0], key)
    everything: list[Change] = []
    for number, batch in enumerate(demo_changes(12, machines)):
        folder.publish(batch[0].machine, batch)
        everything.extend(batch)
        assert number < 200
    return folder, everything


def test_what_three_machines_wrote_is_taken_in_and_merged(tmp_path: Path, key: GroupKey) -> None:
    folder, everything = written_by_three(tmp_path / "shared", key)
    intake = SharedFolder(folder.root, key).take_in({})
    assert intake.findings == [] and intake.strays == []
    assert shown(merged(intake.changes)) == shown(merged(everything))
    assert len(merged(intake.changes).records("session")) == 12


def test_nothing_new_reads_nothing(tmp_path: Path, key: GroupKey) -> None:
    folder, _ = written_by_three(tmp_path / "shared", key)
    first = folder.take_in({})
    again = folder.take_in(first.taken)
    assert again.read == [] and again.changes == []
    assert again.taken == first.taken


def test_files_arriving_in_any_order_and_twice_give_the_same_result(
    tmp_path: Path, key: GroupKey
) -> None:
    source, everything = written_by_three(tmp_path / "source", key)
    relatives = [str(p.relative_to(source.root)) for p in files_of(source.root)]
    random.Random(23).shuffle(relatives)
    target = tmp_path / "target"
    target.mkdir()
    arriving = SharedFolder(target, key)
    taken: dict[str, tuple[int, int]] = {}
    changes: list[Change] = []
    for relative in relatives + relatives[:5]:  # the last five arrive twice
        copy_file(source.root, relative, target)
        if (target / MARKER_NAME).exists():
            intake = arriving.take_in(taken)
            taken = intake.taken
            changes.extend(intake.changes)
    assert shown(merged(changes)) == shown(merged(everything))


def test_a_segment_in_halves_is_waited_for_then_taken_in(tmp_path: Path, key: GroupKey) -> None:
    source, everything = written_by_three(tmp_path / "source", key)
    segment = next(p for p in files_of(source.root) if p.name.endswith(".segment"))
    data = segment.read_bytes()
    segment.write_bytes(data[: len(data) // 2])
    first = source.take_in({})
    relative = str(segment.relative_to(source.root))
    assert [f.path for f in first.findings] == [relative]
    assert "incomplete" in first.findings[0].line()
    assert relative not in first.taken
    segment.write_bytes(data)  # the rest arrives
    second = source.take_in(first.taken)
    assert second.read == [relative] and second.findings == []
    assert shown(merged(first.changes + second.changes)) == shown(merged(everything))


def test_a_segment_cut_to_its_first_line_is_incomplete_not_damaged(
    tmp_path: Path, key: GroupKey
) -> None:
    source, _ = written_by_three(tmp_path / "source", key)
    segment = next(p for p in files_of(source.root) if p.name.endswith(".segment"))
    for cut in (0, 5, segment.read_bytes().index(b"\n") + 1):
        segment.write_bytes(segment.read_bytes()[:cut] if cut else b"")
        assert "incomplete" in source.take_in({}).findings[0].problem


def test_sync_tools_leftovers_are_reported_and_lose_nothing(tmp_path: Path, key: GroupKey) -> None:
    folder, everything = written_by_three(tmp_path / "shared", key)
    root = folder.root
    machine = next(p for p in root.iterdir() if p.is_dir())
    segment = next(machine.glob("*.segment"))
    leftovers = {
        f"{machine.name}/{segment.stem}.sync-conflict-20261206-101500-ABCDEFG.segment": "Syncthing",
        f"{machine.name}/{segment.stem} (Ana's conflicted copy 2026-12-06).segment": "cloud drive",
        f"{machine.name}/.syncthing.{segment.name}.tmp": "still receiving",
        f"{machine.name}/~$notes.docx": "lock file",
        f"{machine.name}/.~tmp-segment": "temporary",
        f"{machine.name}/{segment.stem} (1).segment": "copy of one of peersession's",
        f"{machine.name}/.{segment.name}.4242.tmp": "interrupted",
        f"{machine.name} (1)": "copy of one of peersession's",
        ".git": "git's own",
        ".gitignore": "git's own",
        ".stfolder": "Syncthing's own",
        "notes.txt": "not a name peersession writes",
    }
    for relative in leftovers:
        path = root / relative
        if relative in {".git", ".stfolder", f"{machine.name} (1)"}:
            path.mkdir()
        else:
            path.write_bytes(segment.read_bytes())
    before = folder_bytes(root)
    intake = folder.take_in({})
    lines = {stray.path: stray.line() for stray in intake.strays}
    assert set(lines) == set(leftovers)
    for relative, what in leftovers.items():
        assert what in lines[relative]
        assert lines[relative].endswith("ignored, nothing in it is read")
    assert intake.findings == []
    assert shown(merged(intake.changes)) == shown(merged(everything))
    assert folder_bytes(root) == before


def test_a_copy_of_a_segment_under_another_number_does_not_open(
    tmp_path: Path, key: GroupKey
) -> None:
    folder, everything = written_by_three(tmp_path / "shared", key)
    machines = sorted(p for p in folder.root.iterdir() if p.is_dir())
    original = next(machines[0].glob("*.segment"))
    (machines[0] / "00000999.segment").write_bytes(original.read_bytes())  # moved in place
    (machines[1] / "00000888.segment").write_bytes(original.read_bytes())
    (machines[1] / "00000777.segment").write_bytes(original.read_bytes())  # another machine's
    intake = folder.take_in({})
    assert len(intake.findings) == 3
    assert all("does not open" in f.problem for f in intake.findings)
    assert shown(merged(intake.changes)) == shown(merged(everything))


def test_hostile_files_are_reported_one_line_each_and_change_nothing(
    tmp_path: Path, key: GroupKey
) -> None:
    folder, everything = written_by_three(tmp_path / "shared", key)
    root = folder.root
    machine = sorted(p for p in root.iterdir() if p.is_dir())[0]
    stranger = GroupKey.new()
    other = new_folder(tmp_path / "other", Machine(), stranger)
    other_changes = confidential_group(Machine(id=machine.name))
    other.publish(machine.name, other_changes)  # same machine id, another group's key
    (machine / "00000500.segment").write_bytes(
        (other.root / machine.name / "00000001.segment").read_bytes()
    )
    (machine / "00000501.segment").write_bytes(os.urandom(3000))
    (machine / "00000502.segment").write_bytes(b"peersession-segment 1 99\n" + os.urandom(99))
    (machine / "00000503.segment").write_bytes(b"peersession-segment 7 10\n0123456789")
    huge = machine / "00000504.segment"
    with huge.open("wb") as handle:
        handle.truncate(SEGMENT_LIMIT + 1)  # sparse: costs no disk
    (machine / "00000505.segment").mkdir()
    os.mkfifo(machine / "00000506.segment")
    (machine / "00000507.segment").symlink_to("/dev/zero")
    (machine / "00000508.segment").write_bytes(b"peersession-segment 1 2\n\x00\x01\x02")
    before = folder_bytes(root)
    intake = folder.take_in({})
    problems = {f.path.split("/")[1]: f.problem for f in intake.findings}
    assert "does not open" in problems["00000500.segment"]
    assert "damaged" in problems["00000501.segment"]
    assert "does not open" in problems["00000502.segment"]
    assert "newer peersession; kept" in problems["00000503.segment"]
    assert "larger than" in problems["00000504.segment"]
    assert "cannot be read" in problems["00000506.segment"]
    assert "longer than it says" in problems["00000508.segment"]
    strays = {s.path.split("/")[1]: s.what for s in intake.strays}
    assert "a folder where" in strays["00000505.segment"]
    assert "link" in strays["00000507.segment"]
    assert all("\n" not in f.line() for f in intake.findings)
    assert shown(merged(intake.changes)) == shown(merged(everything))
    assert folder_bytes(root) == before
    assert "00000503.segment" not in {k.split("/")[1] for k in intake.taken}


def test_no_name_or_text_is_anywhere_in_the_folder(tmp_path: Path, key: GroupKey) -> None:
    machine = Machine()
    folder = new_folder(tmp_path / "shared", machine, key)
    changes = confidential_group(machine)
    folder.publish(machine.id, changes)
    assert {json.dumps(c.to_json(), ensure_ascii=False) for c in changes}  # they are in there
    everything = (
        b"".join(
            str(p.relative_to(folder.root)).encode() + p.read_bytes()
            for p in sorted(folder.root.rglob("*"))
            if p.is_file()
        )
        + "".join(str(p.relative_to(folder.root)) for p in folder.root.rglob("*")).encode()
    )
    for secret in SECRETS:
        for form in {
            secret,
            secret.casefold(),
            json.dumps(secret)[1:-1],  # as JSON writes it with ensure_ascii
        }:
            for encoding in ("utf-8", "utf-16-le"):
                assert form.encode(encoding) not in everything, f"{secret!r} is readable"
    # ...and yet the machine with the key reads it all back.
    intake = SharedFolder(folder.root, key).take_in({})
    assert json.dumps(merged(intake.changes).records("session"), ensure_ascii=False).count(
        SECRETS[5]
    )


def test_the_marker_says_what_the_folder_is_and_nothing_else(tmp_path: Path, key: GroupKey) -> None:
    folder = new_folder(tmp_path / "shared", Machine(), key)
    assert (folder.root / MARKER_NAME).read_text() == MARKER_TEXT
    assert MARKER_TEXT == "peersession shared folder, format 1\n"


def test_a_wrong_key_is_told_at_once_and_reads_nothing(tmp_path: Path, key: GroupKey) -> None:
    folder, _ = written_by_three(tmp_path / "shared", key)
    before = folder_bytes(folder.root)
    wrong = SharedFolder(folder.root, GroupKey.new())
    with pytest.raises(WrongKey, match="this key does not open this shared folder"):
        wrong.verify()
    intake = wrong.take_in({})
    assert intake.changes == [] and intake.taken == {}
    assert all("does not open" in f.problem for f in intake.findings)
    assert folder_bytes(folder.root) == before
    SharedFolder(folder.root, key).verify()  # the right one does


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        (None, "not a peersession shared folder"),
        (b"peersession shared folder, format 9\n", "format 9, written by a newer peersession"),
        (b"Kestrel Peer Circle\n", "its marker is damaged"),
    ],
)
def test_a_folder_this_peersession_does_not_read_is_one_line(
    tmp_path: Path, key: GroupKey, marker: bytes | None, message: str
) -> None:
    folder, _ = written_by_three(tmp_path / "shared", key)
    if marker is None:
        (folder.root / MARKER_NAME).unlink()
    else:
        (folder.root / MARKER_NAME).write_bytes(marker)
    with pytest.raises(NotShared, match=message) as raised:
        folder.take_in({})
    assert "\n" not in str(raised.value)
    with pytest.raises(NotShared):
        folder.verify()


def test_sharing_into_a_folder_with_another_groups_files_is_refused(
    tmp_path: Path, key: GroupKey
) -> None:
    folder, _ = written_by_three(tmp_path / "shared", key)
    with pytest.raises(WrongKey):
        SharedFolder(folder.root, GroupKey.new()).create(Machine().id)
    (folder.root / MARKER_NAME).unlink()
    with pytest.raises(NotShared, match="no marker"):
        SharedFolder(folder.root, GroupKey.new()).create(Machine().id)


def test_segments_are_never_rewritten_and_numbers_follow_on(tmp_path: Path, key: GroupKey) -> None:
    machine = Machine()
    folder = new_folder(tmp_path / "shared", machine, key)
    first = folder.publish(machine.id, confidential_group(machine))
    second = folder.publish(machine.id, confidential_group(machine), after=5)
    assert [name.split("/")[1] for name in first] == ["00000001.segment"]
    assert [name.split("/")[1] for name in second] == ["00000006.segment"]
    assert oct((folder.root / machine.id / "00000006.segment").stat().st_mode & 0o777) == "0o600"


def test_the_doctors_check_names_each_problem_in_one_line_and_changes_nothing(
    tmp_path: Path, key: GroupKey
) -> None:
    from peersession.store.shared.check import check_folder
    from peersession.store.shared.live_journal import JournalWriter

    folder, _ = written_by_three(tmp_path / "shared", key)
    root = folder.root
    assert check_folder(root, key).healthy
    machine = sorted(p for p in root.iterdir() if p.is_dir())[0]
    journal = JournalWriter(machine, key, machine.name, "d" * 32)
    journal.append({"seq": 0})
    journal.close()
    with journal.path.open("ab") as handle:
        handle.write(b"1 " + b"A" * 60 + b"\n")  # an entry that does not open
    (machine / "00000900.segment").write_bytes(b"peersession-segment 1 9999\nshort")
    (machine / "key-check").write_bytes((machine / "00000001.segment").read_bytes()[:40])
    (root / ".stfolder").mkdir()
    (root / "Circle.sync-conflict-20261206-101500-ABCDEFG.txt").write_text("x")
    before = folder_bytes(root)
    report = check_folder(root, key)
    assert not report.healthy
    assert report.problems == [
        f"{machine.name}/00000900.segment: incomplete (still arriving, or cut short); not taken in",
        f"{machine.name}/key-check: not a peersession key-check (damaged)",
        f"{machine.name}/{'d' * 32}.journal: entry 1 does not open with this group's key; "
        "followed to entry 1",
    ]
    assert report.notes == [
        "Circle.sync-conflict-20261206-101500-ABCDEFG.txt: a conflict copy made by Syncthing; "
        "ignored, nothing in it is read"
    ]
    assert len(check_folder(root, key, everything=True).notes) == 2
    assert folder_bytes(root) == before
    wrong = check_folder(root, GroupKey.new())
    assert len(wrong.problems) == 1 and "does not open this shared folder" in wrong.problems[0]


def test_changes_of_a_newer_peersession_are_left_out_and_their_segment_read_again(
    tmp_path: Path, key: GroupKey
) -> None:
    from peersession.core.changes import put
    from peersession.store.atomic import atomic_write_bytes
    from peersession.store.shared.segments import encode_segment

    machine = Machine()
    folder = new_folder(tmp_path / "shared", machine, key)
    known = put("session", {"id": "s1", "notes": []}, machine.clock.now())
    newer = Change("poll", "p1", machine.clock.now(), "put", None, {"id": "p1"})  # a newer kind
    segment = folder.root / machine.id / "00000001.segment"
    atomic_write_bytes(segment, encode_segment(key, machine.id, 1, [known, newer]))
    intake = folder.take_in({})
    assert intake.changes == [known]
    assert [f.line() for f in intake.findings] == [
        f"{machine.id}/00000001.segment: 1 change(s) of a newer peersession left out; kept"
    ]
    assert intake.taken == {}  # read again by every pass, whole by a newer peersession
    assert folder.take_in(intake.taken).changes == [known]


def test_a_sealed_segment_nested_beyond_reason_is_damaged_not_a_crash(
    tmp_path: Path, key: GroupKey
) -> None:
    from peersession.store.atomic import atomic_write_bytes
    from peersession.store.shared.sealing import bound_to, seal
    from peersession.store.shared.segments import pack

    machine = Machine()
    folder = new_folder(tmp_path / "shared", machine, key)
    deep = b'{"changes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    bound = bound_to("peersession", "segment", 1, machine.id, 1)
    segment = folder.root / machine.id / "00000001.segment"
    atomic_write_bytes(segment, pack("segment", seal(key, deep, bound)))
    intake = folder.take_in({})
    assert [f.problem for f in intake.findings] == [
        "opens, but holds no list of changes; not taken in"
    ]
