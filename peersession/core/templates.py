"""Agendas: which phases a session runs, in what order, with what timeboxes.

Two templates ship (``full`` and ``quick``), derived from the phase kinds'
table (:mod:`~peersession.core.phases`); a group can define its own agenda as a
list of ``{"phase": ..., "minutes": ...}`` entries. Phases without minutes
(updates and asks) share the talking time left by the others; an agenda may pin
either of them to its own minutes instead. Recap always comes last (it is added
when an agenda leaves it out).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from msgspec.structs import replace

from .durations import format_clock
from .phases import ASKS, RECAP, UPDATES, PhaseKind, kind_named
from .phases import kinds as phase_kinds
from .record_types import Number, Value, Whole, doc


class PhasePlan(Value, kw_only=False):
    """One phase of an agenda: its kind (by name, as a journal holds it) and its timebox."""

    phase: Annotated[str, doc("The kind's name (`core/phases.py`).")]
    minutes: Annotated[
        Number | None, doc("Fixed timebox; null for phases that share the talking time.")
    ] = None

    @property
    def kind(self) -> PhaseKind:
        return kind_named(self.phase)


def plan(kind: PhaseKind, minutes: float | None = None) -> PhasePlan:
    """A phase of ``kind`` with its timebox."""
    return PhasePlan(kind.name, minutes)


class Template(Value):
    """How a session is run: every field is a rule the engine enforces. A session's
    journal holds it as declared here (``core/setup.py``)."""

    name: Annotated[str, doc("`full`, `quick`, or what a group's agenda is based on.")]
    phases: Annotated[tuple[PhasePlan, ...], doc("The agenda, in order (recap last).")]
    length_minutes: Annotated[
        Whole | None,
        doc("Meeting length for this template, overriding the group's (quick rounds are short)."),
    ] = None
    update_share: Annotated[
        Number, doc("Share of the talking time that goes to update turns (the rest to asks).")
    ] = 0.4
    turn_min_seconds: Annotated[Number, doc("Shortest per-speaker turn, in seconds.")] = 60.0
    turn_max_seconds: Annotated[Number, doc("Longest per-speaker turn, in seconds.")] = 20 * 60.0
    question_share: Annotated[
        Number, doc("Share of an ask spent on clarifying questions, before advice.")
    ] = 1 / 3
    ask_default_minutes: Annotated[Number, doc("Default time an ask wants, in minutes.")] = 10.0
    extensions_minutes: Annotated[
        tuple[Number, ...],
        doc("Each extension granted by a vote is shorter than the last; then move on."),
    ] = (2.0, 1.0)
    warn_share: Annotated[
        Number, doc("A timebox enters its warning state when this share of it is left...")
    ] = 0.2
    warn_max_seconds: Annotated[
        Number, doc("...but never more than this many seconds before the end.")
    ] = 120.0
    hard_stop_warning_minutes: Annotated[
        Number, doc("Warn about the hard stop this many minutes before the planned end.")
    ] = 10.0

    @property
    def kinds(self) -> tuple[PhaseKind, ...]:
        return tuple(p.kind for p in self.phases)

    def checked(self) -> Template:
        """The template with its agenda held to :func:`parse_agenda`'s rules (a journal's,
        read back); ValueError says what is wrong."""
        return replace(self, phases=agenda_plans((p.phase, p.minutes) for p in self.phases))


def shipped_phases(template: str) -> tuple[PhasePlan, ...]:
    """The phases a shipped template runs: every kind with minutes for it, in order."""
    return tuple(plan(k, k.minutes[template]) for k in phase_kinds() if template in k.minutes)


FULL = Template(name="full", phases=shipped_phases("full"))

QUICK = Template(
    name="quick",
    phases=shipped_phases("quick"),
    length_minutes=10,
    update_share=1.0,
    # Eight members in the seven minutes the round leaves them.
    turn_min_seconds=45.0,
    turn_max_seconds=90.0,
    warn_share=0.25,
    warn_max_seconds=20.0,
    hard_stop_warning_minutes=2.0,
)

TEMPLATES: dict[str, Template] = {t.name: t for t in (FULL, QUICK)}


#: The timebox of a fixed phase an agenda names without minutes, when no
#: template ships it.
UNSHIPPED_MINUTES = 10.0


def parse_agenda(entries: Any) -> tuple[PhasePlan, ...]:
    """Validate a group's own agenda: known phases, once each, sane minutes."""
    if not isinstance(entries, list | tuple) or not entries:
        raise ValueError("an agenda is a non-empty list of phases")
    return agenda_plans(_named_phases(entries))


def _named_phases(entries: list[Any] | tuple[Any, ...]) -> Iterator[tuple[object, Any]]:
    for entry in entries:
        if not isinstance(entry, dict) or "phase" not in entry:
            raise ValueError(f"agenda entry {entry!r} needs a 'phase'")
        yield entry["phase"], entry.get("minutes")


def agenda_plans(entries: Iterable[tuple[object, Any]]) -> tuple[PhasePlan, ...]:
    """``(phase, minutes)`` pairs as an agenda: known phases, once each, sane
    minutes, recap last (added when left out)."""
    plans: list[PhasePlan] = []
    seen: set[PhaseKind] = set()
    for name, minutes in entries:
        kind = kind_named(name)
        if kind in seen:
            raise ValueError(f"phase {kind.name!r} appears twice in the agenda")
        if RECAP in seen:
            raise ValueError("recap is the last phase of an agenda")
        seen.add(kind)
        if minutes is not None:
            if isinstance(minutes, bool) or not isinstance(minutes, int | float):
                raise ValueError(f"minutes for {kind.name!r} must be a number")
            if not 0 <= minutes <= 600:
                raise ValueError(f"minutes for {kind.name!r} must be between 0 and 600")
        elif not kind.shares_talking_time:
            # A fixed phase named without minutes keeps its shipped timebox (a
            # phase no template ships, such as the goals review, gets ten): the
            # talking time is only for the phases that share it.
            minutes = kind.minutes.get("full", kind.minutes.get("quick"))
            if minutes is None:
                minutes = UNSHIPPED_MINUTES
        plans.append(plan(kind, float(minutes) if minutes is not None else None))
    if not plans:
        raise ValueError("an agenda is a non-empty list of phases")
    if plans[-1].kind is not RECAP:
        plans.append(plan(RECAP, 0))
    return tuple(plans)


