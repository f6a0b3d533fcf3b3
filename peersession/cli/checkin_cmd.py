"""``peersession checkin [GROUP]``: quick check-ins (to be built)."""

from __future__ import annotations

import argparse


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``checkin`` subcommand (not yet)."""
