"""``peersession doctor [--repair]``: check a data folder and repair what can be repaired.

Exit codes: 0 when the folder is healthy (or every problem was repaired), 1 when
problems remain (a loss an earlier repair reported stays a problem until
``--acknowledge``), or the folder is not a peersession data folder.

With a person at the keyboard (standard input a terminal), ``--repair`` first
shows what it found and asks before changing anything; ``--yes`` skips the
question. Without a terminal (scripts, cron) it repairs as it always did.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core.words import plural
from ..errors import UserError
from ..paths import resolve_data_dir
from ..store.doctor import DoctorReport, Finding, acknowledge, examine, restore_set_aside
from .json_output import add_json_flag, print_json
from .output import ask, echo

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
            "what can be fixed (nothing is ever deleted: damaged files are kept in backups/). "
            "Only a peersession data folder is examined, and in it only the files peersession "
            "writes."
        ),
    )
    action = doctor.add_mutually_exclusive_group()
    action.add_argument(
        "--repair",
        action="store_true",
        help="fix what can be fixed, and say what was done (asks first on a terminal)",
    )
    action.add_argument(
        "--restore",
        metavar="FILE",
        help="put back a file the doctor set aside in backups/ (the current one is kept there)",
    )
    action.add_argument(
        "--acknowledge",
        action="store_true",
        help="accept what an earlier repair could not recover, so it is no longer reported "
        "(the list is kept in backups/)",
    )
    doctor.add_argument(
        "-y", "--yes", action="store_true", help="with --repair: repair without asking first"
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
        return f"repaired {plural(fixed, 'problem')}; healthy now"
    text = plural(problems, "problem")
    if report.repair:
        return f"{text} remain{'s' if problems == 1 else ''} that could not be repaired"
    if not report.fixable:
        return f"{text} found that `peersession doctor --repair` cannot fix (see above)"
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
    if args.acknowledge:
        return run_acknowledge(root)
    if args.yes and not args.repair:
        # Alone, --yes would check and change nothing: say so rather than seem to repair.
        raise UserError("--yes goes with --repair (doctor alone only checks)")
    if args.repair and not args.yes and sys.stdin.isatty():
        check = examine(root)
        if not check.fixable:
            return show(check, as_json=args.json)
        if not args.json:
            show(check, as_json=False, last_line=False)
        if not confirmed(check):
            echo("nothing was changed", err=True)
            return 1
    return show(examine(root, repair=args.repair), as_json=args.json)


def show(report: DoctorReport, *, as_json: bool, last_line: bool = True) -> int:
    """Print a report (text or ``--json``); the exit code it means."""
    if as_json:
        print_json(report_view(report))
    else:
        echo(f"peersession doctor: {report.root}")
        for finding in report.findings:
            echo(line(finding))
        if last_line:
            echo(summary(report))
    return 0 if report.healthy else 1


def confirmed(check: DoctorReport) -> bool:
    """Ask whether to repair what ``check`` found (on stderr: stdout may be JSON)."""
    problems, fixable = len(check.problems), len(check.fixable)
    found = f"{plural(problems, 'problem')} found"
    can = "" if fixable == problems else f" ({fixable} of them can be repaired)"
    answer = ask(f"{found}{can}. Repair now? [y/N]")
    return answer.strip().casefold() in ("y", "yes")


def run_acknowledge(root: Path) -> int:
    said, kept = acknowledge(root)
    if kept is None:
        echo("nothing to acknowledge: no repair left anything unrecovered")
        return 0
    for message in said:
        echo(f"  accepted  {message}")
    echo(f"acknowledged; the list is kept as {kept}")
    return 0
