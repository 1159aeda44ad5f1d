"""The ``annealing`` command: see a schedule before you train with it.

The command never shows a traceback. Every error is one line on stderr naming the option or the
argument, ``annealing show: --steps must be a number > 0 and at most 1e+12, got inf``; the exit
code is 2 for a usage error (a bad option, argument or schedule), 1 for failed work (a file
that cannot be read or written), 0 otherwise. Numbers and output paths are checked before any
work starts.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import math
import os
import re
import sys
import warnings
from collections.abc import Callable
from collections.abc import Sequence as Seq
from pathlib import Path
from typing import IO, Any, NoReturn

from .grammar import parse
from .schedule import Schedule

EXAMPLES = """\
examples:
  annealing show "Cosine(start=0.1, end=0.0, steps=100)"
  annealing show "Warmup(Cosine(0.1, 0.0, 900), warmup=100)" --every 100
  annealing show "SGDR(eta_max=0.1, T_0=10, T_mult=2)" --steps 150 --spark
  annealing show "Warmup(Cosine(0.1, 0.0, 900), warmup=100)" --chart
  annealing show "compat.torch.OneCycleLR(0.1, total_steps=100)" --spark
  annealing plot "Cosine(0.1, 0.0, 100)" "Linear(0.1, 0.0, 100)" -o lr.png
  annealing show '{"format": 1, "type": "Cosine", "start": 1.0, "end": 0.0, "steps": 10}'

A schedule is a call of a schedule of the library (Cosine, Linear, Warmup, Restarts, SGDR, ...)
or of annealing.compat (compat.torch.StepLR, ...) with numbers, strings, True/False/None,
tuples, lists and other schedules as arguments, or the JSON of schedule.to_dict(). Nothing in
it is run as Python.
"""

SPARKS = "▁▂▃▄▅▆▇█"
ASCII_SPARKS = "_.-~=+*#"  # the same eight levels where the terminal cannot show blocks
BOX = "│└─"
ASCII_BOX = "|+-"
# Subcommands plugged in by other parts of the package: module path -> registers its parser.
PLUGINS = ("annealing.glossary._cli", "annealing.simulated._cli")

MAX_STEPS = 1e12
MAX_ROWS = 10_000
WIDTHS = (10, 1000)
DPIS = (10, 600)


class UsageError(ValueError):
    """A bad option, argument or schedule: exit code 2."""


class WorkError(Exception):
    """The work failed (a file could not be read or written): exit code 1."""


# ------------------------------------------------------------------------------ argument types


def number(low: float, high: float, *, integer: bool = False) -> Callable[[str], Any]:
    """An argparse type: a finite number (an integer if asked) with ``low <= x <= high``."""
    what = "an integer" if integer else "a number"
    allowed = f"{what} between {low:g} and {high:g}"

    def convert(text: str) -> Any:
        digits = text.strip()
        if integer and re.fullmatch(r"[+-]?\d{1,40}", digits):  # exact, however large
            whole = int(digits)
            if not low <= whole <= high:
                raise argparse.ArgumentTypeError(f"must be {allowed}, got {text}")
            return whole
        try:
            value = float(digits[:100])
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text[:40]!r}") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text[:40]}")
        if integer:
            if value != int(value):
                raise argparse.ArgumentTypeError(f"must be {allowed}, got {text[:40]}")
            return int(value)
        return value

    convert.__name__ = what  # argparse names the type in some messages
    return convert


def positive(high: float) -> Callable[[str], float]:
    """An argparse type: a finite number ``0 < x <= high``."""

    def convert(text: str) -> float:
        allowed = f"a number > 0 and at most {high:g}"
        try:
            value = float(text.strip()[:100])
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text[:40]!r}") from None
        if not (math.isfinite(value) and 0 < value <= high):
            raise argparse.ArgumentTypeError(f"must be {allowed}, got {text[:40]}")
        return value

    convert.__name__ = "a number"
    return convert


def shown(text: str) -> str:
    """`text` quoted for a message, cut to 80 characters."""
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def output_path(option: str, text: str, suffixes: Seq[str]) -> Path:
    """Check that a file can be written at `text` before any work: raises UsageError."""
    if not text.strip() or "\x00" in text:
        raise UsageError(f"{option} must be a file name, got {shown(text)}")
    path = Path(text)
    suffix = path.suffix.lower().lstrip(".")
    if not suffix or suffix not in suffixes:
        raise UsageError(
            f"{option} must end in one of {', '.join('.' + s for s in suffixes)}, got {shown(text)}"
        )
    try:
        if path.is_dir():
            raise UsageError(f"{option} is a directory, not a file: {shown(text)}")
        parent = path.parent
        if not parent.is_dir():
            problem = "is not a directory" if parent.exists() else "does not exist"
            raise UsageError(f"{option}: the directory {shown(str(parent))} {problem}")
        if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise UsageError(f"{option}: cannot write {shown(text)} (permission denied)")
    except OSError as error:  # a name too long, a loop of links, ...
        raise UsageError(f"{option}: cannot write {shown(text)}: {error.strerror}") from None
    return path


# ------------------------------------------------------------------------------ output


def can_show(text: str, stream: IO[str] | None = None) -> bool:
    """Whether `stream` (default stdout) can encode `text`."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def say(text: str = "") -> None:
    """Print a line to stdout; what the terminal cannot encode is escaped, never an error."""
    try:
        print(text)
    except UnicodeEncodeError:
        encoding = getattr(sys.stdout, "encoding", None) or "ascii"
        print(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))


