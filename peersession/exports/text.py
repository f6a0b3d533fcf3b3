"""The recap as plain text, for an email body or a chat message.

The same recap as the Markdown export (:func:`~.markdown.recap_outline`, so
private items are left out the same way), written for readers who see the
characters as they are: no Markdown escapes, so ``Zoë [Dr.] O'Neil`` stays
exactly that. People's text still goes through
:func:`~peersession.exports.escape.one_line`: control characters and
bidirectional overrides are neutralised and line breaks flattened, so a note
can neither drive the reader's terminal nor start a fake heading of its own
(every line of text people typed is indented under a heading we wrote).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.model import CommitmentDoc, Group, SessionDoc
from ..core.recap import RecapLine, RecapSection
from ..core.words import plural
from .escape import one_line
from .markdown import recap_outline

PRIVATE_TAG = " (private)"
NONE_LINE = "  (none)"
#: Under the title of a one-session recap and between sessions of a longer one.
RULE = "=" * 40


def _line(line: RecapLine) -> list[str]:
    """An item, then its notes one level in."""
    who = f"{one_line(line.who)}: " if line.who else ""
    lines = [f"  - {who}{one_line(line.text)}{_tag(line.private)}"]
    lines += [f"    - {one_line(d.text)}{_tag(d.private)}" for d in line.details]
    return lines


def _tag(private: bool) -> str:
    return PRIVATE_TAG if private else ""


def render_sections(sections: Sequence[RecapSection]) -> list[str]:
    """Recap sections as plain lines: the title, then its items indented."""
    lines: list[str] = []
    for section in sections:
        lines.append(one_line(section.title))
        lines += [text for line in section.lines for text in _line(line)] or [NONE_LINE]
        lines.append("")
    return lines


def render_text(
    group: Group,
    sessions: Sequence[SessionDoc],
    commitments: Sequence[CommitmentDoc],
    *,
    include_private: bool = False,
) -> str:
    """The recap of ``sessions`` (newest first) as plain text.

    One session gets a title and its sections; several get a title for the
    group and each session under a rule. ``commitments`` should be all the
    group's (they say which items are private and what was reviewed).
    """
    name = one_line(group.name)
    outline = recap_outline(group, sessions, commitments, include_private=include_private)
    if len(outline) == 1:
        day, recap = outline[0]
        lines = [f"{name}: session of {day}", RULE, ""]
        lines += render_sections(recap)
    else:
        lines = [f"{name}: {plural(len(outline), 'session')}", RULE, ""]
        if not outline:
            lines += [NONE_LINE, ""]
        for day, recap in outline:
            lines += [f"Session of {day}", "-" * 40, ""]
            lines += render_sections(recap)
    return "\n".join(lines).rstrip("\n") + "\n"
