"""``peersession view GROUP``: the read-only follow window (``--serve``: in a browser)."""

from __future__ import annotations

import argparse
import shlex
import sys

from ..core.words import plural
from ..errors import UserError
from ..paths import resolve_data_dir
from ..settings import load_settings
from .arguments import add_group_argument
from .output import echo, field

DEFAULT_PORT = 8000
LOCAL_HOST = "127.0.0.1"
#: Browsers served at once unless --max-viewers says otherwise (each is a process).
DEFAULT_MAX_VIEWERS = 10
MOST_VIEWERS = 1000


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    view = subparsers.add_parser(
        "view",
        parents=[common],
        help="follow a group's live session in a read-only room view (to share on the call)",
        description=(
            "Open the room view of GROUP's live session: who has the floor, the countdown, "
            "what is next. It follows the facilitator's app by reading the session's "
            "journal: it takes no lock, writes nothing, and shows only what has been "
            "saved. With --serve, the same view is served to web browsers "
            "(needs `pip install 'peersession[serve]'`): only to a browser given the "
            "address it prints, whose token is the key."
        ),
    )
    add_group_argument(view, help="the group's name")
    view.add_argument(
        "--serve", action="store_true", help="serve the view to web browsers (textual-serve)"
    )
    view.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"with --serve: the port ({DEFAULT_PORT})"
    )
    view.add_argument(
        "--host",
        default=LOCAL_HOST,
        help=(
            f"with --serve: the address to listen on ({LOCAL_HOST}: this computer only; "
            "0.0.0.0: every network it is on)"
        ),
    )
    view.add_argument(
        "--max-viewers",
        type=int,
        default=DEFAULT_MAX_VIEWERS,
        metavar="N",
        help=(
            f"with --serve: browsers connected at once ({DEFAULT_MAX_VIEWERS}; "
            "each runs its own window, about 40 MB)"
        ),
    )
    view.set_defaults(func=run_view)


def run_view(args: argparse.Namespace) -> int:
    from ..store.history import HistoryStore

    data_dir = resolve_data_dir(args.data_dir)
    # Resolve the group first (read-only), so a typo is one line on stderr.
    group = HistoryStore(data_dir, create=False).find_group(args.group)
    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port}: a port is a number from 1 to 65535")
    if not 0 < args.max_viewers <= MOST_VIEWERS:
        raise UserError(f"--max-viewers {args.max_viewers}: a number from 1 to {MOST_VIEWERS}")
    if args.serve:
        return _serve(args, str(data_dir), group.name)
    from ..tui.app import create_app
    from .output import command
    from .terminal import require_terminal, run_app

    require_terminal("the room view", command("view", group.name, "--serve"))
    theme = getattr(args, "theme", None)
    app = create_app(
        data_dir=data_dir, settings=load_settings(), theme=theme, start_group=group.id, mode="view"
    )
    return run_app(app)


def _serve(args: argparse.Namespace, data_dir: str, group_name: str) -> int:
    try:
        from . import serve_guard as guard
    except ImportError:
        raise UserError("--serve needs textual-serve: pip install 'peersession[serve]'") from None
    from . import serve_listen

    # Bound before anything says it serves: a port in use is one line, exit 1.
    sockets = serve_listen.listen(args.host, args.port)
    # Each browser gets its own follow window, run as this same command.
    line = [sys.executable, "-m", "peersession", "--data-dir", data_dir, "view", group_name]
    if getattr(args, "theme", None):
        line += ["--theme", args.theme]
    allowed = serve_listen.Allowed.serving(args.host, args.port, sockets)
    server = guard.GuardedServer(
        shlex.join(line),
        allowed=allowed,
        title=f"{field(group_name)} · room view",
        token=guard.new_token(),
        max_viewers=args.max_viewers,
    )
    host = args.host.strip("[]")
    if host in serve_listen.WILDCARD_HOSTS:
        url_host, reach = (
            serve_listen.outward_address(),
            "every network this computer is on, in plain HTTP (readable on the way)",
        )
    elif allowed.names >= serve_listen.LOOPBACK_NAMES:
        url_host, reach = host, "this computer only"
    else:
        url_host, reach = (
            host,
            f"the network of {field(host)}, in plain HTTP (readable on the way)",
        )
    address = f"http://{serve_listen.in_url(url_host)}:{args.port}/?token={server.token}"
    echo(
        f"Serving the room view of {field(group_name)}, read-only (private items as the "
        f"meeting shows them), to {reach}; at most {plural(args.max_viewers, 'browser')} at once."
    )
    echo(f"Open {address}")
    echo("Only a browser given this address (its token is the key) is let in. Ctrl+C stops it.")
    sys.stdout.flush()  # the server runs until stopped: say where it is first
    server.serve_on(sockets)
    return 0
