"""Scale (scale.py)."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import Constant, Cosine, Linear, Scale


def test_by_a_constant() -> None:
    s = Scale(Cosine(start=1.0, end=0.0, steps=10), 0.1)
    assert s(0) == 0.1 and s(10) == 0.0 and s.steps == 10


def test_by_a_schedule() -> None:
    s = Scale(Linear(1.0, 0.0, 10), Linear(1.0, 0.5, 20))
    assert s(5) == 0.5 * 0.875 and s.steps == 20
    assert Scale(Linear(1.0, 0.0, 10), Constant(2.0)).steps is None


def test_multiplier_schedule_to_learning_rates() -> None:
    # a LambdaLR-style multiplier in [0, 1] times a base learning rate
    s = Scale(Cosine(1.0, 0.0, 100), 3e-4)
    np.testing.assert_allclose(s(np.arange(101)), 3e-4 * Cosine(1.0, 0.0, 100)(np.arange(101)))


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Scale(2.0, 0.5), TypeError, "Scale: schedule must be a Schedule, got 2.0"),
        (
            lambda: Scale(Constant(1.0), -1),
            ValueError,
            "Scale: factor must be a finite number >= 0",
        ),
        (lambda: Scale(Constant(1.0), "x"), TypeError, "Scale: factor must be a finite number"),
    ],
)
def test_bad_arguments(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + message):
        make()  # type: ignore[operator]


def test_a_product_beyond_float_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^Scale: schedule times factor must stay within"):
        Scale(Constant(1e308), 10.0)
    with pytest.raises(ValueError, match=r"^Scale: schedule times factor"):
        Scale(Cosine(1e200, 0.0, 10), Linear(0.0, 1e200, 10))
    assert Scale(Constant(1e308), 1.7)(0) == 1.7e308
