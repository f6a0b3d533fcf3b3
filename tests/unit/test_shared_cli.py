"""Two and three machines (data folders) sharing one folder through the command line:
share on A, join on B, a check-in on B reaches the review of the next session on A."""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import datetime
from pathlib import Path

import pytest

from peersession.cli import checkin_cmd, main
from peersession.core.clock import FakeClock
from peersession.core.model import Group
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.store.live import LiveSession
from peersession.store.shared.key import GroupKey, load_key
from peersession.store.shared.local import LocalShare
from peersession.store.shared.segments import read_segment

from checkin_support import ANA_FIRST, ANA_SECOND, seed_commitments
from pilot_support import Notice
from shared_support import folder_bytes

SECRET_NOTE = "Ferncastle lab closes in June, tell nobody"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def export_json(capsys: pytest.CaptureFixture[str], data: Path, group: str) -> dict[str, object]:
    code, out, err = run(
        capsys, "export", group, "--all", "--format", "json", "--data-dir", str(data)
    )
    assert code == 0, err
    doc: dict[str, object] = json.loads(out)
    doc.pop("exported_at", None)
    return doc


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    return tmp_path / "Sync" / "circle"


@pytest.fixture
def seeded(store: HistoryStore, group: Group, clock: FakeClock) -> Group:
    seed_commitments(store, group, clock)
    return group


def share_with_key_file(
    capsys: pytest.CaptureFixture[str], data: Path, shared: Path, key: Path
) -> None:
    code, out, err = run(
        capsys,
        "share",
        "Thursday Circle",
        str(shared),
        "--key-file",
        str(key),
        "--data-dir",
        str(data),
    )
    assert code == 0, err
    assert "join" in out


def test_a_checkin_on_b_prefills_the_review_of_the_next_session_on_a(
    tmp_path: Path,
    data_dir: Path,
    seeded: Group,
    shared: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = tmp_path / "circle.key"
    share_with_key_file(capsys, data_dir, shared, key)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    bo = tmp_path / "bo-data"
    code, out, err = run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))
    assert code == 0, err
    assert out.startswith("joined Thursday Circle: 1 session(s)")
    # On B: Ana checks in; the check-in is published as it is saved.
    monkeypatch.setattr(checkin_cmd, "CLOCK", clock)
    code, _, err = run(
        capsys,
        "checkin",
        "--data-dir",
        str(bo),
        "--member",
        "Ana",
        "--partial",
        ANA_FIRST,
        "--not-done",
        ANA_SECOND,
        "--note",
        "Halfway there",
    )
    assert code == 0, err
    clock.advance(minutes=60)
    # On A: the next session opens the group, takes B's check-in in, and pre-fills.
    store_a = HistoryStore(data_dir)
    live = LiveSession.start(store_a, seeded, clock)
    try:
        items = {item.commitment_id: item for item in live.meeting.setup.review_items}
    finally:
        live.suspend()
    assert (items[ANA_FIRST].prefill_status, items[ANA_FIRST].prefill_note) == (
        "partial",
        "Halfway there",
    )
    assert items[ANA_SECOND].prefill_status == "not_done"
    assert export_json(capsys, data_dir, "Thursday Circle") == export_json(
        capsys, bo, "Thursday Circle"
    )


