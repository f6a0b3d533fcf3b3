"""What ``group edit`` changed, said back in a line a change.

Every command that changes something prints what changed: after an edit, the
user reads exactly what is different now (``Thursday Circle: ground rules:
added "Phones away" (4 rules)``), not "updated". The lines compare the group
as it was on disk with the group as saved, so they report what happened, not
what was asked. People's text (names, rules) is quoted and goes through
:func:`~peersession.cli.output.field`, so it is shown literally on one line.

Ground rules are edited one at a time (``--add-rule``, ``--remove-rule``) or
replaced together (``--rule``); :func:`edited_rules` applies those options.
"""

from __future__ import annotations

from datetime import date

from ..core.lifecycle import away_line
from ..core.model import Group, Member
from ..core.names import name_key
from ..core.roles import find_role
from ..core.slot import Slot, short_day
from ..core.talking_time import describe_rule
from ..core.templates import template_for
from ..core.words import plural
from ..errors import UserError
from .member_rename import rename_lines
from .output import command, field
from .review_options import review_lines
from .win_consent import consent_lines


def quoted(text: str) -> str:
    """A person's text inside a line: literal, one line, in double quotes."""
    return f'"{field(text)}"'


def _quoted_list(texts: list[str]) -> str:
    return ", ".join(quoted(t) for t in texts)


# --- ground rules ---------------------------------------------------------------------------


def edited_rules(
    group: Group, replace_all: tuple[str, ...] | None, remove: list[str], add: tuple[str, ...]
) -> tuple[str, ...]:
    """The group's ground rules after ``--rule`` (``replace_all``), ``--remove-rule``
    and ``--add-rule``, in that order.

    A rule to remove is named by its exact text or by its number in ``group
    show`` (1 for the first, counted before this edit). Raises UserError, and
    nothing is saved, for a rule that is not there or one added twice.
    """
    rules = list(group.ground_rules if replace_all is None else replace_all)
    numbered = list(rules)
    gone: list[str] = []
    for typed in remove:
        wanted = " ".join(typed.split())  # as every rule was saved: one line
        if wanted in rules:
            rule = wanted
        elif wanted.strip().isdecimal() and 1 <= int(wanted) <= len(numbered):
            rule = numbered[int(wanted) - 1]
        else:
            shown = f"number {wanted.strip()}" if wanted.strip().isdecimal() else quoted(wanted)
            raise UserError(
                f"{field(group.name)} has no ground rule {shown} "
                f"({plural(len(numbered), 'rule')}; see {command('group', 'show', group.name)})"
            )
        if rule in gone:
            raise UserError(f"ground rule {quoted(rule)} is named twice in --remove-rule")
        gone.append(rule)
        rules.remove(rule)
    for rule in add:
        if rule in rules:
            raise UserError(f"{quoted(rule)} is already a ground rule of {field(group.name)}")
        rules.append(rule)
    return tuple(rules)


def _rules_line(before: Group, after: Group, replaced: bool) -> str | None:
    old, new = before.ground_rules, after.ground_rules
    if old == new:
        return f"ground rules: unchanged ({plural(len(new), 'rule')})" if replaced else None
    removed = [r for r in old if r not in new]
    added = [r for r in new if r not in old]
    parts = []
    if removed:
        parts.append(f"removed {_quoted_list(removed)}")
    if added:
        parts.append(f"added {_quoted_list(added)}")
    if not parts:
        parts.append("put in a new order")
    head = f"replaced all {plural(len(old), 'rule')}: " if replaced else ""
    return f"ground rules: {head}{'; '.join(parts)} ({plural(len(new), 'rule')})"


# --- roles ---------------------------------------------------------------------------------


