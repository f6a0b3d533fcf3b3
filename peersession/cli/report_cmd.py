"""``peersession report [GROUP]``: the group's outcomes, year by year.

Wins by kind, attendance, commitment completion and (when the group's file
keeps goals) goals reached, computed by :mod:`peersession.core.report` and
written by :mod:`peersession.exports.report`. A win is in only when its member
agreed (``group edit --share-wins NAME=yes``); private wins never, private
commitments are left out of the counts, and what a private check-in said does
not count (as in every export). ``--anonymous`` names no one.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..core.clock import local_date
from ..core.privacy import private_checkin_ids, without_checkin_reviews
from ..core.report import outcomes_report, report_years
from ..errors import UserError
from ..exports.report import render_report_markdown, render_report_text, report_json
from ..paths import resolve_data_dir
from ..store.history import HistoryStore
from ..store.history_docs import read_goals
from . import slot_options
from .arguments import add_group_argument
from .json_output import print_json
from .output import field, write_raw

if TYPE_CHECKING:
    from ..core.records import Goal

FORMATS = ("md", "txt", "json")


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    report = subparsers.add_parser(
        "report",
        parents=[common],
        help="the group's outcomes by year: wins, attendance, completion (shared wins only)",
        description=(
            "The group's outcomes, year by year: wins by kind (promotion, grant, publication, "
            "award, personal, other), attendance, commitment completion and goals reached. A "
            "win is in only when its member agreed (group edit GROUP --share-wins NAME=yes); "
            "private wins never. --anonymous names no one. Example: peersession report "
            "'Thursday Circle' --year 2026 --format md --anonymous > outcomes.md"
        ),
    )
    add_group_argument(report, nargs="?", help="the group (may be left out with one group)")
    report.add_argument("--year", metavar="YYYY", help="that year only (default: every year)")
    report.add_argument("--format", choices=FORMATS, default="md", help="(default: md)")
    report.add_argument(
        "--anonymous",
        action="store_true",
        help="name no one: wins counted and listed by kind and month, without their texts",
    )
    report.set_defaults(func=run_report)


def parse_year(text: str) -> int:
    """``--year``: a year from 1970 to next year, as four digits (one line otherwise)."""
    years = report_years(slot_options.system_now())
    cleaned = text.strip()
    if not (len(cleaned) == 4 and cleaned.isdigit() and int(cleaned) in years):
        raise UserError(
            f"--year takes a year from {years.start} to {years.stop - 1}, not {field(text)!r}"
        )
    return int(cleaned)


def _goals(store: HistoryStore, group_id: str) -> list[Goal] | None:
    """The group's goals, when its file keeps a goals table (None otherwise)."""
    tables = store.group_tables(group_id)
    if "goals" not in tables:
        return None
    return read_goals(list(tables["goals"].values()))


def run_report(args: argparse.Namespace) -> int:
    year = parse_year(args.year) if args.year is not None else None
    store = HistoryStore(resolve_data_dir(args.data_dir), create=False)
    group = store.find_group(args.group) if args.group else store.only_group()
    documents = store.group_documents(group.id)
    secret = private_checkin_ids(documents.checkins)
    ends = {s.id: s.ended_at for s in documents.sessions}
    report = outcomes_report(
        group,
        documents.sessions,
        without_checkin_reviews(documents.commitments, secret, ends),
        today=local_date(slot_options.system_now()),
        goals=_goals(store, group.id),
        year=year,
        anonymous=args.anonymous,
    )
    if args.format == "json":
        print_json(report_json(report))
    elif args.format == "txt":
        write_raw(render_report_text(report))
    else:
        write_raw(render_report_markdown(report))
    return 0
