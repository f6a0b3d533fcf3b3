"""Who gets how much of the talking time: shared equally, or as asked for.

A group's ``talking_time`` rule says how the meeting's talking time (the
updates and the asks together, see ``core/budget.py``) is shared out:

* ``equal`` (the default): every member present has the same update turn,
  the round's time divided by the number present, as peer-mentoring groups
  traditionally do.
* ``requests``: at the opening each member present asks for minutes (the
  Every Other Thursday groups' rule: "state the amount of time needed"),
  passes, or takes the default. A request is that member's turn. Requests are
  granted from the updates-and-asks time; what they leave is shared by those
  who took the default as the equal rule shares the whole (their turn, and
  their part of the asks). A member who passed keeps a short turn (the
  agenda's minimum), and so does each member who took the default at least.
  If the requests do not fit, :func:`fit_line` says by how much, and
  :func:`scale_to_fit` proposes a proportional scaling in whole seconds that
  sums exactly to what is available.

:func:`split_talking` is the one place the split is decided; the budget, the
turns, the room view and the recap all read its :class:`Shares`. Everything
here is pure and recomputed from who is here, so a late arrival or an early
leaver changes the next turns, as under the equal rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

TalkingRule = Literal["equal", "requests"]
TALKING_RULES: tuple[TalkingRule, ...] = get_args(TalkingRule)
DEFAULT_RULE: TalkingRule = "equal"

#: What a member said in the round: minutes, a pass, or the default.
Choice = Literal["minutes", "pass", "default"]
CHOICES: tuple[Choice, ...] = get_args(Choice)

#: The longest a single request may be (a whole meeting is at most ten hours).
MAX_REQUEST_SECONDS = 4 * 3600


def talking_rule(text: object) -> TalkingRule:
    """``equal`` or ``requests`` (ValueError in one line for anything else)."""
    for rule in TALKING_RULES:
        if text == rule:
            return rule
    shown = repr(text) if isinstance(text, str) and len(text) <= 40 else "that"
    raise ValueError(f"{shown} is not a talking-time rule (equal or requests)")


def describe_rule(rule: TalkingRule) -> str:
    """The rule in words, for ``group show`` and the opening."""
    if rule == "requests":
        return "requests: each member asks for minutes at the opening"
    return "equal: the same turn for each member present"


@dataclass(frozen=True)
class Request:
    """What one member said in the round (``seconds`` only for ``minutes``)."""

    choice: Choice
    seconds: int = 0


@dataclass(frozen=True)
class Shares:
    """The talking time shared out among the members here."""

    rule: TalkingRule
    #: Each member's update turn, in seconds (members here).
    turns: Mapping[str, float]
    #: The turn of a member who took the default (every member's, under ``equal``).
    default_turn: float
    #: The round's time and the asks' pool (together: the talking time).
    updates: float
    asks: float
    #: Seconds asked for in minutes by members here, and what such requests may take.
    asked: int = 0
    available: int = 0
    #: Each request as granted (scaled when they do not fit).
    granted: Mapping[str, int] = field(default_factory=dict)
    #: How many here took the default (share what the requests leave).
    sharing: int = 0

    @property
    def over(self) -> int:
        """Seconds the requests ask beyond what is available (0: they fit)."""
        return max(0, self.asked - self.available)

    @property
    def scaled(self) -> bool:
        return self.over > 0


def split_talking(
    here: Sequence[str],
    requests: Mapping[str, Request],
    updates: float,
    asks: float,
    *,
    rule: TalkingRule,
    turn_min: float,
    turn_max: float,
    override: float | None = None,
) -> Shares:
    """Share ``updates + asks`` seconds among the members ``here`` (in group order).

    ``updates`` and ``asks`` are what the equal rule gives the round and the
    asks; ``override`` is a per-speaker timebox from the settings (it replaces
    the equal share, never a request).
    """
    present = max(1, len(here))
    if rule == "equal" or not any(m in requests for m in here):
        turn = override or _clamp(updates / present, turn_min, turn_max)
        return Shares(rule, {m: turn for m in here}, turn, updates, asks, sharing=len(here))
    total = updates + asks
    # The share of the talking time the equal rule gives turns (the rest: asks).
    turn_share = updates / total if total > 0 else 1.0
    asked_by = {
        m: requests[m].seconds for m in here if m in requests and requests[m].choice == "minutes"
    }
    passed = [m for m in here if m in requests and requests[m].choice == "pass"]
    defaults = [m for m in here if m not in asked_by and m not in passed]
    # Everyone else keeps at least the agenda's shortest turn.
    reserve = (len(passed) + len(defaults)) * turn_min
    available = max(0, math.floor(total - reserve))
    asked = sum(asked_by.values())
    granted = dict(asked_by) if asked <= available else scale_to_fit(asked_by, available, here)
    rest = max(0.0, total - sum(granted.values()) - len(passed) * turn_min)
    if defaults:
        turn = override or _clamp(rest * turn_share / len(defaults), turn_min, turn_max)
        round_time = sum(granted.values()) + len(passed) * turn_min + rest * turn_share
    else:
        # Nobody shares the rest: it goes to the asks.
        turn = override or turn_min
        round_time = sum(granted.values()) + len(passed) * turn_min
    turns: dict[str, float] = {}
    for member in here:
        if member in granted:
            turns[member] = float(granted[member])
        elif member in passed:
            turns[member] = turn_min
        else:
            turns[member] = turn
    return Shares(
        rule,
        turns,
        turn,
        round_time,
        max(0.0, total - round_time),
        asked=asked,
        available=available,
        granted=granted,
        sharing=len(defaults),
    )


def scale_to_fit(asked: Mapping[str, int], available: int, order: Sequence[str]) -> dict[str, int]:
    """Each request scaled in proportion, in whole seconds, summing to ``available``.

    The largest-remainder method: everyone gets the whole seconds of their
    exact share, and the seconds left over go one each to the largest
    fractions (ties: the larger request, then the order given), so the sum is
    exact and no one is rounded twice.
    """
    total = sum(asked.values())
    if total <= 0 or available <= 0:
        return {m: 0 for m in asked}
    available = min(available, total)
    shares = {m: seconds * available // total for m, seconds in asked.items()}
    remainders = {m: seconds * available % total for m, seconds in asked.items()}
    left = available - sum(shares.values())
    place = {m: i for i, m in enumerate(order)}
    ranked = sorted(asked, key=lambda m: (-remainders[m], -asked[m], place.get(m, len(place))))
    for member in ranked[:left]:
        shares[member] += 1
    return shares


def length_text(seconds: float, *, unit: bool = True) -> str:
    """``95 min`` for whole minutes (``95`` without ``unit``), else ``12:30``."""
    whole = round(seconds)
    if whole % 60 == 0:
        return f"{whole // 60} min" if unit else str(whole // 60)
    return f"{whole // 60}:{whole % 60:02d}"


def fit_line(shares: Shares) -> str:
    """How the requests stand against the time: ``asked 95 min, 80 available: 15 over``."""
    asked = length_text(shares.asked)
    available = length_text(shares.available, unit=False)
    if shares.over:
        return f"asked {asked}, {available} available: {length_text(shares.over, unit=False)} over"
    return f"asked {asked} of {available} available"


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)
