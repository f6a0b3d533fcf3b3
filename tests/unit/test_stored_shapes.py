"""One definition of the stored records (issues #12, #14 and #22).

``core/records.py`` checks every data file on load, every bundle on import, and
is written out as docs/bundle.schema.json and the tables of docs/data.md.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs shipped
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from peersession.cli import main
from peersession.core import model, records, session_records
from peersession.core.group_rules import TEMPLATE_NAMES
from peersession.core.record_types import door_version
from peersession.core.templates import TEMPLATES
from peersession.demo import demo_history
from peersession.errors import UserError
from peersession.exports import schema as schema_module
from peersession.exports.bundle import build_bundle, dumps_bundle, parse_bundle
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore
from peersession.store.shape_check import problem_with, stored_tables

DOCS = Path(__file__).resolve().parents[2] / "docs"
TODAY = pendulum.date(2026, 3, 5)


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "data"
    history = demo_history(today=TODAY, sessions=4)
    seed_demo(HistoryStore(root), history)
    return root, history.group.id


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main([*args, "--data-dir", str(root)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# -- one definition ----------------------------------------------------------------


def test_a_group_is_written_whole_and_never_with_its_guests() -> None:
    """Every field of the group is written (an older reader finds each key), and a
    guest of a session (in a meeting's setup, or named by a history) never is."""
    group = model.Group.from_doc(
        {"id": "g", "name": "G", "members": [], "created_at": "2026-01-01T00:00:00+00:00"}
    )
    assert set(group.to_doc()) == set(records.Group.__struct_fields__)
    with_guest = replace(group, members=(model.Member("m1", "Ana"), model.Visitor("v1", "Lee")))
    # A history names the guests of its sessions (only their guest lists are read).
    seen: Any = [type("Seen", (), {"guests": [session_records.Guest(id="v2", name="Mo")]})()]
    named = with_guest.with_guests_of(seen)
    doc = named.to_doc()
    assert [m["id"] for m in doc["members"]] == ["m1"] and "guest_names" not in doc
    assert (named.name_of("v1"), named.name_of("v2")) == ("Lee", "Mo (guest)")


def test_a_group_of_each_shipped_template_is_read() -> None:
    """The load-time rule knows the shipped templates without importing them."""
    assert set(TEMPLATE_NAMES) == set(TEMPLATES)


def test_the_published_schema_and_data_md_are_in_step_with_the_code() -> None:
    assert schema_module.main(["--docs", str(DOCS), "--check"]) == 0, (
        "run python -m peersession.exports.schema"
    )
    text = (DOCS / "data.md").read_text(encoding="utf-8")
    for name in schema_module.DOCUMENTS:
        assert f"<!-- fields:{name} -->" in text, f"docs/data.md does not describe {name}"


def published_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((DOCS / "bundle.schema.json").read_text(encoding="utf-8"))
    return schema


def a_bundle(root: Path, *, include_private: bool = False) -> dict[str, Any]:
    store = HistoryStore(root)
    group = store.groups()[0]
    bundle = build_bundle(
        group,
        store.sessions(group.id),
        store.commitments(group.id),
        store.checkins(group.id),
        include_private=include_private,
    )
    parsed: dict[str, Any] = json.loads(dumps_bundle(bundle))
    return parsed


@pytest.mark.parametrize("include_private", [False, True])
def test_an_exported_bundle_validates_against_the_published_schema(
    seeded: tuple[Path, str], include_private: bool
) -> None:
    bundle = a_bundle(seeded[0], include_private=include_private)
    jsonschema.Draft202012Validator.check_schema(published_schema())
    jsonschema.validate(bundle, published_schema(), cls=jsonschema.Draft202012Validator)


BREAKAGES = {
    "length as text": lambda b: b["group"].__setitem__("length_minutes", "120"),
    "negative length": lambda b: b["group"].__setitem__("length_minutes", -5),
    "huge cadence": lambda b: b["group"].__setitem__("cadence_days", 1e30),
    "no sessions": lambda b: b.pop("sessions"),
    "session without start": lambda b: b["sessions"][0].pop("started_at"),
    "members not a list": lambda b: b["group"].__setitem__("members", "notalist"),
    "bad attendance": lambda b: b["sessions"][0].__setitem__("attendance", {"x": "maybe"}),
    "energy 9": lambda b: b["checkins"][0].__setitem__("energy", 9),
    "long name": lambda b: b["group"]["members"][0].__setitem__("name", "x" * 201),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_bundle_is_rejected_by_the_schema_and_by_import(
    seeded: tuple[Path, str], breakage: str
) -> None:
    bundle = a_bundle(seeded[0])
    BREAKAGES[breakage](bundle)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bundle, published_schema(), cls=jsonschema.Draft202012Validator)
    with pytest.raises(UserError, match="nothing was imported"):
        parse_bundle(json.dumps(bundle))


# -- the doors: import validates exactly as the CLI ------------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Nul\x00l", "control characters"),
        ("x" * 201, "at most 200"),
        ("\u200b\u200d", "invisible"),
        ("Cy\x1b[31m", "control characters"),
        ("\u202eevil", "bidi"),
    ],
)
def test_import_and_the_cli_refuse_the_same_member_names(
    seeded: tuple[Path, str], capsys: pytest.CaptureFixture[str], name: str, problem: str
) -> None:
    root, _ = seeded
    bundle = a_bundle(root)
    bundle["group"]["members"][0]["name"] = name
    with pytest.raises(UserError, match=problem):
        parse_bundle(json.dumps(bundle))
    if "\x00" not in name:  # a NUL cannot be passed on a command line at all
        status, _, err = run(root, capsys, "group", "add", "Other", "-m", name)
        assert status == 1 and problem in err


