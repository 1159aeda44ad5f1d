"""Speed against the obvious alternatives (issue 12, item 7): printed as ratios.

Run with ``python3 tasks.py bench`` (or ``.venv/bin/python benchmarks/bench_speed.py``).
Three tables, each a ratio (ours / theirs, so < 1 is faster):

* a scalar call ``schedule(t)`` against a hand-written Python closure of the same formula,
  per family (goal <= 1.3x): the call as installed (compiled by ``annealing._speedups`` where
  a C compiler was found), and the family's Python path (``schedule._call``, what runs
  without the compiler). A last row gives the floor of any schedule written in Python: an
  object's ``__call__`` that does nothing against a function that does nothing (CPython
  3.11 does not specialize calls of objects), which is why the call is compiled;
* an array call against the bare numpy (or torch) expression of the same formula;
* each ``annealing.compat`` class, stepped through ``annealing.torch.Scheduler``, against
  the framework's own scheduler, per ``scheduler.step()`` (goal <= 1.0x).

The machine may be shared: times are this process's CPU time (not the wall clock, which
counts the time other processes hold the core), each pair is timed interleaved (ours,
theirs, ours, ...), and the table gives the median of the per-round ratios.
"""

from __future__ import annotations

import bisect
import importlib
import importlib.util
import math
import os
import statistics
import sys
import time
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import annealing as an

ROUNDS = 15
ADAPTER_ROUNDS = 25  # the scheduler's share is a difference of two noisy times


def table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    sys.stdout.flush()


def paired(ours: Callable[[], object], theirs: Callable[[], object], rounds: int = ROUNDS):
    """Median time of one run of each, and the median of the per-round ratios ours/theirs."""
    a, b, r = [], [], []
    ours(), theirs()  # warm
    for _ in range(rounds):
        t0 = time.process_time()
        ours()
        t1 = time.process_time()
        theirs()
        t2 = time.process_time()
        a.append(t1 - t0)
        b.append(t2 - t1)
        r.append((t1 - t0) / (t2 - t1))
    return statistics.median(a), statistics.median(b), statistics.median(r)


# -- scalar calls ------------------------------------------------------------------------
HALF_PI = math.pi / 2


