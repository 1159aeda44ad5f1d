"""annealing.compat.keras against Keras 3's schedules on the JAX backend, in float64.

Keras computes in the dtype of ``initial_learning_rate``, so the rates are passed as numpy
float64 scalars (a Python float becomes float32), ``floatx`` is float64 (some ``keras.ops``
compute in it) and JAX runs with ``jax_enable_x64``. The
schedules are evaluated with ``jax.vmap`` over the steps: traced, as in ``optimizer.apply``,
and the only vectorised way through ``CosineDecay``'s warmup (an ``ops.cond``).

Keras's cosine is float32 whatever the dtype: ``keras.ops.cos`` casts its argument to
``result_type(x.dtype, float)``, which is float32 for a float64 ``x`` (Keras 3.15 on JAX), so
``CosineDecay`` and ``CosineDecayRestarts`` carry float32 rounding: they are compared within
``COS32`` = 3e-7 of the peak (the argument rounded to float32, about 1.9e-7 near π, times
the half-amplitude, plus float32's rounding of the cosine). All other Keras schedules are
float64 and compared within 1e-12 of the peak.

One Keras deviation is allowed for: ``CosineDecayRestarts`` finds the cycle with
``floor(log(…)/log(t_mul))``, which can land one cycle short at an exact restart; there
Keras gives the end of the previous cycle (the floor). Those steps are exempt from the
comparison, and checked to be exact restarts where Keras shows the floor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import keras as kx

from ._check import CONFIGS, check, rng_for

pytestmark = pytest.mark.peer

GRID = 1024
COS32 = 3e-7  # Keras computes its cosine in float32


@pytest.fixture
def schedules(x64: Any) -> Iterator[Any]:
    keras = require("keras")
    if keras.backend.backend() != "jax":
        pytest.skip(f"these comparisons run on the JAX backend, got {keras.backend.backend()}")
    floatx = keras.config.floatx()
    keras.config.set_floatx("float64")  # some keras.ops (cos) compute in floatx
    try:
        yield keras.optimizers.schedules
    finally:
        keras.config.set_floatx(floatx)


def values(schedule: Any) -> np.ndarray:
    jax = require("jax")
    out = np.asarray(jax.vmap(schedule)(jax.numpy.arange(GRID)))
    assert out.dtype == np.float64, out.dtype
    return out


def f64(x: float) -> Any:
    return np.float64(x)


def lr_of(rng: np.random.Generator) -> float:
    return float(10 ** rng.uniform(-4, 0))


def T_of(rng: np.random.Generator, low: int = 1, high: int = 300) -> int:
    return int(rng.integers(low, high + 1))


def compare(name: str, ours: Any, theirs: Any, steps: int, config: Any, tol: float = 1e-12) -> None:
    assert steps <= GRID, (name, steps)
    check(f"keras.{name}", ours(np.arange(GRID)), values(theirs), config=config, tol=tol)


def test_cosine_decay(schedules: Any) -> None:
    rng = rng_for("keras.CosineDecay")
    for _ in range(CONFIGS):
        a, D, alpha = lr_of(rng), T_of(rng), float(rng.choice([0.0, rng.uniform(0, 1)]))
        warm = rng.random() < 0.6
        target = lr_of(rng) if warm else None
        W = int(rng.integers(0, 100)) if warm else 0
        config = (a, D, alpha, target, W)
        theirs = schedules.CosineDecay(
            f64(a), D, alpha, warmup_target=None if target is None else f64(target), warmup_steps=W
        )
        compare(
            "CosineDecay",
            kx.CosineDecay(a, D, alpha, warmup_target=target, warmup_steps=W),
            theirs,
            2 * (D + W) + 1,
            config,
            tol=COS32,
        )


def test_cosine_decay_restarts(schedules: Any) -> None:
    rng = rng_for("keras.CosineDecayRestarts")
    for _ in range(CONFIGS):
        a, T0 = lr_of(rng), T_of(rng, 1, 60)
        t_mul = float(rng.choice([1.0, 2.0, 3.0, round(float(rng.uniform(1, 3)), 2)]))
        m_mul = float(rng.choice([1.0, rng.uniform(0.2, 1)]))
        alpha = float(rng.choice([0.0, rng.uniform(0, 0.5)]))
        ours = kx.CosineDecayRestarts(a, T0, t_mul, m_mul, alpha)
        theirs = schedules.CosineDecayRestarts(f64(a), T0, t_mul, m_mul, alpha)
        t = np.arange(GRID)
        mine, peer = ours(t), values(theirs)
        restarts = np.zeros(GRID, dtype=bool)
        k = 1
        while ours.cycle_start(k) < GRID:
            start = ours.cycle_start(k)
            if float(start).is_integer():
                restarts[int(start)] = True
            k += 1
        far = np.abs(mine - peer) > 1e-3 * np.max(peer)
        exempt = restarts & far
        # at a misplaced restart, Keras shows the floor of the cycle before
        floor = a * alpha
        assert np.allclose(peer[exempt], floor, rtol=COS32, atol=COS32 * a), (a, T0, t_mul)
        check(
            "keras.CosineDecayRestarts",
            mine,
            peer,
            config=(a, T0, t_mul, m_mul, alpha),
            exempt=exempt,
            tol=COS32,
        )
        assert not far[~restarts].any(), (a, T0, t_mul)


def test_exponential_and_inverse_time_decay(schedules: Any) -> None:
    rng = rng_for("keras.ExponentialDecay")
    for _ in range(CONFIGS):
        a, D, rate = lr_of(rng), T_of(rng, 1, 200), float(rng.uniform(0.05, 1.0))
        staircase = bool(rng.random() < 0.5)
        config = (a, D, rate, staircase)
        compare(
            "ExponentialDecay",
            kx.ExponentialDecay(a, D, rate, staircase),
            schedules.ExponentialDecay(f64(a), D, rate, staircase),
            2 * D + 1,
            config,
        )
        rate = float(rng.uniform(0.0, 5.0))
        compare(
            "InverseTimeDecay",
            kx.InverseTimeDecay(a, D, rate, staircase),
            schedules.InverseTimeDecay(f64(a), D, rate, staircase),
            2 * D + 1,
            (a, D, rate, staircase),
        )


def test_polynomial_decay(schedules: Any) -> None:
    rng = rng_for("keras.PolynomialDecay")
    for _ in range(CONFIGS):
        a, D = lr_of(rng), T_of(rng, 1, 200)
        end = a * float(rng.choice([0.0, rng.uniform(0, 1)]))
        power, cycle = float(rng.choice([1.0, rng.uniform(0.5, 3)])), bool(rng.random() < 0.5)
        config = (a, D, end, power, cycle)
        # Keras rounds 1 - t/D like optax; a power < 1 raises that rounding (see optax tests)
        slack = abs(a - end) * 2.3e-16 ** min(power, 1.0)
        check(
            "keras.PolynomialDecay(cycle)" if cycle else "keras.PolynomialDecay",
            kx.PolynomialDecay(a, D, end, power, cycle)(np.arange(GRID)),
            values(schedules.PolynomialDecay(f64(a), D, f64(end), power, cycle)),
            config=config,
            slack=slack,
        )


def test_piecewise_constant_decay(schedules: Any) -> None:
    rng = rng_for("keras.PiecewiseConstantDecay")
    for _ in range(CONFIGS):
        n = int(rng.integers(1, 6))
        bounds = sorted(int(b) for b in rng.choice(np.arange(1, 400), size=n, replace=False))
        vals = [lr_of(rng) for _ in range(n + 1)]
        compare(
            "PiecewiseConstantDecay",
            kx.PiecewiseConstantDecay(bounds, vals),
            schedules.PiecewiseConstantDecay(bounds, [f64(v) for v in vals]),
            2 * bounds[-1] + 1,
            (bounds, vals),
        )


# -- the pinned conventions of peer-schedulers.md (b) ---------------------------------------


def test_pinned_keras_counts_decay_steps_after_the_warmup(schedules: Any) -> None:
    theirs = schedules.CosineDecay(f64(0.0), 100, 0.1, warmup_target=f64(1.0), warmup_steps=10)
    ours = kx.CosineDecay(0.0, 100, 0.1, warmup_target=1.0, warmup_steps=10)
    for t, value in ((10, 1.0), (60, 0.55), (110, 0.1), (200, 0.1)):
        assert round(ours(t), 12) == value
        assert float(theirs(t)) == pytest.approx(value, rel=COS32)
    # optax(decay_steps = D) is Keras(decay_steps = D - W)
    from annealing.compat import optax as ox

    same = ox.warmup_cosine_decay_schedule(0.0, 1.0, 10, 110, end_value=0.1)
    assert np.allclose(same(np.arange(300)), ours(np.arange(300)), rtol=1e-14, atol=0)


def test_pinned_restarts_m_mul_decays_the_height_not_the_floor(schedules: Any) -> None:
    theirs = schedules.CosineDecayRestarts(f64(1.0), 10, t_mul=2.0, m_mul=0.5, alpha=0.1)
    ours = kx.CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5, alpha=0.1)
    assert round(ours(10), 12) == 0.55  # timm would give 0.5
    assert float(theirs(10)) == pytest.approx(0.55, rel=COS32)
    plain = schedules.CosineDecayRestarts(f64(1.0), 10, t_mul=2.0, alpha=0.1)
    assert float(plain(10)) == kx.CosineDecayRestarts(1.0, 10, 2.0, alpha=0.1)(10) == 1.0
    assert float(plain(29)) == pytest.approx(0.105540246732, rel=COS32)
    assert round(kx.CosineDecayRestarts(1.0, 10, 2.0, alpha=0.1)(29), 12) == 0.105540246732


def test_pinned_piecewise_is_right_closed_and_polynomial_defaults(schedules: Any) -> None:
    theirs = schedules.PiecewiseConstantDecay([10], [f64(1.0), f64(0.5)])
    assert float(theirs(10)) == kx.PiecewiseConstantDecay([10], [1.0, 0.5])(10) == 1.0
    assert float(theirs(11)) == kx.PiecewiseConstantDecay([10], [1.0, 0.5])(11) == 0.5
    assert float(schedules.PolynomialDecay(f64(1.0), 10)(50)) == pytest.approx(1e-4)
    assert kx.PolynomialDecay(1.0, 10)(50) == 1e-4
    cyc = schedules.PolynomialDecay(f64(1.0), 10, f64(0.0), cycle=True)
    assert float(cyc(15)) == kx.PolynomialDecay(1.0, 10, 0.0, cycle=True)(15) == 0.25
