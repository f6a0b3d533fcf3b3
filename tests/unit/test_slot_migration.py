"""Schema 1 → 2: a folder written by peersession before slots gets a slot per group.

The fixture ``tests/fixtures/schema1`` was written by the schema 1 code itself
(see ``tests/fixtures/make_schema1.py``): a group meeting on Thursdays at 16:00
London whose sessions started at 16:08, 15:58, 16:02 and once on a Monday at
16:30, and whose last session set its next meeting on a Monday.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pendulum
import pytest
from icalendar import Calendar
from msgspec.structs import replace

from peersession.cli import main
from peersession.core.record_types import stored
from peersession.core.slot import Slot, parse_at
from peersession.demo import demo_history
from peersession.errors import UserError
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.exports.bundle_import import import_bundle
from peersession.store import schema
from peersession.store.history import HistoryStore
from peersession.store.merge import merge_bundle
from peersession.store.storage import MisshapenFile

from engine_support import read_sessions

FIXTURE = Path(__file__).parents[1] / "fixtures" / "schema1"


@pytest.fixture
def old_folder(tmp_path: Path) -> Path:
    root = tmp_path / "old"
    shutil.copytree(FIXTURE, root)
    for path in root.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return root


@pytest.fixture
def machine_in_london() -> Iterator[None]:
    pendulum.set_local_timezone(pendulum.timezone("Europe/London"))
    yield
    pendulum.set_local_timezone(pendulum.timezone("UTC"))


def test_the_fixture_is_schema_1() -> None:
    index = json.loads((FIXTURE / "peersession.json").read_text())
    assert index["_meta"]["1"]["schema"] == 1 and schema.SCHEMA_VERSION > 1
    assert all("slot" not in g for g in index["groups"].values())


@pytest.mark.usefixtures("machine_in_london")
def test_each_group_gets_its_usual_slot_and_a_backup_is_kept(old_folder: Path) -> None:
    before = (old_folder / "peersession.json").read_bytes()
    store = HistoryStore(old_folder)
    circle = store.find_group("Thursday Circle")
    assert circle.slot is not None
    assert circle.slot.zone == "Europe/London"
    assert (circle.slot.time.hour, circle.slot.time.minute) == (16, 0)
    # The agreed Monday 23 November, moved to the group's Thursday.
    assert circle.slot.anchor == pendulum.date(2026, 11, 26)
    assert circle.slot.sequence == 0 and not circle.slot.skipped and not circle.slot.moved
    # Nothing else about the group changed, and its sessions are all there.
    assert [m.name for m in circle.members] == ["Ana", "Bo"] and circle.cadence_days == 21
    assert len(store.sessions(circle.id)) == 4
    empty = store.find_group("Empty Group")
    assert empty.slot is not None and (empty.slot.time.hour, empty.slot.time.minute) == (16, 0)
    assert empty.slot.anchor == empty.created.in_timezone("Europe/London").date().add(days=21)
    migrated = json.loads((old_folder / "peersession.json").read_text())
    assert migrated["_meta"]["1"]["schema"] == schema.SCHEMA_VERSION
    backups = list((old_folder / "backups").iterdir())
    assert [b.read_bytes() for b in backups if b.name.startswith("peersession.")] == [before]


@pytest.mark.usefixtures("machine_in_london")
def test_after_migration_the_next_meeting_is_on_the_slot(
    old_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["group", "show", "Thursday Circle", "--data-dir", str(old_folder)]) == 0
    out = capsys.readouterr().out
    assert "every 3 weeks on Thursday at 16:00 (Europe/London)" in out
    assert (
        main(["export", "Thursday Circle", "--format", "ics", "--data-dir", str(old_folder)]) == 0
    )
    (event,) = Calendar.from_ical(capsys.readouterr().out).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DTSTART") == datetime(
        2026, 11, 26, 16, 0, tzinfo=ZoneInfo("Europe/London")
    )


def test_migrating_twice_changes_nothing(old_folder: Path) -> None:
    HistoryStore(old_folder)
    once = (old_folder / "peersession.json").read_bytes()
    HistoryStore(old_folder)
    assert (old_folder / "peersession.json").read_bytes() == once


def schema1_bundle() -> dict[str, Any]:
    """A bundle as schema 1 wrote it: no slot in the group."""
    demo = demo_history(today=pendulum.date(2026, 3, 10))
    checkins = [checkin for checkin, _ in demo.checkins]
    bundle = build_bundle(demo.group, read_sessions(demo.sessions), demo.commitments(), checkins)
    bundle = parse_bundle(dumps_bundle(bundle))
    bundle["schema"] = 1
    del bundle["group"]["slot"]
    return bundle


def test_a_schema_1_bundle_imports_with_a_slot_from_its_sessions(store: HistoryStore) -> None:
    bundle = schema1_bundle()
    merge_bundle(store, bundle)
    group = store.find_group(bundle["group"]["id"])
    # The demo's sessions start at 16:00 UTC (the tests' machine zone) on Thursdays.
    assert group.slot is not None and group.slot.zone == "UTC"
    assert (group.slot.time.hour, group.slot.time.minute) == (16, 0)
    assert group.slot.anchor.weekday() == 3  # Thursday


def test_merging_keeps_the_slot_changed_last(store: HistoryStore) -> None:
    bundle = schema1_bundle()
    merge_bundle(store, bundle)
    local = store.find_group(bundle["group"]["id"])
    assert local.slot is not None
    edited = replace(local.slot, at=parse_at("17:00"), sequence=local.slot.sequence + 1)
    newer = {**bundle, "schema": 2, "group": replace(local, slot=edited).to_doc()}
    merge_bundle(store, newer)
    assert store.find_group(local.id).slot == edited
    older = {**bundle, "schema": 2, "group": local.to_doc()}
    merge_bundle(store, older)
    assert store.find_group(local.id).slot == edited


@pytest.mark.parametrize(
    "damage",
    [{"zone": "Mars/Base"}, {"at": "25:00"}, {"anchor": "soon"}, {"moved": ["2027-01-01"]}],
)
def test_a_bundle_with_a_damaged_slot_is_refused_in_one_line(
    store: HistoryStore, damage: dict[str, Any]
) -> None:
    bundle = schema1_bundle()
    bundle["schema"] = schema.SCHEMA_VERSION
    good = stored(Slot(anchor=pendulum.date(2026, 3, 5), at=parse_at("16:00"), zone="UTC"))
    bundle["group"]["slot"] = {**good, **damage}
    with pytest.raises(UserError) as refused:
        import_bundle(store, bundle)
    assert "\n" not in str(refused.value) and "nothing was imported" in str(refused.value)
    assert store.groups() == []


def test_a_hand_damaged_group_does_not_stop_the_migration(old_folder: Path) -> None:
    index = old_folder / "peersession.json"
    tables = json.loads(index.read_text())
    empty = next(g for g in tables["groups"].values() if g["name"] == "Empty Group")
    empty["created_at"] = "not a moment"
    empty["cadence_days"] = "often"
    index.write_text(json.dumps(tables))
    # The index migrates (the damaged group keeps no slot); then the shape check
    # refuses the damaged record in one line naming the file, as for any file.
    with pytest.raises(MisshapenFile) as refused:
        HistoryStore(old_folder)
    assert "peersession.json" in str(refused.value) and "\n" not in str(refused.value)
    migrated = json.loads(index.read_text())
    assert migrated["_meta"]["1"]["schema"] == schema.SCHEMA_VERSION
    slots = {g["name"]: g.get("slot") for g in migrated["groups"].values()}
    assert slots["Thursday Circle"] is not None and slots["Empty Group"] is None