def _closures() -> list[tuple[str, an.Schedule, Callable[[float], float], float]]:
    """(name, schedule, closure of the same formula, horizon), a row per family and combinator:
    the closures are what a user would write, without the checks or the precision-keeping
    forms beyond what they cost. Constants are cells of the closure, as in a user's code."""
    lr, low, T, W = 0.1, 0.001, 10_000, 100
    sin, sqrt, tanh, floor, ceil, fmod = (
        math.sin,
        math.sqrt,
        math.tanh,
        math.floor,
        math.ceil,
        math.fmod,
    )

    def constant(t: float) -> float:
        return lr

    def cosine(t: float) -> float:
        if t >= T:
            return low
        return low + (lr - low) * sin((T - t) * (HALF_PI / T)) ** 2

    def linear(t: float) -> float:
        return low if t >= T else low + (lr - low) * ((T - t) / T)

    def polynomial(t: float) -> float:  # power 2
        return low if t >= T else low + (lr - low) * ((T - t) / T) ** 2

    def exponential(t: float) -> float:
        return lr * 0.999**t

    def step(t: float) -> float:
        return lr * 0.5 ** floor(t / 300)

    marks = (3000, 6000, 9000)

    def multistep(t: float) -> float:  # PyTorch's closed form
        return lr * 0.1 ** bisect.bisect_right(marks, t)

    def inverse_sqrt(t: float) -> float:
        return lr / sqrt(1.0 + t / 500)

    def inverse_time(t: float) -> float:
        return lr / (1.0 + 0.5 * t / 100)

    def tanh_decay(t: float) -> float:  # timm's TanhLRScheduler, lb -7, ub 3
        x = min(t, T) / T
        return low + 0.5 * (lr - low) * (1.0 - tanh(-7.0 + 10.0 * x))

    def cyclic(t: float) -> float:
        p = fmod(t, 400.0)
        x = p / 200.0 if p <= 200.0 else (400.0 - p) / 200.0
        return low + (lr - low) * x

    knots = (0.0, 2999.0, 9999.0)

    def piecewise_cosine(t: float) -> float:  # cosine legs between the knots
        if t >= knots[2]:
            return low
        if t < knots[1]:
            u, n, a, b = t, knots[1], lr / 25, lr
        else:
            u, n, a, b = t - knots[1], knots[2] - knots[1], lr, low
        return b + (a - b) * sin((n - u) * (HALF_PI / n)) ** 2

    xs, ys = (0.0, 2500.0, 5000.0, 7500.0), (lr, lr / 2, lr / 4, lr / 8)

    def piecewise_constant(t: float) -> float:
        return ys[bisect.bisect_right(xs, t) - 1]

    peak, rise, top = lr, 0.3 * T, lr / 25

    def onecycle(t: float) -> float:  # OneCycle(lr, T): cosine up to the peak, then down
        if t >= T:
            return top / 1e4
        if t < rise:
            return top + (peak - top) * sin(t * (HALF_PI / rise)) ** 2
        end = top / 1e4
        return end + (peak - end) * sin((T - t) * (HALF_PI / (T - rise))) ** 2

    def polynomial_cycles(t: float) -> float:  # Keras PolynomialDecay(cycle=True), power 1
        span = 1000 * max(ceil(t / 1000), 1)
        return low + (lr - low) * ((span - t) / span)

    def wsd(t: float) -> float:  # warmup 100, stable 7900, linear decay 2000 to 0
        if t < 100:
            return lr * (t / 100)
        if t < 8000:
            return lr
        return 0.0 if t >= 10_000 else lr * ((10_000 - t) / 2000)

    def warmup_cosine(t: float) -> float:
        if t < W:
            return lr * (t / W)
        return cosine(t - W)

    def linear_up(t: float) -> float:
        return lr * (t / W)

    def sequence(t: float) -> float:
        return linear_up(t) if t < W else cosine(t - W)

    def cosine_1000(u: float) -> float:
        return low + (lr - low) * sin((1000 - u) * (HALF_PI / 1000)) ** 2

    def sgdr(t: float) -> float:  # T_0 = 1000, mult = 1
        return cosine_1000(fmod(t, 1000.0))

    def cosine_n(u: float, n: float) -> float:
        return low + (lr - low) * sin((n - u) * (HALF_PI / n)) ** 2

    def sgdr_2(t: float) -> float:  # T_0 = 1000, mult = 2: cycle k starts at 1000 (2^k - 1)
        k = floor(math.log2(t / 1000 + 1))
        return cosine_n(t - 1000 * (2**k - 1), 1000 * 2**k)

    def scale(t: float) -> float:
        return 0.5 * cosine(t)

    def warp(t: float) -> float:  # the clock bent by t^2
        return cosine(T * (min(t, T) / T) ** 2)

    def offset(t: float) -> float:
        return cosine(t + 100)

    cos = an.Cosine(lr, low, T)
    return [
        ("Constant", an.Constant(lr), constant, T),
        ("Cosine", cos, cosine, T),
        ("Linear", an.Linear(lr, low, T), linear, T),
        ("Polynomial (power 2)", an.Polynomial(lr, low, T, power=2.0), polynomial, T),
        ("Exponential", an.Exponential(lr, rate=0.999), exponential, T),
        ("Step", an.Step(lr, 300, 0.5), step, T),
        ("MultiStep", an.MultiStep(lr, marks), multistep, T),
        ("InverseSqrt", an.InverseSqrt(lr, 500), inverse_sqrt, T),
        ("InverseTime", an.InverseTime(lr, 0.5, 100), inverse_time, T),
        ("Tanh", an.Tanh(lr, low, T), tanh_decay, T),
        ("Cyclic", an.Cyclic(low, lr, 200), cyclic, T),
        (
            "Piecewise cosine (OneCycleLR's form)",
            an.Piecewise(((0.0, lr / 25), (2999.0, lr), (9999.0, low)), interpolation="cosine"),
            piecewise_cosine,
            T,
        ),
        (
            "Piecewise constant",
            an.Piecewise(tuple(zip(xs, ys, strict=True))),
            piecewise_constant,
            T,
        ),
        ("OneCycle", an.OneCycle(lr, T), onecycle, T),
        ("PolynomialCycles", an.PolynomialCycles(lr, low, 1000), polynomial_cycles, T),
        ("WSD", an.WSD(lr, 100, 7900, 2000), wsd, T),
        ("Warmup(Cosine)", an.Warmup(cos, W), warmup_cosine, T + W),
        (
            "Sequence(Linear, Cosine)",
            an.Sequence((an.Linear(0.0, lr, W), cos)),
            sequence,
            T + W,
        ),
        ("Restarts(Cosine) (SGDR, mult 1)", an.SGDR(lr, 1000, 1, low), sgdr, T),
        ("Restarts(Cosine) (SGDR, mult 2)", an.SGDR(lr, 1000, 2, low), sgdr_2, T),
        ("Scale(Cosine, 0.5)", an.Scale(cos, 0.5), scale, T),
        ("Warp(Cosine, 2)", an.Warp(cos, 2.0), warp, T),
        ("Offset(Cosine, 100)", an.Offset(cos, 100), offset, T),
    ]


