"""Bundles of made-up groups, as ``docs/bundle.schema.json`` describes them.

The benchmark builds its data through the doors users have: it writes one
bundle per group here (the format ``peersession export --format json`` writes
and ``peersession import`` reads, stable across versions) and lets the
peersession being measured import them. Nothing here imports peersession.

Every group is the same recipe with its own seed: sessions every 21 days up
to a fixed day, each member's update with a note or two, a few asks with
their advice, a win, one commitment each, reviews of the open commitments at
the next session, ratings, and check-ins between sessions: about the size
and the mix of a real group's history (a 170-session group's bundle is about
2 MB).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from . import vocabulary as words

#: Bumped whenever what the recipe makes changes (it keys the caches).
RECIPE = 2
CADENCE_DAYS = 21
#: The last session of every group falls in the week before this day.
LAST_WEEK = date(2026, 3, 5)
STATUSES = ("done", "partial", "not_done", "renegotiated", "dropped")
STATUS_WEIGHTS = (60, 14, 12, 8, 6)

Doc = dict[str, Any]


@dataclass(frozen=True)
class GroupSpec:
    """One group: its place in the run (its name and seed), its size."""

    number: int
    sessions: int
    members: int = 8
    #: Plant the one-hit word in one note, halfway through its history.
    one_hit: bool = False

    @property
    def name(self) -> str:
        first = words.NAME_FIRST[self.number // len(words.NAME_SECOND) % len(words.NAME_FIRST)]
        return f"{first} {words.NAME_SECOND[self.number % len(words.NAME_SECOND)]}"

    @property
    def key(self) -> str:
        plant = "-q" if self.one_hit else ""
        return f"r{RECIPE}-g{self.number}-s{self.sessions}-m{self.members}{plant}"


def stamp(moment: datetime) -> str:
    return moment.isoformat()


@dataclass
class _Writer:
    rng: random.Random
    group: Doc
    members: list[str]
    sessions: list[Doc] = field(default_factory=list)
    commitments: dict[str, Doc] = field(default_factory=dict)
    checkins: list[Doc] = field(default_factory=list)
    #: Open commitment ids of each member, oldest first.
    open: dict[str, list[str]] = field(default_factory=dict)

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def text(self, templates: tuple[str, ...]) -> str:
        template = self.rng.choice(templates)
        return template.format(**{k: self.rng.choice(v) for k, v in words.WORDS.items()})

    def private(self) -> bool:
        return self.rng.random() < 0.1

    def note(self, at: datetime, part: str | None, member: str | None) -> Doc:
        doc: Doc = {
            "id": self.new_id(),
            "text": self.text(words.NOTES),
            "private": self.private(),
            "at": stamp(at),
        }
        if part is not None and member is not None:
            doc.update(part=part, member_id=member)
        return doc

    def review(self, commitment_id: str, at: datetime, source: str, source_id: str) -> Doc:
        status = self.rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        review: Doc = {"at": stamp(at), "status": status, "source": source}
        review["source_id"] = source_id
        if status == "renegotiated":
            review["text"] = self.text(words.COMMITMENTS)
            review["due"] = (at.date() + timedelta(days=CADENCE_DAYS)).isoformat()
        if status != "done" and self.rng.random() < 0.4:
            review["note"] = self.text(words.REVIEW_NOTES)
        commitment = self.commitments[commitment_id]
        commitment["reviews"].append(review)
        commitment["updated_at"] = stamp(at)
        if status in ("done", "dropped"):
            self.open[commitment["owner"]].remove(commitment_id)
        return review


def _session(w: _Writer, day: date, number: int, plant: bool) -> None:
    rng = w.rng
    session_id = w.new_id()
    start = datetime(day.year, day.month, day.day, 16, rng.randrange(0, 6), tzinfo=UTC)
    attendance = {m: rng.choices(("present", "absent", "late"), (90, 7, 3))[0] for m in w.members}
    here = [m for m in w.members if attendance[m] != "absent"]
    order = rng.sample(here, len(here))
    clock = start + timedelta(minutes=10)
    reviews: Doc = {}
    for member in here:
        for commitment_id in list(w.open[member]):
            clock += timedelta(seconds=rng.randrange(30, 90))
            reviews[commitment_id] = w.review(commitment_id, clock, "session", session_id)
    turns: list[Doc] = []
    for member in order:
        notes: list[Doc] = []
        for _ in range(rng.choice((0, 1, 1, 2))):
            clock += timedelta(seconds=rng.randrange(40, 150))
            notes.append(w.note(clock, "update", member))
        if plant and not turns:
            planted = w.note(clock, "update", member)
            notes.append(planted | {"text": words.ONE_HIT_NOTE, "private": False})
        seconds = rng.uniform(150, 300)
        clock += timedelta(seconds=seconds)
        turns.append(
            {"member_id": member, "seconds": round(seconds, 3), "passed": False, "notes": notes}
        )
    asks, from_ask = _asks(w, here, clock)
    clock += timedelta(minutes=45)
    wins = [
        {
            "id": w.new_id(),
            "member_id": rng.choice(here),
            "kind": (kind := rng.choice(tuple(words.WINS))),
            "text": w.text(words.WINS[kind]),
            "private": w.private(),
            "at": stamp(start + timedelta(minutes=8)),
        }
        for _ in range(rng.choice((0, 1, 1, 2)))
    ]
    next_meeting = (day + timedelta(days=CADENCE_DAYS)).isoformat()
    made = []
    for member in here:
        clock += timedelta(seconds=rng.randrange(20, 60))
        ask_id, outcome = from_ask.get(member, (None, None))
        commitment_id = w.new_id()
        w.commitments[commitment_id] = {
            "id": commitment_id,
            "group_id": w.group["id"],
            "owner": member,
            "text": outcome or w.text(words.COMMITMENTS),
            "due": next_meeting,
            "private": w.private(),
            "made_at": stamp(clock),
            "made_in": session_id,
            "from_ask": ask_id,
            "reviews": [],
            "updated_at": stamp(clock),
        }
        w.open[member].append(commitment_id)
        made.append(commitment_id)
        for ask in asks:
            if ask["id"] == ask_id:
                ask["commitment_id"] = commitment_id
    ended = start + timedelta(minutes=rng.randrange(110, 128))
    w.sessions.append(
        {
            "id": session_id,
            "group_id": w.group["id"],
            "template": "full",
            "started_at": stamp(start),
            "ended_at": stamp(ended),
            "planned_minutes": 120,
            "attendance": attendance,
            "order": order,
            "turns": turns,
            "asks": asks,
            "wins": wins,
            "commitment_ids": made,
            "reviews": reviews,
            "ratings": {m: rng.randrange(6, 11) for m in here if rng.random() < 0.9},
            "notes": [w.note(clock, None, None)] if rng.random() < 0.3 else [],
            "next_meeting": next_meeting,
            "updated_at": stamp(ended),
        }
    )


def _asks(w: _Writer, here: list[str], clock: datetime) -> tuple[list[Doc], dict[str, Any]]:
    rng = w.rng
    asks: list[Doc] = []
    from_ask: dict[str, tuple[str, str]] = {}
    for member in rng.sample(here, min(len(here), rng.choice((1, 2, 2, 3)))):
        ask_id = w.new_id()
        others = [m for m in here if m != member]
        question, advice = rng.uniform(150, 320), rng.uniform(300, 600)
        outcome = w.text(words.OUTCOMES) if rng.random() < 0.5 else None
        if outcome is not None:
            from_ask[member] = (ask_id, outcome)
        extensions = []
        if rng.random() < 0.2:
            voters = len(here) - 1
            votes = rng.randrange(0, voters + 1)
            at = clock + timedelta(seconds=question + advice)
            extensions.append(
                {"minutes": 5, "votes_for": votes, "voters": voters}
                | {"granted": votes * 2 > voters, "at": stamp(at)}
            )
        notes = [
            w.note(clock + timedelta(seconds=60 * (k + 1)), part, member)
            for k, part in enumerate(rng.sample(("questions", "advice"), rng.choice((0, 1, 2))))
        ]
        asks.append(
            {
                "id": ask_id,
                "member_id": member,
                "text": w.text(words.ASKS),
                "wanted_seconds": float(rng.choice((600, 900))),
                "private": w.private(),
                "votes": rng.randrange(1, len(here) + 1),
                "question_seconds": round(question, 3),
                "advice_seconds": round(advice, 3),
                "extensions": extensions,
                "outcome": outcome,
                "commitment_id": None,
                "helpers": rng.sample(others, min(len(others), rng.choice((0, 1, 2, 3)))),
                "notes": notes,
                "done": True,
            }
        )
        clock += timedelta(seconds=question + advice)
    return asks, from_ask


def _checkin(w: _Writer, day: date) -> None:
    rng = w.rng
    member = rng.choice([m for m in w.members if w.open[m]] or w.members)
    if not w.open[member]:
        return
    checkin_id = w.new_id()
    at = datetime(day.year, day.month, day.day, rng.randrange(8, 21), tzinfo=UTC)
    statuses = {}
    for commitment_id in rng.sample(w.open[member], min(2, len(w.open[member]))):
        statuses[commitment_id] = w.review(commitment_id, at, "checkin", checkin_id)["status"]
    w.checkins.append(
        {
            "id": checkin_id,
            "group_id": w.group["id"],
            "member_id": member,
            "at": stamp(at),
            "statuses": statuses,
            "note": rng.choice(words.CHECKIN_NOTES) if rng.random() < 0.7 else None,
            "energy": rng.randrange(1, 6) if rng.random() < 0.8 else None,
            "private": False,
            "updated_at": stamp(at),
        }
    )


def make_bundle(spec: GroupSpec) -> Doc:
    """The whole history of the group ``spec`` describes, as one bundle."""
    rng = random.Random(f"peersession-benchmarks {spec.key}")
    last = LAST_WEEK - timedelta(days=1 + spec.number % 7)
    days = [last - timedelta(days=CADENCE_DAYS * k) for k in range(spec.sessions - 1, -1, -1)]
    first = days[0] if days else last
    names = ["Zoë [Dr.] O'Neil", *rng.sample(words.MEMBER_NAMES[:-1], spec.members - 1)]
    members = [{"id": f"{rng.getrandbits(48):012x}", "name": n, "active": True} for n in names]
    group: Doc = {
        "id": f"{rng.getrandbits(48):012x}",
        "name": spec.name,
        "members": members,
        "created_at": stamp(datetime(first.year, first.month, first.day, 9, tzinfo=UTC)),
        "cadence_days": CADENCE_DAYS,
        "length_minutes": 120,
        "ground_rules": list(words.RULES),
        "template": "full",
        "next_meeting": (last + timedelta(days=CADENCE_DAYS)).isoformat(),
        "agenda": None,
        "question_share": None,
        "extensions_minutes": None,
        "slot": {"anchor": last.isoformat(), "at": "16:00", "zone": "UTC"}
        | {"skipped": [], "moved": {}, "sequence": 0},
    }
    ids = [str(m["id"]) for m in members]
    writer = _Writer(rng, group, ids, open={m: [] for m in ids})
    for number, day in enumerate(days):
        _session(writer, day, number, spec.one_hit and number == len(days) // 2)
        if rng.random() < 0.5 and number + 1 < len(days):
            _checkin(writer, day + timedelta(days=rng.randrange(3, CADENCE_DAYS - 2)))
    return {
        "format": "peersession-bundle",
        "version": 1,
        "schema": 2,
        "exported_at": stamp(datetime(LAST_WEEK.year, LAST_WEEK.month, LAST_WEEK.day, tzinfo=UTC)),
        "exported_by": "peersession benchmarks",
        "includes_private": True,
        "group": group,
        "sessions": writer.sessions,
        "commitments": list(writer.commitments.values()),
        "checkins": writer.checkins,
    }


def searchable_texts(bundle: Doc) -> list[tuple[str, str]]:
    """(group id, text) of everything a search looks through: notes, asks and their
    outcomes, commitments (and their renegotiated texts), wins, check-in notes."""
    group_id = bundle["group"]["id"]
    texts: list[str] = []
    for session in bundle["sessions"]:
        texts += [n["text"] for n in session["notes"]]
        for turn in session["turns"]:
            texts += [n["text"] for n in turn["notes"]]
        for ask in session["asks"]:
            texts += [ask["text"], *(n["text"] for n in ask["notes"])]
            texts += [ask["outcome"]] if ask["outcome"] else []
        texts += [win["text"] for win in session["wins"]]
    for commitment in bundle["commitments"]:
        texts += [commitment["text"], *(r["text"] for r in commitment["reviews"] if r.get("text"))]
    texts += [c["note"] for c in bundle["checkins"] if c["note"]]
    return [(group_id, text) for text in texts]
