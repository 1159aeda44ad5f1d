"""The 2-D Ising model (annealing/simulated/ising.py)."""

from __future__ import annotations

import numpy as np
import pytest

import annealing as an
from annealing.simulated import Ising, anneal
from annealing.simulated.ising import CRITICAL_TEMPERATURE


def test_energy_and_delta() -> None:
    model = Ising(5, coupling=1.0, field=0.5)
    rng = np.random.default_rng(0)
    spins = model.random_state(rng)
    assert set(spins) <= {-1, 1} and len(spins) == 25
    for _ in range(300):
        site = model.propose(spins, rng)
        before = model.energy(spins)
        change = model.delta(spins, site)
        spins = model.apply(spins, site)
        assert model.energy(spins) == pytest.approx(before + change)
    assert model.energy([1] * 25) == model.optimum == -2 * 25 - 0.5 * 25
    assert model.lattice(spins).shape == (5, 5)


def test_critical_temperature() -> None:
    assert abs(CRITICAL_TEMPERATURE - 2.269185314213022) < 1e-12


def test_orders_below_and_disorders_above_the_critical_temperature() -> None:
    model = Ising(12)
    ordered = [1] * model.n
    cold = anneal(model, an.Constant(1.5), 60_000, seed=0, state=ordered)
    hot = anneal(model, an.Constant(5.0), 60_000, seed=0, state=ordered)
    assert abs(model.magnetisation(cold.state)) > 0.9
    assert abs(model.magnetisation(hot.state)) < 0.35


def test_slow_cooling_finds_the_ground_state() -> None:
    model = Ising(8)
    result = anneal(model, steps=50_000, seed=0)
    assert result.best_energy == model.optimum
    assert abs(model.magnetisation(result.best_state)) == 1.0


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="Ising: size must be an integer >= 2, got 1"):
        Ising(1)
    with pytest.raises(ValueError, match="Ising: field must be a finite number, got nan"):
        Ising(4, field=float("nan"))
