"""The schedule explorer (docs/explorer.md) in a real Chromium.

- ``window.annealing.evaluate`` (docs/javascripts/annealing/schedules.js) agrees with the Python
  schedules at sampled (configuration, step) pairs, every family and combinator, nested;
- the redraw of 10,000 points is timed and printed (a goal, not an assertion);
- the controls work from the keyboard, the table of values appears on demand, the URL holds the
  state, and screenshots at desktop and phone widths are saved to ``artifacts/``.

Chromium and Playwright are optional locally (the tests skip with the reason) and required in CI.
"""

from __future__ import annotations

import functools
import http.server
import json
import math
import os
import random
import shutil
import socketserver
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import annealing as an

ROOT = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> Any:
    """Skip locally, fail in CI (as tests/conftest.py, without importing it by name)."""
    if CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "artifacts"
JS = ROOT / "docs" / "javascripts" / "annealing"
TOLERANCE = 1e-12  # of the peak value of each configuration
MIN_PAIRS = 1000

# ----------------------------------------------------------------------------- sampled configs


def _value(rng: random.Random) -> float:
    """A learning-rate-like value: round numbers and arbitrary doubles."""
    return rng.choice([1.0, 0.1, 0.5, 3e-4, 1e-3, 2.0, rng.uniform(1e-4, 2.0), rng.random()])


def _length(rng: random.Random) -> float:
    return rng.choice([1, 7, 10, 30, 100, 250, 1000, rng.randint(2, 400), rng.uniform(1.0, 300.0)])


def _finite(rng: random.Random, depth: int) -> an.Schedule:  # noqa: C901 - one branch per family
    """A schedule with a finite length, possibly nested."""
    kind = rng.choice(
        ["Cosine", "Linear", "Polynomial", "ExpEnd", "Constant", "MultiStep", "Piecewise", "Tanh", "Rise"]
        + ["OneCycle", "WSD", "Warmup", "Sequence", "Restarts", "Scale", "Warp"] * (depth > 0)
    )
    a, b, n = _value(rng), _value(rng) * rng.choice([0.0, 0.01, 0.1, 1.0]), _length(rng)
    if kind == "Cosine":
        return an.Cosine(a, b, n, exponent=rng.choice([1.0, 1.0, 2.0, 0.5, rng.uniform(0.2, 4)]))
    if kind == "Linear":
        return an.Linear(a, b, n)
    if kind == "Polynomial":
        return an.Polynomial(a, b, n, power=rng.choice([1.0, 2.0, 0.5, rng.uniform(0.2, 4)]))
    if kind == "ExpEnd":
        every = rng.choice([1, 3, n / 4])
        return an.Exponential(a, end=max(b, 1e-6), steps=n, every=every, staircase=rng.random() < 0.4)
    if kind == "Constant":
        return an.Constant(a, steps=n)
    if kind == "Tanh":
        return an.Tanh(a, b, n, lower=rng.choice([-7.0, -3.0]), upper=rng.choice([3.0, 5.0]))
    if kind == "Warp":
        return an.Warp(_finite(rng, depth - 1), power=rng.choice([1.0, 2.0, 0.5, rng.uniform(0.3, 3)]))
    if kind == "MultiStep":
        marks = sorted(rng.choice([rng.randint(0, 200), 50, 50]) for _ in range(rng.randint(1, 4)))
        return an.MultiStep(a, marks, factor=rng.choice([0.1, 0.5, rng.random()]))
    if kind == "Piecewise":
        xs = sorted({0, *(rng.choice([rng.randint(1, 300), rng.uniform(0, 300)]) for _ in range(3))})
        return an.Piecewise(
            tuple((x, _value(rng)) for x in xs),
            interpolation=rng.choice(["constant", "linear", "cosine"]),
            side=rng.choice(["left", "right"]),
        )
    if kind == "OneCycle":
        three = rng.random() < 0.4
        return an.OneCycle(
            a,
            n * 10,
            pct_start=rng.choice([0.3, 0.25, rng.uniform(0.05, 0.45)]),
            div=rng.choice([25.0, 10.0]),
            final_div=rng.choice([1e4, 100.0]),
            shape=rng.choice(["cosine", "linear"]),
            three_phase=three,
        )
    if kind == "WSD":
        return an.WSD(
            a,
            warmup=rng.choice([0, 10, n]),
            stable=rng.choice([0, 50, n]),
            decay=rng.choice([20, n]),
            start=rng.choice([0.0, b]),
            end=rng.choice([0.0, b]),
            decay_shape=rng.choice(["linear", "cosine", "1-sqrt"]),
            warmup_shape=rng.choice(["linear", "cosine", "1-sqrt"]),
        )
    if kind == "Rise":  # start < end: the rising transitions
        return rng.choice([an.Cosine, an.Polynomial])(b, a, n, rng.choice([1.0, 2.0, 0.5]))
    return _combinator(kind, rng, depth, finite=True)


