"""The fuzz of every public entry point, shared by tests/test_fuzz.py and ``python3 tasks.py fuzz``.

It walks the catalogue (tests/catalogue.py: every family, combinator and compat constructor)
with hostile parameters and steps, then feeds :func:`annealing.from_dict` mutated dicts, the
grammar (:func:`annealing.parse`) reprs and mutated texts, and the CLI (``main(argv)``, in
process) hostile command lines. Each case draws from a ``random.Random``: hypothesis supplies it
in the tests (``st.randoms``), a seeded one drives the deep run here.

The promises checked (issue 11, "Done when"):

* a constructor either builds or raises ValueError/TypeError whose message names a parameter as
  the caller wrote it (for compat, the framework's name): the mutated one when its type is wrong;
* values given as numpy scalars, Fraction or Decimal build the same schedule, with the same
  values, as the Python float or int they equal (nothing silently changed);
* every accepted schedule returns, for every valid step, a finite float >= 0 on Python numbers
  (and numpy, Fraction, Decimal scalars), a finite float64 array >= 0 on numpy arrays of any real
  dtype, finite values >= 0 on PyTorch tensors (float16/32/64, int64) and JAX arrays;
* scalar and array results agree: ``|a - b| <= REL * max(|a|, |b|) + ABS`` with REL = 1e-15 and
  an absolute floor ABS = 1e-300 (values that small are subnormal or nearly so: relative
  precision is not defined there);
* bad steps (negative, NaN, infinite, bool, complex, str, None, timedelta, object arrays, ...)
  raise ValueError/TypeError;
* ``from_dict(s.to_dict()) == s`` with equal values (also through JSON), and mutated dicts give
  a schedule or ValueError/TypeError, never another exception;
* ``parse(repr(s)) == s``; any text gives a schedule or ValueError/TypeError, within a time limit;
* the CLI never lets an exception out and never prints a traceback; it exits 0, 1 or 2.

A case that takes longer than ``TIME_LIMIT`` seconds is a violation ("hang").
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import dataclasses
import datetime
import decimal
import io
import json
import math
import os
import random
import re
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: find catalogue

import numpy as np
from catalogue import ENTRIES, EXAMPLES, Entry

import annealing as an
from annealing.schedule import Schedule

REL = 1e-15
ABS = 1e-300
TIME_LIMIT = 10.0  # seconds of CPU time (see time_limit)
WALL_FACTOR = 6  # and this many times as much wall time
POINTS = ("constructors", "calls", "from_dict", "parser", "CLI")
# The kinds of violation, as the table lists them.
KINDS = (
    "wrong exception",
    "message without parameter",
    "accepted bad parameter",
    "changed input",
    "NaN/inf/negative",
    "not a float",
    "not float64",
    "scalar/array mismatch",
    "scalar type mismatch",
    "refused valid step",
    "accepted bad step",
    "round trip",
    "repr does not parse",
    "accepted an escape",
    "code execution",
    "traceback",
    "exit code",
    "hang",
)
NUMERIC = {"rate", "real", "length", "span", "count", "fraction", "factor"}

# -------------------------------------------------------------------------------- the tally


@dataclasses.dataclass
class Violation:
    point: str
    kind: str
    reproducer: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.point}] {self.kind}: {self.reproducer} -> {self.detail}"


@dataclasses.dataclass
class Tally:
    calls: Counter[str] = dataclasses.field(default_factory=Counter)
    refusals: Counter[tuple[str, str]] = dataclasses.field(default_factory=Counter)
    violations: list[Violation] = dataclasses.field(default_factory=list)

    def call(self, point: str) -> None:
        self.calls[point] += 1

    def refused(self, point: str, error: BaseException) -> None:
        self.refusals[point, type(error).__name__] += 1

    def bad(self, point: str, kind: str, reproducer: str, detail: Any) -> None:
        self.violations.append(Violation(point, kind, reproducer, _short(detail)))

    def merge(self, other: Tally) -> None:
        self.calls.update(other.calls)
        self.refusals.update(other.refusals)
        self.violations.extend(other.violations)


def _short(x: Any, n: int = 300) -> str:
    text = (
        x
        if isinstance(x, str)
        else (f"{type(x).__name__}: {x}" if isinstance(x, BaseException) else repr(x))
    )
    text = " ".join(text.split())  # one line: a tensor's repr spans several
    return text if len(text) <= n else text[: n - 3] + "..."


def show(x: Any, n: int = 400) -> str:
    try:
        text = repr(x)
    except Exception as error:  # a repr that fails is itself worth seeing
        text = f"<repr failed: {error!r}>"
    return text if len(text) <= n else text[: n - 3] + "..."


class Hang(BaseException):
    """Raised by the timer: a BaseException so that no ``except Exception`` swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float = TIME_LIMIT) -> Iterator[None]:
    """Raise :class:`Hang` after `seconds` of this process's CPU time, or after WALL_FACTOR times
    as much wall time (a wait that burns no CPU, such as a read from a FIFO).

    CPU time, so that legitimate work on a loaded CI machine (two cores, two workers) is not
    taken for a hang: 10**6 calls of a user's lambda cost 0.8 s of CPU and passed 10 s of
    wall time at a load of 10.
    """
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if not main:
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        if signum == signal.SIGPROF:
            raise Hang(f"took more than {seconds} s of CPU time")
        raise Hang(f"took more than {seconds * WALL_FACTOR} s of wall time")

    old = signal.signal(signal.SIGALRM, ring), signal.signal(signal.SIGPROF, ring)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old[0])
        signal.signal(signal.SIGPROF, old[1])


def names(message: str, params: Any) -> bool:
    """Whether `message` names one of `params` as a word (``start`` is not ``start_factor``)."""
    return any(re.search(rf"(?<![\w.]){re.escape(p)}(?!\w)", message) for p in params)


# --------------------------------------------------------------------------- hostile values

NAN, INF = float("nan"), float("inf")

