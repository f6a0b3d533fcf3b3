"""Lists marked row by row, with one rule for where the cursor goes.

Attendance, the review of last commitments, the commitments round and a
member's check-in all work the same way: **a mark moves the cursor down to
the next row** (a new commitment is the row it lands on), and ↑/↓ stop at
the ends instead of wrapping round, so counting key presses always lands
where one expects. :data:`MARK_RULE` says so on screen.
"""

from __future__ import annotations

from contextlib import suppress

from textual.widgets import OptionList
from textual.widgets.option_list import OptionDoesNotExist

#: The rule, as the hint line shows it.
MARK_RULE = "a mark moves down one"


class MarkList(OptionList):
    """An option list whose cursor never wraps and moves on after a mark."""

    def _step(self, direction: int) -> None:
        if self.highlighted is None:
            if self.option_count:
                self.highlighted = 0 if direction > 0 else self.option_count - 1
            return
        index = self.highlighted + direction
        while 0 <= index < self.option_count:
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return
            index += direction
        # At the end: stay put rather than jump to the other end.

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def move_on(self) -> None:
        """After a mark: down to the next row (staying on the last)."""
        self._step(1)

    def highlight_id(self, option_id: str) -> None:
        """Put the cursor on the row with ``option_id`` (if it is there)."""
        # OptionDoesNotExist: the row is gone, keep the cursor where it is.
        with suppress(OptionDoesNotExist):
            self.highlighted = self.get_option_index(option_id)