def sparkline(values: Any, sparks: str = SPARKS) -> str:
    import numpy as np

    values = np.asarray(values, dtype=float)
    high, low = float(values.max()), float(values.min())
    if high == low:
        return sparks[-1] * len(values)
    index = np.round((values - low) / (high - low) * (len(sparks) - 1)).astype(int)
    return "".join(sparks[i] for i in index)


def chart(values: Any, height: int = 8, sparks: str = SPARKS) -> list[str]:
    """A text chart of `values` (one column each), `height` rows, from 0 to the maximum."""
    import numpy as np

    values = np.asarray(values, dtype=float)
    top = float(values.max()) or 1.0
    eighths = np.round(values / top * height * 8).astype(int)
    rows = []
    for row in range(height - 1, -1, -1):
        cells = np.clip(eighths - row * 8, 0, 8)
        rows.append("".join(" " if c == 0 else sparks[c - 1] for c in cells))
    return rows


# ------------------------------------------------------------------------------ commands


def parse_schedule(text: str) -> Schedule:
    """Read a schedule from an expression such as ``Cosine(0.1, 0.0, 100)`` or from JSON."""
    return parse(text)


def _schedules(texts: Seq[str]) -> list[Schedule]:
    out = []
    for i, text in enumerate(texts):
        try:
            out.append(parse(text))
        except (ValueError, TypeError) as error:
            message = str(error)
            if len(texts) > 1:  # say which one
                message = re.sub(r"^schedule:", f"schedule {i + 1}:", message)
            raise UsageError(message) from None
    return out


def _horizon(args: argparse.Namespace, schedules: list[Schedule]) -> float:
    from .plotting import default_steps

    if args.steps is not None:
        return float(args.steps)
    last = default_steps(*schedules) / 1.1
    if not (math.isfinite(last) and 0 < last <= MAX_STEPS):
        raise UsageError(
            f"--steps: the schedules' length {last:g} cannot be shown; give --steps "
            f"(a number > 0 and at most {MAX_STEPS:g})"
        )
    return last


