"""Every command that changes something says what changed, literally.

``group edit`` used to print only "updated"; ``--rule`` silently replaced every
ground rule. Now ground rules are edited one at a time (``--add-rule``,
``--remove-rule`` by exact text or by number), ``--rule`` says what it
replaced, and each option of ``group edit`` prints a line of its own. The
other commands that write (check-in, export to a file, the demo) say what
they kept.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pendulum
import pytest
from textual.widgets import DataTable

from peersession.cli import main
from peersession.core.model import DEFAULT_GROUND_RULES
from peersession.settings import Settings
from peersession.store.history import HistoryStore
from peersession.tui.app import PeersessionApp, create_app

from snapshot_support import demo_store

CIRCLE = ("--next", "2027-01-07", "--at", "16:00", "--tz", "Europe/London", "--every", "3w")


@pytest.fixture(autouse=True)
def command_line_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' "now", so dates in 2027 stay in the future whenever this runs."""
    now = pendulum.datetime(2026, 12, 1, 12, tz="UTC")
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: now)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def circle(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """``Thursday Circle`` (Ana, Bo, Cy; the usual three rules); returns ``--data-dir D``."""
    d = ["--data-dir", str(data_dir)]
    members = ["-m", "Ana", "-m", "Bo", "-m", "Cy"]
    assert run(capsys, "group", "add", "Thursday Circle", *members, *CIRCLE, *d)[0] == 0
    return d


def edit(capsys: pytest.CaptureFixture[str], d: list[str], *args: str) -> list[str]:
    code, out, err = run(capsys, "group", "edit", "Thursday Circle", *args, *d)
    assert code == 0, err
    return out.splitlines()


def rules_of(data_dir: Path) -> tuple[str, ...]:
    return HistoryStore(data_dir).find_group("Thursday Circle").ground_rules


# --- ground rules, one at a time ---------------------------------------------------------


def test_add_rule_adds_one_at_the_end_and_says_so(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = edit(capsys, circle, "--add-rule", "Phones away")
    assert out == ['Thursday Circle: ground rules: added "Phones away" (4 rules)']
    assert rules_of(data_dir) == (*DEFAULT_GROUND_RULES, "Phones away")
    out = edit(capsys, circle, "--add-rule", "Start on time", "--add-rule", "Be kind")
    assert out == ['Thursday Circle: ground rules: added "Start on time", "Be kind" (6 rules)']


def test_remove_rule_by_exact_text_or_by_its_number_in_group_show(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, shown, _ = run(capsys, "group", "show", "Thursday Circle", *circle)
    numbered = shown.splitlines()[-3:]
    assert numbered == [f"    {n}. {rule}" for n, rule in enumerate(DEFAULT_GROUND_RULES, 1)]
    first, second, third = DEFAULT_GROUND_RULES
    # Numbers are those shown before the edit, whatever else is removed with them.
    out = edit(capsys, circle, "--remove-rule", third, "--remove-rule", "1")
    assert out == [f'Thursday Circle: ground rules: removed "{first}", "{third}" (1 rule)']
    assert rules_of(data_dir) == (second,)
    # Extra spaces in what was typed are ignored, as when a rule is saved.
    out = edit(capsys, circle, "--remove-rule", f"  {second.replace(' ', '  ')} ")
    assert out == [f'Thursday Circle: ground rules: removed "{second}" (0 rules)']
    _, shown, _ = run(capsys, "group", "show", "Thursday Circle", *circle)
    assert shown.splitlines()[-1] == "  ground rules: none"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--remove-rule", "Phones away"), 'Thursday Circle has no ground rule "Phones away"'),
        (("--remove-rule", "4"), "Thursday Circle has no ground rule number 4 (3 rules;"),
        (("--remove-rule", "0"), "has no ground rule number 0"),
        (("--remove-rule", "1", "--remove-rule", "1"), "is named twice in --remove-rule"),
        (("--add-rule", "Accountability"), '"Accountability" is already a ground rule'),
        (("--add-rule", "   "), "a ground rule cannot be empty"),
        (("--rule", "A", "--add-rule", "B"), "--rule replaces every ground rule"),
        # Refused whole: the valid change beside it is not saved either.
        (("--add-rule", "Phones away", "--remove-rule", "9"), "no ground rule number 9"),
    ],
)
def test_a_rule_that_is_not_there_is_one_line_and_changes_nothing(
    circle: list[str],
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    before = files(data_dir)
    code, out, err = run(capsys, "group", "edit", "Thursday Circle", *args, *circle)
    assert code == 1 and out == ""
    assert err.startswith("peersession: ") and err.count("\n") == 1 and message in err, err
    assert files(data_dir) == before


def test_rule_still_replaces_them_all_and_says_what_it_replaced(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = edit(capsys, circle, "--rule", "Phones away", "--rule", "Accountability")
    removed = ", ".join(f'"{r}"' for r in DEFAULT_GROUND_RULES if r != "Accountability")
    assert out == [
        f"Thursday Circle: ground rules: replaced all 3 rules: removed {removed}; "
        'added "Phones away" (2 rules)'
    ]
    assert rules_of(data_dir) == ("Phones away", "Accountability")
    out = edit(capsys, circle, "--rule", "Phones away", "--rule", "Accountability")
    assert out == ["Thursday Circle: ground rules: unchanged (2 rules)"]


def test_peoples_text_in_a_change_is_shown_literally_on_one_line(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = edit(capsys, circle, "--add-rule", "No [b]markup[/b]\x1b[31m here\nplease")
    assert out == [
        'Thursday Circle: ground rules: added "No [b]markup[/b]\ufffd[31m here please" (4 rules)'
    ]


# --- every option of group edit says what it changed -------------------------------------


def test_each_option_of_group_edit_prints_its_change(
    circle: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    out = edit(
        capsys,
        circle,
        *("--name", "Friday Circle", "--add-member", "Dee", "--remove-member", "Bo"),
        *("--every", "2w", "--length", "90m", "--questions", "40%", "--extensions", "3,2,1"),
        *("--agenda", "opening:5,updates,asks,commitments:10", "--at", "17:00"),
        *("--move", "2027-01-21=2027-01-22", "--skip", "2027-02-04"),
    )
    changes = [line for line in out if not line.startswith("  ")]
    assert changes == [
        'Friday Circle: renamed from "Thursday Circle"',
        'Friday Circle: members: added "Dee"; "Bo" left on 2026-12-01 (kept in the history) '
        "(3 members)",
        "Friday Circle: meets every 2 weeks (was every 3 weeks)",
        "Friday Circle: meetings last 90 minutes (was 120)",
        "Friday Circle: agenda: the group's own: opening:5, updates, asks, commitments:10, recap:0",
        "Friday Circle: asks: 40% clarifying questions (was 33%)",
        "Friday Circle: asks: extensions: 3, 2, 1 minutes (was: 2, 1 minutes)",
        "Friday Circle: starts at 17:00 Europe/London (was 16:00 Europe/London)",
        "Friday Circle: the meeting of Thu 21 Jan 2027 moves to Fri 22 Jan 2027",
        "Friday Circle: no meeting on Thu 4 Feb 2027",
    ]
    # The slot as it now stands follows, as group show prints it.
    assert "  meets:    every 2 weeks on Thursday at 17:00 (Europe/London), 90 min" in out
    code, out2, err = run(capsys, "group", "edit", "Friday Circle", "--add-member", "bo", *circle)
    assert code == 0, err
    assert out2.splitlines() == [
        'Friday Circle: members: "Bo" back, with their history (4 members)'
    ]
    code, out3, _ = run(
        capsys,
        "group",
        "edit",
        "Friday Circle",
        *("--template", "quick", "--agenda", "default", "--extensions", "none"),
        *circle,
    )
    assert out3.splitlines()[:3] == [
        "Friday Circle: template: quick (was full)",
        "Friday Circle: agenda: the quick template's: opening:1, review:1, updates, "
        "commitments:1, recap:0",
        "Friday Circle: asks: extensions: none (was: 3, 2, 1 minutes)",
    ]


def test_an_edit_that_changes_nothing_says_so(
    circle: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert edit(capsys, circle) == ["Thursday Circle: nothing changed"]
    assert edit(capsys, circle, "--every", "3w") == ["Thursday Circle: nothing changed"]


# --- group list counts the members still there -------------------------------------------


def test_group_list_counts_only_the_members_still_in_the_group(
    circle: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    edit(capsys, circle, "--remove-member", "Bo")
    _, text, _ = run(capsys, "group", "list", *circle)
    assert "Thursday Circle  ·  2 members  ·  0 sessions" in text
    _, out, _ = run(capsys, "group", "list", "--json", *circle)
    listed = json.loads(out)[0]
    assert (listed["members"], listed["former_members"]) == (2, 1)


async def test_the_home_screen_counts_the_members_the_same_way(
    circle: list[str], data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(capsys, circle, "--remove-member", "Bo")
    app = create_app(data_dir=data_dir, settings=Settings())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#groups", DataTable)
        group_id = HistoryStore(data_dir).find_group("Thursday Circle").id
        assert str(table.get_row(group_id)[1]) == "2"


# --- the other commands that write -------------------------------------------------------


def test_a_checkin_lists_each_commitment_it_answered_and_the_update(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, group_id = demo_store(data_dir)
    group = store.find_group(group_id)
    member = group.members[0]
    d = ["--data-dir", str(data_dir)]
    _, listed, _ = run(capsys, "checkin", group_id, "-m", member.name, "--list", "--json", *d)
    commitment = json.loads(listed)["commitments"][0]
    code, out, err = run(
        capsys,
        "checkin",
        group_id,
        *("-m", member.name, "--done", commitment["id"], "--note", "sent it\x1b[2J", *d),
    )
    assert code == 0, err
    assert out.splitlines() == [
        f"{member.name} checked in to {group.name}: 1 done; an update",
        f'  done: "{commitment["text"]}"',
        '  update: "sent it\ufffd[2J"',
    ]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--format", "md"), "the recap of 1 session of Thursday Circle (private items left out)"),
        (
            ("--format", "txt", "--all", "--include-private"),
            "the recap of 9 sessions of Thursday Circle (private items included)",
        ),
        (("--format", "json"), "a bundle of 1 session of Thursday Circle (private items left out)"),
        (("--format", "ics"), "the meeting series of Thursday Circle (private items left out)"),
    ],
)
def test_export_to_a_file_says_what_it_wrote(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    said: str,
) -> None:
    demo_store(data_dir)
    target = tmp_path / "out"
    code, out, err = run(capsys, "export", *args, "-o", str(target), "--data-dir", str(data_dir))
    assert code == 0 and out == ""
    assert err == f"wrote {said} to {target}\n"


def test_a_bundle_of_every_session_counts_the_checkins_it_holds(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_store(data_dir)
    target = tmp_path / "all.json"
    d = ["--data-dir", str(data_dir)]
    for extra in ((), ("--include-private",)):
        run(capsys, "export", "--all", "-o", str(target), "--force", *extra, *d)
        held = len(json.loads(target.read_text())["checkins"])
        _, _, err = run(capsys, "export", "--all", "-o", str(target), "--force", *extra, *d)
        assert f"9 sessions of Thursday Circle and {held} check-ins (" in err


# --- the demo says what it keeps ---------------------------------------------------------


@pytest.mark.usefixtures("a_terminal")
@pytest.mark.parametrize("mode", ["throwaway", "keep", "data-dir"])
def test_the_demo_says_what_it_keeps_in_each_mode(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    mode: str,
) -> None:
    shown: list[tuple[str, Path]] = []

    def run_app(app: PeersessionApp) -> int:
        shown.append((app.sub_title, app.store.root))
        return 0

    monkeypatch.setattr("peersession.cli.app_cmds.run_app", run_app)
    # Kept demo folders are made in the temporary folder of this test.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    args = {"throwaway": [], "keep": ["--keep"], "data-dir": ["--data-dir", str(tmp_path / "d")]}
    code, out, _ = run(capsys, "demo", *args[mode])
    assert code == 0
    (subtitle, folder), *_ = shown
    if mode == "throwaway":
        assert subtitle == "demo · a throwaway copy: nothing here is kept"
        assert not folder.exists()
        assert out == "the demo's throwaway folder is deleted (--keep keeps it)\n"
    else:
        assert "nothing" not in subtitle and "kept when you quit" in subtitle
        assert folder.exists() and HistoryStore(folder).groups()
        assert folder.parent == tmp_path, "made where this test can clean it up"
        assert out.splitlines()[0] == f"demo data kept in {folder}"
        assert out.splitlines()[1] == f"open it again with: peersession --data-dir {folder}"
