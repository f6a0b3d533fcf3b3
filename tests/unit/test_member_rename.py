"""``group edit GROUP --rename-member OLD=NEW``: a member's name put right, their
history kept (they are the same member, by id, everywhere). Every refusal is
one line and changes nothing on disk."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from peersession.cli import main
from peersession.demo import DemoHistory, demo_history
from peersession.store.demo import seed_demo
from peersession.store.history import HistoryStore

TODAY = pendulum.date(2026, 3, 10)


@pytest.fixture(scope="module")
def demo() -> DemoHistory:
    return demo_history(today=TODAY)


@pytest.fixture
def seeded(data_dir: Path, demo: DemoHistory) -> list[str]:
    seed_demo(HistoryStore(data_dir), demo)
    return ["--data-dir", str(data_dir)]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_renamed_member_keeps_their_id_and_every_past_session_shows_the_new_name(
    seeded: list[str], data_dir: Path, demo: DemoHistory, capsys: pytest.CaptureFixture[str]
) -> None:
    old = demo.group.members[0]
    group = demo.group.name
    code, out, err = run(
        capsys,
        "group",
        "edit",
        group,
        "--rename-member",
        f"{old.name.upper()}=Nadia H. Okafor",
        *seeded,
    )
    assert (code, err) == (0, "")
    assert out == f'{group}: "{old.name}" is now "Nadia H. Okafor"\n'
    renamed = HistoryStore(data_dir).find_group(group)
    assert renamed.member(old.id).name == "Nadia H. Okafor"
    assert [m.id for m in renamed.members] == [m.id for m in demo.group.members]
    code, recap, _ = run(capsys, "export", group, "--all", "--format", "txt", "-o", "-", *seeded)
    assert code == 0
    # Named as the speaker, owner and asker by the new name; text people typed
    # that mentions the old one is theirs, and stays as they wrote it.
    assert "  - Nadia H. Okafor: " in recap and f"  - {old.name}: " not in recap
    assert "Nadia H. Okafor" in recap.split("Present: ")[1].split("\n")[0]


def test_a_former_member_can_be_renamed_and_a_case_change_is_a_rename(
    seeded: list[str], data_dir: Path, demo: DemoHistory, capsys: pytest.CaptureFixture[str]
) -> None:
    gone, other = demo.group.members[1], demo.group.members[2]
    group = demo.group.name
    assert run(capsys, "group", "edit", group, "--remove-member", gone.name, *seeded)[0] == 0
    lower = other.name.lower()
    code, out, _ = run(
        capsys,
        "group",
        "edit",
        group,
        "--rename-member",
        f"{gone.name}=Former Name",
        "--rename-member",
        f"{other.name}={lower}",
        *seeded,
    )
    assert code == 0
    assert f'"{gone.name}" is now "Former Name"' in out
    assert f'"{other.name}" is now "{lower}"' in out
    stored = HistoryStore(data_dir).find_group(group)
    assert stored.member(gone.id).name == "Former Name"
    assert not stored.member(gone.id).active
    assert stored.member(other.id).name == lower


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("Nobody Here=X", "peersession: no member named 'Nobody Here' in 'Thursday Circle'\n"),
        ("Bo", "peersession: --rename-member takes OLD=NEW, not 'Bo'\n"),
        ("=X", "peersession: --rename-member takes OLD=NEW, not '=X'\n"),
        ("{first}= ", "peersession: --rename-member takes OLD=NEW, not '{first}="),
        ("{first}={second_folded}", "is already the name of a member of the group\n"),
        ("{first}=a\x1b[31mred", "a member name cannot hold line breaks"),
        ("{first}=a\u202eb", "a member name cannot hold line breaks"),
    ],
)
def test_a_rename_that_cannot_be_is_one_line_and_changes_nothing(
    seeded: list[str],
    data_dir: Path,
    demo: DemoHistory,
    capsys: pytest.CaptureFixture[str],
    given: str,
    said: str,
) -> None:
    first, second = demo.group.members[0].name, demo.group.members[1].name
    values = {"first": first, "second_folded": second.casefold()}
    given, said = given.format(**values), said.format(**values)
    before = files(data_dir)
    code, out, err = run(
        capsys, "group", "edit", demo.group.name, "--rename-member", given, *seeded
    )
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and said in err
    assert "\x1b" not in err and "\u202e" not in err
    assert files(data_dir) == before


def test_names_are_put_right_before_the_other_options_of_the_command(
    seeded: list[str], data_dir: Path, demo: DemoHistory, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rename frees the old name for a new member in the same command, and the
    command's other options name the member by the new name."""
    first = demo.group.members[0]
    code, out, err = run(
        capsys,
        "group",
        "edit",
        demo.group.name,
        "--rename-member",
        f"{first.name}=Nadia Okafor",
        "--add-member",
        first.name,
        "--share-wins",
        "Nadia Okafor=yes",
        *seeded,
    )
    assert (code, err) == (0, "")
    stored = HistoryStore(data_dir).find_group(demo.group.name)
    assert stored.member(first.id).name == "Nadia Okafor" and stored.member(first.id).shares_wins
    newcomer = stored.member_by_name(first.name)
    assert newcomer is not None and newcomer.id != first.id and not newcomer.shares_wins
    assert f'"{first.name}" is now "Nadia Okafor"' in out
