"""The benchmark run: every measure, a table, and a JSON file.

Every figure comes with a reference measured in the same run on the same
machine, and the ratio between them (absolute times on a shared machine say
little). ``full`` size, on a 10,000-session archive in 21 groups:

- first frame: spawning the ``peersession`` command in a 120x40 pty until the
  frame showing the group rows has been written, against a one-line Textual
  app started the same way (:mod:`.terminal`; checked in tmux by
  :mod:`.tmux_check`); goal <= 1.5x;
- opening a 500-session group as the history screen does, against
  ``json.loads`` of its file; goal <= 2x;
- searching all 10,000 sessions for a word, warm and in a fresh process
  (``peersession search``), against reading every byte of the group files;
  goals <= 100 ms and <= 300 ms (the index build, once, is reported too);
- ending a session (``commit_session``) at 500 and 2,000 sessions, against one
  rewrite of the group's file; goal <= 1.3x;
- memory at the meeting screen of a 500-session group, against the one-line
  app; goal <= 1.5x;
- key press to updated meeting screen, 12 members, p95; goal <= 20 ms;
- persisting one facilitator action with no history and with the archive.

``python -m peersession.bench --archive DIR`` only builds the archive in DIR,
so every figure can be reproduced by hand.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from . import frames, history, keys, persist, saving
from .fixtures import SIZES, build


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return {
        "machine": platform.machine(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "peersession": __version__,
    }


def measure(
    size_name: str, progress: bool = True, only: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Every measure, or those named in ``only`` (the keys of the JSON)."""
    size = SIZES[size_name]

    def say(text: str) -> None:
        if progress:
            print(f"… {text}", file=sys.stderr, flush=True)

    results: dict[str, Any] = {"size": size_name, "machine": machine()}
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="peersession-bench-") as folder:
        root = Path(folder)
        say(f"building an archive of {size.sessions} sessions")
        folders = build(root, size)
        results["archive"] = {
            "sessions": size.sessions,
            "groups": size.groups + 1,
            "on_disk_mb": frames.archive_on_disk_mb(folders.archive),
        }
        steps: list[tuple[str, str, Callable[[], Any]]] = [
            (
                "first_frame",
                "first frames (fresh processes in a pty)",
                lambda: frames.first_frames(folders, size.frame_runs, root),
            ),
            (
                "open_group",
                "opening a big group",
                lambda: history.open_group(folders, size.open_runs),
            ),
            (
                "search",
                "searching every group",
                lambda: history.search_all(folders, size.search_runs, root),
            ),
            (
                "end_session",
                "ending sessions",
                lambda: [saving.end_session(n, size.save_runs) for n in size.save_sizes],
            ),
            (
                "memory",
                "memory at the meeting screen",
                lambda: frames.meeting_memory(folders, size.rss_runs),
            ),
            ("keys", "key presses", lambda: keys.key_latency(folders, size.presses)),
            (
                "persist",
                "persisting actions",
                lambda: persist.dispatch_times(folders, size.dispatches),
            ),
        ]
        for key, doing, step in steps:
            if only and key not in only:
                continue
            say(doing)
            results[key] = step()
    results["seconds"] = round(time.monotonic() - began, 1)
    return results


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


Row = tuple[str, str, str, str, str, str]


def _mark(met: bool) -> str:
    return "yes" if met else "MISSED"


def _first_frame_rows(ff: dict[str, Any]) -> list[Row]:
    return [
        (
            "first frame with the group rows (pty)",
            _ms(ff["peersession_ms"]),
            f"{_ms(ff['floor_ms'])} one-line app",
            f"{ff['ratio']:.2f}",
            "<= 1.5",
            _mark(ff["met"]),
        )
    ]


def _open_group_rows(og: dict[str, Any]) -> list[Row]:
    return [
        (
            f"open a group of {og['sessions']} sessions",
            _ms(og["median_ms"]),
            f"{_ms(og['floor_ms'])} json.loads",
            f"{og['ratio']:.2f}",
            "<= 2",
            _mark(og["met"]),
        )
    ]


