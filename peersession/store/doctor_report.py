"""What ``peersession doctor`` found: findings, the report, and how they are written down."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..core.safe_text import neutralise
from ..errors import UserError, cut_line
from ..paths import DataLayout

Status = Literal["ok", "note", "problem", "fixed"]


@dataclass(frozen=True)
class Finding:
    status: Status
    #: Where, relative to the data folder (``.`` for the folder itself).
    where: str
    message: str
    #: A problem ``--repair`` would do something about.
    fixable: bool = False


@dataclass
class DoctorReport:
    root: Path
    repair: bool
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> list[Finding]:
        """What is still wrong (after repairs, when repairing)."""
        return [f for f in self.findings if f.status == "problem"]

    @property
    def fixed(self) -> list[Finding]:
        return [f for f in self.findings if f.status == "fixed"]

    @property
    def healthy(self) -> bool:
        return not self.problems

    @property
    def fixable(self) -> list[Finding]:
        """The problems a repair would act on."""
        return [f for f in self.problems if f.fixable]


class Reporter:
    """Writing findings down: where (relative to the data folder) and what, as one
    safe line (names in messages are people's text)."""

    def __init__(self, layout: DataLayout, report: DoctorReport) -> None:
        self.layout = layout
        self.report = report
        self.repair = report.repair

    def where(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.layout.root)) or "."
        except ValueError:
            return str(path)

    def add(self, status: Status, path: Path, message: str, *, fixable: bool = False) -> None:
        # One line, safe, and of a sane length: a name in a hand-edited file may be long.
        flat = neutralise(cut_line(" ".join(message.split())))
        self.report.findings.append(Finding(status, self.where(path), flat, fixable))

    def problem(self, path: Path, message: str, fix: str | None = None) -> None:
        """Report a problem; ``fix`` is what ``--repair`` would do about it."""
        if fix and not self.repair:
            message = f"{message} (--repair: {fix})"
        self.add("problem", path, message, fixable=bool(fix))


_UNTOUCHED = re.compile(
    r"(;|,| and) (it |the file )?was left untouched|(;|,) left untouched|"
    r"\. The file was left untouched\.|; the file was left untouched"
)


def short(error: UserError, path: Path) -> str:
    """A store error without the path it starts with (the report says where) and
    without its advice to run the doctor."""
    message = str(error).replace(" (try `peersession doctor`)", "")
    message = message.replace(" (`peersession doctor` says more)", "")
    # "Left untouched" is the store's promise when it refuses a file; the report
    # says itself what the doctor did with it ("rebuilt", "--repair: ...").
    message = _UNTOUCHED.sub("", message)
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
