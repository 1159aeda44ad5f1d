"""The annealer (annealing/simulated/_anneal.py): Metropolis, seeds, engines, checkpoints."""

from __future__ import annotations

import copy
import json
import math
import os
import pickle
import random
import re
import signal
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import require

import annealing as an
from annealing.simulated import (
    Ackley,
    Ising,
    Rastrigin,
    Rosenbrock,
    Schwefel,
    Status,
    TravellingSalesman,
    anneal,
    default_temperature,
    initial_temperature,
    load_checkpoint,
    tsp,
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
    # with neighbour lists, from a random start: from the mean distance to the 10th-nearest
    # city (here the chord across 5 edges of the polygon)
    reach = 2 * 100.0 * np.sin(5 * np.pi / 40)
    assert schedule.start == pytest.approx(0.5 * reach) and schedule.end == pytest.approx(
        0.003 * reach
    )
    few = TravellingSalesman(cities.coordinates, neighbours=4)  # fewer: the last candidate
    fourth = 2 * 100.0 * np.sin(2 * np.pi / 40)
    assert default_temperature(few, 1000).start == pytest.approx(0.5 * fourth)
    # from a space-filling-curve start (matrix=False above 2,000 cities): from the mean
    # distance to the nearest city, colder, to keep the curve's order
    ring = TravellingSalesman.circle(2_400, radius=100.0)
    side = 2 * 100.0 * np.sin(np.pi / 2_400)
    curve = default_temperature(ring, 1000)
    assert curve.start == pytest.approx(0.8 * side) and curve.end == pytest.approx(0.01 * side)
    # the classic move set: T0 accepts 80% of uphill moves of a random walk
    classic = TravellingSalesman(cities.coordinates, neighbours=0)
    t0 = initial_temperature(classic, 0.8, seed=0)
    assert default_temperature(classic, 1000).start == pytest.approx(t0)
    assert initial_temperature(cities, 0.5, seed=0) < t0 < initial_temperature(cities, 0.95, seed=0)


def test_default_temperature_restarts_with_many_moves_a_city() -> None:
    # up to 2 * CYCLE_MOVES moves a city, one descent; beyond, moves // (CYCLE_MOVES n)
    # descents from the same T0 to the same T1, one after another (Restarts)
    cities = TravellingSalesman.circle(40, radius=100.0)
    per_city = tsp.CYCLE_MOVES * cities.n
    one = default_temperature(cities, 2 * per_city - 1)
    assert isinstance(one, an.Exponential) and one.steps == 2 * per_city - 1
    steps = 5 * per_city + 7
    five = default_temperature(cities, steps)
    assert isinstance(five, an.Restarts)
    assert five.cycle == an.Exponential(start=one.start, end=one.end, steps=steps / 5)
    values = five(np.array([0, steps // 5 - 1, steps // 5 + 1, steps - 1], dtype=float))
    assert values[0] == pytest.approx(one.start) and values[2] == pytest.approx(one.start, 1e-3)
    assert values[1] == pytest.approx(one.end, 1e-3) and values[3] == pytest.approx(one.end, 1e-3)
    # a run with the default temperature uses it, and every engine gives the same run
    small = TravellingSalesman.circle(8)
    steps = 3 * tsp.CYCLE_MOVES * small.n
    runs = [anneal(small, steps=steps, seed=3, engine=e) for e in ("reference", "python", "numba")]
    assert runs[0].temperature == default_temperature(small, steps)
    assert isinstance(runs[0].temperature, an.Restarts)
    assert len({(r.best_energy, tuple(r.best_state), r.accepted) for r in runs}) == 1


def test_a_timed_run_chooses_the_descents_for_the_moves_it_makes(monkeypatch) -> None:
    # the default schedule of a timed run is the problem's for the moves its measured speed
    # makes in the time (steps only sets its length); a given schedule is kept as it is
    monkeypatch.setattr(tsp, "CYCLE_MOVES", 10)
    cities = TravellingSalesman.circle(12)
    per_cycle = 10 * cities.n
    assert isinstance(default_temperature(cities, 100), an.Exponential)  # 100 moves: one
    result = anneal(cities, steps=100, seed=0, time_limit=0.3, engine="python")
    assert isinstance(result.temperature, an.Restarts)
    cycles = round(100 / result.temperature.cycle.steps)
    assert result.moves // (4 * per_cycle) <= cycles <= 4 * result.moves // per_cycle
    assert result.temperature.cycle.start == default_temperature(cities, 100).start
    given = an.Exponential(1.0, end=0.01, steps=1000)
    assert anneal(cities, given, 1000, seed=0, time_limit=0.1).temperature is given


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


# -- checkpoints: fingerprints, refusals, allowed changes, hostile fields ----------------------

CITIES = TravellingSalesman.circle(12)
COSINE = an.Cosine(3.0, 0.01, 4000)


def half_way(problem=CITIES, temperature=COSINE, **kwargs) -> tuple[dict, object]:
    """A run of 4000 moves stopped at 2000: (its checkpoint as JSON data, the whole run)."""
    settings = {"steps": 4000, "seed": 1, "window": 100, **kwargs}
    whole = anneal(problem, temperature, **settings)
    part = anneal(problem, temperature, callback=lambda s: s.move >= 2000, **settings)
    return json.loads(json.dumps(part.checkpoint)), whole


CHECKPOINT, WHOLE = half_way()


def test_checkpoint_format_and_fingerprints() -> None:
    checkpoint = CHECKPOINT
    assert checkpoint["format"] == 2 and checkpoint["kind"] == "annealing.simulated.anneal"
    assert set(checkpoint["fingerprint"]) == {"problem", "schedule", "settings"}
    for digest in checkpoint["fingerprint"].values():
        assert re.fullmatch("sha256:[0-9a-f]{64}", digest)
    assert checkpoint["schedule"] == repr(COSINE)
    assert checkpoint["problem"] == repr(CITIES)
    # the same problem, schedule and settings give the same fingerprints in another run
    again, _ = half_way(TravellingSalesman.circle(12), an.Cosine(3.0, 0.01, 4000))
    assert again["fingerprint"] == checkpoint["fingerprint"]
    other, _ = half_way(seed=2)
    assert other["fingerprint"]["settings"] != checkpoint["fingerprint"]["settings"]
    assert other["fingerprint"]["problem"] == checkpoint["fingerprint"]["problem"]


def test_resume_of_a_run_seeded_with_none() -> None:
    first = anneal(CITIES, COSINE, 4000, None, window=100, callback=lambda s: s.move >= 1000)
    whole = anneal(CITIES, COSINE, 4000, first.seed, window=100)
    same_run(whole, anneal(CITIES, COSINE, 4000, None, window=100, resume=first.checkpoint))
    same_run(whole, anneal(CITIES, COSINE, 4000, first.seed, resume=first.checkpoint))


def test_resume_with_the_same_values_passed_again() -> None:
    same_run(
        WHOLE,
        anneal(
            CITIES, COSINE, 4000, 1, space="linear", window=100, resume=CHECKPOINT, engine="python"
        ),
    )


@pytest.mark.parametrize(
    ("problem", "kwargs", "message"),
    [
        (
            CITIES,
            {"temperature": an.Cosine(3.0, 0.02, 4000)},
            "schedule differs: checkpoint has Cosine(start=3.0, end=0.01, steps=4000), "
            "this run has Cosine(start=3.0, end=0.02, steps=4000)",
        ),
        (
            CITIES,
            {"temperature": lambda k: 1.0},
            "schedule differs: checkpoint has Cosine(start=3.0, end=0.01, steps=4000), "
            "this run has function <lambda> (T(0) = 1.0",
        ),
        (
            TravellingSalesman.circle(12, radius=2.0),
            {},
            "problem differs: checkpoint has <TravellingSalesman name='circle12', n=12, "
            "metric='euclidean'> (sha256:",
        ),
        (
            TravellingSalesman(CITIES.coordinates, metric="EUC_2D"),
            {},
            "problem differs: checkpoint has <TravellingSalesman name='circle12', n=12, "
            "metric='euclidean'>, this run has <TravellingSalesman n=12, metric='EUC_2D'>",
        ),
        (Ising(4), {}, "problem differs: checkpoint has <TravellingSalesman"),
        (CITIES, {"steps": 5000}, "steps differs: checkpoint has 4000, this run has 5000"),
        (CITIES, {"steps": 1e6}, "steps differs: checkpoint has 4000, this run has 1000000"),
        (CITIES, {"window": 50}, "window differs: checkpoint has 100, this run has 50"),
        (CITIES, {"space": "log"}, "space differs: checkpoint has 'linear', this run has 'log'"),
    ],
)
def test_resume_refuses_what_differs(problem, kwargs, message) -> None:
    with pytest.raises(ValueError, match=re.escape("anneal: checkpoint: " + message)) as error:
        anneal(problem, resume=CHECKPOINT, **kwargs)
    assert "pass allow_changes=True" in str(error.value)


def test_resume_lists_every_difference_and_refuses_seed_and_state() -> None:
    with pytest.raises(
        ValueError, match=r"steps differs: .*; window differs: .*; schedule differs"
    ):
        anneal(CITIES, an.Constant(1.0), 5000, window=7, resume=CHECKPOINT)
    with pytest.raises(ValueError, match="seed differs: checkpoint has 1, this run has 0"):
        anneal(CITIES, seed=0, resume=CHECKPOINT, allow_changes=True)
    with pytest.raises(ValueError, match="state cannot be given with resume"):
        anneal(CITIES, state=list(range(12)), resume=CHECKPOINT)
    with pytest.raises(ValueError, match="allow_changes=True needs resume"):
        anneal(CITIES, steps=10, allow_changes=True)
    with pytest.raises(TypeError, match="allow_changes must be True or False, got 1"):
        anneal(CITIES, resume=CHECKPOINT, allow_changes=1)  # type: ignore[arg-type]


def test_resume_of_a_finished_run() -> None:
    checkpoint = json.loads(json.dumps(WHOLE.checkpoint))
    assert checkpoint["move"] == 4000
    same_run(WHOLE, anneal(CITIES, resume=checkpoint))


def test_allow_changes_continues_with_the_new_values() -> None:
    longer = anneal(CITIES, steps=6000, resume=CHECKPOINT, allow_changes=True)
    assert longer.steps == longer.moves == 6000
    assert longer.trace.move[:20] == WHOLE.trace.move[:20]  # the first 2000 moves are kept
    assert longer.checkpoint["steps"] == 6000
    again = anneal(CITIES, resume=longer.checkpoint)  # the new checkpoint is consistent
    assert again.moves == 6000
    colder = anneal(CITIES, an.Constant(0.0), resume=CHECKPOINT, allow_changes=True)
    assert colder.trace.temperature[20:] == [0.0] * 20
    assert colder.trace.temperature[:20] == WHOLE.trace.temperature[:20]
    assert colder.checkpoint["schedule"] == "Constant(value=0.0)"
    with pytest.raises(ValueError, match=r"steps \(1000\) must be at least the moves .* \(2000\)"):
        anneal(CITIES, steps=1000, resume=CHECKPOINT, allow_changes=True)


def test_allow_changes_on_another_problem_recomputes_the_energies() -> None:
    bigger = TravellingSalesman.circle(12, radius=10.0)
    result = anneal(bigger, resume=CHECKPOINT, allow_changes=True)
    assert result.best_energy == pytest.approx(bigger.energy(result.best_state), rel=1e-12)
    assert result.best_energy >= bigger.optimum * (1 - 1e-12)
    assert result.best_energy > 10 * CITIES.optimum * (1 - 1e-12)
    with pytest.raises(
        ValueError, match="state: TravellingSalesman: a tour must list each of the 13"
    ):
        anneal(TravellingSalesman.circle(13), resume=CHECKPOINT, allow_changes=True)


def test_resume_with_a_plain_function() -> None:
    def cooling(k: float) -> float:
        return 2.0 * (1 - k / 4000) + 0.01

    checkpoint, whole = half_way(temperature=cooling)
    assert checkpoint["temperature"] is None
    assert checkpoint["schedule"].startswith("function ")
    assert "cooling (T(0) = 2.01" in checkpoint["schedule"]
    same_run(whole, anneal(CITIES, cooling, resume=checkpoint))
    with pytest.raises(ValueError, match="has no to_dict; pass temperature= again"):
        anneal(CITIES, resume=checkpoint)
    with pytest.raises(ValueError, match=r"schedule differs: checkpoint has function .*cooling"):
        anneal(CITIES, lambda k: 2.0 * (1 - k / 4000) + 0.02, resume=checkpoint)


def test_resume_a_custom_problem() -> None:
    class Other(TwoLevel):
        pass

    checkpoint, whole = half_way(TwoLevel(), an.Constant(1.0))
    assert checkpoint["problem"] == "TwoLevel"
    same_run(whole, anneal(TwoLevel(), resume=checkpoint))
    with pytest.raises(ValueError, match="problem differs: checkpoint has TwoLevel, this run has "):
        anneal(Other(), resume=checkpoint)


def test_numba_resumes_identically() -> None:
    require("numba")
    problem = Ising(6, field=0.3)
    checkpoint, whole = half_way(problem, an.Exponential(5.0, end=0.1, steps=4000), engine="numba")
    assert whole.engine == "numba"
    same_run(whole, anneal(problem, resume=checkpoint, engine="numba"))
    same_run(whole, anneal(problem, resume=checkpoint, engine="python"))


def edited(path: str, value: object = None, *, delete: bool = False) -> dict:
    checkpoint = copy.deepcopy(CHECKPOINT)
    *parents, last = path.split(".")
    node = checkpoint
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if delete:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return checkpoint


def swapped(key: str) -> dict:
    checkpoint = copy.deepcopy(CHECKPOINT)
    tour = checkpoint[key]
    tour[0], tour[5] = tour[5], tour[0]
    return checkpoint


@pytest.mark.parametrize(
    ("checkpoint", "message"),
    [
        (edited("format", 1), "format 1 is not supported (this version reads format 2"),
        (edited("format", 2.0), "format 2.0 is not supported"),
        (edited("move", delete=True), "missing field move"),
        (edited("extra", 1), "unknown field 'extra'"),
        (edited("fingerprint", None), "fingerprint must be a dict with the keys problem"),
        (
            edited("fingerprint.problem", "sha256:00"),
            "fingerprint.problem must be 'sha256:' and 64",
        ),
        (edited("steps", 5000), "steps, seed, space and window do not match fingerprint.settings"),
        (edited("seed", 2), "do not match fingerprint.settings"),
        (edited("window", 7), "do not match fingerprint.settings"),
        (edited("steps", 2**60), "steps must be from 1 to 2**53, got 1152921504606846976"),
        (edited("steps", "4000"), "steps must be an integer, got '4000'"),
        (edited("steps", True), "steps must be an integer, got True"),
        (edited("steps", 4000.0), "steps must be an integer, got 4000.0"),
        (edited("space", "cubic"), "space must be 'linear' or 'log', got 'cubic'"),
        (edited("move", 5000), "move must be from 0 to steps (4000), got 5000"),
        (edited("move", -1), "move must be from 0 to steps (4000), got -1"),
        (
            edited("move", 1900),
            "trace.move[19] must be an integer > 1900 (the window before) and <= move (1900)",
        ),
        (edited("accepted", 3000), "accepted must be from 0 to move (2000), got 3000"),
        (edited("energy", float("nan")), "energy must be a finite number, got nan"),
        (edited("energy", 10**400), "energy must be a finite number, got an integer of 1329 bits"),
        (edited("energy", "12"), "energy must be a number, got '12'"),
        (edited("energy", 1e6), "energy 1000000.0 is not the energy of its state"),
        (edited("best_energy", 1e6), "best_energy (1000000.0) must be <= energy"),
        (edited("best_energy", 1.0), "best_energy 1.0 is not the energy of its state"),
        (edited("state", None), "state: TravellingSalesman: a tour must be a list of the cities"),
        (edited("state.3", 99), r"state: TravellingSalesman: tour[3] must be from 0 to 11, got 99"),
        (edited("state.3", -1), r"state: TravellingSalesman: tour[3] must be from 0 to 11, got -1"),
        (
            edited("best_state.0", "a"),
            r"best_state: TravellingSalesman: tour[0] must be a city index",
        ),
        (edited("state", list(range(11))), "a tour must list each of the 12 cities once, got 11"),
        (swapped("state"), "energy 1"),
        (swapped("best_state"), "best_energy "),
        (edited("rng", []), "rng must be a dict (numpy's PCG64 state), got []"),
        (
            edited("rng.bit_generator", "MT19937"),
            "rng.bit_generator must be 'PCG64', got 'MT19937'",
        ),
        (edited("rng.state.inc", 2), "rng.state.inc must be odd (PCG64's increment), got 2"),
        (
            edited("rng.state.state", 2**128),
            "rng.state.state must be an integer from 0 to 2**128 - 1",
        ),
        (edited("rng.state.state", -1), "rng.state.state must be an integer from 0 to 2**128 - 1"),
        (edited("rng.state", {"state": 1}), "rng.state must be a dict with the keys inc and state"),
        (edited("rng.has_uint32", 2), "rng.has_uint32 must be 0 or 1, got 2"),
        (edited("rng.uinteger", 2**32), "rng.uinteger must be an integer from 0 to 2**32 - 1"),
        (edited("rng.extra", 0), "rng must have exactly the keys bit_generator, has_uint32, state"),
        (edited("trace", []), "trace must be a dict of lists, got []"),
        (edited("trace.best", delete=True), "trace must have exactly the keys move, temperature"),
        (edited("trace.energy", [1.0]), "trace.energy has 1 entries, trace.move has 20"),
        (
            edited("trace.move", list(range(100, 2100, 100))[::-1]),
            "trace.move[1] must be an integer > 2000",
        ),
        (edited("trace.temperature.3", -1.0), r"trace.temperature[3] must be >= 0, got -1.0"),
        (edited("trace.temperature.3", float("inf")), r"trace.temperature[3] must be a finite"),
        (edited("trace.acceptance.3", 1.5), r"trace.acceptance[3] must be from 0 to 1, got 1.5"),
        (edited("trace.best.3", 1e9), r"trace.best[3] (1000000000.0) must be <= trace.energy[3]"),
        (edited("trace.move.19", 1999), r"trace.move must end at move (2000), got [1999]"),
        (edited("problem", 5), "problem must be a str of at most 2000 characters, got 5"),
        (edited("schedule", "x" * 5000), "schedule must be a str of at most 2000 characters"),
        (
            edited("temperature", [1]),
            r"temperature must be a schedule's to_dict() or None, got [1]",
        ),
        (
            edited("temperature.type", "Nope"),
            "temperature is not an annealing schedule (ValueError: ",
        ),
        (
            edited("temperature.end", 0.5),
            "temperature (Cosine(start=3.0, end=0.5, steps=4000)) "
            "does not match fingerprint.schedule",
        ),
        (edited("temperature.start", "3.0"), "temperature "),
    ],
)
def test_every_field_of_a_checkpoint_is_checked(checkpoint: dict, message: str) -> None:
    with pytest.raises(ValueError, match="anneal: checkpoint: .*" + re.escape(message)):
        anneal(CITIES, resume=checkpoint)


def test_a_checkpoint_changed_after_it_was_made() -> None:
    reversed_tour = copy.deepcopy(CHECKPOINT)  # the same cycle, so the same energy
    reversed_tour["state"].reverse()
    other_trace = edited("trace.temperature.3", 1.5)
    no_checksum = edited("checksum", None)
    for checkpoint in (reversed_tour, other_trace, no_checksum):
        with pytest.raises(ValueError, match="do not match its checksum: it was changed after"):
            anneal(CITIES, resume=checkpoint)
        assert anneal(CITIES, resume=checkpoint, allow_changes=True).moves == 4000
    with pytest.raises(ValueError, match="checksum must be 'sha256:' and 64 hex digits, got 5"):
        anneal(CITIES, resume=edited("checksum", 5))


def test_a_checkpoint_that_is_not_one() -> None:
    with pytest.raises(TypeError, match=r"resume must be a Result.checkpoint dict, got \[\]"):
        anneal(CITIES, resume=[])  # type: ignore[arg-type]
    with pytest.raises(
        ValueError, match=r"resume must be a Result.checkpoint dict .* got kind None"
    ):
        anneal(CITIES, resume={})


HOSTILE_NUMBER = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 50),
    st.integers(-(2**70), 2**1100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e60, 1e60),
    st.sampled_from(["3", 1j, np.float32(2.5), np.int64(7), np.uint8(200), Fraction(1, 3)]),
    st.sampled_from([Decimal("1.5"), Decimal("NaN"), np.float64("nan"), [1, 2], (0.0, 1.0)]),
)
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**140),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.integers(-2, 14), max_size=14),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    st.just(10**400),
    st.just([0] * 12),
    st.just(list(range(12))[::-1]),
    st.sampled_from([np.array([2, 2]), np.array(["log"]), np.float64("nan"), np.int64(2)]),
)


