"""The hybrid logical clock: stamps that only grow, and one order on every machine."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peersession.core.hlc import MAX_WALL_MS, BadStamp, HybridClock, Stamp

A = "a" * 32
B = "b" * 32


class Wall:
    """A wall clock the test sets."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_grow_when_the_wall_clock_steps_back() -> None:
    wall = Wall(10_000)
    clock = HybridClock(A, wall)
    first = clock.now()
    wall.ms = 5_000  # someone set the laptop's clock back
    second = clock.now()
    third = clock.now()
    assert first < second < third
    assert second.wall_ms == 10_000 and second.counter == 1


def test_a_change_made_after_reading_another_machines_is_stamped_later() -> None:
    fast = HybridClock(A, Wall(90_000))  # a minute and a half ahead
    slow = HybridClock(B, Wall(0))
    theirs = fast.now()
    slow.receive(theirs)
    mine = slow.now()
    assert mine > theirs
    assert mine.machine == B


def test_the_order_is_total_and_the_same_everywhere() -> None:
    stamps = [Stamp(5, 0, B), Stamp(5, 0, A), Stamp(4, 9, B), Stamp(5, 1, A)]
    assert sorted(stamps) == [Stamp(4, 9, B), Stamp(5, 0, A), Stamp(5, 0, B), Stamp(5, 1, A)]


def test_a_clock_resumed_from_its_last_stamp_keeps_growing() -> None:
    before = HybridClock(A, Wall(50_000))
    last = before.now()
    after = HybridClock(A, Wall(1_000), last=last)
    assert after.now() > last


@given(
    walls=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40),
    received=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 50), st.sampled_from([A, B])),
        max_size=10,
    ),
)
def test_every_stamp_is_later_than_everything_before_it(
    walls: list[int], received: list[tuple[int, int, str]]
) -> None:
    wall = Wall(0)
    clock = HybridClock("c" * 32, wall)
    seen: list[Stamp] = []
    for index, ms in enumerate(walls):
        wall.ms = ms
        if index < len(received):
            other = Stamp(*received[index])
            clock.receive(other)
            seen.append(other)
        stamp = clock.now()
        assert all(stamp > earlier for earlier in seen)
        seen.append(stamp)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "1-0-x",
        [1, 0],
        [1.5, 0, A],
        [True, 0, A],
        [-1, 0, A],
        [MAX_WALL_MS + 1, 0, A],
        [1, -1, A],
        [1, 0, "A" * 32],
        [1, 0, "../../etc"],
        [1, 0, A + "0"],
    ],
)
def test_a_stamp_from_a_file_is_checked(raw: object) -> None:
    with pytest.raises(BadStamp):
        Stamp.from_json(raw)


def test_a_stamp_reads_back_as_written() -> None:
    stamp = Stamp(1_700_000_000_000, 3, A)
    assert Stamp.from_json(stamp.to_json()) == stamp