def _endless(rng: random.Random, depth: int) -> an.Schedule:
    kind = rng.choice(
        ["ExpRate", "Step", "InverseSqrt", "Cyclic", "Constant", "InverseTime", "PolyCycles"]
        + ["Warmup", "Restarts", "Sequence", "Scale", "Offset"] * (depth > 0)
    )
    a = _value(rng)
    if kind == "ExpRate":
        if rng.random() < 0.2:
            return an.Exponential(a, rate=1.01, every=rng.choice([1, 5]), end=a * 3)
        return an.Exponential(
            a,
            rate=rng.choice([0.5, 0.9, 0.99, rng.uniform(0.5, 1.0)]),
            every=rng.choice([1, 10, 2.5]),
            staircase=rng.random() < 0.4,
            end=rng.choice([None, a / 100]),
        )
    if kind == "Step":
        return an.Step(a, every=rng.choice([30, 7, 2.5]), factor=rng.choice([0.1, 0.5, 0.0]))
    if kind == "InverseSqrt":
        return an.InverseSqrt(a, timescale=rng.choice([100, 10, 4000, rng.uniform(1, 50)]))
    if kind == "Cyclic":
        return an.Cyclic(
            a / 10,
            a,
            up=rng.choice([10, 25, 7.5]),
            down=rng.choice([None, 15]),
            mode=rng.choice(["triangular", "triangular2", "exp_range"]),
            gamma=rng.choice([1.0, 0.99, 0.999]),
        )
    if kind == "Constant":
        return an.Constant(a)
    if kind == "InverseTime":
        return an.InverseTime(a, rate=rng.choice([0.5, 0.01]), every=rng.choice([1, 10]), staircase=rng.random() < 0.4)
    if kind == "PolyCycles":
        return an.PolynomialCycles(a, a / 100, every=rng.choice([10, 37.5]), power=rng.choice([1.0, 2.0]))
    if kind == "Offset":
        return an.Offset(_endless(rng, depth - 1), offset=rng.choice([0, 5, 12.5]))
    return _combinator(kind, rng, depth, finite=False)


def _combinator(kind: str, rng: random.Random, depth: int, *, finite: bool) -> an.Schedule:
    inner: Callable[[random.Random, int], an.Schedule] = _finite if finite else _endless
    if kind == "Warmup":
        body = inner(rng, depth - 1)
        shape = rng.choice(["linear", "cosine", "exponential"])
        if shape == "exponential" and body(0) > 0:
            return an.Warmup(body, warmup=rng.choice([10, 5, 2.5]), start=body(0) / 100, shape=shape)
        return an.Warmup(body, warmup=rng.choice([10, 100, 2.5]), start=rng.choice([0.0, 1e-4]))
    if kind == "Sequence":
        parts = [_finite(rng, depth - 1) for _ in range(rng.randint(1, 2))]
        parts.append(inner(rng, depth - 1))
        if rng.random() < 0.3:
            bounds = sorted(rng.sample(range(1, 500), len(parts) - 1))
            return an.Sequence(tuple(parts), boundaries=tuple(bounds))
        return an.Sequence(tuple(parts))
    if kind == "Scale":
        body = inner(rng, depth - 1)
        factor: Any = rng.choice([0.5, 10.0, rng.random()])
        if rng.random() < 0.4:
            factor = _finite(rng, depth - 1) if finite else _endless(rng, depth - 1)
        return an.Scale(body, factor)
    # Restarts: SGDR and friends
    cycle = (
        an.Cosine(_value(rng), rng.choice([0.0, 1e-4]), rng.choice([1, 10, 7, 50, 2.5]))
        if rng.random() < 0.6
        else _finite(rng, depth - 1)
    )
    return an.Restarts(
        cycle,
        mult=rng.choice([1, 2, 3, 1.5, 1.1, 1.25, rng.choice([1, 2]), round(rng.uniform(1, 3), 3)]),
        peak_decay=rng.choice([1.0, 0.5, 0.9]),
        floor_decay=rng.choice([1.0, 1.0, 0.5]),
        decay_mode=rng.choice(["peak", "amplitude"]),
        limit=rng.choice([None, 1, 3, 5]) if not finite else rng.choice([1, 2, 4]),
        warmup=rng.choice([0, 0, 5, 2.5]),
    )


