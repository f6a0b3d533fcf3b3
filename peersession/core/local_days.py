"""The local calendar day of a stored moment, in a zone or this machine's.

Apart from ``core/accountability.py`` (which re-exports it) so that a fresh
``peersession search`` dates its results without importing pendulum: pendulum
is asked only for this machine's zone, when no zone is given.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo


def local_day(moment: str, zone: tzinfo | None = None) -> date:
    """The local calendar date of a stored ISO timestamp. The standard library's
    parser, not pendulum's: this runs for every item of a very long history."""
    if zone is None:
        from pendulum.tz import local_timezone

        zone = local_timezone()
    return datetime.fromisoformat(moment).astimezone(zone).date()