def test_a_session_finished_on_a_reaches_b_with_sync(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    shared: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / "k"
    share_with_key_file(capsys, data_dir, shared, key)
    bo = tmp_path / "bo"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    live = LiveSession.start(HistoryStore(data_dir), seeded, clock)
    live.end()  # committed, and published after the commit
    code, out, err = run(capsys, "sync", "--data-dir", str(bo))
    assert code == 0, err
    assert out.startswith("Thursday Circle: published 0 change(s); took in")
    assert len(HistoryStore(bo).sessions(seeded.id)) == 2


def test_a_third_machine_joining_later_gets_the_same_history(
    tmp_path: Path,
    data_dir: Path,
    seeded: Group,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / "k"
    share_with_key_file(capsys, data_dir, shared, key)
    bo, cy = tmp_path / "bo", tmp_path / "cy"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    # B edits the group; then C joins.
    code, _, err = run(
        capsys, "group", "edit", "Thursday Circle", "--length", "90", "--data-dir", str(bo)
    )
    assert code == 0, err
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(cy))[0] == 0
    run(capsys, "sync", "--data-dir", str(data_dir))
    a, b, c = (export_json(capsys, d, "Thursday Circle") for d in (data_dir, bo, cy))
    assert a == b == c
    assert HistoryStore(data_dir).find_group("Thursday Circle").length_minutes == 90


def test_no_name_or_note_is_readable_in_the_folder(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    group = new_group("Kestrel Peer Circle", ["Zoë Quintanilla-Öberg", "Bartholomew Ngata"])
    store.add_group(group)
    code, out, err = run(
        capsys, "share", "Kestrel Peer Circle", str(shared), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    token = out.strip().splitlines()[-1]
    assert token.startswith("psk1_")
    data = b"".join(folder_bytes(shared).values())
    for secret in ("Kestrel Peer Circle", "Zoë Quintanilla-Öberg", "Bartholomew Ngata", token):
        assert secret.encode() not in data
    assert not any(p.name == "key" for p in shared.rglob("*"))


def test_a_wrong_key_changes_nothing(
    tmp_path: Path,
    data_dir: Path,
    seeded: Group,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    share_with_key_file(capsys, data_dir, shared, tmp_path / "right")
    other = tmp_path / "other-folder"
    share_other = tmp_path / "other-data"
    HistoryStore(share_other).add_group(new_group("Other", ["Zed"]))
    run(
        capsys,
        "share",
        "Other",
        str(other),
        "--key-file",
        str(tmp_path / "wrong"),
        "--data-dir",
        str(share_other),
    )
    before = folder_bytes(shared)
    bo = tmp_path / "bo"
    code, out, err = run(
        capsys, "join", str(shared), "--key-file", str(tmp_path / "wrong"), "--data-dir", str(bo)
    )
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1 and "does not open" in err
    assert folder_bytes(shared) == before
    assert not bo.exists() or not any(bo.rglob("*.json"))


def test_a_publish_that_fails_loses_nothing_and_is_published_next_time(
    tmp_path: Path,
    data_dir: Path,
    seeded: Group,
    shared: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / "k"
    share_with_key_file(capsys, data_dir, shared, key)
    moved = shared.with_name("away")
    os.rename(shared, moved)  # the drive is not mounted
    live = LiveSession.start(HistoryStore(data_dir), seeded, clock)
    live.end()
    said = capsys.readouterr().err.strip().splitlines()
    # One line for each consequence: the session is published next time; members cannot
    # follow the meeting through the folder.
    assert len(said) == 2
    assert sum("published next time" in line for line in said) == 1
    assert sum("the meeting goes on and is saved here" in line for line in said) == 1
    assert not shared.exists()  # not made again in its absence
    assert len(HistoryStore(data_dir).sessions(seeded.id)) == 2  # kept here
    os.rename(moved, shared)
    code, out, err = run(capsys, "sync", "--data-dir", str(data_dir))
    assert code == 0, err
    assert "published" in out and "published 0 change" not in out
    bo = tmp_path / "bo"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    assert len(HistoryStore(bo).sessions(seeded.id)) == 2


def test_doctor_says_how_the_shared_folder_stands(
    tmp_path: Path,
    data_dir: Path,
    seeded: Group,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    share_with_key_file(capsys, data_dir, shared, tmp_path / "k")
    (shared / "notes (conflicted copy).txt").write_text("x")
    code, out, err = run(capsys, "doctor", "--json", "--data-dir", str(data_dir))
    assert code == 0, err
    findings = json.loads(out)["findings"]
    lines = [f["message"] for f in findings]
    assert any("'Thursday Circle': shared through" in line for line in lines)
    assert any("conflict copy made by a cloud drive" in line for line in lines)


def test_doctor_repair_rebuilds_a_lost_group_from_the_folder(
    tmp_path: Path,
    data_dir: Path,
    seeded: Group,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / "k"
    share_with_key_file(capsys, data_dir, shared, key)
    bo = tmp_path / "bo"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    before = export_json(capsys, bo, "Thursday Circle")
    # B's history is lost: the index and the group's file both gone.
    (bo / "peersession.json").unlink()
    (bo / "groups" / f"{seeded.id}.json").unlink()
    code, out, err = run(capsys, "doctor", "--data-dir", str(bo))
    assert code == 1 and "lacks records its shared folder holds" in out
    code, out, err = run(capsys, "doctor", "--repair", "--data-dir", str(bo))
    assert code == 0, out + err
    assert "rebuilt from its shared folder" in out
    assert export_json(capsys, bo, "Thursday Circle") == before


def test_group_show_says_when_the_group_last_synced_and_from_whom(
    tmp_path: Path,
    data_dir: Path,
    seeded: Group,
    shared: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    key = tmp_path / "k"
    share_with_key_file(capsys, data_dir, shared, key)
    bo = tmp_path / "bo"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    code, out, err = run(
        capsys, "group", "show", "Thursday Circle", "--json", "--data-dir", str(bo)
    )
    assert code == 0, err
    view = json.loads(out)["shared"]
    assert view["folder"] == str(shared) and view["last_synced"] is not None
    [a_machine] = view["machines"]  # everything so far came from A
    assert a_machine["changes"] > 0 and not a_machine["this_machine"]
    code, out, _ = run(capsys, "group", "show", "Thursday Circle", "--data-dir", str(bo))
    # Opening the group takes in again, so the second show may be a second later.
    said = re.search(rf"shared:   through {re.escape(str(shared))}; last synced (\S+)\n", out)
    assert said is not None, out
    assert datetime.fromisoformat(said[1]) >= datetime.fromisoformat(view["last_synced"])
    code, out, _ = run(
        capsys, "group", "show", "Thursday Circle", "--json", "--data-dir", str(tmp_path / "nobody")
    )
    assert code == 1


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["join", "{shared}", "--key-file", "{garbage}"], "not a valid group key"),
        (["join", "{tmp}", "--key-file", "{key}"], "not a peersession shared folder"),
        (["join", "{shared}"], "no key: give --key-file FILE"),
        (["share", "Thursday Circle", "{tmp}/elsewhere", "--key-file", "{key}"], "already"),
        (["share", "Nobody", "{tmp}/elsewhere"], "no group named 'Nobody'"),
        (["sync", "Other"], "'Other' is not shared from this machine"),
    ],
)
def test_bad_input_at_share_join_and_sync_is_one_line_and_changes_nothing(
    tmp_path: Path,
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    says: str,
) -> None:
    key = tmp_path / "k"
    share_with_key_file(capsys, data_dir, shared, key)
    store.add_group(new_group("Other", ["Zed"]))
    garbage = tmp_path / "garbage"
    garbage.write_text("psk1_notakey\n")
    values = {"shared": str(shared), "garbage": str(garbage), "key": str(key), "tmp": str(tmp_path)}

    def files() -> dict[str, bytes]:
        # Opening a shared group takes in (nothing new here) and notes when: not a change.
        return {k: v for k, v in folder_bytes(tmp_path).items() if not k.endswith("synced.json")}

    before = files()
    code, out, err = run(capsys, *(a.format(**values) for a in argv), "--data-dir", str(data_dir))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and says in err, err
    assert files() == before


def test_a_correction_made_on_a_reaches_b_and_a_removal_leaves_no_text(
    tmp_path: Path, data_dir: Path, shared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``peersession edit`` on A: a fixed typo reaches B, a removed note leaves B's
    history (and the folder's next bytes say nothing of it), and both agree."""
    from history_support import seed

    history = seed(data_dir)
    group_id, name = history.group.id, history.group.name
    key = tmp_path / "k"
    code, _, err = run(
        capsys, "share", name, str(shared), "--key-file", str(key), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    bo = tmp_path / "bo"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(bo))[0] == 0
    store = HistoryStore(data_dir)
    session = next(s for s in store.sessions(group_id) if len(s.notes) >= 2)
    fixed, gone = session.notes[0], session.notes[1]
    assert gone.text.encode() in (bo / "groups" / f"{group_id}.json").read_bytes()
    d = ("--data-dir", str(data_dir))
    code, _, err = run(capsys, "edit", name, fixed.id, "--text", "Corrected typo", *d)
    assert code == 0, err
    code, _, err = run(capsys, "edit", name, gone.id, "--remove", "--yes", *d)
    assert code == 0, err
    # Meanwhile B, offline (its copy of the folder not synced), rewords the very
    # note A removed, later by the clock: the removal still wins everywhere.
    b = ("--data-dir", str(bo))
    away = shared.with_name("not-synced-yet")
    shared.rename(away)
    code, _, err = run(capsys, "edit", name, gone.id, "--text", "Bo's rewording", *b)
    assert code == 0, err
    away.rename(shared)
    for machine in (b, d, b):
        assert run(capsys, "sync", *machine)[0] == 0
    notes = {n.id: n for n in HistoryStore(bo).session(group_id, session.id).notes}
    assert notes[fixed.id].text == "Corrected typo"
    assert gone.id not in notes
    for data in (data_dir, bo):
        # Removed on purpose, as a tombstone of the merge, not merely missing.
        state = LocalShare(data, group_id).state()
        assert state is not None
        assert gone.id in state.removed()[("session", session.id)]
        saved = (data / "groups" / f"{group_id}.json").read_bytes()
        assert gone.text.encode() not in saved and b"Bo's rewording" not in saved
    assert export_json(capsys, data_dir, name) == export_json(capsys, bo, name)
    # Each machine compacted its own segments: opened with the key, no segment in the
    # folder holds the removed text any more (A's original, B's rewording).
    opened = opened_segments(shared, load_key(key))
    assert len({machine for machine, _ in opened}) == 2
    assert all(gone.text not in text and "Bo's rewording" not in text for _, text in opened)
    assert any(fixed.id in text for _, text in opened)  # the rest is all still there
    # And a third machine joining now gets the same history from the compacted folder.
    cy = tmp_path / "cy"
    assert run(capsys, "join", str(shared), "--key-file", str(key), "--data-dir", str(cy))[0] == 0
    assert export_json(capsys, cy, name) == export_json(capsys, data_dir, name)


def opened_segments(folder: Path, key: GroupKey) -> list[tuple[str, str]]:
    """Every segment in the folder, opened: (machine, its changes as JSON text)."""
    out = []
    for path in sorted(folder.glob("*/*.segment")):
        machine, number = path.parent.name, int(path.stem)
        segment = read_segment(path, key, machine, number)
        out.append((machine, json.dumps([c.to_json() for c in segment.changes])))
    return out


async def test_the_app_says_in_a_notification_when_the_shared_folder_is_gone(
    tmp_path: Path,
    data_dir: Path,
    shared: Path,
    capsys: pytest.CaptureFixture[str],
    notices: list[Notice],
) -> None:
    from peersession.store.shared.notices import set_reporter

    from history_support import history_app, seed, settle

    history = seed(data_dir)
    code, _, err = run(
        capsys, "share", history.group.name, str(shared), "--key-file", str(tmp_path / "k"),
        "--data-dir", str(data_dir),
    )  # fmt: skip
    assert code == 0, err
    shared.rename(shared.with_name("unmounted"))
    app, _ = history_app(data_dir, history.group.id)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            said = [n.message for n in notices if n.title == "Shared folder"]
            assert said and "the shared folder is not there" in said[0], said
    finally:
        set_reporter(None)
    assert capsys.readouterr().err == ""  # the screen said it, not the terminal under it