def _search_rows(se: dict[str, Any]) -> list[Row]:
    return [
        (
            f"search {se['sessions']} sessions, warm",
            _ms(se["warm_ms"]),
            f"{_ms(se['read_every_byte_ms'])} read every byte",
            f"{se['warm_ms'] / se['read_every_byte_ms']:.2f}",
            "<= 100 ms",
            _mark(se["warm_ms"] <= 100),
        ),
        (
            f"search {se['sessions']} sessions, fresh process",
            _ms(se["fresh_ms"]),
            f"{_ms(se['fresh_read_every_byte_ms'])} fresh read",
            f"{se['fresh_ms'] / se['fresh_read_every_byte_ms']:.2f}",
            "<= 300 ms",
            _mark(se["fresh_ms"] <= 300),
        ),
        (
            "  (building the index from nothing, once)",
            _ms(se["build_ms"]),
            f"{se['index_mb']} MB on disk",
            "",
            "",
            "",
        ),
    ]


def _end_session_rows(saves: list[dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for save in saves:
        rows.append(
            (
                f"end a session, {save['sessions']} in the group",
                _ms(save["median_ms"]),
                f"{_ms(save['rewrite_ms'])} one rewrite",
                f"{save['ratio']:.2f}",
                "<= 1.3",
                _mark(save["met"]),
            )
        )
        rows.append(
            (
                "  (the file changed since the start)",
                _ms(save["changed_median_ms"]),
                "",
                f"{save['changed_ratio']:.2f}",
                "",
                "",
            )
        )
    return rows


def _memory_rows(mem: dict[str, Any]) -> list[Row]:
    return [
        (
            f"memory at the meeting screen ({mem['sessions']} sessions)",
            f"{mem['peersession_mb']:.0f} MB",
            f"{mem['floor_mb']:.0f} MB one-line app",
            f"{mem['ratio']:.2f}",
            "<= 1.5",
            _mark(mem["met"]),
        )
    ]


def _keys_rows(ky: dict[str, Any]) -> list[Row]:
    return [
        (
            "key press to meeting screen, p95 (12 members)",
            _ms(ky["p95_ms"]),
            f"p50 {_ms(ky['p50_ms'])}",
            "",
            "<= 20 ms",
            _mark(ky["p95_ms"] <= 20),
        )
    ]


def _persist_rows(ps: dict[str, Any]) -> list[Row]:
    return [
        (
            "persist 1 action, p99 (archive vs empty)",
            _ms(ps["archive"]["p99_ms"]),
            f"{_ms(ps['empty']['p99_ms'])} no history",
            f"{ps['ratio_p99']:.2f}",
            "< 5 ms, < 1.5",
            _mark(ps["met"]),
        )
    ]


ROWS: dict[str, Callable[[Any], list[Row]]] = {
    "first_frame": _first_frame_rows,
    "open_group": _open_group_rows,
    "search": _search_rows,
    "end_session": _end_session_rows,
    "memory": _memory_rows,
    "keys": _keys_rows,
    "persist": _persist_rows,
}


def table(results: dict[str, Any]) -> str:
    """The figures as a table, one or more rows for each measure that was taken."""
    rows: list[Row] = [("measure", "peersession", "reference", "ratio", "goal", "met")]
    for key, make in ROWS.items():
        if key in results:
            rows += make(results[key])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    info = results["machine"]
    lines.append("")
    lines.append(
        f"{info['machine']}, {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"{info['system']}; {results['seconds']} s"
    )
    if "first_frame" in results:
        ff = results["first_frame"]
        lines.append(
            f"first frame runs (ms): peersession {ff['peersession_runs_ms']}, "
            f"floor {ff['floor_runs_ms']}"
        )
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m peersession.bench",
        description="Measure peersession against references taken in the same run (a "
        "one-line Textual app, json.loads, reading every byte, one rewrite of a file); "
        "print a table and (with --json) write the figures.",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the figures here")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument(
        "--archive",
        metavar="DIR",
        type=Path,
        help="only build the archive (and an empty folder) in DIR, to measure by hand",
    )
    parser.add_argument(
        "--only",
        metavar="MEASURE",
        action="append",
        choices=sorted(ROWS),
        default=[],
        help="take only this measure (repeatable): " + ", ".join(ROWS),
    )
    args = parser.parse_args(argv)
    if args.archive is not None:
        if args.archive.exists() and any(args.archive.iterdir()):
            print(f"{args.archive}: not empty; give a new folder", file=sys.stderr)
            return 1
        folders = build(args.archive, SIZES[args.size])
        print(f"archive: {folders.archive} ({frames.archive_on_disk_mb(folders.archive)} MB)")
        print(f"empty:   {folders.empty}")
        print(f"biggest group: {folders.big_group}; meeting group: {folders.meeting_group.name}")
        return 0
    results = measure(args.size, progress=not args.quiet, only=frozenset(args.only))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0