def cmd_show(args: argparse.Namespace) -> int:
    import numpy as np

    schedules = _schedules(args.schedule)
    last = _horizon(args, schedules)
    every = args.every if args.every is not None else max(1, int(last) // 10)
    ratio = last / every  # may overflow to inf: compared before it becomes a count
    if not (args.chart or args.spark) and not ratio < MAX_ROWS:
        raise UsageError(
            f"--every {every:g} up to step {last:g} gives {ratio + 1:.6g} rows; at most "
            f"{MAX_ROWS} are printed (raise --every or lower --steps)"
        )
    rows = math.floor(ratio + 1e-9) + 1
    plain = not can_show(SPARKS + BOX)
    sparks, box = (ASCII_SPARKS, ASCII_BOX) if plain else (SPARKS, BOX)
    bar, corner, rule = box[0], box[1], box[2]
    if args.chart:
        grid = np.linspace(0, last, args.width)
        for s in schedules:
            values = s(grid)
            say(s._label())
            for i, line in enumerate(chart(values, sparks=sparks)):
                label = f"{values.max():.3g}" if i == 0 else ("0" if i == 7 else "")
                say(f"{label:>8} {bar}{line}")
            say(
                f"{'':>8} {corner}{rule * args.width}\n{'':>10}0{'step':^{args.width - 10}}{last:g}"
            )
        return 0
    if args.spark:
        grid = np.linspace(0, last, args.width)
        for s in schedules:
            values = s(grid)
            spark = sparkline(values, sparks)
            say(f"{s._label()}\n  {spark}  max {values.max():.6g}  min {values.min():.6g}")
        return 0
    steps = np.arange(rows) * every
    header = ["step"] + [f"[{i}]" for i in range(len(schedules))]
    for i, s in enumerate(schedules):
        say(f"[{i}] {s!r}")
    say("  ".join(f"{h:>14}" for h in header))
    columns = [s(steps) for s in schedules]
    for j, t in enumerate(steps):
        cells = [f"{t:>14g}"] + [f"{c[j]:>14.8g}" for c in columns]
        say("  ".join(cells))
    return 0


def _image_formats() -> list[str]:
    from matplotlib.figure import Figure

    return sorted(Figure().canvas.get_supported_filetypes())


def cmd_plot(args: argparse.Namespace) -> int:
    try:
        import matplotlib
    except ImportError:
        raise WorkError("needs matplotlib (pip install 'annealing[plot]')") from None

    matplotlib.use("Agg")
    output = output_path("-o/--output", args.output, _image_formats())
    if args.title is not None and not _is_text(args.title):
        raise UsageError(f"--title must be text, got bytes that are not UTF-8: {shown(args.title)}")
    schedules = _schedules(args.schedule)
    from matplotlib.figure import Figure

    from .plotting import plot

    figure = Figure(figsize=(7, 3.5), layout="constrained")
    ax = plot(*schedules, steps=args.steps, ax=figure.add_subplot())
    if args.log:
        ax.set_yscale("log")
    if args.title:
        ax.set_title(args.title, usetex=False)
    image = io.BytesIO()  # drawn first, so a failure leaves no half-written file
    try:
        figure.savefig(image, format=output.suffix.lower().lstrip("."), dpi=args.dpi)
    except ValueError as error:  # all values 0 on --log, or a --title that is not mathtext
        option = "--log" if args.log and "log" in str(error) else "--title"
        raise UsageError(f"{option}: cannot draw the figure: {_first_line(error)}") from None
    try:
        output.write_bytes(image.getvalue())
    except OSError as error:
        raise WorkError(f"cannot write {shown(args.output)}: {error.strerror or error}") from None
    say(f"wrote {args.output}")
    return 0


def _is_text(text: str) -> bool:
    """False for argv bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ------------------------------------------------------------------------------ the parser


class Parser(argparse.ArgumentParser):
    """argparse, with its errors as one line: ``annealing show: --steps must be ...``."""

    def error(self, message: str) -> NoReturn:
        # "argument --steps: must be ..." -> "--steps must be ..."
        message = re.sub(r"^argument ([^:]+): (must be)", r"\1 \2", message)
        message = re.sub(r"^argument ([^:]+): ", r"\1: ", message)
        _error(self.prog, f"{message} (see {self.prog} --help)")
        self.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
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
        "--steps",
        type=positive(MAX_STEPS),
        help=f"last step shown, at most {MAX_STEPS:g} (default: the schedule's length)",
    )
    show.add_argument(
        "--every",
        type=positive(MAX_STEPS),
        help=f"distance between rows (default: a tenth; at most {MAX_ROWS} rows)",
    )
    show.add_argument("--spark", action="store_true", help="draw a sparkline instead of a table")
    show.add_argument("--chart", action="store_true", help="draw a text chart instead of a table")
    show.add_argument(
        "--width",
        type=number(*WIDTHS, integer=True),
        default=60,
        help=f"chart or sparkline width, {WIDTHS[0]} to {WIDTHS[1]} (default 60)",
    )
    show.set_defaults(func=cmd_show)

    plot = sub.add_parser(
        "plot",
        help="draw schedules to an image file",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plot.add_argument("schedule", nargs="+", help="a schedule expression or JSON")
    plot.add_argument(
        "-o", "--output", default="schedule.png", help="file to write (png, svg, pdf, ...)"
    )
    plot.add_argument(
        "--steps", type=positive(MAX_STEPS), help=f"last step shown, at most {MAX_STEPS:g}"
    )
    plot.add_argument("--log", action="store_true", help="logarithmic value axis")
    plot.add_argument("--title", help="a title for the figure")
    plot.add_argument(
        "--dpi",
        type=number(*DPIS, integer=True),
        default=120,
        help=f"resolution of raster images, {DPIS[0]} to {DPIS[1]} (default 120)",
    )
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


# ------------------------------------------------------------------------------ main


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _error(prog: str, message: str) -> None:
    text = f"{prog}: {message}"
    with contextlib.suppress(ValueError, OSError):  # stderr itself is gone: nothing to say
        try:
            print(text, file=sys.stderr)
        except UnicodeEncodeError:
            print(text.encode("ascii", "backslashreplace").decode("ascii"), file=sys.stderr)


def _one_line_warnings(prog: str) -> None:
    def show(message: Any, category: Any, *_: Any, **__: Any) -> None:
        _error(
            prog, f"warning: {_first_line(message) if isinstance(message, Warning) else message}"
        )

    warnings.showwarning = show


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at devnull so the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture): nothing is flushed at exit


def main(argv: Seq[str] | None = None) -> int:
    """Run the command with `argv` (default: ``sys.argv[1:]``); returns the exit code."""
    prog = "annealing"
    try:
        parser = build_parser()
        try:
            args, extra = parser.parse_known_args(argv)
        except SystemExit as done:  # --help, --version, or a usage error already printed
            return done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
        words = [getattr(args, k) for k in ("command", "problem") if getattr(args, k, None)]
        prog = " ".join(["annealing", *words])
        if extra:
            _error(prog, f"unrecognized arguments: {' '.join(extra)} (see {prog} --help)")
            return 2
        func = getattr(args, "func", None)
        if func is None:
            parser.print_help()
            return 2
        with warnings.catch_warnings():
            _one_line_warnings(prog)
            return _run(prog, func, args)
    except KeyboardInterrupt:
        _error(prog, "interrupted")
        return 130
    except BrokenPipeError:  # `annealing show ... | head -1`
        _quiet_stdout()
        return 1


def _run(prog: str, func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return int(func(args))
    except UsageError as error:
        _error(prog, str(error))
        return 2
    except WorkError as error:
        _error(prog, str(error))
        return 1
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except OSError as error:
        where = f"{shown(str(error.filename))}: " if error.filename else ""
        _error(prog, f"{where}{error.strerror or _first_line(error)}")
        return 1
    except (ValueError, TypeError, ArithmeticError) as error:  # refused while working
        _error(prog, _first_line(error))
        return 1
    except Exception as error:  # a bug: still one line, and a way to report it
        _error(
            prog, f"internal error ({type(error).__name__}: {_first_line(error)}); please report it"
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
