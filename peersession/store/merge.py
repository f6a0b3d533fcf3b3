"""Merging a bundle into the history: by id, idempotent, nothing ever deleted.

The rules, record by record (sessions, commitments, check-ins, goals):

* a record the history lacks is added;
* the same record (same id) with a later ``updated_at`` replaces the local one,
  an earlier one is ignored, so the newer edit wins whichever side it is on;
* a commitment's ``reviews`` are always the union of both sides, keyed by
  ``(at, source_id)`` and sorted, so reviews made on two machines both count;
* nothing is deleted, and a bundle made without private items
  (``includes_private: false``) never takes private items away: they are put
  back into any record it replaces. With equal timestamps (the same version of
  a record) the private items of either side are united, so importing the
  complete bundle after the redacted one fills in what was left out.

The group is matched by id. A *different* group (another id) with the same
name is refused rather than merged: two groups that share a name are not the
same people, and mixing their confidential histories cannot be undone. Members
are merged by id; a new member whose name a local member already has is
refused for the same reason. Otherwise the local group's settings win (a group
carries no edit time to say which side is newer; that includes whether a member
is still active), new members are added, and the later next-meeting date is kept.

Everything is checked before anything is written; the group's file is then
written in one atomic transaction and the index after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from msgspec import structs
from tinydb import TinyDB

from ..core.model import Group
from ..core.names import name_key
from ..errors import UserError
from .history import HistoryStore
from .history_docs import copy_json
from .lifecycle_migration import add_member_join_dates
from .slot_migration import newer_slot, with_inferred_slot

Doc = dict[str, Any]
T = TypeVar("T")

_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass
class KindCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class MergeReport:
    """What an import did, kind by kind."""

    group_name: str
    group_created: bool = False
    group_updated: bool = False
    members_added: int = 0
    sessions: KindCounts = field(default_factory=KindCounts)
    commitments: KindCounts = field(default_factory=KindCounts)
    checkins: KindCounts = field(default_factory=KindCounts)
    goals: KindCounts = field(default_factory=KindCounts)

    @property
    def changed(self) -> bool:
        kinds = (self.sessions, self.commitments, self.checkins, self.goals)
        return self.group_created or self.group_updated or any(k.added or k.updated for k in kinds)

    def describe(self) -> list[str]:
        """Lines for the user: what was added and updated, or that nothing was."""
        if not self.changed:
            return [f"nothing new for {self.group_name!r}: the history already holds this bundle"]
        head = "new group" if self.group_created else "group"
        lines = [f"imported into {head} {self.group_name!r}"]
        if self.members_added:
            lines.append(f"  members: {self.members_added} added")
        for kind in ("sessions", "commitments", "checkins", "goals"):
            counts: KindCounts = getattr(self, kind)
            if kind == "goals" and counts == KindCounts():
                continue  # a bundle without goals (or from before them) says nothing of them
            lines.append(
                f"  {kind}: {counts.added} added, {counts.updated} updated, "
                f"{counts.unchanged} unchanged"
            )
        return lines


def merge_bundle(store: HistoryStore, bundle: dict[str, Any]) -> MergeReport:
    """Merge a checked bundle into ``store``.

    The bundle format lives one floor up, in ``exports``, and the store does
    not reach up to it: take bundles from ``exports.bundle.parse_bundle`` or
    through ``exports.bundle_import.import_bundle``, which check them whole
    first. Raises UserError, with the history untouched, when the bundle's
    group clashes with a different local group.
    """
    # One hold of the write lock for the whole import: the local group it is
    # merged with is read after taking it, so a concurrent edit or import is
    # merged with, not written over.
    with store.locked():
        return _merge_locked(store, bundle)


def _merge_locked(store: HistoryStore, bundle: dict[str, Any]) -> MergeReport:
    if bundle.get("schema", 1) < 3:
        # Schema 2 knew no join dates: the members get them from the bundle's
        # sessions, as the data files' migration gives them (schema 3).
        bundle = {**bundle, "group": copy_json(bundle["group"])}
        add_member_join_dates(bundle["group"], bundle["sessions"])
    incoming = with_inferred_slot(
        Group.from_doc(bundle["group"]), [s["started_at"] for s in bundle["sessions"]]
    )
    local = next((g for g in store.groups() if g.id == incoming.id), None)
    if local is None:
        _refuse_name_clash(store, incoming)
        merged, members_added = incoming, len(incoming.members)
    else:
        merged, members_added = merge_group(local, incoming)
    report = MergeReport(
        merged.name,
        group_created=local is None,
        group_updated=local is not None and merged != local,
        members_added=members_added,
    )
    complete = bool(bundle["includes_private"])

    def change(db: TinyDB) -> None:
        # Private commitments, from either side: their ids say which reviews,
        # statuses and ask outcomes a redacted bundle left out.
        hidden = {c["id"] for c in _docs(db, "commitments").values() if c["private"]}
        hidden |= {c["id"] for c in bundle["commitments"] if c["private"]}

        def session(mine: Doc, theirs: Doc) -> Doc:
            return merge_session(mine, theirs, hidden, complete=complete)

        def checkin(mine: Doc, theirs: Doc) -> Doc:
            return merge_checkin(mine, theirs, hidden, complete=complete)

        _merge_table(db, "sessions", bundle["sessions"], session, report.sessions)
        _merge_table(db, "commitments", bundle["commitments"], merge_commitment, report.commitments)
        _merge_table(db, "checkins", bundle["checkins"], checkin, report.checkins)
        _merge_table(db, "goals", bundle.get("goals", []), merge_goal, report.goals)

    # The group's file first: should the index write then fail, importing
    # again finds every record unchanged and only adds the group.
    store.mutate_group_file(merged.id, change)
    if report.group_created or report.group_updated:
        store.save_group(merged)
    if report.group_created:
        # The summary could not be refreshed before the group was in the index.
        store.mutate_group_file(merged.id, lambda db: None)
    return report


def _refuse_name_clash(store: HistoryStore, incoming: Group) -> None:
    for group in store.groups():
        if name_key(group.name) == name_key(incoming.name):
            raise UserError(
                f"a different group named {group.name!r} is already here (id {group.id}; the "
                f"bundle's is {incoming.id}): rename yours with `peersession group edit "
                f"{group.id} --name NEW` to import it; nothing was imported"
            )


def merge_group(local: Group, incoming: Group) -> tuple[Group, int]:
    """The local group with the bundle's new members and the later next meeting."""
    known_ids = {m.id for m in local.members}
    names = {name_key(m.name): m for m in local.members}
    added = []
    for member in incoming.members:
        if member.id in known_ids:
            continue
        clash = names.get(name_key(member.name))
        if clash is not None:
            raise UserError(
                f"the bundle's member {member.name!r} (id {member.id}) is not this group's "
                f"{clash.name!r} (id {clash.id}): two members cannot share a name; rename "
                "one of them to import; nothing was imported"
            )
        added.append(member)
    dates = [d for d in (local.next_meeting, incoming.next_meeting) if d is not None]
    merged = structs.replace(
        local,
        members=(*local.members, *added),
        next_meeting=max(dates) if dates else None,
        slot=newer_slot(local, incoming),
    )
    return merged, len(added)


