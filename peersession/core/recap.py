"""The recap of a session: everything decided, who owns what, the next date.

One structure, built from the stored documents, rendered three ways: the
Recap phase on screen, a past session in the history, and the Markdown
export. Private items are flagged here and left out here when asked, so no
renderer can forget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .durations import format_duration
from .model import REVIEW_LABELS, CommitmentDoc, Group, SessionDoc
from .slot_labels import day_at_slot

#: How a note taken in an ask is labelled by its part (older stored notes have none).
NOTE_PART_LABELS: dict[str, str] = {"questions": "Question", "advice": "Advice"}


@dataclass(frozen=True)
class RecapLine:
    text: str
    private: bool = False
    #: The member the line is about, when there is one (shown first).
    who: str | None = None


@dataclass(frozen=True)
class RecapSection:
    title: str
    lines: list[RecapLine] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewedCommitment:
    owner: str
    text: str
    private: bool


def build_recap(
    group: Group,
    session: SessionDoc,
    made: list[CommitmentDoc],
    reviewed: dict[str, ReviewedCommitment],
    *,
    include_private: bool = True,
) -> list[RecapSection]:
    """The recap's sections; private lines are dropped unless ``include_private``."""

    def keep(line: RecapLine) -> bool:
        return include_private or not line.private

    name = group.name_of
    sections: list[RecapSection] = []

    attendance = session["attendance"]
    groups_by_status: dict[str, list[str]] = {"present": [], "late": [], "absent": []}
    for member in group.members:
        marked = attendance.get(member.id)
        if marked:
            groups_by_status[marked].append(member.name)
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

    wins = [
        RecapLine(f"{w['kind']}: {w['text']}", w["private"], name(w["member_id"]))
        for w in session["wins"]
    ]
    sections.append(RecapSection("Wins", [w for w in wins if keep(w)]))

    reviews = []
    for commitment_id, review in session["reviews"].items():
        item = reviewed.get(commitment_id)
        if item is None:
            continue
        status = REVIEW_LABELS[review["status"]]
        extra = ""
        if review["status"] == "renegotiated":
            changes = [f"now: {review.get('text')}" if review.get("text") else ""]
            changes.append(f"due {review.get('due')}" if review.get("due") else "")
            extra = " (" + ", ".join(c for c in changes if c) + ")"
        reviews.append(RecapLine(f"{status}: {item.text}{extra}", item.private, name(item.owner)))
    sections.append(RecapSection("Review of earlier commitments", [r for r in reviews if keep(r)]))

    commitments = []
    for member in group.members:
        for c in made:
            if c["owner"] != member.id:
                continue
            due = f" (due {c['due']})" if c["due"] else ""
            source = " [from an ask]" if c["from_ask"] else ""
            commitments.append(RecapLine(f"{c['text']}{due}{source}", c["private"], member.name))
    sections.append(RecapSection("Commitments", [c for c in commitments if keep(c)]))

    asks = []
    private_commitments = {c["id"] for c in made if c["private"]}
    for ask in session["asks"]:
        parts = [ask["text"]]
        if ask["outcome"] and (include_private or ask["commitment_id"] not in private_commitments):
            parts.append(f"→ {ask['outcome']}")
        if ask["helpers"]:
            parts.append("help from " + ", ".join(name(h) for h in ask["helpers"]))
        granted = [e for e in ask["extensions"] if e["granted"]]
        if granted:
            parts.append(f"extended {len(granted)}×")
        spent = ask["question_seconds"] + ask["advice_seconds"]
        if spent:
            parts.append(format_duration(spent))
        asker = name(ask["member_id"])
        asks.append(RecapLine(" · ".join(parts), ask["private"], asker))
        # Notes follow their ask, labelled with the part they were taken in;
        # a private ask keeps its notes private too.
        for note in ask["notes"]:
            label = NOTE_PART_LABELS.get(note.get("part", ""), "Note")
            private = note["private"] or ask["private"]
            asks.append(RecapLine(f"{label}: {note['text']}", private, asker))
    sections.append(RecapSection("Asks", [a for a in asks if keep(a)]))

    ratings = session["ratings"]
    if ratings:
        average = sum(ratings.values()) / len(ratings)
        sections.append(
            RecapSection(
                "Rating",
                [RecapLine(f"{average:.1f} average from {len(ratings)} members")],
            )
        )
    sections.append(RecapSection("Next meeting", [RecapLine(next_meeting_line(group, session))]))
    return sections


def next_meeting_line(group: Group, session: SessionDoc) -> str:
    """``Thu 26 Mar 2026 16:00 Europe/London``: the day the session chose, at the
    slot's time in the group's zone (a recap is read in many zones)."""
    chosen = session["next_meeting"]
    return day_at_slot(group.slot, chosen) if chosen else "not set"
