"""How the time asked for reads on screen: a row per member, and where the requests stand.

Written once for the round's dialog (``screens/time_requests.py``), the
opening's panel and the room's board, so the facilitator and the room read
the same figures; every figure comes from the engine's split
(``core/talking_time.py``), never worked out here.
"""

from __future__ import annotations

from textual.content import Content

from ...core.durations import format_clock
from ...core.engine import Meeting
from ...core.talking_time import Shares, fit_line, length_text
from ..text import literal

#: The width of the request column (the member's name follows it).
MARK_WIDTH = 20


def request_mark(meeting: Meeting, shares: Shares, member_id: str) -> tuple[str, str]:
    """What a member asked for, with a shape (readable without colour), and its style."""
    request = meeting.requests.get(member_id)
    turn = format_clock(shares.turns.get(member_id, shares.default_turn))
    if request is None:
        return f"· equal · {turn}", "dim"
    if request.choice == "minutes":
        granted = shares.granted.get(member_id, request.seconds)
        if granted != request.seconds:
            return f"▲ {length_text(request.seconds)} → {format_clock(granted)}", "bold $warning"
        return f"▲ {length_text(request.seconds)}", "bold"
    if request.choice == "pass":
        return f"– pass · {turn}", "bold"
    return f"= equal · {turn}", "bold"


def request_row(
    meeting: Meeting, shares: Shares, member_id: str, typing: str | None = None
) -> Content:
    """One member's row: what they asked for (or the minutes being typed) and their name."""
    if typing is not None:
        mark, style = f"✎ {typing}▏ min", "bold reverse"
    else:
        mark, style = request_mark(meeting, shares, member_id)
    return Content.assemble((f"{mark:<{MARK_WIDTH}}", style), " ", literal(meeting.name(member_id)))


def requests_status(meeting: Meeting, shares: Shares, *, scale_key: bool = True) -> Content:
    """Where the requests stand against the time, and what to do when they do not fit."""
    asked = [r for m, r in meeting.requests.items() if m in meeting.here and r.choice != "default"]
    if not asked:
        return Content(f"Nobody has asked for time: {format_clock(shares.default_turn)} each")
    if shares.over and meeting.requests_scaled:
        return Content.styled(f"Scaled to fit, as accepted: {fit_line(shares)}", "bold")
    if shares.over:
        return Content.assemble(
            (f"■ {fit_line(shares).capitalize()}", "bold $error"),
            " · s: scale to fit" if scale_key else "",
        )
    rest = (
        f"the rest: {format_clock(shares.default_turn)} each for {shares.sharing}"
        if shares.sharing
        else "the rest goes to the asks"
    )
    return Content(f"{fit_line(shares).capitalize()} · {rest}")


def requests_block(meeting: Meeting) -> Content:
    """The round as the room sees it: where the requests stand, a row per member here."""
    shares = meeting.shares()
    lines = [
        Content.styled("Time asked for", "bold"),
        requests_status(meeting, shares),
        *(request_row(meeting, shares, m) for m in meeting.present),
    ]
    return Content("\n").join(lines)