def paths(value: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside a checkpoint (dict keys and list indices)."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += paths(item, (*prefix, key))
    elif isinstance(value, list) and len(value) <= 24:
        for k, item in enumerate(value):
            out += paths(item, (*prefix, k))
    return out


PATHS = paths(CHECKPOINT)


@settings(max_examples=250, deadline=None)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            st.sampled_from(["set", "delete", "truncate", "extend"]),
            HOSTILE,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_the_checkpoint_loader(edits) -> None:
    checkpoint = copy.deepcopy(CHECKPOINT)
    for path, action, value in edits:
        node = checkpoint
        try:
            for key in path[:-1]:
                node = node[key]
            last = path[-1]
            if action == "delete":
                del node[last]
            elif action == "truncate" and isinstance(node[last], list):
                node[last] = node[last][: len(node[last]) // 2]
            elif action == "extend" and isinstance(node[last], list):
                node[last] = node[last] + node[last][:1] * 3
            else:
                node[last] = value
        except (KeyError, IndexError, TypeError):  # an earlier edit removed the path
            continue
    try:
        result = anneal(CITIES, resume=checkpoint, engine="python")
    except (ValueError, TypeError) as error:
        assert str(error).startswith("anneal:"), error
        assert "\n" not in str(error)
    else:  # accepted: only when nothing was changed, and then the run is the uninterrupted one
        assert checkpoint == CHECKPOINT
        same_run(WHOLE, result)


def test_load_checkpoint(tmp_path) -> None:
    path = tmp_path / "run.json"
    path.write_text(json.dumps(CHECKPOINT))
    same_run(WHOLE, anneal(CITIES, resume=load_checkpoint(path)))
    cases = {
        "nan.json": json.dumps(CHECKPOINT).replace('"energy": ', '"energy": NaN, "x": '),
        "list.json": "[1, 2]",
        "text.json": "not json",
        "deep.json": "[" * 100_000 + "]" * 100_000,
        "big.json": '{"a": ' + "9" * 5000 + "}",
        "empty.json": "",
        "twice.json": '{"move": 1, "move": 2}',
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "pickle.json").write_bytes(pickle.dumps(CHECKPOINT))
    (tmp_path / "dir.json").mkdir()
    os.mkfifo(tmp_path / "fifo.json")
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(64 * 2**20 + 1)
    expected = {
        "nan.json": "NaN is not a number a checkpoint can hold",
        "list.json": "must be a JSON object, got list",
        "text.json": "is not JSON",
        "deep.json": "is not JSON",
        "big.json": "is not JSON",
        "empty.json": "is not JSON",
        "twice.json": "is not JSON: the key 'move' appears twice in one object",
        "pickle.json": "not UTF-8",
        "dir.json": "cannot read the checkpoint: a directory",
        "fifo.json": "cannot read the checkpoint: not a regular file",
        "huge.json": "the checkpoint is 67108865 bytes, over the limit of 67108864",
        "missing.json": "cannot read the checkpoint: No such file",
    }
    for name, message in expected.items():
        with pytest.raises(
            ValueError, match=re.escape(f"{tmp_path / name}: ") + ".*" + re.escape(message)
        ):
            load_checkpoint(tmp_path / name)
    with pytest.raises(TypeError, match=r"path must be a str or os.PathLike, got None"):
        load_checkpoint(None)  # type: ignore[arg-type]


def test_new_limits_on_the_settings() -> None:
    with pytest.raises(ValueError, match=re.escape("steps must be at most 2**53")):
        anneal(CITIES, steps=2**53 + 2)
    with pytest.raises(ValueError, match=re.escape("space='log' needs steps <= 2**32")):
        anneal(CITIES, an.Constant(1.0), steps=2**40, space="log")
    with pytest.raises(ValueError, match=re.escape("seed must be below 2**128")):
        anneal(CITIES, steps=10, seed=2**128)
    with pytest.raises(ValueError, match="space must be 'linear' or 'log', got \\['log'\\]"):
        anneal(CITIES, steps=10, space=["log"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: initial_temperature(CITIES, "0.8"), TypeError, "acceptance must be a real number"),
        (lambda: initial_temperature(CITIES, 1.0), ValueError, r"acceptance must be in \(0, 1\)"),
        (lambda: initial_temperature(CITIES, float("nan")), ValueError, "acceptance must be a fin"),
        (lambda: initial_temperature(CITIES, samples=0), ValueError, "samples must be an integer"),
        (lambda: initial_temperature(CITIES, samples=10**9), ValueError, "samples .* to 10000000"),
        (
            lambda: initial_temperature(CITIES, seed=-1),
            ValueError,
            "seed must be an integer from 0",
        ),
        (lambda: initial_temperature(object()), TypeError, "problem must have the methods"),
        (lambda: default_temperature(CITIES, 0), ValueError, "steps must be a whole number >= 1"),
        (lambda: default_temperature(CITIES, "9"), TypeError, "steps must be a whole number"),
        (lambda: default_temperature(CITIES, 9, rng=3), TypeError, "rng must be a numpy Generator"),
        (lambda: default_temperature(CITIES, 9, samples=1.5), ValueError, "samples must be an int"),
        (lambda: anneal(CITIES, steps=9, callback=3), TypeError, "callback must be a function"),
        (lambda: anneal(CITIES, steps=9, progress="yes"), TypeError, "progress must be True or"),
        (lambda: anneal(CITIES, steps=9, engine=["python"]), ValueError, "engine must be one of"),
    ],
)
def test_temperature_helpers_and_options_name_their_parameters(call, error, message) -> None:
    with pytest.raises(
        error, match=r"^(initial_temperature|default_temperature|anneal): " + message
    ):
        call()


RESUMABLE = {
    "tsp": TravellingSalesman.circle(15),
    "tsp-explicit": TravellingSalesman.from_distances(TravellingSalesman.grid(3, 4).distances),
    "ising": Ising(5, field=0.2),
    "rastrigin": Rastrigin(3),
    "ackley": Ackley(2),
    "schwefel": Schwefel(2),
    "rosenbrock": Rosenbrock(3),
    "two-level": TwoLevel(),
}


@pytest.mark.parametrize("name", sorted(RESUMABLE))
@pytest.mark.parametrize("stop", [1, 7_300, 14_999])
def test_every_problem_resumes_identically_through_json(name: str, stop: int) -> None:
    problem = RESUMABLE[name]
    temperature = an.Restarts(an.Cosine(4.0, 0.01, 6_000))
    settings = {"steps": 15_000, "seed": 11, "window": 100, "space": "log"}
    for engine in ("reference", "python", "numba"):
        if engine != "reference" and not hasattr(problem, "_window"):
            continue
        if engine == "numba" and (name not in ("tsp", "tsp-explicit", "ising") or not _numba()):
            continue
        whole = anneal(problem, temperature, engine=engine, **settings)
        part = anneal(
            problem, temperature, engine=engine, callback=lambda s: s.move >= stop, **settings
        )
        saved = json.loads(json.dumps(part.checkpoint))
        same_run(whole, anneal(problem, resume=saved, engine=engine))


def _numba() -> bool:
    from annealing.simulated import _compiled

    return _compiled.available()


@settings(max_examples=200, deadline=None)
@given(
    size=HOSTILE_NUMBER,
    coupling=HOSTILE_NUMBER,
    field=HOSTILE_NUMBER,
    dimension=HOSTILE_NUMBER,
    bounds=st.one_of(st.none(), st.tuples(HOSTILE_NUMBER, HOSTILE_NUMBER), HOSTILE_NUMBER),
    decades=HOSTILE_NUMBER,
)
def test_fuzz_the_constructors(size, coupling, field, dimension, bounds, decades) -> None:
    for build, names in (
        (lambda: Ising(size, coupling, field), ("size", "coupling", "field")),
        (
            lambda: Rastrigin(dimension, bounds=bounds, decades=decades),
            ("dimension", "bounds", "decades"),
        ),
    ):
        try:
            problem = build()
        except (ValueError, TypeError) as error:
            message = str(error)
            assert message.split(":")[0] in ("Ising", "Rastrigin"), message
            assert any(name in message.split(":")[1] for name in names), message
        else:
            keys = ("size", "coupling", "field", "dimension", "decades")
            numbers = [getattr(problem, k, 0) for k in keys]
            numbers += [*getattr(problem, "bounds", ())]
            assert all(type(v) in (int, float) and math.isfinite(v) for v in numbers)
            if getattr(problem, "n", getattr(problem, "dimension", 0)) < 10**4:
                state = problem.random_state(np.random.default_rng(0))
                assert math.isfinite(problem.energy(state))


def _raises(k: float) -> float:
    raise ArithmeticError("no temperature here")


TEMPERATURES = st.sampled_from(
    [
        None,
        an.Constant(1.0),
        an.Cosine(2.0, 0.0, 50),
        lambda k: 1.0,
        lambda k: float("nan"),
        lambda k: -1.0,
        lambda k: "hot",
        lambda k: [1.0, 2.0],
        lambda k: 1e308 * 10,
        _raises,
        3.0,
        "Cosine(1.0, 0.0, 10)",
    ]
)
STEPS = st.one_of(
    st.integers(1, 300),
    st.sampled_from([0, -1, 1.5, float("nan"), float("inf"), "100", True, None, 2**54, 10**400]),
    st.sampled_from([np.int64(40), np.float64(60.0), np.uint8(9), Fraction(1, 2)]),
)


@settings(max_examples=300, deadline=None)
@given(
    temperature=TEMPERATURES,
    steps=STEPS,
    seed=st.one_of(st.none(), st.integers(-3, 2**130), st.sampled_from([1.0, "0", True])),
    space=st.sampled_from([None, "linear", "log", "LOG", 1, ["log"]]),
    window=st.one_of(st.none(), st.integers(-2, 400), st.sampled_from([0.5, "7", True])),
    engine=st.sampled_from(["auto", "reference", "python", "fast", None]),
)
def test_fuzz_anneal_arguments(temperature, steps, seed, space, window, engine) -> None:
    try:
        result = anneal(
            TravellingSalesman.circle(6),
            temperature,
            steps,
            seed,
            space=space,
            window=window,
            engine=engine,
        )
    except (ValueError, TypeError) as error:
        assert str(error).startswith(("anneal: ", "default_temperature: ")), error
        assert "\n" not in str(error)
    except ArithmeticError as error:  # the user's own function raised: it is not wrapped
        assert "no temperature here" in str(error)
    else:
        assert result.moves == result.steps and math.isfinite(result.best_energy)
        assert all(math.isfinite(t) and t >= 0 for t in result.trace.temperature)


class NumpyLevels(TwoLevel):
    """TwoLevel whose energies and changes are numpy floats (as many users' problems are)."""

    def energy(self, state: list[int]) -> float:
        return np.float64(state[0])  # type: ignore[return-value]

    def delta(self, state: list[int], move: int) -> float:
        return np.float64(move - state[0])  # type: ignore[return-value]


def test_a_problem_with_numpy_energies_resumes() -> None:
    checkpoint, whole = half_way(NumpyLevels(), an.Constant(1.0))
    same_run(whole, anneal(NumpyLevels(), resume=checkpoint))
    in_memory = anneal(
        NumpyLevels(), an.Constant(1.0), 4000, 1, window=100, callback=lambda s: s.move >= 2000
    ).checkpoint
    same_run(whole, anneal(NumpyLevels(), resume=in_memory))