def _steps_for(schedule: an.Schedule, rng: random.Random, count: int) -> list[float]:
    """Steps where a port typically breaks: 0, the ends, restarts and boundaries, and between."""
    horizon = float(schedule.steps) if schedule.steps is not None else rng.choice([100.0, 1000.0])
    special = [0.0, horizon, horizon / 2, horizon * 1.25]
    if isinstance(schedule, an.Restarts):
        for k in range(1, 6):
            try:
                b = float(schedule.cycle_start(k))
            except (OverflowError, ValueError):
                break
            special += [b, b - 1, b + 1, b - 0.5, math.nextafter(b, 0.0)]
    steps = [s for s in special if s >= 0]
    while len(steps) < count:
        steps.append(
            rng.choice([float(rng.randint(0, int(horizon * 1.3) + 1)), rng.uniform(0, horizon * 1.3)])
        )
    return steps[:count]


def sample_pairs(rng: random.Random, configs: int = 90, per_config: int = 14) -> list[dict[str, Any]]:
    """Configurations (``to_dict()``), their steps, and the Python values at those steps."""
    cases: list[dict[str, Any]] = []
    # every family and combinator at least once, then random nestings
    makers: list[Callable[[], an.Schedule]] = [
        lambda: an.Cosine(0.1, 0.0, 100),
        lambda: an.Cosine(1.0, 0.01, 90, exponent=2.0),
        lambda: an.Linear(1.0, 0.0, 10),
        lambda: an.Polynomial(1.0, 1e-4, 100, power=2.0),
        lambda: an.Exponential(1.0, end=0.01, steps=100),
        lambda: an.Exponential(1.0, rate=0.5, every=10, staircase=True),
        lambda: an.Constant(0.3),
        lambda: an.Step(1.0, every=30),
        lambda: an.MultiStep(1.0, (30, 80, 80), factor=0.5),
        lambda: an.InverseSqrt(1.0, 100),
        lambda: an.Piecewise(((0, 1.0), (10, 0.5), (20, 0.1)), side="right"),
        lambda: an.Piecewise(((0, 1.0), (10, 0.0)), interpolation="cosine"),
        lambda: an.OneCycle(1.0, 100, three_phase=True, pct_start=0.25),
        lambda: an.Cyclic(0.1, 1.0, up=10, mode="triangular2"),
        lambda: an.WSD(1.0, 10, 80, 10, decay_shape="1-sqrt"),
        lambda: an.Warmup(an.Cosine(1.0, 0.0, 90), 10),
        lambda: an.Sequence((an.Linear(0.0, 1.0, 10), an.Constant(1.0, 10), an.Linear(1.0, 0.0, 10))),
        lambda: an.Scale(an.Cosine(1.0, 0.0, 10), an.Linear(1.0, 0.0, 10)),
        lambda: an.SGDR(eta_max=0.1, T_0=1, T_mult=3),
        lambda: an.SGDR(eta_max=0.1, T_0=10, T_mult=1.1, eta_min=1e-3),
        lambda: an.Restarts(an.Cosine(1.0, 0.1, 10), mult=2, peak_decay=0.5, limit=4, warmup=3),
        lambda: an.Warmup(an.Restarts(an.Warmup(an.Cosine(1.0, 0.0, 20), 5), mult=1.5), 50),
        lambda: an.Restarts(an.Warp(an.Tanh(1.0, 0.1, 20), 2.0), mult=2, peak_decay=0.5, limit=4),
        lambda: an.InverseTime(1.0, rate=0.5, every=10, staircase=True),
        lambda: an.PolynomialCycles(1.0, 0.0, every=10, power=2.0),
        lambda: an.Sequence((an.Linear(0.0, 1.0, 5), an.Offset(an.Cosine(1.0, 0.0, 50), 5)), (5,)),
        lambda: an.WSD(1.0, 10, 0, 30, start=0.01, warmup_shape="1-sqrt", decay_shape="cosine"),
        lambda: an.Polynomial(0.001, 1.0, 100, power=3.0),
    ]
    for i in range(configs):
        schedule = makers[i]() if i < len(makers) else rng.choice([_finite, _endless])(rng, 3)
        steps = _steps_for(schedule, rng, per_config)
        values = [float(schedule(t)) for t in steps]
        cases.append({"config": schedule.to_dict(), "steps": steps, "values": values})
    return cases


# ----------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        missing(f"playwright is not importable ({error}); it is in the dev extra")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
