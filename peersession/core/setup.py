"""What a live session starts from, decided once and journaled first.

The setup is built from the group and its history when the session starts
(the speaking order rotated from last time, the open commitments to review
with any check-in answers, the airtime ledger) and written as the journal's
first entry. Resuming never needs the history again, and editing the group
mid-session cannot change a running meeting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

from msgspec.structs import replace
from pendulum import Date, DateTime

from .commitment_state import commitment_is_open, current_commitment_due, current_commitment_text
from .health import how_we_work
from .lifecycle import away_line
from .model import Group, Holder, Visitor, holder_records, parse_datetime_doc
from .phases import GOALS, OPENING, REVIEW
from .record_types import (
    At,
    CalendarDay,
    Day,
    Id,
    Number,
    Value,
    Whole,
    doc,
    read_as,
    stored,
)
from .record_values import HealthQuestion, ReviewStatus
from .roles import RolesHeld, propose
from .templates import QUICK, AgendaDoesNotFit, Template, fit_agenda, plan
from .upcoming import close_proposal

if TYPE_CHECKING:
    from .records import Goal
    from .session_records import Checkin, Commitment, Session

#: How many past sessions the airtime ledger and "asks lately" look back over.
LEDGER_SESSIONS = 6


class ReviewItem(Value):
    """An open commitment to review, with what a check-in said about it."""

    commitment_id: Annotated[Id, doc("The commitment.")]
    owner: Annotated[Id, doc("The member who made it.")]
    text: Annotated[str, doc("What it says now.")]
    due: Annotated[Day | None, doc("When it is due, or null.")]
    private: Annotated[bool, doc("Shown in the room only.")]
    prefill_status: Annotated[
        ReviewStatus | None, doc("The latest check-in's answer since its last review, or null.")
    ] = None
    prefill_note: Annotated[str | None, doc("That check-in's note.")] = None
    prefill_at: Annotated[At | None, doc("When that check-in was made.")] = None


class GoalOption(Value, kw_only=False):
    """An active goal a commitment made in the session may serve (issue 25)."""

    goal_id: Annotated[Id, doc("The goal.")]
    owner: Annotated[Id, doc("The member whose goal it is.")]
    title: Annotated[str, doc("Its title.")]
    private: Annotated[
        bool, doc("A private goal's standing stays in the room (absent in older journals).")
    ] = False


class MeetingSetup(Value):
    """What a live session starts from: the ``setup`` of its journal's first line,
    as declared here (absent in older journals: every field with a default)."""

    session_id: Annotated[Id, doc("The session's id.")]
    group: Annotated[
        Group,
        doc(
            "The group as the session started, its guests among the members (as "
            "`Visitor`s); written without them, as the index keeps it, and they in `guests`."
        ),
    ]
    template: Annotated[Template, doc("The agenda, fitted to the meeting's length.")]
    length_minutes: Annotated[Whole, doc("The meeting's planned length.")]
    order: Annotated[
        tuple[Id, ...], doc("Every member, in the order they speak this time (rotated).")
    ]
    review_items: Annotated[tuple[ReviewItem, ...], doc("Open commitments to review.")] = ()
    airtime: Annotated[
        dict[Id, Number], doc("Seconds each member spoke (turns and asks) over recent sessions.")
    ] = {}
    recent_asks: Annotated[
        dict[Id, Whole], doc("Asks each member brought over recent sessions.")
    ] = {}
    proposed_next: Annotated[
        CalendarDay | None, doc("What the Close proposes as the next meeting's date.")
    ] = None
    turn_seconds_override: Annotated[
        Number | None, doc("A per-speaker timebox from the settings, instead of the derived one.")
    ] = None
    session_date: Annotated[
        CalendarDay | None,
        doc(
            "The calendar day where the facilitator is when the session starts: dates "
            "typed in the meeting (due dates, the next meeting) may not be before it."
        ),
    ] = None
    goals: Annotated[
        tuple[GoalOption, ...],
        doc("The members' active goals when it started: what the commitment form offers."),
    ] = ()
    roles: Annotated[
        tuple[Holder, ...],
        doc(
            "Who holds each role, as proposed when it started (`core/roles.py`), in the "
            "group's role order. A swap at the opening is an action of its own, so a "
            "resumed meeting has the same holders."
        ),
    ] = ()
    guests: Annotated[
        tuple[Visitor, ...],
        doc(
            "The session's guests (issue 24.3), `{id, name}`: they speak and are timed, "
            "make no commitment, hold no role, and are never a member of the group."
        ),
    ] = ()
    # -- the group's own review (issue 25) --
    session_number: Annotated[
        Whole,
        doc(
            "This session's number in the group's history (1: its first; 0: unknown, "
            "a journal written before it was kept). Decides the health check."
        ),
    ] = 0
    how_we_work: Annotated[
        tuple[HealthQuestion, ...],
        doc('The low questions of the last health check: the opening\'s "how we work" item.'),
    ] = ()
    away: Annotated[
        tuple[tuple[str, str], ...],
        doc(
            'Current members not expected today, each with why in a few words ("on '
            'leave until 2027-05-01"): the opening names them, so no one is wondered about.'
        ),
    ] = ()

    @property
    def guest_ids(self) -> frozenset[str]:
        """The session's guests (issue 24.3): they speak and are timed, make no
        commitment, hold no role, and are never a member of the group."""
        return frozenset(m.id for m in self.group.members if m.guest)

    def goals_of(self, member_id: str) -> tuple[GoalOption, ...]:
        return tuple(g for g in self.goals if g.owner == member_id)

    def with_guest(self, guest: Visitor) -> MeetingSetup:
        """The setup with a guest who arrived (``GuestArrived``)."""
        group = replace(self.group, members=(*self.group.members, guest))
        return replace(self, group=group, guests=(*self.guests, guest))

    def to_doc(self) -> dict[str, Any]:
        """The setup as its journal line holds it: the group as the index keeps it,
        the guests apart (written from the group's members, which hold them)."""
        guests = tuple(Visitor(m.id, m.name) for m in self.group.members if m.guest)
        return stored(replace(self, group=self.group.as_kept(), guests=guests))

    @classmethod
    def from_doc(cls, data: dict[str, Any]) -> MeetingSetup:
        """The setup a journal's first line holds (checked when the line was read);
        ValueError if it lists a member or a commitment twice (a damaged copy: every
        screen keys them by id), or its agenda breaks an agenda's rules."""
        setup = read_as(MeetingSetup, data)
        # A guest is its id and name, whatever else the line says of it.
        guests = tuple(Visitor(g.id, g.name) for g in setup.guests)
        group = setup.group
        if guests:
            group = replace(group, members=(*group.members, *guests))
        for what, ids in (
            ("goal", [goal.goal_id for goal in setup.goals]),
            ("member", [member.id for member in group.members]),
            ("speaker", list(setup.order)),
            ("commitment to review", [item.commitment_id for item in setup.review_items]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"a {what} is listed twice")
        return replace(setup, group=group, guests=guests, template=setup.template.checked())


def rotate_order(member_ids: Sequence[str], last_order: Sequence[str]) -> tuple[str, ...]:
    """Who went first last time goes last: rotate last session's order by one.

    Members who were not in last session's order (new members) go first, so a
    newcomer is not always last.
    """
    known = [m for m in last_order if m in member_ids]
    newcomers = [m for m in member_ids if m not in known]
    rotated = known[1:] + known[:1]
    return tuple(newcomers + rotated)


def airtime_ledger(sessions: Iterable[Session]) -> tuple[dict[str, float], dict[str, int]]:
    """Seconds spoken and asks brought per member over the given sessions."""
    airtime: dict[str, float] = {}
    asks: dict[str, int] = {}
    for session in sessions:
        for turn in session.turns:
            airtime[turn.member_id] = airtime.get(turn.member_id, 0.0) + turn.seconds
        for ask in session.asks:
            spent = ask.question_seconds + ask.advice_seconds
            airtime[ask.member_id] = airtime.get(ask.member_id, 0.0) + spent
            asks[ask.member_id] = asks.get(ask.member_id, 0) + 1
    return airtime, asks


def _closed_by_checkin(doc: Commitment) -> bool:
    # A member's own "done" or "dropped" in a check-in closes the commitment,
    # but the meeting still sees it once, to confirm or correct it.
    return bool(doc.reviews) and doc.reviews[-1].source == "checkin"


def may_come_up_for_review(doc: Commitment) -> bool:
    """Whether :func:`review_items` can show this commitment at all (open, or
    closed by its owner's check-in): the few of a long history a new session
    needs to read."""
    return commitment_is_open(doc) or _closed_by_checkin(doc)


def review_items(
    commitments: Iterable[Commitment],
    checkins: Iterable[Checkin],
    members: Iterable[str],
) -> tuple[ReviewItem, ...]:
    """Open commitments of current members, with the latest check-in answer on each.

    A check-in's answer only pre-fills the review: the facilitator confirms or
    corrects it in the meeting.
    """
    current = set(members)
    latest: dict[str, tuple[ReviewStatus, str, str | None]] = {}
    # Moments, not strings: ISO texts with different offsets do not sort in time.
    for checkin in sorted(checkins, key=lambda c: parse_datetime_doc(c.at)):
        for commitment_id, status in checkin.statuses.items():
            latest[commitment_id] = (status, checkin.at, checkin.note)
    items = []
    for commitment in commitments:
        if commitment.owner not in current:
            continue
        prefill = latest.get(commitment.id)
        # Only check-ins newer than the last review pre-fill it.
        if prefill and commitment.reviews:
            last_review_at = parse_datetime_doc(commitment.reviews[-1].at)
            if parse_datetime_doc(prefill[1]) < last_review_at:
                prefill = None
        if not commitment_is_open(commitment) and not (prefill and _closed_by_checkin(commitment)):
            continue
        items.append(
            ReviewItem(
                commitment_id=commitment.id,
                owner=commitment.owner,
                text=current_commitment_text(commitment),
                due=current_commitment_due(commitment),
                private=commitment.private,
                prefill_status=prefill[0] if prefill else None,
                prefill_at=prefill[1] if prefill else None,
                prefill_note=prefill[2] if prefill else None,
            )
        )
    order = {m: i for i, m in enumerate(members)}
    items.sort(key=lambda item: (order.get(item.owner, 0), item.due or ""))
    return tuple(items)


def plan_setup(
    *,
    session_id: str,
    group: Group,
    template: Template,
    today: Date,
    recent_sessions: Sequence[Session],
    open_commitments: Iterable[Commitment],
    checkins: Iterable[Checkin],
    turn_seconds_override: float | None = None,
    started: DateTime | None = None,
    goals: Iterable[Goal] = (),
    roles_held: RolesHeld | None = None,
    guests: Sequence[tuple[str, str]] = (),
    session_number: int = 0,
) -> MeetingSetup:
    """Decide everything a new session starts from. ``recent_sessions`` newest last.

    The proposed next meeting is the slot's first meeting on a later day than
    the session's (``started`` is when it starts): the one every screen names
    once the session is over, so a late, early or moved session does not move
    the series; a group without a slot proposes a cadence from today.
    ``roles_held`` is who held which role over the whole history (none: the
    roles go out as if for the first time). The members expected ``today``
    are in it (not those on leave, or not joined yet: ``core/lifecycle.py``),
    and the ``guests`` (``(id, name)``), who speak last and hold no role.
    ValueError for a guest named like a member of the group (a former one too).
    """
    every = group
    group = group.for_meeting(today)
    away = tuple(
        (m.name, why)
        for m in every.members
        if m.active and not m.guest and (why := away_line(m, today)) is not None
    )
    visitors = guest_members(every, guests)
    members = [m.id for m in group.members]
    group = replace(group, members=(*group.members, *visitors))
    member_ids = [m.id for m in group.members]
    order = (
        rotate_order(members, recent_sessions[-1].order) if recent_sessions else tuple(members)
    ) + tuple(m.id for m in visitors)
    airtime, asks = airtime_ledger(recent_sessions[-LEDGER_SESSIONS:])
    length = template.length_minutes or group.length_minutes
    reviewed = with_goals_review(template, group.goals_review_every, session_number)
    try:
        fitted = fit_agenda(reviewed, length, len(member_ids))
    except AgendaDoesNotFit:
        # A goals review the meeting has no room for waits for a longer one;
        # the agenda without it still starts (or says by how much it cannot).
        fitted = fit_agenda(template, length, len(member_ids))
    return MeetingSetup(
        session_id=session_id,
        group=group,
        # Squeezed to the meeting's length, so it never starts behind (or
        # AgendaDoesNotFit says by how much it cannot).
        template=fitted,
        length_minutes=length,
        order=order,
        review_items=review_items(open_commitments, checkins, member_ids),
        airtime=airtime,
        recent_asks=asks,
        proposed_next=proposed_next(group, today, started),
        turn_seconds_override=turn_seconds_override,
        session_date=today,
        goals=tuple(
            GoalOption(g.id, g.owner, g.title, g.private)
            for g in goals
            if g.status == "active" and g.owner in member_ids
        ),
        roles=holder_records(
            propose(group.roles, members, roles_held or RolesHeld(), group.next_holders).holders
        ),
        guests=visitors,
        session_number=session_number,
        away=away,
        how_we_work=how_we_work(recent_sessions),
    )


def guest_members(group: Group, guests: Sequence[tuple[str, str]]) -> tuple[Visitor, ...]:
    """The guests as the meeting holds them; ValueError (one line) for a name a
    member of the group has (a former one too) or two guests of one name."""
    from .names import clean_name, name_key

    taken = {name_key(m.name) for m in group.members}
    visitors: list[Visitor] = []
    for guest_id, typed in guests:
        name = clean_name(typed, what="a guest's name")
        if name_key(name) in taken:
            raise ValueError(f"{name!r} is a member of {group.name!r}, not a guest")
        taken.add(name_key(name))
        visitors.append(Visitor(guest_id, name))
    return tuple(visitors)


#: The goals review's minutes when ``goals_review_every`` adds it.
GOALS_REVIEW_MINUTES = 10.0


def with_goals_review(template: Template, every: int, session_number: int) -> Template:
    """The template with a goals review after the review of commitments (or after
    the opening) when this session is due one and the agenda has none."""
    if every <= 0 or session_number <= 0 or session_number % every:
        return template
    # A quick round keeps to attendance, updates and commitments.
    if template.name == QUICK.name or GOALS in template.kinds:
        return template
    kinds = template.kinds
    after = REVIEW if REVIEW in kinds else OPENING if OPENING in kinds else None
    at = kinds.index(after) + 1 if after is not None else 0
    phases = list(template.phases)
    phases.insert(at, plan(GOALS, GOALS_REVIEW_MINUTES))
    return replace(template, phases=tuple(phases))


def proposed_next(group: Group, today: Date, started: DateTime | None) -> Date:
    """What the Close phase proposes as the next meeting's date (see
    :func:`peersession.core.upcoming.close_proposal`)."""
    if started is None:
        return today.add(days=group.cadence_days)
    return close_proposal(group, started, today)
