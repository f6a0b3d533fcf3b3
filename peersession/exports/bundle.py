"""The JSON bundle: a versioned set of one group's sessions, the unit of sharing.

``peersession export GROUP --format json`` writes one; ``peersession import``
merges one (:func:`parse_bundle` checks it, :mod:`peersession.store.merge`
merges it). A bundle carries its own format ``version`` and the history's
``schema`` version its documents follow, so a bundle from a newer peersession
is refused by an older one rather than misread.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import msgspec
import pendulum
from msgspec import UNSET
from msgspec.structs import replace

from .. import __version__
from ..core.model import Group
from ..core.names import normal_name
from ..core.privacy import (
    private_checkin_ids,
    private_ids,
    public_checkins,
    public_commitments,
    redact_session,
)
from ..core.record_errors import describe_error
from ..core.record_types import door_version, stored
from ..core.records import SCHEMA_VERSION, Bundle
from ..core.session_records import Checkin, Session
from ..errors import UserError
from .escape import one_line

if TYPE_CHECKING:
    from ..core.records import Goal
    from ..core.session_records import Commitment

BUNDLE_FORMAT = "peersession-bundle"
BUNDLE_VERSION = 1


def build_bundle(
    group: Group,
    sessions: Sequence[Session],
    commitments: Sequence[Commitment],
    checkins: Sequence[Checkin] = (),
    *,
    include_private: bool = False,
    private_checkins: Collection[str] = (),
    goals: Sequence[Goal] = (),
) -> dict[str, Any]:
    """A bundle of ``sessions`` with the commitments they made or reviewed.

    ``private_checkins``: ids of every private check-in of the group (they may
    have reviewed these commitments even when ``checkins`` is not exported).
    ``goals``: the members' goals, every one (a bundle is also a backup);
    without ``include_private`` the private ones stay out, and so does the
    link to them from a commitment (the id alone says a private goal exists).
    """
    session_ids = {s.id for s in sessions}
    reviewed = {cid for s in sessions for cid in s.reviews}
    wanted = [c for c in commitments if c.made_in in session_ids or c.id in reviewed]
    chosen_checkins = list(checkins)
    chosen_sessions = list(sessions)
    if not include_private:
        hidden = private_ids(list(commitments))
        chosen_sessions = [redact_session(s, hidden) for s in sessions]
        secret = set(private_checkins) | private_checkin_ids(chosen_checkins)
        wanted = public_commitments(wanted, secret)
        chosen_checkins = public_checkins(chosen_checkins, hidden)
    chosen_goals, wanted = _goals_leaving(goals, wanted, include_private)
    if not include_private:
        chosen_sessions = _goal_reviews_leaving(chosen_sessions, chosen_goals)
    return {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": pendulum.now("UTC").isoformat(),
        "exported_by": f"peersession {__version__}",
        "includes_private": include_private,
        "group": group.to_doc(),
        "sessions": [stored(s) for s in chosen_sessions],
        "commitments": [stored(c) for c in wanted],
        "checkins": [stored(c) for c in chosen_checkins],
        "goals": [stored(g) for g in chosen_goals],
    }


def _goal_reviews_leaving(sessions: list[Session], public: Sequence[Goal]) -> list[Session]:
    """Sessions whose goals review keeps only the goals that leave with the
    bundle: where a private goal stood (and the note on it) stays home, as the
    goal does."""
    leaving = {g.id for g in public}
    kept: list[Session] = []
    for session in sessions:
        said = session.goal_reviews
        if said is not UNSET and not set(said) <= leaving:
            session = replace(session, goal_reviews={k: v for k, v in said.items() if k in leaving})
        kept.append(session)
    return kept


def _goals_leaving(
    goals: Sequence[Goal], commitments: list[Commitment], include_private: bool
) -> tuple[list[Goal], list[Commitment]]:
    """The goals a bundle carries, and its commitments without links to the
    goals left out (the key taken away, so an import keeps the link it has)."""
    if include_private:
        return list(goals), commitments
    secret = {g.id for g in goals if g.private}
    public = [g for g in goals if not g.private]
    cut: list[Commitment] = []
    for commitment in commitments:
        if commitment.goal_id in secret:
            commitment = replace(commitment, goal_id=UNSET)
        cut.append(commitment)
    return public, cut


def check_exportable(bundle: dict[str, Any]) -> None:
    """Raise UserError unless ``bundle`` (just built) passes the import's check: a
    value a hand edit put out of its bounds would make a backup that never restores."""
    try:
        shapes_of_bundle(bundle)
    except msgspec.ValidationError as error:
        problem = describe_error(error)
    except InvalidBundle as error:
        problem = str(error)
    else:
        return
    raise UserError(
        f"cannot export: {one_line(problem)}, so no peersession would import the bundle "
        "(`peersession doctor` names the record); nothing was written"
    )


def dumps_bundle(bundle: dict[str, Any]) -> str:
    # ensure_ascii keeps terminal escapes and other control characters as
    # \u escapes, so printing a bundle to a terminal cannot drive it.
    return json.dumps(bundle, ensure_ascii=True, indent=2, sort_keys=False) + "\n"


def _refuse(problem: str) -> NoReturn:
    # The problem may quote the bundle's own text: keep the message one safe line.
    raise UserError(f"not a valid peersession bundle: {one_line(problem)}; nothing was imported")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_bundle(text: str | bytes) -> dict[str, Any]:
    """The bundle in ``text``, checked completely, or a one-line UserError.

    Refuses what is not JSON (or is truncated), not a bundle, from a newer
    peersession, or holds any document the history could not use; see
    :func:`validate_bundle`.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            _refuse("not UTF-8 text")
    if not text.strip():
        _refuse("the file is empty")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        _refuse(f"not valid JSON ({error.msg} at line {error.lineno}); is it truncated?")
    except ValueError as error:
        _refuse(str(error))
    except RecursionError:
        _refuse("JSON nested too deeply")
    _normal_names(data)
    validate_bundle(data)
    result: dict[str, Any] = data
    return result


