"""When a group meets, as its record holds it: a first date, a time of day, a zone.

Declared apart from ``core/slot.py`` (the series' arithmetic, with pendulum) so
the group's record and every read of the index need only the standard library.
"""

# No ``from __future__ import annotations``: the fields' types are objects at once.
import datetime
from typing import Annotated

from .group_rules import readable_slot
from .record_types import CalendarDay, Text, Value, doc, whole
from .slot_check import wall_clock


class Slot(Value):
    """When the group meets: a weekday and time in a time zone, every cadence from
    an anchor (``core/slot.py`` does the series' arithmetic)."""

    READ_RULES = (readable_slot,)

    anchor: Annotated[
        CalendarDay, doc("A day the series meets (the others are whole cadences away).")
    ]
    at: Annotated[Text, doc("The time of day, `HH:MM`, in the zone.")]
    zone: Annotated[Text, doc("An IANA time zone (`Europe/London`).")]
    skipped: Annotated[
        tuple[CalendarDay, ...], doc("Meetings of the series that do not happen.")
    ] = ()
    moved: Annotated[
        dict[CalendarDay, CalendarDay], doc("Meeting day → the day it was moved to.")
    ] = {}
    sequence: Annotated[
        int, whole(low=0), doc("Raised at each change (calendars update in place).")
    ] = 0

    @property
    def time(self) -> datetime.time:
        """The time of day (``at``, checked when the slot was read or set)."""
        return datetime.time(*wall_clock(self.at))
