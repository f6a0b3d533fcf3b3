"""The open commitments screen: overdue first, one key per status, every change dated."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from peersession.core.accountability import open_commitments
from peersession.core.commitment_state import commitment_status, current_commitment_text
from peersession.store.history import HistoryStore
from peersession.tui.screens.form import FormScreen
from peersession.tui.screens.history import HistoryScreen
from peersession.tui.screens.history_commitments import CommitmentsScreen

from history_support import NOW, TODAY, history_app, seed, settle, type_text


async def open_commitments_screen(pilot, app) -> CommitmentsScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("o")
    await settle(pilot)
    assert isinstance(app.screen, CommitmentsScreen)
    return app.screen


async def test_open_commitments_are_listed_overdue_first(data_dir: Path) -> None:
    demo = seed(data_dir)
    expected = open_commitments(demo.commitments(), TODAY)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_commitments_screen(pilot, app)
        table = screen.query_one("#commitments", DataTable)
        assert [str(r.key.value) for r in table.ordered_rows] == [o.doc.id for o in expected]
        overdue = [o for o in expected if o.overdue]
        assert overdue, "the demo has overdue commitments on its 'today'"
        first = [cell.plain for cell in table.get_row_at(0)]
        assert first[0] == f"{overdue[0].overdue_days} d overdue"
        # The highlighted commitment in full, with its status over time.
        detail = str(screen.query_one("#commitment-detail", Static).render())
        assert current_commitment_text(overdue[0].doc)[:30] in detail
        assert "status now:" in detail


async def test_d_marks_done_with_a_dated_review_from_history(data_dir: Path) -> None:
    demo = seed(data_dir)
    store = HistoryStore(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_commitments_screen(pilot, app)
        target = screen.items[0].doc
        before = len(target.reviews)
        await pilot.press("d")
        await pilot.pause()
        stored = next(c for c in store.commitments(demo.group.id) if c.id == target.id)
        assert len(stored.reviews) == before + 1, "a review is added, nothing rewritten"
        latest = stored.reviews[-1]
        assert latest.status == "done"
        assert latest.source == "history"
        assert latest.at == NOW.isoformat()
        assert commitment_status(stored) == "done"
        table = screen.query_one("#commitments", DataTable)
        assert target.id not in [str(r.key.value) for r in table.ordered_rows]
        # The group's figures follow, on the screen underneath.
        await pilot.press("escape")
        await pilot.pause()
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert history.data is not None
        assert history.data.figures.open_count == len(screen.items)


async def test_each_key_records_its_status_and_open_ones_stay_listed(data_dir: Path) -> None:
    demo = seed(data_dir)
    store = HistoryStore(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_commitments_screen(pilot, app)
        target = screen.items[0].doc.id
        # Same instant on the fake clock: the reviews must still all be kept.
        for key, status in (("h", "partial"), ("m", "not_done"), ("x", "dropped")):
            table = screen.query_one("#commitments", DataTable)
            table.move_cursor(row=table.get_row_index(target))
            await pilot.press(key)
            await pilot.pause()
            stored = next(c for c in store.commitments(demo.group.id) if c.id == target)
            assert stored.reviews[-1].status == status
        statuses = [r.status for r in stored.reviews if r.source == "history"]
        assert statuses == ["partial", "not_done", "dropped"]
        times = [r.at for r in stored.reviews]
        assert times == sorted(times) and len(set(times)) == len(times)
        table = screen.query_one("#commitments", DataTable)
        assert target not in [str(r.key.value) for r in table.ordered_rows], "dropped closes it"


async def test_r_renegotiates_through_a_form(data_dir: Path) -> None:
    demo = seed(data_dir)
    store = HistoryStore(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_commitments_screen(pilot, app)
        target = screen.items[0].doc.id
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        # Nothing changed: refused in the form, nothing stored.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        # The form starts on the first empty field: the due date.
        await type_text(pilot, "2026-04-02")
        await pilot.press("tab")
        await type_text(pilot, "Chair is away")
        await pilot.press("shift+tab", "shift+tab", "ctrl+a", "ctrl+k")  # the prefilled text
        await type_text(pilot, "First draft only [scaled back]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is screen, "the form closed after saving"
        stored = next(c for c in store.commitments(demo.group.id) if c.id == target)
        latest = stored.reviews[-1]
        assert latest.status == "renegotiated"
        assert latest.source == "history"
        assert latest.text == "First draft only [scaled back]"
        assert latest.due == "2026-04-02"
        assert latest.note == "Chair is away"
        assert current_commitment_text(stored) == "First draft only [scaled back]"
        # Still open, now due later: no longer overdue.
        item = next(i for i in screen.items if i.doc.id == target)
        assert not item.overdue


async def test_a_past_due_date_is_refused_in_the_form(data_dir: Path) -> None:
    demo = seed(data_dir)
    store = HistoryStore(data_dir)
    app, _ = history_app(data_dir, demo.group.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_commitments_screen(pilot, app)
        target = screen.items[0].doc
        before = len(target.reviews)
        await pilot.press("r")
        await pilot.pause()
        await type_text(pilot, "2020-01-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "past" in error
        stored = next(c for c in store.commitments(demo.group.id) if c.id == target.id)
        assert len(stored.reviews) == before
