"""``peersession doctor [--repair]``: check a data folder and repair what can be repaired.

Exit codes: 0 when the folder is healthy (or every problem was repaired), 1 when
problems remain.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..paths import resolve_data_dir
from ..store.doctor import DoctorReport, Finding, examine, restore_set_aside
from .json_output import add_json_flag, print_json
from .output import echo

LABELS = {"ok": "ok", "note": "note", "problem": "PROBLEM", "fixed": "FIXED"}


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``doctor`` subcommand."""
    doctor = subparsers.add_parser(
        "doctor",
        parents=[common],
        help="check the data folder (and repair it with --repair)",
        description=(
            "Check the data folder: the index and group files parse and have a current schema, "
            "journals read, no finished session is missing from the history, summaries match, "
            "no temporary files were left by a crash, files are private. With --repair, fix "
            "what can be fixed (nothing is ever deleted: damaged files are kept in backups/)."
        ),
    )
    doctor.add_argument(
        "--repair", action="store_true", help="fix what can be fixed, and say what was done"
    )
    doctor.add_argument(
        "--restore",
        metavar="FILE",
        help="put back a file the doctor set aside in backups/ (the current one is kept there)",
    )
    add_json_flag(doctor, "the findings")
    doctor.set_defaults(func=run_doctor)


def line(finding: Finding) -> str:
    return f"  {LABELS[finding.status]:<8} {finding.where}: {finding.message}"


def summary(report: DoctorReport) -> str:
    problems, fixed = len(report.problems), len(report.fixed)
    if report.healthy and not fixed:
        return "healthy: nothing to repair"
    if report.healthy:
        return f"repaired {fixed} problem{'s' if fixed != 1 else ''}; healthy now"
    text = f"{problems} problem{'s' if problems != 1 else ''}"
    if report.repair:
        return f"{text} remain{'s' if problems == 1 else ''} that could not be repaired"
    return f"{text} found: `peersession doctor --repair` fixes what it can"


def report_view(report: DoctorReport) -> dict[str, Any]:
    """The report as the ``--json`` shape: the same findings and summary as the text."""
    return {
        "data_dir": str(report.root),
        "repair": report.repair,
        "healthy": report.healthy,
        "findings": [
            {"status": f.status, "where": f.where, "message": f.message} for f in report.findings
        ],
        "summary": summary(report),
    }


def run_doctor(args: argparse.Namespace) -> int:
    root = resolve_data_dir(args.data_dir)
    if args.restore is not None:
        target, kept = restore_set_aside(root, Path(args.restore))
        echo(f"put {args.restore} back as {target}")
        if kept is not None:
            echo(f"the file it replaced is kept as {kept}")
        return 0
    report = examine(root, repair=args.repair)
    if args.json:
        print_json(report_view(report))
        return 0 if report.healthy else 1
    echo(f"peersession doctor: {root}")
    for finding in report.findings:
        echo(line(finding))
    echo(summary(report))
    return 0 if report.healthy else 1
