"""``peersession doctor``: check and repair a data folder (to be built)."""

from __future__ import annotations

import argparse


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``doctor`` subcommand (not yet)."""
