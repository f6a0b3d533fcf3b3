"""The recap as Markdown, ready to paste into an email or a chat.

Built from :func:`peersession.core.recap.build_recap`, the same structure the
Recap phase and the history show, so the three never disagree. Private items
are left out unless asked for, twice over: the session is redacted by
:mod:`peersession.core.privacy` before the recap is built, and the recap drops
private lines itself.

The shape is fixed, and tests hold it to this invariant: every line is blank,
a heading we wrote (``#``, ``##``, ``###``), a bullet we wrote (``- ``, or
``  - `` for a note under the item it was taken on), or the word ``_none_``;
all text people typed has gone through
:func:`~peersession.exports.escape.markdown_text`, so it renders as the exact
characters typed and can never open a heading, list, table, link, code block or
HTML of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..core.clock import local_date
from ..core.model import Group, parse_datetime_doc
from ..core.privacy import private_ids, redact_session
from ..core.recap import RecapLine, RecapSection, ReviewedCommitment, ReviewedGoal, build_recap
from ..core.words import plural
from .escape import markdown_text, one_line

if TYPE_CHECKING:
    from ..core.records import Goal
    from ..core.session_records import Commitment, Review, Session

PRIVATE_TAG = " _(private)_"
NONE_LINE = "_none_"


def session_recap(
    group: Group,
    session: Session,
    commitments: Sequence[Commitment],
    *,
    include_private: bool = False,
    goals: Sequence[Goal] = (),
) -> list[RecapSection]:
    """The recap of a stored session; ``commitments`` are the group's (all of
    them, or at least those the session made or reviewed), ``goals`` the
    goals its goals review may have spoken of."""
    if not include_private:
        # The session is redacted first: an ask's outcome is its (possibly
        # private) commitment's text, and build_recap only knows the privacy
        # of the commitments made in this very session.
        session = redact_session(session, private_ids(list(commitments)))
    made_ids = set(session.commitment_ids)
    made = [c for c in commitments if c.id in made_ids and c.made_in == session.id]
    by_id = {c.id: c for c in commitments}
    reviewed = {
        commitment_id: ReviewedCommitment(
            by_id[commitment_id].owner,
            _text_before(by_id[commitment_id], session.id, review),
            by_id[commitment_id].private,
        )
        for commitment_id, review in session.reviews.items()
        if commitment_id in by_id
    }
    reviewed_goals = {g.id: ReviewedGoal(g.owner, g.title, g.private) for g in goals}
    return build_recap(
        group, session, made, reviewed, include_private=include_private, goals=reviewed_goals
    )


def _text_before(commitment: Commitment, session_id: str, review: Review) -> str:
    """The commitment's wording when the session reviewed it: renegotiations up
    to (not including) that review, as the members saw it in the room."""
    text = commitment.text
    for earlier in commitment.reviews:
        if earlier.source_id == session_id and earlier.at == review.at:
            break
        if earlier.status == "renegotiated" and earlier.text:
            text = earlier.text
    return text


def session_title(session: Session, zone: str | None = None) -> str:
    """``Thursday 5 March 2026``: the session's day where the group meets (``zone``),
    or where the user is for a group without a slot."""
    started = parse_datetime_doc(session.started_at)
    day = started.in_timezone(zone).date() if zone else local_date(started)
    return day.format("dddd D MMMM YYYY")


def _lines(line: RecapLine) -> list[str]:
    """A recap line as a bullet, its notes as bullets nested one level under it."""
    who = one_line(line.who) if line.who else ""
    prefix = f"**{markdown_text(who)}**: " if who else ""
    lines = [f"- {prefix}{markdown_text(line.text)}{_tag(line.private)}"]
    lines += [f"  - {markdown_text(d.text)}{_tag(d.private)}" for d in line.details]
    return lines


def _tag(private: bool) -> str:
    return PRIVATE_TAG if private else ""


def render_sections(sections: Sequence[RecapSection], *, level: int = 2) -> list[str]:
    """Recap sections as Markdown lines, each section under a heading of ``level``."""
    lines: list[str] = []
    for section in sections:
        lines += [f"{'#' * level} {markdown_text(section.title)}", ""]
        lines += [text for line in section.lines for text in _lines(line)] or [NONE_LINE]
        lines.append("")
    return lines


def recap_outline(
    group: Group,
    sessions: Sequence[Session],
    commitments: Sequence[Commitment],
    *,
    include_private: bool = False,
    goals: Sequence[Goal] = (),
) -> list[tuple[str, list[RecapSection]]]:
    """Each of ``sessions``, newest first, as its day's title (where the group
    meets) and its recap: what every export of a recap writes, in its own way."""
    zone = group.slot.zone if group.slot is not None else None
    ordered = sorted(sessions, key=lambda s: s.started_at, reverse=True)
    return [
        (
            session_title(session, zone),
            session_recap(
                group, session, commitments, include_private=include_private, goals=goals
            ),
        )
        for session in ordered
    ]


def render_markdown(
    group: Group,
    sessions: Sequence[Session],
    commitments: Sequence[Commitment],
    *,
    include_private: bool = False,
    goals: Sequence[Goal] = (),
) -> str:
    """The recap of ``sessions`` (newest first) as one Markdown document.

    One session gets a title and its sections; several get a title for the
    group and one section per session. ``commitments`` should be all the
    group's (they say which items are private and what was reviewed); ``goals``
    the group's (what a goals review spoke of).
    """
    name = markdown_text(group.name)
    outline = recap_outline(
        group, sessions, commitments, include_private=include_private, goals=goals
    )
    if len(outline) == 1:
        day, recap = outline[0]
        lines = [f"# {name}: session of {day}", ""]
        lines += render_sections(recap, level=2)
    else:
        lines = [f"# {name}: {plural(len(outline), 'session')}", ""]
        if not outline:
            lines += [NONE_LINE, ""]
        for day, recap in outline:
            lines += [f"## Session of {day}", ""]
            lines += render_sections(recap, level=3)
    return "\n".join(lines).rstrip("\n") + "\n"
