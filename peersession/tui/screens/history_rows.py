"""The rows of the group's history table: sessions and check-ins, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from ...core.accountability import average_rating, session_done
from ...core.commitment_state import REVIEW_LABELS
from ...core.lifecycle import members_here
from ...core.local_days import local_day
from ..private_marker import PRIVATE_TAG, private_tag
from ..text import literal, one_line
from .history_data import GroupHistory, day_label, short_day

if TYPE_CHECKING:
    from ...core.session_records import Checkin, Session


@dataclass(frozen=True)
class Row:
    key: str
    kind: Literal["session", "checkin"]
    #: The session's or the check-in's id.
    record_id: str
    #: The member who checked in (check-in rows only).
    member_id: str | None
    cells: tuple[Text, ...]
    at: str


def _cell(text: str, *, right: bool = False, style: str = "") -> Text:
    """A cell holding text literally (``Text``, never markup), already safe to show:
    made here from numbers and dates, or passed through :func:`one_line`."""
    return _shared_cell(text, right, style)


@lru_cache(maxsize=4096)
def _shared_cell(text: str, right: bool, style: str) -> Text:
    """One ``Text`` for each distinct cell: a 500-session table has about 5,700
    cells but under 1,000 different ones (counts, ratings, days), and making a
    ``Text`` is most of the cost of a row. Cells are handed to the table and
    never changed after, so equal ones can be the same object."""
    return Text(text, justify="right" if right else "left", style=style)


@lru_cache(maxsize=4096)
def fit_cells(text: str, width: int) -> str:
    """``text`` on one line (made visible), whole when it fits in ``width``
    terminal cells, else cut with an ellipsis: by cells (a CJK character is
    two), never inside a character and never to a first word. (Cached: the
    same people meet session after session.)"""
    flat = one_line(text, len(text) + 1)
    if cell_len(flat) <= width:
        return flat
    if flat.isascii():
        return flat[: width - 1].rstrip() + "…"
    kept: list[str] = []
    used = 0
    for char in flat:
        used += cell_len(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def _names(data: GroupHistory) -> dict[str, str]:
    """Each member's whole name, looked up once for the hundreds of rows."""
    return {m.id: m.name for m in data.group.members}


def session_row(
    data: GroupHistory,
    session: Session,
    who_width: int,
    names_of: dict[str, str] | None = None,
) -> Row:
    if names_of is None:
        names_of = _names(data)
    day = data.day(session.id)
    attendance = session.attendance
    here = [m for m, s in attendance.items() if s != "absent"]
    # Whole names: a first word is a title ("Professor") or half a name.
    names = ", ".join(names_of[m] if m in names_of else data.group.name_of(m) for m in here)
    done = session_done(session)
    rating = average_rating(session)
    return Row(
        key=f"s-{session.id}",
        kind="session",
        record_id=session.id,
        member_id=None,
        at=session.started_at,
        cells=(
            _cell(short_day(day) if day else "?"),
            _cell("session", style="bold"),
            _cell(_here_cell(session), right=True),
            _cell(str(len(session.asks)), right=True),
            _cell(str(len(session.commitment_ids)), right=True),
            _cell(f"{done.part}/{done.whole}" if done.whole else "–", right=True),
            _cell(f"{rating:.1f}" if rating is not None else "–", right=True),
            # Made visible (control characters shown as �), cut only if too wide.
            _cell(fit_cells(names, who_width)),
        ),
    )


def checkin_row(
    data: GroupHistory, checkin: Checkin, who_width: int, zone: tzinfo | None = None
) -> Row:
    day = local_day(checkin.at, zone or data.zone_info)
    statuses = list(checkin.statuses.values())
    done = sum(1 for s in statuses if s == "done")
    parts = [data.group.name_of(checkin.member_id)]
    if checkin.energy is not None:
        parts.append(f"energy {checkin.energy}/5")
    if checkin.note:
        parts.append(checkin.note)
    if checkin.private:
        parts.append(PRIVATE_TAG)
    return Row(
        key=f"c-{checkin.id}",
        kind="checkin",
        record_id=checkin.id,
        member_id=checkin.member_id,
        at=checkin.at,
        cells=(
            _cell(short_day(day)),
            _cell("check-in", style="italic"),
            _cell(""),
            _cell(""),
            _cell(""),
            _cell(f"{done}/{len(statuses)}" if statuses else "–", right=True),
            _cell(""),
            # Made visible (control characters shown as �), cut only if too wide.
            _cell(fit_cells(" · ".join(parts), who_width)),
        ),
    )


def build_rows(data: GroupHistory, who_width: int, newest: int | None = None) -> list[Row]:
    """Sessions and the check-ins between them, newest first; with ``newest``,
    only that many (the first page, shown before the rest are made)."""
    names_of = _names(data)
    zone = data.zone_info
    sessions, checkins = data.sessions, data.checkins
    if newest is not None:
        # Each list is oldest first, so the newest rows are among the last of each.
        sessions = sessions[-newest:] if newest else []
        checkins = sorted(checkins, key=lambda c: c.at)[-newest:] if newest else []
    rows = [session_row(data, s, who_width, names_of) for s in sessions]
    rows += [checkin_row(data, c, who_width, zone) for c in checkins]
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows if newest is None else rows[:newest]


def detail_of(data: GroupHistory, row: Row) -> Content:
    """The highlighted row in full, under the table (the table cuts long cells)."""
    name = data.group.name_of
    if row.kind == "session":
        session = data.session(row.record_id)
        if session is None:
            return Content("")
        by_status: dict[str, list[str]] = {"present": [], "late": [], "absent": []}
        for member_id, status in session.attendance.items():
            by_status[status].append(name(member_id))
        parts = [
            f"{label}: {', '.join(names)}"
            for label, names in (
                ("Present", by_status["present"]),
                ("Late", by_status["late"]),
                ("Absent", by_status["absent"]),
            )
            if names
        ]
        day = data.day(session.id)
        title = f"{day_label(day)} session" if day else "Session"
        return Content.assemble(
            (title, "bold"), " · ", literal("; ".join(parts)), (" · enter: in full", "dim")
        )
    checkin = next((c for c in data.checkins if c.id == row.record_id), None)
    if checkin is None:
        return Content("")
    statuses = []
    for commitment_id, reported in checkin.statuses.items():
        doc = data.commitment(commitment_id)
        text = doc.text if doc else "(gone)"
        statuses.append(f"{text} → {REVIEW_LABELS.get(reported, reported)}")
    parts = [f"{name(checkin.member_id)} checked in"]
    if checkin.energy is not None:
        parts.append(f"energy {checkin.energy}/5")
    if checkin.note:
        parts.append(f"“{checkin.note}”")
    parts += statuses
    return Content.assemble(
        literal(" · ".join(parts)),
        private_tag(checkin.private),
        (" · enter: their timeline", "dim"),
    )


def _here_cell(session: Session) -> str:
    """``7/7``: the group's members here of those on the roll (``+1``: a guest)."""
    here, roll, guests = members_here(session)
    return f"{here}/{roll}" + (f"+{guests}" if guests else "")
