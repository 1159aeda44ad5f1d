"""Linear and Polynomial (linear.py)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from annealing import Linear, Polynomial


def test_linear_values_and_hold() -> None:
    s = Linear(start=1.0, end=0.0, steps=4)
    assert [s(t) for t in (0, 1, 2, 3, 4, 5, 10**9)] == [1.0, 0.75, 0.5, 0.25, 0.0, 0.0, 0.0]
    assert s(2.5) == 0.375


def test_linear_rises_too() -> None:
    s = Linear(start=0.0, end=2.0, steps=8)
    assert [s(t) for t in (0, 2, 4, 8, 9)] == [0.0, 0.5, 1.0, 2.0, 2.0]


def test_linear_endpoints_are_exact() -> None:
    for start, end, steps in [(0.3, 0.007, 37), (0.007, 0.3, 37), (1e-3, 1e-9, 12345.5)]:
        s = Linear(start, end, steps)
        assert s(0) == start and s(steps) == end and s(2 * steps) == end


def test_linear_near_the_end_keeps_relative_precision() -> None:
    s = Linear(start=1.0, end=0.0, steps=10**7)
    assert s(10**7 - 1) == 1e-7  # (T - t) / T with T - t exact


def test_polynomial_values() -> None:
    s = Polynomial(start=1.0, end=0.0, steps=10, power=2.0)
    assert [round(s(t), 15) for t in (0, 5, 9, 10, 20)] == [1.0, 0.25, 0.01, 0.0, 0.0]
    s = Polynomial(start=1.0, end=0.1, steps=4, power=0.5)
    assert s(3) == pytest.approx(0.1 + 0.9 * 0.5, rel=1e-15)


def test_polynomial_power_1_is_linear() -> None:
    t = np.linspace(0, 30, 301)
    np.testing.assert_allclose(
        Polynomial(0.5, 0.01, 20, power=1.0)(t), Linear(0.5, 0.01, 20)(t), rtol=1e-15, atol=0
    )


def test_polynomial_like_torch_polynomial_lr() -> None:
    # PyTorch PolynomialLR(total_iters=T, power=p): base · (1 − min(t, T)/T)^p, ending at 0
    s = Polynomial(start=0.1, end=0.0, steps=5, power=2.0)
    want = [0.1 * (1 - min(t, 5) / 5) ** 2 for t in range(8)]
    np.testing.assert_allclose([s(t) for t in range(8)], want, rtol=1e-15, atol=1e-18)


def test_rising_polynomial_keeps_precision_near_its_start() -> None:
    # start + (end − start)(1 − (1 − x)^2) for x = 1e-9: the naive end − (end − start)(1 − x)^2
    # cancels to ~1e-7 relative; we keep full precision
    s = Polynomial(start=1e-6, end=1.0, steps=10**9, power=2.0)
    x = Fraction(1, 10**9)
    exact = Fraction(1e-6) + (1 - Fraction(1e-6)) * (1 - (1 - x) ** 2)
    assert abs(Fraction(s(1)) - exact) / exact < 4e-16
    assert abs(Fraction(float(s(np.array([1.0]))[0])) - exact) / exact < 4e-16


@pytest.mark.parametrize("cls", [Linear, Polynomial])
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"start": -1.0}, ValueError, "start must be a finite number >= 0, got -1.0"),
        ({"end": float("inf")}, ValueError, "end must be a finite number >= 0, got inf"),
        ({"steps": 0}, ValueError, "steps must be a finite number > 0, got 0"),
        ({"steps": "5"}, TypeError, "steps must be a finite number > 0, got '5'"),
        ({"start": None}, TypeError, "start must be a finite number >= 0, got None"),
    ],
)
def test_bad_arguments(
    cls: type, kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    args: dict[str, object] = {"start": 1.0, "end": 0.0, "steps": 10, **kwargs}
    with pytest.raises(error, match=f"^{cls.__name__}: " + message.replace("(", r"\(")):
        cls(**args)


def test_bad_power() -> None:
    with pytest.raises(ValueError, match=r"^Polynomial: power must be a finite number > 0, got 0"):
        Polynomial(1.0, 0.0, 10, power=0)
