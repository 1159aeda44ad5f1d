"""annealing.compat.optax against the real optax schedules (float64: jax_enable_x64).

One rounding of optax is allowed for: on arrays (and under ``jit``) XLA computes
``count / transition_steps`` as ``count * (1 / transition_steps)``, so optax's
``1 - count / T`` is not exactly 0 at ``count = T`` but about 1e-16; a polynomial power
``p < 1`` raises that to ``1e-16**p`` (6e-11 for p = 0.63). The polynomial comparisons
allow ``|init − end| · (2.3e-16)**p`` on top of 1e-12 of the peak.

The same rewrite makes ``floor(count / T)`` one short at some exact multiples of ``T``, so
under ``jit`` (the path of a training step) optax's staircase ``exponential_decay`` drops one
step late there (``jax.jit(lambda c: c / 98)(98)`` is 0.9999999999999999). Those steps are
exempt from the comparison and checked to hold the previous stair instead; here the stairs
fall exactly on the multiples.

optax is evaluated with ``jax.vmap`` over the steps, i.e. traced as a scalar count, as in an
optimizer update (``piecewise_interpolate_schedule`` only accepts a scalar count).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import optax as ox

from ._check import CONFIGS, check, rng_for

pytestmark = pytest.mark.peer


GRID = 1024  # every configuration is compared on steps 0..1023 (>= twice its horizon)


def values(schedule: Any) -> np.ndarray:
    """optax's values on the grid; one array shape for all, so JAX compiles each op once."""
    jax = require("jax")
    out = np.asarray(jax.vmap(schedule)(jax.numpy.arange(GRID)))
    assert out.dtype == np.float64 or out.ndim == 0
    return np.broadcast_to(out.astype(np.float64), (GRID,))


def compare(
    name: str,
    ours: Any,
    theirs: Any,
    steps: int,
    config: Any,
    slack: float = 0.0,
    late_stairs: tuple[float, float] | None = None,
) -> None:
    """Compare on the grid; `late_stairs` = (begin, every) of a staircase optax may drop late."""
    assert steps <= GRID, (name, steps)
    t = np.arange(GRID)
    mine, peer = ours(t), values(theirs)
    exempt = None
    if late_stairs is not None:
        begin, every = late_stairs
        far = np.abs(mine - peer) > 1e-12 * np.max(np.abs(peer))
        exempt = (t > begin) & ((t - begin) % every == 0) & far
        # where optax is late, it still holds the previous stair
        late = np.flatnonzero(exempt)
        assert np.allclose(peer[late], mine[late - 1], rtol=1e-12, atol=0), (name, config)
    check(f"optax.{name}", mine, peer, config=config, slack=slack, exempt=exempt)


def power_slack(a: float, b: float, power: float) -> float:
    """optax's rounding of 1 - count/T (one ulp of 1), raised to a power below 1."""
    return abs(a - b) * 2.3e-16 ** min(power, 1.0)


def lr_of(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, 0))


def T_of(rng: np.random.Generator, low: int = 1, high: int = 300) -> int:
    return int(rng.integers(low, high + 1))


