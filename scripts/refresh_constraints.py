"""Refresh constraints/test.txt, the exact versions the README's test line installs.

The test line (which CI runs) installs with ``-c constraints/test.txt``, so a clone
today and a clone in six months test with the same versions of everything the test
run imports, dependencies of dependencies included. To move to newer releases::

    python3.11 scripts/refresh_constraints.py

It installs ``peersession[test]`` into a fresh temporary venv, taking the newest
releases the ranges in pyproject.toml allow (the current pins are not used), and
writes that venv's ``pip freeze`` to constraints/test.txt. Then run the README's test
line and commit the file with what the new versions needed. Run it with Python 3.11,
the oldest Python peersession supports and the one CI runs: a few packages pull in
other packages on other Pythons.
"""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints" / "test.txt"
PYTHON = (3, 11)

HEADER = """\
# The exact versions the README's test line installs (CI runs that line), every
# distribution the test run imports, dependencies of dependencies included, for
# Python {python}. Made by `python3.11 scripts/refresh_constraints.py` on {day}
# from the newest releases pyproject.toml's ranges allowed; refresh it the same way
# (do not edit by hand), then run the test line and commit.
"""

#: A pinned line of ``pip freeze`` (editable installs and comments are left out).
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\S+$")


def frozen_versions(python: str) -> list[str]:
    """``name==version`` of everything ``peersession[test]`` installs, newest allowed."""
    with tempfile.TemporaryDirectory(prefix="peersession-constraints-") as folder:
        venv = Path(folder) / "venv"
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip"]
        subprocess.run(
            [*pip, "install", "-q", "--disable-pip-version-check", f"{ROOT}[test]"], check=True
        )
        freeze = subprocess.run(
            [*pip, "freeze", "--disable-pip-version-check"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    pins = [line for line in freeze.splitlines() if PINNED.match(line)]
    return sorted(
        (pin for pin in pins if not pin.lower().startswith("peersession==")), key=str.lower
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the Python 3.11 to install with (default: this one)",
    )
    args = parser.parse_args()
    version = subprocess.run(
        [args.python, "-c", "import sys; print(*sys.version_info[:2])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    if tuple(int(part) for part in version) != PYTHON:
        print(
            f"refresh_constraints: {args.python} is Python {'.'.join(version)}; the pins are "
            "for Python 3.11: run it with python3.11 (or --python /path/to/python3.11)",
            file=sys.stderr,
        )
        return 2
    pins = frozen_versions(args.python)
    header = HEADER.format(python="3.11", day=datetime.date.today().isoformat())
    CONSTRAINTS.parent.mkdir(exist_ok=True)
    CONSTRAINTS.write_text(header + "\n".join(pins) + "\n", encoding="utf-8")
    print(f"wrote {len(pins)} pins to {CONSTRAINTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
