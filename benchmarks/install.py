"""A peersession to measure: its command, the Python that runs it, and who it is.

Any installed peersession can be measured (a venv, a pipx install, a checkout's
editable install), so two commits can be measured in one run, interleaved.
Everything the benchmark starts for it runs on its own interpreter: the floor
apps use the Textual that peersession would use.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Environment variables that would change what the programs draw or read.
DROPPED = ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DRIVER", "NO_COLOR", "PEERSESSION_THEME")


@dataclass(frozen=True)
class Install:
    label: str
    command: Path
    python: Path
    version: str
    textual: str
    #: Changes whenever peersession's code does: keys the cached archives.
    identity: str

    @property
    def slug(self) -> str:
        """A name for this install's own files (two labels may share one code)."""
        return f"{self.identity}-" + re.sub(r"[^A-Za-z0-9_-]", "_", self.label)

    def argv(self, data_dir: Path, *args: str) -> list[str]:
        return [str(self.command), "--data-dir", str(data_dir), *args]

    def script(self, folder: Path, name: str, body: str) -> Path:
        """An executable script run by this install's Python, as a console script is."""
        path = folder / f"{self.identity}-{name}"
        path.write_text(f"#!{self.python}\n{body}")
        path.chmod(0o700)
        return path


def environment(scratch: Path, data_dir: Path | None = None) -> dict[str, str]:
    """A terminal's environment, with the user's config, themes and data out of reach."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        PEERSESSION_CONFIG=str(scratch / "config.toml"),
        XDG_CONFIG_HOME=str(scratch / "config"),
        XDG_DATA_HOME=str(scratch / "data"),
        XDG_CACHE_HOME=str(scratch / "cache"),
    )
    if data_dir is not None:
        env["PEERSESSION_DATA_DIR"] = str(data_dir)
    return env


def interpreter(command: Path) -> Path:
    """The Python a console script runs on (its ``#!`` line)."""
    with command.open("rb") as file:
        first = file.readline().decode("utf-8", "replace").strip()
    if not first.startswith("#!"):
        raise SystemExit(f"{command}: not a console script (no #! line)")
    parts = first[2:].split()
    if Path(parts[0]).name == "env" and len(parts) > 1:
        found = shutil.which(parts[1])
        if found is None:
            raise SystemExit(f"{command}: its interpreter {parts[1]!r} is not on PATH")
        return Path(found)
    return Path(parts[0])


PROBE = """
import hashlib, pathlib, peersession, textual.app, importlib.metadata as m
root = pathlib.Path(peersession.__file__).parent
digest = hashlib.sha256()
for path in sorted(root.rglob("*.py")):
    digest.update(str(path.relative_to(root)).encode() + b"\\0" + path.read_bytes())
print(peersession.__version__, m.version("textual"), digest.hexdigest(), root, sep="\\n")
"""


def find(command: str | None, venv: str | None, label: str | None) -> Install:
    """The install named by a ``--peersession`` or ``--venv`` option, or the one
    beside the running Python."""
    if venv is not None:
        path = Path(venv) / "bin" / "peersession"
    elif command is not None:
        path = Path(command)
    else:
        beside = Path(sys.executable).parent / "peersession"
        path = beside if beside.exists() else Path(shutil.which("peersession") or beside)
    if not path.is_file() or not os.access(path, os.X_OK):
        raise SystemExit(f"{path}: no peersession command there")
    path = path.absolute()
    python = interpreter(path)
    # Run beside the interpreter, not here: `python -c` puts the current folder
    # first on sys.path, so a run from a checkout would probe (and key its
    # archives by) that checkout's code instead of the install's.
    probe = subprocess.run(
        [str(python), "-c", PROBE],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=python.parent,
    )
    if probe.returncode != 0:
        raise SystemExit(f"{path}: cannot import peersession with {python}:\n{probe.stderr}")
    version, textual, digest, package = probe.stdout.split("\n")[:4]
    # Start both sides from bytecode, as installed copies do (an editable install
    # otherwise compiles peersession's modules, and never Textual's, at a start).
    subprocess.run(
        [str(python), "-m", "compileall", "-q", package], capture_output=True, check=False
    )
    identity = hashlib.sha256(f"{path}\0{version}\0{digest}".encode()).hexdigest()[:12]
    return Install(label or default_label(path), path, python, version, textual, identity)


def default_label(path: Path) -> str:
    """``main`` for ``/work/main/.venv/bin/peersession``: the folder the venv is in."""
    parts = path.parts
    if len(parts) >= 4 and parts[-2] == "bin":
        venv = Path(*parts[:-2])
        return venv.parent.name if venv.name.startswith(".") else venv.name
    return path.parent.name