def test_constant_linear_polynomial(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.polynomial")
    for _ in range(CONFIGS):
        a, b, T, begin = lr_of(rng), lr_of(rng), T_of(rng), int(rng.integers(0, 50))
        power = float(rng.uniform(0.2, 4))
        n = 2 * (T + begin) + 1
        compare("constant_schedule", ox.constant_schedule(a), optax.constant_schedule(a), n, a)
        compare(
            "linear_schedule",
            ox.linear_schedule(a, b, T, begin),
            optax.linear_schedule(a, b, T, begin),
            n,
            (a, b, T, begin),
        )
        compare(
            "polynomial_schedule",
            ox.polynomial_schedule(a, b, power, T, begin),
            optax.polynomial_schedule(a, b, power, T, begin),
            n,
            (a, b, power, T, begin),
            slack=power_slack(a, b, power),
        )


def test_exponential_decay(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.exponential_decay")
    for _ in range(CONFIGS):
        a, T, begin = lr_of(rng), T_of(rng, 1, 100), int(rng.integers(0, 50))
        staircase = bool(rng.random() < 0.5)
        if rng.random() < 0.25:  # growth, bounded above
            rate, end = float(rng.uniform(1.0, 2.0)), a * float(rng.uniform(1, 10))
        else:
            rate = float(rng.uniform(0.05, 1.0))
            end = None if rng.random() < 0.5 else a * float(rng.uniform(0, 1))
        config = (a, T, rate, begin, staircase, end)
        compare(
            "exponential_decay",
            ox.exponential_decay(a, T, rate, begin, staircase, end),
            optax.exponential_decay(a, T, rate, begin, staircase, end),
            2 * (T + begin) + 1,
            config,
            late_stairs=(begin, T) if staircase else None,
        )


def test_cosine_decay_schedule(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.cosine_decay_schedule")
    for _ in range(CONFIGS):
        a, T = lr_of(rng), T_of(rng)
        alpha = float(rng.choice([0.0, rng.uniform(0, 1)]))
        exponent = float(rng.choice([1.0, rng.uniform(0.3, 3)]))
        compare(
            "cosine_decay_schedule",
            ox.cosine_decay_schedule(a, T, alpha, exponent),
            optax.cosine_decay_schedule(a, T, alpha, exponent),
            2 * T + 1,
            (a, T, alpha, exponent),
        )


def warmup_cosine_kwargs(rng: np.random.Generator, high: int = 200) -> dict[str, Any]:
    peak = lr_of(rng)
    W = int(rng.integers(0, 60))
    return {
        "init_value": peak * float(rng.choice([0.0, rng.uniform(0, 1)])),
        "peak_value": peak,
        "warmup_steps": W,
        "decay_steps": W + T_of(rng, 1, high),
        "end_value": peak * float(rng.choice([0.0, rng.uniform(0, 1)])),
        "exponent": float(rng.choice([1.0, rng.uniform(0.5, 2)])),
    }


def test_warmup_cosine_decay_schedule(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.warmup_cosine_decay_schedule")
    for _ in range(CONFIGS):
        kw = warmup_cosine_kwargs(rng)
        compare(
            "warmup_cosine_decay_schedule",
            ox.warmup_cosine_decay_schedule(**kw),
            optax.warmup_cosine_decay_schedule(**kw),
            2 * kw["decay_steps"] + 1,
            kw,
        )


def test_warmup_exponential_decay_schedule(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.warmup_exponential_decay_schedule")
    for _ in range(CONFIGS):
        peak, W, T = lr_of(rng), int(rng.integers(0, 60)), T_of(rng, 1, 100)
        kw = {
            "init_value": peak * float(rng.uniform(0, 1)),
            "peak_value": peak,
            "warmup_steps": W,
            "transition_steps": T,
            "decay_rate": float(rng.uniform(0.05, 1)),
            "transition_begin": int(rng.integers(0, 30)),
            "staircase": bool(rng.random() < 0.5),
            "end_value": None if rng.random() < 0.5 else peak * float(rng.uniform(0, 1)),
        }
        compare(
            "warmup_exponential_decay_schedule",
            ox.warmup_exponential_decay_schedule(**kw),
            optax.warmup_exponential_decay_schedule(**kw),
            2 * (W + T + kw["transition_begin"]) + 1,
            kw,
            late_stairs=(W + kw["transition_begin"], T) if kw["staircase"] else None,
        )


def test_sgdr_schedule(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.sgdr_schedule")
    for _ in range(CONFIGS):
        cycles = [warmup_cosine_kwargs(rng, 100) for _ in range(int(rng.integers(1, 4)))]
        total = sum(c["decay_steps"] for c in cycles)
        compare(
            "sgdr_schedule",
            ox.sgdr_schedule(cycles),
            optax.sgdr_schedule(cycles),
            2 * total + 1,
            cycles,
        )


def boundaries_and_scales(rng: np.random.Generator) -> dict[int, float]:
    keys = rng.choice(np.arange(0, 300), size=int(rng.integers(1, 6)), replace=False)
    return {int(k): float(rng.uniform(0, 3)) for k in keys}


def test_piecewise_constant_schedule(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.piecewise_constant_schedule")
    for _ in range(CONFIGS):
        a, bs = lr_of(rng), boundaries_and_scales(rng)
        compare(
            "piecewise_constant_schedule",
            ox.piecewise_constant_schedule(a, bs),
            optax.piecewise_constant_schedule(a, bs),
            2 * max(bs) + 2,
            (a, bs),
        )


@pytest.mark.parametrize("kind", ["linear", "cosine"])
def test_piecewise_interpolate_schedule(x64: Any, kind: str) -> None:
    optax = require("optax")
    rng = rng_for(f"optax.piecewise_interpolate_schedule.{kind}")
    for _ in range(CONFIGS):
        a, bs = lr_of(rng), boundaries_and_scales(rng)
        compare(
            f"piecewise_interpolate_schedule({kind})",
            ox.piecewise_interpolate_schedule(kind, a, bs),
            optax.piecewise_interpolate_schedule(kind, a, bs),
            2 * max(bs) + 2,
            (a, bs),
        )


def test_onecycle_schedules(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.onecycle")
    for _ in range(CONFIGS):
        T, peak = T_of(rng, 4, 400), lr_of(rng)
        pct, final_pct = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.55, 0.95))
        div, final = float(rng.uniform(2, 50)), float(rng.uniform(10, 1e5))
        config = (T, peak, pct, final_pct, div, final)
        compare(
            "cosine_onecycle_schedule",
            ox.cosine_onecycle_schedule(T, peak, pct, div, final),
            optax.cosine_onecycle_schedule(T, peak, pct, div, final),
            2 * T + 1,
            config,
        )
        compare(
            "linear_onecycle_schedule",
            ox.linear_onecycle_schedule(T, peak, pct, final_pct, div, final),
            optax.linear_onecycle_schedule(T, peak, pct, final_pct, div, final),
            2 * T + 1,
            config,
        )


def test_join_schedules(x64: Any) -> None:
    optax = require("optax")
    rng = rng_for("optax.join_schedules")
    for _ in range(CONFIGS):
        parts, ours, lengths = [], [], []
        for _ in range(int(rng.integers(2, 5))):
            a, b, T = lr_of(rng), lr_of(rng), T_of(rng, 1, 100)
            if rng.random() < 0.5:
                parts.append(optax.cosine_decay_schedule(a, T, b / a))
                ours.append(ox.cosine_decay_schedule(a, T, b / a))
            else:
                parts.append(optax.linear_schedule(a, b, T))
                ours.append(ox.linear_schedule(a, b, T))
            lengths.append(T)
        bounds = [int(x) for x in np.cumsum(lengths[:-1])]
        compare(
            "join_schedules",
            ox.join_schedules(ours, bounds),
            optax.join_schedules(parts, bounds),
            2 * sum(lengths) + 1,
            bounds,
        )


# -- the pinned conventions of peer-schedulers.md (b) ---------------------------------------


def test_pinned_optax_counts_the_warmup_in_decay_steps(x64: Any) -> None:
    optax = require("optax")
    theirs = optax.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100, end_value=0.1)
    ours = ox.warmup_cosine_decay_schedule(0.0, 1.0, 10, 100, end_value=0.1)
    for t, value in ((10, 1.0), (55, 0.55), (100, 0.1), (150, 0.1)):
        assert round(float(theirs(t)), 12) == round(ours(t), 12) == value


def test_pinned_cosine_clamps_and_boundaries_are_left_closed(x64: Any) -> None:
    optax = require("optax")
    theirs = optax.cosine_decay_schedule(1.0, 10, alpha=0.1)
    ours = ox.cosine_decay_schedule(1.0, 10, alpha=0.1)
    for t, value in ((0, 1.0), (5, 0.55), (9, 0.122024567667), (10, 0.1), (15, 0.1)):
        assert round(float(theirs(t)), 12) == round(ours(t), 12) == value
    step = optax.piecewise_constant_schedule(1.0, {10: 0.5})
    assert float(step(10)) == ox.piecewise_constant_schedule(1.0, {10: 0.5})(10) == 0.5


def test_pinned_optax_staircase_is_late_under_jit_but_exact_here(x64: Any) -> None:
    optax = require("optax")
    jax = require("jax")
    theirs = optax.exponential_decay(1.0, 98, 0.5, staircase=True)
    assert float(theirs(98)) == 0.5  # a Python int: exact division
    assert float(jax.jit(theirs)(98)) == 1.0  # traced: count * (1/98) < 1, one step late
    assert ox.exponential_decay(1.0, 98, 0.5, staircase=True)(98) == 0.5


def test_pinned_onecycle_peak_at_int_pct_t_and_minimum_at_t(x64: Any) -> None:
    optax = require("optax")
    theirs = optax.cosine_onecycle_schedule(100, 1.0)
    ours = ox.cosine_onecycle_schedule(100, 1.0)
    assert float(theirs(30)) == ours(30) == 1.0  # PyTorch: step 29
    assert float(theirs(100)) == pytest.approx(ours(100), rel=1e-15)
    assert ours(100) == pytest.approx(1.0 / 2.5e5, rel=1e-12)