def bench_scalar() -> None:
    rows = []
    for name, schedule, closure, horizon in _closures():
        steps = [float(s) for s in range(0, int(horizon), 37)]
        for t in steps[::7]:  # the closure is the same formula (to 1e-12 relative)
            want, got = closure(t), schedule(t)
            assert abs(got - want) <= 1e-12 * max(abs(want), 1e-300), (name, t, got, want)

        def ours(steps: list[float] = steps, s: Any = schedule) -> None:
            for t in steps:
                s(t)

        def theirs(steps: list[float] = steps, f: Any = closure) -> None:
            for t in steps:
                f(t)

        def python(steps: list[float] = steps, s: Any = schedule._call) -> None:
            for t in steps:
                s(t)

        a, b, ratio = paired(ours, theirs)
        c, _, slow = paired(python, theirs)
        n = len(steps)
        compiled = "yes" if getattr(schedule, "_compiled", lambda: 0)() else "no"
        rows.append(
            (
                name,
                compiled,
                f"{a / n * 1e9:.0f} ns",
                f"{b / n * 1e9:.0f} ns",
                f"{ratio:.2f}x",
                f"{c / n * 1e9:.0f} ns",
                f"{slow:.2f}x",
            )
        )
    # the floor: what CPython 3.11 charges to call an object (a type's __call__, through
    # slot_tp_call, which it does not specialize) over calling a function, with no work in
    # either; a schedule is an object, so no family can be faster than this against its closure
    rate = 0.1

    class Bare:
        def __call__(self, t: float) -> float:
            return rate

    def bare(t: float) -> float:
        return rate

    steps = [float(s) for s in range(0, 10_000, 37)]
    instance = Bare()

    def objects(steps: list[float] = steps, s: Any = instance) -> None:
        for t in steps:
            s(t)

    def functions(steps: list[float] = steps, f: Any = bare) -> None:
        for t in steps:
            f(t)

    a, b, ratio = paired(objects, functions)
    n = len(steps)
    floor = ("(floor: a Python object's __call__, no work)", "-", "-")
    rows.append((*floor, f"{b / n * 1e9:.0f} ns", "-", f"{a / n * 1e9:.0f} ns", f"{ratio:.2f}x"))
    table(
        "Scalar call schedule(t) against a hand-written closure (goal <= 1.3x)",
        rows,
        ("family", "compiled", "annealing", "closure", "ratio", "Python path", "ratio"),
    )


