"""Corrections after the meeting, as pure rules (issue 23, item 5): what may be
corrected per kind, what a tombstone keeps, and that a correction merges like
any other change: two machines correcting one item converge, and a removal
wins over every edit of the removed text, earlier or later."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peersession.core import changes as ch
from peersession.core import corrections as rules
from peersession.core import saved_items as items
from peersession.core.changes import Change
from peersession.core.commitment_state import commitment_status
from peersession.core.convergence import State
from peersession.core.corrections import Correction
from peersession.core.free_text import MAX_TEXT
from peersession.core.record_types import read_as, stored
from peersession.core.saved_items import CorrectionError, GroupRecords, Located
from peersession.core.session_records import Commitment
from peersession.demo.history import demo_history
from peersession.store.corrections import correct
from peersession.store.history import HistoryStore

from history_support import seed
from shared_support import Machine, new_folder, plain, shown

HISTORY = demo_history(today=pendulum.date(2026, 3, 5), sessions=5, members=6)
LATER = "2026-04-01T10:00:00+00:00"


def records() -> GroupRecords:
    return GroupRecords(
        sessions=[plain(r.session) for r in HISTORY.records],
        commitments=[plain(c) for c in HISTORY.commitments()],
        checkins=[plain(c) for c, _ in HISTORY.checkins],
    )


def put_all(group: GroupRecords, machine: Machine) -> list[Change]:
    """Every record as the first machine put it."""
    return [
        ch.put(record, doc, machine.clock.now())
        for record in items.TABLES
        for doc in group.table(record)
    ]


def first(kind: items.ItemKind, group: GroupRecords | None = None) -> Located:
    group = group or records()
    return next(loc for loc, _ in items.items_of(group) if loc.kind == kind)


def every_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- finding an item ---------------------------------------------------------------------


def test_every_kind_of_saved_item_is_found_by_its_id_or_a_unique_start() -> None:
    group = records()
    for kind in items.ITEM_KINDS:
        located = first(kind, group)
        assert items.find_item(group, located.item_id) == located
        others = [loc.item_id for loc, _ in items.items_of(group) if loc != located]
        start = next(
            located.item_id[:n]
            for n in range(4, 13)
            if not any(o.startswith(located.item_id[:n]) for o in others)
        )
        assert items.find_item(group, start) == located, kind


def test_an_id_shared_by_several_items_is_ambiguous_and_an_unknown_one_is_not_found() -> None:
    group = records()
    ids = sorted(loc.item_id for loc, _ in items.items_of(group))
    crowded = next(a[:1] for a, b in itertools.pairwise(ids) if a[:1] == b[:1])
    with pytest.raises(CorrectionError, match="ambiguous"):
        items.find_item(group, crowded)
    with pytest.raises(items.NoSuchItem, match="no saved item"):
        items.find_item(group, "nothing-like-it")
    with pytest.raises(CorrectionError, match="empty"):
        items.find_item(group, "  ")


# --- what may be corrected ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "correction", "refusal"),
    [
        ("note", Correction(status="done"), "status cannot be corrected"),
        ("ask", Correction(status="done"), "status cannot be corrected"),
        ("checkin", Correction(status="dropped"), "status cannot be corrected"),
        ("note", Correction(text="  "), "cannot be empty"),
        ("win", Correction(text="x" * (MAX_TEXT + 1)), "too long"),
        ("checkin", Correction(text="y" * 501), "at most 500"),
        ("note", Correction(text="\ud800 broken paste"), "cannot be saved"),
        ("note", Correction(remove=True, private=True), "goes alone"),
        ("note", Correction(), "nothing to correct"),
    ],
)
def test_a_correction_a_kind_cannot_take_is_refused_in_one_line(
    kind: items.ItemKind, correction: Correction, refusal: str
) -> None:
    group = records()
    with pytest.raises(CorrectionError, match=refusal) as caught:
        rules.checked(group, first(kind, group), correction)
    assert "\n" not in str(caught.value)


def test_a_refusal_never_quotes_the_items_text() -> None:
    group = records()
    located = first("commitment", group)
    text = items.item_doc(group, located)["text"]
    with pytest.raises(CorrectionError) as caught:
        rules.checked(group, located, Correction(text=text))
    assert "already" in str(caught.value) and text not in str(caught.value)


def test_a_check_ins_update_stays_one_line() -> None:
    group = records()
    located = first("checkin", group)
    fixed = rules.checked(group, located, Correction(text="sent\nthe   draft"))
    assert fixed.text == "sent the draft"


def test_a_renegotiated_commitment_keeps_its_first_wording() -> None:
    group = records()
    renegotiated = next(
        c
        for c in group.commitments
        if any(r["status"] == "renegotiated" and r.get("text") for r in c["reviews"])
    )
    located = items.find_item(group, renegotiated["id"])
    with pytest.raises(CorrectionError, match="renegotiated"):
        rules.checked(group, located, Correction(text="another wording"))
    # Its privacy and its status can still be corrected.
    assert rules.checked(group, located, Correction(private=not renegotiated["private"]))


def test_a_status_correction_is_a_dated_review_and_reopening_reads_not_done() -> None:
    group = records()
    commitment = next(
        c for c in group.commitments if commitment_status(read_as(Commitment, c)) == "done"
    )
    located = items.find_item(group, commitment["id"])
    changed = rules.apply_correction(group, located, Correction(status="open"), LATER)
    after = changed[("commitment", commitment["id"])]
    assert after is not None
    assert after["reviews"][:-1] == commitment["reviews"], "the history of statuses stays"
    assert after["reviews"][-1] == {
        "at": LATER,
        "status": "not_done",
        "source": "history",
        "source_id": None,
    }
    assert after["updated_at"] == LATER


# --- removal and its tombstone ----------------------------------------------------------


def test_a_tombstone_keeps_the_id_the_kind_and_when_never_the_text() -> None:
    group = records()
    for kind in items.ITEM_KINDS:
        located = first(kind, group)
        item = items.item_doc(group, located)
        stone = rules.tombstone(located, LATER)
        assert set(stone) == {"id", "kind", "record", "record_id", "removed_at"}
        assert stone["id"] == located.item_id and stone["kind"] == kind
        said = item.get(items.TEXT_FIELD[kind])
        assert said and said not in every_text(stone)


def test_removing_a_commitment_takes_its_entries_out_of_sessions_and_check_ins() -> None:
    group = records()
    reviewed = next(
        c
        for c in group.commitments
        if any(c["id"] in s["reviews"] for s in group.sessions)
        and any(c["id"] in k["statuses"] for k in group.checkins)
    )
    located = items.find_item(group, reviewed["id"])
    changed = rules.apply_correction(group, located, Correction(remove=True), LATER)
    assert changed[("commitment", reviewed["id"])] is None
    holders = [key for key in changed if key[0] != "commitment"]
    assert {k for k, _ in holders} == {"session", "checkin"}
    for key, doc in changed.items():
        if doc is not None:
            assert reviewed["id"] not in doc.get("reviews", {}) if key[0] == "session" else True
            assert reviewed["id"] not in doc.get("statuses", {})
    # A plain reference stays: it carries no text.
    made_in = next(s for s in group.sessions if reviewed["id"] in s["commitment_ids"])
    after = changed.get(("session", made_in["id"])) or made_in
    assert reviewed["id"] in after["commitment_ids"]


def test_removing_an_ask_takes_its_notes_with_it() -> None:
    group = records()
    session = next(s for s in group.sessions if any(a["notes"] for a in s["asks"]))
    ask = next(a for a in session["asks"] if a["notes"])
    located = items.find_item(group, ask["id"])
    after = rules.apply_correction(group, located, Correction(remove=True), LATER)[
        ("session", session["id"])
    ]
    assert after is not None
    assert ask["text"] not in every_text(after)
    assert all(note["text"] not in every_text(after) for note in ask["notes"])


def test_scrub_all_keeps_removed_items_out_of_whatever_arrives_later() -> None:
    group = records()
    note = first("note", group)
    commitment = first("commitment", group)
    tables = {record: [copy.deepcopy(d) for d in group.table(record)] for record in items.TABLES}
    kept = rules.scrub_all(tables, {note.item_id, commitment.item_id})
    assert all(d["id"] != commitment.item_id for d in kept["commitment"])
    text = every_text(kept)
    assert f'"id": "{note.item_id}"' not in text


# --- one result on every machine ---------------------------------------------------------


def merged_records(changes: list[Change]) -> dict[str, dict[str, Any]]:
    state = State()
    state.apply_all(changes)
    return {kind: state.records(kind) for kind in items.TABLES}


def locally(group: GroupRecords, located: Located, correction: Correction) -> dict[str, Any]:
    """The records after applying the correction to the stored documents."""
    out: dict[str, Any] = {
        record: {d["id"]: d for d in group.table(record)} for record in items.TABLES
    }
    for (record, record_id), doc in rules.apply_correction(
        group, located, correction, LATER
    ).items():
        if doc is None:
            del out[record][record_id]
        else:
            out[record][record_id] = doc
    return out


def canonical(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True))


CORRECTIONS = st.sampled_from(
    [
        ("note", Correction(text="corrected note")),
        ("note", Correction(private=True)),
        ("note", Correction(remove=True)),
        ("ask", Correction(text="corrected ask", private=True)),
        ("ask", Correction(remove=True)),
        ("win", Correction(text="corrected win")),
        ("win", Correction(remove=True)),
        ("checkin", Correction(text="corrected update")),
        ("checkin", Correction(remove=True)),
        ("commitment", Correction(status="dropped")),
        ("commitment", Correction(text="corrected commitment", private=True)),
        ("commitment", Correction(remove=True)),
    ]
)


@settings(max_examples=40, deadline=None)
@given(pick=CORRECTIONS, nth=st.integers(min_value=0, max_value=50))
def test_a_correction_changes_the_history_exactly_as_merging_its_changes_would(
    pick: tuple[items.ItemKind, Correction], nth: int
) -> None:
    kind, correction = pick
    group = records()
    candidates = [loc for loc, _ in items.items_of(group) if loc.kind == kind]
    located = candidates[nth % len(candidates)]
    try:
        fixed = rules.checked(group, located, correction)
    except CorrectionError:
        return  # already so, or a renegotiated wording: nothing to compare
    machine = Machine()
    changes = put_all(group, machine) + rules.as_changes(
        group, located, fixed, LATER, machine.clock.now
    )
    assert canonical(merged_records(changes)) == canonical(locally(group, located, fixed))


def test_two_machines_correcting_one_text_converge_on_the_later_correction() -> None:
    group = records()
    a, b = Machine(), Machine()
    base = put_all(group, a)
    located = first("note", group)
    for machine in (a, b):
        machine.clock.receive(base[-1].stamp)
    from_a = rules.as_changes(group, located, Correction(text="from A"), LATER, a.clock.now)
    from_b = rules.as_changes(group, located, Correction(text="from B"), LATER, b.clock.now)
    later = "from B" if from_b[0].stamp > from_a[0].stamp else "from A"
    results = {
        every_text(merged_records(order))
        for order in (base + from_a + from_b, base + from_b + from_a, from_b + base + from_a)
    }
    assert len(results) == 1, "every order of arrival gives the same history"
    (result,) = results
    assert later in result and ({"from A", "from B"} - {later}).pop() not in result


def test_a_removal_wins_over_an_edit_of_the_removed_text_made_later_elsewhere() -> None:
    group = records()
    a, b = Machine(), Machine()
    base = put_all(group, a)
    located = first("ask", group)
    said = items.item_doc(group, located)["text"]
    removal = rules.as_changes(group, located, Correction(remove=True), LATER, a.clock.now)
    # B has not seen the removal and edits the text a minute later.
    b.clock.receive(removal[-1].stamp)
    b.wall.ms += 60_000
    edit = rules.as_changes(
        group, located, Correction(text="edited after the removal"), LATER, b.clock.now
    )
    assert edit[0].stamp > removal[0].stamp
    for order in (base + removal + edit, base + edit + removal, edit + removal + base):
        text = every_text(merged_records(order))
        assert said not in text and "edited after the removal" not in text
        assert f'"id": "{located.item_id}"' not in text


def test_a_removed_item_never_comes_back_when_its_record_is_sent_again() -> None:
    group = records()
    a, b = Machine(), Machine()
    located = first("commitment", group)
    said = items.item_doc(group, located)["text"]
    removal = rules.as_changes(group, located, Correction(remove=True), LATER, a.clock.now)
    b.clock.receive(removal[-1].stamp)
    again = put_all(group, b)  # B puts every record again, later than the removal
    for order in (put_all(group, a) + removal + again, again + removal):
        merged = merged_records(order)
        assert located.item_id not in merged["commitment"]
        assert said not in every_text(merged)


# --- through a shared folder: two machines, their own corrections ------------------------


def test_corrections_made_on_two_machines_meet_in_the_shared_folder(tmp_path: Path) -> None:
    """Ana removes a note on her machine while Bo, offline, corrects its text and
    marks a commitment done on his: once each has taken in the folder, both hold
    the same history, without the note, with Bo's status."""
    roots = {name: tmp_path / name for name in ("ana", "bo")}
    for root in roots.values():
        seed(root)
    ana, bo = Machine(), Machine()
    folder = new_folder(tmp_path / "shared", ana)
    store = {name: HistoryStore(root) for name, root in roots.items()}
    (group,) = store["ana"].groups()
    docs = store["ana"].group_documents(group.id)
    records_now = [plain(d) for d in (docs.sessions, docs.commitments, docs.checkins)]
    base = put_all(GroupRecords(*records_now), ana)
    folder.publish(ana.id, base)
    bo.clock.receive(base[-1].stamp)
    note = next(n for t in docs.sessions[-1].turns for n in t.notes)
    commitment = next(c for c in docs.commitments if commitment_status(c) == "open")
    removed = correct(store["ana"], group.id, note.id, Correction(remove=True), LATER)
    edited = correct(store["bo"], group.id, note.id, Correction(text="Bo's fix"), LATER)
    done = correct(store["bo"], group.id, commitment.id, Correction(status="done"), LATER)
    folder.publish(ana.id, removed.changes(ana.clock.now), after=1)
    folder.publish(bo.id, edited.changes(bo.clock.now) + done.changes(bo.clock.now))
    arrived = folder.take_in({}).changes
    seen = []
    # Each machine takes the segments in its own order (the sync tool decides).
    for order in (
        arrived,
        arrived[::-1],
        arrived[len(arrived) // 2 :] + arrived[: len(arrived) // 2],
    ):
        state = State()
        state.apply_all(order)
        seen.append(shown(state))
    assert seen[0] == seen[1] == seen[2]
    assert f'"id": "{note.id}"' not in seen[0] and "Bo's fix" not in seen[0]
    merged = json.loads(seen[0])["commitment"][commitment.id]
    assert merged["reviews"][-1]["status"] == "done"
    # What Ana's own history holds agrees with the merge for the note.
    assert note.id not in json.dumps(stored(store["ana"].sessions(group.id)[-1]))


def test_only_what_differs_is_changed_and_said() -> None:
    group = records()
    located = first("note", group)
    note = items.item_doc(group, located)
    fixed = rules.checked(group, located, Correction(text=note["text"], private=True))
    assert fixed == Correction(private=True)
    line = rules.describe(located, fixed, "Ana", "Thursday Circle")
    assert line.endswith(": now private") and note["text"] not in line
