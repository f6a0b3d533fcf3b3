"""The recap of a session: everything decided, who owns what, the next date.

One structure, built from the stored documents, rendered everywhere a recap
is read: the Recap phase on screen, the follow window's end, a past session
in the history, and the Markdown and plain-text exports. Private items are
flagged here and left out here when asked, so no renderer can forget; the
notes taken during the meeting are here too (under the update, the ask or
the review they were taken on), so an absent member reading the recap misses
none of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .commitment_state import REVIEW_LABELS
from .durations import format_clock, format_duration
from .health import SHORT, answered, how_we_work_line, low_questions, mean, tally
from .model import Group
from .slot_labels import day_at_slot
from .talking_time import length_text
from .words import plural

if TYPE_CHECKING:
    from .session_records import Commitment, HealthCheck, Session

#: How a note taken in an ask is labelled by its part (older stored notes have none).
NOTE_PART_LABELS: dict[str, str] = {"questions": "Question", "advice": "Advice"}

# A label the person typed themselves ("Q: ...", "Advice: ..."): the recap
# adds none of its own then, so it never reads "Question: Q: ...".
_TYPED_LABEL = re.compile(r"\s*(?:q|questions?|a|advice|notes?)\s*:", re.IGNORECASE)


def note_label(text: str, part: str | None) -> str | None:
    """The label to show before an ask's note: ``Question`` or ``Advice`` by the
    part it was taken in (``Note`` when no part was stored), or None when the
    text already opens with such a label, typed by the person."""
    if _TYPED_LABEL.match(text):
        return None
    return NOTE_PART_LABELS.get(part or "", "Note")


def labelled_note(text: str, part: str | None) -> str:
    """An ask's note as the recap shows it: ``Question: text``, ``Advice: text``,
    or the text alone when the person labelled it (see :func:`note_label`)."""
    label = note_label(text, part)
    return f"{label}: {text}" if label else text


@dataclass(frozen=True)
class RecapLine:
    text: str
    private: bool = False
    #: The member the line is about, when there is one (shown first).
    who: str | None = None
    #: Lines that belong under this one (the notes of an update, an ask or a
    #: review), shown indented beneath it; they leave with it when it is private.
    details: tuple[RecapLine, ...] = ()


@dataclass(frozen=True)
class RecapSection:
    title: str
    lines: list[RecapLine] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewedCommitment:
    owner: str
    text: str
    private: bool


@dataclass(frozen=True)
class ReviewedGoal:
    """A goal the session's goals review spoke of (issue 25)."""

    owner: str
    title: str
    private: bool


#: Where a goal stands, in words.
STANDING_LABELS = {
    "on_track": "On track",
    "behind": "Behind",
    "reached": "Reached",
    "dropped": "Dropped",
}


def build_recap(
    group: Group,
    session: Session,
    made: list[Commitment],
    reviewed: dict[str, ReviewedCommitment],
    *,
    include_private: bool = True,
    goals: Mapping[str, ReviewedGoal] | None = None,
) -> list[RecapSection]:
    """The recap's sections; private lines are dropped unless ``include_private``.
    ``goals`` names the goals of the session's goals review (a goal not named
    there, or all of them when None, is left out: its privacy is not known)."""

    def keep(line: RecapLine) -> bool:
        return include_private or not line.private

    def kept(lines: list[RecapLine]) -> list[RecapLine]:
        return [
            replace(line, details=tuple(d for d in line.details if keep(d)))
            for line in lines
            if keep(line)
        ]

    group = group.with_guests_of([session])
    name = group.name_of
    sections: list[RecapSection] = []

    attendance = session.attendance
    groups_by_status: dict[str, list[str]] = {"present": [], "late": [], "absent": []}
    for member in group.members:
        marked = attendance.get(member.id)
        if marked:
            groups_by_status[marked].append(
                f"{member.name} (guest)" if member.guest else member.name
            )
    for guest_id, guest in group.guests():  # a guest (issue 24.3): named as one
        marked = attendance.get(guest_id)
        if marked and guest_id not in {m.id for m in group.members}:
            groups_by_status[marked].append(f"{guest} (guest)")
    sections.append(
        RecapSection(
            "Attendance",
            [
                RecapLine(f"{label}: {', '.join(names)}")
                for label, names in (
                    ("Present", groups_by_status["present"]),
                    ("Late", groups_by_status["late"]),
                    ("Absent", groups_by_status["absent"]),
                )
                if names
            ],
        )
    )

    # Who held which role (a section only for sessions saved with roles).
    held = [RecapLine(f"{h.role}: {name(h.member_id)}") for h in session.roles or []]
    if held:
        sections.append(RecapSection("Roles", held))

    wins = [RecapLine(f"{w.kind}: {w.text}", w.private, name(w.member_id)) for w in session.wins]
    sections.append(RecapSection("Wins", kept(wins)))

    reviews = []
    for commitment_id, review in session.reviews.items():
        item = reviewed.get(commitment_id)
        if item is None:
            continue
        status = REVIEW_LABELS[review.status]
        extra = ""
        if review.status == "renegotiated":
            changes = [f"now: {review.text}" if review.text else ""]
            changes.append(f"due {review.due}" if review.due else "")
            extra = " (" + ", ".join(c for c in changes if c) + ")"
        # A review's note (what was said about it) keeps the commitment's privacy.
        note = review.note
        details = (RecapLine(note, item.private),) if note else ()
        text = f"{status}: {item.text}{extra}"
        reviews.append(RecapLine(text, item.private, name(item.owner), details))
    sections.append(RecapSection("Review of earlier commitments", kept(reviews)))
    asked = _time_asked_lines(group, session)
    if asked:
        sections.append(RecapSection("Time asked for", asked))
    standings = _goal_lines(group, session, goals or {})
    if standings:
        sections.append(RecapSection("Goals", kept(standings)))
    sections.append(RecapSection("Updates", kept(_update_lines(group, session))))

    commitments = []
    for member in group.members:
        for c in made:
            if c.owner != member.id:
                continue
            due = f" (due {c.due})" if c.due else ""
            source = " [from an ask]" if c.from_ask else ""
            commitments.append(RecapLine(f"{c.text}{due}{source}", c.private, member.name))
    sections.append(RecapSection("Commitments", kept(commitments)))

    asks = []
    private_commitments = {c.id for c in made if c.private}
    for ask in session.asks:
        parts = [ask.text]
        if ask.outcome and (include_private or ask.commitment_id not in private_commitments):
            parts.append(f"→ {ask.outcome}")
        if ask.helpers:
            parts.append("help from " + ", ".join(name(h) for h in ask.helpers))
        granted = [e for e in ask.extensions if e.granted]
        if granted:
            parts.append(f"extended {len(granted)}×")
        spent = ask.question_seconds + ask.advice_seconds
        if spent:
            parts.append(format_duration(spent))
        # Notes go under their ask, labelled with the part they were taken in;
        # a private ask keeps its notes private too.
        notes = tuple(
            RecapLine(labelled_note(n.text, n.part or None), n.private or ask.private)
            for n in ask.notes
        )
        asks.append(RecapLine(" · ".join(parts), ask.private, name(ask.member_id), notes))
    sections.append(RecapSection("Asks", kept(asks)))

    # Notes on the session at large (taken outside a turn or an ask): a
    # section only when there are some, as most sessions have none.
    session_notes = kept([RecapLine(n.text, n.private) for n in session.notes])
    if session_notes:
        sections.append(RecapSection("Notes", session_notes))

    ratings = session.ratings
    if ratings:
        average = sum(ratings.values()) / len(ratings)
        sections.append(
            RecapSection(
                "Rating",
                [RecapLine(f"{average:.1f} average from {plural(len(ratings), 'member')}")],
            )
        )
    check = session.health
    if check and answered(check):
        sections.append(RecapSection("Health check", _health_lines(check)))
    sections.append(RecapSection("Next meeting", [RecapLine(next_meeting_line(group, session))]))
    return sections


