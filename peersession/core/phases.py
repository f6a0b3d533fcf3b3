"""The kinds of phase a meeting can run, registered once.

A :class:`PhaseKind` says everything the core knows of one kind of phase: its
title, what it records, whether it shares the talking time, its minutes in each
shipped template, what ending the session leaves undone in it and what to ask
before moving on from it. The shipped templates, the agenda check, the titles
and the end-of-session check are derived from this table; the screen keeps its
own table of panels keyed by the same objects (``tui/widgets/phase_screens.py``),
checked complete when it is imported. ``docs/architecture.md`` has the recipe for
adding a phase.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from .words import plural

if TYPE_CHECKING:
    from .state import MeetingState

#: What a phase records (where it is more than the notes every phase can take).
Record = Literal[
    "attendance",
    "wins",
    "reviews",
    "turns",
    "asks",
    "commitments",
    "ratings",
    "notes",
    "health",
    "goal_reviews",
]


def _nothing_undone(meeting: MeetingState) -> list[str]:
    return []


def _nothing_to_ask(meeting: MeetingState) -> str | None:
    return None


@dataclass(frozen=True, eq=False)
class PhaseKind:
    """One kind of phase. Compared by identity: each kind is one object."""

    #: The name agendas and journals store ("opening").
    name: str
    title: str
    #: What the group does in it, in one line (shown where the phase has no panel of its own).
    about: str
    #: What it records.
    records: tuple[Record, ...] = ()
    #: Its minutes in each shipped template that runs it (``None``: its share of the
    #: talking time); a template not named here leaves it out.
    minutes: Mapping[str, float | None] = field(default_factory=dict)
    #: Whether it may share the talking time (the meeting's length less the fixed
    #: phases) instead of a fixed timebox; an agenda may still pin its minutes.
    shares_talking_time: bool = False
    #: What ending the session now leaves undone in this phase, in words.
    undone: Callable[[MeetingState], list[str]] = _nothing_undone
    #: A question to ask before ``n`` moves on from it (None: move on).
    ask_before_leaving: Callable[[MeetingState], str | None] = _nothing_to_ask

    def __repr__(self) -> str:
        return f"PhaseKind({self.name!r})"

    # One object per kind: a copied meeting state still names the same kinds.
    def __copy__(self) -> PhaseKind:
        return self

    def __deepcopy__(self, memo: object) -> PhaseKind:
        return self


_KINDS: dict[str, PhaseKind] = {}


def register(kind: PhaseKind) -> PhaseKind:
    """Add a kind of phase (its name not yet taken); returns it."""
    if not kind.name or kind.name in _KINDS:
        raise ValueError(f"a phase kind needs a new name (not {kind.name!r})")
    _KINDS[kind.name] = kind
    return kind


def unregister(kind: PhaseKind) -> None:
    """Take a registered kind out again (a plug-in's or a test's)."""
    if _KINDS.get(kind.name) is kind:
        del _KINDS[kind.name]


def kinds() -> tuple[PhaseKind, ...]:
    """Every registered kind, in the order the shipped templates run them."""
    return tuple(_KINDS.values())


def kind_named(name: object) -> PhaseKind:
    """The kind an agenda or a journal names; ValueError for any other name."""
    found = _KINDS.get(name) if isinstance(name, str) else None
    if found is None:
        raise ValueError(f"unknown phase {name!r} (known: {', '.join(_KINDS)})")
    return found


def missing_from(table: Mapping[PhaseKind, object]) -> list[str]:
    """The names of registered kinds ``table`` has no entry for (a table keyed by kind
    elsewhere, such as the screen's panels, checks itself with this)."""
    return [name for name, kind in _KINDS.items() if kind not in table]


# -- the shipped kinds ------------------------------------------------------------------


def _review_undone(meeting: MeetingState) -> list[str]:
    unreviewed = [i for i in meeting.setup.review_items if i.commitment_id not in meeting.reviews]
    if not unreviewed:
        return []
    return [f"{plural(len(unreviewed), 'earlier commitment')} not reviewed (they stay open)"]


def _commitments_undone(meeting: MeetingState) -> list[str]:
    without = meeting.members_without_commitment()
    return [f"{plural(len(without), 'member')} without a new commitment"] if without else []


def _commitments_question(meeting: MeetingState) -> str | None:
    without = meeting.members_without_commitment()
    if not without:
        return None
    names = ", ".join(meeting.name(m) for m in without)
    verb = "has" if len(without) == 1 else "have"
    return f"{names} {verb} no commitment yet. Move on anyway?"


def _close_undone(meeting: MeetingState) -> list[str]:
    left: list[str] = []
    unrated = [m for m in meeting.attended if m not in meeting.ratings]
    if unrated:
        left.append(f"{len(unrated)} of {len(meeting.attended)} ratings not given")
    if not meeting.next_meeting:
        left.append("the next meeting's date is not set")
    elif not meeting.reached(CLOSE):
        left.append(f"the next meeting's date is only proposed ({meeting.next_meeting})")
    health = meeting.health_left()
    if health:
        left.append(health)
    return left


def _goals_undone(meeting: MeetingState) -> list[str]:
    left = [g for g in meeting.goals_to_review() if g.goal_id not in meeting.goal_reviews]
    return [f"{plural(len(left), 'goal')} not reviewed (they stay as they were)"] if left else []


OPENING = register(
    PhaseKind(
        "opening",
        "Opening",
        "Ground rules, and who is here",
        records=("attendance",),
        minutes={"full": 5, "quick": 1},
    )
)
WINS = register(
    PhaseKind(
        "wins",
        "Wins",
        "Celebrate promotions, grants, papers",
        records=("wins",),
        minutes={"full": 5},
    )
)
REVIEW = register(
    PhaseKind(
        "review",
        "Review",
        "Last session's commitments, one by one",
        records=("reviews",),
        # The quick round keeps a brief look: accountability is the point (a
        # check-in's answer is accepted with one key).
        minutes={"full": 10, "quick": 1},
        undone=_review_undone,
    )
)
#: Where each member's active goals stand (issue 25). No shipped template runs it:
#: a group's agenda names it (``goals:15``), or ``goals_review_every`` adds it.
GOALS = register(
    PhaseKind(
        "goals",
        "Goals",
        "Where each active goal stands: on track, behind, reached or dropped",
        records=("goal_reviews",),
        undone=_goals_undone,
    )
)
UPDATES = register(
    PhaseKind(
        "updates",
        "Updates",
        "A timeboxed turn each, round robin",
        records=("turns", "notes"),
        minutes={"full": None, "quick": None},
        shares_talking_time=True,
    )
)
ASKS = register(
    PhaseKind(
        "asks",
        "Asks",
        "The hot seat: clarifying questions, then advice",
        records=("asks", "notes"),
        minutes={"full": None},
        shares_talking_time=True,
    )
)
COMMITMENTS = register(
    PhaseKind(
        "commitments",
        "Commitments",
        "Everyone leaves with one",
        records=("commitments",),
        minutes={"full": 10, "quick": 1},
        undone=_commitments_undone,
        ask_before_leaving=_commitments_question,
    )
)
CLOSE = register(
    PhaseKind(
        "close",
        "Close",
        "A rating each, and the next meeting's date",
        # The health check every few sessions (core/health.py) is given here too.
        records=("ratings", "health"),
        minutes={"full": 5},
        undone=_close_undone,
    )
)
#: Always the last phase of an agenda (added when an agenda leaves it out), and
#: untimed: ``n`` there ends the session.
RECAP = register(
    PhaseKind(
        "recap",
        "Recap",
        "Everything decided, before the session is saved",
        minutes={"full": 0, "quick": 0},
    )
)
