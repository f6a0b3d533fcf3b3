"""Stays in the room: removing private items before anything leaves the app.

Every export and bundle goes through these functions; nothing marked private
(a note, an ask, a win, a commitment, a check-in) leaves without an explicit
``include_private``. An ask that is private takes its notes and outcome with
it; a private commitment takes its reviews; a private check-in takes the
reviews it made of public commitments.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .model import CheckinDoc, CommitmentDoc, NoteDoc, ReviewDoc, SessionDoc


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


def public_commitments(
    commitments: list[CommitmentDoc], private_checkins: Collection[str] = ()
) -> list[CommitmentDoc]:
    """Public commitments, without the reviews a private check-in made.

    A private check-in stays in the room whole: not its note, and not the
    status, source and time it left on a public commitment either. The
    commitment's ``updated_at`` is taken back to its last public change, so
    the moment of the private check-in does not show there instead.
    """
    result: list[CommitmentDoc] = []
    for commitment in commitments:
        if commitment["private"]:
            continue
        hidden = [r for r in commitment["reviews"] if _from_private_checkin(r, private_checkins)]
        if not hidden:
            result.append(commitment)
            continue
        reviews = [r for r in commitment["reviews"] if r not in hidden]
        updated_at = commitment["updated_at"]
        if any(r["at"] == updated_at for r in hidden):
            updated_at = max([commitment["made_at"], *(r["at"] for r in reviews)])
        result.append({**commitment, "reviews": reviews, "updated_at": updated_at})
    return result


def _from_private_checkin(review: ReviewDoc, private_checkins: Collection[str]) -> bool:
    return review["source"] == "checkin" and review.get("source_id") in private_checkins


def private_checkin_ids(checkins: Iterable[CheckinDoc]) -> set[str]:
    return {c["id"] for c in checkins if c["private"]}


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