# Never a number: refused by every numeric parameter, with an error naming it.
WRONG_TYPES: tuple[Any, ...] = (
    True,
    False,
    1j,
    complex(1, 0),
    "0.1",
    "",
    b"1",
    np.bool_(True),
    np.complex128(1),
    np.array(0.5),
    np.array([0.5]),
    np.array([]),
    datetime.timedelta(days=1),
    np.timedelta64(1, "D"),
    np.datetime64("2020-01-01"),
    object(),
    [0.1],
    (0.1,),
    {"a": 1},
)
# Numbers no parameter accepts: NaN, and numbers beyond float range.
NEVER: tuple[Any, ...] = (
    NAN,
    10**400,
    -(10**400),
    decimal.Decimal("NaN"),
    decimal.Decimal("1e400"),
)
# Edge numbers: accepted or refused, but a schedule built from them must hold its promises.
EDGES: tuple[Any, ...] = (
    INF,
    -INF,
    -0.0,
    0.0,
    0,
    -1,
    -1e-300,
    1e308,
    -1e308,
    1.7976931348623157e308,
    1e-320,
    5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e-39,
    1e-10,
    1e15,
    2.0**53,
    2**53 + 1,
    10**18,
    2**63,
    1e300,
    1 + 2**-52,
    1 - 2**-53,
    Fraction(1, 3),
    decimal.Decimal("0.1"),
    decimal.Decimal("Infinity"),
    decimal.Decimal("-0"),
    np.float16(0.5),
    np.float16(65504),
    np.float32(0.1),
    np.float32(3e38),
    np.float64(0.25),
    np.longdouble(3),
    np.longdouble("1e400"),
    np.int8(-3),
    np.uint8(200),
    np.int64(7),
    np.uint64(2**63),
    np.int32(2**31 - 1),
)


def random_in_kind(kind: str, rng: random.Random) -> Any:
    """A value of the parameter's domain, often at its edges."""
    edge = rng.random() < 0.3
    if kind == "rate":
        return rng.choice((0.0, 1e-320, 1e-300, 1e300, 1e308, 1.0)) if edge else rng.uniform(0, 10)
    if kind == "real":
        return rng.choice((-1e308, 1e308, -0.0, 700.0, -700.0)) if edge else rng.uniform(-50, 50)
    if kind == "length":
        return (
            rng.choice((1e-300, 1e-39, 1e-10, 1e15, 2.0**53, 1e300, 10**20))
            if edge
            else rng.choice((rng.uniform(1e-3, 1000), rng.randint(1, 1000)))
        )
    if kind == "span":
        return (
            rng.choice((0, 0.0, 1e-300, 1e15, 1e300))
            if edge
            else rng.choice((rng.uniform(0, 1000), rng.randint(0, 1000)))
        )
    if kind == "count":
        return rng.choice((0, 1, 2**31, 10**18, 2**63)) if edge else rng.randint(0, 1000)
    if kind == "fraction":
        return rng.choice((0.0, 1.0, 1e-300, 1 - 2**-53, 0.5)) if edge else rng.random()
    if kind == "factor":
        return (
            rng.choice((1e-300, 1e-10, 1.0, 1 + 2**-52, 1e10, 1e300))
            if edge
            else rng.uniform(1e-3, 10)
        )
    raise AssertionError(kind)


def variant(x: Any, rng: random.Random) -> tuple[Any, Any]:
    """``(value, plain)``: `x` as another numeric type that equals the Python number `plain`."""
    if type(x) not in (int, float):
        return x, x
    if isinstance(x, int):
        options: list[Any] = [
            np.int64(x) if -(2**63) <= x < 2**63 else x,
            Fraction(x),
            decimal.Decimal(x),
        ]
        if 0 <= x < 256:
            options += [np.uint8(x), np.int16(x)]
        return rng.choice(options), x
    if not math.isfinite(x):
        return x, x
    with np.errstate(all="ignore"):
        as32, as16 = np.float32(x), np.float16(x)
    options = [np.float64(x), Fraction(x), decimal.Decimal(repr(x)), np.longdouble(x)]
    if math.isfinite(as32):
        options.append(as32)
    if math.isfinite(as16):
        options.append(as16)
    value = rng.choice(options)
    if isinstance(value, np.longdouble):
        return value, float(value)  # may differ from x beyond float64: compare with its float
    return value, float(value)


# ----------------------------------------------------------------------------- schedules pool


def _pool() -> list[Schedule]:
    extreme = [
        lambda: an.Constant(1e308),
        lambda: an.Constant(0.0),
        lambda: an.Constant(5e-324),
        lambda: an.Cosine(1.0, 0.0, 1e-10),
        lambda: an.Cosine(1e308, 0.0, 1e-300),
        lambda: an.Linear(1e-300, 1e308, 1e300),
        lambda: an.Exponential(1e300, rate=1e10),
        lambda: an.InverseSqrt(1e308, 1e-300),
        lambda: an.Step(1e308, 1e-300, 0.5),
    ]
    out = list(EXAMPLES.values())
    for make in extreme:
        with contextlib.suppress(ValueError, TypeError):  # refused: nothing to fuzz with
            out.append(make())
    return out


POOL = _pool()
FINITE_POOL = [s for s in POOL if s.steps is not None]


def random_value(
    kind: str, optional: bool, options: tuple[str, ...], rng: random.Random
) -> tuple[Any, bool]:
    """``(value, wrong)``: a random value for a parameter, and whether it must be refused."""
    if kind in NUMERIC:
        r = rng.random()
        if r < 0.2:
            return rng.choice(WRONG_TYPES + ((None,) if not optional else ())), True
        if r < 0.3:
            return rng.choice(NEVER), True
        if r < 0.5:
            return rng.choice(EDGES), False
        return random_in_kind(kind, rng), False
    if kind == "choice":
        if rng.random() < 0.6:
            return rng.choice(options), False
        bad = rng.choice(("", "COSINE", "cos ", "x" * 50, None, 1, True, options[0].upper() + "!"))
        return bad, bad not in options
    if kind == "flag":
        return rng.choice((True, False, np.bool_(True), 0, 1, "no", None)), False
    if kind == "name":
        return rng.choice(("x", "", "é" * 3, 5, None)), False
    if kind == "schedule":
        if rng.random() < 0.8:
            return rng.choice(POOL), False
        return rng.choice(
            (None, 1.0, "Cosine(1, 0, 10)", [an.Constant(1.0)], an.Schedule, dict)
        ), True
    if kind == "schedules":
        if rng.random() < 0.8:
            return tuple(rng.choice(FINITE_POOL) for _ in range(rng.randint(1, 4))), False
        return rng.choice(((), None, an.Constant(1.0), (an.Constant(1.0), 2.0), "ab")), True
    if kind == "milestones":
        if rng.random() < 0.7:
            n = rng.randint(0, 5)
            values = sorted(
                rng.choice((rng.randint(0, 200), rng.uniform(0, 200))) for _ in range(n)
            )
            return (values if rng.random() < 0.5 else tuple(values)), False
        return rng.choice(
            (
                [-1],
                [NAN],
                [5, 2],
                [INF],
                [1e308, 1e308],
                [10**400],
                "12",
                5,
                None,
                [True],
                [1j],
                [[1]],
            )
        ), False
    if kind == "points":
        if rng.random() < 0.7:
            n = rng.randint(1, 5)
            xs = sorted({rng.randint(0, 100) for _ in range(n)})
            return tuple((x, rng.choice((rng.uniform(0, 2), 0.0, 1e308))) for x in xs), False
        return rng.choice(
            ((), ((0, -1.0),), ((5, 1.0), (2, 1.0)), ((0, NAN),), (1.0,), None, ((0, 1, 2),))
        ), False
    if kind == "scales":
        if rng.random() < 0.7:
            return {
                rng.randint(-5, 100): rng.choice((0.5, 0.0, 2.0, 1e300))
                for _ in range(rng.randint(0, 4))
            }, False
        return rng.choice(
            ({5: -1.0}, {5: NAN}, {"a": 0.5}, [5, 0.5], {5.5: 0.5}, {5: "x"}, 5)
        ), False
    if kind == "values":
        if rng.random() < 0.7:
            return [rng.uniform(0, 1) for _ in range(rng.randint(1, 4))], False
        return rng.choice(([-1.0], [NAN], ["x"], None, 1.0)), False
    if kind == "cycles":
        good = {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 2, "decay_steps": 10}
        if rng.random() < 0.6:
            return [
                dict(good, decay_steps=rng.randint(3, 20)) for _ in range(rng.randint(1, 3))
            ], False
        return rng.choice(
            ([], [{}], [dict(good, bogus=1)], [dict(good, decay_steps=-1)], [5], None)
        ), False
    raise AssertionError(kind)


