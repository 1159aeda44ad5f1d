"""Warmup (warmup.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annealing import Constant, Cosine, InverseSqrt, Linear, Warmup


def test_linear_warmup_then_the_schedule() -> None:
    s = Warmup(Cosine(start=1.0, end=0.0, steps=90), warmup=10)
    assert [round(s(t), 12) for t in (0, 5, 10, 55, 100, 1000)] == [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    assert s.steps == 100


def test_transformers_linear_warmup_starts_at_zero() -> None:
    # peer-schedulers.md (b) 10: λ(0) = 0, λ(W/2) = 0.5, λ(W) = 1
    s = Warmup(Linear(1.0, 0.0, 100), warmup=8)
    assert (s(0), s(4), s(8)) == (0.0, 0.5, 1.0)


def test_optax_warmup_cosine_decay() -> None:
    # peer-schedulers.md (b) 11: warmup_cosine_decay_schedule(0, 1, 10, 100, end_value=0.1)
    # counts the warmup inside decay_steps: Warmup(Cosine(1, 0.1, 100 − 10), 10)
    s = Warmup(Cosine(1.0, 0.1, 90), warmup=10)
    assert s(10) == 1.0 and s(55) == pytest.approx(0.55, rel=1e-15) and s(100) == 0.1


def test_cosine_and_exponential_shapes() -> None:
    cos = Warmup(Constant(1.0), warmup=10, shape="cosine")
    assert cos(5) == pytest.approx(0.5, rel=1e-15)
    assert cos(2) == pytest.approx(math.sin(math.pi * 0.1) ** 2, rel=1e-15)
    exp = Warmup(Constant(1.0), warmup=10, start=0.01, shape="exponential")
    assert exp(0) == 0.01 and exp(5) == pytest.approx(0.1, rel=1e-15) and exp(10) == 1.0


def test_start_level() -> None:
    s = Warmup(Constant(1.0), warmup=4, start=0.2)
    assert s(0) == 0.2 and s(2) == pytest.approx(0.6, rel=1e-15) and s(4) == 1.0


def test_endless_schedule_gives_endless_warmup() -> None:
    s = Warmup(InverseSqrt(1.0, 10), warmup=5)
    assert s.steps is None and s(5) == 1.0 and s(15) == pytest.approx(1 / math.sqrt(2))


def test_array_agrees_with_scalar_across_the_switch() -> None:
    s = Warmup(Cosine(0.1, 0.001, 97), warmup=13.5, shape="cosine", start=0.01)
    t = np.linspace(0, 150, 1501)
    np.testing.assert_allclose(s(t), [s(float(x)) for x in t], rtol=1e-15, atol=0)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: Warmup(1.0, 10), TypeError, "Warmup: schedule must be a Schedule, got 1.0"),
        (
            lambda: Warmup(Constant(1.0), 0),
            ValueError,
            "Warmup: warmup must be a finite number > 0",
        ),
        (
            lambda: Warmup(Constant(1.0), 10, shape="quad"),
            ValueError,
            "Warmup: shape must be one of 'linear', 'cosine', 'exponential', got 'quad'",
        ),
        (
            lambda: Warmup(Constant(1.0), 10, shape="exponential"),
            ValueError,
            "Warmup: start must be a finite number > 0, got 0.0",
        ),
        (
            lambda: Warmup(Constant(0.0), 10, start=0.1, shape="exponential"),
            ValueError,
            r"Warmup: an exponential warmup needs schedule\(0\) > 0, got 0.0",
        ),
        (lambda: Warmup(Constant(1.0), 10, start=-1), ValueError, "Warmup: start must be"),
    ],
)
def test_bad_arguments(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match="^" + message):
        make()  # type: ignore[operator]


def test_a_total_length_beyond_float_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^Warmup: warmup \+ schedule.steps must be a finite"):
        Warmup(Cosine(1.0, 0.0, 1e308), 1e308)


def test_an_exponential_warmup_across_600_decades_stays_finite() -> None:
    s = Warmup(Constant(1e300), 10, start=1e-300, shape="exponential")
    assert s(5) == pytest.approx(1.0, rel=1e-13) and s(10) == 1e300
