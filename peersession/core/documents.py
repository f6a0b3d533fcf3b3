"""The documents a finished session leaves, as the code reads them.

Sessions, commitments, check-ins and goals are stored, exported and merged
between machines as JSON documents; these ``TypedDict``s name their keys for
mypy (each is declared once as a stored record in ``core/records.py``, and a
test keeps the two naming the same fields), with the value types they use.
"""

from __future__ import annotations

from typing import Literal, get_args

AttendanceStatus = Literal["present", "absent", "late"]
ReviewStatus = Literal["done", "partial", "not_done", "renegotiated", "dropped"]
WinKind = Literal["promotion", "grant", "publication", "award", "personal", "other"]
# -- the group's own review (issue 25: core/health.py, core/goal_reviews.py) --
HealthQuestion = Literal["safe", "focus", "balance", "schedule", "worth"]
#: Where a goal stands when the goals review asks.
GoalStanding = Literal["on_track", "behind", "reached", "dropped"]

ATTENDANCE_STATUSES: tuple[AttendanceStatus, ...] = get_args(AttendanceStatus)
REVIEW_STATUSES: tuple[ReviewStatus, ...] = get_args(ReviewStatus)
WIN_KINDS: tuple[WinKind, ...] = get_args(WinKind)
