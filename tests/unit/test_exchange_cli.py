"""``peersession export`` and ``peersession import`` as users run them."""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import pendulum
import pytest
from icalendar import Calendar

from peersession.cli import main
from peersession.demo import DemoHistory, demo_history
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore

TODAY = pendulum.date(2026, 3, 10)
GROUP = "Thursday Circle"


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY)


@pytest.fixture
def seeded(data_dir: Path, demo: DemoHistory) -> Path:
    seed_demo(HistoryStore(data_dir), demo)
    return data_dir


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def assert_one_line_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 1 and out == ""
    assert err.startswith("peersession: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err


# --- export -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "json", "ics"])
def test_the_demo_exports_in_every_format(
    seeded: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = run(capsys, "export", GROUP, "--format", fmt, "--data-dir", str(seeded))
    assert code == 0 and err == ""
    if fmt == "md":
        assert out.startswith("# Thursday Circle: session of Thursday 5 March 2026\n")
    elif fmt == "json":
        assert len(json.loads(out)["sessions"]) == 1
    else:
        events = list(Calendar.from_ical(out.encode()).walk("VEVENT"))
        assert str(events[0]["summary"]) == "Thursday Circle: peer-mentoring session"


def test_export_all_md_is_newest_first(
    seeded: Path, capsys: pytest.CaptureFixture[str], demo: DemoHistory
) -> None:
    code, out, _ = run(
        capsys, "export", GROUP, "--all", "--format", "md", "--data-dir", str(seeded)
    )
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("## Session of ")]
    assert len(headings) == len(demo.sessions)
    assert headings[0] == "## Session of Thursday 5 March 2026"


def test_export_one_session_by_id(
    seeded: Path, capsys: pytest.CaptureFixture[str], demo: DemoHistory
) -> None:
    first = demo.sessions[0]
    code, out, _ = run(capsys, "export", GROUP, "--session", first["id"], "--data-dir", str(seeded))
    assert code == 0 and [s["id"] for s in json.loads(out)["sessions"]] == [first["id"]]


def test_export_md_leaves_private_items_out_unless_asked(
    seeded: Path, capsys: pytest.CaptureFixture[str], demo: DemoHistory
) -> None:
    last = demo.records[-1]
    private = [c.text for c in last.commitments if c.private]
    public = {c.text for c in last.commitments if not c.private}
    secrets = [t for t in private if t not in public]
    assert secrets
    _, out, _ = run(capsys, "export", GROUP, "--format", "md", "--data-dir", str(seeded))
    assert not any(s in out for s in secrets) and "(private)" not in out
    _, out, _ = run(
        capsys, "export", GROUP, "--format", "md", "--include-private", "--data-dir", str(seeded)
    )
    assert all(s in out for s in secrets) and "_(private)_" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["export", "Nobody"], ["no group named 'Nobody'"]),
        (["export", GROUP, "--session", "nosuchsession"], ["no session with id"]),
        (["export", GROUP, "--format", "ics", "--all"], ["--session and --all do not apply"]),
    ],
)
def test_export_errors_are_one_line(
    seeded: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: list[str]
) -> None:
    assert_one_line_error(*run(capsys, *args, "--data-dir", str(seeded)), *words)


def test_a_new_groups_ics_export_works(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "group", "add", "G", "--member", "Ana", "--data-dir", str(data_dir))
    code, out, err = run(capsys, "export", "G", "--format", "ics", "--data-dir", str(data_dir))
    assert code == 0 and err == ""
    events = list(Calendar.from_ical(out.encode()).walk("VEVENT"))
    assert len(events) == 1 and "RRULE" in events[0]


def test_export_to_a_file_is_private_and_not_overwritten_without_force(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "recap.md"
    args = ["export", GROUP, "--format", "md", "-o", str(target), "--data-dir", str(seeded)]
    code, out, err = run(capsys, *args)
    assert code == 0 and out == "" and f"to {target}" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("# Thursday Circle")
    target.write_text("edited by hand")
    assert_one_line_error(*run(capsys, *args), "already exists", "--force")
    assert target.read_text() == "edited by hand"
    assert run(capsys, *args, "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Thursday Circle")


@pytest.mark.parametrize("where", ["inside the data folder", "a folder", "a missing folder"])
def test_export_refuses_a_bad_target_in_one_line(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    target = {
        "inside the data folder": seeded / "peersession.json",
        "a folder": tmp_path,
        "a missing folder": tmp_path / "missing" / "recap.md",
    }[where]
    before = files(seeded)
    result = run(capsys, "export", GROUP, "-o", str(target), "--force", "--data-dir", str(seeded))
    assert_one_line_error(*result, str(target))
    assert files(seeded) == before


# --- import -----------------------------------------------------------------------------


def test_export_then_import_into_an_empty_folder_round_trips(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "bundle.json"
    run(capsys, "export", GROUP, "--all", "--include-private", "-o", str(bundle),
        "--data-dir", str(seeded))  # fmt: skip
    other = tmp_path / "other"
    code, out, _ = run(capsys, "import", str(bundle), "--data-dir", str(other))
    assert code == 0
    assert "new group 'Thursday Circle'" in out and "sessions: 9 added" in out
    again = tmp_path / "again.json"
    run(capsys, "export", GROUP, "--all", "--include-private", "-o", str(again),
        "--data-dir", str(other))  # fmt: skip
    first, second = json.loads(bundle.read_text()), json.loads(again.read_text())
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second

    before = files(other)
    code, out, _ = run(capsys, "import", str(bundle), "--data-dir", str(other))
    assert code == 0 and "nothing new" in out
    assert files(other) == before


def test_import_reads_stdin(
    seeded: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, text, _ = run(capsys, "export", GROUP, "--all", "--data-dir", str(seeded))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run(capsys, "import", "-", "--data-dir", str(tmp_path / "other"))
    assert code == 0 and "sessions: 9 added" in out


@pytest.mark.parametrize(
    "kind", ["truncated", "not JSON", "not a bundle", "future version", "empty", "missing"]
)
def test_a_bad_bundle_leaves_the_history_byte_for_byte_untouched(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    _, text, _ = run(capsys, "export", GROUP, "--all", "--data-dir", str(seeded))
    bundle = json.loads(text)
    bundle["sessions"][0]["updated_at"] = "2027-01-01T00:00:00+00:00"  # would be an update
    good = json.dumps(bundle)
    contents = {
        "truncated": good[: len(good) - 40],
        "not JSON": "<html>hello</html>",
        "not a bundle": json.dumps({"format": "something-else", "version": 1}),
        "future version": json.dumps({**bundle, "version": 2}),
        "empty": "",
    }
    path = tmp_path / "bundle.json"
    if kind in contents:
        path.write_text(contents[kind], encoding="utf-8")
    before = files(seeded)
    result = run(capsys, "import", str(path), "--data-dir", str(seeded))
    assert_one_line_error(*result, str(path))
    if kind == "future version":
        assert "newer peersession" in result[2]
    assert files(seeded) == before


def test_unknown_format_is_a_usage_error(seeded: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["export", GROUP, "--format", "xml", "--data-dir", str(seeded)])
    assert raised.value.code == 2
