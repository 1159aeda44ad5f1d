"""Continuous test functions (annealing/simulated/continuous.py)."""

from __future__ import annotations

import numpy as np
import pytest

from annealing.simulated import Ackley, Rastrigin, Rosenbrock, Schwefel, anneal

FUNCTIONS = [Rastrigin, Ackley, Schwefel, Rosenbrock]


@pytest.mark.parametrize("function", FUNCTIONS)
def test_global_minimum(function) -> None:
    f = function(7)
    assert f(f.argmin()) == pytest.approx(f.minimum, abs=1e-6)
    assert f(np.array(f.argmin())) == f(f.argmin())  # numpy input, as SciPy passes it


@pytest.mark.parametrize("function", FUNCTIONS)
def test_moves_stay_in_bounds_and_delta_is_the_change(function) -> None:
    f = function(5)
    rng = np.random.default_rng(1)
    x = f.random_state(rng)
    low, high = f.bounds
    for _ in range(500):
        move = f.propose(x, rng)
        before = f.energy(x)
        change = f.delta(x, move)
        x = f.apply(x, move)
        assert all(low <= v <= high for v in x)
        assert f.energy(x) == pytest.approx(before + change, rel=1e-9, abs=1e-9)


def test_known_values() -> None:
    assert Rastrigin(2)([1.0, 0.0]) == pytest.approx(1.0)
    assert Rosenbrock(2)([0.0, 0.0]) == 1.0
    assert Ackley(2)([1.0, 1.0]) == pytest.approx(3.6253849384403627)
    assert Schwefel(1)([0.0]) == pytest.approx(418.9828872724338)


def test_rastrigin_10d_reaches_the_global_basin() -> None:
    f = Rastrigin(10)
    result = anneal(f, steps=100_000, seed=0)
    assert max(abs(v) for v in result.best_state) < 0.01  # every coordinate in the centre basin
    assert result.best_energy < 1e-3


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"dimension": 0},
            ValueError,
            "Rastrigin: dimension must be an integer from 1 to 1000000, got 0",
        ),
        ({"dimension": 2.0}, ValueError, "Rastrigin: dimension must be an integer .* got 2.0"),
        (
            {"dimension": 10**7},
            ValueError,
            "Rastrigin: dimension must be an integer from 1 to 1000000",
        ),
        (
            {"bounds": (1.0, -1.0)},
            ValueError,
            r"bounds must be finite with low < high, got \(1.0, -1.0\)",
        ),
        ({"bounds": (0.0, 0.0)}, ValueError, "bounds must be finite with low < high"),
        (
            {"bounds": (0.0, float("inf"))},
            ValueError,
            r"bounds\[1\] \(high\) must be a finite number",
        ),
        (
            {"bounds": (float("nan"), 1.0)},
            ValueError,
            r"bounds\[0\] \(low\) must be a finite number",
        ),
        ({"bounds": (-1e60, 1.0)}, ValueError, r"bounds\[0\] \(low\) .* magnitude <= 1e\+50"),
        ({"bounds": ("a", 1.0)}, TypeError, r"bounds\[0\] \(low\) must be a real number, got 'a'"),
        ({"bounds": (1.0,)}, ValueError, r"bounds must be a pair \(low, high\), got 1 values"),
        ({"bounds": 5.0}, TypeError, r"bounds must be a pair \(low, high\), got 5.0"),
        ({"bounds": "ab"}, TypeError, "bounds must be a pair"),
        ({"decades": -1.0}, ValueError, "decades must be a number >= 0, got -1.0"),
        ({"decades": float("nan")}, ValueError, "decades must be a finite number"),
        ({"decades": 400}, ValueError, "decades must be a finite number of magnitude <= 300"),
        ({"decades": "6"}, TypeError, "decades must be a real number, got '6'"),
    ],
)
def test_bad_arguments(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        Rastrigin(**{"dimension": 3, **kwargs})


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_widest_box_keeps_every_value_finite(function) -> None:
    f = function(50, bounds=(-1e50, 1e50))
    rng = np.random.default_rng(0)
    x = f.random_state(rng)
    assert np.isfinite(f.energy(x))
    for _ in range(50):
        move = f.propose(x, rng)
        assert np.isfinite(f.delta(x, move))
        x = f.apply(x, move)


def test_check_state_and_fingerprint() -> None:
    f = Rastrigin(2)
    assert f.check_state((1, np.float32(0.5))) == [1.0, 0.5]
    for point, message in [
        ([0.0], "a point must be a list of 2 numbers, got 1 numbers"),
        ([0.0, 6.0], r"coordinate 1 must be in the box \[-5.12, 5.12\], got 6.0"),
        ([0.0, float("nan")], "coordinate 1 must be in the box"),
        ([0.0, "1"], "coordinate 1 must be a number, got '1'"),
        ([0.0, True], "coordinate 1 must be a number, got True"),
        (None, "a point must be a list of 2 numbers, got NoneType"),
    ]:
        with pytest.raises(ValueError, match=message):
            f.check_state(point)
    assert f.fingerprint() == Rastrigin(2).fingerprint()
    assert f.fingerprint() != Ackley(2).fingerprint()
    assert f.fingerprint() != Rastrigin(2, decades=5).fingerprint()
    assert f.fingerprint() != Rastrigin(2, bounds=(-5.12, 5.13)).fingerprint()


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        ([0.0], ValueError, r"x must hold 3 numbers \(the dimension\), got 1"),
        ([0.0, 1.0, "a"], TypeError, r"x\[2\] must be a real number, got 'a'"),
        ([0.0, 1.0, float("nan")], ValueError, r"x\[2\] must be a finite number"),
        ("abc", TypeError, "x must be a sequence of 3 numbers, got 'abc'"),
        (3.0, TypeError, "x must be a sequence of 3 numbers, got 3.0"),
    ],
)
def test_calling_a_function_checks_the_point(x, error, message) -> None:
    with pytest.raises(error, match="Rastrigin: " + message):
        Rastrigin(3)(x)
    assert Rastrigin(3)(np.array([7.0, 0.0, 0.0])) == pytest.approx(49.0)  # outside the box: fine
