"""The group settings ``group edit`` is given, parsed and checked before any lock is taken.

Each value typed on the command line (a name, a cadence, an agenda, the share of
questions, the extensions, the ground rules) becomes the group's field or one
line naming what is wrong (a ``UserError``); none of it needs the group itself.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core.durations import parse_cadence, parse_duration
from ..core.free_text import clean_line
from ..core.names import clean_name
from ..core.talking_time import talking_rule
from ..core.templates import check_extensions, check_question_share, parse_agenda
from ..errors import UserError


def parse_agenda_text(text: str) -> tuple[dict[str, Any], ...]:
    """``opening:5,updates,asks,commitments:10`` → agenda entries, validated."""
    entries: list[dict[str, Any]] = []
    for part in text.split(","):
        name, _, minutes = part.strip().partition(":")
        entry: dict[str, Any] = {"phase": name.strip().lower()}
        if minutes.strip():
            try:
                entry["minutes"] = float(minutes)
            except ValueError:
                raise UserError(f"minutes for {name.strip()!r} must be a number") from None
        entries.append(entry)
    try:
        parse_agenda(entries)
    except ValueError as error:
        raise UserError(f"agenda: {error}") from None
    return tuple(entries)


def parse_share(text: str) -> float:
    """``33%`` or ``0.33`` → 0.33."""
    raw = text.strip()
    try:
        return float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
    except ValueError:
        raise ValueError(f"not a share: {text!r} (use 33% or 0.33)") from None


def parse_minutes(text: str) -> tuple[float, ...]:
    """``2,1`` → (2.0, 1.0); ``none`` → ()."""
    if text.strip().lower() in ("none", "0", ""):
        return ()
    try:
        return tuple(float(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f"not a list of minutes: {text!r} (use 2,1)") from None


def settings_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The edits given on the command line that do not depend on the group."""
    changes: dict[str, Any] = {}
    try:
        if args.name is not None:
            changes["name"] = clean_name(args.name, what="a group name")
        if args.every is not None:
            changes["cadence_days"] = parse_cadence(args.every)
        if args.length is not None:
            minutes = round(parse_duration(args.length).total_seconds() / 60)
            if not 10 <= minutes <= 600:
                raise UserError("a meeting lasts between 10 minutes and 10 hours")
            changes["length_minutes"] = minutes
        if args.template is not None:
            changes["template"] = args.template
        if args.agenda is not None:
            changes["agenda"] = None if args.agenda == "default" else parse_agenda_text(args.agenda)
        if args.questions is not None:
            changes["question_share"] = (
                None
                if args.questions == "default"
                else check_question_share(parse_share(args.questions))
            )
        if args.talking_time is not None:
            try:
                changes["talking_time"] = talking_rule(args.talking_time.strip().lower())
            except ValueError as error:
                raise UserError(f"--talking-time: {error}") from None
        if args.extensions is not None:
            changes["extensions_minutes"] = (
                None
                if args.extensions == "default"
                else check_extensions(parse_minutes(args.extensions))
            )
    except ValueError as error:
        raise UserError(str(error)) from None
    return changes


def typed_rules(given: list[str] | None) -> tuple[str, ...] | None:
    """Ground rules typed on the command line, each one line (None if none given)."""
    if not given:
        return None if given is None else ()
    try:
        return tuple(clean_line(rule, what="a ground rule") for rule in given)
    except ValueError as error:
        raise UserError(str(error)) from None
