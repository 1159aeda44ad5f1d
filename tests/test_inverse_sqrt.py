"""InverseSqrt (inverse_sqrt.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annealing import InverseSqrt, Warmup


def test_values() -> None:
    s = InverseSqrt(start=1.0, timescale=100)
    assert [s(t) for t in (0, 300, 800)] == [1.0, 0.5, 1 / 3]
    assert s(100) == pytest.approx(1 / math.sqrt(2), rel=1e-15)
    assert s.steps is None


def test_transformers_inverse_sqrt_with_warmup() -> None:
    # peer-schedulers.md (b) 23: W = timescale = 100: 0 at t = 0, 0.5 at t = 400
    s = Warmup(InverseSqrt(1.0, timescale=100), warmup=100)
    assert s(0) == 0.0 and s(50) == 0.5 and s(100) == 1.0 and s(400) == 0.5


def test_decreasing_and_positive_far_out() -> None:
    s = InverseSqrt(0.1, 10)
    values = s(np.array([0, 1, 10, 1e6, 1e300]))
    assert (np.diff(values) < 0).all() and (values > 0).all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1.0, 10), "InverseSqrt: start must be a finite number >= 0, got -1.0"),
        ((1.0, 0), "InverseSqrt: timescale must be a finite number > 0, got 0"),
        ((1.0, math.inf), "InverseSqrt: timescale must be a finite number > 0, got inf"),
    ],
)
def test_bad_arguments(args: tuple[float, float], message: str) -> None:
    with pytest.raises(ValueError, match="^" + message):
        InverseSqrt(*args)


def test_timescale_plus_step_beyond_float_range() -> None:
    s = InverseSqrt(1.0, 1e308)
    assert s(1e308) == pytest.approx(math.sqrt(0.5), rel=1e-15)  # tau + t overflows; halves do not
    assert s(np.array([1e308]))[0] == s(1e308)


def test_a_subnormal_ratio_keeps_its_digits() -> None:
    # τ/(τ + t) = 1e-315 is subnormal (and 0 where subnormals are flushed); the roots are not
    s = InverseSqrt(1e308, 1e-300)
    assert s(1e15) == pytest.approx(1e308 * (math.sqrt(1e-300) / math.sqrt(1e15)), rel=1e-15)
    assert s(np.array([1e15]))[0] == s(1e15)
