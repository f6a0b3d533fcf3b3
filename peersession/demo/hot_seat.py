"""The asks of one session: who takes the hot seat, for how long, and what comes of it.

Members who asked least lately are likelier to bring one; most asks end in an
"I will ..." that becomes a commitment; now and then the group votes more time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..core.templates import FULL
from .state import GroupState, iso, weighted
from .vocabulary import ADVICE_NOTES, ASKS, QUESTION_NOTES, SABBATICAL_ASK

if TYPE_CHECKING:
    from ..core.session_records import Commitment

#: An ask's template and the outcomes it may end in.
AskIdea = tuple[str, tuple[str, ...]]


def choose_askers(state: GroupState, index: int, attended: list[str]) -> list[tuple[str, AskIdea]]:
    """1 to 3 asks; members who asked least lately are likelier to bring one."""
    rng = state.rng
    count = min(len(attended), rng.choice((1, 2, 2, 2, 3, 3)))
    pool = list(attended)
    chosen: list[str] = []
    for _ in range(count):
        weights = [1.0 / (1 + state.recent_asks[m]) for m in pool]
        pick = rng.choices(pool, weights)[0]
        pool.remove(pick)
        chosen.append(pick)
    # Decay the tally so "lately" means the last few sessions.
    for m in state.recent_asks:
        state.recent_asks[m] = state.recent_asks[m] * 2 // 3
    asks = [(m, rng.choice(ASKS)) for m in chosen]
    if index == state.sabbatical_index:
        asks[0] = (asks[0][0], SABBATICAL_ASK)
    return asks


def hot_seat(
    state: GroupState,
    index: int,
    attended: list[str],
    t: datetime,
    session_id: str,
    next_iso: str,
) -> tuple[list[dict[str, Any]], list[Commitment], datetime]:
    """Every ask of session ``index`` from ``t``; returns the asks, their
    commitments and the moment the last one ended."""
    asks: list[dict[str, Any]] = []
    commitments: list[Commitment] = []
    for k, (asker, idea) in enumerate(choose_askers(state, index, attended)):
        ask, commitment, t = _one_ask(
            state, index, k, asker, idea, attended, t, session_id, next_iso
        )
        asks.append(ask)
        if commitment is not None:
            commitments.append(commitment)
    return asks, commitments, t


def _one_ask(
    state: GroupState,
    index: int,
    k: int,
    asker: str,
    idea: AskIdea,
    attended: list[str],
    t: datetime,
    session_id: str,
    next_iso: str,
) -> tuple[dict[str, Any], Commitment | None, datetime]:
    rng = state.rng
    template, outcomes = idea
    helpers_pool = [m for m in attended if m != asker]
    helpers = rng.sample(helpers_pool, k=min(len(helpers_pool), rng.randint(1, 3)))
    helper_name = state.names[helpers[0]] if helpers else state.names[asker]
    wanted = float(rng.choice((600, 600, 600, 900, 900, 720)))
    private = index != state.sabbatical_index and (
        rng.random() < 0.12 or (k == 0 and index == state.private_ask_index)
    )
    question = wanted * FULL.question_share * rng.uniform(0.7, 1.1)
    advice = (wanted - wanted * FULL.question_share) * rng.uniform(0.8, 1.05)
    t += timedelta(seconds=rng.uniform(10, 40))
    advice_start = t + timedelta(seconds=question)
    extensions: list[dict[str, Any]] = []
    force_extension = k == 0 and index == state.extension_index
    if rng.random() < 0.2 or force_extension:
        voters = len(attended) - 1
        extensions, advice = _extensions(state, voters, advice_start, advice, force_extension)
    ask_id = state.new_id()
    ask_notes: list[dict[str, Any]] = []
    for _ in range(weighted(rng, (0, 1, 2), (0.3, 0.75, 1.0))):
        at = t + timedelta(seconds=(question + advice) * rng.uniform(0.1, 0.95))
        part = "advice" if at >= advice_start else "questions"
        said = ADVICE_NOTES if part == "advice" else QUESTION_NOTES
        text = state.text(rng.choice(said), helper=helper_name)
        ask_notes.append(state.note(text, at, rng.random() < 0.08, part, asker))
    ask_notes.sort(key=lambda n: n["at"])
    t = advice_start + timedelta(seconds=advice)
    outcome: str | None = None
    commitment: Commitment | None = None
    if rng.random() < 0.85:
        outcome = state.text(rng.choice(outcomes), helper=helper_name)
        commitment = state.commitment(
            state.new_id(), asker, outcome, next_iso, private, session_id, t, ask_id
        )
    elif rng.random() < 0.5:
        helpers = []
    ask: dict[str, Any] = {
        "id": ask_id,
        "member_id": asker,
        "text": state.text(template, helper=helper_name),
        "wanted_seconds": wanted,
        "private": private,
        "votes": rng.randint(0, len(attended)),
        "question_seconds": round(question, 3),
        "advice_seconds": round(advice, 3),
        "extensions": extensions,
        "outcome": outcome,
        "commitment_id": commitment.id if commitment else None,
        "helpers": helpers,
        "notes": ask_notes,
        "done": True,
    }
    return ask, commitment, t


def _extensions(
    state: GroupState, voters: int, advice_start: datetime, advice: float, force: bool
) -> tuple[list[dict[str, Any]], float]:
    """The votes for more advice time, and the advice seconds they leave."""
    rng = state.rng
    extensions: list[dict[str, Any]] = []
    for minutes in FULL.extensions_minutes:
        votes_for = rng.randint(max(0, voters // 2 - 1), voters)
        if force and not extensions:
            votes_for = voters
        granted = votes_for * 2 > voters
        at = advice_start + timedelta(seconds=advice)
        extensions.append(
            {
                "minutes": minutes,
                "votes_for": votes_for,
                "voters": voters,
                "granted": granted,
                "at": iso(at),
            }
        )
        if not granted:
            break
        advice += minutes * 60 * rng.uniform(0.7, 1.0)
        if rng.random() < 0.7:
            break
    return extensions, advice
