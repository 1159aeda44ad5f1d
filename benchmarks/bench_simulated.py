"""Simulated-annealing benchmarks: throughput against simanneal, TSPLIB gaps, dual_annealing.

Run with ``python3 tasks.py bench`` (or ``.venv/bin/python benchmarks/bench_simulated.py``;
``--quick`` for a smoke run). Prints four tables (issue 6, §4-5; issue 11 for the last):

1. Moves per second on kroA100 with the same 2-opt move returning its change in length, the
   same geometric temperature schedule and the same number of moves: simanneal 0.5 (a
   ``move()`` returning dE, ``copy_strategy='slice'``, ``updates=0``) against our engines.
   Goal: >= 10x simanneal.
2. Gap to the known optimum (best tour found, 5 seeds, 10^6 moves) per TSPLIB instance and
   temperature schedule; all schedules run from the same T0 (80% of uphill moves accepted) to
   the same T1. Goal with the default schedule: median <= 0.5% on berlin52, <= 2.5% on kroA100.
3. Continuous functions in 10-D against ``scipy.optimize.dual_annealing`` (defaults, and
   without its local search), 5 seeds each.
4. What trust costs: reading a TSPLIB file with every line checked against parsing its numbers
   alone, and the checks a resume makes before its first move.
5. Time to quality (issue 14): gap vs wall time (0.1, 1, 10 s) on the four shared instances,
   ``anneal(time_limit=...)`` next to OR-Tools' guided local search (``pip install
   ortools==9.15.6755``; its columns say n/a without it).
6. Instances the defaults were not tuned on: ``--instances DIR`` (or ``ANNEALING_TSPLIB_EXTRA``),
   a directory of ``.tsp`` files and an ``optima.csv`` like ../shared/data/tsplib's (or one
   that ``benchmarks/tsp_instances.py`` writes); median and worst gaps over three seeds at
   10^6 moves, within 10 s of wall time, and at the moves 10 s of this process's CPU time
   make (what a quiet core does in 10 s, whatever the load). Skipped without a directory.
7. Scale: moves/s and peak RSS of random uniform instances from 52 to 100,000 cities.

``--only time,unseen`` runs some sections (names: throughput, gaps, continuous, trust, time,
unseen, scale).

The TSPLIB files are read from ../shared/data/tsplib (never copied into the repository).
Everything takes a few minutes on 2 cores with numba, about twice that without.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import annealing as an
from annealing.simulated import (
    Ackley,
    Rastrigin,
    Rosenbrock,
    Schwefel,
    TravellingSalesman,
    _compiled,
    anneal,
    default_temperature,
)

ROOT = Path(__file__).resolve().parents[1]
TSPLIB = ROOT.parent / "shared" / "data" / "tsplib"


def table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Print a Markdown table."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()


def instance(name: str) -> TravellingSalesman:
    path = TSPLIB / f"{name}.tsp"
    if not path.exists():
        sys.exit(f"TSPLIB data not found at {path}")
    return TravellingSalesman.from_tsplib(path)


# -- 1. throughput -----------------------------------------------------------------------------


def simanneal_rate(problem: TravellingSalesman, t0: float, t1: float, steps: int) -> float:
    """simanneal's moves per second with a 2-opt move that returns its change in length."""
    from simanneal import Annealer

    rows = problem.distances.tolist()
    n = problem.n

    class TwoOpt(Annealer):  # type: ignore[misc]
        copy_strategy = "slice"

        def move(self) -> float:
            s = self.state
            i, j = sorted((random.randrange(n), random.randrange(n)))
            if j - i < 1 or (i == 0 and j == n - 1):
                return 0.0
            a, b, c, d = s[i - 1], s[i], s[j], s[(j + 1) % n]
            change = rows[a][c] + rows[b][d] - rows[a][b] - rows[c][d]
            s[i : j + 1] = s[i : j + 1][::-1]
            return change

        def energy(self) -> float:
            s = self.state
            return float(sum(rows[s[k - 1]][s[k]] for k in range(len(s))))

    random.seed(0)
    tour = list(range(n))
    random.shuffle(tour)
    annealer = TwoOpt(tour)
    annealer.Tmax, annealer.Tmin, annealer.steps, annealer.updates = t0, t1, steps, 0
    started = time.process_time()
    annealer.anneal()
    return steps / (time.process_time() - started)


