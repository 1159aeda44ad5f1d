"""Replica exchange (annealing/simulated/tempering.py: temper, Tempering)."""

from __future__ import annotations

import concurrent.futures
import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import hostile, require

import annealing as an
from annealing.simulated import (
    Ising,
    Tempering,
    TravellingSalesman,
    anneal,
    default_temperature,
    temper,
)
from annealing.simulated.tempering import _seed, _swap_probability

CITIES = TravellingSalesman.grid(4, 5)


class DoubleWell:
    """Integers 0..40 moved by +-1: a shallow well at 5 (E = 0) behind a barrier of height
    10 at 15 from the deep one at 40 (E = -5). At T = 0.3 the barrier is never crossed."""

    def energy(self, x: int) -> float:
        return float(abs(x - 5)) if x <= 15 else 10.0 - 0.6 * (x - 15)

    def random_state(self, rng: np.random.Generator) -> int:
        return 5

    def propose(self, x: int, rng: np.random.Generator) -> int | None:
        step = 1 if rng.random() < 0.5 else -1
        return x + step if 0 <= x + step <= 40 else None

    def delta(self, x: int, move: int) -> float:
        return self.energy(move) - self.energy(x)

    def apply(self, x: int, move: int) -> int:
        return move

    def copy(self, x: int) -> int:
        return x


class FlatDefault(DoubleWell):
    """A problem whose own default schedule does not fall: no ladder can be read from it."""

    def _default_temperature(self, steps: int) -> an.Constant:
        return an.Constant(1.0)


def facts(result: Tempering[Any]) -> tuple[Any, ...]:
    return (
        result.best_state,
        result.best_energy,
        result.states,
        result.energies,
        result.accepted,
        result.swaps_accepted,
        result.swaps_tried,
    )


def test_the_swap_rule_by_hand() -> None:
    # (E_r - E_r+1)(1/T_r - 1/T_r+1) = (-10 + 6)(1/1 - 1/2) = -2
    assert _swap_probability(-10.0, -6.0, 1.0, 2.0) == pytest.approx(math.exp(-2.0), rel=1e-15)
    assert _swap_probability(-6.0, -10.0, 1.0, 2.0) == 1.0  # the colder holds more: always
    assert _swap_probability(3.0, 3.0, 1.0, 2.0) == 1.0
    assert _swap_probability(-1e300, 1e300, 1e-200, 1e200) == 0.0  # no overflow, no NaN


def test_temper_is_the_rounds_and_exchanges_written_out() -> None:
    """Three replicas, four rounds of 30 moves, replayed here with anneal and the swap rule."""
    ladder = [0.1, 0.4, 1.6]
    result = temper(CITIES, ladder, steps=120, seed=5, exchange_every=30)
    swaps = np.random.default_rng(np.random.SeedSequence(5, spawn_key=(1,)))
    states: list[Any] = [None] * 3
    energies = [0.0] * 3
    accepted = [0, 0, 0]
    tried, taken = [0, 0], [0, 0]
    best = math.inf
    for m in range(4):
        for r in range(3):
            leg = anneal(
                CITIES, an.Constant(ladder[r]), 30, seed=_seed(5, r, m), state=states[r], window=30
            )
            states[r], energies[r] = leg.state, leg.energy
            accepted[r] += leg.accepted
            best = min(best, leg.best_energy)
        if m < 3:
            for r in range(m % 2, 2, 2):
                tried[r] += 1
                gap = (energies[r] - energies[r + 1]) * (1 / ladder[r] - 1 / ladder[r + 1])
                p = math.exp(min(0.0, gap))
                if swaps.random() < p:
                    taken[r] += 1
                    states[r], states[r + 1] = states[r + 1], states[r]
                    energies[r], energies[r + 1] = energies[r + 1], energies[r]
    assert tried == [2, 1] and list(result.swaps_tried) == tried
    assert list(result.swaps_accepted) == taken
    assert list(result.states) == states and list(result.energies) == energies
    assert list(result.accepted) == accepted and result.best_energy == best
    assert result.best_energy == CITIES.energy(result.best_state)
    assert (result.rounds, result.exchange_every, result.steps) == (4, 30, 120)
    assert result.temperatures == tuple(ladder)


