"""The rules a group must keep to be read (checked on load, after its types).

Kept apart from ``core/records.py`` (which names them in ``Group.READ_RULES``)
so that they import no more than the standard library: the home screen checks
the index before its first frame. ``core/templates.py`` is imported only for a
group with its own agenda, questions' share or extensions, the rules that need
its parsing.
"""

from __future__ import annotations

from typing import Any

from .slot_check import check_zone, wall_clock

#: The templates that ship (the keys of ``core/templates.py``'s ``TEMPLATES``;
#: ``tests/unit/test_stored_shapes.py`` keeps the two equal).
TEMPLATE_NAMES: tuple[str, ...] = ("full", "quick")


def group_rules(group: dict[str, Any]) -> None:
    """What a reader needs of a group (checked on load too): a known template,
    an agenda, questions' share and extensions it can follow, a positive length
    and cadence (the doors' own ranges are narrower)."""
    if group.get("template", "full") not in TEMPLATE_NAMES:
        known = ", ".join(TEMPLATE_NAMES)
        raise ValueError(f"unknown template (known: {known})")
    for key in ("length_minutes", "cadence_days"):
        if group.get(key, 1) < 1:
            raise ValueError(f"{key} must be at least 1")
    agenda = group.get("agenda")
    share = group.get("question_share")
    extensions = group.get("extensions_minutes")
    if agenda is None and share is None and extensions is None:
        return
    from .templates import check_extensions, check_question_share, parse_agenda

    if agenda is not None:
        parse_agenda(agenda)
    if share is not None:
        check_question_share(share)
    if extensions is not None:
        check_extensions(tuple(extensions))


def readable_slot(slot: dict[str, Any]) -> None:
    """The slot as ``core/slot.py`` reads it: a real zone and a time of day (its
    dates are typed; checked with the standard library: every index read runs this)."""
    wall_clock(slot["at"])
    if check_zone(slot["zone"]) != slot["zone"]:
        raise ValueError("zone: spaces around the zone's name")
    if slot.get("sequence", 0) < 0:
        raise ValueError("sequence: expected a whole number at least 0")