# ---------------------------------------------------------------------------------- steps

BAD_STEPS: tuple[Any, ...] = (
    -1,
    -0.5,
    -1e-300,
    -INF,
    INF,
    NAN,
    True,
    False,
    1j,
    "1",
    None,
    b"1",
    datetime.timedelta(days=1),
    np.timedelta64(1, "D"),
    np.datetime64("2020-01-01"),
    np.float64(-1),
    np.float32("nan"),
    np.bool_(False),
    np.complex128(1),
    decimal.Decimal("NaN"),
    decimal.Decimal("-1"),
    Fraction(-1, 2),
    np.array([1j]),
    np.array([True, False]),
    np.array(["a"]),
    np.array([None], dtype=object),
    np.array([1.0], dtype=object),
    np.array([-1.0, 1.0]),
    np.array([0.0, NAN]),
    np.array([INF]),
    np.array([np.timedelta64(1, "D")]),
    object(),
)


def valid_steps(s: Schedule, rng: random.Random) -> list[float]:
    length = s.steps if s.steps is not None and math.isfinite(s.steps) and s.steps > 0 else 100.0
    steps = [0.0, 0.5, 1.0, 2.5, 10.0, 1e6, 1e15, 2.0**53, 1e300, 5e-324, 1e-300]
    for f in (0.25, 0.5, 1 - 2**-52, 1.0, 1 + 2**-52, 1.5, 2.0, 3.5):
        t = length * f
        if math.isfinite(t):
            steps.append(float(t))
    steps += [rng.uniform(0, 2 * min(length, 1e300)) for _ in range(3)]
    steps += [float(rng.randint(0, 300))]
    return steps


def close(a: float, b: float) -> bool:
    return abs(a - b) <= REL * max(abs(a), abs(b)) + ABS


def _torch() -> Any:
    if "torch" in sys.modules or os.environ.get("ANNEALING_FUZZ_TORCH", "1") == "1":
        try:
            import torch

            return torch
        except ImportError:
            return None
    return None


def _jax() -> Any:
    if os.environ.get("ANNEALING_FUZZ_JAX", "1") != "1":
        return None
    try:
        import jax.numpy as jnp

        return jnp
    except ImportError:
        return None


# ------------------------------------------------------------------------ checking a schedule


def check_schedule(
    s: Schedule, rng: random.Random, tally: Tally, name: str, depth: str = "full"
) -> None:
    """Valid steps give finite floats >= 0 (arrays: float64), scalar == array; bad steps raise."""
    point = "calls"
    steps = valid_steps(s, rng)
    if depth != "full":
        steps = rng.sample(steps, 6)
    values: dict[float, float] = {}

    def scalar(t: Any) -> float | None:
        tally.call(point)
        try:
            r = s(t)
        except (ValueError, TypeError) as error:
            tally.bad(point, "refused valid step", f"{name}({show(t)})", error)
            return None
        except Hang:
            raise
        except BaseException as error:
            tally.bad(point, "traceback", f"{name}({show(t)})", error)
            return None
        if type(r) is not float:
            tally.bad(point, "not a float", f"{name}({show(t)})", f"{type(r).__name__} {show(r)}")
            try:
                r = float(r)
            except Exception:
                return None
        if not (math.isfinite(r) and r >= 0):
            tally.bad(point, "NaN/inf/negative", f"{name}({show(t)})", r)
            return None
        return r

    for t in steps:
        r = scalar(t)
        if r is not None:
            values[t] = r
    # int steps and other scalar types of the same values
    for t in rng.sample(steps, min(4, len(steps))):
        if t not in values:
            continue
        options: list[Any] = [
            np.float64(t),
            decimal.Decimal(repr(t)),
            Fraction(t),
            -0.0 if t == 0 else t,
        ]
        if t == int(t) and t < 2**63:
            options += [int(t), np.int64(int(t))]
        if 0 <= t < 256 and t == int(t):
            options.append(np.uint8(int(t)))
        with np.errstate(all="ignore"):
            as32 = np.float32(t)
        if math.isfinite(as32) and float(as32) in values:
            options.append(as32)
        options.append(np.longdouble(t))
        for x in rng.sample(options, min(3, len(options))):
            r = scalar(x)
            want = values.get(float(x))
            if r is not None and want is not None and not close(r, want):
                tally.bad(
                    point,
                    "scalar type mismatch",
                    f"{name}({show(x)})",
                    f"{r!r} but {want!r} at {float(x)!r}",
                )
    # numpy arrays: float64, then other real dtypes, computed in float64
    good = [t for t in steps if t in values]
    if good:
        _check_array(s, np.asarray(good, dtype=np.float64), [values[t] for t in good], tally, name)
        for dtype in rng.sample(
            (np.float16, np.float32, np.int64, np.int32, np.uint8, np.longdouble, np.int8), 2
        ):
            with np.errstate(all="ignore"):
                arr = np.asarray(good, dtype=np.float64).astype(dtype)
            keep = np.isfinite(arr.astype(np.float64)) & (arr.astype(np.float64) >= 0)
            keep &= arr.astype(np.float64) == np.asarray(good)  # the same value in this dtype
            if dtype == np.longdouble:
                keep = np.ones(len(good), bool)
            arr = arr[keep]
            if arr.size:
                expected = [values[t] for t, k in zip(good, keep, strict=True) if k]
                _check_array(s, arr, expected, tally, name)
        # 0-d and 2-d arrays
        t0 = good[0]
        tally.call(point)
        try:
            r0 = s(np.array(t0))
            if not (np.all(np.isfinite(r0)) and np.all(np.asarray(r0) >= 0)) or not close(
                float(r0), values[t0]
            ):
                tally.bad(point, "NaN/inf/negative", f"{name}(np.array({t0!r}))", r0)
        except Hang:
            raise
        except BaseException as error:
            tally.bad(point, "refused valid step", f"{name}(np.array({t0!r}))", error)
    # bad steps
    for t in rng.sample(BAD_STEPS, 4 if depth == "full" else 2):
        tally.call(point)
        try:
            r = s(t)
        except (ValueError, TypeError) as error:
            tally.refused(point, error)
        except Hang:
            raise
        except BaseException as error:
            tally.bad(point, "wrong exception", f"{name}({show(t)})", error)
        else:
            tally.bad(point, "accepted bad step", f"{name}({show(t)})", show(r))
    if depth == "full":
        torch = _torch()
        if torch is not None:
            _check_torch(s, torch, good, values, tally, name, rng)
        jnp = _jax() if rng.random() < 0.1 else None
        if jnp is not None:
            _check_jax(s, jnp, good, values, tally, name)