# -- records -----------------------------------------------------------------------------


def _moment(value: object) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return _OLDEST
        if parsed.tzinfo is not None:
            return parsed
    return _OLDEST


def _age(mine: Doc, theirs: Doc) -> int:
    """1 when ``theirs`` is the newer edit, -1 when older, 0 when the same."""
    a, b = _moment(mine.get("updated_at")), _moment(theirs.get("updated_at"))
    return (b > a) - (b < a)


def _newer_or_united(
    mine: Doc, theirs: Doc, unite: Callable[[Doc, Doc], Doc], complete: bool
) -> Doc:
    """The newer version, keeping private items the other side holds.

    A redacted bundle cannot remove local private items from the record it
    replaces; the same version from both sides gets the private items of both.
    """
    age = _age(mine, theirs)
    if age > 0:
        return unite(theirs, mine) if not complete else copy_json(theirs)
    if age == 0:
        return unite(mine, theirs)
    return mine


def merge_session(mine: Doc, theirs: Doc, hidden: set[str], *, complete: bool) -> Doc:
    """The session to keep (``mine`` itself when nothing changes)."""
    return _newer_or_united(
        mine, theirs, lambda base, other: _unite_session(base, other, hidden), complete
    )


def merge_checkin(mine: Doc, theirs: Doc, hidden: set[str], *, complete: bool) -> Doc:
    def unite(base: Doc, other: Doc) -> Doc:
        result = copy_json(base)
        for cid, status in other["statuses"].items():
            if cid in hidden:
                result["statuses"].setdefault(cid, status)
        return result

    return _newer_or_united(mine, theirs, unite, complete)


def merge_goal(mine: Doc, theirs: Doc) -> Doc:
    """The newer version of a goal, whole (a goal has no private parts: a
    redacted bundle leaves a private goal out altogether)."""
    return copy_json(theirs) if _age(mine, theirs) > 0 else mine


