"""The figures as a Markdown table (what the README shows) and as JSON."""

from __future__ import annotations

import os
import platform
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .context import Row
from .install import Install


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "machine": platform.machine(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "load": [round(x, 2) for x in os.getloadavg()],
    }


def cell(figures: dict[str, Any] | None, unit: str, stat: str) -> str:
    """``285 ms median (p95 310; IQR 270-295; n=15)``: the row's statistic first."""
    if figures is None:
        return ""
    if unit == "ms" and figures[stat] >= 1000:
        unit, figures = (
            "s",
            {k: v if k == "n" else v / 1000 for k, v in figures.items() if k != "samples"},
        )

    def show(value: float) -> str:
        return f"{value:.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.3g}"

    other = "p95" if stat != "p95" else "median"
    return (
        f"{show(figures[stat])} {unit} {stat} ({other} {show(figures[other])}; "
        f"IQR {show(figures['p25'])}–{show(figures['p75'])}; n={figures['n']})"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| measure | case | install | peersession | floor | ratio | goal | verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        if row.error is not None:
            problem = row.error.splitlines()[0][:160].replace("|", "\\|")
            lines.append(
                f"| {row.measure} | {row.case} | {row.install} | not taken: {problem} | | | | |"
            )
            continue
        verdict = row.verdict()
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
        lines.append(
            f"| {row.measure} | {row.case} | {row.install} | {cell(row.real, row.unit, row.stat)} "
            f"| {cell(row.floor, row.unit, row.stat)} | {ratio} | "
            f"{row.goal.text if row.goal else '–'} | "
            f"{'' if verdict is None else verdict[1]} |"
        )
    return "\n".join(lines)


def legend(rows: list[Row]) -> str:
    """What each row times, and its floor, once per measure and case."""
    seen: set[tuple[str, str]] = set()
    lines = []
    for row in rows:
        if (row.measure, row.case) in seen or row.error is not None:
            continue
        seen.add((row.measure, row.case))
        note = f" {row.extra['note']}." if "note" in row.extra else ""
        lines.append(f"- {row.measure}, {row.case}: {row.what}; floor: {row.floor_what}.{note}")
    return "\n".join(lines)


def describe(installs: list[Install], info: dict[str, Any], seconds: float, size: str) -> str:
    lines = [
        f"Size {size}; {info['machine']}, {info['cpu']}, {info['cores']} cores, Python "
        f"{info['python']}, {info['system']}; load average {info['load']} at the start, "
        f"{info.get('load_after', '?')} at the end; {seconds:.0f} s."
    ]
    lines += [
        f"- {i.label}: `{i.command}` (peersession {i.version}, Textual {i.textual}, "
        f"code {i.identity})"
        for i in installs
    ]
    return "\n".join(lines)


def as_json(rows: list[Row], installs: list[Install], info: dict[str, Any], **more: Any) -> Any:
    out_rows = []
    for row in rows:
        data = asdict(row)
        verdict = row.verdict()
        data["ratio"] = row.ratio
        data["met"] = None if verdict is None else verdict[0]
        data["verdict"] = None if verdict is None else verdict[1]
        out_rows.append(data)
    return {
        "machine": info,
        "installs": [{k: str(v) for k, v in asdict(i).items()} for i in installs],
        "rows": out_rows,
        **more,
    }