def _check_array(s: Schedule, arr: Any, expected: list[float], tally: Tally, name: str) -> None:
    tally.call("calls")
    rep = f"{name}(np.array({arr.tolist()!r}, dtype=np.{arr.dtype}))"
    try:
        r = s(arr)
    except Hang:
        raise
    except BaseException as error:
        tally.bad("calls", "refused valid step", rep, error)
        return
    if not isinstance(r, np.ndarray) or r.dtype != np.float64 or r.shape != arr.shape:
        tally.bad("calls", "not float64", rep, f"{type(r).__name__} {getattr(r, 'dtype', '')}")
        return
    if not (np.all(np.isfinite(r)) and np.all(r >= 0)):
        tally.bad("calls", "NaN/inf/negative", rep, r[~(np.isfinite(r) & (r >= 0))][:3])
        return
    for got, want, t in zip(r.tolist(), expected, arr.tolist(), strict=True):
        if not close(got, want):
            tally.bad(
                "calls",
                "scalar/array mismatch",
                f"{name} at {t!r} ({arr.dtype})",
                f"array {got!r}, scalar {want!r}",
            )
            return


def _check_torch(
    s: Schedule,
    torch: Any,
    good: list[float],
    values: dict[float, float],
    tally: Tally,
    name: str,
    rng: random.Random,
) -> None:
    for dtype in (torch.float16, torch.float32, torch.float64, torch.int64):
        t = torch.tensor(good, dtype=torch.float64).to(dtype)
        keep = torch.isfinite(t.to(torch.float64)) & (
            t.to(torch.float64) == torch.tensor(good, dtype=torch.float64)
        )
        t = t[keep]
        if not t.numel():
            continue
        rep = f"{name}(torch.tensor({t.tolist()!r}, dtype={dtype}))"
        tally.call("calls")
        try:
            r = s(t)
        except Hang:
            raise
        except BaseException as error:
            tally.bad("calls", "refused valid step", rep, error)
            continue
        if (
            not isinstance(r, torch.Tensor)
            or not bool(torch.isfinite(r).all())
            or bool((r < 0).any())
        ):
            tally.bad("calls", "NaN/inf/negative", rep, r)
            continue
        if dtype == torch.float64:
            for got, step in zip(r.tolist(), t.tolist(), strict=True):
                if not close(got, values[step]):
                    tally.bad(
                        "calls",
                        "scalar/array mismatch",
                        f"{name} at {step!r} (torch.float64)",
                        f"tensor {got!r}, scalar {values[step]!r}",
                    )
                    break
    for bad in (
        torch.tensor([-1.0]),
        torch.tensor([float("nan")]),
        torch.tensor([True]),
        torch.tensor([1j]),
    ):
        tally.call("calls")
        try:
            s(bad)
        except (ValueError, TypeError) as error:
            tally.refused("calls", error)
        except Hang:
            raise
        except BaseException as error:
            tally.bad("calls", "wrong exception", f"{name}({bad!r})", error)
        else:
            tally.bad("calls", "accepted bad step", f"{name}({bad!r})", "no error")


def _check_jax(
    s: Schedule, jnp: Any, good: list[float], values: dict[float, float], tally: Tally, name: str
) -> None:
    for dtype in (jnp.float32, jnp.int32):
        with np.errstate(all="ignore"):
            host = np.asarray(good, dtype=np.float64).astype(dtype)
        keep = np.isfinite(host.astype(np.float64)) & (host.astype(np.float64) == np.asarray(good))
        if not keep.any():
            continue
        arr = jnp.asarray(host[keep])
        rep = f"{name}(jnp.asarray({host[keep].tolist()!r}, dtype=jnp.{np.dtype(dtype).name}))"
        tally.call("calls")
        try:
            r = np.asarray(s(arr))
        except Hang:
            raise
        except BaseException as error:
            tally.bad("calls", "refused valid step", rep, error)
            continue
        if not (np.all(np.isfinite(r)) and np.all(r >= 0)):
            tally.bad("calls", "NaN/inf/negative", rep, r)


# ----------------------------------------------------------------------------- constructors


def _call_repr(entry: Entry, kwargs: dict[str, Any]) -> str:
    return f"{entry.name}({', '.join(f'{k}={show(v, 200)}' for k, v in kwargs.items())})"


