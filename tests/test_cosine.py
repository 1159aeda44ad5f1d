"""Cosine: SGDR eq. (5), its conventions and its precision near the floor."""

from __future__ import annotations

import math

import numpy as np
import pytest

from annealing import Cosine


def test_pinned_values_eta0_1_floor_01_T10() -> None:
    # peer-schedulers.md (b) 1: the closed form at t = 0, 5, 9, 10
    s = Cosine(start=1.0, end=0.1, steps=10)
    assert [round(s(t), 12) for t in (0, 5, 9, 10)] == [1.0, 0.55, 0.122024567667, 0.1]


def test_holds_end_past_steps() -> None:
    s = Cosine(start=1.0, end=0.1, steps=10)
    assert s(15) == 0.1 and s(10_000) == 0.1


def test_endpoints_are_exact() -> None:
    s = Cosine(start=0.3, end=0.007, steps=37)
    assert s(0) == 0.3 and s(37) == 0.007


def test_near_floor_keeps_relative_precision() -> None:
    # the peers' 1 + cos form loses ~5.7e-6 relative here; ours keeps full precision
    T = 10**6
    s = Cosine(start=1.0, end=0.0, steps=T)
    exact = math.sin(math.pi / (2 * T)) ** 2  # sin(x) for tiny x is correctly rounded
    assert abs(s(T - 1) - exact) / exact < 4e-15


def test_exponent_is_optax_power_of_the_factor() -> None:
    s = Cosine(start=1.0, end=0.0, steps=10, exponent=2.0)
    assert s(5) == pytest.approx(0.25, rel=1e-15)


def test_array_matches_scalar() -> None:
    s = Cosine(start=0.1, end=0.001, steps=97)
    t = np.linspace(0, 120, 1001)
    np.testing.assert_allclose(s(t), [s(float(x)) for x in t], rtol=2e-16, atol=0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"start": 1.0, "end": 0.0, "steps": 0},
            "Cosine: steps must be a finite number > 0, got 0",
        ),
        (
            {"start": -1.0, "end": 0.0, "steps": 5},
            "Cosine: start must be a finite number >= 0, got -1.0",
        ),
        ({"start": 1.0, "end": float("nan"), "steps": 5}, "Cosine: end must be"),
        ({"start": 1.0, "end": 0.0, "steps": math.inf}, "Cosine: steps must be"),
        ({"start": 1.0, "end": 0.0, "steps": 5, "exponent": 0}, "Cosine: exponent must be"),
    ],
)
def test_bad_arguments_name_parameter_and_value(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        Cosine(**kwargs)  # type: ignore[arg-type]


def test_wrong_type_is_type_error() -> None:
    with pytest.raises(TypeError, match="Cosine: steps must be a finite number > 0, got '10'"):
        Cosine(start=1.0, end=0.0, steps="10")  # type: ignore[arg-type]


def test_holds_where_pytorch_rises_again() -> None:
    # peer-schedulers.md (b) 4 and 6: torch CosineAnnealingLR gives 0.55 at 15 and 1.0 at 20
    # (period 2T); optax, Keras and timm clamp to the floor, as we do
    s = Cosine(start=1.0, end=0.1, steps=10)
    assert s(15) == 0.1 and s(20) == 0.1
    np.testing.assert_array_equal(s(np.array([15.0, 20.0])), [0.1, 0.1])


def test_array_near_the_floor_keeps_relative_precision() -> None:
    T = 10**6
    s = Cosine(start=1.0, end=0.0, steps=T)
    exact = math.sin(math.pi / (2 * T)) ** 2
    assert abs(s(np.array([T - 1.0]))[0] - exact) / exact < 4e-15


def test_rising_with_an_exponent_keeps_precision_near_the_start() -> None:
    # start + (end − start)(1 − cos²ᵖ(πt/2T)); the form end − (end − start)·cos²ᵖ cancelled
    # near t = 0 (2.6e-12 relative for these numbers)
    from fractions import Fraction

    import mpmath as mp

    s = Cosine(start=6.131782903119047, end=45557.854252939585, steps=6362587, exponent=2.235)
    with mp.workdps(40):
        x = mp.cos(mp.pi / (2 * 6362587)) ** 2
        exact = mp.mpf(s.start) + (mp.mpf(s.end) - mp.mpf(s.start)) * (1 - x ** mp.mpf(2.235))
        for value in (s(1), float(s(np.array([1.0]))[0])):
            assert abs(mp.mpf(value) - exact) / exact < 4e-15
    assert Fraction(s(0)) == Fraction(s.start)


def test_steps_must_be_a_normal_number() -> None:
    with pytest.raises(ValueError, match=r"^Cosine: steps must be a finite number > 0 and normal"):
        Cosine(start=1.0, end=0.0, steps=1e-320)
