"""Who is here: one key per member marks them here, absent/left or late.

The same list serves the Opening phase and the attendance dialog opened
with ``l`` from any phase (a late arrival, someone leaving early).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets.option_list import Option

from ...core.engine import Meeting
from ...core.steps import Mark, attendance_action
from .marklist import MarkList
from .panel import PhasePanel, refill
from .rows import attendance_row


def not_here_yet(meeting: Meeting) -> list[str]:
    """Members not in the room: those marked late first, then absent or gone (group order)."""
    away = [m.id for m in meeting.setup.group.members if m.id not in meeting.here]
    return sorted(away, key=lambda m: meeting.attendance[m] != "late")


class AttendanceList(MarkList):
    """Members and whether they are here; one key marks each, then moves down one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "mark('here')", "Here", id="attendance.here"),
        Binding("x", "mark('away')", "Absent/left", id="attendance.away"),
        Binding("l", "mark('late')", "Late", id="attendance.late"),
    ]

    class Marked(PhasePanel.Acted):
        pass

    def show(self, meeting: Meeting) -> None:
        rows = [
            Option(attendance_row(meeting, member.id), id=member.id)
            for member in meeting.setup.group.members
        ]
        refill(self, rows)
        self._meeting = meeting

    def action_mark(self, what: Mark) -> None:
        option = self.highlighted_option
        meeting = getattr(self, "_meeting", None)
        if option is None or option.id is None or meeting is None:
            return
        action = attendance_action(meeting, option.id, what)
        self.post_message(self.Marked(action))
        self.move_on()