def construct_case(
    rng: random.Random, tally: Tally, entry: Entry | None = None, deep: bool = True
) -> None:
    """One construction with 0 to 3 mutated parameters, then the checks on what it built."""
    entry = entry or rng.choice(list(ENTRIES.values()))
    kwargs = dict(rng.choice(entry.valid))
    plain = dict(kwargs)
    mutated: dict[str, bool] = {}  # parameter -> whether its value must be refused
    changed = False
    for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
        p = rng.choice(list(entry.params))
        param = entry.params[p]
        value, must_refuse = random_value(param.kind, param.optional, param.options, rng)
        plain_value = value
        if not must_refuse and param.kind in NUMERIC and rng.random() < 0.3:
            value, plain_value = variant(value, rng)
            changed = changed or value is not plain_value
        kwargs[p], plain[p] = value, plain_value
        mutated[p] = must_refuse
    wrong = [p for p, refuse in mutated.items() if refuse]
    rep = _call_repr(entry, kwargs)
    tally.call("constructors")
    try:
        with warnings_off():
            s = entry.make(**kwargs)
    except (ValueError, TypeError) as error:
        tally.refused("constructors", error)
        # the wrong one when all the mutations are wrong, else any (a limit may name another)
        expected = wrong if wrong and len(wrong) == len(mutated) else list(entry.params)
        if not names(str(error), expected):
            want = "the mutated " + "/".join(wrong) if wrong else "a parameter of " + entry.name
            tally.bad("constructors", "message without parameter", rep, f"{error} (wanted {want})")
        return
    except Hang:
        raise
    except BaseException as error:
        tally.bad("constructors", "wrong exception", rep, error)
        return
    if not isinstance(s, Schedule):
        tally.bad("constructors", "not a schedule", rep, show(s))
        return
    if wrong:
        tally.bad(
            "constructors", "accepted bad parameter", rep, f"{'/'.join(wrong)} accepted: {show(s)}"
        )
    check_schedule(s, rng, tally, rep, "full" if deep else "short")
    if changed:
        check_unchanged(entry, s, plain, rng, tally, rep)
    if deep or rng.random() < 0.5:
        check_round_trips(s, rng, tally, rep)


@contextlib.contextmanager
def warnings_off() -> Iterator[None]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def check_unchanged(
    entry: Entry, s: Schedule, plain: dict[str, Any], rng: random.Random, tally: Tally, rep: str
) -> None:
    """Numpy, Fraction and Decimal parameters build what the equal Python number builds."""
    try:
        with warnings_off():
            p = entry.make(**plain)
    except Exception as error:
        tally.bad(
            "constructors",
            "changed input",
            rep,
            f"the same with Python numbers is refused: {error}",
        )
        return
    if p != s or _fingerprint(p) != _fingerprint(s):
        tally.bad("constructors", "changed input", rep, f"!= {show(p, 200)} (or its fingerprint)")
        return
    for t in valid_steps(s, rng)[:12]:
        try:
            a, b = s(t), p(t)
        except Exception:
            continue
        if a != b or type(a) is not type(b):
            tally.bad(
                "constructors",
                "changed input",
                rep,
                f"at {t!r}: {a!r} but {b!r} from Python numbers",
            )
            return
    for field in dataclasses.fields(s):  # type: ignore[arg-type]
        value = getattr(s, field.name)
        if type(value).__module__.split(".")[0] in ("numpy", "fractions", "decimal") or isinstance(
            value, (Fraction, decimal.Decimal)
        ):
            tally.bad(
                "constructors",
                "changed input",
                rep,
                f"{field.name} stored as {type(value).__name__}",
            )
            return


# ----------------------------------------------------------------------- from_dict and parse


def parser() -> Callable[[str], Any]:
    """The grammar's entry point (issue 11, item 1)."""
    return an.parse


def _fingerprint(s: Schedule) -> Any:
    """Schedule.fingerprint(), equal iff the values are (issue 11, item 4), if it exists."""
    method = getattr(s, "fingerprint", None)
    return method() if method is not None else None


def _values(s: Schedule, steps: list[float]) -> list[Any]:
    out = []
    for t in steps:
        try:
            out.append(s(t))
        except Exception as error:
            out.append(type(error).__name__)
    return out


def check_round_trips(s: Schedule, rng: random.Random, tally: Tally, rep: str) -> None:
    steps = valid_steps(s, rng)[:10]
    tally.call("from_dict")
    try:
        d = s.to_dict()
        back = an.from_dict(d)
        again = an.from_dict(json.loads(json.dumps(d, allow_nan=False)))
    except Hang:
        raise
    except BaseException as error:
        tally.bad("from_dict", "round trip", f"from_dict({rep}.to_dict())", error)
    else:
        if (
            back != s
            or again != s
            or _values(back, steps) != _values(s, steps)
            or _fingerprint(back) != _fingerprint(s)
        ):
            tally.bad(
                "from_dict", "round trip", f"from_dict({rep}.to_dict())", f"{show(back, 200)}"
            )
        else:
            for _ in range(2):
                mutate_dict_case(d, rng, tally)
    parse = parser()
    if parse:
        tally.call("parser")
        text = repr(s)
        try:
            with time_limit():
                got = parse(text)
        except Hang:
            tally.bad("parser", "hang", f"parse({text!r})", "")
        except BaseException as error:
            tally.bad("parser", "repr does not parse", f"parse(repr({rep}))", error)
        else:
            if got != s or _values(got, steps) != _values(s, steps):
                tally.bad("parser", "round trip", f"parse({text!r})", show(got, 200))
        if rng.random() < 0.5:
            text_case(mutate_text(text, rng), tally)


def _nodes(d: Any, out: list[dict[str, Any]]) -> list[dict[str, Any]]:
    stack = [d]  # iterative: a mutated dict may be nested deeper than Python's recursion limit
    while stack and len(out) < 10_000:
        x = stack.pop()
        if isinstance(x, dict):
            out.append(x)
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return out


def _copy(d: Any) -> Any:
    return json.loads(json.dumps(d))


def mutate_dict(d: dict[str, Any], rng: random.Random) -> Any:
    data = _copy(d)
    for _ in range(rng.randint(1, 3)):
        node = rng.choice(_nodes(data, []))
        op = rng.randrange(8)
        keys = [k for k in node if k != "type"] or ["type"]
        if op == 0:
            # a copy: the shared hostile values (a dict, a list) must not grow between cases
            hostile = rng.choice((*WRONG_TYPES, *NEVER, *EDGES, None, [], {}, [[1]]))
            node[rng.choice(keys)] = (
                copy.deepcopy(hostile) if isinstance(hostile, (dict, list)) else hostile
            )
        elif op == 1:
            node[rng.choice(("bogus", "_table", "__class__", "Type", ""))] = rng.choice(
                (1, None, "x")
            )
        elif op == 2:
            node.pop(rng.choice(keys), None)
        elif op == 3:
            node["type"] = rng.choice(
                ("Schedule", "object", "", None, 1, "cosine", "_Shape", "Cosine ", *ENTRIES)
            )
        elif op == 4:
            node["format"] = rng.choice((2, 0, "1", None, 1.0, True, 10**400))
        elif op == 5:
            depth = rng.choice((50, 400, 5000))
            wrap: Any = data
            for _ in range(depth):
                wrap = rng.choice(
                    (
                        {"type": "Warmup", "schedule": wrap, "warmup": 1},
                        {"type": "Scale", "schedule": wrap, "factor": 1.0},
                    )
                )
            return wrap
        elif op == 6:
            node[rng.choice(keys)] = rng.choice(
                (10**400, 10**4000, -(10**400), 2**1024, [0] * 10_000)
            )
        else:
            return rng.choice((None, [], [data], "x", 1, {"type": "Cosine"}, {}))
    return data


