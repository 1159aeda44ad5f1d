"""Cyclic (cyclic.py): triangular, triangular2, exp_range."""

from __future__ import annotations

import numpy as np
import pytest

from annealing import Cyclic


def test_triangular() -> None:
    s = Cyclic(low=0.1, high=1.0, up=10)
    assert [round(s(t), 12) for t in (0, 5, 10, 15, 20, 25, 30)] == [
        0.1,
        0.55,
        1.0,
        0.55,
        0.1,
        0.55,
        1.0,
    ]
    assert s.steps is None


def test_triangular2_halves_the_amplitude_each_cycle() -> None:
    s = Cyclic(low=0.0, high=1.0, up=10, mode="triangular2")
    assert [s(t) for t in (10, 30, 50, 70)] == [1.0, 0.5, 0.25, 0.125]


def test_exp_range_scales_by_gamma_to_the_step() -> None:
    # PyTorch CyclicLR(mode="exp_range"): amplitude · gamma**t
    s = Cyclic(low=0.1, high=1.0, up=10, mode="exp_range", gamma=0.99)
    assert s(10) == pytest.approx(0.1 + 0.9 * 0.99**10, rel=1e-15)
    assert s(30) == pytest.approx(0.1 + 0.9 * 0.99**30, rel=1e-15)


def test_asymmetric_up_and_down() -> None:
    s = Cyclic(low=0.0, high=1.0, up=2, down=8)
    assert [s(t) for t in (0, 1, 2, 6, 10, 11)] == [0.0, 0.5, 1.0, 0.5, 0.0, 0.5]


def test_cycle_boundaries_are_exact_for_fractional_periods() -> None:
    s = Cyclic(low=0.0, high=1.0, up=0.1, down=0.2)
    t = np.array([0.3 * k for k in range(1, 200)])  # each should be (about) a trough
    assert np.max(s(t)) < 1e-12


def test_low_equal_high_is_constant() -> None:
    s = Cyclic(0.5, 0.5, 3)
    assert (s(np.linspace(0, 100, 101)) == 0.5).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"high": 0.05}, ValueError, r"Cyclic: high must be a number >= low \(0.1\), got 0.05"),
        ({"low": -0.1}, ValueError, "Cyclic: low must be a finite number >= 0, got -0.1"),
        ({"up": 0}, ValueError, "Cyclic: up must be a finite number > 0, got 0"),
        ({"down": -1}, ValueError, "Cyclic: down must be a finite number > 0, got -1"),
        ({"mode": "sine"}, ValueError, "Cyclic: mode must be one of 'triangular'"),
        ({"gamma": 1.5}, ValueError, r"Cyclic: gamma must be a number in \(0, 1\], got 1.5"),
        ({"gamma": 0}, ValueError, r"Cyclic: gamma must be a number in \(0, 1\], got 0"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    args: dict[str, object] = {"low": 0.1, "high": 1.0, "up": 10, **kwargs}
    with pytest.raises(error, match="^" + message):
        Cyclic(**args)  # type: ignore[arg-type]


def test_a_tiny_period_gives_finite_values_far_out() -> None:
    # t / period overflows to inf: the position in the cycle comes from an exact fmod
    for mode in ("triangular", "triangular2", "exp_range"):
        s = Cyclic(0.1, 1.0, up=2.3e-308, mode=mode, gamma=0.5)
        with np.errstate(over="ignore"):
            values = s(np.array([0.0, 1e-300, 3.0, 1e7]))
        assert np.isfinite(values).all() and (values >= 0.1).all() and (values <= 1.0).all()
        assert 0.1 <= s(1e7) <= 1.0


def test_legs_lost_in_rounding_or_an_infinite_period_are_refused() -> None:
    with pytest.raises(ValueError, match=r"^Cyclic: up \+ down must be a finite number greater"):
        Cyclic(0.0, 1.0, 1, 1e-17)  # 1 + 1e-17 == 1: the fall would never happen
    with pytest.raises(ValueError, match=r"^Cyclic: up \+ down must be"):
        Cyclic(0.0, 1.0, 1e308, 1e308)


def test_the_wave_never_rises_above_high() -> None:
    s = Cyclic(0.0, 1.7976931348623157e308, 8e307, 8e307)
    t = np.linspace(0, 1.6e308, 1001)
    assert np.all(np.isfinite(s(t))) and s(1.2e308) <= s.high


def test_a_tiny_period_in_torch_has_no_nan() -> None:
    # torch's vectorized fmod (8 elements or more) is NaN where t / period overflows
    torch = pytest.importorskip("torch")
    s = Cyclic(0.0, 1.0, 2.2250738585072014e-308, mode="triangular2")
    steps = [0.0, 1.0, 10.0, 1e6, 1e15, 2.0**53, 1e300, 5e-324, 25.0, 50.0]
    got = s(torch.tensor(steps, dtype=torch.float64)).numpy()
    np.testing.assert_array_equal(got, s(np.array(steps)))
