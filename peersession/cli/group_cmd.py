"""``peersession group add|list|show|edit``: create, list and change groups."""

from __future__ import annotations

import argparse
from datetime import date

from msgspec.structs import replace
from pendulum.tz import local_timezone

from ..core.durations import parse_cadence, parse_duration
from ..core.ids import new_id
from ..core.model import Group, Member, holder_records
from ..core.names import clean_name, name_key
from ..core.roles import parse_roles
from ..core.templates import (
    TEMPLATES,
    template_for,
)
from ..core.words import plural
from ..errors import UserError
from ..paths import resolve_data_dir
from ..settings import load_settings
from ..store.history import HistoryStore
from ..store.history_docs import new_group
from . import slot_options
from .arguments import add_group_argument
from .group_changes import change_lines, edited_holders, edited_rules
from .group_settings import settings_changes, typed_rules
from .group_views import run_list, run_show
from .json_output import add_json_flag
from .member_dates import (
    add_member_date_arguments,
    parse_member_dates,
    with_member_dates,
)
from .member_rename import add_rename_argument, parse_renames, with_renames
from .output import command, echo, field
from .review_options import add_review_arguments, review_changes
from .slot_options import (
    add_slot_arguments,
    edited_slot,
    new_slot,
    slot_lines,
    slot_notes,
)
from .win_consent import add_share_wins_argument, parse_share_wins, with_consents


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    group = subparsers.add_parser(
        "group",
        parents=[common],
        help="create, list, show and change groups",
        description=(
            "Create, list, show and change groups: their members, how often and how long "
            "they meet, their agenda and ground rules."
        ),
    )
    actions = group.add_subparsers(title="group commands", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        parents=[common],
        help="create a group",
        description="Create a group. Example: peersession group add 'Thursday Circle' "
        "--member Ana --member Bo --member Cy --every 3w --length 120m "
        "--next 2027-01-07 --at 16:00 --tz Europe/London",
    )
    add.add_argument("name", metavar="NAME", help="the group's name")
    add.add_argument(
        "--member", "-m", action="append", default=[], metavar="NAME", help="a member (repeat)"
    )
    add.add_argument("--every", default="3w", metavar="CADENCE", help="how often: 3w, 14d (3w)")
    add.add_argument(
        "--length",
        default=None,
        metavar="DURATION",
        help="meeting length: 120m, 1h30m (default: meeting_length in config.toml, or 120m)",
    )
    add.add_argument(
        "--template", default="full", choices=sorted(TEMPLATES), help="the usual agenda (full)"
    )
    add_slot_arguments(add, editing=False)
    add.set_defaults(func=run_add)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="list groups",
        description="List the groups: members, sessions so far and the next meeting.",
    )
    listing_format = listing.add_mutually_exclusive_group()
    add_json_flag(listing_format, "the groups")
    listing_format.add_argument(
        "--names", action="store_true", help="print only the names, one a line (for completion)"
    )
    listing.set_defaults(func=run_list)

    show = actions.add_parser(
        "show",
        parents=[common],
        help="show a group's settings",
        description="Show a group's members, cadence, agenda, ask rules and ground rules.",
    )
    add_group_argument(show, help="the group's name")
    add_json_flag(show, "the settings")
    show.set_defaults(func=run_show)

    edit = actions.add_parser(
        "edit",
        parents=[common],
        help="change a group: members, slot, cadence, length, ground rules, agenda",
        description="Change a group, and print each change. Example: peersession group edit "
        "'Thursday Circle' --add-member Dee --add-rule 'Phones away' "
        "--agenda 'opening:5,updates,asks,commitments:10' "
        "--at 17:00 --move 2027-01-28=2027-01-29 --skip 2027-02-18",
    )
    add_group_argument(edit, help="the group's name")
    edit.add_argument("--name", help="a new name")
    edit.add_argument(
        "--add-member", action="append", default=[], metavar="NAME", help="a new member (repeat)"
    )
    edit.add_argument(
        "--remove-member",
        action="append",
        default=[],
        metavar="NAME",
        help="a member who left (kept in the history, not in new sessions)",
    )
    edit.add_argument("--every", metavar="CADENCE", help="how often: 3w, 14d")
    edit.add_argument("--length", metavar="DURATION", help="meeting length: 120m, 1h30m")
    edit.add_argument("--template", choices=sorted(TEMPLATES), help="the usual agenda")
    edit.add_argument(
        "--add-rule",
        action="append",
        default=[],
        metavar="TEXT",
        help="add a ground rule at the end (repeat)",
    )
    edit.add_argument(
        "--remove-rule",
        action="append",
        default=[],
        metavar="TEXT|N",
        help="remove a ground rule: its exact text, or its number in `group show` (repeat)",
    )
    edit.add_argument(
        "--rule",
        action="append",
        default=None,
        metavar="TEXT",
        help="replace every ground rule with these (repeat for several)",
    )
    edit.add_argument(
        "--agenda",
        metavar="PHASES",
        help="the group's own order and timeboxes, e.g. 'opening:5,wins:5,review:10,updates,"
        "asks,commitments:10,close:5' (minutes; updates and asks share the rest); "
        "'default' goes back to the template's",
    )
    edit.add_argument(
        "--questions",
        metavar="SHARE",
        help="share of an ask spent on clarifying questions before advice: 33%%, 0.4 "
        "('default' for the template's)",
    )
    edit.add_argument(
        "--extensions",
        metavar="MINUTES",
        help="minutes each granted extension of an ask adds, shrinking: 2,1 or 3,2,1 "
        "(none: no extensions; 'default' for the template's)",
    )
    edit.add_argument(
        "--roles",
        metavar="ROLES",
        help="the roles each session gives out, in order: host,facilitator,timekeeper,scribe "
        "(default: host,facilitator)",
    )
    edit.add_argument(
        "--role",
        action="append",
        default=[],
        metavar="ROLE=NAME",
        help="who holds a role at the next session only, instead of the rota's proposal; "
        "ROLE= goes back to the proposal (repeat)",
    )
    edit.add_argument(
        "--talking-time",
        metavar="RULE",
        help="how the talking time is shared: equal (the same turn for each member present) "
        "or requests (each member asks for minutes at the opening)",
    )
    add_slot_arguments(edit, editing=True)
    add_share_wins_argument(edit)
    add_rename_argument(edit)
    add_member_date_arguments(edit)
    add_review_arguments(edit)
    edit.set_defaults(func=run_edit)


