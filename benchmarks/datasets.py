"""The data folders the measures run on, built through ``peersession import``.

A data set is a list of groups (:class:`bundles.GroupSpec`). Its bundles are
written once into the cache (they depend only on the recipe); its folder is
made by the peersession being measured, importing them one by one as a user
would, and kept in the cache under that peersession's identity (its code's
digest), so a later run of the same code reuses it. Every measured run gets
a fresh copy of that folder (new files, the same contents and times), so no
run sees what an earlier one left behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .bundles import RECIPE, GroupSpec, make_bundle
from .install import Install, environment


@dataclass(frozen=True)
class Facts:
    """What a measure needs to know of a group to recognise it on screen."""

    id: str
    name: str
    members: tuple[str, ...]
    #: The days of its sessions, newest first.
    days: tuple[date, ...]


@dataclass(frozen=True)
class Dataset:
    name: str
    groups: tuple[GroupSpec, ...]

    @property
    def key(self) -> str:
        """Its name and a digest of its groups' keys (a folder name, so short)."""
        digest = hashlib.sha256("_".join(g.key for g in self.groups).encode()).hexdigest()
        return f"{self.name}-r{RECIPE}-{digest[:12]}"

    @property
    def sessions(self) -> int:
        return sum(g.sessions for g in self.groups)


def department(groups: int, sessions: int, one_hit_at: int) -> Dataset:
    """``groups`` groups of ``sessions`` sessions; the one-hit word in group ``one_hit_at``."""
    specs = tuple(
        GroupSpec(n, sessions, members=6 + n % 4, one_hit=n == one_hit_at) for n in range(groups)
    )
    return Dataset(f"{groups}x{sessions}", specs)


def single(number: int, sessions: int, members: int = 8) -> Dataset:
    return Dataset(f"1x{sessions}", (GroupSpec(number, sessions, members),))


class Cache:
    """``DIR/bundles`` (by recipe) and ``DIR/archives/<install>/<data set>``."""

    def __init__(self, folder: Path, say: object = print) -> None:
        self.folder = folder
        self.say = say
        self._facts: dict[str, Facts] = {}
        folder.mkdir(parents=True, exist_ok=True)

    def bundle(self, spec: GroupSpec) -> Path:
        path = self.folder / "bundles" / f"{spec.key}.json"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(".part")
            part.write_text(json.dumps(make_bundle(spec), ensure_ascii=False))
            part.replace(path)
        return path

    def facts(self, spec: GroupSpec) -> Facts:
        if spec.key not in self._facts:
            bundle = json.loads(self.bundle(spec).read_text())
            group = bundle["group"]
            days = sorted(
                (datetime.fromisoformat(s["started_at"]).date() for s in bundle["sessions"]),
                reverse=True,
            )
            members = tuple(m["name"] for m in group["members"])
            self._facts[spec.key] = Facts(group["id"], group["name"], members, tuple(days))
        return self._facts[spec.key]

    def archive(self, install: Install, dataset: Dataset, scratch: Path) -> Path:
        """The folder ``install`` made by importing ``dataset``'s bundles (cached)."""
        done = self.folder / "archives" / install.identity / dataset.key
        if done.is_dir():
            return done
        building = done.with_name(done.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        began = time.monotonic()
        env = environment(scratch)
        for number, spec in enumerate(dataset.groups):
            if number % 10 == 0:
                self._say(
                    f"{install.label}: importing {dataset.name} ({number}/{len(dataset.groups)})"
                )
            result = subprocess.run(
                install.argv(building, "import", str(self.bundle(spec))),
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if result.returncode != 0:
                raise SystemExit(f"{install.label}: import of {spec.name} failed:\n{result.stderr}")
        building.rename(done)
        seconds = time.monotonic() - began
        (done.parent / f"{dataset.key}.seconds").write_text(f"{seconds:.1f}\n")
        return done

    def _say(self, text: str) -> None:
        if callable(self.say):
            self.say(text)


def fresh_copy(archive: Path, scratch: Path, name: str) -> Path:
    """A copy of ``archive`` that no peersession has opened yet."""
    target = scratch / "copies" / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(archive, target, symlinks=True)
    return target


def group_file(data_dir: Path, group_id: str) -> Path:
    """The group's history file (``groups/<id>.*``, as the README's data layout says)."""
    found = sorted((data_dir / "groups").glob(f"{group_id}.*"))
    if not found:
        raise RuntimeError(f"no file for group {group_id} in {data_dir / 'groups'}")
    return found[0]


def live_journals(data_dir: Path) -> list[Path]:
    """The journals of sessions in progress (``live/``; locks are empty files)."""
    live = data_dir / "live"
    if not live.is_dir():
        return []
    return sorted(p for p in live.iterdir() if p.is_file() and p.stat().st_size > 0)