def throughput(steps: int, repeat: int) -> None:
    problem = instance("kroA100")
    schedule = default_temperature(problem, steps)  # geometric T0 -> T1, as simanneal's
    t0, t1 = schedule.start, schedule.end
    engines = ["reference", "python"] + (["numba"] if _compiled.available() else [])
    try:
        import simanneal  # noqa: F401
    except ImportError:
        labels = engines
    else:
        labels = ["simanneal", *engines]
    best = dict.fromkeys(labels, 0.0)
    # CPU time of this process, best of interleaved rounds: on a shared machine, wall time
    # measures the other jobs as much as the annealers.
    for seed in range(repeat):
        for label in labels:
            if label == "simanneal":
                rate = simanneal_rate(problem, t0, t1, steps)
            else:
                started = time.process_time()
                anneal(problem, schedule, steps, seed, engine=label)
                rate = steps / (time.process_time() - started)
            best[label] = max(best[label], rate)
    base = best.get("simanneal", math.nan)
    rows = []
    for label in labels:
        name = (
            "simanneal 0.5 (2-opt move returning dE)"
            if label == "simanneal"
            else f"annealing.simulated, engine={label!r}"
        )
        rows.append((name, f"{best[label]:,.0f}", f"{best[label] / base:.1f}x"))
    if "simanneal" not in labels:
        rows.append(("simanneal", "not installed", "-"))
    if not _compiled.available():
        rows.append(("annealing.simulated, engine='numba'", "numba not installed", "-"))
    table(
        f"Throughput on kroA100: {steps:,} moves, T {t0:.0f} -> {t1:.2f} geometric, "
        f"CPU time, best of {repeat} interleaved rounds",
        ("annealer", "moves/s", "vs simanneal"),
        rows,
    )


# -- 2. TSPLIB gaps per schedule ---------------------------------------------------------------


def schedules(t0: float, t1: float, steps: int) -> dict[str, tuple[Any, str]]:
    quarter = steps / 4
    log2 = math.log(2.0)
    return {
        "exponential (default)": (an.Exponential(t0, end=t1, steps=steps), "linear"),
        "linear": (an.Linear(t0, t1, steps), "linear"),
        "cosine": (an.Cosine(t0, t1, steps), "linear"),
        "cosine in log T": (an.Cosine(t0, t1, steps), "log"),
        "logarithmic T0 ln2/ln(k+2)": (lambda k: t0 * log2 / np.log(np.asarray(k) + 2.0), "linear"),
        "exponential, 4 restarts": (
            an.Restarts(an.Exponential(t0, end=t1, steps=quarter)),
            "linear",
        ),
        "cosine, 4 restarts (SGDR)": (an.SGDR(t0, T_0=quarter, eta_min=t1), "linear"),
        "cosine in log T, 4 restarts": (an.Restarts(an.Cosine(t0, t1, quarter)), "log"),
    }


def gaps(names: list[str], steps: int, seeds: int) -> None:
    results: dict[tuple[str, str], list[float]] = {}
    labels: list[str] = []
    for name in names:
        problem = instance(name)
        assert problem.optimum is not None
        # one descent's T0 and T1 (with many moves a city the default repeats the descent)
        default = default_temperature(problem, steps)
        calibrated = getattr(default, "cycle", default)
        started = time.perf_counter()
        for label, (schedule, space) in schedules(calibrated.start, calibrated.end, steps).items():
            if label not in labels:
                labels.append(label)
            results[name, label] = [
                100
                * (
                    anneal(problem, schedule, steps, seed, space=space).best_energy
                    / problem.optimum
                    - 1
                )
                for seed in range(seeds)
            ]
        print(
            f"  ({name}: T0 = {calibrated.start:.4g}, T1 = {calibrated.end:.4g}, "
            f"{time.perf_counter() - started:.1f} s)",
            file=sys.stderr,
        )
    rows = []
    for label in labels:
        cells = [label]
        for name in names:
            g = results[name, label]
            cells.append(f"{statistics.median(g):.2f} ({min(g):.2f}-{max(g):.2f})")
        rows.append(tuple(cells))
    table(
        f"Gap to the optimum, % of the best tour: median (min-max) over {seeds} seeds, "
        f"{steps:,} moves, 2-opt",
        ("schedule", *names),
        rows,
    )


