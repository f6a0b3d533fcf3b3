"""A realistic, deterministic history of a peer-mentoring group.

``demo_history`` simulates the documents that months (or centuries, for
benchmarks) of real meetings would have left: attendance with the odd absence
and late arrival, a speaking order rotated from last time, update turns with
notes, asks in the hot seat whose "I will ..." becomes a commitment, reviews of
the previous session's commitments (so every member's completion rate is
different), wins, ratings and check-ins between sessions. Every document has
exactly the shape :func:`peersession.core.record.session_record` produces.

It is pure: no disk, no clock, no randomness but the seeded generator, so the
same arguments always give the same history.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import date as StdDate
from typing import TypeVar

import pendulum
from pendulum import Date

from .gc_pause import gc_paused as gc_paused  # re-exported for store.demo
from .model import (
    CLOSED_STATUSES,
    WIN_KINDS,
    AskDoc,
    AttendanceStatus,
    CheckinDoc,
    CommitmentDoc,
    ExtensionDoc,
    Group,
    Member,
    NoteDoc,
    ReviewDoc,
    ReviewStatus,
    SessionDoc,
    TurnDoc,
    WinDoc,
    WinKind,
)
from .record import SessionRecord
from .setup import rotate_order
from .slot import DEFAULT_AT, Slot
from .templates import FULL

#: A real name that is hostile to markup: brackets and an apostrophe.
HOSTILE_NAME = "Zoë [Dr.] O'Neil"
#: A word that appears once, in an ask three sessions ago, for search tests.
SEARCH_WORD = "sabbatical"

CADENCE_DAYS = 21
LENGTH_MINUTES = 120

_UTC = UTC
T = TypeVar("T")

_NAMES: tuple[str, ...] = (
    "Priya Raghunathan",
    "Mei-Ling Chen",
    "Kwame Mensah",
    "Siobhán Ní Bhriain",
    "José Álvarez-García",
    "Fatima Al-Sayed",
    "Hannah Schmidt",
    "Ngozi Okafor",
    "Björn Lindqvist",
    "Ana (Annie) D'Souza",
    "Rachel Goldberg",
    "Tomás Ortega",
    "Aiko Tanaka",
    "Leilani Kahananui",
    "Dmitri Volkov",
    "Amara Nwosu",
    "Sofía Castillo",
    "Grace Kim",
    "Olusegun Adeyemi",
    "Claire Dubois",
    "Nadia Haddad",
    "Elif Y\u0131lmaz",
    "Marcus Bell",
    "Ingrid Halvorsen",
    "Rohan Mehta",
    "Teresa Lucero",
    "Yusuf Demir",
)

GROUP_NAMES: tuple[str, ...] = (
    "Thursday Circle",
    "Women in Academic Medicine",
    "Early-Career Faculty",
    "Writing Accountability",
    "K Awardees",
    "Clinician Educators",
    "Junior PIs",
    "Mid-Career Leaders",
    "Tuesday Peer Group",
    "Grant Writers' Table",
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# -- vocabulary ---------------------------------------------------------------------

_VOCAB: dict[str, tuple[str, ...]] = {
    "grant": (
        "R01 resubmission",
        "K23 application",
        "foundation grant",
        "NSF CAREER proposal",
        "pilot grant",
        "R21 [resubmission]",
        "AHA career award",
        "VA merit award",
    ),
    "paper": (
        "the cohort paper",
        "the review article",
        "the methods paper",
        "the qualitative study write-up",
        "the case series",
        "the trial protocol paper",
        "the secondary analysis",
        "the perspective piece",
    ),
    "doc": (
        "promotion packet",
        "teaching portfolio",
        "tenure dossier",
        "mentoring plan",
        "personal statement",
        "biosketch",
        "IRB amendment",
        "lab budget",
    ),
    "conference": (
        "ADA Scientific Sessions",
        "PAS",
        "AcademyHealth",
        "the regional SGIM meeting",
        "the society's annual meeting",
    ),
    "award": (
        "early-career investigator award",
        "teaching excellence award",
        "mentoring award",
        "dean's innovation prize",
    ),
    "month": ("January", "March", "May", "August", "September", "November"),
    "project": ("the registry", "the pilot trial", "the biobank study", "the curriculum redesign"),
    "amount": ("$25k", "$50k", "$150k", "$1.2M"),
}

_ASKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "How do I negotiate protected research time with my chair?",
        (
            "I will ask the chair for 20% protected time, in writing",
            "I will bring a one-page proposal for protected time to my annual review",
        ),
    ),
    (
        "Should I take the associate program director role or protect my writing time?",
        (
            "I will ask for the role description and the salary support before deciding",
            "I will say no for now and revisit once {paper} is submitted",
        ),
    ),
    (
        "Reviewer 2 says [sic] the aims are 'overambitious' on the {grant}: rewrite or push back?",
        (
            "I will cut aim 3 and send the new aims page to {helper}",
            "I will draft a two-line rebuttal and run it past my K mentor",
        ),
    ),
    (
        "How do I say no to a third committee without hurting my promotion case?",
        (
            "I will decline the curriculum committee using the script we drafted",
            "I will ask the division chief which service counts for promotion",
        ),
    ),
    (
        "Feedback on the narrative section of my {doc}",
        (
            "I will rewrite the narrative around three themes and share it with {helper}",
            "I will send the {doc} to {helper} for a line edit",
        ),
    ),
    (
        "My co-author has sat on {paper} for four months. How do I move it forward?",
        (
            "I will set a two-week deadline and offer to take over the discussion",
            "I will call my co-author instead of emailing again",
        ),
    ),
    (
        "Two new RAs start next month: how do I run a first lab meeting?",
        (
            "I will write down lab expectations and share them at the first meeting",
            "I will borrow {helper}'s onboarding checklist",
        ),
    ),
    (
        "Is it worth applying for the {award} this cycle?",
        (
            "I will ask last year's winner for their application",
            "I will draft the nomination letter myself and send it to my sponsor",
        ),
    ),
    (
        "How do I handle a mentee who keeps missing deadlines?",
        (
            "I will set up fortnightly check-ins with written goals for my mentee",
            "I will have the direct conversation with my mentee this week",
        ),
    ),
    (
        "Budget cut by {amount} [again]: what do I drop from {project}?",
        (
            "I will rank the aims of {project} and cut the lowest one",
            "I will ask the program officer about a no-cost extension",
        ),
    ),
    (
        "Clinical service is eating my writing days: what works for you?",
        (
            "I will block Wednesday mornings for writing and decline meetings then",
            "I will ask the scheduler to cluster my clinics on two days",
        ),
    ),
    (
        "A counter-offer from another school came in: how do I negotiate a retention package?",
        (
            "I will list my three non-negotiables before talking to the dean",
            "I will ask {helper} to role-play the retention meeting with me",
        ),
    ),
)

_SABBATICAL_ASK = (
    "I'm thinking about a sabbatical next year: how do I plan it so it counts for promotion?",
    (
        "I will ask faculty affairs for the leave policy and two past proposals",
        "I will draft a one-page plan for the leave year and share it with {helper}",
    ),
)

_COMMITMENTS: tuple[str, ...] = (
    "Draft the specific aims page for the {grant}",
    "Send {paper} to co-authors for comments",
    "Block two writing mornings a week for {paper}",
    "Ask {peer} for feedback on my {doc}",
    "Email the chair about protected time",
    "Submit the abstract to {conference}",
    "Finish the response to reviewers on {paper}",
    "Update my CV and {doc}",
    "Say no to one new committee request",
    "Schedule a meeting with my sponsor about my {doc}",
    "Write 500 words a day on {paper}",
    "Read two funded {grant} applications",
    "Set up the data sharing agreement for {project}",
    "Take a full weekend off",
    "Meet my mentee about their {doc}",
    "Book the statistician for {project}",
    "Outline the discussion section of {paper}",
    "Ask the program officer about the {grant}",
)

_TURN_NOTES: tuple[str, ...] = (
    "Submitted the {grant}; waiting on the score",
    "Stuck on the discussion of {paper}",
    "New RA starts in {month}",
    "Clinic schedule changes in {month}",
    "Three deadlines this month: feeling stretched",
    "Good feedback on the {doc} from the division chief",
    "Data for {project} finally cleaned",
    "Invited to review for a journal [first time]",
    "Teaching load doubled next term",
    "{paper}: revise & resubmit",
)

_PRIVATE_NOTES: tuple[str, ...] = (
    "Considering leaving the department; keep this in the room",
    "Family health issue: may miss the next session",
    "Authorship conflict with a senior colleague",
    "Burned out; taking a week off",
    "Interviewing elsewhere",
)

_ASK_NOTES: tuple[str, ...] = (
    "Q: what does the chair actually control here?",
    "Q: is there a deadline on the decision?",
    "Advice: get it in writing",
    "Advice: use the faculty affairs template",
    "Advice: ask what success looks like in a year",
    "{helper} offered to read a draft",
    "Advice: protect the writing time first, then say yes",
)

_WINS: dict[WinKind, tuple[str, ...]] = {
    "promotion": (
        "Promoted to associate professor",
        "Promoted to full professor",
        "Named associate program director",
    ),
    "grant": (
        "{grant} funded!",
        "Pilot grant awarded ({amount})",
        "Fundable score on the {grant}",
    ),
    "publication": (
        "{paper} accepted",
        "First senior-author paper out",
        "Invited commentary published",
        "{paper} is online first",
    ),
    "award": (
        "Won the {award}",
        "Best abstract at {conference}",
        "Residents' teaching award",
    ),
    "personal": (
        "Ran a half marathon",
        "Took a real vacation: no email!",
        "Kid started kindergarten",
        "Moved into the new house",
    ),
    "other": (
        "Invited to a study section as an early-career reviewer",
        "Keynote invitation at {conference}",
        "Mentee matched into fellowship",
        "Said no to a committee and felt fine",
    ),
}

_PRIVATE_WINS: tuple[str, ...] = (
    "Finally got a diagnosis sorted out",
    "Negotiated a raise",
    "Got through a hard conversation with my chair",
)

_WIN_CUMULATIVE: tuple[float, ...] = (0.05, 0.25, 0.55, 0.65, 0.88, 1.0)

_RENEGOTIATED: tuple[str, ...] = (
    "First step only: {text}",
    "{text} (scaled back)",
    "{text}, with help from the group",
)

_REVIEW_NOTES: tuple[str, ...] = (
    "Reviewer comments took priority",
    "Out sick for a week",
    "Halfway there",
    "Chair postponed the meeting",
    "Clinical weeks got in the way",
    "Waiting on co-authors",
)

_SESSION_NOTES: tuple[str, ...] = (
    "Agreed to try the quick template over the holidays",
    "Next host: {peer}",
    "Room booked through {month}",
    "Reminder: everything stays in confidence",
    "Talked about inviting a new member in {month}",
)

_CHECKIN_NOTES: tuple[str, ...] = (
    "Quick update before the next session",
    "Made progress on the draft",
    "Travel week, not much done",
    "On track",
    "Grant deadline ate my week",
)


@dataclass(frozen=True)
class DemoHistory:
    """A group and what its finished sessions and check-ins left (oldest first)."""

    group: Group
    records: list[SessionRecord]
    #: Check-ins between sessions, each with the dated reviews it made.
    checkins: list[tuple[CheckinDoc, dict[str, ReviewDoc]]] = field(default_factory=list)

    @property
    def sessions(self) -> list[SessionDoc]:
        return [r.session for r in self.records]

    def commitments(self) -> list[CommitmentDoc]:
        """Every commitment as the history holds it: with all later reviews applied."""
        return apply_reviews(self.records, self.checkins)


def apply_reviews(
    records: list[SessionRecord],
    checkins: list[tuple[CheckinDoc, dict[str, ReviewDoc]]],
) -> list[CommitmentDoc]:
    """Fresh copies of the records' commitments with every session and check-in
    review appended in date order, as ``HistoryStore`` would leave them."""
    docs: dict[str, CommitmentDoc] = {}
    for record in records:
        for c in record.commitments:
            docs[c["id"]] = {**c, "reviews": list(c["reviews"])}

    def add(commitment_id: str, review: ReviewDoc, updated_at: str) -> None:
        doc = docs.get(commitment_id)
        if doc is None:
            return
        doc["reviews"].append(review.copy())
        if updated_at > doc["updated_at"]:
            doc["updated_at"] = updated_at

    for record in records:
        for commitment_id, review in record.reviews.items():
            add(commitment_id, review, record.session["ended_at"])
    for checkin, reviews in checkins:
        for commitment_id, review in reviews.items():
            add(commitment_id, review, checkin["at"])
    for doc in docs.values():
        doc["reviews"].sort(key=lambda r: r["at"])
    return list(docs.values())


# -- the simulation -------------------------------------------------------------------


@dataclass
class _Profile:
    """How a member tends to behave: the source of differing completion rates."""

    reliability: float
    absence: float
    lateness: float
    mood: float
    chatty: float


@dataclass
class _Open:
    """A commitment not yet done or dropped."""

    id: str
    owner: str
    made_at: str
    #: The current text (after any renegotiation).
    text: str
    session_reviews: int = 0
    renegotiated: bool = False


class _Subs(dict[str, str]):
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
        return self.rng.choice(_VOCAB[key])


_MISSED: tuple[ReviewStatus, ...] = ("partial", "not_done", "renegotiated", "dropped")


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _weighted(rng: random.Random, values: Sequence[T], cumulative: Sequence[float]) -> T:
    """One of ``values`` by cumulative weights ending at 1.0 (faster than ``choices``)."""
    return values[bisect_right(cumulative, rng.random())]


class _Simulation:
    def __init__(self, rng: random.Random, group: Group, total: int) -> None:
        self.rng = rng
        self.group = group
        self.member_ids = [m.id for m in group.members]
        self.rank = {m: i for i, m in enumerate(self.member_ids)}
        self.names = {m.id: m.name for m in group.members}
        self.name_list = [m.name for m in group.members]
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
            m: _Profile(
                reliability=reliabilities[i],
                absence=rng.uniform(0.02, 0.12),
                lateness=rng.uniform(0.02, 0.1),
                mood=rng.uniform(7.2, 9.2),
                chatty=rng.uniform(0.8, 1.15),
            )
            for i, m in enumerate(self.member_ids)
        }
        self.open: dict[str, _Open] = {}
        self.last_order: list[str] = []
        self.recent_asks: dict[str, int] = dict.fromkeys(self.member_ids, 0)

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def text(self, template: str, **fixed: str) -> str:
        if "{" not in template:
            return template
        return template.format_map(_Subs(self.rng, fixed, self.name_list))

    def note(
        self,
        text: str,
        at: datetime,
        private: bool = False,
        part: str | None = None,
        member_id: str | None = None,
    ) -> NoteDoc:
        note: NoteDoc = {"id": self.new_id(), "text": text, "private": private, "at": _iso(at)}
        # Where it was taken, as a live session records it (no randomness spent).
        if part is not None and member_id is not None:
            note["part"] = part
            note["member_id"] = member_id
        return note

    # -- one session -------------------------------------------------------------

    def session(self, index: int, day: StdDate, next_day: StdDate) -> SessionRecord:
        rng = self.rng
        session_id = self.new_id()
        group_id = self.group.id
        next_iso = next_day.isoformat()
        start = datetime(day.year, day.month, day.day, 16, 0, tzinfo=_UTC) + timedelta(
            seconds=rng.randrange(0, 600)
        )

        # Attendance: mostly present, the odd absence or late arrival.
        attendance: dict[str, AttendanceStatus] = {}
        for m in self.member_ids:
            p = self.profiles[m]
            r = rng.random()
            attendance[m] = (
                "absent" if r < p.absence else "late" if r < p.absence + p.lateness else "present"
            )
        forced: AttendanceStatus | None = (
            "late" if index == self.late_index else "absent" if index == self.absent_index else None
        )
        if forced and forced not in attendance.values():
            attendance[rng.choice(self.member_ids)] = forced
        needed = min(4, len(self.member_ids))
        for m in self.member_ids:
            if sum(1 for s in attendance.values() if s != "absent") >= needed:
                break
            attendance[m] = "present"
        attended = [m for m in self.member_ids if attendance[m] != "absent"]
        in_room = [m for m in self.member_ids if attendance[m] == "present"] or attended

        # Who went first last time goes last; late arrivals join the end of the queue.
        planned = (
            rotate_order(self.member_ids, self.last_order)
            if self.last_order
            else tuple(self.member_ids)
        )
        order = [m for m in planned if attendance[m] == "present"]
        order += [m for m in planned if attendance[m] == "late"]
        self.last_order = order

        notes: list[NoteDoc] = []
        t = start + timedelta(seconds=rng.uniform(270, 480))  # opening
        if rng.random() < 0.15:
            notes.append(self.note(self.text(rng.choice(_SESSION_NOTES)), t))

        # Wins.
        wins: list[WinDoc] = []
        win_count = _weighted(rng, (0, 1, 2, 3), (0.1, 0.45, 0.8, 1.0))
        force_private = index == self.private_win_index
        for n in range(max(win_count, int(force_private))):
            t += timedelta(seconds=rng.uniform(60, 180))
            member = rng.choice(attended)
            private = rng.random() < 0.1 or (force_private and n == 0)
            if private:
                kind: WinKind = rng.choice(("personal", "other"))
                text = rng.choice(_PRIVATE_WINS)
            else:
                kind = _weighted(rng, WIN_KINDS, _WIN_CUMULATIVE)
                text = self.text(rng.choice(_WINS[kind]))
            wins.append(
                {
                    "id": self.new_id(),
                    "member_id": member,
                    "kind": kind,
                    "text": text,
                    "private": private,
                    "at": _iso(t),
                }
            )
        t += timedelta(seconds=rng.uniform(30, 90))

        # Review of earlier commitments still open, owners in the room.
        reviews: dict[str, ReviewDoc] = {}
        items = sorted(
            (o for o in self.open.values() if attendance[o.owner] != "absent"),
            key=lambda o: (self.rank[o.owner], o.made_at),
        )
        for item in items:
            t += timedelta(seconds=rng.uniform(40, 100))
            reviews[item.id] = self.review(item, t, session_id, next_iso)
        t += timedelta(seconds=rng.uniform(30, 90))

        # Updates: one timeboxed turn each.
        fixed = sum(p.minutes or 0.0 for p in FULL.phases) * 60
        talking = LENGTH_MINUTES * 60 - fixed
        turn_budget = min(max(talking * FULL.update_share / len(in_room), 60.0), 1200.0)
        turns: list[TurnDoc] = []
        for m in order:
            passed = rng.random() < 0.04
            if passed:
                seconds = rng.uniform(8, 30)
                turn_notes: list[NoteDoc] = []
            else:
                seconds = turn_budget * self.profiles[m].chatty * rng.uniform(0.8, 1.25)
                turn_notes = []
                for _ in range(_weighted(rng, (0, 1, 2), (0.35, 0.8, 1.0))):
                    at = t + timedelta(seconds=seconds * rng.uniform(0.2, 0.9))
                    if rng.random() < 0.1:
                        turn_notes.append(
                            self.note(rng.choice(_PRIVATE_NOTES), at, True, "update", m)
                        )
                    else:
                        text = self.text(rng.choice(_TURN_NOTES))
                        turn_notes.append(self.note(text, at, False, "update", m))
                turn_notes.sort(key=lambda n: n["at"])
            turns.append(
                {
                    "member_id": m,
                    "seconds": round(seconds, 3),
                    "passed": passed,
                    "notes": turn_notes,
                }
            )
            t += timedelta(seconds=seconds + rng.uniform(3, 20))

        # Asks: the hot seat.
        commitments: list[CommitmentDoc] = []
        asks: list[AskDoc] = []
        for k, ask in enumerate(self.asks(index, attended)):
            asker, (template, outcomes) = ask
            helpers_pool = [m for m in attended if m != asker]
            helpers = rng.sample(helpers_pool, k=min(len(helpers_pool), rng.randint(1, 3)))
            helper_name = self.names[helpers[0]] if helpers else self.names[asker]
            wanted = float(rng.choice((600, 600, 600, 900, 900, 720)))
            private = index != self.sabbatical_index and (
                rng.random() < 0.12 or (k == 0 and index == self.private_ask_index)
            )
            question = wanted * FULL.question_share * rng.uniform(0.7, 1.1)
            advice = (wanted - wanted * FULL.question_share) * rng.uniform(0.8, 1.05)
            extensions: list[ExtensionDoc] = []
            t += timedelta(seconds=rng.uniform(10, 40))
            advice_start = t + timedelta(seconds=question)
            force_extension = k == 0 and index == self.extension_index
            if rng.random() < 0.2 or force_extension:
                voters = len(attended) - 1
                for minutes in FULL.extensions_minutes:
                    votes_for = rng.randint(max(0, voters // 2 - 1), voters)
                    if force_extension and not extensions:
                        votes_for = voters
                    granted = votes_for * 2 > voters
                    at = advice_start + timedelta(seconds=advice)
                    extensions.append(
                        {
                            "minutes": minutes,
                            "votes_for": votes_for,
                            "voters": voters,
                            "granted": granted,
                            "at": _iso(at),
                        }
                    )
                    if not granted:
                        break
                    advice += minutes * 60 * rng.uniform(0.7, 1.0)
                    if rng.random() < 0.7:
                        break
            ask_id = self.new_id()
            ask_notes: list[NoteDoc] = []
            for _ in range(_weighted(rng, (0, 1, 2), (0.3, 0.75, 1.0))):
                at = t + timedelta(seconds=(question + advice) * rng.uniform(0.1, 0.95))
                text = self.text(rng.choice(_ASK_NOTES), helper=helper_name)
                part = "advice" if at >= advice_start else "questions"
                ask_notes.append(self.note(text, at, rng.random() < 0.08, part, asker))
            ask_notes.sort(key=lambda n: n["at"])
            t = advice_start + timedelta(seconds=advice)
            outcome: str | None = None
            commitment_id: str | None = None
            if rng.random() < 0.85:
                outcome = self.text(rng.choice(outcomes), helper=helper_name)
                commitment_id = self.new_id()
                commitments.append(
                    self.commitment(
                        commitment_id, asker, outcome, next_iso, private, session_id, t, ask_id
                    )
                )
            elif rng.random() < 0.5:
                helpers = []
            asks.append(
                {
                    "id": ask_id,
                    "member_id": asker,
                    "text": self.text(template, helper=helper_name),
                    "wanted_seconds": wanted,
                    "private": private,
                    "votes": rng.randint(0, len(attended)),
                    "question_seconds": round(question, 3),
                    "advice_seconds": round(advice, 3),
                    "extensions": extensions,
                    "outcome": outcome,
                    "commitment_id": commitment_id,
                    "helpers": helpers,
                    "notes": ask_notes,
                    "done": True,
                }
            )
        t += timedelta(seconds=rng.uniform(30, 120))

        # Commitments: everyone leaves with at least one.
        from_asks = {c["owner"] for c in commitments}
        for m in order:
            count = int(rng.random() < 0.55) if m in from_asks else 1
            count += int(rng.random() < 0.2)
            for _ in range(count):
                t += timedelta(seconds=rng.uniform(50, 110))
                template = rng.choice(_COMMITMENTS)
                if "{peer}" in template:
                    peer = rng.choice([x for x in self.member_ids if x != m])
                    text = self.text(template, peer=self.names[peer].split()[0])
                else:
                    text = self.text(template)
                commitments.append(
                    self.commitment(
                        self.new_id(), m, text, next_iso, rng.random() < 0.08, session_id, t, None
                    )
                )
        for c in commitments:
            self.open[c["id"]] = _Open(c["id"], c["owner"], c["made_at"], c["text"])

        # Close: ratings, a note, the next date.
        t += timedelta(seconds=rng.uniform(120, 300))
        ratings = {
            m: max(6, min(10, round(rng.gauss(self.profiles[m].mood, 0.9)))) for m in attended
        }
        if rng.random() < 0.35:
            notes.append(self.note(self.text(rng.choice(_SESSION_NOTES)), t, rng.random() < 0.1))
        ended = t + timedelta(seconds=rng.uniform(120, 300))
        ended_iso = _iso(ended)
        for c in commitments:
            c["updated_at"] = ended_iso

        for a in asks:
            self.recent_asks[a["member_id"]] += 1
        session: SessionDoc = {
            "id": session_id,
            "group_id": group_id,
            "template": FULL.name,
            "started_at": _iso(start),
            "ended_at": ended_iso,
            "planned_minutes": LENGTH_MINUTES,
            "attendance": attendance,
            "order": order,
            "turns": turns,
            "asks": asks,
            "wins": wins,
            "commitment_ids": [c["id"] for c in commitments],
            "reviews": reviews,
            "ratings": ratings,
            "notes": notes,
            "next_meeting": next_iso,
            "updated_at": ended_iso,
        }
        return SessionRecord(session=session, commitments=commitments, reviews=reviews)

    def asks(
        self, index: int, attended: list[str]
    ) -> list[tuple[str, tuple[str, tuple[str, ...]]]]:
        """1 to 3 asks; members who asked least lately are likelier to bring one."""
        rng = self.rng
        count = min(len(attended), rng.choice((1, 2, 2, 2, 3, 3)))
        pool = list(attended)
        chosen: list[str] = []
        for _ in range(count):
            weights = [1.0 / (1 + self.recent_asks[m]) for m in pool]
            pick = rng.choices(pool, weights)[0]
            pool.remove(pick)
            chosen.append(pick)
        # Decay the tally so "lately" means the last few sessions.
        for m in self.recent_asks:
            self.recent_asks[m] = self.recent_asks[m] * 2 // 3
        asks = [(m, rng.choice(_ASKS)) for m in chosen]
        if index == self.sabbatical_index:
            asks[0] = (asks[0][0], _SABBATICAL_ASK)
        return asks

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
    ) -> CommitmentDoc:
        return {
            "id": commitment_id,
            "group_id": self.group.id,
            "owner": owner,
            "text": text,
            "due": due,
            "private": private,
            "made_at": _iso(at),
            "made_in": session_id,
            "from_ask": from_ask,
            "reviews": [],
            "updated_at": "",
        }

    def review(self, item: _Open, at: datetime, session_id: str, next_iso: str) -> ReviewDoc:
        rng = self.rng
        reliability = self.profiles[item.owner].reliability
        status: ReviewStatus
        if item.session_reviews >= 2:
            # Carried twice already: finish it or let it go.
            status = "done" if rng.random() < reliability else "dropped"
        elif rng.random() < reliability:
            status = "done"
        else:
            status = _weighted(rng, _MISSED, (0.35, 0.65, 0.85, 1.0))
        doc: ReviewDoc = {
            "at": _iso(at),
            "status": status,
            "source": "session",
            "source_id": session_id,
        }
        if status == "renegotiated":
            # A smaller version of the same promise, due next time (the second
            # time round only the date moves).
            if not item.renegotiated:
                text = item.text
                if text.startswith("I will "):
                    text = text[len("I will ") :].capitalize()
                item.text = rng.choice(_RENEGOTIATED).format(text=text)
                doc["text"] = item.text
                item.renegotiated = True
            doc["due"] = next_iso
        if status != "done" and rng.random() < 0.35:
            doc["note"] = rng.choice(_REVIEW_NOTES)
        item.session_reviews += 1
        if status in CLOSED_STATUSES:
            del self.open[item.id]
        return doc

    def run(
        self, days: list[StdDate], next_meeting: StdDate, today: StdDate
    ) -> tuple[list[SessionRecord], list[tuple[CheckinDoc, dict[str, ReviewDoc]]]]:
        """Every session on ``days`` with the check-ins between them."""
        records: list[SessionRecord] = []
        checkins: list[tuple[CheckinDoc, dict[str, ReviewDoc]]] = []
        since_checkin = 0
        for index, day in enumerate(days):
            following = days[index + 1] if index + 1 < len(days) else next_meeting
            records.append(self.session(index, day, following))
            is_last = index + 1 == len(days)
            # Check-ins happen before the next session, and never on or after today.
            before = today if is_last else following
            checkin = self.checkin(day, before, force=is_last or since_checkin >= 3)
            if checkin is None:
                since_checkin += 1
            else:
                checkins.append(checkin)
                since_checkin = 0
        return records, checkins

    # -- check-ins between sessions ---------------------------------------------------

    def checkin(
        self, after: StdDate, before: StdDate, force: bool
    ) -> tuple[CheckinDoc, dict[str, ReviewDoc]] | None:
        """Maybe a member's check-in on their open commitments between two dates."""
        rng = self.rng
        first = after + timedelta(days=1)
        span = (before - first).days
        if span < 1 or not self.open or (not force and rng.random() > 0.35):
            return None
        owners = sorted({o.owner for o in self.open.values()}, key=self.rank.__getitem__)
        member = rng.choice(owners)
        day = first + timedelta(days=rng.randrange(span))
        at = _iso(
            datetime(
                day.year, day.month, day.day, rng.randint(7, 21), rng.randrange(60), tzinfo=_UTC
            )
        )
        checkin_id = self.new_id()
        reliability = self.profiles[member].reliability
        mine = [o for o in self.open.values() if o.owner == member][:3]
        statuses: dict[str, ReviewStatus] = {}
        reviews: dict[str, ReviewDoc] = {}
        for item in mine:
            r = rng.random()
            status: ReviewStatus = (
                "done" if r < reliability * 0.5 else "partial" if r < 0.85 else "not_done"
            )
            statuses[item.id] = status
            reviews[item.id] = {
                "at": at,
                "status": status,
                "source": "checkin",
                "source_id": checkin_id,
            }
            if status in CLOSED_STATUSES:
                del self.open[item.id]
        checkin: CheckinDoc = {
            "id": checkin_id,
            "group_id": self.group.id,
            "member_id": member,
            "at": at,
            "statuses": statuses,
            "note": rng.choice(_CHECKIN_NOTES) if rng.random() < 0.7 else None,
            "energy": rng.randint(1, 5) if rng.random() < 0.8 else None,
            "private": rng.random() < 0.15,
            "updated_at": at,
        }
        return checkin, reviews