def test_reproducible_and_the_same_whatever_the_executor() -> None:
    local = temper(CITIES, [0.05, 0.2, 0.8], steps=600, seed=2, exchange_every=40)
    assert facts(temper(CITIES, [0.05, 0.2, 0.8], steps=600, seed=2, exchange_every=40)) == facts(
        local
    )
    with concurrent.futures.ThreadPoolExecutor(2) as threads:
        threaded = temper(CITIES, [0.05, 0.2, 0.8], 600, 2, exchange_every=40, executor=threads)
    assert facts(threaded) == facts(local)
    with concurrent.futures.ProcessPoolExecutor(2) as processes:
        spread = temper(CITIES, [0.05, 0.2, 0.8], 600, 2, exchange_every=40, executor=processes)
    assert facts(spread) == facts(local)
    other = temper(CITIES, [0.05, 0.2, 0.8], steps=600, seed=3, exchange_every=40)
    assert facts(other) != facts(local)


def test_exchanges_carry_a_trapped_state_over_the_barrier() -> None:
    well = DoubleWell()
    # alone at T = 0.3, the cold walker never leaves the shallow well
    assert anneal(well, an.Constant(0.3), 4000, seed=0).best_energy == 0.0
    for seed in range(6):
        # exchanging with warmer replicas, the cold one ends in the deep well
        result = temper(well, [0.3, 1.0, 3.0], steps=4000, seed=seed, exchange_every=20)
        assert result.best_energy == -5.0 and result.best_state == 40, seed
        assert result.energies[0] <= -4.0 and min(result.swaps_accepted) > 0, seed
        # without exchanges (a single round) the same cold replica stays trapped
        apart = temper(well, [0.3, 1.0, 3.0], steps=4000, seed=seed, exchange_every=4000)
        assert apart.swaps_tried == (0, 0) and apart.energies[0] >= 0.0, seed


def test_a_default_ladder_finds_the_ising_ground_state() -> None:
    lattice = Ising(6)
    result = temper(lattice, 4, steps=36 * 300, seed=1, exchange_every=36)
    ladder = result.temperatures
    assert len(ladder) == 4 and list(ladder) == sorted(ladder)
    ratios = [b / a for a, b in itertools.pairwise(ladder)]
    assert ratios == pytest.approx([ratios[0]] * 3)  # geometric
    calibration = np.random.default_rng(np.random.SeedSequence(1, spawn_key=(2,)))
    schedule = default_temperature(lattice, 36 * 300, rng=calibration)
    assert ladder[0] == pytest.approx(schedule.end) and ladder[-1] == schedule.start
    assert result.best_energy == -72.0 == lattice.energy(result.best_state)
    # a TSP default with many moves a city is a Restarts: one descent's ends
    many = temper(CITIES, 2, steps=20 * 25_000, seed=0, exchange_every=20 * 25_000)
    cycle = default_temperature(CITIES, 20 * 25_000).cycle
    assert many.temperatures == (pytest.approx(cycle.end), cycle.start)


def test_a_given_state_starts_every_replica() -> None:
    start = list(range(20))
    result = temper(CITIES, [1e-9, 2e-9], steps=1, seed=0, state=start)
    # at such temperatures only downhill or level moves are taken: no replica is worse
    assert all(e <= CITIES.energy(start) for e in result.energies)
    assert start == list(range(20))  # the caller's state is not changed
    assert "replicas=2" in repr(result) and result.swap_rates == (0.0,)


