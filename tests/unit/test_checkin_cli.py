"""``peersession checkin``: the scripted form, --list, and errors that write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from peersession.cli import checkin_cmd, main
from peersession.core.clock import FakeClock
from peersession.core.commitment_state import commitment_status
from peersession.core.model import Group
from peersession.core.record_types import stored
from peersession.store.history import HistoryStore
from peersession.store.history_docs import new_group

from checkin_support import ANA_FIRST, ANA_SECOND, BO_ONLY, history_bytes, seed_commitments


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    monkeypatch.setattr(checkin_cmd, "CLOCK", clock)


@pytest.fixture
def seeded(store: HistoryStore, group: Group, clock: FakeClock) -> Group:
    seed_commitments(store, group, clock)
    return group


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["checkin", "--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_scripted_checkin_is_saved_with_dated_reviews(
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        data_dir,
        "Thursday Circle",
        "--member",
        "ana",
        "--done",
        "a1b",
        "--not-done",
        ANA_SECOND,
        "--note",
        "Sent it [/] at last",
        "--energy",
        "4",
    )
    assert (code, err) == (0, "")
    # The summary, then what changed: each commitment answered, the update as typed.
    assert out.splitlines() == [
        "Ana checked in to Thursday Circle: 1 done, 1 not yet; an update; energy 4/5",
        '  done: "Send the R01 draft to [b]Maria[/b]"',
        '  not yet: "Book a meeting with the chair"',
        '  update: "Sent it [/] at last"',
    ]
    [checkin] = store.checkins(seeded.id)
    assert checkin.statuses == {ANA_FIRST: "done", ANA_SECOND: "not_done"}
    assert checkin.note == "Sent it [/] at last"
    assert checkin.at == clock.now().isoformat()
    assert checkin.private is False
    by_id = {c.id: c for c in store.commitments(seeded.id)}
    for commitment_id, status in checkin.statuses.items():
        review = by_id[commitment_id].reviews[-1]
        assert stored(review) == {
            "at": checkin.at,
            "status": status,
            "source": "checkin",
            "source_id": checkin.id,
        }
    assert commitment_status(by_id[BO_ONLY]) == "open"  # nobody else's commitment moved


def test_with_one_group_the_group_can_be_left_out(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, data_dir, "--member", "Bo", "--drop", "b0", "--private")
    assert code == 0 and "1 dropped" in out and "private" in out
    [checkin] = store.checkins(seeded.id)
    assert checkin.statuses == {BO_ONLY: "dropped"} and checkin.private is True


def test_list_shows_open_commitments_with_their_ids(
    data_dir: Path, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, data_dir, "--member", "Ana", "--list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Ana's open commitments in Thursday Circle:"
    assert lines[1].startswith(f"  {ANA_FIRST}  Send the R01 draft to [b]Maria[/b]")
    assert lines[2].startswith(f"  {ANA_SECOND}  Book a meeting with the chair")
    code, out, _ = run(capsys, data_dir, "--member", "Cy", "--list")
    assert (code, out) == (0, "Cy has no open commitments in Thursday Circle\n")


def test_listing_does_not_leak_terminal_control_characters(
    data_dir: Path,
    store: HistoryStore,
    hostile_group: Group,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed_commitments(store, hostile_group, clock, [(3, "c0ffee000000", "Red \x1b[31malert")])
    code, out, _ = run(capsys, data_dir, hostile_group.name, "--member", "Cy\x1b[31mred", "--list")
    assert code == 0 and "\x1b" not in out and "Red �[31malert" in out


ERRORS: list[tuple[list[str], str]] = [
    (["--member", "Zed", "--done", "a1b"], "no member named 'Zed'"),
    (["--member", "Ana", "--done", "ffff"], "Ana has no open commitment with id 'ffff'"),
    (["--member", "Ana", "--done", BO_ONLY], "is Bo's, not Ana's"),
    (["--member", "Ana", "--done", "a1"], "'a1' is ambiguous"),
    (["--member", "Ana", "--done", "a1b", "--partial", ANA_FIRST], "is given twice"),
    (["--member", "Ana", "--done", "a1b", "--done", "a1b"], "is given twice"),
    (["--member", "Ana", "--energy", "6"], "energy is from 1 to 5, not 6"),
    (["--member", "Ana", "--energy", "0"], "energy is from 1 to 5, not 0"),
    (["--member", "Ana", "--energy", "lots"], "energy is a whole number from 1 to 5"),
    (["--member", "Ana", "--note", "   "], "nothing to check in"),
    (["--member", "Ana", "--private"], "nothing to check in"),
    (["--done", "a1b"], "needs --member NAME"),
    (["--list"], "--list needs --member NAME"),
    # A valid answer next to a bad one: nothing at all is written.
    (["--member", "Ana", "--done", "a1b", "--energy", "9"], "energy is from 1 to 5"),
]


@pytest.mark.parametrize(("args", "message"), ERRORS)
def test_errors_are_one_line_exit_1_and_write_nothing(
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    before = history_bytes(store, seeded)
    code, out, err = run(capsys, data_dir, "Thursday Circle", *args)
    assert code == 1, err
    assert out == ""
    assert err.startswith("peersession: ") and message in err and err.count("\n") == 1, err
    assert history_bytes(store, seeded) == before


def test_a_closed_commitment_is_refused(
    data_dir: Path, store: HistoryStore, seeded: Group, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, data_dir, "--member", "Ana", "--done", "a1b")[0] == 0
    before = history_bytes(store, seeded)
    code, _, err = run(capsys, data_dir, "--member", "Ana", "--partial", ANA_FIRST)
    assert code == 1 and f"commitment {ANA_FIRST} is closed (already done)" in err
    assert history_bytes(store, seeded) == before


def test_an_unknown_group_or_member_stops_before_the_screen_opens(
    data_dir: Path,
    store: HistoryStore,
    seeded: Group,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_screen(**_: object) -> None:
        raise AssertionError("the screen must not open")

    monkeypatch.setattr("peersession.tui.app.create_app", no_screen)
    code, _, err = run(capsys, data_dir, "Nope")
    assert code == 1 and "no group named 'Nope'" in err
    code, _, err = run(capsys, data_dir, "--member", "Zed")
    assert code == 1 and "no member named 'Zed'" in err
    store.add_group(new_group("Second", ["Di"]))
    code, _, err = run(capsys, data_dir, "--member", "Ana")
    assert code == 1 and "more than one group" in err


def test_without_answers_the_screen_opens_for_the_resolved_member(
    data_dir: Path,
    seeded: Group,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    a_terminal: None,
) -> None:
    opened: dict[str, object] = {}

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            pass

    def fake_create_app(**kwargs: object) -> FakeApp:
        opened.update(kwargs)
        return FakeApp()

    monkeypatch.setattr("peersession.tui.app.create_app", fake_create_app)
    code, out, _ = run(capsys, data_dir, "--member", "an")
    assert (code, out) == (0, "")
    assert opened["mode"] == "checkin" and opened["start_group"] == seeded.id
    assert opened["member"] == seeded.members[0].id


def test_usage_errors_are_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["checkin", "--done"])
    assert caught.value.code == 2
