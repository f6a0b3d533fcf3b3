"""Copy the README's pictures from the snapshot tests' SVGs into docs/pictures/.

The snapshot tests already draw the app's screens at fixed sizes with pinned
versions of Textual and the snapshot plugin; the README shows some of those
very pictures, so a screen that changes changes its picture in the same commit.
Run after ``pytest --snapshot-update``::

    .venv/bin/python scripts/readme_pictures.py          # write docs/pictures/
    .venv/bin/python scripts/readme_pictures.py --check  # exit 1 if out of step

``tests/unit/test_packaging.py`` runs the check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "e2e" / "__snapshots__"
PICTURES = ROOT / "docs" / "pictures"

#: picture in docs/pictures/ → (snapshot it is copied from, what it shows).
README_PICTURES: dict[str, tuple[str, str]] = {
    "home.svg": (
        "test_screen_snapshots/test_home_with_two_groups.svg",
        "The home screen: your groups, when each meets next, a live session to resume",
    ),
    "meeting-asks.svg": (
        "test_meeting_snapshots/test_asks_hot_seat.svg",
        "The asks phase: the hot seat, clarifying questions then advice, each timeboxed",
    ),
    "meeting-review.svg": (
        "test_meeting_snapshots/test_review_with_check_in_answers.svg",
        "The review of last session's commitments, pre-filled from check-ins",
    ),
    "room-view-160x50.svg": (
        "test_room_snapshots/test_meeting_room_view[ask-questions-160x50].svg",
        "The meeting at 160x50: an ask in its questions part",
    ),
    "follow-window-160x50.svg": (
        "test_room_snapshots/test_follow_window[160x50].svg",
        "peersession view at 160x50: the room view, and beside it what the phase has produced",
    ),
    "history.svg": (
        "test_history_snapshots/test_session_list[120x40].svg",
        "A group's history: figures, trends, and every session and check-in",
    ),
    "checkin.svg": (
        "test_checkin_snapshots/test_checkin_answered_with_update_energy_and_private.svg",
        "A member's check-in between sessions",
    ),
}


def stale() -> list[str]:
    """The pictures that differ from their snapshot (or are missing)."""
    out_of_step = []
    for picture, (snapshot, _) in README_PICTURES.items():
        target = PICTURES / picture
        if not target.exists() or target.read_bytes() != (SNAPSHOTS / snapshot).read_bytes():
            out_of_step.append(picture)
    return out_of_step


def write() -> list[str]:
    """Copy every snapshot that changed; returns the pictures written."""
    PICTURES.mkdir(parents=True, exist_ok=True)
    written = stale()
    for picture in written:
        snapshot, _ = README_PICTURES[picture]
        (PICTURES / picture).write_bytes((SNAPSHOTS / snapshot).read_bytes())
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        out_of_step = stale()
        for picture in out_of_step:
            print(f"docs/pictures/{picture} is out of step: run scripts/readme_pictures.py")
        return 1 if out_of_step else 0
    for picture in write():
        print(f"wrote docs/pictures/{picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
