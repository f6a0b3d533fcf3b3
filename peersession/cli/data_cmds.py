"""``peersession locate``: where everything lives."""

from __future__ import annotations

import argparse

from .. import paths


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
    print(f"data:   {data}")
    print(f"config: {paths.config_file()}")
    print(f"themes: {paths.user_themes_dir()}  (yours)")
    print(f"        {paths.shipped_themes_dir()}  (shipped)")
    return 0
