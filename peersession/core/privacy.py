"""Stays in the room: removing private items before anything leaves the app.

Every export and bundle goes through these functions; nothing marked private
(a note, an ask, a win, a commitment, a check-in) leaves without an explicit
``include_private``. An ask that is private takes its notes and outcome with
it; a private commitment takes its reviews.
"""

from __future__ import annotations

from .model import CheckinDoc, CommitmentDoc, NoteDoc, SessionDoc


def _public_notes(notes: list[NoteDoc]) -> list[NoteDoc]:
    return [n for n in notes if not n["private"]]


def redact_session(session: SessionDoc, private_commitments: set[str]) -> SessionDoc:
    """A copy of ``session`` without private notes, asks, wins or reviews of
    private commitments."""
    public: SessionDoc = {**session}
    public["turns"] = [{**t, "notes": _public_notes(t["notes"])} for t in session["turns"]]
    public["asks"] = [
        {
            **a,
            "notes": _public_notes(a["notes"]),
            "commitment_id": (
                None if a["commitment_id"] in private_commitments else a["commitment_id"]
            ),
            "outcome": None if a["commitment_id"] in private_commitments else a["outcome"],
        }
        for a in session["asks"]
        if not a["private"]
    ]
    public["wins"] = [w for w in session["wins"] if not w["private"]]
    public["notes"] = _public_notes(session["notes"])
    public["commitment_ids"] = [
        c for c in session["commitment_ids"] if c not in private_commitments
    ]
    public["reviews"] = {
        cid: review for cid, review in session["reviews"].items() if cid not in private_commitments
    }
    return public


def public_commitments(commitments: list[CommitmentDoc]) -> list[CommitmentDoc]:
    return [c for c in commitments if not c["private"]]


def public_checkins(checkins: list[CheckinDoc], private_commitments: set[str]) -> list[CheckinDoc]:
    """Check-ins without private ones, and without statuses of private commitments."""
    result: list[CheckinDoc] = []
    for checkin in checkins:
        if checkin["private"]:
            continue
        statuses = {k: v for k, v in checkin["statuses"].items() if k not in private_commitments}
        result.append({**checkin, "statuses": statuses})
    return result


def private_ids(commitments: list[CommitmentDoc]) -> set[str]:
    return {c["id"] for c in commitments if c["private"]}
