"""Many chains and wall-clock budgets (annealing/simulated/_anneal.py: chains, executor,
time_limit)."""

from __future__ import annotations

import concurrent.futures
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import hostile, require

import annealing as an
from annealing.simulated import Ising, TravellingSalesman, anneal
from annealing.simulated._anneal import _chain_seeds

CITIES = TravellingSalesman.grid(4, 6)
SCHEDULE = an.Exponential(2.0, end=0.05, steps=6000)


def states(result) -> list:
    return [(c.seed, c.best_state, c.best_energy, c.state, c.accepted) for c in result.chains]


def test_chains_are_seeded_from_seed_and_index_whatever_the_executor() -> None:
    local = anneal(CITIES, SCHEDULE, 6000, seed=3, chains=3)
    assert len(local.chains) == 3 and local.chains[0].chains == ()
    assert [c.seed for c in local.chains] == _chain_seeds(3, 3)
    assert len({c.seed for c in local.chains}) == 3
    best = min(local.chains, key=lambda c: c.best_energy)
    assert local.best_energy == best.best_energy and local.best_state == best.best_state
    # each chain is an ordinary run of its own seed
    alone = anneal(CITIES, SCHEDULE, 6000, seed=local.chains[1].seed)
    assert alone.best_state == local.chains[1].best_state and alone.trace == local.chains[1].trace
    with concurrent.futures.ThreadPoolExecutor(2) as threads:
        assert states(anneal(CITIES, SCHEDULE, 6000, seed=3, chains=3, executor=threads)) == states(
            local
        )
    # the first chains do not depend on how many there are
    assert _chain_seeds(3, 5)[:3] != _chain_seeds(4, 3)
    one = anneal(
        Ising(6), steps=3000, seed=1, chains=1, executor=concurrent.futures.ThreadPoolExecutor(1)
    )
    assert len(one.chains) == 1 and one.best_energy == one.chains[0].best_energy


def test_the_kernels_are_compiled_here_before_runs_go_elsewhere(monkeypatch) -> None:
    # numba's cache is not safe to create from several processes at once (numba/numba#4807):
    # runs that will use numba elsewhere are compiled for in this process first
    require("numba")
    from annealing.simulated import _compiled

    calls: list[str] = []
    monkeypatch.setattr(_compiled, "kernels", lambda: calls.append("compile"))

    class Refusing(concurrent.futures.ThreadPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls.append("submit")
            raise RuntimeError("not run here")

    with Refusing(1) as refusing, pytest.raises(RuntimeError, match="not run here"):
        anneal(CITIES, steps=10**6, seed=0, chains=2, executor=refusing)
    assert calls == ["compile", "submit"]
    calls.clear()
    with Refusing(1) as refusing, pytest.raises(RuntimeError, match="not run here"):
        anneal(CITIES, steps=10**6, seed=0, chains=2, executor=refusing, engine="python")
    assert calls == ["submit"]  # a run on the python engine needs no kernels


def test_processes_take_turns_to_compile_the_kernels(tmp_path) -> None:
    # any processes that start together (a pool of runs, a job array) take turns at numba's
    # cache: while the lock is held here, a new process with an empty cache writes nothing
    require("numba")
    pytest.importorskip("fcntl")
    import subprocess
    import sys
    import time

    from annealing.simulated import _compiled

    script = (
        "from annealing.simulated import _compiled\n"
        "print('started', flush=True)\n"
        "_compiled.kernels()\n"
        "print('compiled', flush=True)\n"
    )
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path)}
    with _compiled._cache_lock():
        child = subprocess.Popen(
            [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "started\n"
        time.sleep(5)  # unlocked, the first kernel is compiled and cached in about a second
        assert child.poll() is None
        assert not any(tmp_path.rglob("*.nbi"))
    assert child.stdout.readline() == "compiled\n"
    assert child.wait(timeout=300) == 0
    assert any(tmp_path.rglob("*.nbi"))


def test_chains_on_a_dask_cluster_match_local_processes() -> None:
    require("dask")
    distributed = require("distributed")
    local = anneal(CITIES, SCHEDULE, 6000, seed=7, chains=4)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = anneal(CITIES, SCHEDULE, 6000, seed=7, chains=4, executor=client.get_executor())
    assert states(remote) == states(local)
    assert remote.best_state == local.best_state


def test_time_limit_runs_on_the_clock() -> None:
    result = anneal(CITIES, SCHEDULE, 6000, seed=0, time_limit=0.3)
    assert result.stopped == "time" and result.checkpoint == {}
    assert 0.3 <= result.elapsed < 2.0 and result.moves > 0
    assert result.moves == result.trace.move[-1]
    temperatures = result.trace.temperature
    assert temperatures[0] == pytest.approx(2.0) and temperatures == sorted(
        temperatures, reverse=True
    )
    assert result.best_energy <= result.energy and sorted(result.best_state) == list(range(24))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"chains": 0}, ValueError, "anneal: chains must be an integer from 1 to 10000, got 0"),
        ({"chains": 2.0}, ValueError, "anneal: chains must be an integer from 1 to 10000, got 2.0"),
        ({"chains": True}, ValueError, "chains must be an integer"),
        (
            {"executor": "dask"},
            TypeError,
            "executor must be a concurrent.futures.Executor .* got 'dask'",
        ),
        ({"chains": 2, "callback": print}, ValueError, "callback cannot be given with chains=2"),
        ({"chains": 2, "progress": True}, ValueError, "progress cannot be given with chains=2"),
        ({"time_limit": 0}, ValueError, "time_limit must be a number of seconds > 0 .* got 0"),
        ({"time_limit": -1.0}, ValueError, "time_limit must be a number of seconds > 0"),
        ({"time_limit": float("nan")}, ValueError, "time_limit must be a finite number"),
        ({"time_limit": "1"}, TypeError, "time_limit must be a real number, got '1'"),
        ({"time_limit": 1e9}, ValueError, "time_limit must be a finite number of magnitude <= 1e"),
        ({"time_limit": 1.0, "window": 10}, ValueError, "window cannot be given with time_limit"),
    ],
)
def test_bad_chains_executors_and_time_limits(kwargs, error, message) -> None:
    with pytest.raises(error, match=message):
        anneal(CITIES, SCHEDULE, 100, seed=0, **kwargs)