def test_import_normalises_names_and_refuses_members_equal_after_normalisation(
    seeded: tuple[Path, str],
) -> None:
    bundle = a_bundle(seeded[0])
    bundle["group"]["members"][0]["name"] = "Zoe\u0308"
    assert parse_bundle(json.dumps(bundle))["group"]["members"][0]["name"] == "Zo\u00eb"
    bundle["group"]["members"][1]["name"] = "ZO\u00cb"
    with pytest.raises(UserError, match="two members are called"):
        parse_bundle(json.dumps(bundle))


# -- on load -----------------------------------------------------------------------------

COMMANDS = [
    ("group", "list"),
    ("group", "show", "GROUP"),
    ("group", "edit", "GROUP", "--add-member", "Newcomer"),
    ("export", "GROUP", "--all"),
    ("checkin", "GROUP", "-m", "MEMBER", "--note", "hi"),
    ("doctor",),
    ("doctor", "--repair"),
]


def assert_one_line_naming(status: int, out: str, err: str, *words: str) -> None:
    assert status == 1, (out, err)
    assert "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1 or err == "", err
    text = out + err
    for word in words:
        assert word in text, (word, text)


def test_members_of_the_wrong_shape_in_the_index_are_one_line_for_every_command(
    seeded: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, group_id = seeded
    index = root / "peersession.json"
    tables = json.loads(index.read_bytes())
    (key,) = tables["groups"]
    tables["groups"][key]["members"] = "notalist"
    index.write_bytes(json.dumps(tables).encode())
    for command in COMMANDS[:5]:
        args = [a.replace("GROUP", group_id).replace("MEMBER", "x") for a in command]
        before = files(root)
        status, out, err = run(root, capsys, *args)
        assert_one_line_naming(status, out, err, "peersession.json", f"groups record {key}")
        assert files(root) == before, f"{command} wrote into the data folder"


def test_a_session_of_the_wrong_shape_is_refused_untouched_by_every_command(
    seeded: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, group_id = seeded
    member = HistoryStore(root).find_group(group_id).members[0].name
    path = root / "groups" / f"{group_id}.json"
    tables = json.loads(path.read_bytes())
    first = next(iter(tables["sessions"]))
    tables["sessions"][first] = {"id": 5, "bogus": [1, 2], "secret": "do not show me"}
    damaged = json.dumps(tables).encode()
    path.write_bytes(damaged)
    for command in COMMANDS[:6]:
        args = [a.replace("GROUP", group_id).replace("MEMBER", member) for a in command]
        status, out, err = run(root, capsys, *args)
        if command[0] == "group":
            assert status == 0  # these read the index alone, which is fine
            continue
        assert_one_line_naming(status, out, err, path.name, f"sessions record {first}")
        assert "do not show me" not in out + err and "bogus" not in out + err
        assert path.read_bytes() == damaged, f"{command} wrote into the damaged file"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    table=st.sampled_from(["sessions", "commitments", "checkins"]),
    pick=st.integers(min_value=0, max_value=10_000),
    value=st.one_of(
        st.none(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2)
    ),
    drop=st.booleans(),
)
def test_any_record_of_the_wrong_shape_is_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, table: str, pick: int, value: object, drop: bool
) -> None:
    root = tmp_path_factory.mktemp("data")
    history = demo_history(today=TODAY, sessions=2)
    seed_demo(HistoryStore(root), history)
    path = root / "groups" / f"{history.group.id}.json"
    tables = json.loads(path.read_bytes())
    key = sorted(tables[table])[pick % len(tables[table])]
    record = tables[table][key]
    field = sorted(record)[pick % len(record)]
    shape = stored_tables("group")[table]
    if drop:
        del record[field]
    else:
        record[field] = value
    wrong = problem_with(record, shape) is not None
    damaged = json.dumps(tables).encode()
    path.write_bytes(damaged)
    try:
        HistoryStore(root).sessions(history.group.id)
        HistoryStore(root).commitments(history.group.id)
        HistoryStore(root).checkins(history.group.id)
        refused = None
    except UserError as error:
        refused = str(error)
    if wrong:
        assert refused is not None and f"{table} record {key}" in refused
        assert "\n" not in refused
    else:
        assert refused is None
    assert path.read_bytes() == damaged