def mutate_dict_case(d: dict[str, Any], rng: random.Random, tally: Tally) -> None:
    data = mutate_dict(d, rng)
    tally.call("from_dict")
    rep = f"from_dict({show(data, 300)})"
    try:
        with time_limit():
            s = an.from_dict(data)
    except (ValueError, TypeError) as error:
        tally.refused("from_dict", error)
        return
    except Hang:
        tally.bad("from_dict", "hang", rep, "")
        return
    except BaseException as error:
        tally.bad("from_dict", "wrong exception", rep, error)
        return
    if not isinstance(s, Schedule):
        tally.bad("from_dict", "not a schedule", rep, show(s))
        return
    check_schedule(s, rng, tally, rep, "short")


TOKENS = (
    "(",
    ")",
    ",",
    "=",
    ".",
    "-",
    "+",
    " ",
    "[",
    "]",
    "{",
    "}",
    ":",
    "'",
    '"',
    "_",
    "0",
    "1",
    "9",
    "e",
    "1e999",
    "nan",
    "inf",
    "10**400",
    "-0",
    "0x10",
    "1_000",
    "1e-400",
    "True",
    "None",
    "'x'",
    "[1]",
    "__import__",
    "Cosine._scalar",
    "().__class__",
    "lambda: 0",
    "9**9**9",
    "[0]*10**10",
    "{**x}",
    "compat.torch.StepLR",
    "an.",
    "annealing.",
    "Cosine",
    "Restarts(",
    "(" * 40,
    "1" * 50,
    "\x00",
    "é",
    "\\",
    "#",
    ";",
    "\n",
    "f'{1}'",
    "x if 1 else y",
    "*a",
    "**k",
    "@",
    "Schedule",
    "from_dict",
)
ESCAPES = (
    "(Cosine._scalar.__globals__['__builtins__']['__import__']('os').system('id'),"
    " Constant(1.0))[1]",
    "().__class__.__base__.__subclasses__()",
    "9**9**9",
    "[0]*10**10",
    "Constant(__import__('os').getpid())",
    "Constant(1.0) if open('/etc/passwd') else Constant(2.0)",
    "[c for c in ().__class__.__mro__]",
    "(lambda: Constant(1.0))()",
    "Constant(" * 10_000 + "1" + ")" * 10_000,
    "Constant(" + "9" * 100_000 + ")",
    "Constant(1e999)",
    "Constant(value=1, value=2)",
    "Cosine(1, 0, 10).__class__",
    "getattr(Cosine, '_scalar')",
)


def mutate_text(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(4)
        i = rng.randrange(len(chars) + 1)
        if op == 0 and chars:
            del chars[i : i + rng.randint(1, 5)]
        elif op == 1:
            chars[i:i] = list(rng.choice(TOKENS))
        elif op == 2 and chars:
            j = rng.randrange(len(chars))
            chars[i:i] = chars[j : j + rng.randint(1, 10)]
        else:
            m = re.search(r"\d[\d.e+-]*", "".join(chars))
            if m:
                chars[m.start() : m.end()] = list(
                    rng.choice(("1e999", "-1", "nan", "0", "1e-320", "10**400", "'1'"))
                )
    return "".join(chars)


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 12)))
    return mutate_text(repr(rng.choice(POOL)), rng)


def text_case(text: str, tally: Tally) -> None:
    parse = parser()
    tally.call("parser")
    rep = f"parse({show(text, 300)})"
    try:
        with time_limit():
            s = parse(text)
    except (ValueError, TypeError) as error:
        tally.refused("parser", error)
        return
    except Hang:
        tally.bad("parser", "hang", rep, "")
        return
    except BaseException as error:
        tally.bad("parser", "wrong exception", rep, error)
        return
    if not isinstance(s, Schedule):
        tally.bad("parser", "not a schedule", rep, show(s))
    elif text in ESCAPES[:9]:
        tally.bad("parser", "accepted an escape", rep, show(s))


# ----------------------------------------------------------------------------------- the CLI


def cli_evaluates() -> bool:
    """Whether the CLI still reads schedules with eval: then no hostile text is given to it."""
    import inspect

    import annealing.cli

    return "eval(" in inspect.getsource(annealing.cli)


OPTION_VALUES = (
    "0",
    "-5",
    "1",
    "5",
    "10",
    "100",
    "inf",
    "-inf",
    "nan",
    "1e15",
    "1e300",
    "1e-300",
    "abc",
    "",
    "0.5",
)
SMALL_INTS = ("0", "-1", "1", "60", "abc", "", "100000", "1.5")


def cli_argv(rng: random.Random, safe: bool) -> tuple[list[str], bool]:
    """A hostile command line, and whether stdout should be an ASCII-only stream."""
    cmd = rng.choice(("show", "show", "show", "plot", "define", "sa", "", "--version", "bogus"))
    if cmd == "define":
        return _define_argv(rng), rng.random() < 0.3
    if cmd == "sa":
        return _sa_argv(rng), rng.random() < 0.2
    if cmd in ("", "--version", "bogus"):
        return ([cmd] if cmd else []) + (
            [rng.choice(("-h", "x"))] if rng.random() < 0.3 else []
        ), False
    argv = [cmd]
    for _ in range(rng.choice((0, 1, 1, 2))):
        s = rng.choice(POOL)
        kind = rng.randrange(4)
        if kind == 0:
            argv.append(repr(s))
        elif kind == 1:
            argv.append(json.dumps(s.to_dict()))
        elif kind == 2:
            argv.append(random_text(rng))
        else:
            argv.append(
                rng.choice((*ESCAPES, "", " ", "{", "{}", "[]", "null", '{"type": "Cosine"}'))
            )
    if cmd == "show":
        for opt in rng.sample(
            ("--steps", "--every", "--width", "--spark", "--chart"), rng.randint(0, 3)
        ):
            argv += (
                [opt]
                if opt in ("--spark", "--chart")
                else [opt, rng.choice(SMALL_INTS if opt == "--width" else OPTION_VALUES)]
            )
    else:
        for opt in rng.sample(("--steps", "--dpi", "-o", "--log", "--title"), rng.randint(0, 3)):
            if opt == "--log":
                argv.append(opt)
            elif opt == "-o":
                argv += [
                    opt,
                    rng.choice(
                        ("x.png", "x.svg", "", "/missing/dir/x.png", ".", "x.unknown", "x.pdf")
                    ),
                ]
            elif opt == "--title":
                argv += [opt, rng.choice(("t", "", "$\\frac{", "é"))]
            else:
                argv += [opt, rng.choice(SMALL_INTS if opt == "--dpi" else OPTION_VALUES)]
    if safe:
        argv = [a for a in argv if not _risky(a)]
    return argv, rng.random() < 0.2


