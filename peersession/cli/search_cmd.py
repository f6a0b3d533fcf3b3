"""``peersession search WORDS [--group G] [--json]``: find what a group wrote down.

The same search as the history screen's (every note, ask, commitment and win;
ranked by SQLite's FTS5), answered from the search index, so a whole
department's archive is searched in a blink. Private texts are left out
unless ``--private`` asks for them (checked against the group files, not the
index's word): output can be piped anywhere. A first search that has to
build the index says so on stderr.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from ..core.search import Hit, SearchFilter
from ..core.words import plural
from ..paths import resolve_data_dir
from .arguments import add_group_argument
from .json_output import add_json_flag, print_json
from .output import echo, field

if TYPE_CHECKING:
    from ..core.model import Group


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """Add the ``search`` subcommand."""
    search = subparsers.add_parser(
        "search",
        parents=[common],
        help="search every note, ask, commitment, win and goal of every group",
        description=(
            "Search what groups wrote down: notes, asks and their outcomes, commitments, "
            "wins, goals. Words are found anywhere, even inside longer words; the best matches "
            "come first, newer first among equals. Private texts are left out unless --private."
        ),
    )
    search.add_argument("words", metavar="WORDS", nargs="+", help="what to look for")
    add_group_argument(search, "--group", help="only this group (name or id)")
    add_json_flag(search, "the results")
    search.add_argument(
        "--private", action="store_true", help="include texts that stay in the room"
    )
    search.add_argument(
        "--limit", metavar="N", type=int, default=50, help="at most N results (default 50)"
    )
    search.add_argument(
        "--for",
        dest="for_member",
        metavar="NAME",
        help="as this member of --group may see it: no private item from before they joined "
        "(a commitment or goal goes with everything later said of it)",
    )
    search.set_defaults(func=run_search)


def run_search(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..store.finder import find
    from ..store.history import HistoryStore

    if args.limit < 1:
        raise UserError("--limit must be at least 1")
    query = " ".join(args.words)
    if not query.strip():
        raise UserError("nothing to search for: give one or more words")
    store = HistoryStore(resolve_data_dir(args.data_dir), create=False)
    if args.for_member is not None and not args.group:
        raise UserError("--for names a member: give their group with --group")
    every = store.groups()
    groups = {g.id: g for g in every}
    only = [store.find_group(args.group).id] if args.group else None
    viewer = None
    if args.for_member is not None:
        assert only is not None  # --group given, checked above
        group = store.find_group(only[0])
        member = group.member_by_name(args.for_member)
        if member is None:
            raise UserError(
                f"--for: {field(group.name)!r} has no member named {field(args.for_member)!r}"
            )
        # No join date: from the start (everything); a date: nothing private before it.
        viewer = member
    hits = find(
        store,
        query,
        SearchFilter(include_private=args.private, viewer=viewer),
        group_ids=only,
        limit=args.limit,
        progress=BuildNotice(),
        # Read once (a group named is read again: taking in a shared one may change it).
        groups=None if only else every,
    )
    if args.json:
        # Unsafe characters are written as \u escapes (see json_output.dumps).
        print_json([_as_json(hit, groups) for hit in hits])
    else:
        for hit in hits:
            echo(_as_line(hit, groups))
        if not hits:
            echo(f"nothing found for {field(query)!r}", err=True)
    return 0


class BuildNotice:
    """Says once, on stderr, that the index is being built, when that takes a
    while (a first search, or one after many groups changed)."""

    #: Seconds of building before it is worth a line.
    AFTER = 0.5

    def __init__(self) -> None:
        self.began: float | None = None
        self.said = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.began is None:
            self.began = now
        if not self.said and done < total and now - self.began >= self.AFTER:
            self.said = True
            echo(f"building the search index ({done} of {plural(total, 'group')} read)…", err=True)


def _member(hit: Hit, groups: dict[str, Group]) -> str | None:
    group = groups.get(hit.item.group_id)
    if group is None or hit.item.member_id is None:
        return None
    return group.name_of(hit.item.member_id)


def _group_name(hit: Hit, groups: dict[str, Group]) -> str:
    group = groups.get(hit.item.group_id)
    return group.name if group is not None else hit.item.group_id


def _as_json(hit: Hit, groups: dict[str, Group]) -> dict[str, object]:
    item = hit.item
    return {
        "group": _group_name(hit, groups),
        "group_id": item.group_id,
        "day": item.day.isoformat(),
        "kind": item.kind,
        "label": item.label,
        "member": _member(hit, groups),
        "text": item.text,
        "session_id": item.session_id,
        "target_id": item.target_id,
        "private": item.private,
        "score": round(hit.score, 3),
    }


def _as_line(hit: Hit, groups: dict[str, Group]) -> str:
    """``2026-01-22  Group · ask · Member  text``: people's text made safe, on one line."""
    item = hit.item
    facts = [_group_name(hit, groups), item.label]
    member = _member(hit, groups)
    if member:
        facts.append(member)
    if item.private:
        facts.append("private")
    return f"{item.day.isoformat()}  {field(' · '.join(facts))}  {field(item.text)}"
