"""Schema 2 → 3: a folder written by peersession before join dates gets them.

The fixture ``tests/fixtures/schema2`` was written by the schema 2 code itself
(see ``tests/fixtures/make_schema2.py``): "Thursday Circle" met on 3 and 24
September and 15 October 2026 with Ana, Bo and Cy (roles held, a private note
in the first session); Dee was added before the third; Bo left after it.
"Empty Group" (Eve) never met.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pendulum
import pytest

from peersession.cli import main
from peersession.demo import demo_history
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.store import schema
from peersession.store.history import HistoryStore
from peersession.store.merge import merge_bundle

from engine_support import read_sessions

FIXTURE = Path(__file__).parents[1] / "fixtures" / "schema2"


@pytest.fixture
def old_folder(tmp_path: Path) -> Path:
    root = tmp_path / "old"
    shutil.copytree(FIXTURE, root)
    for path in root.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return root


def test_the_fixture_is_schema_2_and_this_peersession_reads_3() -> None:
    index = json.loads((FIXTURE / "peersession.json").read_text())
    assert index["_meta"]["1"]["schema"] == 2 and schema.SCHEMA_VERSION == 3
    members = [m for g in index["groups"].values() for m in g["members"]]
    assert members and all("joined" not in m for m in members)


def test_members_join_on_their_first_session_and_a_backup_is_kept(old_folder: Path) -> None:
    index_before = (old_folder / "peersession.json").read_bytes()
    group_file = next((old_folder / "groups").iterdir())
    group_before = json.loads(group_file.read_text())
    store = HistoryStore(old_folder)
    circle = store.find_group("Thursday Circle")
    joined = {m.name: m.joined for m in circle.members}
    assert joined == {
        "Ana": date(2026, 9, 3),
        "Bo": date(2026, 9, 3),
        "Cy": date(2026, 9, 3),
        "Dee": date(2026, 10, 15),
    }
    # Nothing else about the members changed: Bo is still a former member,
    # nobody is on leave, and no date of leaving was made up.
    assert [m.name for m in circle.active_members] == ["Ana", "Cy", "Dee"]
    assert all(m.leave == () and m.left is None for m in circle.members)
    # Roles keep their history; the talking time stays the equal rule (nothing stored).
    assert circle.roles == ("host", "facilitator")
    index = json.loads((old_folder / "peersession.json").read_text())
    migrated = next(g for g in index["groups"].values() if g["name"] == "Thursday Circle")
    assert "talking_time" not in migrated
    assert migrated["summary"]["roles_held"]["any_role"]  # untouched
    # A group that never met: its members joined the day it was created.
    empty = store.find_group("Empty Group")
    assert [m.joined for m in empty.members] == [empty.created.date()]
    assert index["_meta"]["1"]["schema"] == 3
    # The group file's records are untouched (only its version goes up).
    store.sessions(circle.id)
    group_after = json.loads(group_file.read_text())
    assert group_after["sessions"] == group_before["sessions"]
    assert group_after["_meta"]["1"]["schema"] == 3
    backups = sorted((old_folder / "backups").iterdir())
    assert [b.read_bytes() for b in backups if b.name.startswith("peersession.")] == [index_before]
    assert any(b.name.startswith(group_file.stem + ".schema2") for b in backups)


def test_migrating_twice_changes_nothing(old_folder: Path) -> None:
    HistoryStore(old_folder).find_group("Thursday Circle")
    once = (old_folder / "peersession.json").read_bytes()
    HistoryStore(old_folder).find_group("Thursday Circle")
    assert (old_folder / "peersession.json").read_bytes() == once


def test_after_migration_dee_finds_no_private_item_of_before_she_joined(
    old_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(old_folder)]
    args = ["export", "Thursday Circle", "--all", "--format", "txt", "--include-private"]
    assert main([*args, *data]) == 0
    assert "Ana's private worry" in capsys.readouterr().out
    assert main([*args, "--for", "Dee", *data]) == 0
    for_dee = capsys.readouterr().out
    assert "Ana's private worry" not in for_dee and "A public note" in for_dee
    assert main([*args, "--for", "Cy", *data]) == 0
    assert "Ana's private worry" in capsys.readouterr().out


def schema2_bundle() -> dict[str, Any]:
    """A bundle as schema 2 wrote it: no join dates."""
    demo = demo_history(today=pendulum.date(2026, 3, 10))
    bundle = build_bundle(demo.group, read_sessions(demo.sessions), demo.commitments(), [])
    bundle = parse_bundle(dumps_bundle(bundle))
    bundle["schema"] = 2
    for member in bundle["group"]["members"]:
        for key in ("joined", "leave", "left"):
            member.pop(key, None)
    return bundle


def test_a_schema_2_bundle_imports_with_join_dates_from_its_sessions(
    store: HistoryStore,
) -> None:
    bundle = schema2_bundle()
    report = merge_bundle(store, bundle)
    assert report.group_created
    group = store.find_group(bundle["group"]["id"])
    first = min(s["started_at"] for s in bundle["sessions"])
    assert all(m.joined is not None for m in group.members)
    assert min(m.joined for m in group.members if m.joined) == date.fromisoformat(first[:10])
    assert len(store.sessions(group.id)) == len(bundle["sessions"])