def test_import_flattens_one_line_fields_as_the_cli_does_and_keeps_the_note_limit(
    seeded: tuple[Path, str],
) -> None:
    bundle = a_bundle(seeded[0])
    bundle["group"]["ground_rules"] = ["one\r\ntwo"]
    bundle["group"]["members"][0]["name"] = "Ana\nB"
    bundle["checkins"][0]["note"] = "line\nbreak"
    parsed = parse_bundle(json.dumps(bundle))
    assert parsed["group"]["ground_rules"] == ["one two"]
    assert parsed["group"]["members"][0]["name"] == "Ana B"
    assert parsed["checkins"][0]["note"] == "line break"
    bundle["checkins"][0]["note"] = "n" * 501
    with pytest.raises(UserError, match="longer than 500"):
        parse_bundle(json.dumps(bundle))


def test_keys_a_newer_peersession_wrote_are_read_and_kept_when_the_files_are_rewritten(
    seeded: tuple[Path, str],
) -> None:
    """A file of the same schema from a newer peersession may carry optional fields
    this one does not know: it is read, and a write keeps them (never dropped)."""
    root, group_id = seeded
    path = root / "groups" / f"{group_id}.json"
    tables = json.loads(path.read_text())
    session = next(iter(tables["sessions"].values()))
    session["mood"] = {"from": "the future"}
    session["turns"][0]["notes"].append(
        {"id": "nf", "text": "t", "private": False, "at": "2026-03-01T10:00:00+00:00", "x": 1}
    )
    commitment = next(iter(tables["commitments"].values()))
    commitment["weight"] = 3
    checkin = next(iter(tables["checkins"].values()))
    checkin["mood"] = "from the future"
    path.write_text(json.dumps(tables))
    index_path = root / "peersession.json"
    index = json.loads(index_path.read_text())
    next(iter(index["groups"].values()))["roles_of_the_future"] = ["chair"]
    index_path.write_text(json.dumps(index))

    store = HistoryStore(root)
    review = session_records.Review(
        at="2026-03-04T10:00:00+00:00", status="partial", source="history"
    )
    store.add_review(group_id, commitment["id"], review)
    store.update_group(group_id, lambda group, _others: group)
    # Read as its declaration (the key it does not know left aside), and kept on disk.
    assert checkin["id"] in {c.id for c in store.checkins(group_id)}

    written = json.loads(path.read_text())
    again = next(s for s in written["sessions"].values() if s["id"] == session["id"])
    assert again["mood"] == {"from": "the future"}
    assert again["turns"][0]["notes"][-1]["x"] == 1
    changed = next(c for c in written["commitments"].values() if c["id"] == commitment["id"])
    assert changed["weight"] == 3 and changed["reviews"][-1]["status"] == "partial"
    kept = next(c for c in written["checkins"].values() if c["id"] == checkin["id"])
    assert kept["mood"] == "from the future"
    group_doc = next(iter(json.loads(index_path.read_text())["groups"].values()))
    assert group_doc["roles_of_the_future"] == ["chair"]


