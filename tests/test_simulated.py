"""The annealer (annealing/simulated/_anneal.py): Metropolis, seeds, engines, checkpoints."""

from __future__ import annotations

import json
import math
import random
import signal
import subprocess
import sys

import numpy as np
import pytest
from support import require

import annealing as an
from annealing.simulated import (
    Ising,
    Rastrigin,
    Status,
    TravellingSalesman,
    anneal,
    default_temperature,
    initial_temperature,
)
from annealing.simulated._anneal import _Temperatures


class TwoLevel:
    """A two-state system with energies 0 and 1; every move flips the state."""

    def random_state(self, rng: np.random.Generator) -> list[int]:
        return [0]

    def energy(self, state: list[int]) -> float:
        return float(state[0])

    def propose(self, state: list[int], rng: np.random.Generator) -> int:
        return 1 - state[0]

    def delta(self, state: list[int], move: int) -> float:
        return float(move - state[0])

    def apply(self, state: list[int], move: int) -> list[int]:
        state[0] = move
        return state

    def copy(self, state: list[int]) -> list[int]:
        return list(state)


def same_run(a, b) -> None:
    assert a.best_state == b.best_state
    assert a.best_energy == b.best_energy
    assert a.state == b.state
    assert a.energy == b.energy
    assert a.accepted == b.accepted
    assert a.moves == b.moves
    assert a.trace == b.trace


