"""Sequence (sequence.py)."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import Constant, Cosine, Exponential, Linear, Sequence


def test_joins_at_each_length() -> None:
    s = Sequence((Linear(0.0, 1.0, steps=10), Constant(1.0, steps=10), Linear(1.0, 0.0, 10)))
    assert [s(t) for t in (0, 5, 10, 20, 25, 30, 40)] == [0.0, 0.5, 1.0, 1.0, 0.5, 0.0, 0.0]
    assert s.steps == 30


def test_the_next_schedule_takes_over_at_the_boundary() -> None:
    # optax join_schedules, torch SequentialLR: the next schedule starts from its own step 0
    s = Sequence((Constant(0.5), Cosine(1.0, 0.0, 10)), boundaries=(5,))
    assert s(4.999) == 0.5 and s(5) == 1.0 and s(10) == pytest.approx(0.5) and s.steps == 15


def test_endless_last_schedule_makes_it_endless() -> None:
    s = Sequence((Linear(0.0, 1.0, 10), Exponential(1.0, rate=0.5, every=10)))
    assert s.steps is None and s(20) == 0.5


def test_fractional_lengths() -> None:
    s = Sequence((Linear(0.0, 1.0, 2.5), Linear(1.0, 0.0, 2.5)))
    assert s.steps == 5 and s(2.5) == 1.0 and s(3.75) == 0.5


def test_single_schedule() -> None:
    s = Sequence([Cosine(1.0, 0.0, 10)])
    assert s.schedules == (Cosine(1.0, 0.0, 10),) and s(5) == Cosine(1.0, 0.0, 10)(5)


def test_array_agrees_with_scalar() -> None:
    s = Sequence((Linear(0.0, 1.0, 7), Cosine(1.0, 0.1, 11.5), Constant(0.1)))
    t = np.linspace(0, 30, 601)
    np.testing.assert_allclose(s(t), [s(float(x)) for x in t], rtol=1e-15, atol=0)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Sequence(()), ValueError, r"Sequence: schedules must hold at least one"),
        (lambda: Sequence(Constant(1.0)), TypeError, "Sequence: schedules must be a sequence"),
        (lambda: Sequence((Constant(1.0), 2.0)), TypeError, r"Sequence: schedules\[1\] must be"),
        (
            lambda: Sequence((Constant(1.0), Constant(0.5))),
            ValueError,
            r"Sequence: schedules\[0\] is endless \(steps is None\); give boundaries",
        ),
        (
            lambda: Sequence((Constant(1.0), Constant(0.5)), boundaries=(1, 2)),
            ValueError,
            r"Sequence: boundaries must hold len\(schedules\) - 1 = 1 steps, got \(1, 2\)",
        ),
        (
            lambda: Sequence((Constant(1.0), Constant(0.5)), boundaries=(0,)),
            ValueError,
            "Sequence: boundaries must be > 0",
        ),
        (
            lambda: Sequence((Constant(1.0),) * 3, boundaries=(5, 5)),
            ValueError,
            "Sequence: boundaries must be strictly increasing",
        ),
    ],
)
def test_bad_arguments(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + message):
        make()  # type: ignore[operator]


def test_a_total_length_beyond_float_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^Sequence: the schedules' total length must be"):
        Sequence((Constant(1.0, steps=1e308), Constant(1.0, steps=1e308), Constant(0.5)))
