"""``peersession edit``: corrections after the meeting (issue 23, item 5), through
the command line's door: a saved item's text, private flag or status changed,
or removed so that its text is gone from this machine's history file, search
index and exports, and stays gone whatever is written later."""

from __future__ import annotations

import io
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from peersession.cli import edit_cmd, main
from peersession.core.clock import FakeClock
from peersession.core.commitment_state import commitment_status
from peersession.core.record_types import stored
from peersession.core.session_records import Commitment
from peersession.store.history import HistoryStore

from history_support import HOSTILE_NOTE, NOW, seed, seed_hostile

GROUP = "Thursday Circle"
TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock(NOW)
    monkeypatch.setattr(edit_cmd, "CLOCK", clock)
    return clock


def run(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if code:
        assert out == "" and err.count("\n") == 1, (out, err)
    return code, out, err


def group_file(data_dir: Path) -> Path:
    (path,) = (data_dir / "groups").glob("*.json")
    return path


def saved_bytes(data_dir: Path) -> bytes:
    """What this machine's history holds, every file of it that a removal must clear."""
    paths = [group_file(data_dir), data_dir / "peersession.json"]
    paths += sorted(data_dir.glob("search.sqlite3*"))
    return b"".join(p.read_bytes() for p in paths if p.exists())


def docs(data_dir: Path) -> tuple[list[Any], list[Commitment], list[Any]]:
    store = HistoryStore(data_dir)
    (group,) = store.groups()
    found = store.group_documents(group.id)
    # The items as the file keeps them: each kind of item is found by its id alike.
    return [stored(s) for s in found.sessions], found.commitments, found.checkins


def a_note(data_dir: Path) -> dict[str, Any]:
    sessions, _, _ = docs(data_dir)
    return next(n for s in reversed(sessions) for t in s["turns"] for n in t["notes"])


def marked(data_dir: Path, capsys: pytest.CaptureFixture[str], item_id: str) -> str:
    """Give the item a text found nowhere else (the demo repeats its phrases)."""
    text = f"Quokka-{item_id} confided this in the room"
    code, _, err = run(data_dir, capsys, "edit", GROUP, item_id, "--text", text)
    assert code == 0, err
    return text


def exports(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Every export of the group, private items included."""
    out = []
    for fmt in ("json", "md", "txt"):
        code, text, _ = run(
            data_dir, capsys, "export", GROUP, "--all", "--format", fmt, "--include-private"
        )
        assert code == 0
        out.append(text)
    return "\n".join(out)


# --- text, privacy, status ---------------------------------------------------------------


def test_a_typo_in_a_commitment_is_fixed_and_said_in_one_line(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    _, commitments, _ = docs(data_dir)
    target = next(c for c in commitments if not c.reviews)
    code, out, _ = run(data_dir, capsys, "edit", GROUP, target.id[:6], "--text", "Fixed typo")
    assert code == 0 and out.count("\n") == 1
    assert out.startswith("corrected ") and target.id in out and '"Fixed typo"' in out
    assert target.text not in out, "the line never repeats the old text"
    after = next(c for c in docs(data_dir)[1] if c.id == target.id)
    assert after.text == "Fixed typo" and after.updated_at == NOW.isoformat()
    code, out, _ = run(data_dir, capsys, "search", "Fixed typo", "--json")
    assert [hit["target_id"] for hit in json.loads(out)] == [target.id]


def test_private_public_and_status_with_json(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    _, commitments, _ = docs(data_dir)
    target = next(
        c for c in commitments if commitment_status(c) == "open" and not c.private and not c.reviews
    )
    said = marked(data_dir, capsys, target.id)
    code, out, _ = run(
        data_dir, capsys, "edit", GROUP, target.id, "--private", "--status", "done", "--json"
    )
    view = json.loads(out)
    assert code == 0 and view == {
        "group": GROUP,
        "group_id": target.group_id,
        "id": target.id,
        "kind": "commitment",
        "record": "commitment",
        "record_id": target.id,
        "member": view["member"],
        "removed": False,
        "changed": ["private", "status"],
        "text": None,
        "private": True,
        "status": "done",
    }
    after = next(c for c in docs(data_dir)[1] if c.id == target.id)
    assert after.private is True and commitment_status(after) == "done"
    assert after.reviews[-1].source == "history"
    assert said not in exports_public(data_dir, capsys)
    code, _, _ = run(data_dir, capsys, "edit", GROUP, target.id, "--public", "--status", "open")
    after = next(c for c in docs(data_dir)[1] if c.id == target.id)
    assert code == 0 and after.private is False and commitment_status(after) == "not_done"


def exports_public(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, text, _ = run(data_dir, capsys, "export", GROUP, "--all", "--format", "json")
    assert code == 0
    return text


def test_a_note_marked_private_leaves_the_exports_without_include_private(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    note = a_note(data_dir)
    said = marked(data_dir, capsys, note["id"])
    assert said in exports_public(data_dir, capsys)
    code, out, _ = run(data_dir, capsys, "edit", GROUP, note["id"], "--private")
    assert code == 0 and "now private" in out
    assert said not in exports_public(data_dir, capsys)
    assert said in exports(data_dir, capsys)


# --- removal ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["note", "ask", "win", "commitment", "checkin"])
def test_a_removed_item_is_gone_from_the_history_the_search_index_and_the_exports(
    kind: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    run(data_dir, capsys, "search", "grant")  # the index exists, and holds every text
    sessions, commitments, checkins = docs(data_dir)
    choices: dict[str, Any] = {
        "note": a_note(data_dir),
        "ask": sessions[-1]["asks"][0],
        "win": next(w for s in reversed(sessions) for w in s["wins"]),
        # As stored: every kind is looked at the same way here.
        "commitment": stored(next(c for c in commitments if c.from_ask and not c.reviews)),
        "checkin": stored(checkins[-1]),
    }
    item = choices[kind]
    said = marked(data_dir, capsys, item["id"])
    run(data_dir, capsys, "search", said)
    assert said.encode() in saved_bytes(data_dir)
    code, out, _ = run(data_dir, capsys, "edit", GROUP, item["id"], "--remove")
    assert code == 0 and out.startswith("removed ") and said not in out
    assert said.encode() not in saved_bytes(data_dir), "the text is gone, not hidden"
    assert said not in exports(data_dir, capsys)
    code, out, _ = run(data_dir, capsys, "search", said[:40], "--private", "--json")
    assert all(hit["target_id"] != item["id"] for hit in json.loads(out))
    assert said.encode() not in saved_bytes(data_dir), "nor brought back by the next search"
    # The tombstone: the id, the kind, where and when; never the text.
    raw = json.loads(group_file(data_dir).read_text())
    (stone,) = raw["removals"].values()
    assert stone["id"] == item["id"] and stone["kind"] == kind
    assert stone["removed_at"] == NOW.isoformat() and said not in json.dumps(stone)
    # The history still reads whole, and is healthy.
    code, out, _ = run(data_dir, capsys, "doctor")
    assert code == 0, out
    code, _, err = run(data_dir, capsys, "edit", GROUP, item["id"], "--text", "again")
    assert code == 1 and "was removed" in err


def test_a_removal_asks_first_at_a_terminal(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(data_dir)
    note = a_note(data_dir)
    before = group_file(data_dir).read_bytes()

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, err = run(data_dir, capsys, "edit", GROUP, note["id"], "--remove")
    assert code == 1 and "Remove note" in err and "nothing was changed" in err
    assert group_file(data_dir).read_bytes() == before
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    code, out, err = run(data_dir, capsys, "edit", GROUP, note["id"], "--remove")
    assert code == 0 and "Remove note" in err and out.startswith("removed ")
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    other = a_note(data_dir)
    code, out, err = run(data_dir, capsys, "edit", GROUP, other["id"], "--remove", "--yes")
    assert code == 0 and err == "" and out.startswith("removed ")


def test_nothing_written_later_brings_a_removed_item_back(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A journal committed again (doctor), an old bundle imported, a check-in saved:
    every write of the group's file keeps the tombstones."""
    history = seed(data_dir)
    old_bundle = tmp_path / "before.json"
    record = history.records[-1]
    made = next(c for c in record.commitments if c.from_ask)
    note = next(n for t in record.session["turns"] for n in t["notes"])
    said = [marked(data_dir, capsys, item_id) for item_id in (made.id, note["id"])]
    code, _, _ = run(
        data_dir, capsys, "export", GROUP, "--all", "--include-private", "-o", str(old_bundle)
    )
    for item in (made.id, note["id"]):
        assert run(data_dir, capsys, "edit", GROUP, item, "--remove")[0] == 0
    edited = next(c for c in docs(data_dir)[1] if not c.reviews)
    assert run(data_dir, capsys, "edit", GROUP, edited.id, "--text", "Corrected")[0] == 0
    HistoryStore(data_dir).commit_session(record)  # the retired journal, committed again
    code, out, _ = run(data_dir, capsys, "import", str(old_bundle))
    assert code == 0, out
    raw = group_file(data_dir).read_bytes()
    assert all(text.encode() not in raw for text in said)
    after = next(c for c in docs(data_dir)[1] if c.id == edited.id)
    assert after.text == "Corrected", "the older copy in the bundle does not win"


def test_a_backup_from_before_a_removal_does_not_bring_it_back_in_a_repair(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    note = a_note(data_dir)
    said = marked(data_dir, capsys, note["id"])
    path = group_file(data_dir)
    backups = data_dir / "backups"
    backups.mkdir(mode=0o700, exist_ok=True)
    shutil.copy2(path, backups / f"{path.stem}.schema1.20260301-120000.json")
    assert run(data_dir, capsys, "edit", GROUP, note["id"], "--remove")[0] == 0
    raw = path.read_bytes()
    middle = len(raw) // 2  # damaged: the repair unites what it can read with the backup
    path.write_bytes(raw[:middle] + b"\x00garbage{" + raw[middle:])
    main(["doctor", "--repair", "--data-dir", str(data_dir)])
    capsys.readouterr()
    assert said.encode() not in path.read_bytes()
    assert note["id"] in json.dumps(json.loads(path.read_text())["removals"])


# --- the door: refusals --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (["--text", "x"], "no saved item"),
        (["--status", "done"], "status cannot be corrected"),
        (["--text", ""], "cannot be empty"),
        (["--text", "x" * 10_001], "too long"),
        ([], "nothing to correct"),
        (["--remove", "--private"], "goes alone"),
    ],
)
def test_a_bad_correction_is_one_line_and_changes_nothing(
    args: list[str], refusal: str, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    note = a_note(data_dir)
    before = group_file(data_dir).read_bytes()
    ref = "nothing-like-it" if refusal == "no saved item" else note["id"]
    code, _, err = run(data_dir, capsys, "edit", GROUP, ref, *args)
    assert code == 1 and refusal in err and note["text"] not in err
    assert len(err) < 600
    assert group_file(data_dir).read_bytes() == before


def test_bad_usage_is_argparse_s_exit_2(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(data_dir)
    note = a_note(data_dir)
    for args in (["--private", "--public"], ["--status", "finished"]):
        with pytest.raises(SystemExit) as caught:
            main(["edit", GROUP, note["id"], *args, "--data-dir", str(data_dir)])
        assert caught.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1].startswith("peersession edit: error:")


def test_hostile_text_is_kept_as_typed_and_printed_harmless(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_hostile(data_dir)
    store = HistoryStore(data_dir)
    (group,) = store.groups()
    session = store.sessions(group.id)[-1]
    note = next(n for t in session.turns for n in t.notes if n.text == HOSTILE_NOTE)
    typed = "fixed \x1b]0;pwned\x07 [b]bold[/b] \u202eevil"
    code = main(["edit", group.id, note.id, "--text", typed, "--data-dir", str(data_dir)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    after = next(n for t in store.sessions(group.id)[-1].turns for n in t.notes if n.id == note.id)
    assert after.text == typed, "stored exactly as typed; only its display is neutralised"
    main(["edit", group.id, note.id, "--text", "plain", "--json", "--data-dir", str(data_dir)])
    assert json.loads(capsys.readouterr().out)["text"] == "plain"


def test_a_group_with_a_live_session_is_not_corrected(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    store = HistoryStore(data_dir)
    (group,) = store.groups()
    note = a_note(data_dir)
    journal = store.layout.journal_file(group.id)
    journal.parent.mkdir(mode=0o700, exist_ok=True)
    journal.write_text("")
    before = group_file(data_dir).read_bytes()
    code, _, err = run(data_dir, capsys, "edit", GROUP, note["id"], "--text", "x")
    assert code == 1 and "session of this group is running" in err
    assert group_file(data_dir).read_bytes() == before


# --- durability ----------------------------------------------------------------------------

KILLED_EDIT = """
import sys
sys.path.insert(0, {tests!r})
from torture_driver import SyscallCounter
from peersession.cli import main
SyscallCounter.NAMES = {names!r}
counter = SyscallCounter({at}, {when!r})
with counter.scope(True):
    status = main(["edit", {group!r}, {item!r}, "--remove", "--yes", "--data-dir", {root!r}])
sys.exit(status)
"""


def killed_edit(
    root: Path, item: str, at: int | None, when: str, names: tuple[str, ...]
) -> subprocess.CompletedProcess[str]:
    script = KILLED_EDIT.format(
        tests=str(TESTS), at=at, when=when, group=GROUP, item=item, root=str(root), names=names
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )


def removal_killed_at_each(
    names: tuple[str, ...], data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Kill ``edit --remove`` before and after each call of ``names``: the group's
    file is as before or as after, the index never keeps the text of a file that
    lost it, and running the edit again finishes it."""
    seed(data_dir)
    note = a_note(data_dir)
    said = marked(data_dir, capsys, note["id"]).encode()
    run(data_dir, capsys, "search", "Quokka")
    before = group_file(data_dir).read_bytes()
    whole = killed_edit(
        shutil.copytree(data_dir, tmp_path / "whole"), note["id"], None, "before", names
    )
    assert whole.returncode == 0, whole.stderr
    calls = int(whole.stdout.strip().splitlines()[-1].split()[-1])
    assert calls >= 1
    for at in range(1, calls + 1):
        for when in ("before", "after"):
            root = shutil.copytree(data_dir, tmp_path / f"killed-{at}-{when}")
            result = killed_edit(root, note["id"], at, when, names)
            assert result.returncode == -signal.SIGKILL, (at, when, result.stderr)
            now = group_file(root).read_bytes()
            gone = said not in now
            assert now == before or gone, f"killed {when} call {at}: half a correction"
            index = b"".join(p.read_bytes() for p in root.glob("search.sqlite3*"))
            assert said not in index or not gone, f"killed {when} call {at}: the index kept it"
            assert now != before or said in now
            # Run again: it finishes, or says it was done.
            code, _, err = run(root, capsys, "edit", GROUP, note["id"], "--remove", "--yes")
            assert code == 0 or "was removed" in err
            assert said not in saved_bytes(root)
            shutil.rmtree(root)


def test_a_removal_killed_as_a_file_is_replaced_leaves_the_history_before_or_after(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    removal_killed_at_each(("replace",), data_dir, tmp_path, capsys)


@pytest.mark.campaign
def test_a_removal_killed_wherever_the_disk_changes_leaves_the_history_before_or_after(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    removal_killed_at_each(("replace", "rename", "unlink"), data_dir, tmp_path, capsys)