def test_import_annealing_does_not_import_simulated() -> None:
    code = (
        "import sys, annealing, annealing.simulated._cli\n"
        "assert 'annealing.simulated._anneal' not in sys.modules\n"
        "assert 'annealing.simulated.tsp' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_metropolis_samples_the_boltzmann_distribution() -> None:
    # At a constant temperature the chain visits the upper level with probability
    # e^{-1/T} / (1 + e^{-1/T}); sample it every 7 moves.
    visits = []

    def record(status: Status) -> None:
        visits.append(status.energy)

    anneal(TwoLevel(), an.Constant(1.0), 140_000, seed=3, window=7, callback=record)
    expected = math.exp(-1.0) / (1.0 + math.exp(-1.0))
    assert np.mean(visits) == pytest.approx(expected, abs=0.01)


def test_zero_temperature_only_goes_downhill() -> None:
    result = anneal(TravellingSalesman.circle(20), an.Constant(0.0), 5000, seed=1, window=50)
    assert all(b <= a for a, b in zip(result.trace.energy, result.trace.energy[1:], strict=False))
    assert result.energy == pytest.approx(result.best_energy, rel=1e-12)


def test_same_seed_same_result_and_seeds_differ() -> None:
    cities = TravellingSalesman.circle(25)
    same_run(anneal(cities, steps=20_000, seed=5), anneal(cities, steps=20_000, seed=5))
    assert anneal(cities, steps=2000, seed=5).trace != anneal(cities, steps=2000, seed=6).trace


def test_seed_none_is_reported_and_replays() -> None:
    cities = TravellingSalesman.circle(12)
    first = anneal(cities, steps=3000, seed=None)
    same_run(first, anneal(cities, steps=3000, seed=first.seed))


@pytest.mark.parametrize("engine", ["python", "numba"])
@pytest.mark.parametrize(
    "problem", [TravellingSalesman.grid(4, 6), Ising(6, field=0.3)], ids=["tsp", "ising"]
)
def test_fast_engines_repeat_the_reference_loop(problem, engine: str) -> None:
    if engine == "numba":
        require("numba")
    temperature = an.Restarts(an.Exponential(10.0, end=0.05, steps=4000))
    reference = anneal(problem, temperature, 12_000, seed=2, engine="reference", window=700)
    fast = anneal(problem, temperature, 12_000, seed=2, engine=engine, window=700)
    assert fast.engine == engine
    same_run(reference, fast)


def test_no_global_random_state_and_no_signal_handler() -> None:
    random.seed(1)
    np.random.seed(1)
    python_state, numpy_state = random.getstate(), np.random.get_state()
    handler = signal.getsignal(signal.SIGINT)
    anneal(TravellingSalesman.circle(10), steps=2000, seed=0)
    anneal(TravellingSalesman.circle(10), steps=2000, seed=0, engine="reference")
    assert random.getstate() == python_state
    assert np.array_equal(np.random.get_state()[1], numpy_state[1])
    assert signal.getsignal(signal.SIGINT) is handler


@pytest.mark.parametrize("engine", ["reference", "python"])
def test_checkpoint_resumes_identically(engine: str) -> None:
    cities = TravellingSalesman.circle(30)
    temperature = an.Cosine(3.0, 0.01, 30_000)
    whole = anneal(cities, temperature, 30_000, seed=4, window=1000, engine=engine)
    part = anneal(
        cities,
        temperature,
        30_000,
        seed=4,
        window=1000,
        engine=engine,
        callback=lambda status: status.move >= 12_000,
    )
    assert part.stopped == "callback" and part.moves == 12_000
    checkpoint = json.loads(json.dumps(part.checkpoint))  # plain data
    same_run(whole, anneal(cities, resume=checkpoint, engine=engine))


def test_keyboard_interrupt_returns_best_so_far_and_resumes() -> None:
    cities = TravellingSalesman.circle(30)
    whole = anneal(cities, steps=20_000, seed=8, window=500)

    def interrupt(status: Status) -> None:
        if status.move == 9_000:
            raise KeyboardInterrupt

    part = anneal(cities, steps=20_000, seed=8, window=500, callback=interrupt)
    assert part.stopped == "interrupt"
    assert part.best_energy == pytest.approx(min(part.trace.best), rel=1e-12)
    assert part.best_energy < part.trace.energy[0]
    same_run(whole, anneal(cities, resume=part.checkpoint))


def test_log_space_keeps_the_range_and_warps_the_shape() -> None:
    linear = _Temperatures(an.Linear(100.0, 0.1, 999), 1000, "log")(0, 1000)
    geometric = 100.0 * (0.1 / 100.0) ** (np.arange(1000) / 999)
    assert np.allclose(linear, geometric, rtol=1e-12)
    cosine = _Temperatures(an.Cosine(100.0, 0.1, 1000), 1000, "log")(0, 1000)
    assert cosine[0] == 100.0
    assert cosine[500] == pytest.approx(math.sqrt(100.0 * 0.1), rel=1e-12)  # half way in log T


def test_restarts_reheat() -> None:
    temperature = an.Restarts(an.Exponential(5.0, end=0.01, steps=2500))
    result = anneal(TravellingSalesman.circle(16), temperature, 10_000, seed=0, window=500)
    rises = [
        k
        for k, (a, b) in enumerate(
            zip(result.trace.temperature, result.trace.temperature[1:], strict=False)
        )
        if b > a
    ]
    assert len(rises) == 3


def test_plain_functions_and_custom_problems() -> None:
    result = anneal(TwoLevel(), lambda k: 1.0 / (1 + k), 200, seed=0)
    assert result.engine == "reference"
    assert result.best_energy == 0.0
    assert result.moves == 200 and 0 < result.acceptance_rate <= 1


def test_default_temperature_from_the_problem() -> None:
    cities = TravellingSalesman.circle(40, radius=100.0)
    schedule = default_temperature(cities, 1000)
    assert isinstance(schedule, an.Exponential)
    assert schedule.steps == 1000 and 0 < schedule.end < schedule.start
    # T0 accepts 80% of uphill moves of a random walk
    t0 = initial_temperature(cities, 0.8, seed=0)
    assert schedule.start == pytest.approx(t0)
    assert initial_temperature(cities, 0.5, seed=0) < t0 < initial_temperature(cities, 0.95, seed=0)


def test_result_trace_and_repr() -> None:
    result = anneal(Ising(6), steps=5000, seed=0, window=1000)
    assert result.trace.move == [1000, 2000, 3000, 4000, 5000]
    assert result.trace.temperature[0] > result.trace.temperature[-1]
    assert all(0 <= a <= 1 for a in result.trace.acceptance)
    assert "best_energy=" in repr(result) and result.moves_per_second > 0


def test_progress_bar_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    anneal(TravellingSalesman.circle(10), steps=2000, seed=0, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "100.0%" in captured.err and "moves/s" in captured.err


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"steps": 0}, ValueError, "steps must be a whole number >= 1, got 0"),
        ({"steps": 1.5}, ValueError, "steps must be a whole number >= 1, got 1.5"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0 or None, got -1"),
        ({"engine": "fast"}, ValueError, "engine must be one of"),
        ({"space": "beta"}, ValueError, "space must be 'linear' or 'log', got 'beta'"),
        ({"window": 0}, ValueError, "window must be an integer >= 1, got 0"),
        ({"temperature": 3.0}, TypeError, "temperature must be a schedule"),
        ({"temperature": lambda k: -1.0}, ValueError, "got -1.0 at move 0"),
        (
            {"temperature": an.Cosine(1.0, 0.0, 50), "space": "log"},
            ValueError,
            "needs temperatures > 0",
        ),
        ({"resume": {"kind": "other"}}, ValueError, "resume must be a Result.checkpoint"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, error, message) -> None:
    arguments = {"steps": 100, **kwargs}
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        anneal(TravellingSalesman.circle(8), **arguments)


def test_bad_problems() -> None:
    with pytest.raises(TypeError, match="lacks random_state, energy"):
        anneal(object(), steps=10)
    with pytest.raises(ValueError, match="engine 'python' needs a built-in problem"):
        anneal(TwoLevel(), steps=10, engine="python")


def test_continuous_problem_anneals_into_the_global_basin() -> None:
    result = anneal(Rastrigin(4), steps=30_000, seed=0)
    assert result.best_energy < 0.01
    assert max(abs(x) for x in result.best_state) < 0.01


def test_resume_across_blocks_of_temperatures() -> None:
    # windows that straddle the 2**16-move blocks in which temperatures are evaluated
    cities = TravellingSalesman.circle(20)
    temperature = an.Cosine(2.0, 0.01, 150_000)
    whole = anneal(cities, temperature, 150_000, seed=6, window=7_000, space="log")
    part = anneal(
        cities,
        temperature,
        150_000,
        seed=6,
        window=7_000,
        space="log",
        callback=lambda status: status.move >= 63_000,
    )
    same_run(whole, anneal(cities, resume=part.checkpoint))
    values = _Temperatures(temperature, 150_000, "log")(63_000, 70_000)  # window 9
    assert values[0] == whole.trace.temperature[9]
    assert len(values) == 7_000
