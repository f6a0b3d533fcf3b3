"""``peersession locate``: where everything lives."""

from __future__ import annotations

import argparse

from .. import paths
from .json_output import add_json_flag, print_json
from .output import echo


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    locate = subparsers.add_parser(
        "locate",
        parents=[common],
        help="print the data, config, theme and cache folders",
        description=(
            "Print where peersession keeps things: the data folder (--data-dir, "
            "$PEERSESSION_DATA_DIR or the platform's), the settings file ($PEERSESSION_CONFIG "
            "or the platform's), your theme folder, the shipped themes and the cache folder "
            "(what can be worked out again, never data)."
        ),
    )
    add_json_flag(locate, "the locations")
    locate.set_defaults(func=run_locate)


def locations(data_dir: str | None) -> dict[str, str]:
    """Every location ``locate`` prints (the ``--json`` shape)."""
    return {
        "data": str(paths.resolve_data_dir(data_dir)),
        "config": str(paths.config_file()),
        "user_themes": str(paths.user_themes_dir()),
        "shipped_themes": str(paths.shipped_themes_dir()),
        "cache": str(paths.cache_dir()),
    }


def run_locate(args: argparse.Namespace) -> int:
    where = locations(args.data_dir)
    if args.json:
        print_json(where)
        return 0
    echo(f"data:   {where['data']}")
    echo(f"config: {where['config']}")
    echo(f"themes: {where['user_themes']}  (yours)")
    echo(f"        {where['shipped_themes']}  (shipped)")
    echo(f"cache:  {where['cache']}")
    return 0