def test_a_dask_cluster_gives_the_local_result() -> None:
    require("dask")
    distributed = require("distributed")
    local = temper(CITIES, [0.05, 0.2, 0.8], steps=400, seed=4, exchange_every=100)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = temper(
            CITIES, [0.05, 0.2, 0.8], 400, 4, exchange_every=100, executor=client.get_executor()
        )
    assert facts(remote) == facts(local)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((object(), [1.0, 2.0], 10), {}, TypeError, "temper: problem must have the methods"),
        ((CITIES, [1.0], 10), {}, ValueError, "temper: temperatures must hold 2 to 1000 .* got 1"),
        ((CITIES, 1, 10), {}, ValueError, "temper: temperatures must be an integer from 2 to 1000"),
        ((CITIES, 1001, 10), {}, ValueError, "temperatures must be an integer from 2 to 1000"),
        ((CITIES, True, 10), {}, TypeError, "temperatures must be a sequence .* got True"),
        ((CITIES, "12", 10), {}, TypeError, "temper: temperatures must be a sequence .* got '12'"),
        ((CITIES, {1.0, 2.0}, 10), {}, TypeError, "temperatures must be a sequence"),
        ((CITIES, [2.0, 1.0], 10), {}, ValueError, r"increase strictly .* = 1.0 follows 2.0"),
        ((CITIES, [1.0, 1.0], 10), {}, ValueError, "temperatures must increase strictly"),
        ((CITIES, [0.0, 1.0], 10), {}, ValueError, r"temperatures\[0\] must be > 0, got 0.0"),
        ((CITIES, [-1.0, 1.0], 10), {}, ValueError, r"temperatures\[0\] must be > 0"),
        ((CITIES, [5e-324, 1.0], 10), {}, ValueError, r"temperatures\[0\] must be > 0"),
        ((CITIES, [1.0, math.nan], 10), {}, ValueError, r"temperatures\[1\] must be a finite"),
        ((CITIES, [1.0, math.inf], 10), {}, ValueError, r"temperatures\[1\] must be a finite"),
        ((CITIES, [1.0, "2"], 10), {}, TypeError, r"temperatures\[1\] must be a real number"),
        ((CITIES, np.ones((2, 2)), 10), {}, ValueError, r"one-dimensional, .* shape \(2, 2\)"),
        ((CITIES, [1.0, 2.0], 0), {}, ValueError, "temper: steps must be a whole number >= 1"),
        ((CITIES, [1.0, 2.0], 2.5), {}, ValueError, "temper: steps must be a whole number"),
        ((CITIES, [1.0, 2.0], "9"), {}, TypeError, "temper: steps must be a whole number"),
        ((CITIES, [1.0, 2.0], 10, -1), {}, ValueError, "temper: seed must be an integer from 0"),
        ((CITIES, [1.0, 2.0], 10, 2**128), {}, ValueError, "temper: seed must be an integer"),
        ((CITIES, [1.0, 2.0], 10), {"exchange_every": 0}, ValueError, "exchange_every must be"),
        ((CITIES, [1.0, 2.0], 10), {"exchange_every": 11}, ValueError, "from 1 to 10, got 11"),
        ((CITIES, [1.0, 2.0], 10), {"exchange_every": 2.0}, ValueError, "got 2.0"),
        (
            (CITIES, [1.0, 2.0], 10**7),
            {"exchange_every": 1},
            ValueError,
            "at most 1,000,000 rounds",
        ),
        ((CITIES, [1.0, 2.0], 10), {"executor": "dask"}, TypeError, "executor must be a .* 'dask'"),
        ((CITIES, [1.0, 2.0], 10), {"state": [0, 0, 1]}, ValueError, "temper: state: "),
        ((FlatDefault(), 3, 10), {}, ValueError, "temper: temperatures=3 needs a default schedule"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(args, kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        temper(*args, **kwargs)


HOSTILE = hostile(
    st.lists(st.one_of(st.floats(), st.integers(-3, 3), st.text(max_size=2)), max_size=3),
)


class Reached(Exception):
    """Raised by NOWHERE: every argument was accepted and the first replica was sent off."""


class _Nowhere(concurrent.futures.Executor):
    """An executor that refuses work: valid arguments reach it and stop there."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        raise Reached


NOWHERE = _Nowhere()


@settings(max_examples=60, deadline=None)
@given(value=HOSTILE)
def test_fuzz_every_parameter(value) -> None:
    """A hostile value is refused naming its parameter, or (if valid) reaches the executor."""
    calls = {
        "temperatures": lambda v: temper(CITIES, v, 10, executor=NOWHERE),
        "steps": lambda v: temper(CITIES, [0.5, 1.0], v, executor=NOWHERE),
        "seed": lambda v: temper(CITIES, [0.5, 1.0], 10, v, executor=NOWHERE),
        "exchange_every": lambda v: temper(
            CITIES, [0.5, 1.0], 10, exchange_every=v, executor=NOWHERE
        ),
        "state": lambda v: temper(CITIES, [0.5, 1.0], 10, state=v, executor=NOWHERE),
        "executor": lambda v: temper(CITIES, [0.5, 1.0], 10, executor=v),
    }
    for name, call in calls.items():
        try:
            result = call(value)
        except Reached:
            pass
        except (ValueError, TypeError) as error:
            assert f"temper: {name}" in str(error), (name, value, error)
        else:  # executor=None: a valid run, here
            assert name == "executor" and value is None
            assert result.best_energy == CITIES.energy(result.best_state)


@pytest.mark.parametrize(("steps", "every", "rounds"), [(1, 1, 1), (99, 1, 99), (250, 2, 125)])
def test_the_default_exchange_every(steps: int, every: int, rounds: int) -> None:
    result = temper(CITIES, [0.1, 0.2], steps, seed=0)
    assert (result.exchange_every, result.rounds, result.steps) == (every, rounds, steps)
    assert result.swaps_tried == (rounds // 2,)  # after the even rounds but the last
