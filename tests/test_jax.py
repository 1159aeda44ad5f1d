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