# -- array calls ---------------------------------------------------------------------------
def bench_array() -> None:
    lr, low = 0.1, 0.001
    rows = []
    for n in (10**3, 10**5, 10**7):
        t = np.arange(n, dtype=np.float64)
        T, W = float(n), n / 100
        cos = an.Cosine(lr, low, T)
        warm = an.Warmup(an.Cosine(lr, low, T - W), W)

        def bare_cos(t: Any = t, T: float = T) -> Any:
            return low + (lr - low) * np.sin((T - np.minimum(t, T)) * (HALF_PI / T)) ** 2

        def bare_warm(t: Any = t, T: float = T, W: float = W) -> Any:
            u = np.minimum(t - W, T - W)
            decay = low + (lr - low) * np.sin((T - W - u) * (HALF_PI / (T - W))) ** 2
            return np.where(t < W, lr * (t / W), decay)

        rounds = ROUNDS if n < 10**7 else 3
        for name, ours, theirs in (
            ("Cosine", lambda c=cos, t=t: c(t), bare_cos),
            ("Warmup(Cosine)", lambda w=warm, t=t: w(t), bare_warm),
        ):
            a, b, ratio = paired(ours, theirs, rounds)
            rows.append(
                (f"{name}, numpy, 10^{round(math.log10(n))}", _ms(a), _ms(b), f"{ratio:.2f}x")
            )
    try:
        import torch
    except ImportError:
        rows.append(("torch", "not installed", "", ""))
    else:
        for n in (10**3, 10**5):
            tt = torch.arange(n, dtype=torch.float64)
            T = float(n)
            cos = an.Cosine(lr, low, T)

            def bare_torch(tt: Any = tt, T: float = T) -> Any:
                return low + (lr - low) * torch.sin((T - tt.clamp(max=T)) * (HALF_PI / T)) ** 2

            a, b, ratio = paired(lambda c=cos, tt=tt: c(tt), bare_torch)
            rows.append(
                (
                    f"Cosine, torch float64, 10^{round(math.log10(n))}",
                    _ms(a),
                    _ms(b),
                    f"{ratio:.2f}x",
                )
            )
    table(
        "Array call against the bare expression of the same formula",
        rows,
        ("what", "annealing", "bare", "ratio"),
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"


# -- compat classes through the adapter ----------------------------------------------------
def _timm_scheduler(name: str) -> Any:
    """``timm.scheduler.<name>`` without timm's ``__init__`` (which imports torchvision)."""
    spec = importlib.util.find_spec("timm")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("timm is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    if "timm" not in sys.modules:
        package = types.ModuleType("timm")
        package.__path__ = [str(root)]
        sys.modules["timm"] = package
    if "timm.scheduler" not in sys.modules:
        sub = types.ModuleType("timm.scheduler")
        sub.__path__ = [str(root / "scheduler")]
        sys.modules["timm.scheduler"] = sub
    return importlib.import_module(f"timm.scheduler.{name}")


def bench_adapter() -> None:
    try:
        import torch

        from annealing.compat import timm as tm
        from annealing.compat import torch as pt
        from annealing.torch import Scheduler
    except ImportError:
        table("Compat through the adapter", [("torch", "not installed", "", "")], ("", "", "", ""))
        return
    L = torch.optim.lr_scheduler
    lr = 0.1
    cases: list[tuple[str, Callable[[Any], Any], an.Schedule]] = [
        ("StepLR", lambda o: L.StepLR(o, 30), pt.StepLR(lr, 30)),
        ("MultiStepLR", lambda o: L.MultiStepLR(o, [300, 600]), pt.MultiStepLR(lr, [300, 600])),
        ("ExponentialLR", lambda o: L.ExponentialLR(o, 0.999), pt.ExponentialLR(lr, 0.999)),
        ("LinearLR", lambda o: L.LinearLR(o, 0.1, total_iters=500), pt.LinearLR(lr, 0.1, 1.0, 500)),
        (
            "CosineAnnealingLR",
            lambda o: L.CosineAnnealingLR(o, T_max=1000, eta_min=0.001),
            pt.CosineAnnealingLR(lr, 1000, 0.001),
        ),
        (
            "CosineAnnealingWarmRestarts",
            lambda o: L.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2),
            pt.CosineAnnealingWarmRestarts(lr, 10, 2),
        ),
        (
            "OneCycleLR",
            lambda o: L.OneCycleLR(o, max_lr=lr, total_steps=10**6, cycle_momentum=False),
            pt.OneCycleLR(lr, total_steps=10**6),
        ),
        (
            "CyclicLR",
            lambda o: L.CyclicLR(o, 0.01, lr, step_size_up=100, cycle_momentum=False),
            pt.CyclicLR(0.01, lr, 100),
        ),
        (
            "SequentialLR(LinearLR, CosineAnnealingLR)",
            lambda o: L.SequentialLR(
                o, [L.LinearLR(o, 0.1, total_iters=100), L.CosineAnnealingLR(o, 1000)], [100]
            ),
            pt.SequentialLR(
                [pt.LinearLR(lr, 0.1, total_iters=100), pt.CosineAnnealingLR(lr, 1000)], [100]
            ),
        ),
    ]
    n = 2000

    def optimizer() -> Any:
        return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)

    def stepping(make: Callable[[Any], Any] | None) -> Callable[[], float]:
        # a training step is optimizer.step() then scheduler.step(); the adapter counts
        # optimizer steps, so both are timed (and optimizer.step() alone, to subtract). The
        # time is the loop's: building the optimizer and the scheduler is left out
        def run() -> float:
            opt = optimizer()
            opt_step = opt.step
            if make is None:
                t0 = time.process_time()
                for _ in range(n):
                    opt_step()
                return time.process_time() - t0
            step = make(opt).step
            t0 = time.process_time()
            for _ in range(n):
                opt_step()
                step()
            return time.process_time() - t0

        return run

    def measured(ours: Callable[[], float], theirs: Callable[[], float]) -> tuple[str, ...]:
        base = stepping(None)
        a, b, c, r, q = [], [], [], [], []
        ours(), theirs(), base()
        for _ in range(ADAPTER_ROUNDS):
            times = [fn() for fn in (ours, theirs, base)]
            a.append(times[0])
            b.append(times[1])
            c.append(times[2])
            r.append(times[0] / times[1])
            q.append((times[0] - times[2]) / max(times[1] - times[2], 1e-9))
        med = statistics.median
        return (
            f"{(med(a) - med(c)) / n * 1e6:.2f} us",
            f"{(med(b) - med(c)) / n * 1e6:.2f} us",
            f"{med(q):.2f}x",
            f"{med(r):.2f}x",
        )

    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, framework, schedule in cases:
            ours = stepping(lambda o, s=schedule: Scheduler(o, s))
            rows.append((f"torch {name}", *measured(ours, stepping(framework))))
        try:
            cosine_lr = _timm_scheduler("cosine_lr")
        except Exception as error:  # timm missing or broken
            rows.append(("timm CosineLRScheduler", f"not importable: {error}", "", "", ""))
        else:
            kw = dict(t_initial=1000, lr_min=1e-5, warmup_t=10, warmup_lr_init=1e-4)

            def timm_run() -> float:
                opt = optimizer()
                opt_step = opt.step
                update = cosine_lr.CosineLRScheduler(opt, t_in_epochs=False, **kw).step_update
                t0 = time.process_time()
                for i in range(n):
                    opt_step()
                    update(i + 1)
                return time.process_time() - t0

            ours = stepping(lambda o: Scheduler(o, tm.CosineLRScheduler(lr, **kw)))
            rows.append(("timm CosineLRScheduler (step_update)", *measured(ours, timm_run)))
    table(
        "Compat class stepped through annealing.torch.Scheduler against the framework's own "
        "scheduler, per training step (goal <= 1.0x); the times are the scheduler's share "
        "(optimizer.step() + scheduler.step(), less optimizer.step() alone)",
        rows,
        ("scheduler", "annealing", "framework", "ratio (share)", "ratio (whole step)"),
    )


if __name__ == "__main__":
    print(f"annealing {an.__version__}, Python {sys.version.split()[0]}, numpy {np.__version__}")
    print("times: this process's CPU time (time.process_time), medians of interleaved rounds")
    which = sys.argv[1:] or ["scalar", "array", "adapter"]
    for part in which:
        print(f"load average before {part}: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        {"scalar": bench_scalar, "array": bench_array, "adapter": bench_adapter}[part]()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
