"""Optional compiled inner loops (numba), used when numba is installed.

Each kernel is the reference loop specialised to one problem, written over numpy arrays and
compiled by numba on first use (cached on disk). It consumes the same random numbers in the
same order and does the same floating-point operations as the pure-Python paths, so a seed
gives the same run with or without numba.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

_KERNELS: SimpleNamespace | None = None


def available() -> bool:
    """Whether numba can be imported."""
    try:
        importlib.import_module("numba")
    except ImportError:
        return False
    return True


def loaded() -> bool:
    """Whether the kernels are compiled in this process already."""
    return _KERNELS is not None


def kernels() -> SimpleNamespace:
    """The compiled kernels (compiled once per process, cached on disk by numba)."""
    global _KERNELS
    if _KERNELS is None:
        numba: Any = importlib.import_module("numba")
        with _cache_lock():
            jit = numba.njit(cache=True, nogil=True)
            from . import _tsp_kernel

            compiled = SimpleNamespace(
                tsp_window=jit(_tsp_window),
                ising_window=jit(_ising_window),
                tsp_near_window=_tsp_kernel.window,
                tsp_replay=_tsp_kernel.replay,
            )
            _warm(compiled)
        _KERNELS = compiled
    return _KERNELS


@contextlib.contextmanager
def _cache_lock() -> Iterator[None]:
    """An exclusive lock, across this user's processes, while numba compiles or loads.

    numba's on-disk cache is not safe to create from several processes at once: processes
    that compile the same kernels together can leave a cache that crashes the next one to
    load it (numba/numba#4807, #10128). Processes that start together (a pool of runs, a job
    array on one machine) so take turns: the first writes the cache, the others then read it
    whole. POSIX only (``fcntl``); elsewhere, or where the lock file cannot be opened, no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    here = hashlib.sha256(str(Path(__file__).resolve().parent).encode()).hexdigest()[:16]
    name = f"annealing-numba-{os.getuid()}-{here}.lock"
    try:
        lock = open(os.path.join(tempfile.gettempdir(), name), "a")  # noqa: SIM115
    except OSError:  # pragma: no cover - an unwritable temporary directory
        yield
        return
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _warm(compiled: SimpleNamespace) -> None:
    """Compile (or load from numba's cache) now, so that timings exclude compiling."""
    import numpy as np

    # Valid inputs, two moves each: the kernels do not check bounds, and a read past the end
    # of an array gives whatever lies there (an index from it can crash the process).
    draws = np.full(10, 0.5)  # five draws a move: the most any kernel reads
    temperatures = np.ones(2)
    tour = np.arange(4, dtype=np.int64)
    compiled.tsp_window(tour, np.ones((4, 4)), draws, temperatures, 0.0, 0.0, tour.copy())
    near = np.array([[1, 2], [0, 2], [1, 3], [2, 0]], dtype=np.int64)
    log = np.zeros((2, 5), dtype=np.int64)
    compiled.tsp_near_window(
        tour,
        tour.copy(),
        near,
        np.ones((4, 2)),
        np.ones((4, 4)),
        0,
        0.5,
        3,
        draws,
        temperatures,
        0.0,
        0.0,
        log,
    )
    compiled.tsp_replay(tour, log, 0)
    spins = np.ones(4, dtype=np.int64)
    compiled.ising_window(spins, 2, 1.0, 0.0, draws, temperatures, 0.0, 0.0, spins.copy())


def _tsp_window(
    tour: Any,
    dist: Any,
    draws: Any,
    temperatures: Any,
    energy: float,
    best_energy: float,
    best: Any,
) -> tuple[float, float, bool, int]:  # pragma: no cover - compiled
    n = tour.shape[0]
    found = False
    accepted = 0
    for k in range(temperatures.shape[0]):
        # TravellingSalesman.propose: i = int(r n), j = (i + 1 + int(r' (n - 1))) % n, sorted
        first = int(draws[3 * k] * n)
        second = (first + 1 + int(draws[3 * k + 1] * (n - 1))) % n
        i = min(first, second)
        j = max(first, second)
        t = temperatures[k]
        if j - i == n - 1:
            de = 0.0
        else:
            a = tour[i - 1]
            b = tour[i]
            c = tour[j]
            d = tour[j + 1] if j + 1 < n else tour[0]
            de = dist[a, c] + dist[b, d] - dist[a, b] - dist[c, d]
        if de <= 0.0 or (t > 0.0 and draws[3 * k + 2] < math.exp(-de / t)):
            left = i
            right = j
            while left < right:
                tour[left], tour[right] = tour[right], tour[left]
                left += 1
                right -= 1
            energy += de
            accepted += 1
            if energy < best_energy:
                best_energy = energy
                best[:] = tour
                found = True
    return energy, best_energy, found, accepted


def _ising_window(
    spins: Any,
    size: int,
    coupling: float,
    field: float,
    draws: Any,
    temperatures: Any,
    energy: float,
    best_energy: float,
    best: Any,
) -> tuple[float, float, bool, int]:  # pragma: no cover - compiled
    n = spins.shape[0]
    found = False
    accepted = 0
    for k in range(temperatures.shape[0]):
        site = int(draws[2 * k] * n)  # Ising.propose
        t = temperatures[k]
        row = site // size
        col = site - row * size
        around = (
            spins[((row - 1) % size) * size + col]
            + spins[((row + 1) % size) * size + col]
            + spins[row * size + (col - 1) % size]
            + spins[row * size + (col + 1) % size]
        )
        de = 2.0 * spins[site] * (coupling * around + field)
        if de <= 0.0 or (t > 0.0 and draws[2 * k + 1] < math.exp(-de / t)):
            spins[site] = -spins[site]
            energy += de
            accepted += 1
            if energy < best_energy:
                best_energy = energy
                best[:] = spins
                found = True
    return energy, best_energy, found, accepted
