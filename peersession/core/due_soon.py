"""What a member should look at first: their overdue commitments, then those due soon.

A check-in (``peersession checkin``, its ``--list``, the check-in screen) leads
with what needs attention, so the member who opens it two days before a due
date sees that date first. Pure: the caller passes ``today`` (the machine's
local date from the app's clock), and the same split serves every door.

* **Overdue**: open, and due before ``today`` (most overdue first).
* **Due soon**: open, and due from ``today`` to ``today`` + :data:`DUE_SOON_DAYS`
  (soonest first).
* **The rest**: open, due later or with no date, in the order they are asked
  about (oldest made first: :func:`peersession.core.checkin.open_commitments_of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .accountability import due_date, is_paused
from .checkin import open_commitments_of
from .model import Member
from .words import plural

if TYPE_CHECKING:
    from .session_records import Commitment

#: "Due soon" means due within this many days from today (today included).
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class DueOutlook:
    """A member's open commitments, split by urgency (each list in the order shown)."""

    overdue: list[Commitment]
    due_soon: list[Commitment]
    rest: list[Commitment]

    @property
    def in_order(self) -> list[Commitment]:
        """Everything, overdue first, then due soon, then the rest."""
        return [*self.overdue, *self.due_soon, *self.rest]

    def headline(self) -> str | None:
        """``2 overdue, 1 due in the next 7 days``, or None when nothing is pressing."""
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue")
        if self.due_soon:
            parts.append(f"{len(self.due_soon)} due in the next {plural(DUE_SOON_DAYS, 'day')}")
        return ", ".join(parts) or None


def due_outlook(
    commitments: Iterable[Commitment], member_id: str, today: date, owner: Member | None = None
) -> DueOutlook:
    """The member's open commitments split into overdue, due soon and the rest
    (``owner``, the member: a commitment due in their leave is paused, with the rest)."""
    overdue: list[tuple[date, Commitment]] = []
    soon: list[tuple[date, Commitment]] = []
    rest: list[Commitment] = []
    # Ordinals, not dates: ``today`` may be a pendulum Date (see accountability).
    horizon = today.toordinal() + DUE_SOON_DAYS
    for doc in open_commitments_of(commitments, member_id):
        due = due_date(doc)
        if is_paused(doc, owner):
            rest.append(doc)
        elif due is not None and due.toordinal() < today.toordinal():
            overdue.append((due, doc))
        elif due is not None and due.toordinal() <= horizon:
            soon.append((due, doc))
        else:
            rest.append(doc)
    # Stable sorts on the date alone keep the oldest-made first among equals.
    overdue.sort(key=lambda pair: pair[0].toordinal())
    soon.sort(key=lambda pair: pair[0].toordinal())
    return DueOutlook([d for _, d in overdue], [d for _, d in soon], rest)


def due_label(doc: Commitment, today: date, owner: Member | None = None) -> str | None:
    """``3 days overdue``, ``due today``, ``due in 2 days``, ``due 2027-03-01``,
    ``paused (due 2027-03-01, on leave)``, or None."""
    due = due_date(doc)
    if due is None:
        return None
    if is_paused(doc, owner):
        return f"paused (due {due.isoformat()}, on leave)"
    days = due.toordinal() - today.toordinal()
    if days < 0:
        return f"{plural(-days, 'day')} overdue"
    if days == 0:
        return "due today"
    if days <= DUE_SOON_DAYS:
        return f"due in {plural(days, 'day')}"
    return f"due {due.isoformat()}"
