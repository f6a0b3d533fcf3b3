"""The recap as plain text, for an email body or a chat message.

The same recap as the Markdown export (:func:`~.markdown.recap_outline`, so
private items are left out the same way), written for readers who see the
characters as they are: no Markdown escapes, so ``Zoë [Dr.] O'Neil`` stays
exactly that. People's text still goes through
:func:`~peersession.exports.escape.one_line`: control characters and
bidirectional overrides are neutralised and line breaks flattened, so a note
can neither drive the reader's terminal nor start a fake heading of its own
(every line of text people typed is indented under a heading we wrote).

Lines are at most :data:`WIDTH` columns as a reader's screen counts them
(:mod:`.wrap`: wide characters take two, accents none), with a hanging indent
under each item, as mail readers expect; only a token with no place to break
that is wider than a line stands alone on a longer one. Titles are underlined
exactly as wide as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..core.model import Group
from ..core.recap import RecapLine, RecapSection
from ..core.words import plural
from .escape import one_line
from .markdown import recap_outline
from .wrap import display_width, wrap

if TYPE_CHECKING:
    from ..core.records import Goal
    from ..core.session_records import Commitment, Session

#: The widest line, in columns: under the 78 of RFC 5322, with room for a "> " quote.
WIDTH = 76
PRIVATE_TAG = " (private)"
NONE_LINE = "  (none)"
ITEM, ITEM_NEXT = "  - ", "    "
DETAIL, DETAIL_NEXT = "    - ", "      "


def _item(line: RecapLine) -> list[str]:
    """An item, wrapped under its bullet, then its notes one level in."""
    who = f"{one_line(line.who)}: " if line.who else ""
    lines = wrap(f"{who}{one_line(line.text)}{_tag(line.private)}", WIDTH, ITEM, ITEM_NEXT)
    for detail in line.details:
        text = f"{one_line(detail.text)}{_tag(detail.private)}"
        lines += wrap(text, WIDTH, DETAIL, DETAIL_NEXT)
    return lines


def _tag(private: bool) -> str:
    return PRIVATE_TAG if private else ""


def titled(title: str, underline: str) -> list[str]:
    """``title`` wrapped, then a line of ``underline`` as wide as its widest line."""
    lines = wrap(one_line(title), WIDTH)
    return [*lines, underline * max(display_width(line) for line in lines)]


def render_sections(sections: Sequence[RecapSection]) -> list[str]:
    """Recap sections as plain lines: the title, then its items indented."""
    lines: list[str] = []
    for section in sections:
        lines += wrap(one_line(section.title), WIDTH)
        lines += [text for line in section.lines for text in _item(line)] or [NONE_LINE]
        lines.append("")
    return lines


def render_text(
    group: Group,
    sessions: Sequence[Session],
    commitments: Sequence[Commitment],
    *,
    include_private: bool = False,
    goals: Sequence[Goal] = (),
) -> str:
    """The recap of ``sessions`` (newest first) as plain text.

    One session gets a title and its sections; several get a title for the
    group and each session under a title of its own. ``commitments`` should be
    all the group's (they say which items are private and what was reviewed);
    ``goals`` the group's (what a goals review spoke of).
    """
    name = one_line(group.name)
    outline = recap_outline(
        group, sessions, commitments, include_private=include_private, goals=goals
    )
    if len(outline) == 1:
        day, recap = outline[0]
        lines = [*titled(f"{name}: session of {day}", "="), ""]
        lines += render_sections(recap)
    else:
        lines = [*titled(f"{name}: {plural(len(outline), 'session')}", "="), ""]
        if not outline:
            lines += [NONE_LINE, ""]
        for day, recap in outline:
            lines += [*titled(f"Session of {day}", "-"), ""]
            lines += render_sections(recap)
    return "\n".join(lines).rstrip("\n") + "\n"
