"""``annealing sa``: simulated annealing from the command line (registered by annealing.cli)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..cli import UsageError, WorkError, number, output_path, shown

SCHEDULES = ("exponential", "cosine", "logcosine", "linear", "restarts")
MAX_MOVES = 1e12
MAX_CYCLES = 10**6

EXAMPLES = """examples:
  annealing sa tsp berlin52.tsp --steps 1e6 --seed 0 -o berlin52.png
  annealing sa tsp kroA100.tsp --schedule logcosine
  annealing sa tsp kroA100.tsp --schedule restarts --cycles 4
  annealing sa tsp kroA100.tsp --time-limit 1

Moves are 2-opt and Or-opt moves among each city's 10 nearest cities. The temperature falls
from T0 = 0.5 d to T1 = 0.003 d, where d is the mean distance from a city to its 10th-nearest
(above 2,000 cities, from a space-filling-curve start: 0.8 to 0.01 times the mean distance
to the nearest). With the default schedule and 20,000 or more moves a city, the run makes
moves // (10,000 cities) such descents one after another and keeps the best tour.
"""


def register(subparsers: Any) -> None:
    """Add the ``sa`` subcommand to the ``annealing`` command."""
    sa = subparsers.add_parser(
        "sa",
        help="simulated annealing with annealing schedules as temperature schedules",
        description="Simulated annealing with annealing schedules as temperature schedules.",
    )
    problems = sa.add_subparsers(dest="problem", metavar="PROBLEM")
    tsp = problems.add_parser(
        "tsp",
        help="a travelling salesman problem from a TSPLIB .tsp file (2-opt, Or-opt moves)",
        description="Anneal a TSPLIB 95 travelling salesman problem with 2-opt and Or-opt moves.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tsp.add_argument("file", help="a TSPLIB .tsp file (EUC_2D, CEIL_2D, ATT, GEO or EXPLICIT)")
    tsp.add_argument(
        "--schedule",
        choices=SCHEDULES,
        default="exponential",
        help="shape of the temperature from T0 to T1 (default: exponential, i.e. geometric, "
        "in repeated descents with many moves a city, as anneal's default)",
    )
    tsp.add_argument(
        "--steps",
        type=number(1, MAX_MOVES, integer=True),
        default=10**6,
        help=f"number of moves, 1 to {MAX_MOVES:g} (default 1e6)",
    )
    tsp.add_argument(
        "--seed",
        type=number(0, 2**128 - 1, integer=True),
        default=0,
        help="random seed, an integer >= 0 (default 0)",
    )
    tsp.add_argument(
        "--cycles",
        type=number(1, MAX_CYCLES, integer=True),
        default=4,
        help=f"cycles of --schedule restarts, 1 to {MAX_CYCLES} (default 4)",
    )
    tsp.add_argument(
        "--time-limit",
        type=number(1e-3, 1e7),
        default=None,
        metavar="SECONDS",
        help="wall-clock budget: the schedule runs on the clock and the run ends when the time "
        "is up (the result then depends on the machine's speed, even with a seed)",
    )
    tsp.add_argument(
        "--engine",
        choices=("auto", "reference", "python", "numba"),
        default="auto",
        help="inner loop (default: the fastest available; all give the same result)",
    )
    tsp.add_argument("-o", "--output", help="write a figure (tour, temperature, energy) here")
    tsp.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    tsp.set_defaults(func=_run_tsp)
    sa.set_defaults(func=lambda args: _usage(sa))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _schedule(name: str, t0: float, t1: float, steps: int, cycles: int) -> tuple[Any, str]:
    import annealing as an

    if name == "exponential":
        return an.Exponential(t0, end=t1, steps=steps), "linear"
    if name == "cosine":
        return an.Cosine(t0, t1, steps), "linear"
    if name == "logcosine":
        return an.Cosine(t0, t1, steps), "log"
    if name == "linear":
        return an.Linear(t0, t1, steps), "linear"
    if cycles < 1:
        raise ValueError(f"annealing sa: --cycles must be >= 1, got {cycles}")
    return an.Restarts(an.Exponential(t0, end=t1, steps=steps / cycles)), "linear"


def _check_file(text: str) -> None:
    """The problem file exists and is a regular file (a FIFO would block the read)."""
    if not text.strip() or "\x00" in text:
        raise UsageError(f"file must be a TSPLIB file name, got {shown(text)}")
    path = Path(text)
    try:
        if not path.exists():
            raise UsageError(f"file: no such file: {shown(text)}")
        if not path.is_file():
            raise UsageError(f"file: not a regular file: {shown(text)}")
    except OSError as error:  # a name too long, a loop of links, ...
        raise UsageError(f"file: cannot read {shown(text)}: {error.strerror}") from None


def _run_tsp(args: argparse.Namespace) -> int:
    from ._anneal import anneal, default_temperature
    from .tsp import TravellingSalesman

    steps = args.steps
    if args.schedule == "restarts" and args.cycles > steps:
        raise UsageError(f"--cycles must be at most --steps ({steps}), got {args.cycles}")
    _check_file(args.file)
    if args.output is not None:
        try:
            from matplotlib.figure import Figure
        except ImportError:
            raise WorkError(
                "-o/--output needs matplotlib (pip install 'annealing[plot]')"
            ) from None
        output_path("-o/--output", args.output, sorted(Figure().canvas.get_supported_filetypes()))
    try:
        problem = TravellingSalesman.from_tsplib(args.file)
    except (ValueError, OSError) as error:  # the file's content: the work failed
        raise WorkError(
            str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        ) from None
    calibrated = default_temperature(problem, steps)
    temperature: Any = None  # exponential: anneal's default (repeated with many moves)
    space = "linear"
    if args.schedule != "exponential":
        base = getattr(calibrated, "cycle", calibrated)  # one descent's T0 and T1
        temperature, space = _schedule(args.schedule, base.start, base.end, steps, args.cycles)
    print(f"{problem.name or args.file}: {problem.n} cities, {problem.metric}", file=sys.stderr)
    shown_schedule = calibrated if temperature is None else temperature
    print(f"temperature: {shown_schedule!r}, space={space!r}", file=sys.stderr)
    result = anneal(
        problem,
        temperature,
        steps,
        args.seed,
        space=space,  # type: ignore[arg-type]
        progress=not args.quiet and args.time_limit is None,
        engine=args.engine,
        time_limit=args.time_limit,
    )
    length = result.best_energy
    line = f"best tour length {length:.10g}"
    if problem.optimum:
        line += (
            f" (optimum {problem.optimum:.10g}, gap {100 * (length / problem.optimum - 1):.2f}%)"
        )
    print(line)
    print(
        f"{result.moves} moves in {result.elapsed:.2f} s ({result.moves_per_second:,.0f}/s, "
        f"engine {result.engine}), {100 * result.acceptance_rate:.1f}% accepted"
        + (f", stopped by {result.stopped}" if result.stopped else "")
    )
    if result.temperature is not shown_schedule and temperature is None:  # a timed default
        print(f"temperature for the moves made: {result.temperature!r}", file=sys.stderr)
    print("tour:", " ".join(str(city + 1) for city in result.best_state))
    if args.output is not None:
        try:
            _figure(problem, result, args.output)
        except OSError as error:
            raise WorkError(
                f"cannot write {shown(args.output)}: {error.strerror or error}"
            ) from None
        print(f"wrote {args.output}")
    return 0 if result.stopped in (None, "time") else 130


def _figure(problem: Any, result: Any, path: str) -> None:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(13, 4.2), layout="constrained")
    tour_ax, temp_ax, energy_ax = figure.subplots(1, 3)
    if problem.coordinates is not None:
        xy = problem.coordinates[result.best_state + result.best_state[:1]]
        tour_ax.plot(xy[:, 0], xy[:, 1], "-", color="C0", lw=1)
        tour_ax.plot(problem.coordinates[:, 0], problem.coordinates[:, 1], ".", color="C3")
        tour_ax.set_aspect("equal")
    else:  # EXPLICIT distances without DISPLAY_DATA: nothing to place the cities by
        tour_ax.text(0.5, 0.5, "no coordinates to draw", ha="center", va="center")
    tour_ax.set_title(f"{problem.name or 'tour'}: length {result.best_energy:.10g}")
    tour_ax.set_xticks([])
    tour_ax.set_yticks([])
    trace = result.trace
    temp_ax.plot(trace.move, trace.temperature, color="C1")
    temp_ax.set_yscale("log")
    temp_ax.set_xlabel("move")
    temp_ax.set_title("temperature")
    energy_ax.plot(trace.move, trace.energy, color="C0", lw=1, label="where you are")
    energy_ax.plot(trace.move, trace.best, color="C2", label="best so far")
    if problem.optimum:
        energy_ax.axhline(problem.optimum, color="0.5", ls=":", label="optimum")
    energy_ax.set_xlabel("move")
    energy_ax.set_title("tour length")
    energy_ax.legend()
    figure.savefig(path, dpi=110)
