"""What the simulation remembers from one session to the next.

Members' habits (``Profile``: the source of their differing completion
rates), the commitments still open, last time's speaking order and who asked
lately. Every random draw comes from the one seeded generator held here, in a
fixed order, so the same seed always gives the same history.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from ..core.model import Group
from ..core.record_types import read_as
from ..core.roles import Holders
from ..core.session_records import Commitment
from .vocabulary import VOCAB

T = TypeVar("T")


@dataclass
class Profile:
    """How a member tends to behave: the source of differing completion rates."""

    reliability: float
    absence: float
    lateness: float
    mood: float
    chatty: float


@dataclass
class OpenCommitment:
    """A commitment not yet done or dropped."""

    id: str
    owner: str
    made_at: str
    #: The current text (after any renegotiation).
    text: str
    session_reviews: int = 0
    renegotiated: bool = False


class Subs(dict[str, str]):
    """Template substitutions drawn lazily, only for the fields a template uses."""

    def __init__(self, rng: random.Random, fixed: dict[str, str], names: list[str]) -> None:
        super().__init__(fixed)
        self.rng = rng
        self.names = names

    def __missing__(self, key: str) -> str:
        if key == "helper":
            return self.rng.choice(self.names)
        if key == "peer":
            return self.rng.choice(self.names).split()[0]
        return self.rng.choice(VOCAB[key])


def iso(moment: datetime) -> str:
    return moment.isoformat()


def weighted(rng: random.Random, values: Sequence[T], cumulative: Sequence[float]) -> T:
    """One of ``values`` by cumulative weights ending at 1.0 (faster than ``choices``)."""
    return values[bisect_right(cumulative, rng.random())]


class GroupState:
    """The group's simulated members and what is carried between sessions."""

    def __init__(self, rng: random.Random, group: Group, total: int) -> None:
        self.rng = rng
        self.group = group
        self.member_ids = [m.id for m in group.members]
        self.rank = {m: i for i, m in enumerate(self.member_ids)}
        self.names = {m.id: m.name for m in group.members}
        self.name_list = [m.name for m in group.members]
        #: Who held which role in each session so far (the rota proposes from them).
        self.roles_held: list[Holders] = []
        # A few things every demo shows near its end, whatever the dice say.
        self.sabbatical_index = total - 3
        self.private_win_index = total - 2
        self.extension_index = total - 4
        self.private_ask_index = total - 5
        self.late_index = total - 2
        self.absent_index = total - 6
        n = len(self.member_ids)
        reliabilities = [0.4 + 0.57 * i / max(1, n - 1) for i in range(n)]
        rng.shuffle(reliabilities)
        self.profiles = {
            m: Profile(
                reliability=reliabilities[i],
                absence=rng.uniform(0.02, 0.12),
                lateness=rng.uniform(0.02, 0.1),
                mood=rng.uniform(7.2, 9.2),
                chatty=rng.uniform(0.8, 1.15),
            )
            for i, m in enumerate(self.member_ids)
        }
        self.open: dict[str, OpenCommitment] = {}
        self.last_order: list[str] = []
        self.recent_asks: dict[str, int] = dict.fromkeys(self.member_ids, 0)

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def text(self, template: str, **fixed: str) -> str:
        if "{" not in template:
            return template
        return template.format_map(Subs(self.rng, fixed, self.name_list))

    def note(
        self,
        text: str,
        at: datetime,
        private: bool = False,
        part: str | None = None,
        member_id: str | None = None,
    ) -> dict[str, Any]:
        note: dict[str, Any] = {
            "id": self.new_id(),
            "text": text,
            "private": private,
            "at": iso(at),
        }
        # Where it was taken, as a live session records it (no randomness spent).
        if part is not None and member_id is not None:
            note["part"] = part
            note["member_id"] = member_id
        return note

    def commitment(
        self,
        commitment_id: str,
        owner: str,
        text: str,
        due: str,
        private: bool,
        session_id: str,
        at: datetime,
        from_ask: str | None,
    ) -> Commitment:
        made_at = iso(at)
        # Read as a file would hold it: a long demo goes back before the years a
        # commitment may be given at the doors.
        return read_as(
            Commitment,
            {
                "id": commitment_id,
                "group_id": self.group.id,
                "owner": owner,
                "text": text,
                "due": due,
                "private": private,
                "made_at": made_at,
                "made_in": session_id,
                "from_ask": from_ask,
                "reviews": [],
                # The session's end, once known (run_session sets it).
                "updated_at": made_at,
            },
        )
