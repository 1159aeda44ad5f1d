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
    ("kwargs", "message"),
    [
        ({"dimension": 0}, "Rastrigin: dimension must be an integer >= 1, got 0"),
        ({"bounds": (1.0, -1.0)}, "bounds must be finite with low < high"),
        ({"decades": -1.0}, "decades must be a number >= 0, got -1.0"),
    ],
)
def test_bad_arguments(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Rastrigin(**{"dimension": 3, **kwargs})
