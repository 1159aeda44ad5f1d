"""The 2-D Ising model (annealing/simulated/ising.py)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"size": 1}, ValueError, "Ising: size must be an integer from 2 to 4096, got 1"),
        ({"size": 4097}, ValueError, "Ising: size must be an integer from 2 to 4096, got 4097"),
        ({"size": 4.0}, ValueError, "Ising: size must be an integer from 2 to 4096, got 4.0"),
        ({"size": True}, ValueError, "Ising: size must be an integer .* got True"),
        ({"size": 10**100}, ValueError, "Ising: size must be an integer from 2 to 4096, got 1000"),
        ({"field": float("nan")}, ValueError, "Ising: field must be a finite number .* got nan"),
        (
            {"coupling": float("inf")},
            ValueError,
            "Ising: coupling must be a finite number .* got inf",
        ),
        (
            {"coupling": 1e300},
            ValueError,
            "Ising: coupling must be a finite number of magnitude <= 1e",
        ),
        ({"coupling": 10**400}, ValueError, "Ising: coupling must be a finite number"),
        ({"field": "0.5"}, TypeError, "Ising: field must be a real number, got '0.5'"),
        ({"field": 1j}, TypeError, "Ising: field must be a real number, got 1j"),
        ({"field": True}, TypeError, "Ising: field must be a real number, got True"),
        ({"field": None}, TypeError, "Ising: field must be a real number, got None"),
    ],
)
def test_bad_arguments(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        Ising(**{"size": 4, **kwargs})


def test_numbers_of_any_real_type_become_python_numbers() -> None:
    model = Ising(np.int64(3), coupling=Fraction(1, 2), field=Decimal("0.25"))
    assert (model.size, model.coupling, model.field) == (3, 0.5, 0.25)
    assert type(model.size) is int and type(model.coupling) is float and type(model.field) is float


def test_check_state_and_fingerprint() -> None:
    model = Ising(2)
    assert model.check_state((1, -1, np.int64(1), 1)) == [1, -1, 1, 1]
    for spins, message in [
        ([1, 1, 1], "spins must be a list of 4 values 1 or -1, got 3 values"),
        ([1, 1, 1, 0], "spin 3 must be 1 or -1, got 0"),
        ([1, 1, 1, 1.0], "spin 3 must be 1 or -1, got 1.0"),
        ([1, 1, 1, True], "spin 3 must be 1 or -1, got True"),
        ({1: 1}, "spins must be a list of 4 values 1 or -1, got dict"),
    ]:
        with pytest.raises(ValueError, match=message):
            model.check_state(spins)
    assert model.fingerprint() == Ising(2).fingerprint()
    assert model.fingerprint() != Ising(2, field=1e-300).fingerprint()
    assert model.fingerprint() != Ising(3).fingerprint()


def test_energy_checks_the_spins() -> None:
    with pytest.raises(ValueError, match="Ising: spin 2 must be 1 or -1, got 2"):
        Ising(2).energy([1, 1, 2, 1])