def _normal_names(data: Any) -> None:
    """What every other door does to what people type, done to the bundle's text
    before it is checked: names in NFC on one line (``Zoë`` typed two ways is one
    name), ground rules and check-in updates on one line."""
    if not isinstance(data, dict):
        return
    group = data.get("group")
    if isinstance(group, dict):
        if isinstance(group.get("name"), str):
            group["name"] = normal_name(group["name"])
        for member in _list(group.get("members")):
            if isinstance(member, dict) and isinstance(member.get("name"), str):
                member["name"] = normal_name(member["name"])
        rules = group.get("ground_rules")
        if isinstance(rules, list):
            group["ground_rules"] = [
                " ".join(r.split()) if isinstance(r, str) else r for r in rules
            ]
    for checkin in _list(data.get("checkins")):
        if isinstance(checkin, dict) and isinstance(checkin.get("note"), str):
            checkin["note"] = " ".join(checkin["note"].split()) or None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def validate_bundle(data: Any) -> None:
    """Raise UserError unless ``data`` is a bundle this version can merge whole."""
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise UserError(
            f'not a peersession bundle (no "format": "{BUNDLE_FORMAT}"); nothing was imported'
        )
    for key, newest in (("version", BUNDLE_VERSION), ("schema", SCHEMA_VERSION)):
        # Bundles written before "schema" was recorded hold schema 1 documents.
        value = data.get(key, 1 if key == "schema" else None)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            _refuse(f"{key!r} is not a version number")
        if value > newest:
            raise UserError(
                f"this bundle was made by a newer peersession ({key} {value}; this one reads "
                f"up to {newest}): upgrade peersession to import it; nothing was imported"
            )
        # Schema 1 documents are schema 2's without the group's slot, which
        # the import infers from the bundle's sessions.
        oldest = 1 if key == "schema" else newest
        if value < oldest:
            _refuse(f"{key} {value} is older than this peersession can merge ({newest})")
    try:
        shapes_of_bundle(data)  # the group too, by the declaration the code reads it with
    except msgspec.ValidationError as error:
        _refuse(describe_error(error))
    except InvalidBundle as error:
        _refuse(str(error))


def shapes_of_bundle(data: dict[str, Any]) -> None:
    """Every document checked against ``core/records.py`` with the rules of the
    doors (what a person typing at the CLI may enter), then the bundle's own
    rules: every record of the bundle's group, no id twice."""
    msgspec.convert(data, door_version(Bundle))
    group_id = data["group"]["id"]
    for kind in ("sessions", "commitments", "checkins"):
        _check_documents(kind, data[kind], group_id)
    goals = data.get("goals", [])
    _check_documents("goals", goals, group_id)
    members = {m["id"] for m in data["group"]["members"]}
    for index, goal in enumerate(goals):
        if goal["owner"] not in members:
            raise InvalidBundle(f"goals[{index}].owner: not a member of the bundle's group")


class InvalidBundle(ValueError):
    """A bundle's own rule broken (``sessions[2].id: ...``)."""


def _check_documents(kind: str, docs: list[dict[str, Any]], group_id: str) -> None:
    seen: set[str] = set()
    for index, doc in enumerate(docs):
        if doc["group_id"] != group_id:
            raise InvalidBundle(f"{kind}[{index}].group_id: not the bundle's group")
        if doc["id"] in seen:
            raise InvalidBundle(f"{kind}[{index}].id: {doc['id']!r} appears twice")
        seen.add(doc["id"])