def run_add(args: argparse.Namespace) -> int:
    try:
        cadence = parse_cadence(args.every)
        length = (
            parse_duration(args.length)
            if args.length is not None
            else load_settings().meeting_length
        )
    except ValueError as error:
        raise UserError(str(error)) from None
    minutes = round(length.total_seconds() / 60)
    if not 10 <= minutes <= 600:
        raise UserError(f"a meeting lasts between 10 minutes and 10 hours, not {args.length!r}")
    now = slot_options.system_now()
    try:
        slot = new_slot(args, now)
    except ValueError as error:
        raise UserError(str(error)) from None
    store = HistoryStore(resolve_data_dir(args.data_dir))
    group = new_group(
        args.name,
        args.member,
        cadence_days=cadence,
        length_minutes=minutes,
        template=args.template,
        slot=slot,
    )
    squeezed = _agenda_fits(group)
    store.add_group(group)
    names = ", ".join(field(m.name) for m in group.members)
    echo(
        f"created group {field(group.name)!r} with {plural(len(group.members), 'member')}: {names}"
    )
    for line in slot_lines(group, now):
        echo(line)
    for note in slot_notes(group, now):
        echo(f"  note:     {note}")
    if args.tz is None:
        echo(f"  (time zone {slot.zone} is this machine's; change it with --tz)")
    if squeezed:
        echo(squeezed)
    echo(f"start its first session with: {command('start', group.name)}")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    store = HistoryStore(resolve_data_dir(args.data_dir), create=False)
    # Everything that needs no group is parsed before the lock is taken.
    changes = settings_changes(args)
    changes.update(review_changes(args))
    replace_all = typed_rules(args.rule)
    added = typed_rules(args.add_rule) or ()
    rules_given = replace_all is not None or bool(args.remove_rule or args.add_rule)
    if replace_all is not None and (args.add_rule or args.remove_rule):
        raise UserError(
            "--rule replaces every ground rule: give it alone, or edit one at a time "
            "with --add-rule and --remove-rule"
        )
    try:
        roles = parse_roles(args.roles) if args.roles is not None else None
    except ValueError as error:
        raise UserError(f"--roles: {error}") from None
    now = slot_options.system_now()
    consents = parse_share_wins(args.share_wins)
    renames = parse_renames(args.rename_member)
    dates = parse_member_dates(args)
    today = now.in_timezone(local_timezone()).date()
    before: list[Group] = []

    def change(group: Group, others: list[Group]) -> Group:
        # Runs inside the write lock, on the group as it is on disk now.
        before.append(group)
        # Names are put right first: every other option names members as they are then.
        group = with_renames(group, renames)
        edited = dict(changes)
        if "name" in edited and any(name_key(g.name) == name_key(edited["name"]) for g in others):
            raise UserError(f"a group named {edited['name']!r} already exists")
        edited["members"] = _edited_members(group, args.add_member, args.remove_member, today)
        edited["members"] = with_consents(group, edited["members"], consents)
        if dates:
            edited["members"] = with_member_dates(group, edited["members"], dates, today)
        if rules_given:
            edited["ground_rules"] = edited_rules(group, replace_all, args.remove_rule, added)
        # A member who left holds no role chosen for the next session (said back).
        current = {m.id for m in edited["members"] if m.active}
        holders = group.next_holders
        if any(member not in current for _, member in holders):
            holders = tuple((r, m) for r, m in holders if m in current)
            edited["next_roles"] = holder_records(holders)
        if roles is not None or args.role:
            edited["roles"] = roles if roles is not None else group.roles
            members = [m for m in edited["members"] if m.active]
            chosen = edited_holders(
                holders,
                edited["roles"],
                members,
                args.role,
                slot_options.next_meeting_day(store, group, now),
            )
            edited["next_roles"] = holder_records(chosen)
        try:
            last = slot_options.last_session_at(store, group.id)
            edited["slot"] = edited_slot(group, args, edited, now, last)
        except ValueError as error:
            raise UserError(str(error)) from None
        fitted = replace(group, **edited)
        # Refused inside the lock, so a group that cannot hold its agenda is never saved.
        squeezed.append(_agenda_fits(fitted))
        return fitted

    squeezed: list[str | None] = []
    updated = store.update_group(args.group, change)
    for line in change_lines(before[-1], updated, rules_replaced=replace_all is not None):
        echo(line)
    if squeezed and squeezed[-1]:
        echo(squeezed[-1])
    if updated.slot != before[0].slot:
        last = slot_options.last_session_at(store, updated.id)
        for line in slot_lines(updated, now, last_session=last):
            echo(line)
        for note in slot_notes(updated, now):
            echo(f"  note:     {note}")
    return 0


