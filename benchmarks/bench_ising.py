"""Ising at scale (issue 14, item 5): spin updates per second of ``Ising.metropolis``.

Run with ``python3 tasks.py bench`` (or ``.venv/bin/python benchmarks/bench_ising.py``).
Checkerboard Metropolis sweeps of a 1024 x 1024 lattice at the critical temperature, one
thread: the compiled kernel (numba, the ``fast`` extra) against the numpy reference (the
same lattice bit for bit), and beside them the single-spin-flip path of ``anneal`` (one
random site per move, the reference loop's compiled window). An *update* is one spin
considered (a sweep is N of them); a *flip* is an accepted one (about a quarter at T_c).

Rates are given per second of wall time and per second of this process's CPU time: on a
shared machine the two differ, and CPU time is what one core delivers. Goal: >= 100 M
updates per second on one core for 1024^2.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

import annealing as an
from annealing.simulated import Ising, _compiled, anneal
from annealing.simulated.ising import CRITICAL_TEMPERATURE


def table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    sys.stdout.flush()


def timed(run: object) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()  # type: ignore[operator]
    return result, time.perf_counter() - wall, time.process_time() - cpu


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds / 1e6:.1f} M/s"


def bench_metropolis(size: int = 1024, sweeps: int = 20, repeats: int = 5) -> None:
    model = Ising(size)
    rows = []
    start = model.metropolis(CRITICAL_TEMPERATURE, 1, seed=0, engine="numpy").spins
    if _compiled.available():
        model.metropolis(CRITICAL_TEMPERATURE, 1, seed=0, engine="numba")  # compile / load
        walls, cpus, flips = [], [], []
        for k in range(repeats):
            run, wall, cpu = timed(
                lambda k=k: model.metropolis(
                    CRITICAL_TEMPERATURE,
                    sweeps,
                    seed=0,
                    spins=start,
                    first=k * sweeps,
                    engine="numba",
                )
            )
            walls.append(wall)
            cpus.append(cpu)
            flips.append(run.flips)  # type: ignore[attr-defined]
        updates = sweeps * model.n
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        flip = statistics.median(flips)
        rows.append(
            (
                f"numba checkerboard, {size}^2, {sweeps} sweeps",
                rate(updates, wall),
                rate(updates, cpu),
                rate(flip, cpu),
                f"{flip / updates:.3f}",
            )
        )
    else:
        rows.append(("numba", "not installed", "", "", ""))
    few = 2
    run, wall, cpu = timed(
        lambda: model.metropolis(CRITICAL_TEMPERATURE, few, seed=0, spins=start, engine="numpy")
    )
    updates = few * model.n
    rows.append(
        (
            f"numpy reference, {size}^2, {few} sweeps",
            rate(updates, wall),
            rate(updates, cpu),
            rate(run.flips, cpu),  # type: ignore[attr-defined]
            f"{run.flips / updates:.3f}",  # type: ignore[attr-defined]
        )
    )
    # from the ordered lattice, whose energy is already the best: the window never copies
    # a new best lattice (1M spins) into its result, which would dominate the time
    # (on 128^2: on 1024^2 its per-window conversions of the 1M-spin list dominate)
    moves = 1_000_000
    model = Ising(128)
    ordered = [1] * model.n
    engine = "numba" if _compiled.available() else "python"
    constant = an.Constant(CRITICAL_TEMPERATURE)
    anneal(model, constant, 10_000, seed=0, engine=engine, state=ordered)  # warm
    result, wall, cpu = timed(
        lambda: anneal(model, constant, moves, seed=0, engine=engine, state=ordered)
    )
    rows.append(
        (
            f"anneal() single-spin moves ({engine}), 128^2, {moves:.0e} moves",
            rate(moves, wall),
            rate(moves, cpu),
            rate(result.accepted, cpu),  # type: ignore[attr-defined]
            f"{result.accepted / moves:.3f}",  # type: ignore[attr-defined]
        )
    )
    table(
        f"Ising spin updates at T_c (one thread; load average {_load()})",
        rows,
        ("path", "updates/wall-s", "updates/CPU-s", "flips/CPU-s", "acceptance"),
    )


def _load() -> str:
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "unknown"


if __name__ == "__main__":
    print(f"annealing {an.__version__}, Python {sys.version.split()[0]}, numpy {np.__version__}")
    bench_metropolis()