def _define_argv(rng: random.Random) -> list[str]:
    argv = ["define"]
    argv += rng.sample(
        ("cosine annealing", "SGDR", "warm", "", "é", "\x00", "a" * 300, "--", "-x", "restarts"),
        rng.randint(0, 2),
    )
    for opt in rng.sample(("--list", "--tag", "--json", "--width"), rng.randint(0, 2)):
        if opt in ("--list", "--json"):
            argv.append(opt)
        else:
            argv += [
                opt,
                rng.choice(SMALL_INTS if opt == "--width" else ("", "x", "schedule", "é")),
            ]
    return argv


# Files made in the temporary directory of each CLI case, for ``annealing sa tsp``.
TSP_OK = (
    "NAME: five\nTYPE: TSP\nDIMENSION: 5\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n"
    "1 0 0\n2 10 0\n3 10 10\n4 0 10\n5 5 5\nEOF\n"
)
TSP_FILES: dict[str, bytes | None] = {
    "ok.tsp": TSP_OK.encode(),
    "empty.tsp": b"",
    "nonutf8.tsp": b"NAME: \xff\xfe\nDIMENSION: 3\n",
    "short.tsp": TSP_OK.replace("DIMENSION: 5", "DIMENSION: 9").encode(),
    "long.tsp": TSP_OK.replace("DIMENSION: 5", "DIMENSION: 2").encode(),
    "nan.tsp": TSP_OK.replace("5 5 5", "5 nan inf").encode(),
    "type.tsp": TSP_OK.replace("TYPE: TSP", "TYPE:").encode(),
    "weights.tsp": TSP_OK.replace("EUC_2D", "EXPLICIT").encode(),
    "header.tsp": TSP_OK.replace("DIMENSION: 5", "DIMENSION: five").encode(),
    "ok.opt.tour": b"TOUR_SECTION\n1\n2\n3\n3\n-1\nEOF\n",
    "dir.tsp": None,  # a directory
}


def _sa_argv(rng: random.Random) -> list[str]:
    files = (*TSP_FILES, "missing.tsp", "fifo.tsp", ".", "")
    argv = ["sa", "tsp", rng.choice(files), "-q", "--engine", "python"]
    for opt in rng.sample(("--steps", "--seed", "--cycles", "--schedule", "-o"), rng.randint(1, 3)):
        if opt == "--schedule":
            argv += [opt, rng.choice(("cosine", "restarts", "bogus", ""))]
        elif opt == "-o":
            argv += [opt, rng.choice(("x.png", "", "/missing/dir/x.png", "."))]
        else:
            argv += [
                opt,
                rng.choice(("0", "-5", "1", "200", "1000", "nan", "inf", "1e400", "abc", "")),
            ]
    if "--steps" not in argv:
        argv += ["--steps", "500"]
    return argv


def _make_files(tmp: str) -> None:
    for name, content in TSP_FILES.items():
        path = os.path.join(tmp, name)
        if content is None:
            os.mkdir(path)
        else:
            with open(path, "wb") as f:
                f.write(content)
    if hasattr(os, "mkfifo"):
        os.mkfifo(os.path.join(tmp, "fifo.tsp"))


def _risky(text: str) -> bool:
    # what eval must never see: it runs code, and these hang or exhaust memory
    return (
        any(x in text for x in ("*", "__", "lambda", "[", "import", "open", "getattr", "if", "for"))
        or len(text) > 500
    )