def edited_holders(
    pending: tuple[tuple[str, str], ...],
    roles: tuple[str, ...],
    members: list[Member],
    typed: list[str],
    day: date | None = None,
) -> tuple[tuple[str, str], ...]:
    """The next session's override after ``--role ROLE=NAME`` (``ROLE=``: back to
    the rota's proposal), for the group's ``roles`` and active ``members``, at
    the next session on ``day`` (if known). An override of a role the group no
    longer has is dropped. Raises UserError (nothing saved) for a role or a
    member the group does not have, a member away that day (on leave, or not
    joined yet) or gone, and for one member given two roles while there are
    enough members for one each."""
    chosen = {role: member for role, member in pending if find_role(roles, role) is not None}
    by_name = {name_key(m.name): m for m in members}
    for text in typed:
        role_text, equals, name = text.partition("=")
        if not equals:
            raise UserError(f"--role {quoted(text)}: write ROLE=NAME (ROLE= for the rota's choice)")
        role = find_role(roles, role_text)
        if role is None:
            listed = ", ".join(quoted(r) for r in roles)
            raise UserError(f"--role: no role {quoted(role_text.strip())} (roles: {listed})")
        chosen = {r: m for r, m in chosen.items() if name_key(r) != name_key(role)}
        if not name.strip():
            continue
        member = by_name.get(name_key(name))
        if member is None:
            raise UserError(f"--role {quoted(role)}: no active member named {quoted(name.strip())}")
        away = away_line(member, day) if day is not None else None
        if away is not None:
            assert day is not None
            raise UserError(
                f"--role {quoted(role)}: {quoted(member.name)} is {away} "
                f"(the next session is on {day.isoformat()})"
            )
        chosen[role] = member.id
    holders = tuple((role, chosen[role]) for role in roles if role in chosen)
    if len(members) >= len(roles):
        ids = [member for _, member in holders]
        twice = next((m for m in ids if ids.count(m) > 1), None)
        if twice is not None:
            who = next(m.name for m in members if m.id == twice)
            held = ", ".join(quoted(r) for r, m in holders if m == twice)
            raise UserError(
                f"{quoted(who)} cannot hold two roles at the next session ({held}): "
                "give one to someone else with --role ROLE=NAME, or ROLE= for the rota's choice"
            )
    return holders


def _roles_lines(before: Group, after: Group) -> list[str]:
    lines = []
    if before.roles != after.roles:
        lines.append(
            f"roles: {_quoted_list(list(after.roles))} (was {_quoted_list(list(before.roles))})"
        )
    if before.next_holders != after.next_holders:
        if after.next_roles:
            chosen = ", ".join(
                f"{quoted(after.name_of(member))} as {quoted(role)}"
                for role, member in after.next_holders
            )
            lines.append(f"next session only: {chosen}; the rota proposes the others")
        else:
            lines.append("next session: the rota proposes every role")
    return lines


# --- members who join, pause and leave (cli/member_dates.py) ------------------------------


def member_dates_lines(before: Group, after: Group) -> list[str]:
    """One line per member whose join date, leave or departure changed."""
    was = {m.id: m for m in before.members}
    lines = []
    for member in after.members:
        old = was.get(member.id)
        if old is None:
            continue
        who = quoted(member.name)
        if old.joined != member.joined and member.joined is not None:
            lines.append(f"{who} joined on {member.joined.isoformat()}")
        for period in member.leave:
            if period not in old.leave:
                lines.append(f"{who} on leave {period.label()}")
        for period in old.leave:
            if period not in member.leave:
                lines.append(f"{who}: leave {period.label()} taken back")
        if old.left != member.left and member.left is not None and not old.active:
            lines.append(f"{who} left on {member.left.isoformat()}")
    return lines


# --- everything else -------------------------------------------------------------------------


def _cadence(days: int) -> str:
    weeks, rest = divmod(days, 7)
    if rest == 0:
        return "every week" if weeks == 1 else f"every {weeks} weeks"
    return "every day" if days == 1 else f"every {days} days"


def _members_line(before: Group, after: Group) -> str | None:
    was = {m.id: m for m in before.members}
    parts: list[str] = []
    joined = [m.name for m in after.members if m.id not in was]
    back = [m.name for m in after.members if m.id in was and m.active and not was[m.id].active]
    left = [m for m in after.members if m.id in was and was[m.id].active and not m.active]
    if joined:
        parts.append(f"added {_quoted_list(joined)}")
    if back:
        parts.append(f"{_quoted_list(back)} back, with their history")
    if left:
        gone = ", ".join(
            quoted(m.name) + " left" + (f" on {m.left.isoformat()}" if m.left else "") for m in left
        )
        parts.append(f"{gone} (kept in the history)")
    if not parts:
        return None
    return f"members: {'; '.join(parts)} ({plural(len(after.active_members), 'member')})"


