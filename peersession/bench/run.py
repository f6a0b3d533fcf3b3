"""The benchmark run: every measure, a table, and a JSON file.

Measures (``full`` size; ``tiny`` runs the same code on a small archive):

(a) first frame of the home screen on a 10,000-session archive, from process
    start, against a minimal Textual app showing one line (goal: ratio <= 1.3);
(b) persisting one facilitator action (``LiveSession.dispatch``) with no history
    and with 10,000 sessions (goals: p99 < 5 ms, archive/empty ratio < 1.5),
    and stock TinyDB inserting one document into 100 and 10,000;
(c) opening a group of 500 sessions, searching all 10,000, and resident memory
    at the meeting screen against the minimal app's;
(d) key press to updated screen on the meeting screen of a 12-member group (p95).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .. import __version__
from . import frames, history, keys, persist
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


def measure(size_name: str, progress: bool = True) -> dict[str, Any]:
    size = SIZES[size_name]

    def say(text: str) -> None:
        if progress:
            print(f"… {text}", file=sys.stderr, flush=True)

    results: dict[str, Any] = {"size": size_name, "machine": machine()}
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="peersession-bench-") as folder:
        say(f"building an archive of {size.sessions} sessions")
        folders = build(Path(folder), size)
        results["archive"] = {
            "sessions": size.sessions,
            "groups": size.groups,
            "on_disk_mb": frames.archive_on_disk_mb(folders.archive),
        }
        say("first frames (fresh processes)")
        results["first_frame"] = frames.first_frames(folders, size.frame_runs)
        say("persisting actions")
        results["persist"] = persist.dispatch_times(folders, size.dispatches)
        say("stock TinyDB")
        results["tinydb"] = {
            "what": "stock TinyDB (JSONStorage, no fsync): insert one action-sized document",
            "small": {
                "docs": size.tinydb_small,
                **persist.stock_tinydb(size.tinydb_small, size.tinydb_inserts_small),
            },
            "large": {
                "docs": size.tinydb_large,
                **persist.stock_tinydb(size.tinydb_large, size.tinydb_inserts_large),
            },
        }
        say("opening a big group, searching every group")
        results["open_group"] = history.open_group(folders, size.open_runs)
        results["search"] = history.search_all(folders, size.search_runs)
        say("memory at the meeting screen")
        results["memory"] = frames.meeting_memory(folders, size.rss_runs)
        say("key presses")
        results["keys"] = keys.key_latency(folders, size.presses)
    results["seconds"] = round(time.monotonic() - began, 1)
    return results


def table(results: dict[str, Any]) -> str:
    ff, ps, tdb = results["first_frame"], results["persist"], results["tinydb"]
    og, se, mem, ky = results["open_group"], results["search"], results["memory"], results["keys"]
    n = results["archive"]["sessions"]

    def mark(met: bool) -> str:
        return "yes" if met else "MISSED"

    rows = [
        ("measure", "peersession", "reference", "ratio", "goal", "met"),
        (
            "first frame, home screen",
            f"{ff['peersession_ms']:.0f} ms",
            f"{ff['floor_ms']:.0f} ms (1-line app)",
            f"{ff['ratio']:.2f}",
            "<= 1.3",
            mark(ff["met"]),
        ),
        (
            f"persist 1 action, p50 ({n} sessions)",
            f"{ps['archive']['p50_ms']:.2f} ms",
            f"{ps['empty']['p50_ms']:.2f} ms (empty)",
            f"{ps['ratio_p50']:.2f}",
            "",
            "",
        ),
        (
            f"persist 1 action, p99 ({n} sessions)",
            f"{ps['archive']['p99_ms']:.2f} ms",
            f"{ps['empty']['p99_ms']:.2f} ms (empty)",
            f"{ps['ratio_p99']:.2f}",
            "< 5 ms, < 1.5",
            mark(ps["met"]),
        ),
        (
            f"stock TinyDB insert, p50 ({tdb['large']['docs']} docs)",
            f"{tdb['large']['p50_ms']:.2f} ms",
            f"{tdb['small']['p50_ms']:.2f} ms ({tdb['small']['docs']} docs)",
            f"{tdb['large']['p50_ms'] / tdb['small']['p50_ms']:.1f}",
            "",
            "",
        ),
        (
            f"open a group ({og['sessions']} sessions)",
            f"{og['median_ms']:.0f} ms",
            "",
            "",
            "",
            "",
        ),
        (f"search all ({se['sessions']} sessions)", f"{se['median_ms']:.0f} ms", "", "", "", ""),
        (
            "memory at the meeting screen",
            f"{mem['peersession_mb']:.0f} MB",
            f"{mem['floor_mb']:.0f} MB (1-line app)",
            f"{mem['ratio']:.2f}",
            "",
            "",
        ),
        (
            "key press to screen, p95 (12 members)",
            f"{ky['p95_ms']:.1f} ms",
            f"p50 {ky['p50_ms']:.1f} ms",
            "",
            "",
            "",
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    info = results["machine"]
    lines.append("")
    lines.append(
        f"{info['machine']}, {info['cpu']}, {info['cores']} cores, Python {info['python']}, "
        f"{info['system']}; {results['seconds']} s"
    )
    lines.append(f"open group: {og['what']}")
    lines.append(f"search: {se['what']}")
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m peersession.bench",
        description="Measure peersession against a minimal Textual app, an empty history "
        "and stock TinyDB; print a table and (with --json) write the figures.",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the figures here")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    results = measure(args.size, progress=not args.quiet)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 0