def test_keys_a_newer_peersession_wrote_into_a_group_survive_every_change_of_it(
    tmp_path: Path,
) -> None:
    """The group is read into its domain class and written as this version stores
    it; the keys a newer version wrote into the group's document and into a
    member's are written back raw, whichever way the group changes: an edit, a
    save, and a session whose end changes the group; and into its slot. A date
    this version cleared (a member back after leaving) stays cleared."""
    root = tmp_path / "data"
    history = demo_history(today=TODAY, sessions=4)
    store = HistoryStore(root)
    seed_demo(store, history)
    gid = history.group.id
    first, second, third = history.group.members[:3]
    store.save_group(
        replace(
            history.group,
            members=tuple(
                replace(m, active=False, left=date(2026, 3, 1)) if m.id == third.id else m
                for m in history.group.members
            ),
        )
    )
    index_path = root / "peersession.json"
    index = json.loads(index_path.read_text())
    group_doc = next(iter(index["groups"].values()))
    group_doc["charter"] = {"from": "the future"}
    group_doc["members"][0]["pronouns"] = "she/her"
    group_doc["slot"]["rotation"] = {"from": "the future"}
    index_path.write_text(json.dumps(index))

    def newcomer(group: model.Group, _others: object) -> model.Group:
        back = [
            replace(m, active=True, left=None) if m.id == third.id else m for m in group.members
        ]
        return replace(group, members=(*back, model.Member("new", "Newcomer")))

    store.update_group(gid, newcomer)
    store.save_group(replace(store.find_group(gid), cadence_days=14))
    record = copy.deepcopy(history.records[-1])
    record.session["id"] = "later-session"
    record.commitments.clear()
    assert store.commit_session(record, lambda group: replace(group, name="Renamed Circle"))

    written = next(iter(json.loads(index_path.read_text())["groups"].values()))
    assert (written["name"], written["cadence_days"]) == ("Renamed Circle", 14), "changed"
    # A member's fields at their defaults (active, not sharing wins) are not written.
    assert written["members"][-1] == {"id": "new", "name": "Newcomer"}
    assert written["charter"] == {"from": "the future"}, "the group's own key was dropped"
    assert written["slot"]["rotation"] == {"from": "the future"}, "the slot's key was dropped"
    by_id = {member["id"]: member for member in written["members"]}
    assert by_id[first.id]["pronouns"] == "she/her", "a member's key was dropped"
    assert "pronouns" not in by_id[second.id], "a key went to another member"
    back = by_id[third.id]
    assert back.get("active", True) and "left" not in back, "a cleared field came back"
    assert store.find_group(gid).member(first.id).name == first.name, "read as its class"


def test_a_file_is_read_with_the_types_and_a_bundle_held_to_every_rule_of_the_doors() -> None:
    """Read: types, required fields and what every reader needs (an older file is never
    refused for a door's rule added since); door: every rule a person typing meets."""
    good = {
        "id": "g1",
        "name": "G",
        "members": [{"id": "m1", "name": "Ana"}, {"id": "m2", "name": "Bo"}],
        "created_at": "2026-01-01T00:00:00+00:00",
    }
    read = stored_tables("index")["groups"]
    assert (
        problem_with(good, read) is None and problem_with(good, door_version(records.Group)) is None
    )
    for broken, field in (
        ({"length_minutes": 5}, "length_minutes"),
        ({"ground_rules": ["one\ntwo"]}, "ground_rules[0]"),
        ({"members": [{"id": "m1", "name": "Ana\u202e"}]}, "members[0].name"),
        ({"members": [{"id": "m1", "name": "Ana"}, {"id": "m2", "name": "ANA"}]}, "the document"),
    ):
        assert problem_with({**good, **broken}, read) is None, broken
        door = problem_with({**good, **broken}, door_version(records.Group))
        assert door is not None and door.startswith(f"{field}: "), door
    for wrong, field in (
        ({"members": "x"}, "members"),
        ({"created_at": "x"}, "created_at"),
        ({"length_minutes": 0}, "the document"),
        ({"template": "nope"}, "the document"),
    ):
        said = problem_with({**good, **wrong}, read)
        assert said is not None and said.startswith(f"{field}: "), said
