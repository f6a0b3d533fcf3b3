"""The JSON bundle: a versioned set of one group's sessions, the unit of sharing.

``peersession export GROUP --format json`` writes one; ``peersession import``
merges one. A bundle carries its own format version so a newer bundle is
refused by an older peersession rather than misread.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pendulum

from .. import __version__
from ..core.model import CheckinDoc, CommitmentDoc, Group, SessionDoc
from ..core.privacy import private_ids, public_checkins, public_commitments, redact_session

BUNDLE_FORMAT = "peersession-bundle"
BUNDLE_VERSION = 1


def build_bundle(
    group: Group,
    sessions: Sequence[SessionDoc],
    commitments: Sequence[CommitmentDoc],
    checkins: Sequence[CheckinDoc] = (),
    *,
    include_private: bool = False,
) -> dict[str, Any]:
    """A bundle of ``sessions`` with the commitments they made or reviewed."""
    session_ids = {s["id"] for s in sessions}
    reviewed = {cid for s in sessions for cid in s["reviews"]}
    wanted = [c for c in commitments if c["made_in"] in session_ids or c["id"] in reviewed]
    chosen_checkins = list(checkins)
    chosen_sessions = list(sessions)
    if not include_private:
        hidden = private_ids(list(commitments))
        chosen_sessions = [redact_session(s, hidden) for s in sessions]
        wanted = public_commitments(wanted)
        chosen_checkins = public_checkins(chosen_checkins, hidden)
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "exported_at": pendulum.now("UTC").isoformat(),
        "exported_by": f"peersession {__version__}",
        "includes_private": include_private,
        "group": group.to_doc(),
        "sessions": chosen_sessions,
        "commitments": wanted,
        "checkins": chosen_checkins,
    }


def dumps_bundle(bundle: dict[str, Any]) -> str:
    # ensure_ascii keeps terminal escapes and other control characters as
    # \u escapes, so printing a bundle to a terminal cannot drive it.
    return json.dumps(bundle, ensure_ascii=True, indent=2, sort_keys=False) + "\n"
