"""``peersession export`` and ``peersession import``: what leaves and enters the app.

``export`` writes a recap (``md``, or plain ``txt``), a bundle (``json``) or
the meeting series (``ics``, with the members' open commitments only when
``--with-commitments`` asks); private items, and everything a private check-in
said, stay out unless ``--include-private``.
Without ``-o``, or with ``-o -``, it goes to standard output. With ``-o FILE``
the file is written atomically, readable by the owner alone; an existing file
is replaced only with ``--force`` (an export is often re-run, but a recap
someone edited by hand should not vanish by accident), and never a file in the
data folder.

``import`` merges a JSON bundle by id (see :mod:`peersession.store.merge`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from ..core.model import Group
from ..core.privacy import private_checkin_ids, without_checkin_reviews
from ..core.words import plural
from ..errors import UserError
from ..exports.bundle import build_bundle, check_exportable, dumps_bundle, parse_bundle
from ..exports.ics import render_ics
from ..exports.ics_todos import render_todos
from ..exports.markdown import render_markdown
from ..exports.text import render_text
from ..store.atomic import atomic_write_bytes
from ..store.history import HistoryStore
from ..store.history_docs import GroupDocuments
from ..store.merge import merge_bundle
from .arguments import add_group_argument
from .export_todos import add_todo_arguments, chosen_todos
from .output import echo, field, write_raw

if TYPE_CHECKING:
    from ..core.session_records import Session

FORMATS = ("md", "txt", "json", "ics")


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    export = subparsers.add_parser(
        "export",
        parents=[common],
        help="export a recap, a bundle or the next meeting (private items left out)",
        description=(
            "md: a recap in Markdown; txt: the same recap as plain text for an email or a "
            "chat; json: a bundle another peersession can import; ics: the meeting series as "
            "a calendar invitation that calendars update in place (the meeting only: the "
            "members' open commitments with --with-commitments). Private items are left "
            "out unless --include-private."
        ),
    )
    add_group_argument(export, nargs="?", help="the group (may be left out with one group)")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--last", action="store_true", help="the last session (the default)")
    which.add_argument("--session", metavar="ID", help="one session by id")
    which.add_argument("--all", action="store_true", help="every session, newest first")
    export.add_argument("--format", choices=FORMATS, default="json", help="(default: json)")
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (atomically, private to you) instead of stdout; - is stdout",
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.add_argument(
        "--include-private",
        action="store_true",
        help="include items marked private (they stay in the room otherwise)",
    )
    export.add_argument(
        "--with-commitments",
        action="store_true",
        help="ics: list the members' open commitments in the invitation (calendars are "
        "often read by assistants and delegates, so they are left out otherwise)",
    )
    export.add_argument(
        "--for",
        dest="for_member",
        metavar="NAME",
        help="made for this member: no private item from before they joined, "
        "even with --include-private (see `group edit --joined`)",
    )
    add_todo_arguments(export)
    export.set_defaults(func=run_export)

    importer = subparsers.add_parser(
        "import",
        parents=[common],
        help="merge a JSON bundle into the history (by id; importing twice changes nothing)",
        description=(
            "Merge a bundle made by `peersession export --format json` into the history: "
            "groups, sessions, commitments and check-ins are matched by id, so importing the "
            "same bundle twice changes nothing. The bundle is checked whole before anything "
            "is written."
        ),
    )
    importer.add_argument("bundle", metavar="BUNDLE", help="a bundle file, or - for stdin")
    importer.set_defaults(func=run_import)


def _chosen_sessions(
    sessions: list[Session], group: Group, args: argparse.Namespace
) -> list[Session]:
    """The sessions asked for, from the group's (oldest first)."""
    if args.session:
        chosen = [s for s in sessions if s.id == args.session]
        if not chosen:
            raise UserError(f"no session with id {args.session!r} in this group")
        return chosen
    if args.all:
        return sessions
    if not sessions:
        raise UserError(f"{group.name!r} has no finished session yet")
    return sessions[-1:]


