"""Nobody writes into a data folder another user owns (issue #26, point 10).

Root's check-in into a folder owned by ``nobody`` replaced its files with
root-owned 0600 copies: the owner could no longer read their own history.
Keeping the owner would need privileges a rename does not have (and a
normal user cannot give a file away), so every write into a folder of
another user is refused in one line before anything is touched, whoever runs
it: the write lock and the live lock, which every write takes, check who owns
the folder first. Reading it stays possible.

These tests chown a data folder to ``nobody``, so they run only as root.
"""

from __future__ import annotations

import json
import os
import pwd
import stat
from pathlib import Path

import pendulum
import pytest

from peersession.cli import main
from peersession.core.clock import FakeClock
from peersession.core.commitment_state import commitment_is_open
from peersession.demo import demo_history
from peersession.errors import UserError
from peersession.exports.bundle import build_bundle, dumps_bundle
from peersession.settings import save_theme
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group
from peersession.store.live import LiveSession

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="giving a folder to another user needs root"
)

TODAY = pendulum.date(2026, 3, 5)


def nobody() -> tuple[int, int]:
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def give_away(root: Path) -> None:
    uid, gid = nobody()
    for path in [root, *root.rglob("*")]:
        os.chown(path, uid, gid, follow_symlinks=False)


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Every entry: owner, mode and (files) bytes."""
    seen = {}
    for path in [root, *sorted(root.rglob("*"))]:
        st = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
        seen[str(path.relative_to(root))] = (st.st_uid, stat.S_IMODE(st.st_mode), data)
    return seen


@pytest.fixture
def history(data_dir: Path) -> tuple[Path, str, str, str]:
    """A data folder with the demo group's history: (root, group, member, open commitment)."""
    store = HistoryStore(data_dir)
    demo = demo_history(today=TODAY, sessions=4)
    seed_demo(store, demo)
    group = store.groups()[0]
    commitment = next(c for c in store.commitments(group.id) if commitment_is_open(c))
    member = next(m.name for m in group.members if m.id == commitment.owner)
    return data_dir, group.name, member, commitment.id


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main([*args, "--data-dir", str(root)])
    out, err = capsys.readouterr()
    return status, out + err


def writes(group: str, member: str, commitment: str, bundle: Path) -> list[list[str]]:
    return [
        ["checkin", group, "-m", member, "--done", commitment[:6], "--note", "sent it"],
        ["group", "add", "Another", "-m", "Ana", "-m", "Bo"],
        ["group", "edit", group, "--add-member", "Dee"],
        ["import", str(bundle)],
        ["doctor", "--repair", "--yes"],
    ]


def a_bundle(tmp_path: Path) -> Path:
    group = new_group("Imported", ["Ana", "Bo"])
    path = tmp_path / "bundle.json"
    path.write_text(dumps_bundle(build_bundle(group, [], [], include_private=True)))
    return path


def test_every_write_into_another_users_data_folder_is_refused_untouched(
    history: tuple[Path, str, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, group, member, commitment = history
    # Something for the doctor to repair, too: a file open to others.
    (root / "peersession.json").chmod(0o644)
    give_away(root)
    before = snapshot(root)
    for command in writes(group, member, commitment, a_bundle(tmp_path)):
        status, said = run(root, capsys, *command)
        assert status == 1, (command, said)
        lines = said.strip().splitlines()
        assert len(lines) == 1 and "belongs to another user (nobody" in lines[0], (command, said)
        assert snapshot(root) == before, f"{command} changed the folder"
    # Reading is still possible: the history is not locked away from root.
    status, said = run(root, capsys, "group", "show", group)
    assert status == 0, said


def test_a_live_session_is_not_started_in_another_users_data_folder(
    history: tuple[Path, str, str, str], clock: FakeClock
) -> None:
    root, group_name, _, _ = history
    give_away(root)
    before = snapshot(root)
    store = HistoryStore(root, create=False)
    with pytest.raises(UserError, match="belongs to another user"):
        LiveSession.start(store, store.find_group(group_name), clock)
    assert snapshot(root) == before, "not even live/ is made"


def test_settings_are_not_saved_into_another_users_folder(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    config = folder / "config.toml"
    config.write_text('theme = "mono"\n')
    give_away(folder)
    before = snapshot(folder)
    with pytest.raises(UserError, match="belongs to another user"):
        save_theme("screenshare", config)
    assert snapshot(folder) == before


def test_the_owner_still_writes_into_their_own_folder(
    history: tuple[Path, str, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The normal case: the same writes, in a folder of the user running them."""
    root, group, member, commitment = history
    for command in writes(group, member, commitment, a_bundle(tmp_path)):
        status, said = run(root, capsys, *command)
        assert status == 0, (command, said)
    index = json.loads((root / "peersession.json").read_bytes())
    names = sorted(g["name"] for g in index["groups"].values())
    assert names == sorted([group, "Another", "Imported"])
    owners = {path.stat().st_uid for path in [root, *root.rglob("*")]}
    assert owners == {os.geteuid()}
