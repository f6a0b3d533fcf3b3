"""Pausing the collector around bulk JSON work, and sending kept documents
straight to its oldest generation."""

from __future__ import annotations

import gc

from peersession.core.gc_pause import gc_paused, to_oldest_generation


def _in_generation(value: object, generation: int) -> bool:
    return any(o is value for o in gc.get_objects(generation=generation))


def test_the_collector_is_paused_inside_and_running_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "an inner pause does not end the outer one"
    assert gc.isenabled()


def test_kept_documents_go_to_the_oldest_generation_unscanned() -> None:
    with gc_paused():
        kept = [{"id": str(n), "notes": [n]} for n in range(10)]
        assert _in_generation(kept, 0)
        to_oldest_generation()
    assert not _in_generation(kept, 0)
    assert _in_generation(kept, 2)
    assert gc.get_freeze_count() == 0, "nothing is left frozen"


def test_objects_someone_froze_on_purpose_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            young = [[1], [2]]
            to_oldest_generation()
        assert gc.get_freeze_count() == frozen
        assert _in_generation(young, 0) or _in_generation(young, 1)
    finally:
        gc.unfreeze()
