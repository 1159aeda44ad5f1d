"""annealing.compat on JAX's default 32-bit counts, against optax in the same mode.

With ``jax_enable_x64`` off (JAX's default) a count is a ``jnp.int32`` and a Python int
beyond int32 cannot meet it. optax casts its own ``decay_steps`` to float for that reason;
compat stores every step parameter as a float, so each schedule takes int32 counts up to
``2**31 − 1`` (and float32 counts), plain and under ``jax.jit``, and agrees with optax there
within float32 precision (``F32`` of the peak).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from support import require

from annealing.compat import keras as kx
from annealing.compat import optax as ox
from annealing.compat import timm as tm
from annealing.compat import torch as pt
from annealing.compat import transformers as hf

pytestmark = pytest.mark.peer

F32 = 4e-7  # float32: about three ulps of the peak
BIG = 2**31 - 1
COUNTS = [0, 1, 2, 1000, 10**6, 10**9, 2**30, BIG - 1, BIG]


@pytest.fixture
def x32() -> Iterator[Any]:
    jax = require("jax")
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", False)
    try:
        yield jax
    finally:
        jax.config.update("jax_enable_x64", previous)


#: (optax function, arguments): step parameters near and beyond int32 where optax takes them
OPTAX = [
    ("cosine_decay_schedule", dict(init_value=1000.0, decay_steps=int(1e10))),
    ("cosine_decay_schedule", dict(init_value=1.0, decay_steps=BIG, alpha=0.1, exponent=2.0)),
    (
        "linear_schedule",
        dict(init_value=1.0, end_value=0.1, transition_steps=BIG - 10**9, transition_begin=10**9),
    ),
    (
        "polynomial_schedule",
        dict(
            init_value=1.0,
            end_value=0.1,
            power=2.0,
            transition_steps=2 * 10**9,
            transition_begin=10**8,
        ),
    ),
    (
        "exponential_decay",
        dict(
            init_value=1.0,
            transition_steps=10**9,
            decay_rate=0.5,
            transition_begin=10**8,
            staircase=True,
        ),
    ),
    (
        "exponential_decay",
        dict(init_value=1.0, transition_steps=10**8, decay_rate=0.5, end_value=0.01),
    ),
    ("warmup_constant_schedule", dict(init_value=0.0, peak_value=1.0, warmup_steps=2 * 10**9)),
    (
        "warmup_cosine_decay_schedule",
        dict(
            init_value=0.0, peak_value=1.0, warmup_steps=10**9, decay_steps=int(1e10), end_value=0.1
        ),
    ),
    (
        "warmup_exponential_decay_schedule",
        dict(
            init_value=0.0,
            peak_value=1.0,
            warmup_steps=10**9,
            transition_steps=10**9,
            decay_rate=0.5,
        ),
    ),
    (
        "piecewise_constant_schedule",
        dict(init_value=1.0, boundaries_and_scales={10**9: 0.5, BIG - 10: 0.5}),
    ),
    (
        "piecewise_interpolate_schedule",
        dict(
            interpolate_type="cosine",
            init_value=1.0,
            boundaries_and_scales={10**9: 0.5, BIG - 10: 0.5},
        ),
    ),
    ("cosine_onecycle_schedule", dict(transition_steps=BIG, peak_value=1.0)),
    ("linear_onecycle_schedule", dict(transition_steps=BIG, peak_value=1.0)),
    ("constant_schedule", dict(value=0.1)),
    (
        "sgdr_schedule",
        dict(
            cosine_kwargs=[
                dict(init_value=0.0, peak_value=1.0, warmup_steps=10**8, decay_steps=10**9)
            ]
            * 2
        ),
    ),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), OPTAX, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OPTAX)]
)
@pytest.mark.parametrize("dtype", ["int32", "float32"])
def test_optax_schedules_on_32_bit_counts_agree_with_optax(
    x32: Any, name: str, kwargs: dict[str, Any], dtype: str
) -> None:
    optax = require("optax")
    jnp = x32.numpy
    counts = jnp.asarray(COUNTS, dtype=dtype)
    assert counts.dtype == dtype
    theirs = np.asarray(x32.vmap(getattr(optax, name)(**kwargs))(counts), dtype=np.float64)
    ours = getattr(ox, name)(**kwargs)
    plain = np.asarray(ours(counts), dtype=np.float64)
    jitted = np.asarray(x32.jit(ours)(counts), dtype=np.float64)
    scalar = np.array([ours(c) for c in counts], dtype=np.float64)  # 0-d JAX arrays
    peak = max(float(np.max(theirs)), float(np.max(plain)))
    for mine in (plain, jitted, scalar):
        assert np.isfinite(mine).all() and (mine >= 0).all(), (name, mine)
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=F32 * peak, err_msg=name)


def test_the_issue_example_cosine_decay_at_a_billion(x32: Any) -> None:
    s = ox.cosine_decay_schedule(1000.0, decay_steps=int(1e10))
    value = s(x32.numpy.int32(10**9))
    assert value == pytest.approx(975.528, abs=1e-3)


#: every other framework's compat schedules, with step parameters beyond int32
OTHERS = [
    pt.StepLR(1.0, step_size=3 * 10**9, gamma=0.5),
    pt.MultiStepLR(1.0, milestones=[10**9, 3 * 10**9], gamma=0.5),
    pt.ConstantLR(1.0, factor=0.5, total_iters=3 * 10**9),
    pt.LinearLR(1.0, start_factor=0.5, total_iters=3 * 10**9),
    pt.PolynomialLR(1.0, total_iters=3 * 10**9, power=2.0),
    pt.CosineAnnealingLR(1.0, T_max=3 * 10**9, eta_min=0.1),
    pt.CosineAnnealingWarmRestarts(1.0, T_0=3 * 10**9, T_mult=2),
    pt.CyclicLR(0.1, 1.0, step_size_up=3 * 10**9),
    pt.OneCycleLR(1.0, total_steps=3 * 10**9),
    kx.CosineDecay(1.0, decay_steps=3 * 10**9, warmup_target=2.0, warmup_steps=10**9),
    kx.CosineDecayRestarts(1.0, first_decay_steps=3 * 10**9),
    kx.ExponentialDecay(1.0, decay_steps=3 * 10**9, decay_rate=0.5),
    kx.InverseTimeDecay(1.0, decay_steps=3 * 10**9, decay_rate=0.5),
    kx.PolynomialDecay(1.0, decay_steps=3 * 10**9, cycle=True),
    kx.PiecewiseConstantDecay([10**9, 3 * 10**9], [1.0, 0.5, 0.1]),
    hf.get_linear_schedule_with_warmup(1.0, 10**9, 4 * 10**9),
    hf.get_cosine_schedule_with_warmup(1.0, 10**9, 4 * 10**9),
    hf.get_cosine_with_hard_restarts_schedule_with_warmup(1.0, 10**9, 4 * 10**9, 2),
    hf.get_polynomial_decay_schedule_with_warmup(1.0, 10**9, 4 * 10**9, power=2.0),
    hf.get_inverse_sqrt_schedule(1.0, 10**9, timescale=3 * 10**9),
    hf.get_wsd_schedule(1.0, 10**9, 10**9, num_stable_steps=3 * 10**9),
    tm.CosineLRScheduler(1.0, t_initial=3 * 10**9, warmup_t=10**9, cycle_limit=2),
    tm.StepLRScheduler(1.0, decay_t=3 * 10**9, decay_rate=0.5, warmup_t=10**9),
    tm.MultiStepLRScheduler(1.0, decay_t=[10**9, 3 * 10**9], decay_rate=0.5),
]


@pytest.mark.parametrize("schedule", OTHERS, ids=lambda s: type(s).__name__)
@pytest.mark.parametrize("dtype", ["int32", "float32"])
def test_other_compat_schedules_take_32_bit_counts(x32: Any, schedule: Any, dtype: str) -> None:
    """The 32-bit path agrees with the float64 scalar path within float32 precision."""
    counts = x32.numpy.asarray(COUNTS, dtype=dtype)
    exact = np.array([schedule(float(c)) for c in np.asarray(counts)], dtype=np.float64)
    peak = float(np.max(exact))
    for mine in (schedule(counts), x32.jit(schedule)(counts)):
        mine = np.asarray(mine, dtype=np.float64)
        assert np.isfinite(mine).all() and (mine >= 0).all(), (schedule, mine)
        np.testing.assert_allclose(mine, exact, rtol=0, atol=F32 * peak, err_msg=repr(schedule))
