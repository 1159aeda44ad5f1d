"""Every core schedule on JAX: under jax.jit, under jax.vmap, and as optax's learning rate."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from catalogue import EXAMPLES
from support import require

import annealing as an

pytestmark = pytest.mark.peer

MORE: dict[str, an.Schedule] = {
    "Tanh": an.Tanh(1.0, 0.1, 50),
    "Tanh-restarts": an.Restarts(an.Tanh(1.0, 0.1, 20), mult=2, peak_decay=0.5, limit=3),
    "Warp": an.Warp(an.Cosine(1.0, 0.0, 50), power=1.7),
    "Offset": an.Offset(an.Linear(1.0, 0.0, 50), 10),
    "InverseTime": an.InverseTime(1.0, 0.5, 10),
    "InverseTime-staircase": an.InverseTime(1.0, 0.5, 10, staircase=True),
    "PolynomialCycles": an.PolynomialCycles(1.0, 0.01, 20, power=2.0),
}
ALL = {**EXAMPLES, **MORE}
# integer steps and some between them, rounded to float32 (JAX's default) so both see the same
STEPS = np.concatenate([np.arange(0, 400), np.linspace(0.25, 399.75, 64)]).astype(np.float32)
STEPS = STEPS.astype(np.float64)


def near(ours: Any, expected: Any, schedule: an.Schedule) -> None:
    ours = np.asarray(ours, dtype=np.float64)
    assert ours.shape == expected.shape
    assert np.isfinite(ours).all() and (ours >= 0).all()
    # float32 values; stairs and cycles fall exactly on their multiples (no previous stair)
    bad = ~np.isclose(ours, expected, rtol=2e-6, atol=2e-7 * max(1.0, float(np.max(expected))))
    assert not bad.any(), (repr(schedule), STEPS[bad][:5], ours[bad][:5], expected[bad][:5])


def test_stairs_fall_on_their_multiples_under_jit_in_float64() -> None:
    # XLA turns t / k into t * (1/k) under jit: 98 * (1/98) < 1 would stay on the first stair
    jax = require("jax")
    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    try:
        for k in (49, 98, 103, 107, 161):  # t / k * k < t at some multiples of these
            t = jax.numpy.arange(0, 3 * k, dtype=jax.numpy.float64)
            for schedule in (
                an.Step(1.0, k, 0.5),
                an.Exponential(1.0, rate=0.5, every=k, staircase=True),
                an.InverseTime(1.0, 0.5, k, staircase=True),
                an.PolynomialCycles(1.0, 0.0, k),
            ):
                ours = np.asarray(jax.jit(schedule)(t))
                assert np.allclose(ours, schedule(np.arange(3 * k)), rtol=1e-14, atol=0), k
    finally:
        jax.config.update("jax_enable_x64", previous)


@pytest.mark.parametrize("name", sorted(ALL))
def test_jit_and_vmap_agree_with_numpy(name: str) -> None:
    jax = require("jax")
    schedule = ALL[name]
    expected = schedule(STEPS)
    steps = jax.numpy.asarray(STEPS, dtype=jax.numpy.float32)
    eager = schedule(steps)
    assert type(eager).__module__.startswith("jax")
    near(eager, expected, schedule)
    near(jax.jit(schedule)(steps), expected, schedule)
    near(jax.vmap(schedule)(steps), expected, schedule)
    near(jax.jit(jax.vmap(schedule))(steps), expected, schedule)
    # integer steps, as an optimizer's count
    counts = jax.numpy.arange(0, 400, dtype=jax.numpy.int32)
    near(jax.jit(schedule)(counts), schedule(np.arange(400)), schedule)


def test_as_the_learning_rate_of_an_optax_optimizer() -> None:
    jax = require("jax")
    optax = require("optax")
    jnp = jax.numpy
    schedule = an.Warmup(an.Restarts(an.Cosine(0.1, 0.001, 20), mult=2), warmup=5)
    optimizer = optax.inject_hyperparams(optax.sgd)(learning_rate=schedule)
    params = {"w": jnp.ones(3)}
    state = optimizer.init(params)

    @jax.jit
    def step(params: Any, state: Any) -> Any:
        grads = jax.grad(lambda p: jnp.sum(p["w"] ** 2))(params)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    seen = []
    for _ in range(70):
        params, state = step(params, state)
        seen.append(float(state.hyperparams["learning_rate"]))  # the rate this update used
    assert np.allclose(seen, schedule(np.arange(70)), rtol=1e-6, atol=1e-9)
    # and directly as optax's learning_rate (scale_by_schedule)
    sgd = optax.sgd(learning_rate=schedule)
    state = sgd.init(params)
    grads = {"w": jnp.ones(3)}
    updates, _ = jax.jit(sgd.update)(grads, state, params)
    assert np.allclose(np.asarray(updates["w"]), -schedule(0) * np.ones(3))


# -- JAX's 32-bit default and float16: no NaN or inf from parameters beyond float32 ------------
HOSTILE: dict[str, an.Schedule] = {
    "tiny-steps": an.Cosine(1.0, 0.0, 1e-39),  # the issue's example (there on PyTorch)
    "huge-start": an.Cosine(1e300, 0.0, 100),
    "huge-constant": an.Constant(1e300),
    "tiny-linear": an.Linear(1.0, 0.0, 1e-300),
    "tiny-warmup": an.Warmup(an.Cosine(1.0, 0.0, 1e-39), 1e-39),
    "tiny-step": an.Step(1.0, 1e-39),
    "huge-onecycle": an.OneCycle(1e300, 1e-30),
    "mixed": an.Sequence((an.Constant(1e300), an.Cosine(1.0, 0.0, 1e-39)), (5,)),
}
EDGES = np.array([0, 1e-45, 1e-39, 0.5, 1, 4.5, 5, 7, 100, 1e5, 3e38])


def _rounded(s: an.Schedule, steps: Any, dtype: Any, *, xla: bool = False) -> Any:
    """The float64 values at `steps`, rounded once to `dtype`, saturating at its maximum.

    With `xla`, as XLA's compiled CPU code sees them: it flushes subnormal numbers to zero,
    the steps' on the way in and the results' on the way out.
    """
    given = np.asarray(steps)
    t = given.astype(np.float64)
    if xla and np.issubdtype(given.dtype, np.floating):
        t[np.abs(t) < np.finfo(given.dtype).tiny] = 0.0
    out = np.minimum(s(t), float(np.finfo(dtype).max)).astype(dtype)
    if xla:
        out[np.abs(out) < np.finfo(dtype).tiny] = 0.0
    return out


@pytest.mark.parametrize("name", [*HOSTILE, "Cosine", "nested"])
def test_float32_steps_in_32_bit_mode_are_finite(name: str) -> None:
    jax = require("jax")
    jnp = jax.numpy
    s = HOSTILE.get(name) or EXAMPLES[name]
    with jax.enable_x64(False):
        steps = jnp.asarray(EDGES, dtype=jnp.float32)
        want = _rounded(s, steps, np.float32)
        eager = s(steps)  # concrete steps: computed on the host in float64, rounded once
        assert eager.dtype == jnp.float32
        np.testing.assert_array_equal(np.asarray(eager), want)
        flushed = _rounded(s, steps, np.float32, xla=True)
        for how, fn in (("jit", jax.jit(s)), ("vmap", jax.vmap(s)), ("both", jax.jit(jax.vmap(s)))):
            got = np.asarray(fn(steps))
            assert got.dtype == np.float32 and np.isfinite(got).all() and (got >= 0).all(), how
            if name in HOSTILE:  # float32 gives NaN or inf here: the host computes it instead
                np.testing.assert_array_equal(got, flushed, err_msg=how)
            else:
                np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-30, err_msg=how)
        counts = jnp.arange(0, 8, dtype=jnp.int32)
        assert s(counts).dtype == jnp.float32 and jax.jit(s)(counts).dtype == jnp.float32
        np.testing.assert_array_equal(np.asarray(s(counts)), _rounded(s, counts, np.float32))
        zero_d = jax.jit(s)(jnp.asarray(4.5, dtype=jnp.float32))
        assert zero_d.shape == () and float(zero_d) == float(_rounded(s, 4.5, np.float32))


@pytest.mark.parametrize("name", [*HOSTILE, "Cosine"])
def test_64_bit_mode_computes_in_float64_and_keeps_the_dtype(name: str) -> None:
    jax = require("jax")
    jnp = jax.numpy
    s = HOSTILE.get(name) or EXAMPLES[name]
    with jax.enable_x64(True):
        for dtype in (jnp.float16, jnp.float32, jnp.float64):
            steps = jnp.asarray(np.minimum(EDGES, float(jnp.finfo(dtype).max)), dtype=dtype)
            exact = _rounded(s, steps, np.dtype(dtype))
            compiled = _rounded(s, steps, np.dtype(dtype), xla=True)
            # concrete steps: on the host in float64, as numpy; traced: XLA's float64 on device
            for fn, want in ((s, exact), (jax.jit(s), compiled), (jax.vmap(s), compiled)):
                got = fn(steps)
                assert got.dtype == dtype
                if dtype == jnp.float64:  # XLA's sin is not numpy's: an ulp or so apart
                    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-15, atol=0)
                else:  # float64 results rounded once: the ulp disappears
                    np.testing.assert_array_equal(np.asarray(got), want)
        integers = s(jnp.arange(3, dtype=jnp.int64))
        assert integers.dtype == jnp.float64
        np.testing.assert_allclose(np.asarray(integers), [s(0), s(1), s(2)], rtol=1e-15)


def test_the_issue_example_on_jax_and_float16_saturation() -> None:
    jax = require("jax")
    jnp = jax.numpy
    s = an.Cosine(1.0, 0.0, 1e-39)
    assert np.asarray(s(jnp.asarray([0.0]))).tolist() == [1.0]
    assert np.asarray(jax.jit(s)(jnp.asarray([0.0]))).tolist() == [1.0]
    half = an.Constant(1e6)(jnp.zeros(2, dtype=jnp.float16))
    assert half.dtype == jnp.float16 and np.asarray(half).tolist() == [65504.0, 65504.0]
    half = jax.jit(an.Constant(1e6))(jnp.zeros(2, dtype=jnp.float16))
    assert half.dtype == jnp.float16 and np.asarray(half).tolist() == [65504.0, 65504.0]


def test_bad_jax_steps_name_the_schedule() -> None:
    jax = require("jax")
    jnp = jax.numpy
    s = EXAMPLES["Warmup"]
    with pytest.raises(TypeError, match=r"^Warmup: step must be a number or an array"):
        s(jnp.asarray([1 + 1j]))
    with pytest.raises(TypeError, match=r"^Warmup: step must be a number or an array"):
        s(jnp.asarray([True, False]))
    with pytest.raises(ValueError, match=r"^Warmup: step must be finite and >= 0, got -3"):
        s(jnp.asarray([2, -3], dtype=jnp.int32))
    with pytest.raises(ValueError, match=r"^Warmup: step must be finite and >= 0, got inf"):
        s(jnp.asarray([1.0, jnp.inf], dtype=jnp.float16))
