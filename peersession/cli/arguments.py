"""Arguments several commands share, declared once.

A GROUP argument completes group names in the shell: shtab reads the
``complete`` attribute set here (its documented hook) when ``peersession
completion`` writes the script.
"""

from __future__ import annotations

import argparse
from typing import Any

#: The function that completes a GROUP argument, by shell (shtab's ``complete`` shape;
#: the functions are in completion_groups.bash and completion_groups.zsh).
GROUP_NAMES: dict[str, str] = {"bash": "_peersession_groups", "zsh": "_peersession_groups"}


def add_group_argument(
    parser: argparse.ArgumentParser, *flags: str, **options: Any
) -> argparse.Action:
    """``GROUP`` (positional, or ``--group``), whose names complete in the shell."""
    action = parser.add_argument(*(flags or ("group",)), metavar="GROUP", **options)
    action.complete = GROUP_NAMES  # type: ignore[attr-defined]
    return action
