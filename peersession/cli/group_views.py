"""``peersession group list|show``: what the groups are, as text or ``--json``.

Each command builds one plain view (``list_view``, ``show_view``) and prints
either its text or the view itself, so the two cannot disagree.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from pendulum import DateTime

from ..core.model import Group
from ..core.record_types import stored
from ..core.role_turns import RolesHeld
from ..core.slot import machine_zone
from ..core.slot_labels import next_meeting_text
from ..core.talking_time import describe_rule
from ..core.templates import template_for
from ..core.upcoming import next_meeting
from ..core.words import plural
from ..errors import UserError
from ..paths import resolve_data_dir
from ..store.history import HistoryStore
from . import slot_options
from .json_output import print_json
from .output import echo, field
from .review_options import review_show_lines, review_view
from .slot_options import slot_lines


def next_meeting_view(group: Group, now: DateTime, last_session: str | None) -> dict[str, Any]:
    """The next meeting as ``--json`` gives it: its day, its start (when the
    group has a slot) and the text the listing shows; the engine's one answer
    (:func:`~peersession.core.upcoming.next_meeting`), after the last session."""
    found = next_meeting(group, now, last_session)
    occurrence = found.occurrence if found is not None else None
    return {
        "next_meeting": found.day.isoformat() if found is not None else None,
        "next_meeting_start": occurrence.start.isoformat() if occurrence is not None else None,
        "next_meeting_text": next_meeting_text(group, now, machine_zone(), last_session),
    }


def list_view(store: HistoryStore, now: DateTime) -> list[dict[str, Any]]:
    """What ``group list`` shows, one entry a group (the ``--json`` shape)."""
    view: list[dict[str, Any]] = []
    for group in store.indexed_groups():
        summary = group.summary
        view.append(
            {
                "id": group.id,
                "name": group.name,
                # Those still in the group; members who left are counted apart.
                "members": len(group.active_members),
                "former_members": len(group.members) - len(group.active_members),
                "sessions": summary.sessions,
                "open_commitments": summary.open_commitments,
                **next_meeting_view(group, now, summary.last_session_at),
            }
        )
    return view


def run_list(args: argparse.Namespace) -> int:
    view = list_view(HistoryStore(resolve_data_dir(args.data_dir)), slot_options.system_now())
    if args.json:
        print_json(view)
        return 0
    if args.names:
        for entry in view:
            echo(field(entry["name"]))
        return 0
    if not view:
        echo("no groups yet: create one with `peersession group add NAME --member A ...`")
        return 0
    for entry in view:
        echo(
            f"{field(entry['name'])}  ·  {plural(entry['members'], 'member')}  ·  "
            f"{plural(entry['sessions'], 'session')}  ·  "
            f"next {entry['next_meeting_text']}"
        )
    return 0


def slot_view(group: Group) -> dict[str, Any] | None:
    """The group's slot (``--json``), or None when it has none."""
    schedule = group.schedule
    if schedule is None:
        return None
    slot = schedule.slot
    return {
        "description": schedule.describe(),
        "anchor": slot.anchor.isoformat(),
        "at": f"{slot.time:%H:%M}",
        "zone": slot.zone,
        "skipped": [day.isoformat() for day in sorted(slot.skipped)],
        "moved": [
            {"from": old.isoformat(), "to": new.isoformat()}
            for old, new in sorted(slot.moved.items())
        ],
    }


def roles_view(group: Group, held: RolesHeld, day: date | None = None) -> dict[str, Any]:
    """Who holds each role at the next session (on ``day``, if known: members
    away then are skipped) (``--json``): the rota's proposal from the history
    (the index's summary), or the group's choice for it."""
    from ..core.roles import next_session

    proposal = next_session(group, held, day)
    chosen = dict(group.next_holders)
    return {
        "roles": list(group.roles),
        "next_session_roles": [
            {
                "role": role,
                "member": group.name_of(member),
                "member_id": member,
                "chosen": chosen.get(role) == member,
            }
            for role, member in proposal.holders
        ],
        "roles_note": proposal.too_small,
    }


def roles_line(view: dict[str, Any]) -> str:
    """``host: Ana · facilitator: Bo (chosen)``: the next session's holders in a line."""
    return " · ".join(
        f"{field(h['role'])}: {field(h['member'])}{' (chosen)' if h['chosen'] else ''}"
        for h in view["next_session_roles"]
    )


def show_view(
    group: Group,
    now: DateTime,
    last_session: str | None = None,
    held: RolesHeld | None = None,
) -> dict[str, Any]:
    """What ``group show`` shows (the ``--json`` shape)."""
    template = template_for(
        group.template,
        group.agenda,
        question_share=group.question_share,
        extensions_minutes=group.extensions_minutes,
    )
    upcoming = next_meeting(group, now, last_session)
    day = upcoming.day if upcoming is not None else None
    return {
        "id": group.id,
        "name": group.name,
        "members": [m.name for m in group.active_members],
        "former_members": [m.name for m in group.members if not m.active],
        "cadence_days": group.cadence_days,
        "length_minutes": group.length_minutes,
        "slot": slot_view(group),
        **next_meeting_view(group, now, last_session),
        "template": group.template,
        "own_agenda": bool(group.agenda),
        "agenda": [{"phase": p.kind.name, "minutes": p.minutes} for p in template.phases],
        "question_share": template.question_share,
        "extensions_minutes": list(template.extensions_minutes),
        "ground_rules": list(group.ground_rules),
        **roles_view(group, held or RolesHeld(), day),
        "member_dates": member_dates_view(group, day),
        "talking_time": group.talking_time,
    }


