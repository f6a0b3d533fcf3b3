"""The years a stored date may fall in: every reader computes with a date (a
cadence added, a zone converted, a calendar written), and a year 1 or 9999
overflows one of them.

Apart from the record declarations (``core/record_types.py``, which re-exports
them) so that the live meeting's state can ask without importing msgspec and
every stored record's declaration.
"""

from __future__ import annotations

FIRST_YEAR = 1970
LAST_YEAR = 2200


def readable_year(year: int) -> bool:
    """Whether a stored date of this year is one every reader can compute with."""
    return FIRST_YEAR <= year <= LAST_YEAR
