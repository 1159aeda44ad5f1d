"""The ``annealing`` command: see a schedule before you train with it."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence as Seq
from typing import Any

import numpy as np

from .schedule import Schedule, from_dict

EXAMPLES = """\
examples:
  annealing show "Cosine(start=0.1, end=0.0, steps=100)"
  annealing show "Warmup(Cosine(0.1, 0.0, 900), warmup=100)" --every 100
  annealing show "SGDR(eta_max=0.1, T_0=10, T_mult=2)" --steps 150 --spark
  annealing show "Warmup(Cosine(0.1, 0.0, 900), warmup=100)" --chart
  annealing plot "Cosine(0.1, 0.0, 100)" "Linear(0.1, 0.0, 100)" -o lr.png
  annealing show '{"format": 1, "type": "Cosine", "start": 1.0, "end": 0.0, "steps": 10}'

A schedule is a Python expression over the names of the library (Cosine, Linear, Warmup,
Restarts, SGDR, ...) or the JSON of schedule.to_dict().
"""

SPARKS = "▁▂▃▄▅▆▇█"
# Subcommands plugged in by other parts of the package: module path -> registers its parser.
PLUGINS = ("annealing.glossary._cli", "annealing.simulated._cli")


def parse_schedule(text: str) -> Schedule:
    """Read a schedule from an expression such as ``Cosine(0.1, 0.0, 100)`` or from JSON."""
    import annealing

    text = text.strip()
    if text.startswith("{"):
        try:
            return from_dict(json.loads(text))
        except json.JSONDecodeError as error:
            raise ValueError(f"schedule: not valid JSON ({error}): {text!r}") from None
    names = {name: getattr(annealing, name) for name in annealing.__all__}
    try:
        value = eval(text, {"__builtins__": {}}, names)
    except NameError as error:
        known = ", ".join(n for n in annealing.__all__ if n[0].isupper())
        raise ValueError(f"schedule: {error}; the names are {known}") from None
    except SyntaxError as error:
        raise ValueError(f"schedule: not a valid expression ({error.msg}): {text!r}") from None
    if not isinstance(value, Schedule):
        raise ValueError(f"schedule: the expression must give a schedule, got {value!r}")
    return value


def _horizon(args: argparse.Namespace, schedules: list[Schedule]) -> float:
    from .plotting import default_steps

    return float(args.steps) if args.steps is not None else default_steps(*schedules) / 1.1


def sparkline(values: Any) -> str:
    values = np.asarray(values, dtype=float)
    high, low = float(values.max()), float(values.min())
    if high == low:
        return SPARKS[-1] * len(values)
    index = np.round((values - low) / (high - low) * (len(SPARKS) - 1)).astype(int)
    return "".join(SPARKS[i] for i in index)


def chart(values: Any, height: int = 8) -> list[str]:
    """A text chart of `values` (one column each), `height` rows, from 0 to the maximum."""
    values = np.asarray(values, dtype=float)
    top = float(values.max()) or 1.0
    eighths = np.round(values / top * height * 8).astype(int)
    rows = []
    for row in range(height - 1, -1, -1):
        cells = np.clip(eighths - row * 8, 0, 8)
        rows.append("".join(" " if c == 0 else SPARKS[c - 1] for c in cells))
    return rows


def cmd_show(args: argparse.Namespace) -> int:
    schedules = [parse_schedule(s) for s in args.schedule]
    last = _horizon(args, schedules)
    if args.chart:
        grid = np.linspace(0, last, args.width)
        for s in schedules:
            values = s(grid)
            print(s._label())
            for i, line in enumerate(chart(values)):
                label = f"{values.max():.3g}" if i == 0 else ("0" if i == 7 else "")
                print(f"{label:>8} │{line}")
            print(f"{'':>8} └{'─' * args.width}\n{'':>10}0{'step':^{args.width - 10}}{last:g}")
        return 0
    if args.spark:
        grid = np.linspace(0, last, args.width)
        for s in schedules:
            values = s(grid)
            spark = sparkline(values)
            print(f"{s._label()}\n  {spark}  max {values.max():.6g}  min {values.min():.6g}")
        return 0
    every = args.every if args.every is not None else max(1, int(last) // 10)
    steps = np.arange(0, last + 1e-9, every)
    header = ["step"] + [f"[{i}]" for i in range(len(schedules))]
    for i, s in enumerate(schedules):
        print(f"[{i}] {s!r}")
    print("  ".join(f"{h:>14}" for h in header))
    columns = [s(steps) for s in schedules]
    for j, t in enumerate(steps):
        cells = [f"{t:>14g}"] + [f"{c[j]:>14.8g}" for c in columns]
        print("  ".join(cells))
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from .plotting import plot

    schedules = [parse_schedule(s) for s in args.schedule]
    ax = plot(*schedules, steps=args.steps)
    if args.log:
        ax.set_yscale("log")
    if args.title:
        ax.set_title(args.title)
    ax.figure.savefig(args.output, dpi=args.dpi)
    print(f"wrote {args.output}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annealing",
        description="Learning-rate schedules, exactly: look at one before you train with it.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"annealing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = sub.add_parser(
        "show",
        help="print a table of values, or a sparkline",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("schedule", nargs="+", help="a schedule expression or JSON")
    show.add_argument(
        "--steps", type=float, help="last step shown (default: the schedule's length)"
    )
    show.add_argument("--every", type=float, help="distance between rows (default: a tenth)")
    show.add_argument("--spark", action="store_true", help="draw a sparkline instead of a table")
    show.add_argument("--chart", action="store_true", help="draw a text chart instead of a table")
    show.add_argument("--width", type=int, default=60, help="chart or sparkline width (default 60)")
    show.set_defaults(func=cmd_show)

    plot = sub.add_parser(
        "plot",
        help="draw schedules to an image file",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plot.add_argument("schedule", nargs="+", help="a schedule expression or JSON")
    plot.add_argument(
        "-o", "--output", default="schedule.png", help="file to write (png, svg, pdf)"
    )
    plot.add_argument("--steps", type=float, help="last step shown")
    plot.add_argument("--log", action="store_true", help="logarithmic value axis")
    plot.add_argument("--title", help="a title for the figure")
    plot.add_argument("--dpi", type=int, default=120, help="resolution of raster images")
    plot.set_defaults(func=cmd_plot)

    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name is not None and name.startswith(error.name):
                continue  # that part of the package is not there
            raise
        module.register(sub)
    return parser


def main(argv: Seq[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except (ValueError, TypeError) as error:
        print(f"annealing: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
