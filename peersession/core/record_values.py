"""The values some fields of a stored record take, by name.

The records themselves are declared in ``core/records.py`` and
``core/session_records.py``; these ``Literal``s live apart because screens and
rules name them without importing msgspec and the declarations.
"""

from __future__ import annotations

from typing import Literal, get_args

AttendanceStatus = Literal["present", "absent", "late"]
ReviewStatus = Literal["done", "partial", "not_done", "renegotiated", "dropped"]
WinKind = Literal["promotion", "grant", "publication", "award", "personal", "other"]
# -- the group's own review (issue 25: core/health.py, core/group_review.py) --
HealthQuestion = Literal["safe", "focus", "balance", "schedule", "worth"]
#: Where a goal stands when the goals review asks.
GoalStanding = Literal["on_track", "behind", "reached", "dropped"]

ATTENDANCE_STATUSES: tuple[AttendanceStatus, ...] = get_args(AttendanceStatus)
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
WIN_KINDS: tuple[WinKind, ...] = get_args(WinKind)
