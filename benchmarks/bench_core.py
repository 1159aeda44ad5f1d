"""Core benchmarks: speed of a schedule call, vectorised evaluation, import time, precision.

Run with ``python3 tasks.py bench`` (or ``.venv/bin/python benchmarks/bench_core.py``).
Everything is measured side by side in one run and printed as tables; peers that are not
installed are reported as such. Goals (issue 2, §7):

* scalar warmup + cosine: >= 10x faster than PyTorch ``CosineAnnealingLR.step()``, within 2x
  of a hand-written Python function, >= 100x faster than an un-jitted optax schedule call;
* 10^7 steps as a numpy array: <= 1.5x the bare numpy expression;
* ``import annealing``: <= 1.3x ``import numpy``;
* precision near the floor: the peers' 1 + cos form against ours.
"""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import timeit
from collections.abc import Callable

import numpy as np

import annealing as an

W, T, PEAK, FLOOR = 100, 10_000, 0.1, 0.001


def per_call(fn: Callable[[], object], number: int, repeat: int = 7) -> float:
    """Best time of one call in seconds (min over `repeat` runs of `number` calls)."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def table(title: str, rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


def bench_scalar() -> None:
    schedule = an.Warmup(an.Cosine(start=PEAK, end=FLOOR, steps=T), warmup=W)
    half_pi = math.pi / 2

    def hand(t: float) -> float:  # the same formula, written by hand
        if t < W:
            return PEAK * t / W
        u = min(t - W, T)
        return FLOOR + (PEAK - FLOOR) * math.cos(half_pi * u / T) ** 2

    steps = [float(s) for s in range(0, W + T, 97)]
    n = len(steps)

    def ours() -> None:
        for s in steps:
            schedule(s)

    def handwritten() -> None:
        for s in steps:
            hand(s)

    rows: list[tuple[str, ...]] = []
    t_ours = per_call(ours, 200) / n
    t_hand = per_call(handwritten, 200) / n
    rows.append(("annealing Warmup(Cosine) (float step)", f"{t_ours * 1e9:.0f} ns", "1.0x"))
    rows.append(
        (
            "hand-written Python function",
            f"{t_hand * 1e9:.0f} ns",
            f"{t_ours / t_hand:.2f}x (goal <= 2x)",
        )
    )
    t_int = per_call(lambda: [schedule(i) for i in range(0, W + T, 97)], 200) / n
    rows.append(("annealing Warmup(Cosine) (int step)", f"{t_int * 1e9:.0f} ns", ""))
    try:
        import torch

        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=PEAK)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10**9, eta_min=FLOOR)

        def torch_step() -> None:
            opt.step()
            sched.step()

        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_torch = per_call(torch_step, 2000)
        rows.append(
            (
                "PyTorch CosineAnnealingLR: optimizer.step() + scheduler.step()",
                f"{t_torch * 1e9:.0f} ns",
                f"ours is {t_torch / t_ours:.1f}x faster (goal >= 10x)",
            )
        )
        t_sched = per_call(sched.step, 2000)
        rows.append(
            (
                "PyTorch CosineAnnealingLR: scheduler.step() alone",
                f"{t_sched * 1e9:.0f} ns",
                f"ours is {t_sched / t_ours:.1f}x faster",
            )
        )
    except ImportError:
        rows.append(("PyTorch", "not installed", ""))
    try:
        import optax

        fn = optax.warmup_cosine_decay_schedule(0.0, PEAK, W, W + T, end_value=FLOOR)
        fn(5)  # compile-free warm path
        t_optax = per_call(lambda: fn(5000), 200)
        rows.append(
            (
                "optax warmup_cosine_decay_schedule, un-jitted call",
                f"{t_optax * 1e9:.0f} ns",
                f"ours is {t_optax / t_ours:.0f}x faster (goal >= 100x)",
            )
        )
    except ImportError:
        rows.append(("optax", "not installed", ""))
    table("Scalar call, per step", rows, ("what", "time", "ratio"))


def bench_vector() -> None:
    steps = np.arange(10**7, dtype=np.float64)
    schedule = an.Cosine(start=PEAK, end=FLOOR, steps=10**7)

    def bare() -> np.ndarray:
        return FLOOR + 0.5 * (PEAK - FLOOR) * (1 + np.cos(np.pi * np.minimum(steps, 1e7) / 1e7))

    t_bare = per_call(bare, 1, repeat=5)
    t_ours = per_call(lambda: schedule(steps), 1, repeat=5)
    warm = an.Warmup(an.Cosine(start=PEAK, end=FLOOR, steps=10**7 - 10**5), warmup=10**5)
    t_warm = per_call(lambda: warm(steps), 1, repeat=3)
    table(
        "10^7 steps as one numpy array",
        [
            ("bare numpy 1 + cos expression", f"{t_bare * 1e3:.0f} ms", "1.00x"),
            (
                "annealing Cosine",
                f"{t_ours * 1e3:.0f} ms",
                f"{t_ours / t_bare:.2f}x (goal <= 1.5x)",
            ),
            ("annealing Warmup(Cosine)", f"{t_warm * 1e3:.0f} ms", f"{t_warm / t_bare:.2f}x"),
        ],
        ("what", "time", "ratio"),
    )


def bench_import() -> None:
    def import_time(module: str) -> float:
        code = (
            f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        )
        runs = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(15)
        ]
        return statistics.median(runs)

    t_np = import_time("numpy")
    t_an = import_time("annealing")
    t_both = import_time("annealing, numpy")
    heavy = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, annealing; heavy = ('numpy', 'torch', 'jax', 'keras', 'matplotlib'); "
            "print(sorted(m for m in heavy if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    table(
        "Import time (median of 15 fresh interpreters)",
        [
            ("import numpy", f"{t_np * 1e3:.1f} ms", "1.00x"),
            ("import annealing", f"{t_an * 1e3:.1f} ms", f"{t_an / t_np:.2f}x (goal <= 1.3x)"),
            (
                "import annealing, numpy (array use)",
                f"{t_both * 1e3:.1f} ms",
                f"{t_both / t_np:.2f}x",
            ),
            ("heavy modules imported by `import annealing`", heavy, ""),
        ],
        ("what", "time", "ratio"),
    )


def bench_precision() -> None:
    import mpmath

    mpmath.mp.dps = 50
    rows = []
    for big in (10**4, 10**6, 10**8):
        t = big - 1
        exact = mpmath.mpf(1) / 2 * (1 + mpmath.cos(mpmath.pi * t / big))
        peers = 0.5 * (1.0 + math.cos(math.pi * t / big))
        ours = an.Cosine(start=1.0, end=0.0, steps=big)(t)
        errors = [float(abs((mpmath.mpf(x) - exact) / exact)) for x in (peers, ours)]
        rows.append((f"T = {big:.0e}, step T-1, floor 0", *(f"{e:.1e}" for e in errors)))
    table(
        "Relative error near the floor (vs 50-digit mpmath)",
        rows,
        ("case", "peers' 1 + cos form", "annealing"),
    )


if __name__ == "__main__":
    print(f"annealing {an.__version__}, Python {sys.version.split()[0]}, numpy {np.__version__}")
    bench_scalar()
    bench_vector()
    bench_import()
    bench_precision()
