"""A member's check-in between sessions, built and checked without a screen.

The check-in screen and the scripted ``peersession checkin`` both collect
answers (a status per open commitment, an optional update, an energy from 1
to 5) and hand them to :func:`build_checkin`, which checks everything before
anything is written: a check-in is stored whole or not at all. Each status
becomes a dated review with source ``checkin``, so a check-in never changes a
commitment silently, and the next session's Review phase is pre-filled with it
(see :func:`peersession.core.setup.review_items`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pendulum import DateTime

from .commitment_state import commitment_is_open, commitment_status
from .free_text import MAX_NOTE, clean_line
from .model import Group, Member
from .record_values import ReviewStatus
from .session_records import Checkin, Review

if TYPE_CHECKING:
    from .session_records import Commitment

#: What a member can answer on their own. Renegotiating needs a new text or
#: date agreed with the group, so it stays a meeting decision.
CHECKIN_STATUSES: tuple[ReviewStatus, ...] = ("done", "partial", "not_done", "dropped")

#: The words a member sees for each answer (``partial`` reads as "half done").
ANSWER_WORDS: dict[str, str] = {
    "done": "done",
    "partial": "half done",
    "not_done": "not yet",
    "dropped": "dropped",
}

ENERGY_RANGE = range(1, 6)


class CheckinError(ValueError):
    """A check-in that cannot be saved; the message is one line for the user."""


def fold(text: str) -> str:
    """Text for matching what people type: case and accents ignored (``Zoë`` ~ ``zoe``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_members(members: Iterable[Member], typed: str) -> list[Member]:
    """Members whose name starts with what was typed, an exact name first.

    Nothing typed matches everyone, in the group's order.
    """
    wanted = fold(typed.strip())
    matches = [m for m in members if fold(m.name).startswith(wanted)]
    # "Ann" typed with Ann and Anna in the group: Ann is the one meant.
    matches.sort(key=lambda m: fold(m.name) != wanted)
    return matches


def find_member(group: Group, name: str) -> Member:
    """The member called ``name`` (an id, a name, or a unique start of one).

    Only active members check in: a former member's commitments are no longer
    reviewed in sessions.
    """
    members = group.active_members
    for member in members:
        if member.id == name:
            return member
    matches = match_members(members, name)
    if name.strip() and matches and (len(matches) == 1 or fold(matches[0].name) == fold(name)):
        return matches[0]
    if len(matches) > 1 and name.strip():
        names = ", ".join(repr(m.name) for m in matches)
        raise CheckinError(f"{name!r} could be {names}: type more of the name")
    former = [m for m in group.members if not m.active and fold(m.name) == fold(name)]
    if former:
        raise CheckinError(f"{former[0].name!r} has left {group.name!r}: no check-ins any more")
    known = ", ".join(repr(m.name) for m in members)
    raise CheckinError(f"no member named {name!r} in {group.name!r} (members: {known})")


def open_commitments_of(commitments: Iterable[Commitment], member_id: str) -> list[Commitment]:
    """A member's open commitments, oldest first (the order they are asked about)."""
    mine = [c for c in commitments if c.owner == member_id and commitment_is_open(c)]
    return sorted(mine, key=lambda c: (c.made_at, c.due or ""))


def resolve_commitment(
    ref: str, commitments: Sequence[Commitment], member: Member, group: Group
) -> str:
    """The id of the member's open commitment that ``ref`` (an id or its start) names.

    Only the member's open commitments are candidates, so a prefix shown by
    ``--list`` stays unique; the rest of the group's commitments are only
    looked at to say why a ref was refused.
    """
    wanted = ref.strip().casefold()
    if not wanted:
        raise CheckinError("an empty commitment id was given")
    mine = open_commitments_of(commitments, member.id)
    exact = [c for c in mine if c.id == wanted]
    matches = exact or [c for c in mine if c.id.startswith(wanted)]
    if len(matches) == 1:
        return matches[0].id
    if matches:
        ids = ", ".join(c.id for c in matches)
        raise CheckinError(f"commitment id {ref!r} is ambiguous: it starts {ids}")
    others = [c for c in commitments if c.id.startswith(wanted)]
    if len(others) == 1:
        other = others[0]
        if other.owner != member.id:
            owner = group.name_of(other.owner)
            raise CheckinError(f"commitment {other.id} is {owner}'s, not {member.name}'s")
        status = ANSWER_WORDS.get(commitment_status(other), commitment_status(other))
        raise CheckinError(f"commitment {other.id} is closed (already {status})")
    raise CheckinError(
        f"{member.name} has no open commitment with id {ref!r} (see --list for the ids)"
    )


def resolve_answers(
    refs: Iterable[tuple[ReviewStatus, str]],
    commitments: Sequence[Commitment],
    member: Member,
    group: Group,
) -> dict[str, ReviewStatus]:
    """Commitment refs given with their answers → ``{commitment id: status}``.

    The same commitment named twice (even with the same answer) is refused:
    it is almost always a copy-paste slip, and guessing which answer was
    meant would change a commitment the member did not intend to.
    """
    statuses: dict[str, ReviewStatus] = {}
    for status, ref in refs:
        commitment_id = resolve_commitment(ref, commitments, member, group)
        if commitment_id in statuses:
            raise CheckinError(
                f"commitment {commitment_id} is given twice "
                f"({ANSWER_WORDS[statuses[commitment_id]]} and {ANSWER_WORDS[status]})"
            )
        statuses[commitment_id] = status
    return statuses


def parse_energy(text: str | None) -> int | None:
    """``"4"`` → 4; None stays None; anything but a whole 1 to 5 is refused."""
    if text is None:
        return None
    try:
        energy = int(text.strip())
    except ValueError:
        raise CheckinError(f"energy is a whole number from 1 to 5, not {text!r}") from None
    if energy not in ENERGY_RANGE:
        raise CheckinError(f"energy is from 1 to 5, not {energy}")
    return energy


@dataclass(frozen=True)
class CheckinAnswers:
    """What a member said in a check-in, before it is checked."""

    member_id: str
    statuses: Mapping[str, ReviewStatus] = field(default_factory=dict)
    note: str | None = None
    energy: int | None = None
    private: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.statuses and not (self.note or "").strip() and self.energy is None


def build_checkin(
    group: Group,
    answers: CheckinAnswers,
    commitments: Sequence[Commitment],
    *,
    checkin_id: str,
    at: DateTime,
) -> tuple[Checkin, dict[str, Review]]:
    """Check the answers and build the check-in and its dated reviews.

    Raises :class:`CheckinError` (nothing to write) on a member not in the
    group, a commitment that is not the member's or not open, an answer a
    check-in cannot give, an energy outside 1 to 5, an unusable note, or a
    check-in with nothing in it.
    """
    if answers.member_id not in {m.id for m in group.active_members}:
        raise CheckinError(f"that member is not (or no longer) in {group.name!r}")
    member = group.member(answers.member_id)
    by_id = {c.id: c for c in commitments}
    for commitment_id, status in answers.statuses.items():
        doc = by_id.get(commitment_id)
        if doc is None:
            raise CheckinError(f"no commitment with id {commitment_id!r} in {group.name!r}")
        if doc.owner != member.id:
            raise CheckinError(f"commitment {commitment_id} is not {member.name}'s")
        if not commitment_is_open(doc):
            raise CheckinError(f"commitment {commitment_id} is closed already")
        if status not in CHECKIN_STATUSES:
            allowed = ", ".join(CHECKIN_STATUSES)
            raise CheckinError(f"a check-in answer is one of {allowed}, not {status!r}")
    energy = answers.energy
    # bool is an int in Python: True must not pass as energy 1.
    if energy is not None and (isinstance(energy, bool) or energy not in ENERGY_RANGE):
        raise CheckinError(f"energy is from 1 to 5, not {energy}")
    # One line (the review list shows it on one row), and its own limit checked
    # before the general one, so the message names the limit that applies.
    flat = " ".join((answers.note or "").split())
    if len(flat) > MAX_NOTE:
        raise CheckinError(f"the update is too long ({len(flat)} characters, at most {MAX_NOTE})")
    try:
        note = clean_line(flat, what="the update", allow_empty=True) or None
    except ValueError as error:
        raise CheckinError(str(error)) from None
    if not answers.statuses and note is None and energy is None:
        raise CheckinError(
            "nothing to check in: answer a commitment, add an update or an energy from 1 to 5"
        )
    moment = at.in_timezone("UTC").isoformat()
    try:
        # Built as the declaration, whose rules it then passes (a clock outside
        # the years a file may hold is refused here, not by the next read).
        checkin = Checkin(
            id=checkin_id,
            group_id=group.id,
            member_id=member.id,
            at=moment,
            statuses=dict(answers.statuses),
            note=note,
            energy=energy,
            private=answers.private,
            updated_at=moment,
        )
    except ValueError as error:
        raise CheckinError(f"the check-in: {error}") from None
    reviews = {
        commitment_id: Review(at=moment, status=status, source="checkin", source_id=checkin_id)
        for commitment_id, status in answers.statuses.items()
    }
    return checkin, reviews


def describe_checkin(checkin: Checkin, group: Group) -> str:
    """One line saying what was saved: ``Ana checked in: 1 done, 1 half done; energy 4/5``."""
    counts: dict[str, int] = {}
    for status in checkin.statuses.values():
        counts[status] = counts.get(status, 0) + 1
    parts = [f"{counts[s]} {ANSWER_WORDS[s]}" for s in CHECKIN_STATUSES if s in counts]
    details = [", ".join(parts)] if parts else []
    if checkin.note:
        details.append("an update")
    if checkin.energy is not None:
        details.append(f"energy {checkin.energy}/5")
    if checkin.private:
        details.append("private")
    name = group.name_of(checkin.member_id)
    return f"{name} checked in to {group.name}: " + "; ".join(details)