def test_time_limit_and_resume() -> None:
    done = anneal(CITIES, SCHEDULE, 600, seed=0)
    with pytest.raises(ValueError, match="time_limit cannot be given with resume"):
        anneal(CITIES, resume=done.checkpoint, time_limit=1.0)


def test_seed_none_with_chains_is_reported() -> None:
    result = anneal(
        CITIES,
        SCHEDULE,
        600,
        seed=None,
        chains=2,
        executor=concurrent.futures.ThreadPoolExecutor(2),
    )
    again = anneal(CITIES, SCHEDULE, 600, seed=result.chains[0].seed)
    assert again.best_state == result.chains[0].best_state
    assert np.isfinite(result.best_energy)


HOSTILE = hostile(
    st.lists(st.integers(0, 3), max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(chains=HOSTILE, time_limit=HOSTILE, executor=HOSTILE, neighbours=HOSTILE)
def test_fuzz_the_new_parameters(chains, time_limit, executor, neighbours) -> None:
    """Each hostile value is refused naming its parameter (or, if valid, nothing is run here)."""
    for name, value, call in (
        ("chains", chains, lambda v: anneal(CITIES, SCHEDULE, 10, chains=v, executor=NOWHERE)),
        ("time_limit", time_limit, lambda v: anneal(CITIES, SCHEDULE, 10, time_limit=v, window=1)),
        ("executor", executor, lambda v: anneal(CITIES, SCHEDULE, 10, executor=v)),
        ("neighbours", neighbours, lambda v: TravellingSalesman(CITIES.coordinates, neighbours=v)),
    ):
        try:
            call(value)
        except (ValueError, TypeError) as error:
            assert name in str(error) or (name in ("time_limit", "executor") and value is None), (
                name,
                value,
                error,
            )


class _Nowhere(concurrent.futures.Executor):
    """An executor that refuses work: a valid `chains` reaches it and stops there."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        raise ValueError("chains: reached the executor")


NOWHERE = _Nowhere()
