"""Where a commitment stands: its status, and its text and due date after renegotiation.

Read from its dated reviews (``Commitment.reviews``); the labels and shapes
every screen shows for a status live here too, so a status reads the same everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .session_records import Commitment


#: Statuses after which a commitment is no longer carried to the next review.
CLOSED_STATUSES: frozenset[str] = frozenset({"done", "dropped"})

REVIEW_LABELS: dict[str, str] = {
    "open": "open",
    "done": "done",
    "partial": "partial",
    "not_done": "not done",
    "renegotiated": "renegotiated",
    "dropped": "dropped",
}

#: One shape per status, the same on every screen (review, check-in), so a
#: status reads without colour and means the same thing everywhere.
REVIEW_SHAPES: dict[str, str] = {
    "done": "✓",
    "partial": "◐",
    "not_done": "✗",
    "renegotiated": "↻",
    "dropped": "⌫",
}


def commitment_status(doc: Commitment) -> str:
    """The current status: the latest review's, or ``open`` if never reviewed."""
    if not doc.reviews:
        return "open"
    return doc.reviews[-1].status


def commitment_is_open(doc: Commitment) -> bool:
    return commitment_status(doc) not in CLOSED_STATUSES


def current_commitment_text(doc: Commitment) -> str:
    """The text after any renegotiation."""
    text = doc.text
    for review in doc.reviews:
        if review.status == "renegotiated" and review.text:
            text = review.text
    return text


def current_commitment_due(doc: Commitment) -> str | None:
    due = doc.due
    for review in doc.reviews:
        if review.status == "renegotiated" and review.due:
            due = review.due
    return due
