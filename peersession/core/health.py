"""The group's health check: five questions at the Close, every few sessions.

Lord et al. (Acad Med 2012) found a four-year peer group drifting on
scheduling, focus and the balance of personal and professional talk, and
found it only through an outside evaluation. Every ``health_every`` sessions
(the session's number in the group's history, counted from 1) the Close phase
asks each member present five questions, scored 1 to 5; a group that wants it
anonymous enters only how many gave each score. The trend of each question is
shown beside the ratings, and a low question puts a "how we work" item on the
next session's agenda.

The low rule, in one place (:func:`is_low`): a question is low when its mean
is below 3, or when more than half of its answers are 1 or 2.

Pure: the engine, the history, ``group show`` and the report all read these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, get_args

from .record_values import HealthQuestion

if TYPE_CHECKING:
    from .session_records import HealthCheck, Session

QUESTIONS: tuple[HealthQuestion, ...] = get_args(HealthQuestion)

#: The question as asked (Lord et al.'s failure modes, put positively).
ASKED: dict[HealthQuestion, str] = {
    "safe": "It feels safe and confidential",
    "focus": "We stay focused",
    "balance": "The balance of personal and professional is right",
    "schedule": "The schedule works",
    "worth": "It is worth my time",
}
#: The same in a word or two, for trends and tables.
SHORT: dict[HealthQuestion, str] = {
    "safe": "Safe",
    "focus": "Focus",
    "balance": "Balance",
    "schedule": "Schedule",
    "worth": "Worth it",
}

LOWEST, HIGHEST = 1, 5
#: A new group's check comes every sixth session.
DEFAULT_EVERY = 6
#: More sessions apart than a weekly group meets in a year is no check at all.
MAX_EVERY = 52
#: How many may give one score when the counts are entered anonymously: a group
#: is a handful of peers, and a typo of 77 must not pass.
MAX_COUNT = 99


def check_every(value: object, what: str = "--health-every") -> int:
    """Sessions between two checks (0: never), or ValueError saying the rule."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_EVERY:
        raise ValueError(f"{what} is a whole number of sessions from 0 (never) to {MAX_EVERY}")
    return value


def parse_every(text: str, what: str = "--health-every") -> int:
    """``6`` → 6; anything but a whole number from 0 to :data:`MAX_EVERY` is refused."""
    raw = text.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 3:
        raise ValueError(f"{what} is a whole number of sessions from 0 (never) to {MAX_EVERY}")
    return check_every(int(raw), what)


def is_check_session(number: int, every: int) -> bool:
    """Whether session ``number`` (1 for the group's first) has a check."""
    return every > 0 and number > 0 and number % every == 0


def question_named(name: str) -> HealthQuestion:
    for question in QUESTIONS:
        if question == name:
            return question
    raise ValueError(f"a health question is one of {', '.join(QUESTIONS)}")


# -- reading a check -----------------------------------------------------------------------

Counts = tuple[int, int, int, int, int]


def tally(doc: HealthCheck) -> dict[HealthQuestion, Counts]:
    """How many gave each score (1 to 5) to each question."""
    counts: dict[HealthQuestion, list[int]] = {q: [0] * 5 for q in QUESTIONS}
    if doc.anonymous:
        for question, given in (doc.counts or {}).items():
            if question in counts and len(given) == 5:
                counts[question_named(question)] = list(given)
    else:
        for scores in (doc.scores or {}).values():
            for question, score in scores.items():
                if question in counts and LOWEST <= score <= HIGHEST:
                    counts[question_named(question)][score - 1] += 1
    return {q: (c[0], c[1], c[2], c[3], c[4]) for q, c in counts.items()}


def mean(counts: Sequence[int]) -> float | None:
    """The mean score, or None when no one answered."""
    answers = sum(counts)
    if not answers:
        return None
    return sum(score * n for score, n in enumerate(counts, LOWEST)) / answers


def is_low(counts: Sequence[int]) -> bool:
    """The rule: a mean below 3, or more than half the answers 1 or 2."""
    average = mean(counts)
    if average is None:
        return False
    return average < 3 or 2 * (counts[0] + counts[1]) > sum(counts)


def low_questions(doc: HealthCheck) -> list[HealthQuestion]:
    """The questions of a check that are low, in the order they are asked."""
    return [q for q, counts in tally(doc).items() if is_low(counts)]


def answered(doc: HealthCheck) -> bool:
    return any(sum(c) for c in tally(doc).values())


def how_we_work(sessions: Sequence[Session]) -> tuple[HealthQuestion, ...]:
    """What the next session should talk about: the low questions of the last
    session's check (nothing when the last session had none, or none low)."""
    if not sessions:
        return ()
    check = sessions[-1].health
    return tuple(low_questions(check)) if check else ()


def how_we_work_line(questions: Iterable[HealthQuestion]) -> str | None:
    """The agenda item in words, or None."""
    named = [SHORT[q].lower() for q in questions]
    if not named:
        return None
    return f"How we work: the last health check was low on {', '.join(named)}"


# -- the trend -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthPoint:
    """One check: its session and the mean of each question (None: unanswered)."""

    session_id: str
    started_at: str
    means: Mapping[HealthQuestion, float | None]
    anonymous: bool


def checks(sessions: Iterable[Session]) -> list[HealthPoint]:
    """Every answered check, oldest first (``sessions`` oldest first)."""
    points = []
    for session in sessions:
        check = session.health
        if not check or not answered(check):
            continue
        points.append(
            HealthPoint(
                session.id,
                session.started_at,
                {q: mean(c) for q, c in tally(check).items()},
                bool(check.anonymous),
            )
        )
    return points


def arrow(before: float | None, after: float | None) -> str:
    """↑, ↓ or → from one check to the next (a quarter point counts as a change)."""
    if before is None or after is None:
        return " "
    if after - before >= 0.25:
        return "↑"
    if before - after >= 0.25:
        return "↓"
    return "→"


@dataclass(frozen=True)
class QuestionTrend:
    question: HealthQuestion
    #: The mean at each check that answered it, oldest first.
    means: tuple[float, ...]

    @property
    def last(self) -> float | None:
        return self.means[-1] if self.means else None

    @property
    def direction(self) -> str:
        if len(self.means) < 2:
            return " "
        return arrow(self.means[-2], self.means[-1])

    def figure(self) -> str:
        """``3.8↑`` (the last mean and where it went), or a dash before any answer."""
        return "–" if self.last is None else f"{self.last:.1f}{self.direction.strip()}"


def trend(points: Sequence[HealthPoint]) -> list[QuestionTrend]:
    """Each question's means over the checks, in the order they are asked."""
    return [
        QuestionTrend(q, tuple(m for p in points if (m := p.means.get(q)) is not None))
        for q in QUESTIONS
    ]
