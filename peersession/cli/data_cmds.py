"""``peersession locate``: where everything lives."""

from __future__ import annotations

import argparse

from .. import paths
from .output import echo


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    locate = subparsers.add_parser(
        "locate", parents=[common], help="print the data, config and theme folders"
    )
    locate.set_defaults(func=run_locate)


def run_locate(args: argparse.Namespace) -> int:
    data = paths.resolve_data_dir(args.data_dir)
    echo(f"data:   {data}")
    echo(f"config: {paths.config_file()}")
    echo(f"themes: {paths.user_themes_dir()}  (yours)")
    echo(f"        {paths.shipped_themes_dir()}  (shipped)")
    return 0
