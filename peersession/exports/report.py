"""The outcomes report (:mod:`peersession.core.report`) as Markdown, plain text or JSON.

Figures are computed in the core; this module only writes them. People's text
(the group's name, members' names, wins as told) goes through the same escapes
as the recaps: :func:`~.escape.markdown_text` in Markdown (it renders as
exactly the characters typed), :func:`~.escape.one_line` in plain text
(wrapped to :data:`~.text.WIDTH` columns), and JSON as it is (``json.dumps``
escapes what it must; the command line's printer neutralises the rest).
"""

from __future__ import annotations

from typing import Any

from ..core.accountability import Rate
from ..core.health import QUESTIONS, SHORT, arrow
from ..core.record_values import WIN_KINDS
from ..core.report import OutcomesReport, ReportedWin, YearOutcomes
from ..core.win_counts import wins_line
from ..core.words import plural
from .escape import markdown_text, one_line
from .text import WIDTH, titled
from .wrap import wrap

_KIND_WORDS = {
    "promotion": "promotion",
    "grant": "grant",
    "publication": "publication",
    "award": "award",
    "personal": "personal",
    "other": "other",
}


def _rate(rate: Rate, what: str) -> str:
    return f"{rate.part} of {rate.whole} {what} ({rate.percent()})" if rate.whole else "none yet"


def _attendance(year: YearOutcomes) -> str:
    """``41 of 47 expected present (87%); on leave for 3``: what was counted."""
    line = _rate(year.attendance, "expected present")
    return f"{line}; on leave for {year.away}" if year.away else line


def _health(year: YearOutcomes, before: YearOutcomes | None) -> str:
    """``2 checks: Safe 4.2↑, Focus 2.9↓, ...`` (the arrow against the year before)."""
    parts = []
    for question in QUESTIONS:
        value = year.health.get(question)
        if value is None:
            continue
        earlier = before.health.get(question) if before is not None else None
        parts.append(f"{SHORT[question]} {value:.1f}{arrow(earlier, value).strip()}")
    return f"{plural(year.health_checks, 'check')}: {', '.join(parts)}"


def _figures(year: YearOutcomes, report: OutcomesReport) -> list[tuple[str, str]]:
    """The year's figures as (label, value), the same in every format."""
    rows = [
        ("Sessions", str(year.sessions)),
        ("Wins", wins_line(year.wins_by_kind)),
        ("Attendance", _attendance(year)),
        ("Commitments done", _rate(year.completion, "due")),
    ]
    if report.goals_counted:
        rows.append(("Goals reached", str(year.goals_reached or 0)))
    if year.health_checks:
        index = report.years.index(year)
        before = next((y for y in reversed(report.years[:index]) if y.health_checks), None)
        rows.append(("Health", _health(year, before)))
    return rows


def _consent_line(report: OutcomesReport) -> str:
    whose = f"{report.sharing} of {plural(report.members, 'member')}"
    line = (
        f"Wins of the members who agreed to share them ({whose}); private wins never. "
        "Private commitments are left out of the counts."
    )
    if report.anonymous:
        line += " Anonymous: no names, wins by kind and month only."
    if not report.goals_counted:
        line += " Goals are not counted: this group's history keeps none."
    return line


def _win_text(win: ReportedWin, *, markdown: bool) -> str:
    """``2026-03-05 · grant · Ana: R01 funded`` (escaped for the format)."""
    safe = markdown_text if markdown else one_line
    parts = [win.when, _KIND_WORDS[win.kind]]
    if win.member is not None and win.text is not None:
        parts.append(f"{safe(win.member)}: {safe(win.text)}")
    return " · ".join(parts)


# -- Markdown ------------------------------------------------------------------------


def render_report_markdown(report: OutcomesReport) -> str:
    lines = [f"# {markdown_text(report.group)}: outcomes", "", markdown_text(_consent_line(report))]
    if not report.anonymous and report.sharing_names:
        names = ", ".join(markdown_text(n) for n in report.sharing_names)
        lines += ["", f"Sharing their wins: {names}"]
    if not report.years:
        lines += ["", "Nothing to report yet: no sessions, wins or goals reached."]
    for year in report.years:
        lines += ["", f"## {year.year}", ""]
        lines += [
            f"- **{label}**: {markdown_text(value)}" for label, value in _figures(year, report)
        ]
        if year.wins:
            lines += ["", "### Wins", ""]
            lines += [f"- {_win_text(win, markdown=True)}" for win in year.wins]
    return "\n".join(lines) + "\n"


# -- plain text -----------------------------------------------------------------------


def render_report_text(report: OutcomesReport) -> str:
    lines = [*titled(f"{report.group}: outcomes", "="), ""]
    lines += wrap(_consent_line(report), WIDTH)
    if not report.anonymous and report.sharing_names:
        names = ", ".join(one_line(n) for n in report.sharing_names)
        lines += ["", *wrap(f"Sharing their wins: {names}", WIDTH)]
    if not report.years:
        lines += ["", "Nothing to report yet: no sessions, wins or goals reached."]
    for year in report.years:
        lines += ["", *titled(str(year.year), "-"), ""]
        width = max(len(label) for label, _ in _figures(year, report)) + 2
        for label, value in _figures(year, report):
            head = f"  {label + ':':<{width}}"
            lines += wrap(value, WIDTH, head, " " * len(head))
        if year.wins:
            lines += ["", "  Wins:"]
            for win in year.wins:
                lines += wrap(_win_text(win, markdown=False), WIDTH, "  - ", "    ")
    return "\n".join(lines) + "\n"


# -- JSON -----------------------------------------------------------------------------


def _rate_json(rate: Rate) -> dict[str, int]:
    return {"part": rate.part, "whole": rate.whole}


def _win_json(win: ReportedWin) -> dict[str, Any]:
    found: dict[str, Any] = {"when": win.when, "kind": win.kind}
    if win.member is not None:
        found["member"] = win.member
        found["text"] = win.text
    return found


def report_json(report: OutcomesReport) -> dict[str, Any]:
    """The report as JSON-ready data (shape in docs/cli-json.md)."""
    found: dict[str, Any] = {
        "group": report.group,
        "anonymous": report.anonymous,
        "members": report.members,
        "sharing_wins": report.sharing,
        "goals_counted": report.goals_counted,
        "years": [
            {
                "year": year.year,
                "sessions": year.sessions,
                "wins_by_kind": {kind: year.wins_by_kind[kind] for kind in WIN_KINDS},
                "wins": [_win_json(win) for win in year.wins],
                "attendance": _rate_json(year.attendance),
                "on_leave": year.away,
                "completion": _rate_json(year.completion),
                **({"goals_reached": year.goals_reached} if report.goals_counted else {}),
                **(
                    {"health_checks": year.health_checks, "health": dict(year.health)}
                    if year.health_checks
                    else {}
                ),
            }
            for year in report.years
        ],
    }
    if not report.anonymous:
        found["sharing_names"] = list(report.sharing_names)
    return found
