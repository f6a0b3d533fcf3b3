"""What the check-in screen shows, as pure functions of what it holds.

The screen (``checkin.py``) keeps the state and turns keys into changes; every
line and list row it draws is built here from that state, so the look can be
read (and changed) in one place. A member's name and commitment texts reach
the screen only as ``Content`` through ``tui.text``, never as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...core.checkin import open_commitments_of
from ...core.commitment_state import REVIEW_SHAPES, current_commitment_due, current_commitment_text
from ...core.due_soon import due_label
from ...core.free_text import MAX_NOTE
from ...core.model import Group, Member
from ...core.record_values import ReviewStatus
from ..text import literal, one_line, template
from ..widgets.panel import PRIVATE_TAG, private_tag
from ..widgets.text_input import TextInput

if TYPE_CHECKING:
    from ...core.session_records import Commitment

#: How each answer looks in the list: a shape and a word, readable without colour.
#: The shapes are the Review's (REVIEW_SHAPES); the words are a member's own.
ANSWER_MARKS: dict[str, str] = {
    status: f"{REVIEW_SHAPES[status]} {word}"
    for status, word in (
        ("done", "done"),
        ("partial", "half"),
        ("not_done", "not yet"),
        ("dropped", "dropped"),
    )
}
UNANSWERED = "  —"
MARK_WIDTH = 11
NAME_WIDTH = 40


class Choices(OptionList, can_focus=False):
    """A list the screen drives: keys reach the screen, in the order typed."""


def checkin_layout() -> ComposeResult:
    """The screen's widgets: a title, the two stages (pick, answers), a hint, the keys."""
    yield Static(id="checkin-title")
    with ContentSwitcher(id="checkin-stage", initial="pick"):
        with Vertical(id="pick"):
            yield Static(
                Content.from_markup(
                    "[b]Who is checking in?[/b]  Type the first letters of your name, "
                    "[b]enter[/b] picks."
                ),
                classes="checkin-intro",
            )
            yield Static(id="pick-typed")
            yield Choices(id="pick-members")
        with Vertical(id="answers"):
            yield Static(id="answers-intro", classes="checkin-intro")
            yield Choices(id="commitments")
            with Horizontal(id="note-row"):
                yield Label("Update", id="note-label")
                # Coming back to the update must not select it all: the
                # next key would replace what was written.
                yield TextInput(
                    id="note",
                    placeholder="u: write a one-line update",
                    max_length=MAX_NOTE,
                    select_on_focus=False,
                )
            yield Static(id="energy")
            yield Static(id="private")
    yield Static(id="checkin-hint")
    yield Footer(compact=True, show_command_palette=False)


def title_line(
    group: Group, member: Member | None, private: bool, *, next_meeting: str | None = None
) -> Content:
    """The title: the group, the member once picked, whether it is private, and
    (for a group with a slot) when it next meets."""
    parts: list[Content] = [template("[b]Check-in[/b] · $group", group=group.name)]
    if member is not None:
        parts.append(template(" · [b]$name[/b]", name=member.name))
    parts.append(private_tag(private))
    if next_meeting is not None:
        parts.append(Content.styled(f" · next meeting {next_meeting}", "dim"))
    return Content.assemble(*parts)


def typed_line(typed: str) -> Content:
    """The letters of a name typed so far, with a cursor."""
    if typed:
        return template("› [b]$typed[/b]▏", typed=typed)
    return Content.from_markup("› [dim]your name[/]▏")


def member_rows(
    members: Sequence[Member], commitments: Sequence[Commitment], typed: str
) -> list[Option]:
    """One row per member whose name starts with ``typed``: name, then open count."""
    names = {m.id: one_line(m.name, NAME_WIDTH) for m in members}
    width = max((cell_len(n) for n in names.values()), default=0) + 3
    rows = [
        Option(
            Content.assemble(
                literal(names[member.id]),
                " " * (width - cell_len(names[member.id])),
                Content.styled(_open_count(commitments, member), "dim"),
            ),
            id=member.id,
        )
        for member in members
    ]
    if not rows:
        rows = [Option(template("No name starts with “$typed”", typed=typed), disabled=True)]
    return rows


def _open_count(commitments: Sequence[Commitment], member: Member) -> str:
    count = len(open_commitments_of(commitments, member.id))
    return f"{count} open" if count else "nothing open"


def answers_intro(has_open: bool, pressing: str | None = None) -> Content:
    """The line above the commitments: which key answers what, after what is
    overdue or due soon (``pressing``, the counts), which the list shows first."""
    if has_open:
        keys = Content.from_markup(
            "[b]Your open commitments[/b]  one key each: "
            "[b]d[/b] done  [b]h[/b] half  [b]n[/b] not yet  [b]x[/b] drop"
        )
        if pressing is None:
            return keys
        return Content.assemble(
            Content.from_markup("[b]$pressing[/b] (listed first)\n", pressing=pressing), keys
        )
    return Content.from_markup(
        "[b]No open commitments.[/b]  You can still leave an update and your energy."
    )


def answer_rows(
    mine: Sequence[Commitment],
    answers: Mapping[str, ReviewStatus],
    today: date | None = None,
    owner: Member | None = None,
) -> list[Option]:
    """One row per open commitment: the answer given (or a dash), text, due date
    (with ``today``, said as ``3 days overdue`` or ``due in 2 days``)."""
    rows = []
    for doc in mine:
        status = answers.get(doc.id)
        mark = ANSWER_MARKS[status] if status else UNANSWERED
        due = current_commitment_due(doc)
        if today is not None and due:
            due = due_label(doc, today, owner) or due
            when = f"  ({due})"
        else:
            when = f"  (due {due})" if due else ""
        rows.append(
            Option(
                Content.assemble(
                    Content.styled(f"{mark:<{MARK_WIDTH}}", "bold" if status else "dim"),
                    literal(one_line(current_commitment_text(doc))),
                    Content.styled(when, "bold" if "overdue" in when else "dim"),
                    private_tag(doc.private),
                ),
                id=doc.id,
            )
        )
    if not rows:
        rows = [Option(Content("Nothing to answer."), disabled=True)]
    return rows


def energy_line(energy: int | None) -> Content:
    """Five dots, as many filled as the energy given."""
    if energy is None:
        return Content.from_markup("[b]Energy[/b]   ○○○○○  [dim]how are you doing? 1 to 5[/]")
    dots = "●" * energy + "○" * (5 - energy)
    return Content.from_markup(
        "[b]Energy[/b]   $dots  $n of 5  [dim](0 clears)[/]", dots=dots, n=str(energy)
    )


def private_line(private: bool) -> Content:
    """Whether the check-in stays in the room, and the key that changes it."""
    if private:
        return Content.assemble(
            Content.from_markup("[b]Private[/b]  yes "),
            Content.styled(PRIVATE_TAG, "$private-marker bold"),
            Content.from_markup(" stays in the room, never exported [dim](p: share)[/]"),
        )
    return Content.from_markup(
        "[b]Private[/b]  no   [dim]shared with the group (p: keep it in the room)[/]"
    )


def progress_line(answered: int, total: int) -> Content:
    """How many of the open commitments have an answer, and what enter does."""
    if answered < total:
        return Content(f"{answered} of {total} answered.  enter saves (unanswered stay open).")
    return Content(f"All {total} answered.  enter saves.")
