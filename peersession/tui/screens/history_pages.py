"""The blocks of the two long history pages: a session in full, a member's timeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.content import Content

from ...core.accountability import airtime, average_rating
from ...core.commitment_state import REVIEW_LABELS, commitment_status
from ...core.durations import format_duration
from ...core.lifecycle import members_here
from ...core.local_days import local_day
from ...core.model import parse_datetime_doc
from ...core.recap import ReviewedGoal, build_recap
from ...core.slot import machine_zone
from ...core.slot_labels import in_group_zone
from ...core.words import plural
from ..text import literal
from ..widgets.history_blocks import (
    Block,
    commitment_block,
    heading,
    note_lines,
    review_day,
    review_line,
)
from ..widgets.panel import private_tag
from ..widgets.recap import render_recap
from .history_data import GroupHistory, day_label

if TYPE_CHECKING:
    from ...core.session_records import Ask, Checkin, Commitment, Review, Session


def session_title(data: GroupHistory, session: Session) -> Content:
    """``Thu 5 Mar 2026 · full · 16:00 to 17:58 (1h58m) · 7 of 8 here · rating 8.4``."""
    start = parse_datetime_doc(session.started_at)
    end = parse_datetime_doc(session.ended_at)
    here, roll, guests = members_here(session)
    rating = average_rating(session)
    # In the group's zone, with its offset when this machine is elsewhere.
    ends = in_group_zone(end, data.zone, machine_zone(), "HH:mm")
    parts = [
        day_label(start.in_timezone(data.zone).date()),
        session.template,
        f"{start.in_timezone(data.zone):%H:%M}–{ends} "
        f"({format_duration((end - start).total_seconds())})",
        f"{here} of {roll} here" + (f", {plural(guests, 'guest')}" if guests else ""),
    ]
    if rating is not None:
        parts.append(f"rating {rating:.1f}")
    return Content.styled(" · ".join(parts), "bold")


def _ask_block(data: GroupHistory, ask: Ask, with_name: bool = True) -> Block:
    name = data.group.name_of
    who = Content.assemble(literal(name(ask.member_id)), " asked: ") if with_name else "ask: "
    lines = [Content.assemble(who, literal(ask.text), private_tag(ask.private))]
    facts = [f"questions {format_duration(ask.question_seconds)}"]
    facts.append(f"advice {format_duration(ask.advice_seconds)}")
    granted = [e for e in ask.extensions if e.granted]
    if granted:
        facts.append(f"extended {len(granted)}×")
    if ask.votes:
        facts.append(plural(ask.votes, "vote"))
    lines.append(Content.styled("  " + " · ".join(facts), "dim"))
    if ask.helpers:
        helpers = ", ".join(name(h) for h in ask.helpers)
        lines.append(Content.assemble("  help from ", literal(helpers)))
    targets = [ask.id, *(n.id for n in ask.notes)]
    if ask.outcome:
        outcome = Content.assemble("  → ", literal(ask.outcome))
        commitment = data.commitment(ask.commitment_id or "")
        if commitment is not None:
            status = REVIEW_LABELS.get(commitment_status(commitment), "open")
            outcome = Content.assemble(outcome, Content.styled(f"  (now {status})", "dim"))
        lines.append(outcome)
    else:
        lines.append(Content.styled("  no outcome recorded", "dim"))
    lines += note_lines(ask.notes, "    ")
    return Block(Content("\n").join(lines), targets)


def session_blocks(data: GroupHistory, session: Session) -> list[Block]:
    """The recap, then everything in full, each item addressable for landing."""
    name = data.group.name_of
    goals = {g.id: ReviewedGoal(g.owner, g.title, g.private) for g in data.goals}
    sections = build_recap(
        data.group, session, data.made_in(session), data.reviewed_in(session), goals=goals
    )
    # The recap says where each goal stood: a search hit on what was said lands here.
    reviewed = list(session.goal_reviews or {})
    blocks = [Block(render_recap(sections), reviewed, classes="recap")]

    blocks.append(heading("Updates"))
    spent = airtime(session)
    for turn in session.turns:
        line = Content.assemble(
            literal(name(turn.member_id)).stylize("bold"),
            f" · {format_duration(turn.seconds)}",
            " · passed" if turn.passed else "",
        )
        notes = note_lines(turn.notes) or [Content.styled("  no notes", "dim")]
        blocks.append(Block(Content("\n").join([line, *notes]), [n.id for n in turn.notes]))
    if not session.turns:
        blocks.append(Block(Content.styled("  no update turns", "dim")))

    blocks.append(heading("Asks"))
    blocks += [_ask_block(data, ask) for ask in session.asks]
    if not session.asks:
        blocks.append(Block(Content.styled("  no asks", "dim")))

    blocks.append(heading("Commitments made"))
    made = data.made_in(session)
    blocks += [commitment_block(c, name(c.owner), serves=data.goal_title(c)) for c in made]
    if not made:
        blocks.append(Block(Content.styled("  none", "dim")))

    blocks.append(heading("Reviews of earlier commitments"))
    for commitment_id, review in session.reviews.items():
        doc = data.commitment(commitment_id)
        if doc is None:
            continue
        first = Content.assemble(
            literal(name(doc.owner)), ": ", literal(doc.text), private_tag(doc.private)
        )
        blocks.append(Block(Content.assemble(first, "\n  ", review_line(review)), [commitment_id]))
    if not session.reviews:
        blocks.append(Block(Content.styled("  none", "dim")))

    blocks.append(heading("Wins"))
    for win in session.wins:
        line = Content.assemble(
            literal(name(win.member_id)),
            f" ({win.kind}): ",
            literal(win.text),
            private_tag(win.private),
        )
        blocks.append(Block(line, [win.id], classes="win"))
    if not session.wins:
        blocks.append(Block(Content.styled("  none", "dim")))

    blocks.append(heading("Session notes"))
    session_notes = session.notes
    blocks.append(
        Block(
            Content("\n").join(note_lines(session_notes) or [Content.styled("  none", "dim")]),
            [n.id for n in session_notes],
        )
    )
    blocks.append(heading("Airtime"))
    rows = sorted(spent.items(), key=lambda kv: -kv[1])
    lines = [
        Content.assemble("  ", literal(name(member)), f": {format_duration(seconds)}")
        for member, seconds in rows
    ]
    blocks.append(Block(Content("\n").join(lines or [Content.styled("  none", "dim")])))
    return blocks


# -- a member's timeline ----------------------------------------------------------------


def _checkin_block(data: GroupHistory, checkin: Checkin) -> Block:
    day = local_day(checkin.at, data.zone_info)
    energy = f" · energy {checkin.energy}/5" if checkin.energy is not None else ""
    lines = [
        Content.assemble(
            (f"{day_label(day)} · check-in{energy}", "bold"), private_tag(checkin.private)
        )
    ]
    if checkin.note:
        lines.append(Content.assemble("  ", literal(checkin.note)))
    for commitment_id, status in checkin.statuses.items():
        doc = data.commitment(commitment_id)
        text = doc.text if doc else "(a commitment no longer in the history)"
        lines.append(
            Content.assemble(
                "  ",
                literal(text),
                " → ",
                Content.styled(REVIEW_LABELS.get(status, status), "bold"),
            )
        )
    return Block(Content("\n").join(lines), [checkin.id], classes="checkin")


def _session_part(data: GroupHistory, session: Session, member_id: str) -> list[Block]:
    """What one session holds about one member, under a heading with the facts."""
    status = session.attendance.get(member_id)
    day = data.day(session.id) or date.min
    facts = [day_label(day), "session", status or "not on the roll"]
    seconds = airtime(session).get(member_id, 0.0)
    if seconds:
        facts.append(f"spoke {format_duration(seconds)}")
    if member_id in session.ratings:
        facts.append(f"rated {session.ratings[member_id]}")
    blocks = [heading(" · ".join(facts), [session.id])]
    for turn in session.turns:
        if turn.member_id == member_id and (turn.notes or turn.passed):
            lines = note_lines(turn.notes)
            title = "update (passed)" if turn.passed else "update"
            blocks.append(
                Block(
                    Content("\n").join([Content(title), *lines]),
                    [n.id for n in turn.notes],
                )
            )
    blocks += [
        _ask_block(data, ask, with_name=False) for ask in session.asks if ask.member_id == member_id
    ]
    for win in session.wins:
        if win.member_id == member_id:
            line = Content.assemble(
                f"win ({win.kind}): ", literal(win.text), private_tag(win.private)
            )
            blocks.append(Block(line, [win.id], classes="win"))
    for commitment_id, review in session.reviews.items():
        doc = data.commitment(commitment_id)
        if doc is not None and doc.owner == member_id:
            line = Content.assemble(
                "reviewed: ", literal(doc.text), private_tag(doc.private), "\n  "
            )
            blocks.append(Block(Content.assemble(line, review_line(review)), [commitment_id]))
    for doc in data.made_in(session):
        if doc.owner == member_id:
            blocks.append(
                commitment_block(doc, None, prefix="committed: ", serves=data.goal_title(doc))
            )
    return blocks


@dataclass(frozen=True)
class TimelineEntry:
    """One dated entry of a member's timeline, built into blocks only when shown
    (a history of thousands of sessions must not build thousands of widgets)."""

    at: str
    #: The records a search result may land on in this entry.
    targets: frozenset[str]
    build: Callable[[], list[Block]]


def _session_targets(data: GroupHistory, session: Session, member_id: str) -> frozenset[str]:
    ids = {session.id}
    for turn in session.turns:
        if turn.member_id == member_id:
            ids.update(n.id for n in turn.notes)
    for ask in session.asks:
        if ask.member_id == member_id:
            ids.add(ask.id)
            ids.update(n.id for n in ask.notes)
    ids.update(w.id for w in session.wins if w.member_id == member_id)
    for commitment_id in [*session.reviews, *session.commitment_ids]:
        doc = data.commitment(commitment_id)
        if doc is not None and doc.owner == member_id:
            ids.add(commitment_id)
    return frozenset(ids)


def _history_review_block(doc: Commitment, review: Review) -> Block:
    line = Content.assemble(
        (f"{day_label(review_day(review))} · status updated", "bold"),
        "\n  ",
        literal(doc.text),
        private_tag(doc.private),
        "\n  ",
        review_line(review),
    )
    return Block(line, [doc.id])


def member_timeline(data: GroupHistory, member_id: str) -> list[TimelineEntry]:
    """The member's sessions, check-ins and later status updates, newest first."""
    entries = [
        TimelineEntry(
            s.started_at,
            _session_targets(data, s, member_id),
            partial(_session_part, data, s, member_id),
        )
        for s in data.sessions
    ]
    entries += [
        TimelineEntry(c.at, frozenset({c.id}), partial(_one, _checkin_block, data, c))
        for c in data.checkins
        if c.member_id == member_id
    ]
    for doc in data.commitments:
        if doc.owner != member_id:
            continue
        for review in doc.reviews:
            if review.source == "history":
                entries.append(
                    TimelineEntry(
                        review.at,
                        frozenset({doc.id}),
                        partial(_one, _history_review_block, doc, review),
                    )
                )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _one(make: Callable[..., Block], *args: Any) -> list[Block]:
    return [make(*args)]