@contextlib.contextmanager
def _chdir(path: str) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def cli_case(argv: list[str], ascii_out: bool, tally: Tally) -> Any:
    """Run ``main(argv)`` in process, in a temporary directory; return its exit code."""
    from annealing.cli import main

    tally.call("CLI")
    rep = f"annealing {' '.join(_quote(a) for a in argv)}" + (
        "  (ASCII stdout)" if ascii_out else ""
    )
    out = io.TextIOWrapper(
        io.BytesIO(), encoding="ascii" if ascii_out else "utf-8", errors="strict"
    )
    err = io.StringIO()
    code: Any = None
    with tempfile.TemporaryDirectory() as tmp, _chdir(tmp):
        if argv[:1] == ["sa"]:
            _make_files(tmp)
        try:
            with time_limit(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except SystemExit as exit:
            code = exit.code
        except Hang:
            tally.bad("CLI", "hang", rep, "")
            return None
        except BaseException as error:
            tally.bad("CLI", "traceback", rep, error)
            return None
        finally:
            import matplotlib.pyplot as plt

            plt.close("all")
    if code not in (0, 1, 2, None):
        tally.bad("CLI", "exit code", rep, code)
    elif "Traceback" in err.getvalue():
        tally.bad("CLI", "traceback", rep, err.getvalue()[-300:])
    elif code:
        tally.refusals["CLI", f"exit {code}"] += 1
    return code


def _quote(a: str) -> str:
    return a if re.fullmatch(r"[\w.,=/-]+", a) else repr(a)


# ------------------------------------------------------------------------------- the deep run


def run(calls: int, seed: int, tally: Tally, progress: bool = True) -> None:
    rng = random.Random(seed)
    safe = cli_evaluates()
    start = time.monotonic()
    cases = 0
    while sum(tally.calls.values()) < calls:
        cases += 1
        r = rng.random()
        case_rng = random.Random(rng.getrandbits(64))
        try:
            with time_limit(30):
                if r < 0.9:
                    construct_case(case_rng, tally, deep=case_rng.random() < 0.3)
                elif r < 0.97:
                    text_case(
                        random_text(case_rng)
                        if case_rng.random() < 0.9
                        else case_rng.choice(ESCAPES),
                        tally,
                    )
                else:
                    cli_case(*cli_argv(case_rng, safe), tally)
        except Hang:
            tally.bad("constructors", "hang", f"case {cases} of seed {seed}", "more than 30 s")
        if progress and cases % 2000 == 0:
            total = sum(tally.calls.values())
            print(
                f"  {total:>9,} calls, {len(tally.violations):,} violations, "
                f"{time.monotonic() - start:.0f} s",
                file=sys.stderr,
                flush=True,
            )


def table(tally: Tally) -> str:
    lines = []
    head = f"{'entry point':<14}{'calls':>11}  {'refusals by type':<44}{'violations':>10}"
    lines += [head, "-" * len(head)]
    for point in POINTS:
        refusals = ", ".join(
            f"{t} {n:,}"
            for (p, t), n in sorted(tally.refusals.items(), key=lambda x: -x[1])
            if p == point
        )
        nv = sum(v.point == point for v in tally.violations)
        lines.append(f"{point:<14}{tally.calls[point]:>11,}  {refusals or '-':<44}{nv:>10,}")
    lines.append(
        f"{'total':<14}{sum(tally.calls.values()):>11,}  {'':<44}{len(tally.violations):>10,}"
    )
    # violations: every kind the fuzz checks, by entry point (all must be 0)
    lines.append("")
    head = f"{'violations by kind':<26}" + "".join(f"{p:>13}" for p in POINTS)
    lines += [head, "-" * len(head)]
    for kind in KINDS + tuple(sorted({v.kind for v in tally.violations} - set(KINDS))):
        counts = Counter(v.point for v in tally.violations if v.kind == kind)
        lines.append(f"{kind:<26}" + "".join(f"{counts[p]:>13,}" for p in POINTS))
    return "\n".join(lines)


def owner(v: Violation) -> str:
    """A guess at who fixes it (the engineers of issue 11)."""
    if v.point == "CLI":
        return "H4" if v.reproducer.startswith("annealing sa") else "H3"
    if v.point == "parser":
        return "H3"
    if v.point == "from_dict":
        return "H2"
    if v.point == "constructors":
        return "H5" if v.reproducer.startswith("compat.") else "H1"
    return "H1" if v.kind == "NaN/inf/negative" else "H2"


def examples(tally: Tally, per_kind: int = 3) -> list[Violation]:
    """A few violations of each (point, kind, entry), the shortest reproducers first."""
    seen: Counter[tuple[str, str, str]] = Counter()
    out = []
    for v in sorted(tally.violations, key=lambda v: len(v.reproducer)):
        key = (v.point, v.kind, v.reproducer.split("(")[0])
        if seen[key] < per_kind:
            seen[key] += 1
            out.append(v)
    return out


def jax64(tally: Tally, rng: random.Random) -> None:
    """JAX's 64-bit mode (``JAX_ENABLE_X64=1`` from the start of the process: switching it on
    mid-process is not a user's setup): float64 arrays agree with the scalar values."""
    import jax.numpy as jnp

    assert jnp.asarray(1.0).dtype == jnp.float64, "run with JAX_ENABLE_X64=1"
    schedules = [(repr(s)[:200], s) for s in POOL]
    for entry in ENTRIES.values():
        for kwargs in entry.valid:
            schedules.append((_call_repr(entry, kwargs), entry.make(**kwargs)))
    for name, s in schedules:
        good = valid_steps(s, rng)
        values = {t: s(t) for t in good}
        tally.call("calls")
        rep = f"{name}(jnp.asarray({good!r}))  (JAX_ENABLE_X64=1)"
        try:
            r = np.asarray(s(jnp.asarray(np.asarray(good, dtype=np.float64))))
        except Exception as error:
            tally.bad("calls", "refused valid step", rep, error)
            continue
        if r.dtype != np.float64 or not (np.all(np.isfinite(r)) and np.all(r >= 0)):
            tally.bad("calls", "NaN/inf/negative", rep, f"{r.dtype} {r}")
            continue
        for got, step in zip(r.tolist(), good, strict=True):
            if not close(got, values[step]):
                tally.bad(
                    "calls",
                    "scalar/array mismatch",
                    f"{name} at {step!r} (JAX float64)",
                    f"jax {got!r}, scalar {values[step]!r}",
                )
                break


def jax64_subprocess(tally: Tally) -> bool:
    """Run :func:`jax64` in a child process with ``JAX_ENABLE_X64=1``; False without JAX."""
    import subprocess

    if _jax() is None:
        return False
    env = {**os.environ, "JAX_ENABLE_X64": "1"}
    done = subprocess.run(
        [sys.executable, __file__, "--jax64"], env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode not in (0, 1):
        tally.bad("calls", "traceback", "tests/fuzzing.py --jax64", done.stderr[-300:])
        return True
    child = json.loads(done.stdout.strip().splitlines()[-1])
    tally.calls["calls"] += child["calls"]
    for v in child["violations"]:
        tally.violations.append(Violation(**v))
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="The deep fuzz of every public entry point of annealing."
    )
    ap.add_argument(
        "--calls", type=int, default=1_000_000, help="calls to make in total (default 10**6)"
    )
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", type=int, default=60, help="violations to list (default 60)")
    ap.add_argument("--findings", help="append one line per distinct violation to this file")
    ap.add_argument("--jax64", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.jax64:  # the child of jax64_subprocess: one JSON line
        child = Tally()
        jax64(child, random.Random(args.seed))
        out = {
            "calls": child.calls["calls"],
            "violations": [dataclasses.asdict(v) for v in child.violations],
        }
        print(json.dumps(out))
        return 1 if child.violations else 0
    import warnings

    warnings.simplefilter("ignore")  # overflow warnings of numpy: the values are checked instead
    tally = Tally()
    start = time.monotonic()
    print(
        f"fuzzing {len(ENTRIES)} constructors, from_dict, the parser and the CLI: "
        f"{args.calls:,} calls, seed {args.seed}",
        flush=True,
    )
    if cli_evaluates():
        tally.bad(
            "CLI", "code execution", "annealing.cli.parse_schedule", "reads schedules with eval()"
        )
    for text in ESCAPES:
        text_case(text, tally)
    if not jax64_subprocess(tally):
        print("note: JAX is not installed: no 64-bit JAX check", flush=True)
    run(args.calls, args.seed, tally)
    print(f"\n{table(tally)}\n({time.monotonic() - start:.0f} s)")
    listed = examples(tally)
    for v in listed[: args.show]:
        print(f"  {v}")
    if len(listed) > args.show:
        print(f"  ... {len(listed) - args.show} more distinct violations")
    if args.findings and listed:
        with open(args.findings, "a", encoding="utf-8") as f:
            f.write(f"\n## tasks.py fuzz --calls {args.calls} --seed {args.seed}\n\n")
            for v in examples(tally, per_kind=1):
                f.write(f"- {owner(v)} [{v.point}] {v.kind}: `{v.reproducer}` -> {v.detail}\n")
    return 1 if tally.violations else 0


if __name__ == "__main__":
    sys.exit(main())