def template_for(
    name: str,
    agenda: tuple[dict[str, Any], ...] | None = None,
    *,
    question_share: float | None = None,
    extensions_minutes: tuple[float, ...] | None = None,
) -> Template:
    """The named template, with a group's own agenda and ask rules in place of its own."""
    try:
        template = TEMPLATES[name]
    except KeyError:
        raise ValueError(f"unknown template {name!r} (known: {', '.join(TEMPLATES)})") from None
    if agenda:
        template = replace(template, phases=parse_agenda(list(agenda)))
    if question_share is not None:
        template = replace(template, question_share=check_question_share(question_share))
    if extensions_minutes is not None:
        template = replace(template, extensions_minutes=check_extensions(extensions_minutes))
    return template


def check_question_share(share: float) -> float:
    """Questions take between a tenth and nine tenths of an ask: both parts happen."""
    if isinstance(share, bool) or not 0.1 <= share <= 0.9:
        raise ValueError("the questions' share of an ask is between 10% and 90%")
    return float(share)


def check_extensions(minutes: tuple[float, ...]) -> tuple[float, ...]:
    """Extensions: at most five, each 0.5 to 30 minutes, none longer than the one before."""
    if len(minutes) > 5:
        raise ValueError("at most five extensions per ask")
    if any(not 0.5 <= m <= 30 for m in minutes):
        raise ValueError("an extension is between 0.5 and 30 minutes")
    if any(later > earlier for earlier, later in itertools.pairwise(minutes)):
        raise ValueError("each extension is no longer than the one before (2,1 not 1,2)")
    return tuple(float(m) for m in minutes)


#: The shortest a fixed phase is squeezed to when an agenda is fitted to a short meeting.
MIN_PHASE_MINUTES = 1.0


class AgendaDoesNotFit(ValueError):
    """An agenda that cannot be run in the meeting's length, even squeezed."""

    def __init__(self, template: Template, length_minutes: float, needed_minutes: float) -> None:
        short = needed_minutes - length_minutes
        super().__init__(
            f"the {template.name} agenda needs at least {needed_minutes:g} minutes for this "
            f"group ({short:g} more than {length_minutes:g}): make the meeting longer, "
            "or use the quick template or a shorter agenda"
        )
        self.needed_minutes = needed_minutes
        self.short_minutes = short


def fit_agenda(template: Template, length_minutes: float, members: int) -> Template:
    """The template with its fixed phases squeezed so the meeting fits its length.

    Update turns need at least ``turn_min_seconds`` each, so a meeting that
    starts on time must leave that much talking time. When the agenda's fixed
    phases leave less, they are shortened in proportion (none below
    :data:`MIN_PHASE_MINUTES`); when even that is not enough, the agenda does
    not fit and :class:`AgendaDoesNotFit` says by how much.
    """
    shared = {p.kind for p in template.phases if p.kind.shares_talking_time and p.minutes is None}
    talking_min = 0.0
    if UPDATES in shared:
        # Updates get their share of the talking time: enough of it that no
        # turn starts below its minimum (which would put the meeting behind).
        share = template.update_share if ASKS in shared else 1.0
        talking_min = template.turn_min_seconds * max(1, members) / 60.0 / max(share, 0.01)
    squeezable = [p for p in template.phases if p.minutes]
    fixed = sum(p.minutes or 0.0 for p in squeezable)
    room = length_minutes - talking_min
    if fixed <= room:
        return template
    needed = talking_min + MIN_PHASE_MINUTES * len(squeezable)
    if needed > length_minutes:
        raise AgendaDoesNotFit(template, length_minutes, math.ceil(needed))
    # Shrink in proportion; a phase that would fall below the floor keeps the
    # floor and the others share what is left.
    floored: set[int] = set()
    while True:
        free = room - MIN_PHASE_MINUTES * len(floored)
        rest = sum(p.minutes or 0.0 for i, p in enumerate(squeezable) if i not in floored)
        factor = free / rest
        newly = {
            i
            for i, p in enumerate(squeezable)
            if i not in floored and (p.minutes or 0.0) * factor < MIN_PHASE_MINUTES
        }
        if not newly:
            break
        floored |= newly
    squeezed = iter(
        MIN_PHASE_MINUTES if i in floored else math.floor((p.minutes or 0.0) * factor * 60) / 60
        for i, p in enumerate(squeezable)
    )
    phases = tuple(replace(p, minutes=next(squeezed)) if p.minutes else p for p in template.phases)
    return replace(template, phases=phases)


def describe_fit(before: Template, after: Template, length_minutes: float) -> str | None:
    """One line saying how an agenda was squeezed to fit (None when it was not)."""
    if before.phases == after.phases:
        return None
    # By kind: the session's agenda may have gained a phase (a goals review).
    planned = {b.kind: b.minutes for b in before.phases}
    changes = [
        f"{a.kind.title} {format_clock((a.minutes or 0.0) * 60)}"
        for a in after.phases
        if a.kind in planned and a.minutes != planned[a.kind]
    ]
    if not changes:
        return None
    return f"Agenda shortened to fit {length_minutes:g} minutes: " + ", ".join(changes)
