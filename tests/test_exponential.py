"""Exponential (exponential.py): by rate or by end value, continuous or staircase."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annealing import Exponential


def test_by_rate() -> None:
    s = Exponential(start=1.0, rate=0.5, every=10)
    assert [s(t) for t in (0, 10, 20, 5)] == [1.0, 0.5, 0.25, 0.5**0.5]
    assert s.steps is None


def test_by_rate_every_step_is_torch_exponential_lr() -> None:
    s = Exponential(start=0.1, rate=0.9)
    np.testing.assert_allclose([s(t) for t in range(50)], [0.1 * 0.9**t for t in range(50)])


def test_staircase_is_keras_exponential_decay_staircase() -> None:
    # Keras ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    s = Exponential(start=0.1, rate=0.5, every=10, staircase=True)
    assert [s(t) for t in (0, 9, 9.99, 10, 19, 20)] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.025]


def test_rate_with_end_is_a_floor_or_a_ceiling() -> None:
    # optax exponential_decay(end_value=...): lower bound if rate < 1, upper bound otherwise
    fall = Exponential(start=1.0, rate=0.5, end=0.1)
    assert fall(3) == 0.125 and fall(4) == 0.1 and fall(100) == 0.1
    grow = Exponential(start=0.1, rate=2.0, end=1.0)
    assert grow(1) == 0.2 and grow(4) == 1.0 and grow(10**6) == 1.0 and grow(1e300) == 1.0


def test_by_end_value_is_geometric_then_holds() -> None:
    s = Exponential(start=1.0, end=0.01, steps=100)
    assert s.steps == 100
    assert s(0) == 1.0 and s(100) == pytest.approx(0.01, rel=1e-15) and s(500) == s(100)
    assert s(50) == pytest.approx(0.1, rel=1e-15)
    # equal ratios over equal intervals
    assert s(30) / s(20) == pytest.approx(s(80) / s(70), rel=1e-14)


def test_by_end_value_staircase() -> None:
    s = Exponential(start=1.0, end=0.01, steps=100, every=25, staircase=True)
    assert [round(s(t), 12) for t in (0, 24, 25, 49, 50, 100, 200)] == [
        1.0,
        1.0,
        round(0.01**0.25, 12),
        round(0.01**0.25, 12),
        0.1,
        0.01,
        0.01,
    ]


def test_no_underflow_to_negative_or_nan_far_out() -> None:
    s = Exponential(start=1.0, rate=0.5)
    assert s(1e6) == 0.0 and s(np.array([1e6]))[0] == 0.0


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, "Exponential: give either rate .* or end and steps"),
        ({"end": 0.1}, ValueError, "Exponential: give either rate"),
        ({"rate": 0.5, "steps": 10}, ValueError, "Exponential: steps must be None when rate"),
        ({"rate": 2.0}, ValueError, "Exponential: end must be given as a ceiling when rate > 1"),
        ({"rate": 0}, ValueError, r"Exponential: rate must be a finite number > 0, got 0"),
        ({"rate": math.nan}, ValueError, "Exponential: rate must be a finite number > 0, got nan"),
        ({"end": 0.0, "steps": 10}, ValueError, "Exponential: end must be a finite number > 0"),
        ({"end": 0.1, "steps": -1}, ValueError, "Exponential: steps must be a finite number > 0"),
        ({"rate": 0.5, "every": 0}, ValueError, "Exponential: every must be a finite number > 0"),
        ({"rate": 0.5, "staircase": 1}, TypeError, "Exponential: staircase must be True or False"),
        ({"rate": 0.5, "start": 0.0}, ValueError, "Exponential: start must be a finite number > 0"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    args: dict[str, object] = {"start": 1.0, **kwargs}
    with pytest.raises(error, match="^" + message):
        Exponential(**args)  # type: ignore[arg-type]


def test_growth_is_capped_without_overflow() -> None:
    s = Exponential(1.0, rate=10.0, end=1e300)
    assert s(1e300) == 1e300 and s(300) == 1e300 and s(np.array([1e300]))[0] == 1e300
    with pytest.raises(ValueError, match=r"^Exponential: end / start must be at most 1e\+300"):
        Exponential(1e-300, rate=2.0, end=1e300)


def test_a_path_whose_ratio_leaves_float_range_is_taken_in_log_space() -> None:
    down = Exponential(1e300, end=1e-300, steps=10)
    assert down(5) == pytest.approx(1.0, rel=1e-13) and down(10) == 1e-300
    up = Exponential(1e-300, end=1e300, steps=10)
    assert up(5) == pytest.approx(1.0, rel=1e-13) and up(10) == 1e300
    near = Exponential(4.4e206, end=1.7976931348623157e308, steps=10)
    assert near(10) == 1.7976931348623157e308 and math.isfinite(near(9.999999999999998))