def _edited_members(
    group: Group, added: list[str], removed: list[str], today: date
) -> tuple[Member, ...]:
    """The group's members with ``removed`` made former (they left ``today``)
    and ``added`` joined ``today`` (a former member of that name comes back with
    their history, and their first join date)."""
    members = list(group.members)
    for name in removed:
        found = group.member_by_name(name)
        if found is None or not found.active:
            raise UserError(f"no active member named {name!r} in {group.name!r}")
        members = [replace(m, active=False, left=today) if m.id == found.id else m for m in members]
    for name in added:
        try:
            clean = clean_name(name, what="a member name")
        except ValueError as error:
            raise UserError(str(error)) from None
        existing = next((m for m in members if name_key(m.name) == name_key(clean)), None)
        if existing is not None and existing.active:
            raise UserError(f"{clean!r} is already a member")
        if existing is not None:
            members = [
                replace(m, active=True, left=None) if m.id == existing.id else m for m in members
            ]
        else:
            members.append(Member(new_id(), clean, joined=today))
    if not any(m.active for m in members):
        raise UserError("a group needs at least one member")
    return tuple(members)


def _agenda_fits(group: Group) -> str | None:
    """Refuse a group whose agenda cannot fit its meeting; say how it is squeezed if it must be."""
    from ..core.templates import AgendaDoesNotFit, describe_fit, fit_agenda

    try:
        template = template_for(group.template, group.agenda)
        length = template.length_minutes or group.length_minutes
        fitted = fit_agenda(template, length, len([m for m in group.members if m.active]))
    except AgendaDoesNotFit as error:
        raise UserError(f"{group.name!r}: {error}") from None
    except ValueError as error:
        raise UserError(str(error)) from None
    return describe_fit(template, fitted, length)