def member_dates_view(group: Group, day: date | None) -> list[dict[str, Any]]:
    """Each member's join date, leave and leaving (``core/lifecycle.py``), and
    whether they are away at the next meeting, on ``day`` (``--json``)."""
    from ..core.lifecycle import away_line

    return [
        {
            "name": m.name,
            "active": m.active,
            "joined": m.joined.isoformat() if m.joined else None,
            "leave": [stored(period) for period in m.leave],
            "left": m.left.isoformat() if m.left else None,
            "away_next_meeting": away_line(m, day) if day is not None and m.active else None,
        }
        for m in group.members
    ]


def _member_label(entry: dict[str, Any]) -> str:
    away = entry["away_next_meeting"]
    return field(entry["name"]) + (f" ({away})" if away else "")


def shared_view(store: HistoryStore, group: Group) -> dict[str, Any] | None:
    """How the group is shared from this machine (``None``: it is not)."""
    from ..store.shared.joining import status

    shared = status(store.root, group.id)
    if shared is None:
        return None
    return {
        "folder": shared.folder,
        "last_synced": shared.last_synced,
        "pending": shared.pending,
        "machines": [
            {"machine": machine[:8], "changes": count, "this_machine": machine == shared.machine}
            for machine, count in sorted(shared.machines.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def shared_lines(view: dict[str, Any] | None) -> list[str]:
    if view is None:
        return []
    synced = view["last_synced"] or "never"
    pending = "; changes here not yet published" if view["pending"] else ""
    lines = [f"  shared:   through {field(view['folder'])}; last synced {synced}{pending}"]
    if view["machines"]:
        parts = [
            f"{m['machine']}{' (this machine)' if m['this_machine'] else ''}: {m['changes']}"
            for m in view["machines"]
        ]
        lines.append(f"  changes by machine: {', '.join(parts)}")
    return lines


def run_show(args: argparse.Namespace) -> int:
    store = HistoryStore(resolve_data_dir(args.data_dir), create=False)
    group = store.find_group(args.group)
    now = slot_options.system_now()
    last_session = slot_options.last_session_at(store, group.id)
    summary = store.summaries().get(group.id)
    view = show_view(group, now, last_session, summary.held if summary else None)
    view["shared"] = shared_view(store, group)
    # The group's own review (issue 25) needs its sessions, so the group's file is
    # read; a damaged one leaves the settings to show (the doctor says the rest).
    unreadable: str | None = None
    try:
        sessions = store.sessions(group.id) if last_session is not None else []
    except UserError as error:
        sessions, unreadable = [], str(error)
    view.update(review_view(group, sessions))
    if args.json:
        print_json(view)
        return 0
    echo(field(view["name"]))
    dates = [d for d in view["member_dates"] if d["active"]]
    echo(f"  members:  {', '.join(_member_label(d) for d in dates)}")
    if view["former_members"]:
        echo(f"  former:   {', '.join(field(name) for name in view['former_members'])}")
    for entry in dates:
        if entry["leave"]:
            periods = ", ".join(f"{p['first']}..{p['last']}" for p in entry["leave"])
            echo(f"  leave:    {field(entry['name'])}: {periods}")
    for line in slot_lines(group, now, last_session=last_session):
        echo(line)
    agenda = ", ".join(
        f"{p['phase']}:{p['minutes']:g}" if p["minutes"] is not None else p["phase"]
        for p in view["agenda"]
    )
    own = " (the group's own)" if view["own_agenda"] else ""
    echo(f"  agenda:   {view['template']}{own}: {agenda}")
    extensions = ", ".join(f"{m:g}" for m in view["extensions_minutes"]) or "none"
    echo(
        f"  asks:     {view['question_share']:.0%} clarifying questions, then advice; "
        f"extensions (minutes): {extensions}"
    )
    echo(f"  talking:  {describe_rule(view['talking_time'])}")
    echo(f"  roles:    next session: {roles_line(view)}")
    if view["roles_note"]:
        echo(f"            note: {view['roles_note']}")
    for line in review_show_lines(view, len(sessions)):
        echo(line)
    if unreadable is not None:
        echo("  note:     the group's history cannot be read: `peersession doctor` says why")
    # Numbered: `group edit --remove-rule N` names a rule by its number here.
    echo("  ground rules:" if view["ground_rules"] else "  ground rules: none")
    for number, rule in enumerate(view["ground_rules"], 1):
        echo(f"    {number}. {field(rule)}")
    for line in shared_lines(view["shared"]):
        echo(line)
    return 0