def _time_asked_lines(group: Group, session: Session) -> list[RecapLine]:
    """What each member asked for at the opening, had and used (sessions run
    under the ``requests`` rule only)."""
    lines: list[RecapLine] = []
    for row in session.time_asked or []:
        if row.choice == "minutes":
            asked = f"asked for {length_text(row.asked_seconds)}"
        elif row.choice == "pass":
            asked = "passed"
        else:
            asked = "took an equal share"
        parts = [asked]
        if row.given_seconds or row.used_seconds:
            parts.append(f"had {format_clock(row.given_seconds)}")
            parts.append(f"used {format_clock(row.used_seconds)}")
        else:
            parts.append("no turn")
        lines.append(RecapLine(" · ".join(parts), False, group.name_of(row.member_id)))
    return lines


def _goal_lines(
    group: Group, session: Session, goals: Mapping[str, ReviewedGoal]
) -> list[RecapLine]:
    lines = []
    for goal_id, said in (session.goal_reviews or {}).items():
        goal = goals.get(goal_id)
        if goal is None:
            continue
        note = said.note
        details = (RecapLine(note, goal.private),) if note else ()
        text = f"{STANDING_LABELS.get(said.status, said.status)}: {goal.title}"
        lines.append(RecapLine(text, goal.private, group.name_of(goal.owner), details))
    return lines


def _health_lines(check: HealthCheck) -> list[RecapLine]:
    """Each question's mean, and the low ones (the next agenda's item); no names."""
    counts = tally(check)
    answers = max(sum(c) for c in counts.values())
    means = [f"{SHORT[q]} {value:.1f}" for q, c in counts.items() if (value := mean(c)) is not None]
    lines = [RecapLine(f"{' · '.join(means)} (from {plural(answers, 'member')}, 1–5)")]
    item = how_we_work_line(low_questions(check))
    if item is not None:
        lines.append(RecapLine(f"{item}: on the next session's agenda"))
    return lines


def _update_lines(group: Group, session: Session) -> list[RecapLine]:
    """Each member's update in speaking order: how long they spoke (or that
    they passed), with the notes taken during it beneath."""
    lines: list[RecapLine] = []
    for turn in session.turns:
        spoke = "passed" if turn.passed else f"spoke {format_duration(turn.seconds)}"
        notes = tuple(RecapLine(n.text, n.private) for n in turn.notes)
        lines.append(RecapLine(spoke, False, group.name_of(turn.member_id), notes))
    return lines


def next_meeting_line(group: Group, session: Session) -> str:
    """``Thu 26 Mar 2026 16:00 Europe/London``: the day the session chose, at the
    slot's time in the group's zone (a recap is read in many zones)."""
    chosen = session.next_meeting
    return day_at_slot(group.slot, chosen) if chosen else "not set"
