"""One result on every machine: change records merged into the group's records.

Every machine of a group takes in the same change records (:mod:`.changes`)
in whatever order its sync tool delivers them, some twice, some late. The
merge is a join: :class:`State` holds, per record, the winning value of each
field and the elements of its sets, and taking in a change, or joining two
states, is idempotent, commutative and associative. The same changes give
the same records, whichever machine, whichever order, however split.

The rules:

* **Records are a union by id.** Two sessions started on two machines at once
  have two ids: both are kept. A record shows once its ``put`` has arrived.
* **A field is a last-writer-wins register** ordered by the change's hybrid
  logical clock stamp (:mod:`.hlc`), then by a digest of the change, so even
  two different changes with one stamp (only a broken or hostile writer makes
  those) resolve the same everywhere. Group settings, a member's name and
  ``active`` status, a check-in's statuses, an item's text or private flag.
* **Keyed lists merge by element** (a group's ``members``): an element added
  on any machine is kept, ordered by the first ``put`` that held it (its stamp,
  then its place in it), and each of its fields is a register of its own.
* **Grow-only sets keep every element** (a commitment's ``reviews``), ordered
  by the stamp of the first change that added each: the last one is the
  commitment's status, so a status set at a check-in on one machine and at the
  meeting's review on another resolves by the clock, and both stay in its
  history.
* **An edit of an item inside a record** (a note, an ask, a win, anything with
  an ``id``) is a register of that item's field, laid over the value the
  record's ``put`` carried, whatever their stamps: a correction stays
  corrected even if the record is sent again.
* **A removal is a tombstone and wins.** Once an item is removed, its text is
  dropped from the state (not hidden: gone), every change to it, earlier or
  later, is ignored, and a removal of a whole record drops the record. Inside
  a record, an item is an object with that ``id`` in any list, an entry of an
  id-keyed map (a session's reviews, ratings and attendance) under that id, or
  a grow-only element named by its key. Plain references (a session's
  ``commitment_ids``) are left: they carry no text.

Pure: no disk, no clock. :meth:`State.to_bytes` is the form to keep between
runs (so a new segment merges without reading every old one again).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .changes import Change
from .hlc import Stamp
from .registers import RecordState, join_records, materialize, scrub, take
from .registers_json import RawRecord, dump, dump_lines, load_lines, load_record

RecordKey = tuple[str, str]


class State:
    """The merged records of a group: take changes in, read records out.

    A state read back with :meth:`from_bytes` decodes a record only when a change
    touches it or it is read out, so taking in one new session costs little
    more than reading and writing the kept state.
    """

    def __init__(self) -> None:
        self._records: dict[RecordKey, RecordState] = {}
        #: Records of a kept state not decoded yet (as :meth:`to_bytes` wrote them).
        self._raw: dict[RecordKey, RawRecord] = {}
        self._removed: dict[RecordKey, set[str]] = {}
        #: The latest stamp taken in, for the machine's clock to move past.
        self.latest: Stamp | None = None
        #: Records changed since this state was made or read back.
        self.touched: set[RecordKey] = set()

    def apply(self, change: Change) -> None:
        """Take one change in (again is harmless). ``ValueError`` if the record
        it touches is damaged in the kept state it was read from."""
        if self.latest is None or change.stamp > self.latest:
            self.latest = change.stamp
        key = (change.kind, change.id)
        self.touched.add(key)
        if change.op == "remove":
            assert change.item is not None
            self._removed.setdefault(key, set()).add(change.item)
            self._scrub(key)
            return
        gone = self._removed.get(key, set())
        if change.id not in gone:
            record = self._record(key) or self._records.setdefault(key, RecordState())
            take(record, change, gone)

    def apply_all(self, changes: Iterable[Change]) -> None:
        for change in changes:
            self.apply(change)

    def join(self, other: State) -> State:
        """A new state holding what either holds: the merge of two machines' views."""
        self._decode_all()
        other._decode_all()
        joined = State()
        for key in self._records.keys() | other._records.keys():
            joined._records[key] = join_records(self._records.get(key), other._records.get(key))
        for key in self._removed.keys() | other._removed.keys():
            joined._removed[key] = self._removed.get(key, set()) | other._removed.get(key, set())
            joined._scrub(key)
        stamps = [s for s in (self.latest, other.latest) if s is not None]
        joined.latest = max(stamps) if stamps else None
        joined.touched = self.touched | other.touched
        return joined

    def records(self, kind: str) -> dict[str, dict[str, Any]]:
        """Every record of ``kind`` whose put has arrived, by id (copies)."""
        keys = sorted(k for k in self._records.keys() | self._raw.keys() if k[0] == kind)
        out: dict[str, dict[str, Any]] = {}
        for key in keys:
            record = self._record(key)
            if record is not None and record.created is not None:
                out[key[1]] = materialize(key[1], record)
        return out

    def record(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """One record as :meth:`records` reads it out (None: no put of it yet, or
        removed); decodes only that record."""
        record = self._record((kind, record_id))
        if record is None or record.created is None:
            return None
        return materialize(record_id, record)

    def removed(self) -> dict[RecordKey, frozenset[str]]:
        """Tombstones, per record: the items removed (the record's id: all of it)."""
        return {key: frozenset(items) for key, items in sorted(self._removed.items())}

    def snapshot(self) -> dict[str, Any]:
        """Everything the state holds, as JSON-ready data in a canonical order (to
        compare two states, or look inside one)."""
        return dump(self._records, self._raw, self._removed, self.latest)

    def to_bytes(self) -> bytes:
        """What :meth:`snapshot` holds, as the lines a kept state is read back from
        with :meth:`from_bytes` (records not decoded are written back unparsed)."""
        return dump_lines(self._records, self._raw, self._removed, self.latest)

    @classmethod
    def from_bytes(cls, data: bytes) -> State:
        """A state kept by :meth:`to_bytes`; only the records' keys are parsed now
        (``ValueError`` if it is not one)."""
        state = cls()
        state._raw, state._removed, state.latest = load_lines(data)
        return state

    def _record(self, key: RecordKey) -> RecordState | None:
        raw = self._raw.pop(key, None)
        if raw is not None:
            self._records[key] = load_record(raw)
        return self._records.get(key)

    def _decode_all(self) -> None:
        for key in list(self._raw):
            self._record(key)

    def _scrub(self, key: RecordKey) -> None:
        gone = self._removed.get(key, set())
        if key[1] in gone:
            self._records.pop(key, None)
            self._raw.pop(key, None)
        elif self._record(key) is not None:
            scrub(self._records[key], key[0], gone)