def _asks_lines(before: Group, after: Group) -> list[str]:
    def rules(group: Group) -> tuple[float, tuple[float, ...]]:
        template = template_for(
            group.template,
            group.agenda,
            question_share=group.question_share,
            extensions_minutes=group.extensions_minutes,
        )
        return template.question_share, template.extensions_minutes

    (old_share, old_ext), (new_share, new_ext) = rules(before), rules(after)
    lines = []
    if (before.question_share, old_share) != (after.question_share, new_share):
        own = "" if after.question_share is not None else ", the template's"
        lines.append(f"asks: {new_share:.0%} clarifying questions{own} (was {old_share:.0%})")
    if (before.extensions_minutes, old_ext) != (after.extensions_minutes, new_ext):

        def minutes(values: tuple[float, ...]) -> str:
            return ", ".join(f"{m:g}" for m in values) + " minutes" if values else "none"

        own = "" if after.extensions_minutes is not None else ", the template's"
        lines.append(f"asks: extensions: {minutes(new_ext)}{own} (was: {minutes(old_ext)})")
    return lines


def _agenda_line(before: Group, after: Group) -> str | None:
    if before.agenda == after.agenda and before.template == after.template:
        return None
    template = template_for(after.template, after.agenda)
    phases = ", ".join(
        f"{p.kind.name}:{p.minutes:g}" if p.minutes is not None else p.kind.name
        for p in template.phases
    )
    whose = "the group's own" if after.agenda else f"the {after.template} template's"
    return f"agenda: {whose}: {phases}"


def _slot_lines(before: Slot | None, after: Slot | None) -> list[str]:
    if after is None or before == after:
        return []
    if before is None:
        return ["now meets on a slot (below)"]
    lines = []
    if (before.time, before.zone) != (after.time, after.zone):
        lines.append(
            f"starts at {after.time:%H:%M} {after.zone} (was {before.time:%H:%M} {before.zone})"
        )
    for series_date, moved_to in sorted(after.moved.items()):
        if before.moved.get(series_date) != moved_to:
            lines.append(
                f"the meeting of {short_day(series_date, year=True)} "
                f"moves to {short_day(moved_to, year=True)}"
            )
    for day in sorted(after.skipped):
        if day not in before.skipped:
            lines.append(f"no meeting on {short_day(day, year=True)}")
    return lines


def change_lines(before: Group, after: Group, *, rules_replaced: bool = False) -> list[str]:
    """One line for each thing that differs between ``before`` and ``after``,
    each starting with the group's (new) name; ``nothing changed`` when none does."""
    changes: list[str] = []
    if before.name != after.name:
        changes.append(f"renamed from {quoted(before.name)}")
    changes += rename_lines(before, after)
    changes += [line for line in (_members_line(before, after),) if line]
    changes += member_dates_lines(before, after)
    if before.cadence_days != after.cadence_days:
        changes.append(
            f"meets {_cadence(after.cadence_days)} (was {_cadence(before.cadence_days)})"
        )
    if before.length_minutes != after.length_minutes:
        changes.append(
            f"meetings last {plural(after.length_minutes, 'minute')} (was {before.length_minutes})"
        )
    if before.template != after.template:
        changes.append(f"template: {after.template} (was {before.template})")
    if before.talking_time != after.talking_time:
        changes.append(
            f"talking time: {describe_rule(after.talking_time)} (was {before.talking_time})"
        )
    changes += [line for line in (_agenda_line(before, after),) if line]
    changes += _asks_lines(before, after)
    rules = _rules_line(before, after, rules_replaced)
    if rules:
        changes.append(rules)
    changes += _slot_lines(before.slot, after.slot)
    changes += consent_lines(before, after)
    changes += _roles_lines(before, after)
    changes += review_lines(before, after)
    name = field(after.name)
    return [f"{name}: {change}" for change in changes] or [f"{name}: nothing changed"]
