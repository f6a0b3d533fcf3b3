"""Private means no trace in any export: every format, before and after each kind of
private action (issue 26, items 5 and 11).

Each history is built the same way, from a copy of one group (same ids), on a fake
clock, through the commands and the live session people use; the only difference
between two histories compared is the private action. Every default export (the
recaps in md and txt, the bundle, the calendar with and without
``--with-commitments``) must then be byte for byte the same, apart from the
moment it was made (``DTSTAMP``, ``exported_at``). The ``--include-private``
exports may differ, and the tests check that they do where the private action
left something to include, so a comparison can never pass because the action
did nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pendulum
import pytest

from peersession.cli import main
from peersession.core import events as ev
from peersession.core.clock import FakeClock
from peersession.store.history import HistoryStore
from peersession.store.live import LiveSession

LONDON = "Europe/London"
#: Every export people can make of a group, by a short name.
EXPORTS: dict[str, tuple[str, ...]] = {
    "md last": ("--format", "md", "--last"),
    "md all": ("--format", "md", "--all"),
    "txt last": ("--format", "txt", "--last"),
    "txt all": ("--format", "txt", "--all"),
    "json last": ("--format", "json", "--last"),
    "json all": ("--format", "json", "--all"),
    "ics": ("--format", "ics"),
    "ics with commitments": ("--format", "ics", "--with-commitments"),
}

Privacy = Literal["public", "private from the start", "marked private later"]
CheckinKind = Literal["done", "partial", "drop"]


@dataclass(frozen=True)
class Story:
    """What differs between the histories compared; everything else is the same."""

    #: Bo's commitment of the first session, reviewed in the second.
    bo_commitment: Privacy = "public"
    #: A win logged in the second session.
    late_win: Privacy = "public"
    #: A private note, commitment, win and ask in the second session.
    private_items: bool = False
    #: A private check-in by Bo on his commitment (with a note), after everything.
    private_checkin: CheckinKind | None = None


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The commands' "now", and the check-in's, fixed: two histories built the same
    way hold the same moments."""
    now = pendulum.datetime(2026, 11, 20, 12, tz="UTC")
    monkeypatch.setattr("peersession.cli.slot_options.system_now", lambda: now)
    monkeypatch.setattr(
        "peersession.cli.checkin_cmd.CLOCK", FakeClock(pendulum.datetime(2027, 1, 5, 9, tz="UTC"))
    )


@pytest.fixture
def empty_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "empty"
    run(
        capsys,
        *("group", "add", "Circle", "-m", "Ana", "-m", "Bo", "-m", "Cy", "--every", "3w"),
        *("--next", "2026-12-03", "--at", "16:00", "--tz", LONDON, "--data-dir", str(folder)),
    )
    return folder


def session(
    store: HistoryStore, session_id: str, start: pendulum.DateTime, monkeypatch: pytest.MonkeyPatch
) -> tuple[LiveSession, FakeClock]:
    """A live session with a known id, started at ``start``."""
    clock = FakeClock(start.in_timezone("UTC"))
    with monkeypatch.context() as patch:
        patch.setattr("peersession.store.live.new_id", lambda: session_id)
        live = LiveSession.start(store, store.find_group("Circle"), clock)
    return live, clock