# -- 3. continuous functions against dual_annealing --------------------------------------------


def continuous(steps: int, seeds: int) -> None:
    try:
        from scipy.optimize import dual_annealing
    except ImportError:
        print("\n(scipy not installed: no dual_annealing comparison)")
        return
    rows = []
    for function in (Rastrigin(10), Ackley(10), Schwefel(10), Rosenbrock(10)):
        centre = np.array(function.argmin())
        low, high = function.bounds
        # "global basin": every coordinate within 0.5 of the minimiser (Rastrigin's local minima
        # sit one unit apart; the others have one basin near the minimiser at this tolerance)
        runs: dict[str, list[tuple[float, bool, float, int]]] = {}
        for seed in range(seeds):
            started = time.process_time()
            ours = anneal(function, steps=steps, seed=seed)
            elapsed = time.process_time() - started
            basin = bool(np.max(np.abs(np.array(ours.best_state) - centre)) < 0.5)
            runs.setdefault(f"annealing.simulated, {steps:,} moves", []).append(
                (ours.best_energy, basin, elapsed, steps)
            )
            for label, extra in (
                ("dual_annealing (defaults)", {}),
                ("dual_annealing, no_local_search", {"no_local_search": True}),
            ):
                started = time.process_time()
                found = dual_annealing(function, [(low, high)] * 10, rng=seed, **extra)
                elapsed = time.process_time() - started
                basin = bool(np.max(np.abs(found.x - centre)) < 0.5)
                runs.setdefault(label, []).append(
                    (float(found.fun), basin, elapsed, int(found.nfev))
                )
        for label, values in runs.items():
            f = [v[0] for v in values]
            rows.append(
                (
                    function.name,
                    label,
                    f"{sum(v < 1e-6 for v in f)}/{seeds}",
                    f"{sum(v[1] for v in values)}/{seeds}",
                    f"{statistics.median(f):.2g}",
                    f"{max(f):.2g}",
                    f"{statistics.median(v[3] for v in values):,.0f}",
                    f"{statistics.median(v[2] for v in values):.2f}",
                )
            )
    table(
        f"Continuous functions, 10-D, {seeds} seeds",
        (
            "function",
            "method",
            "f < 1e-6",
            "global basin",
            "median f",
            "worst f",
            "evaluations",
            "CPU s/run",
        ),
        rows,
    )


# -- 4. trust: reading files, checking checkpoints --------------------------------------------


def _numbers_only(path: Path) -> None:
    """The numbers of the NODE_COORD_SECTION, nothing checked."""
    text = path.read_text().split("NODE_COORD_SECTION")[1].split("EOF")[0]
    np.array(text.split(), dtype=np.float64)


def _resume_checks(problem: TravellingSalesman, checkpoint: dict[str, Any]) -> None:
    """Everything a resume does before its first move."""
    from annealing.simulated import _checkpoint

    _checkpoint.parse(checkpoint)
    _checkpoint.problem_fingerprint(problem)
    _checkpoint.checksum(checkpoint)
    problem.check_state(checkpoint["state"])
    problem.energy(checkpoint["state"])


def _best_ms(repeats: int, function: Any, *args: Any) -> float:
    best = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        function(*args)
        best = min(best, time.perf_counter() - started)
    return best * 1e3


def trust(repeats: int) -> None:
    """What the checks cost: reading a TSPLIB file (every line checked) against parsing its
    numbers alone, and a resume's checks of a checkpoint (fingerprints, fields, checksum)."""
    from annealing.simulated._tsplib import read_tsp

    rows = []
    for name in ("berlin52", "eil51", "st70", "kroA100"):
        problem = instance(name)
        path = TSPLIB / f"{name}.tsp"
        steps = 20_000
        part = anneal(
            problem, an.Cosine(100.0, 1.0, steps), steps, 0, callback=lambda s: s.move >= 10_000
        )
        numbers = _best_ms(repeats, _numbers_only, path)
        read = _best_ms(repeats, read_tsp, path)
        checks = _best_ms(repeats, _resume_checks, problem, part.checkpoint)
        rows.append(
            (
                name,
                str(problem.n),
                f"{numbers:.2f}",
                f"{read:.2f}",
                f"{read / numbers:.1f}x",
                f"{checks:.2f}",
            )
        )
    table(
        f"Checks: reading a TSPLIB file, checking a checkpoint (ms, best of {repeats})",
        ("instance", "cities", "numbers only", "read_tsp (checked)", "ratio", "resume checks"),
        rows,
    )


