"""``peersession doctor --repair`` in a process a test kills (issue #26, point 6).

Run as ``python tests/doctor_kill_driver.py DATA_DIR [--kill-at N] [--kill-when
before|after] [--only CALL...]``: it runs the real command line (``doctor
--repair``; with no terminal it does not ask) with the torture driver's counter
of write-type system calls armed, and SIGKILLs itself at the N-th of them
(``--only replace unlink`` counts only the calls that change what a rerun
sees). Without ``--kill-at`` it prints ``CALLS <n>`` at the end, so a test can
enumerate every point.
"""

from __future__ import annotations

import argparse
import sys

from peersession.cli import main as peersession

from torture_driver import SyscallCounter


def main() -> int:
    parser = argparse.ArgumentParser(prog="doctor_kill_driver")
    parser.add_argument("data_dir")
    parser.add_argument("--kill-at", type=int, default=None)
    parser.add_argument("--kill-when", choices=["before", "after"], default="before")
    parser.add_argument("--only", nargs="*", default=None, help="count only these calls")
    args = parser.parse_args()
    if args.only:
        SyscallCounter.NAMES = tuple(args.only)
    counter = SyscallCounter(args.kill_at, args.kill_when)
    with counter.scope(True):
        status = peersession(["doctor", "--repair", "--data-dir", args.data_dir])
    return status


if __name__ == "__main__":
    sys.exit(main())
