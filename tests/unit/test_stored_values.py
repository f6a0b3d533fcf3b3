"""Stored values every reader can use: dates it can compute with, numbers every format holds.

A session that starts in year 1 or 9999, a check-in dated so, or a slot
``sequence`` of 10**18 cannot be shown, exported or searched: the zone
conversion, the calendar file or the history screen overflows. The stored
records (``core/records.py``) say so once, for the import, the history reader
and the journal alike: the import refuses such a bundle in one line naming
the file and the field, writing nothing, and a history file already holding
one (a hand edit) is one line for ``export``, ``search``, ``history`` and the
history screen, never a traceback and never what the record holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from peersession.cli import main
from peersession.core import records
from peersession.core.record_types import door_version, read_version
from peersession.tui.app import create_app

from pilot_support import recorded_notices
from snapshot_support import demo_store

FAR_DATES = ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+00:00")


def folder_bytes(root: Path) -> dict[str, bytes]:
    """The history's files and their bytes. The search index (``search.sqlite3``)
    is left out: a cache built from the history, which ``search`` makes on first use."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith("search.sqlite3")
    }


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


@pytest.fixture
def bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The demo group's whole history, as `export --all --format json` writes it."""
    source = tmp_path / "source"
    demo_store(source)
    out = tmp_path / "bundle.json"
    code, _, err = cli(
        capsys, "--data-dir", str(source), "export", "--all", "--format", "json", "-o", str(out)
    )
    assert code == 0, err
    loaded: dict[str, Any] = json.loads(out.read_text())
    return loaded


def damage(doc: dict[str, Any], field: str, value: object) -> str:
    """Set ``field`` in a bundle; the path the refusal names."""
    if field == "session.started_at":
        doc["sessions"][0]["started_at"] = value
        return "sessions[0].started_at"
    if field == "checkin.at":
        doc["checkins"][0]["at"] = value
        return "checkins[0].at"
    assert field == "slot.sequence"
    doc["group"]["slot"] = {"anchor": "2026-03-05", "at": "16:00", "zone": "Europe/London"}
    doc["group"]["slot"]["sequence"] = value
    return "group.slot.sequence"


CASES = [
    *[("session.started_at", far) for far in FAR_DATES],
    *[("checkin.at", far) for far in FAR_DATES],
    ("slot.sequence", 10**18),
]


@pytest.mark.parametrize(("field", "value"), CASES, ids=[f"{f}={v}" for f, v in CASES])
def test_import_refuses_a_value_no_reader_can_use_in_one_line(
    tmp_path: Path,
    bundle: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    field: str,
    value: object,
) -> None:
    where = damage(bundle, field, value)
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(bundle))
    target = tmp_path / "target"
    demo_store(target)
    before = folder_bytes(target)
    code, out, err = cli(capsys, "--data-dir", str(target), "import", str(hostile))
    assert code == 1, out
    assert err.count("\n") == 1 and str(hostile) in err and where in err, err
    assert folder_bytes(target) == before


def test_the_stored_rules_are_the_same_for_reading_and_for_the_doors() -> None:
    """A value no reader can use is refused when a file is read too, not only at the door."""
    slot = {"anchor": "2026-03-05", "at": "16:00", "zone": "Europe/London"}
    for level in (door_version(records.Slot), read_version(records.Slot)):
        for bad in FAR_DATES:
            with pytest.raises(msgspec.ValidationError, match="a date outside the years"):
                msgspec.convert({**slot, "anchor": bad[:10]}, level)
        with pytest.raises(msgspec.ValidationError, match="sequence"):
            msgspec.convert({**slot, "sequence": 10**18}, level)
        msgspec.convert({**slot, "anchor": "2026-03-05"}, level)
    removal = {"id": "c1", "kind": "win", "record": "session", "record_id": "s1"}
    for removal_level in (records.Removal, read_version(records.Removal)):
        for bad in FAR_DATES:
            with pytest.raises(msgspec.ValidationError, match="removed_at: a date outside"):
                msgspec.convert({**removal, "removed_at": bad}, removal_level)
        msgspec.convert({**removal, "removed_at": "2026-03-05T17:00:00+00:00"}, removal_level)


def hand_edited(data_dir: Path) -> tuple[str, str]:
    """The demo history with one session's start moved to year 9999 by hand;
    the group's id and a text the session holds (never to be printed)."""
    _, group_id = demo_store(data_dir)
    path = data_dir / "groups" / f"{group_id}.json"
    tables = json.loads(path.read_text())
    session = next(iter(tables["sessions"].values()))
    session["started_at"] = FAR_DATES[1]
    held = next(
        note["text"]
        for turn in session["turns"]
        for note in turn["notes"]
        if len(note["text"]) > 12
    )
    path.write_text(json.dumps(tables))
    return group_id, held


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--all", "--format", "md"],
        ["export", "--all", "--format", "txt"],
        ["export", "--all", "--format", "ics"],
        ["export", "--all", "--format", "json"],
        ["search", "the"],
        ["search", "the", "--json"],
    ],
    ids=lambda c: "-".join(c[:3]),
)
def test_a_history_damaged_by_hand_is_one_line_for_every_reader(
    data_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    _, held = hand_edited(data_dir)
    before = folder_bytes(data_dir)
    code, out, err = cli(capsys, "--data-dir", str(data_dir), *command)
    assert code == 1, out[:500]
    assert err.count("\n") == 1 and "started_at" in err, err
    assert held not in out + err
    assert folder_bytes(data_dir) == before


async def test_the_history_screen_of_a_damaged_history_is_one_line(data_dir: Path) -> None:
    group_id, held = hand_edited(data_dir)
    app = create_app(data_dir=data_dir, mode="history", start_group=group_id)
    shown = recorded_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = [n.message for n in shown]
        assert any("started_at" in n for n in said), said
        assert not any(held in n for n in said)


async def test_a_record_repeated_in_a_group_file_is_one_line_and_repair_keeps_one(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad copy or merge leaves a session twice: every reader keys records by id
    (the history screen's table crashed on it), so the file is refused in one line."""
    _, group_id = demo_store(data_dir)
    path = data_dir / "groups" / f"{group_id}.json"
    tables = json.loads(path.read_text())
    sessions = tables["sessions"]
    sessions[str(len(sessions) + 1)] = next(iter(sessions.values()))
    path.write_text(json.dumps(tables))
    app = create_app(data_dir=data_dir, mode="history", start_group=group_id)
    shown = recorded_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        said = [n.message for n in shown]
        assert any("repeats the id of an earlier record" in n for n in said), said
    code, out, _ = cli(capsys, "--data-dir", str(data_dir), "doctor", "--repair", "--yes")
    assert code == 0, out
    repaired = json.loads(path.read_text())["sessions"]
    assert len(repaired) == len(sessions) - 1
    assert len({s["id"] for s in repaired.values()}) == len(repaired)