def _render(store: HistoryStore, group: Group, args: argparse.Namespace) -> tuple[bytes, str]:
    """The export's bytes and what they hold, for the message after ``-o``."""
    private = args.include_private
    privacy = "private items included" if private else "private items left out"
    name = field(group.name)
    documents = store.group_documents(group.id)
    if args.for_member is not None:
        documents = _seen_by(group, documents, args.for_member)
    every_checkin = documents.checkins
    # What a private check-in said of a public commitment stays in the room in
    # every format, as the bundle has always done (core.privacy).
    secret = set() if private else private_checkin_ids(every_checkin)
    ends = {s.id: s.ended_at for s in documents.sessions}
    commitments = without_checkin_reviews(documents.commitments, secret, ends)
    if args.format != "ics" and (args.member is not None or args.remind_days is not None):
        raise UserError("--member and --remind-days are for --format ics (the member's to-dos)")
    if args.format == "ics":
        if args.session or args.all:
            raise UserError(
                "--format ics exports the group's meeting series (every meeting, moves and "
                "skips included): --session and --all do not apply"
            )
        todos = chosen_todos(group, commitments, args)
        if todos is not None and group.slot is None:
            # The to-dos need no meeting slot: a group without one still reminds.
            return render_todos(todos.todos), f"{todos.what} ({privacy})"
        from ..core.roles import next_session, recency

        holders = next_session(group, recency(documents.sessions)).holders
        data = render_ics(
            group,
            commitments,
            with_commitments=args.with_commitments,
            include_private=private,
            private_checkins=secret,
            todos=todos.todos if todos is not None else (),
            next_roles=[(role, group.name_of(member)) for role, member in holders],
        )
        listed = ", with the open commitments" if args.with_commitments else ""
        if todos is not None:
            listed += f", and {todos.what}"
        return data, f"the meeting series of {name}{listed} ({privacy})"
    if args.with_commitments:
        raise UserError("--with-commitments is for --format ics (the calendar invitation)")
    sessions = _chosen_sessions(documents.sessions, group, args)
    what = f"{plural(len(sessions), 'session')} of {name}"
    if args.format in ("md", "txt"):
        render = render_markdown if args.format == "md" else render_text
        text = render(group, sessions, commitments, include_private=private, goals=documents.goals)
        return text.encode("utf-8"), f"the recap of {what} ({privacy})"
    checkins = every_checkin if args.all else ()
    bundle = build_bundle(
        group,
        sessions,
        commitments,
        checkins,
        include_private=private,
        private_checkins=private_checkin_ids(every_checkin),
        goals=documents.goals,
    )
    if args.for_member is not None and private:
        # Not every private item is in it: an import must not take the others as
        # removed (a bundle that says it is complete replaces what it holds).
        bundle["includes_private"] = False
    check_exportable(bundle)
    held = f" and {plural(len(bundle['checkins']), 'check-in')}" if args.all else ""
    return dumps_bundle(bundle).encode("utf-8"), f"a bundle of {what}{held} ({privacy})"


def _seen_by(group: Group, documents: GroupDocuments, name: str) -> GroupDocuments:
    """The group's documents as the member ``name`` may see them (``core.privacy.seen_by``)."""
    from dataclasses import replace

    from ..core.privacy import seen_by
    from ..store.finder import group_day

    member = group.member_by_name(name)
    if member is None:
        raise UserError(f"--for: {field(group.name)!r} has no member named {field(name)!r}")
    seen = seen_by(
        member,
        documents.sessions,
        documents.commitments,
        documents.checkins,
        group_day(group),  # the day the history shows (the group's zone)
        documents.goals,
    )
    return replace(
        documents,
        sessions=seen.sessions,
        commitments=seen.commitments,
        checkins=seen.checkins,
        goals=seen.goals,
    )


def _check_target(target: Path, data_dir: Path, force: bool) -> None:
    if target.is_dir():
        raise UserError(f"{target}: is a folder; name a file")
    try:
        inside = target.resolve().is_relative_to(data_dir.resolve())
    except OSError:
        inside = False
    if inside:
        raise UserError(f"{target}: is inside the data folder; export somewhere else")
    if target.exists() and not force:
        raise UserError(f"{target}: already exists; use --force to replace it")


def run_export(args: argparse.Namespace) -> int:
    data_dir = paths.resolve_data_dir(args.data_dir)
    store = HistoryStore(data_dir, create=False)
    group = store.find_group(args.group) if args.group else store.only_group()
    # ``-o -`` is standard output, as for every command that writes a file.
    target = Path(args.output) if args.output and args.output != "-" else None
    if target is not None:
        # Before the work: a refused target should not cost a rendered export.
        _check_target(target, data_dir, args.force)
    data, what = _render(store, group, args)
    if target is None:
        write_raw(data.decode("utf-8"))
        return 0
    try:
        atomic_write_bytes(target, data)
    except OSError as error:
        raise UserError(f"{target}: cannot write ({error.strerror})") from None
    echo(f"wrote {what} to {target}", err=True)
    return 0


def _read_bundle(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise UserError(f"{source}: cannot read ({error.strerror})") from None


def run_import(args: argparse.Namespace) -> int:
    raw = _read_bundle(args.bundle)
    try:
        bundle = parse_bundle(raw)
    except UserError as error:
        name = "stdin" if args.bundle == "-" else args.bundle
        raise UserError(f"{name}: {error}") from None
    store = HistoryStore(paths.resolve_data_dir(args.data_dir))
    report = merge_bundle(store, bundle)
    echo("\n".join(report.describe()))
    return 0