def _meeting_weekday(group_name: str, rng: random.Random) -> int:
    lowered = group_name.casefold()
    for number, day in enumerate(_WEEKDAYS):
        if day in lowered:
            return number
    return rng.choice((0, 1, 2, 3, 4))


def _member_names(count: int, rng: random.Random) -> list[str]:
    others = rng.sample(_NAMES, k=min(count - 1, len(_NAMES)))
    names = [HOSTILE_NAME, *others]
    names += [f"Member {i}" for i in range(len(names) + 1, count + 1)]
    rng.shuffle(names)
    return names


def demo_history(
    *,
    seed: int = 7,
    today: Date,
    sessions: int | None = None,
    months: int = 6,
    members: int = 8,
    group_name: str = "Thursday Circle",
) -> DemoHistory:
    """A deterministic history of ``group_name`` up to (not including) ``today``.

    Sessions fall every 21 days on the group's weekday, the last one within
    the week before ``today``; there are as many as fit in ``months``, or
    exactly ``sessions`` going back in time (for benchmarks). The group's next
    meeting is the one after ``today``.
    """
    if members < 2:
        raise ValueError("a demo group needs at least two members")
    if sessions is not None and sessions < 0:
        raise ValueError("sessions cannot be negative")
    rng = random.Random(seed)
    today_std = StdDate(today.year, today.month, today.day)
    weekday = _meeting_weekday(group_name, rng)
    last = today_std - timedelta(days=(today_std.weekday() - weekday - 1) % 7 + 1)
    next_meeting = last + timedelta(days=CADENCE_DAYS)
    if sessions is None:
        since = pendulum.date(today.year, today.month, today.day).subtract(months=months)
        earliest = StdDate(since.year, since.month, since.day)
        count = (last - earliest).days // CADENCE_DAYS + 1 if last >= earliest else 0
    else:
        count = sessions
    if count and (last - StdDate.min).days < (count - 1) * CADENCE_DAYS + 30:
        raise ValueError(f"{count} sessions every {CADENCE_DAYS} days do not fit before {today}")
    days = [last - timedelta(days=CADENCE_DAYS * k) for k in range(count - 1, -1, -1)]

    first_day = days[0] if days else today_std
    created = first_day - timedelta(days=14)
    group = Group(
        id=f"{rng.getrandbits(48):012x}",
        name=group_name,
        members=tuple(
            Member(f"{rng.getrandbits(48):012x}", name) for name in _member_names(members, rng)
        ),
        cadence_days=CADENCE_DAYS,
        length_minutes=LENGTH_MINUTES,
        template=FULL.name,
        next_meeting=pendulum.date(next_meeting.year, next_meeting.month, next_meeting.day),
        created_at=pendulum.datetime(created.year, created.month, created.day, 15, tz="UTC"),
        # The simulated sessions start at 16:00 UTC on the group's weekday.
        slot=Slot(anchor=pendulum.date(last.year, last.month, last.day), at=DEFAULT_AT, zone="UTC"),
    )

    simulation = _Simulation(rng, group, total=count)
    with gc_paused():
        records, checkins = simulation.run(days, next_meeting, today_std)
    return DemoHistory(group=group, records=records, checkins=checkins)


def demo_archive(
    *,
    groups: int,
    sessions_per_group: int,
    today: Date,
    seed: int = 7,
) -> list[DemoHistory]:
    """Many demo groups with distinct names and ids (for benchmarks)."""
    histories = []
    with gc_paused():
        for i in range(groups):
            name = GROUP_NAMES[i % len(GROUP_NAMES)]
            if i >= len(GROUP_NAMES):
                name = f"{name} {i // len(GROUP_NAMES) + 1}"
            histories.append(
                demo_history(
                    seed=seed * 1_000 + i, today=today, sessions=sessions_per_group, group_name=name
                )
            )
    return histories
