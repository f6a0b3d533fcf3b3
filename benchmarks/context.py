"""What every measure works with: the sizes, the installs, the data, and the rows it adds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .datasets import Cache, Dataset, department, fresh_copy, single
from .install import Install, environment
from .stats import figures


@dataclass(frozen=True)
class Size:
    """How big and how long a run is. ``full``: the product's real sizes (a group of
    50 and of 170 sessions, a department of 100 groups of 170 sessions); ``tiny``:
    the same measures on a few sessions, to show that the benchmark works."""

    name: str
    #: Interleaved pairs (peersession, floor) for every measure of a start or a save.
    pairs: int
    #: Key presses on each side, at each terminal size.
    presses: int
    #: Pairs for the first index build (tens of seconds each at full size).
    builds: int
    few_groups: Dataset
    department: Dataset
    #: The single groups a history, a meeting's start and its end are measured on.
    groups: tuple[Dataset, ...]
    meeting: Dataset
    #: Terminal sizes the keys are pressed at.
    terminals: tuple[tuple[int, int], ...]
    #: One uncounted start of each side first, so both find the OS's caches warm.
    warm_up: bool = True

    @property
    def big(self) -> Dataset:
        return self.groups[-1]


def _sizes() -> dict[str, Size]:
    full_department = department(100, 170, one_hit_at=37)
    tiny_department = department(3, 4, one_hit_at=1)
    return {
        "full": Size(
            "full",
            pairs=15,
            presses=120,
            builds=3,
            # The first five groups of the department: their bundles are shared.
            few_groups=Dataset("5x170", full_department.groups[:5]),
            department=full_department,
            groups=(single(200, 50), single(201, 170)),
            meeting=single(202, 170, members=12),
            terminals=((120, 40), (160, 50)),
        ),
        "tiny": Size(
            "tiny",
            pairs=1,
            presses=4,
            builds=1,
            few_groups=Dataset("2x4", tiny_department.groups[:2]),
            department=tiny_department,
            groups=(single(201, 6),),
            meeting=single(202, 4, members=12),
            terminals=((120, 40),),
            warm_up=False,
        ),
    }


SIZES = _sizes()


@dataclass(frozen=True)
class Goal:
    """Met when ``stat`` of the ratio (``ratio``) or of the value (``value``) is at
    most ``limit``; ``text`` is how the issue puts it."""

    kind: str
    limit: float
    text: str


@dataclass
class Row:
    """One line of the table: a measure, for one install, against its floor."""

    measure: str
    case: str
    install: str
    what: str
    unit: str = "ms"
    stat: str = "median"
    real: dict[str, Any] | None = None
    floor: dict[str, Any] | None = None
    floor_what: str = ""
    goal: Goal | None = None
    error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.real is None or self.floor is None or not self.floor[self.stat]:
            return None
        return round(float(self.real[self.stat]) / float(self.floor[self.stat]), 3)

    def verdict(self) -> tuple[bool, str] | None:
        """(met, how it stands), or None without a goal or a figure."""
        if self.goal is None or self.real is None:
            return None
        value = self.ratio if self.goal.kind == "ratio" else self.real[self.stat]
        if value is None:
            return None
        if value <= self.goal.limit:
            return True, "met"
        over = value / self.goal.limit - 1
        if self.goal.kind == "ratio":
            return False, f"missed by {over:.0%} ({value:.2f}x)"
        return False, f"missed by {value - self.goal.limit:.0f} {self.unit} ({over:.0%})"


@dataclass
class Run:
    size: Size
    installs: list[Install]
    cache: Cache
    scratch: Path
    say: Callable[[str], None]
    rows: list[Row] = field(default_factory=list)

    def archive(self, install: Install, dataset: Dataset) -> Path:
        return self.cache.archive(install, dataset, self.scratch)

    def copy(self, install: Install, dataset: Dataset, name: str = "run") -> Path:
        """A fresh copy of ``install``'s folder of ``dataset``: a first open."""
        archive = self.archive(install, dataset)
        return fresh_copy(archive, self.scratch, f"{install.slug}-{name}")

    def env(self, data_dir: Path | None = None) -> dict[str, str]:
        return environment(self.scratch, data_dir)

    def interleaved(self, pairs: int) -> Iterator[tuple[int, Install, bool]]:
        """(sample, install, floor first?) for ``pairs`` rounds: the installs take
        turns, and the floor goes first in every other pair, so a noisy moment or a
        warm cache falls on every side alike."""
        for number in range(pairs):
            turn = number % len(self.installs)
            for install in self.installs[turn:] + self.installs[:turn]:
                yield number, install, number % 2 == 0

    def pairs(
        self, count: int, sample: Callable[[Install, str, int], float]
    ) -> dict[tuple[str, str], list[float]]:
        """``sample(install, side, number)`` for both sides ("floor", "real") of
        ``count`` interleaved pairs, by (install's label, side)."""
        taken: dict[tuple[str, str], list[float]] = {}
        for number, install, floor_first in self.interleaved(count):
            for side in ("floor", "real") if floor_first else ("real", "floor"):
                taken.setdefault((install.label, side), []).append(sample(install, side, number))
        return taken

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def add_pairs(
        self, taken: dict[tuple[str, str], list[float]], row: Row, scale: float = 1000.0
    ) -> None:
        """One ``row`` for each install, with the figures of its samples."""
        for install in self.installs:
            real = figures(taken[(install.label, "real")], scale)
            floor = figures(taken[(install.label, "floor")], scale)
            self.add(replace(row, install=install.label, real=real, floor=floor))