# -- 5. time to quality against OR-Tools -------------------------------------------------------


def ortools_length(problem: TravellingSalesman, seconds: float) -> float | None:
    """OR-Tools' routing solver with guided local search for `seconds` (None: not installed)."""
    try:
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    except ImportError:
        return None
    matrix = problem.distances.astype(np.int64).tolist()
    manager = pywrapcp.RoutingIndexManager(problem.n, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    callback = routing.RegisterTransitMatrix(matrix)
    routing.SetArcCostEvaluatorOfAllVehicles(callback)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(parameters)
    return float(solution.ObjectiveValue()) if solution else math.nan


def gap(length: float, optimum: float) -> float:
    return 100 * (length - optimum) / optimum


def time_to_quality(
    problems: dict[str, TravellingSalesman], budgets: list[float], seeds: int
) -> None:
    """Gap vs wall time on one core: anneal(time_limit=...) against OR-Tools GLS."""
    _compiled.available() and _compiled.kernels()
    rows = []
    for name, problem in problems.items():
        assert problem.optimum is not None
        row = [name]
        for budget in budgets:
            ours = [
                gap(anneal(problem, seed=seed, time_limit=budget).best_energy, problem.optimum)
                for seed in range(seeds)
            ]
            theirs = ortools_length(problem, budget)
            row.append(f"{statistics.mean(ours):.2f}")
            row.append("n/a" if theirs is None else f"{gap(theirs, problem.optimum):.2f}")
        rows.append(tuple(row))
        print(f"  {name} done", file=sys.stderr)
    header = ["instance"]
    for budget in budgets:
        header += [f"SA {budget:g} s (mean of {seeds})", f"OR-Tools GLS {budget:g} s"]
    table("Gap to the optimum (%) against wall time, one core each", tuple(header), rows)


# -- 6. instances the defaults were not tuned on -------------------------------------------------


def extra_instances(directory: Path) -> dict[str, TravellingSalesman]:
    """The instances in `directory` named by its optima.csv (instance, ..., optimal_tour_length)."""
    import csv

    problems = {}
    with open(directory / "optima.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            problem = TravellingSalesman.from_tsplib(directory / f"{row['instance']}.tsp")
            problem.optimum = float(row["optimal_tour_length"])
            problems[row["instance"]] = problem
    return problems


def unseen(problems: dict[str, TravellingSalesman], steps: int, seconds: float, seeds: int) -> None:
    """Gaps with the defaults at `steps` moves, within `seconds` of wall time, and at the moves
    that `seconds` of this process's CPU time make (what a quiet core reaches in that time:
    the rate is measured by CPU time on the `steps` runs, so other jobs' load does not count)."""
    load = os.getloadavg()[0]
    rows = []
    medians: list[list[float]] = [[], [], []]
    for name, problem in problems.items():
        assert problem.optimum is not None
        by_steps, cpu = [], []
        for s in range(seeds):
            started = time.process_time()
            by_steps.append(gap(anneal(problem, steps=steps, seed=s).best_energy, problem.optimum))
            cpu.append(time.process_time() - started)
        by_time = [
            gap(anneal(problem, seed=s, time_limit=seconds).best_energy, problem.optimum)
            for s in range(seeds)
        ]
        quiet = int(round(seconds * steps / statistics.median(cpu), -5))
        by_cpu = [
            gap(anneal(problem, steps=quiet, seed=s).best_energy, problem.optimum)
            for s in range(seeds)
        ]
        row = [name, str(problem.n), problem.metric]
        for column, values in zip(medians, (by_steps, by_time, by_cpu), strict=True):
            column.append(statistics.median(values))
            row += [f"{statistics.median(values):.2f} ({max(values):.2f})"]
        row.append(f"{quiet / 1e6:.0f}M")
        rows.append(tuple(row))
        print(f"  {name} done", file=sys.stderr)
    rows.append(("median", "", "", *(f"{statistics.median(column):.2f}" for column in medians), ""))
    table(
        f"Defaults on other instances: median (worst) gap (%) over {seeds} seeds; "
        f"load average (1 min) {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end",
        (
            "instance",
            "cities",
            "metric",
            f"{steps:.0e} moves",
            f"{seconds:g} s wall",
            f"{seconds:g} s CPU",
            f"moves in {seconds:g} s CPU",
        ),
        rows,
    )


# -- 7. scale ------------------------------------------------------------------------------------

_MEMORY = """
import resource, sys, time
import numpy as np
from annealing.simulated import TravellingSalesman, anneal, _compiled
n, steps = int(sys.argv[1]), int(sys.argv[2])
_compiled.kernels()
xy = np.random.default_rng(0).uniform(0, 1_000_000, (n, 2))
started = time.perf_counter()
problem = TravellingSalesman(xy, metric="EUC_2D")
built = time.perf_counter() - started
start = problem.start_state(np.random.default_rng(0))
result = anneal(problem, steps=steps, seed=0, state=start)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(n, steps, built, result.moves_per_second, problem.energy(start), result.best_energy, peak)
"""


def scale(sizes: list[int], steps: int) -> None:
    """Moves per second and peak memory from 52 to 100,000 cities (random uniform, EUC_2D)."""
    import subprocess

    rows = []
    for n in sizes:
        moves = steps if n < 50_000 else 10 * steps
        out = subprocess.run(
            [sys.executable, "-c", _MEMORY, str(n), str(moves)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        _, _, built, rate, start, best, peak = (float(v) for v in out)
        rows.append(
            (
                f"{n:,}",
                f"{moves:.0e}",
                f"{built:.2f}",
                f"{rate / 1e6:.2f}",
                f"{100 * (start / best - 1):.1f}",
                f"{peak:.0f}",
            )
        )
        print(f"  {n} done", file=sys.stderr)
    table(
        "Scale: random uniform EUC_2D instances, default settings, one process",
        ("cities", "moves", "build (s)", "M moves/s", "start above best (%)", "peak RSS (MiB)"),
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small budgets (a smoke run)")
    parser.add_argument(
        "--instances",
        type=Path,
        default=os.environ.get("ANNEALING_TSPLIB_EXTRA"),
        help="a directory of further TSPLIB files with an optima.csv, for the table of "
        "instances the defaults were not tuned on (default: $ANNEALING_TSPLIB_EXTRA)",
    )
    parser.add_argument(
        "--only",
        default="throughput,gaps,continuous,trust,time,unseen,scale",
        help="comma-separated sections to run (default: all)",
    )
    args = parser.parse_args()
    quick = args.quick
    only = set(args.only.split(","))
    started = time.perf_counter()
    print("## Simulated annealing (annealing.simulated)")
    print(
        f"numba: {'installed' if _compiled.available() else 'not installed'} "
        "(engine 'auto' takes it for runs of 10^6 moves or more)"
    )
    shared = ["berlin52", "kroA100"] if quick else ["berlin52", "eil51", "st70", "kroA100"]
    if "throughput" in only:
        throughput(50_000 if quick else 300_000, 1 if quick else 3)
    if "gaps" in only:
        gaps(shared, 100_000 if quick else 1_000_000, 2 if quick else 5)
    if "continuous" in only:
        continuous(20_000 if quick else 200_000, 2 if quick else 5)
    if "trust" in only:
        trust(5 if quick else 30)
    if "time" in only:
        budgets = [0.1, 1.0] if quick else [0.1, 1.0, 10.0]
        time_to_quality({name: instance(name) for name in shared}, budgets, 1 if quick else 3)
    if "unseen" in only and args.instances is not None:
        unseen(extra_instances(args.instances), 10**6, 1.0 if quick else 10.0, 1 if quick else 3)
    if "scale" in only:
        sizes = [52, 1_000, 10_000] if quick else [52, 100, 1_000, 2_000, 10_000, 100_000]
        scale(sizes, 10**6)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