def merge_commitment(mine: Doc, theirs: Doc) -> Doc:
    """The newer version's fields, with the reviews of both sides."""
    newer = _age(mine, theirs) > 0
    result = copy_json(theirs if newer else mine)
    if "goal_id" not in result and mine.get("goal_id") is not None:
        # A redacted bundle leaves out the link to a private goal: keep ours.
        result["goal_id"] = mine["goal_id"]
    reviews = {_review_key(r): r for r in mine["reviews"]}
    for review in theirs["reviews"]:
        if newer or _review_key(review) not in reviews:
            reviews[_review_key(review)] = review
    united = list(reviews.values())
    if united == mine["reviews"]:
        result["reviews"] = copy_json(mine["reviews"])
    else:
        result["reviews"] = copy_json(sorted(united, key=lambda r: _review_key(r)))
    return result


def _review_key(review: Doc) -> tuple[str, str]:
    return (review["at"], review.get("source_id") or "")


def _unite_session(base: Doc, other: Doc, hidden: set[str]) -> Doc:
    """``base`` with every private item of ``other`` it lacks (see privacy.redact_session)."""
    result = copy_json(base)
    result["notes"] = _with_private(result["notes"], other["notes"])
    other_turns = {t["member_id"]: t for t in other["turns"]}
    for turn in result["turns"]:
        if turn["member_id"] in other_turns:
            turn["notes"] = _with_private(turn["notes"], other_turns[turn["member_id"]]["notes"])
    other_asks = {a["id"]: a for a in other["asks"]}
    for ask in result["asks"]:
        theirs = other_asks.get(ask["id"])
        if theirs is None:
            continue
        ask["notes"] = _with_private(ask["notes"], theirs["notes"])
        if ask["commitment_id"] is None and theirs["commitment_id"] in hidden:
            ask["commitment_id"], ask["outcome"] = theirs["commitment_id"], theirs["outcome"]
    result["asks"] = _with_private(result["asks"], other["asks"])
    result["wins"] = _with_private(result["wins"], other["wins"])
    result["commitment_ids"] = _merge_ordered(
        result["commitment_ids"], other["commitment_ids"], hidden.__contains__, str
    )
    for cid, review in other["reviews"].items():
        if cid in hidden:
            result["reviews"].setdefault(cid, copy_json(review))
    return result


def _with_private(base: list[Doc], other: list[Doc]) -> list[Doc]:
    return _merge_ordered(base, other, lambda d: bool(d["private"]), lambda d: str(d["id"]))


def _merge_ordered(
    base: list[T], other: list[T], wanted: Callable[[T], bool], key: Callable[[T], str]
) -> list[T]:
    """``base`` with the ``wanted`` items of ``other`` it lacks, each at its index
    in ``other``: when ``base`` is ``other`` redacted, the result is ``other``."""
    result = list(base)
    have = {key(item) for item in base}
    for index, item in enumerate(other):
        if wanted(item) and key(item) not in have:
            result.insert(min(index, len(result)), copy_json(item))
            have.add(key(item))
    return result


# -- tables ---------------------------------------------------------------------------------


def _docs(db: TinyDB, table: str) -> dict[str, Doc]:
    return {doc["id"]: dict(doc) for doc in db.table(table, cache_size=0).all()}


def _merge_table(
    db: TinyDB,
    name: str,
    incoming: list[Doc],
    merge: Callable[[Doc, Doc], Doc],
    counts: KindCounts,
) -> None:
    """Merge ``incoming`` into table ``name`` with one insert and one update call
    (not one per record: each TinyDB call rewrites the whole table in memory)."""
    table = db.table(name, cache_size=0)
    stored = table.all()
    doc_ids = {doc["id"]: doc.doc_id for doc in stored}
    local = {doc["id"]: dict(doc) for doc in stored}
    added: list[Doc] = []
    changed: dict[str, Doc] = {}
    for theirs in incoming:
        mine = local.get(theirs["id"])
        if mine is None:
            added.append(copy_json(theirs))
            counts.added += 1
            continue
        result = merge(mine, theirs)
        if result == mine:
            counts.unchanged += 1
        else:
            changed[theirs["id"]] = result
            counts.updated += 1

    def replace_doc(doc: Any) -> None:
        new = changed[doc["id"]]
        doc.clear()
        doc.update(new)

    if changed:
        table.update(replace_doc, doc_ids=[doc_ids[i] for i in changed])
    if added:
        table.insert_multiple(added)