def build(
    empty: Path,
    folder: Path,
    story: Story,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The history of ``story``: two sessions and a public check-in, from a copy of
    the same group."""
    shutil.copytree(empty, folder)
    store = HistoryStore(folder)
    members = {m.name: m.id for m in store.find_group("Circle").members}

    live, clock = session(
        store, "s1", pendulum.datetime(2026, 12, 3, 16, 0, tz=LONDON), monkeypatch
    )
    step = clock.advance
    for action in (
        ev.WinAdded(win_id="w1", member_id=members["Ana"], kind="grant", text="Got the R01"),
        ev.NoteAdded(note_id="n1", text="public note of the first session"),
        ev.CommitmentAdded(commitment_id="ana1", owner=members["Ana"], text="Ana sends the draft"),
        ev.CommitmentAdded(
            commitment_id="bo1",
            owner=members["Bo"],
            text="Bo talks to the dean",
            private=story.bo_commitment == "private from the start",
        ),
        ev.CommitmentAdded(commitment_id="cy1", owner=members["Cy"], text="Cy books the room"),
        ev.AskAdded(ask_id="k1", member_id=members["Cy"], text="How do I say no?"),
    ):
        step(minutes=3)
        live.dispatch(action)
    step(minutes=60)
    live.end()

    live, clock = session(
        store, "s2", pendulum.datetime(2026, 12, 24, 16, 0, tz=LONDON), monkeypatch
    )
    step = clock.advance
    actions: list[ev.Action] = [
        ev.ReviewMarked(commitment_id="ana1", status="done"),
        ev.ReviewMarked(commitment_id="bo1", status="not_done"),
        ev.ReviewMarked(commitment_id="cy1", status="partial"),
        ev.WinAdded(
            win_id="w2",
            member_id=members["Bo"],
            kind="publication",
            text="Bo's paper accepted",
            private=story.late_win == "private from the start",
        ),
        ev.NoteAdded(note_id="n2", text="public note of the second session"),
        ev.CommitmentAdded(commitment_id="ana2", owner=members["Ana"], text="Ana asks for time"),
    ]
    for later in actions:
        step(minutes=3)
        live.dispatch(later)
    # Marked private at the same moment as nothing happening in the other history.
    if story.bo_commitment == "marked private later":
        live.dispatch(ev.PrivacyToggled(item_id="bo1"))
    if story.late_win == "marked private later":
        live.dispatch(ev.PrivacyToggled(item_id="w2"))
    if story.private_items:
        # At the same moments as nothing happening in the other history.
        for action in (
            ev.NoteAdded(note_id="p1", text="SECRET note", private=True),
            ev.CommitmentAdded(
                commitment_id="p2", owner=members["Cy"], text="SECRET commitment", private=True
            ),
            ev.WinAdded(
                win_id="p3", member_id=members["Cy"], kind="other", text="SECRET win", private=True
            ),
            ev.AskAdded(ask_id="p4", member_id=members["Bo"], text="SECRET ask", private=True),
        ):
            live.dispatch(action)
    step(minutes=60)
    live.end()

    data = ("--data-dir", str(folder))
    with monkeypatch.context() as patch:
        patch.setattr("peersession.cli.checkin_cmd.new_id", lambda: "ci-ana")
        run(
            capsys,
            "checkin",
            "Circle",
            "-m",
            "Ana",
            "--partial",
            "ana2",
            "--note",
            "halfway",
            *data,
        )
    if story.private_checkin is not None:
        with monkeypatch.context() as patch:
            patch.setattr("peersession.cli.checkin_cmd.new_id", lambda: "ci-bo")
            run(
                capsys,
                *("checkin", "Circle", "-m", "Bo", f"--{story.private_checkin}", "bo1"),
                *("--note", "SECRET check-in note", "--private", *data),
            )
    return folder


def stamped_out(name: str, text: str) -> str:
    """An export without the moment it was made: what two exports of the same
    history may differ by."""
    if name.startswith("ics"):
        # Unfolded (RFC 5545 folds long lines), so texts can be looked for whole.
        return re.sub(r"DTSTAMP:[0-9TZ]+\r\n", "", text.replace("\r\n ", ""))
    if name.startswith("json"):
        bundle = json.loads(text)
        assert "exported_at" in bundle
        del bundle["exported_at"]
        return json.dumps(bundle, sort_keys=True, indent=1)
    return text


def exports(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, str]:
    return {
        name: stamped_out(
            name, run(capsys, "export", "Circle", *args, *extra, "--data-dir", str(folder))
        )
        for name, args in EXPORTS.items()
    }


def differences(before: dict[str, str], after: dict[str, str]) -> Iterator[str]:
    for name in EXPORTS:
        if before[name] != after[name]:
            old, new = before[name].splitlines(), after[name].splitlines()
            changed = [line for line in new if line not in old] + [
                f"(gone) {line}" for line in old if line not in new
            ]
            yield f"{name}: {changed[:4]}"


@pytest.mark.parametrize("kind", ["done", "partial", "drop"])
def test_a_private_check_in_leaves_every_default_export_as_it_was(
    kind: CheckinKind,
    tmp_path: Path,
    empty_group: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = build(empty_group, tmp_path / "h", Story(), capsys, monkeypatch)
    before = exports(folder, capsys)
    before_private = exports(folder, capsys, "--include-private")
    with monkeypatch.context() as patch:
        patch.setattr("peersession.cli.checkin_cmd.new_id", lambda: "ci-bo")
        run(
            capsys,
            *("checkin", "Circle", "-m", "Bo", f"--{kind}", "bo1"),
            *("--note", "SECRET check-in note", "--private", "--data-dir", str(folder)),
        )
    after = exports(folder, capsys)
    assert list(differences(before, after)) == []
    # Bo's commitment is still on the calendar's list, as if nothing had been said.
    assert "Bo talks to the dean" in after["ics with commitments"]
    # The check-in did happen: it is in the bundle that includes private items,
    # and with it Bo's commitment leaves the open list (done or dropped).
    with_private = exports(folder, capsys, "--include-private")
    assert "SECRET check-in note" in with_private["json all"]
    assert "SECRET" not in "".join(after.values())
    if kind != "partial":
        assert "Bo talks to the dean" in before_private["ics with commitments"]
        assert "Bo talks to the dean" not in with_private["ics with commitments"]


def test_private_items_in_a_session_leave_every_default_export_as_without_them(
    tmp_path: Path,
    empty_group: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = build(empty_group, tmp_path / "plain", Story(), capsys, monkeypatch)
    secret = build(empty_group, tmp_path / "secret", Story(private_items=True), capsys, monkeypatch)
    assert list(differences(exports(plain, capsys), exports(secret, capsys))) == []
    with_private = exports(secret, capsys, "--include-private")
    for text in ("SECRET note", "SECRET commitment", "SECRET win", "SECRET ask"):
        assert text in with_private["json last"]
    for text in ("SECRET commitment", "SECRET win", "SECRET ask"):
        assert text in with_private["md last"] and text in with_private["txt last"]
    assert "SECRET commitment" in with_private["ics with commitments"]


def test_marking_private_later_leaves_the_exports_of_private_from_the_start(
    tmp_path: Path,
    empty_group: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def history(name: str, privacy: Privacy) -> Path:
        story = Story(bo_commitment=privacy, late_win=privacy)
        return build(empty_group, tmp_path / name, story, capsys, monkeypatch)

    public = exports(history("public", "public"), capsys)
    from_start = exports(history("from-start", "private from the start"), capsys)
    later = exports(history("later", "marked private later"), capsys)
    assert list(differences(from_start, later)) == []
    # Not vacuous: both items are in the exports while they are public, and gone
    # from every one of them once private.
    for text in ("Bo talks to the dean", "Bo's paper accepted"):
        assert text in public["md all"] and text in public["json all"]
        assert not any(text in export for export in later.values())
    assert "Bo talks to the dean" in public["ics with commitments"]


def test_the_default_invitation_carries_the_meeting_only(
    tmp_path: Path,
    empty_group: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = build(empty_group, tmp_path / "h", Story(), capsys, monkeypatch)
    plain = exports(folder, capsys)
    for text in ("Ana asks for time", "Bo talks to the dean", "Cy books the room", "halfway"):
        assert text not in plain["ics"]
        assert text in plain["ics with commitments"] or text == "halfway"
    unfolded = plain["ics"]
    assert "DESCRIPTION:Ground rules: Consistency in meeting (and 2 more)\\n" in unfolded
    assert "Before the meeting\\, check in on your commitments: peersession checkin Circle" in (
        unfolded
    )
    # The flag is the calendar's: a recap or a bundle refuses it in one line.
    code = main(
        ["export", "Circle", "--format", "md", "--with-commitments", "--data-dir", str(folder)]
    )
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "--format ics" in err
